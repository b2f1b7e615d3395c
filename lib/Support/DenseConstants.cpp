//===- DenseConstants.cpp - Cutting dense constants -------------*- C++ -*-===//

#include "pex/Support/DenseConstants.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

DenseElementsAttr
mlir::pex::selectAlong(DenseElementsAttr attr, int64_t dim, int64_t keptExtent,
                       llvm::function_ref<bool(int64_t)> keep) {
  auto type = cast<RankedTensorType>(attr.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = keptExtent;
  RankedTensorType keptType = type.clone(shape);
  if (attr.isSplat())
    return attr.resizeSplat(keptType);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  int64_t extent = type.getDimSize(dim);
  SmallVector<Attribute> kept;
  for (auto [index, element] : llvm::enumerate(attr.getValues<Attribute>()))
    if (keep((static_cast<int64_t>(index) / inner) % extent))
      kept.push_back(element);
  return DenseElementsAttr::get(keptType, kept);
}

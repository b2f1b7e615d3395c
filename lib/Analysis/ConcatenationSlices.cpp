//===- ConcatenationSlices.cpp - Operands in their slice -------*- C++ -*-===//

#include "pex/Analysis/ConcatenationSlices.h"

using namespace mlir;
using namespace mlir::pex;

std::optional<ConcatenationSlice>
mlir::pex::getConcatenationSlice(tosa::ConcatOp concat, unsigned position) {
  Value operand = concat.getInput1()[position];
  // Through reshapes, nothing but the concatenation may read the operand or
  // the value computed: the slice holds neither's shape.
  Value computed = operand;
  if (computed.getDefiningOp<tosa::ReshapeOp>() && !operand.hasOneUse())
    return std::nullopt;
  while (auto reshape = computed.getDefiningOp<tosa::ReshapeOp>()) {
    computed = reshape.getInput1();
    if (!computed.hasOneUse())
      return std::nullopt;
  }

  auto resultType = cast<RankedTensorType>(concat.getType());
  ArrayRef<int64_t> resultShape = resultType.getShape();
  int64_t axis = concat.getAxis();
  ConcatenationSlice slice;
  slice.computed = computed;
  for (Value before : concat.getInput1().take_front(position))
    slice.offset += cast<RankedTensorType>(before.getType()).getDimSize(axis);
  if (computed == operand) {
    for (int64_t dim = 0; dim < resultType.getRank(); ++dim)
      slice.reassociation.push_back({dim});
    slice.expandedShape.assign(resultShape.begin(), resultShape.end());
    slice.axis = axis;
    return slice;
  }

  // The computed value's dimensions, grouped into the operand's.
  ArrayRef<int64_t> computedShape =
      cast<RankedTensorType>(computed.getType()).getShape();
  ArrayRef<int64_t> operandShape =
      cast<RankedTensorType>(operand.getType()).getShape();
  std::optional<SmallVector<ReassociationIndices>> groups =
      getReassociationIndicesForCollapse(computedShape, operandShape);
  if (!groups || groups->size() != resultShape.size() ||
      (*groups)[axis].size() != 1)
    return std::nullopt;
  // The result expands alike: it has the operand's sizes but along the axis.
  for (auto [dim, group] : llvm::enumerate(*groups)) {
    ReassociationIndices expanded;
    if (static_cast<int64_t>(dim) == axis) {
      slice.axis = slice.expandedShape.size();
      expanded.push_back(slice.expandedShape.size());
      slice.expandedShape.push_back(resultShape[axis]);
    } else {
      for (int64_t index : group) {
        expanded.push_back(slice.expandedShape.size());
        slice.expandedShape.push_back(computedShape[index]);
      }
    }
    slice.reassociation.push_back(std::move(expanded));
  }
  return slice;
}

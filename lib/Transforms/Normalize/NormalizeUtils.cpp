//===- NormalizeUtils.cpp - Helpers of the normalisation patterns ---------===//

#include "NormalizeUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

bool mlir::pex::getConstantShape(Value shape,
                                 SmallVectorImpl<int64_t> &values) {
  auto constant = shape.getDefiningOp<tosa::ConstShapeOp>();
  if (!constant)
    return false;
  values.clear();
  for (const APInt &value : constant.getValues().getValues<APInt>())
    values.push_back(value.getSExtValue());
  return true;
}

Value mlir::pex::createConstantShape(OpBuilder &builder, Location loc,
                                     ArrayRef<int64_t> values) {
  auto type = tosa::shapeType::get(builder.getContext(), values.size());
  return tosa::ConstShapeOp::create(builder, loc, type,
                                    builder.getIndexTensorAttr(values));
}

Value mlir::pex::createLeadingSlice(OpBuilder &builder, Location loc, Value x,
                                    ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == sizes)
    return x;
  SmallVector<int64_t> starts(sizes.size(), 0);
  return tosa::SliceOp::create(builder, loc, type.clone(sizes), x,
                               createConstantShape(builder, loc, starts),
                               createConstantShape(builder, loc, sizes));
}

SmallVector<int64_t> mlir::pex::addPadding(ArrayRef<int64_t> a,
                                           ArrayRef<int64_t> b) {
  SmallVector<int64_t> sum;
  for (auto [x, y] : llvm::zip_equal(a, b))
    sum.push_back(x + y);
  return sum;
}

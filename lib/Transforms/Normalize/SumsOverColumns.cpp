//===- SumsOverColumns.cpp - Means summed column by column ------*- C++ -*-===//
//
// Importers lower an int8 mean over rows and columns (TFLite's MEAN, ONNX's
// ReduceMean) as: widen to i32 subtracting the zero point (a rescale of
// scale 1), sum along rows, sum along columns, rescale. Summing columns first
// keeps the intermediate per row (what a row stream computes one row at a
// time and accumulates), and the widening is then a depthwise convolution
// with weights 1 that reads the int8 values itself, so the i32 copy of the
// whole input never exists. Integer sums in another order are the same
// (modulo 2^32, as the kernels wrap).
//
//===----------------------------------------------------------------------===//

#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

bool isIntegerNHWC(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getRank() == 4 &&
         isa<IntegerType>(type.getElementType());
}

/// Whether `rescale` only widens int8 to i32 minus its input zero point:
/// scale 1 (a multiplier of 2^shift) and output zero point 0.
bool isZeroPointWidening(tosa::RescaleOp rescale) {
  auto inputType = cast<ShapedType>(rescale.getInput().getType());
  auto outputType = cast<ShapedType>(rescale.getType());
  if (!inputType.getElementType().isInteger(8) ||
      !outputType.getElementType().isInteger(32) ||
      rescale.getPerChannel() || rescale.getInputUnsigned())
    return false;
  DenseIntElementsAttr multiplier, shift;
  if (!matchPattern(rescale.getMultiplier(), m_Constant(&multiplier)) ||
      !matchPattern(rescale.getShift(), m_Constant(&shift)) ||
      multiplier.getNumElements() != 1 || shift.getNumElements() != 1)
    return false;
  int64_t shiftValue = (*shift.begin()).getSExtValue();
  int64_t multiplierValue = (*multiplier.begin()).getSExtValue();
  FailureOr<int64_t> outputZp = rescale.getOutputZeroPoint();
  return shiftValue >= 2 && shiftValue <= 30 &&
         multiplierValue == (int64_t(1) << shiftValue) &&
         succeeded(outputZp) && *outputZp == 0 &&
         succeeded(rescale.getInputZeroPoint());
}

/// reduce_sum(reduce_sum(widen(x), rows), columns) = reduce_sum(reduce_sum(
/// widen(x), columns), rows): the sums of an int8 mean.
struct SumColumnsBeforeRows : OpRewritePattern<tosa::ReduceSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ReduceSumOp columns,
                                PatternRewriter &rewriter) const override {
    auto rows = columns.getInput().getDefiningOp<tosa::ReduceSumOp>();
    if (columns.getAxis() != 2 || !rows || rows.getAxis() != 1 ||
        !rows->hasOneUse() || !isIntegerNHWC(rows.getInput()))
      return failure();
    auto widen = rows.getInput().getDefiningOp<tosa::RescaleOp>();
    if (!widen || !isZeroPointWidening(widen))
      return failure();
    auto inputType = cast<RankedTensorType>(rows.getInput().getType());
    SmallVector<int64_t> shape(inputType.getShape());
    shape[2] = 1;
    auto columnSums = tosa::ReduceSumOp::create(
        rewriter, columns.getLoc(), inputType.clone(shape), rows.getInput(),
        rewriter.getI32IntegerAttr(2));
    rewriter.replaceOpWithNewOp<tosa::ReduceSumOp>(
        columns, columns.getType(), columnSums, rewriter.getI32IntegerAttr(1));
    rewriter.eraseOp(rows);
    return success();
  }
};

/// reduce_sum(widen(x) - zp, columns) = depthwise_conv2d(x, ones[1, W],
/// input_zp = zp): the sum of each row's columns, read as int8.
struct WidenedColumnSumToDepthwise : OpRewritePattern<tosa::ReduceSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ReduceSumOp sum,
                                PatternRewriter &rewriter) const override {
    auto widen = sum.getInput().getDefiningOp<tosa::RescaleOp>();
    if (sum.getAxis() != 2 || !widen || !widen->hasOneUse() ||
        !isIntegerNHWC(widen.getInput()) || !isZeroPointWidening(widen))
      return failure();
    Location loc = sum.getLoc();
    auto inputType = cast<RankedTensorType>(widen.getInput().getType());
    Type i8 = inputType.getElementType(), i32 = rewriter.getI32Type();
    int64_t width = inputType.getDimSize(2), channels = inputType.getDimSize(3);
    auto constant = [&](RankedTensorType type, Attribute value) -> Value {
      return tosa::ConstOp::create(rewriter, loc, type,
                                   DenseElementsAttr::get(type, value));
    };
    Value ones = constant(RankedTensorType::get({1, width, channels, 1}, i8),
                          rewriter.getIntegerAttr(i8, 1));
    Value bias = constant(RankedTensorType::get({channels}, i32),
                          rewriter.getIntegerAttr(i32, 0));
    Value weightZp = constant(RankedTensorType::get({1}, i8),
                              rewriter.getIntegerAttr(i8, 0));
    rewriter.replaceOpWithNewOp<tosa::DepthwiseConv2DOp>(
        sum, sum.getType(), widen.getInput(), ones, bias, widen.getInputZp(),
        weightZp, rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
        rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getDenseI64ArrayAttr({1, 1}), TypeAttr::get(i32));
    return success();
  }
};

} // namespace

void mlir::pex::populateSumsOverColumnsPatterns(RewritePatternSet &patterns) {
  patterns.add<SumColumnsBeforeRows, WidenedColumnSumToDepthwise>(
      patterns.getContext());
}

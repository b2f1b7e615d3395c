//===- DepthwiseFiltersToConv.cpp - multiplier filters as conv2d ----------===//
//
// A depthwise convolution over one input channel, weights [KH, KW, 1, M],
// is the conv2d of weights [M, KH, KW, 1]: output channel m sums the same
// taps in the same (kh, kw) order. The weights are transposed at compile
// time; a kernel's slice of the filters, cut along the last dimension by
// pex-lower-groups, becomes the same slice along the first.
//
//===----------------------------------------------------------------------===//

#include "pex/Support/KernelChoices.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::pex {
#define GEN_PASS_DEF_DEPTHWISEFILTERSTOCONV
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The depthwise weights a kernel reads: a constant [KH, KW, 1, M], all of
/// it or the filters from `first` on.
struct FilterWeights {
  DenseElementsAttr value;
  /// Null when the kernel reads all the filters.
  OpFoldResult first;
};

std::optional<FilterWeights> matchFilterWeights(Value weights) {
  DenseElementsAttr value;
  if (matchPattern(weights, m_Constant(&value)))
    return FilterWeights{value, OpFoldResult()};
  auto slice = weights.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || !matchPattern(slice.getSource(), m_Constant(&value)))
    return std::nullopt;
  auto sourceType = cast<RankedTensorType>(value.getType());
  auto sliceType = slice.getResultType();
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  for (int64_t d = 0; d < 3; ++d)
    if (sliceType.getDimSize(d) != sourceType.getDimSize(d) ||
        getConstantIntValue(offsets[d]) != 0)
      return std::nullopt;
  if (!slice.hasUnitStride() || sliceType.getRank() != 4)
    return std::nullopt;
  return FilterWeights{value, offsets[3]};
}

struct DepthwiseFiltersToConv : OpRewritePattern<tosa::DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::DepthwiseConv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(conv.getInput().getType());
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    if (!isa<IntegerType>(inputType.getElementType()) ||
        inputType.getRank() != 4 || inputType.getDimSize(3) != 1 ||
        !weightType.hasStaticShape() ||
        // As a conv2d, so few filters would take the planar filter, which
        // the depthwise 3x3 kernels beat: they stay depthwise.
        weightType.getDimSize(3) <= kMaxPlanarFilterOutputs)
      return rewriter.notifyMatchFailure(
          conv, "needs one integer input channel and enough filters");
    std::optional<FilterWeights> weights = matchFilterWeights(conv.getWeight());
    if (!weights)
      return rewriter.notifyMatchFailure(conv, "weights are not constant");

    auto sourceType = cast<RankedTensorType>(weights->value.getType());
    int64_t taps = sourceType.getDimSize(0) * sourceType.getDimSize(1);
    int64_t filters = sourceType.getDimSize(3);
    SmallVector<APInt> values(weights->value.getValues<APInt>());
    SmallVector<APInt> transposed;
    transposed.reserve(values.size());
    for (int64_t m = 0; m < filters; ++m)
      for (int64_t t = 0; t < taps; ++t)
        transposed.push_back(values[t * filters + m]);
    auto transposedType = RankedTensorType::get(
        {filters, sourceType.getDimSize(0), sourceType.getDimSize(1), 1},
        sourceType.getElementType());
    Location loc = conv.getWeight().getLoc();
    Value convWeights = tosa::ConstOp::create(
        rewriter, loc, transposedType,
        DenseElementsAttr::get(transposedType, transposed));
    if (weights->first) {
      OpFoldResult zero = rewriter.getIndexAttr(0),
                   one = rewriter.getIndexAttr(1);
      convWeights = tensor::ExtractSliceOp::create(
          rewriter, loc, convWeights,
          ArrayRef<OpFoldResult>{weights->first, zero, zero, zero},
          ArrayRef<OpFoldResult>{
              rewriter.getIndexAttr(weightType.getDimSize(3)),
              rewriter.getIndexAttr(weightType.getDimSize(0)),
              rewriter.getIndexAttr(weightType.getDimSize(1)), one},
          ArrayRef<OpFoldResult>{one, one, one, one});
    }
    auto replacement = tosa::Conv2DOp::create(
        rewriter, conv.getLoc(), conv.getType(), conv.getInput(), convWeights,
        conv.getBias(), conv.getInputZp(), conv.getWeightZp(),
        conv.getPadAttr(), conv.getStrideAttr(), conv.getDilationAttr(),
        conv.getAccTypeAttr(), conv.getLocalBoundAttr());
    // The planner's records (placements) stay with the operator.
    replacement->setDiscardableAttrs(conv->getDiscardableAttrDictionary());
    rewriter.replaceOp(conv, replacement);
    return success();
  }
};

struct DepthwiseFiltersToConvPass
    : public pex::impl::DepthwiseFiltersToConvBase<DepthwiseFiltersToConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DepthwiseFiltersToConv>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

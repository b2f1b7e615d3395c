//===- FlattenedInputToConv.cpp - FC over a flattened map -------*- C++ -*-===//
//
// Importers write FULLY_CONNECTED as a 1x1 convolution of weights [M,1,1,K]
// over its input reshaped to [1,1,1,K]. When that input is a flattened map
// [1,H,W,C] (K = H*W*C, row-major, so element (h, w, c) is k = (h*W + w)*C +
// c), the same sums are a convolution with weights [M,H,W,C] whose window
// covers the map: products are added in the same order (kh, kw, ic), so even
// float results keep their bits. As a convolution over the map, the layer
// reads the map's channels as input channels, and a channel-split chain can
// end in it, accumulating the map slice by slice: the map never exists whole.
//
// A 1x1 convolution over the pixels of a map reshaped to [N*H*W,1,1,C] (a
// Linear over the channels: Conv -> permute -> Linear, an einsum "nchw,dc")
// computes the same sums on the map itself, [N,H,W,C], its result reshaped
// back: then too the map's channels are its input channels.
//
//===----------------------------------------------------------------------===//

#include "NormalizeUtils.h"
#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

struct FlattenedInputToConv : OpRewritePattern<tosa::Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto reshape = conv.getInput().getDefiningOp<tosa::ReshapeOp>();
    DenseElementsAttr weights;
    if (!reshape || !matchPattern(conv.getWeight(), m_Constant(&weights)))
      return failure();
    auto map = cast<RankedTensorType>(reshape.getInput1().getType());
    auto flat = conv.getInput().getType();
    auto weightType = cast<RankedTensorType>(weights.getType());
    bool isOneByOne = weightType.getDimSize(1) == 1 &&
                      weightType.getDimSize(2) == 1 &&
                      llvm::all_of(conv.getPad(), [](int64_t p) { return !p; });
    if (map.getRank() != 4 || map.getDimSize(0) != 1 || !isOneByOne ||
        flat.getShape() != ArrayRef<int64_t>{1, 1, 1, map.getNumElements()} ||
        map.getDimSize(1) * map.getDimSize(2) == 1)
      return failure();

    auto mapWeightType =
        RankedTensorType::get({weightType.getDimSize(0), map.getDimSize(1),
                               map.getDimSize(2), map.getDimSize(3)},
                              weightType.getElementType());
    Value mapWeights =
        tosa::ConstOp::create(rewriter, conv.getWeight().getLoc(),
                              mapWeightType, weights.reshape(mapWeightType));
    rewriter.replaceOpWithNewOp<tosa::Conv2DOp>(
        conv, conv.getType(), reshape.getInput1(), mapWeights, conv.getBias(),
        conv.getInputZp(), conv.getWeightZp(), conv.getPadAttr(),
        rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getDenseI64ArrayAttr({1, 1}), conv.getAccTypeAttr(),
        conv.getLocalBoundAttr());
    return success();
  }
};

struct PixelsFlattenedToPointwiseConv : OpRewritePattern<tosa::Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto reshape = conv.getInput().getDefiningOp<tosa::ReshapeOp>();
    if (!reshape)
      return failure();
    auto map = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
    auto pixels = cast<RankedTensorType>(conv.getInput().getType());
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    auto isOne = [](int64_t v) { return v == 1; };
    bool isPointwise =
        weightType.getDimSize(1) == 1 && weightType.getDimSize(2) == 1 &&
        llvm::all_of(conv.getPad(), [](int64_t p) { return !p; }) &&
        llvm::all_of(conv.getStride(), isOne) &&
        llvm::all_of(conv.getDilation(), isOne);
    if (!map || !map.hasStaticShape() || map.getRank() != 4 || !isPointwise ||
        map.getDimSize(1) * map.getDimSize(2) == 1 ||
        pixels.getShape() !=
            ArrayRef<int64_t>{map.getNumElements() / map.getDimSize(3), 1, 1,
                              map.getDimSize(3)})
      return failure();
    auto resultType = cast<RankedTensorType>(conv.getType());
    SmallVector<int64_t> mapResult(map.getShape());
    mapResult.back() = resultType.getDimSize(3);
    auto onMap = tosa::Conv2DOp::create(
        rewriter, conv.getLoc(), resultType.clone(mapResult),
        reshape.getInput1(), conv.getWeight(), conv.getBias(),
        conv.getInputZp(), conv.getWeightZp(), conv.getPadAttr(),
        conv.getStrideAttr(), conv.getDilationAttr(), conv.getAccTypeAttr(),
        conv.getLocalBoundAttr());
    rewriter.replaceOpWithNewOp<tosa::ReshapeOp>(
        conv, resultType, onMap,
        createConstantShape(rewriter, conv.getLoc(), resultType.getShape()));
    return success();
  }
};
} // namespace

void mlir::pex::populateFlattenedInputToConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FlattenedInputToConv, PixelsFlattenedToPointwiseConv>(
      patterns.getContext());
}

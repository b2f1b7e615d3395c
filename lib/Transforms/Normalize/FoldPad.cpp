//===- FoldPad.cpp - Explicit pads into window operators --------*- C++ -*-===//
//
// Converters that cannot express asymmetric or framework-specific padding in
// a convolution emit an explicit PAD before it (PyTorch -> TFLite does so for
// every 3x3 convolution). Materialised, the padded tensor costs a copy of the
// input; as the convolution's own padding it costs nothing.
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

/// reshape(pad(reshape(x))) where the inner reshape only drops leading unit
/// dimensions of `x` and the outer one only adds them back: a pad of `x`
/// itself, with those dimensions unpadded.
struct RestorePadRank : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ReshapeOp outer,
                                PatternRewriter &rewriter) const override {
    auto pad = outer.getInput1().getDefiningOp<tosa::PadOp>();
    if (!pad || !pad->hasOneUse())
      return failure();
    auto inner = pad.getInput1().getDefiningOp<tosa::ReshapeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> padding;
    if (!getConstantShape(pad.getPadding(), padding))
      return failure();
    auto source = cast<RankedTensorType>(inner.getInput1().getType());
    ArrayRef<int64_t> innerShape = inner.getType().getShape();
    ArrayRef<int64_t> outerShape = outer.getType().getShape();
    int64_t dropped =
        source.getRank() - static_cast<int64_t>(innerShape.size());
    if (dropped <= 0 ||
        static_cast<int64_t>(outerShape.size()) != source.getRank() ||
        source.getShape().drop_front(dropped) != innerShape ||
        outerShape.drop_front(dropped) != pad.getType().getShape() ||
        !llvm::all_of(source.getShape().take_front(dropped),
                      [](int64_t d) { return d == 1; }) ||
        !llvm::all_of(outerShape.take_front(dropped),
                      [](int64_t d) { return d == 1; }))
      return failure();

    SmallVector<int64_t> fullPadding(2 * dropped, 0);
    llvm::append_range(fullPadding, padding);
    Value shape = createConstantShape(rewriter, pad.getLoc(), fullPadding);
    rewriter.replaceOpWithNewOp<tosa::PadOp>(
        outer, outer.getType(), inner.getInput1(), shape, pad.getPadConst());
    return success();
  }
};

/// The value a pad fills with, as bits of its element type.
std::optional<Attribute> getPadValue(tosa::PadOp pad) {
  DenseElementsAttr value;
  if (!matchPattern(pad.getPadConst(), m_Constant(&value)) ||
      value.getNumElements() != 1)
    return std::nullopt;
  return value.getSplatValue<Attribute>();
}

/// The explicit padding of NHWC height and width as [top, bottom, left,
/// right], when the pad pads nothing else.
std::optional<SmallVector<int64_t, 4>> getWindowPadding(tosa::PadOp pad) {
  SmallVector<int64_t> padding;
  if (pad.getType().getRank() != 4 ||
      !getConstantShape(pad.getPadding(), padding))
    return std::nullopt;
  if (padding[0] || padding[1] || padding[6] || padding[7])
    return std::nullopt;
  return SmallVector<int64_t, 4>{padding[2], padding[3], padding[4],
                                 padding[5]};
}

bool isZeroPointValue(Attribute value, int64_t zeroPoint) {
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return integer.getValue().getSExtValue() == zeroPoint;
  if (auto real = dyn_cast<FloatAttr>(value))
    return zeroPoint == 0 && real.getValue().isZero();
  return false;
}

/// Max pooling ignores its padding: an explicit pad with the lowest value
/// of the type never wins a maximum (a window always covers some input).
bool isLowestValue(Attribute value) {
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return integer.getValue().isMinSignedValue();
  if (auto real = dyn_cast<FloatAttr>(value))
    return real.getValue().isInfinity() && real.getValue().isNegative();
  return false;
}

template <typename ConvOp>
struct FoldPadIntoConvolution : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    auto pad = conv.getInput().template getDefiningOp<tosa::PadOp>();
    if (!pad)
      return failure();
    std::optional<SmallVector<int64_t, 4>> padding = getWindowPadding(pad);
    std::optional<Attribute> value = getPadValue(pad);
    FailureOr<int64_t> zeroPoint = conv.getInputZeroPoint();
    if (!padding || !value || failed(zeroPoint) ||
        !isZeroPointValue(*value, *zeroPoint))
      return failure();
    SmallVector<int64_t> combined = addPadding(conv.getPad(), *padding);
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getInputMutable().assign(pad.getInput1());
      conv.setPad(combined);
    });
    return success();
  }
};

struct FoldPadIntoMaxPool : OpRewritePattern<tosa::MaxPool2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::MaxPool2dOp pool,
                                PatternRewriter &rewriter) const override {
    auto pad = pool.getInput().getDefiningOp<tosa::PadOp>();
    if (!pad)
      return failure();
    std::optional<SmallVector<int64_t, 4>> padding = getWindowPadding(pad);
    std::optional<Attribute> value = getPadValue(pad);
    if (!padding || !value || !isLowestValue(*value))
      return failure();
    SmallVector<int64_t> combined = addPadding(pool.getPad(), *padding);
    // TOSA pools need every window to start and end inside the input.
    ArrayRef<int64_t> kernel = pool.getKernel();
    if (combined[0] >= kernel[0] || combined[1] >= kernel[0] ||
        combined[2] >= kernel[1] || combined[3] >= kernel[1])
      return failure();
    rewriter.modifyOpInPlace(pool, [&] {
      pool.getInputMutable().assign(pad.getInput1());
      pool.setPad(combined);
    });
    return success();
  }
};
} // namespace

void mlir::pex::populateFoldPadPatterns(RewritePatternSet &patterns) {
  patterns
      .add<RestorePadRank, FoldPadIntoConvolution<tosa::Conv2DOp>,
           FoldPadIntoConvolution<tosa::DepthwiseConv2DOp>, FoldPadIntoMaxPool>(
          patterns.getContext());
}

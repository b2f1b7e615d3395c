//===- ShrinkTrailingSlices.cpp - Compute only what is read -----*- C++ -*-===//
//
// TOSA windows must divide their input exactly, so importers slice off the
// trailing rows or columns a TFLite window never reads (e.g. a 2x2 max pool
// with stride 2 over 39 rows reads 38). Left where it is, the slice is a
// view in the middle of a chain producer -> channel-local operators, which
// cuts the chain, and the producer computes a row nobody reads. Moved to the
// producer's input, the producer computes only the rows that are read: the
// same values, fewer multiply-accumulates, and a chain without views.
//
//===----------------------------------------------------------------------===//

#include "NormalizeUtils.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The sizes of a slice that keeps the first elements of every dimension.
std::optional<SmallVector<int64_t>> getLeadingSliceSizes(tosa::SliceOp slice) {
  SmallVector<int64_t> starts;
  if (!getConstantShape(slice.getStart(), starts) ||
      !llvm::all_of(starts, [](int64_t start) { return start == 0; }) ||
      !slice.getType().hasStaticShape())
    return std::nullopt;
  return llvm::to_vector(slice.getType().getShape());
}

/// The single-use operation whose result `slice` cuts.
Operation *getSlicedProducer(tosa::SliceOp slice) {
  Operation *producer = slice.getInput1().getDefiningOp();
  if (!producer || producer->getNumResults() != 1 || !producer->hasOneUse())
    return nullptr;
  return producer;
}

/// `op` cloned with `mapping` and its result of `shape`.
Value cloneWithShape(PatternRewriter &rewriter, Operation *op,
                     IRMapping &mapping, ArrayRef<int64_t> shape) {
  Operation *clone = rewriter.clone(*op, mapping);
  Value result = clone->getResult(0);
  result.setType(cast<RankedTensorType>(result.getType()).clone(shape));
  return result;
}

/// An NHWC sliding window over operand 0: convolutions and pools.
struct Window {
  int64_t kernel[2], stride[2], dilation[2];
  SmallVector<int64_t> pad; // top, bottom, left, right
};

std::optional<Window> getWindow(Operation *op) {
  auto fill = [](Window &window, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> stride, ArrayRef<int64_t> dilation,
                 ArrayRef<int64_t> pad) {
    for (int i = 0; i < 2; ++i) {
      window.kernel[i] = kernel[i];
      window.stride[i] = stride[i];
      window.dilation[i] = dilation[i];
    }
    window.pad.assign(pad.begin(), pad.end());
    return window;
  };
  Window window;
  auto shapeOf = [](Value value) {
    return cast<ShapedType>(value.getType()).getShape();
  };
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
    return fill(window, shapeOf(conv.getWeight()).slice(1, 2), conv.getStride(),
                conv.getDilation(), conv.getPad());
  if (auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(op))
    return fill(window, shapeOf(conv.getWeight()).take_front(2),
                conv.getStride(), conv.getDilation(), conv.getPad());
  int64_t ones[2] = {1, 1};
  if (auto pool = dyn_cast<tosa::MaxPool2dOp>(op))
    return fill(window, pool.getKernel(), pool.getStride(), ones,
                pool.getPad());
  if (auto pool = dyn_cast<tosa::AvgPool2dOp>(op))
    return fill(window, pool.getKernel(), pool.getStride(), ones,
                pool.getPad());
  return std::nullopt;
}

/// slice(window(x)) -> window(slice(x)): output rows [0, n) read the input
/// rows [0, (n-1) * stride + (kernel-1) * dilation + 1 - pad_top); the rest
/// of the input (or of the bottom padding) is not read.
struct ShrinkThroughWindow : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> sizes = getLeadingSliceSizes(slice);
    Operation *producer = getSlicedProducer(slice);
    std::optional<Window> window =
        producer ? getWindow(producer) : std::nullopt;
    if (!sizes || !window)
      return failure();
    ArrayRef<int64_t> outShape = slice.getInput1().getType().getShape();
    // Batch and channels are computed whole: only rows and columns shrink.
    if ((*sizes)[0] != outShape[0] || (*sizes)[3] != outShape[3])
      return failure();
    Value input = producer->getOperand(0);
    SmallVector<int64_t> inSizes(
        cast<RankedTensorType>(input.getType()).getShape());
    SmallVector<int64_t> pad = window->pad;
    for (int dim = 0; dim < 2; ++dim) {
      int64_t axis = dim + 1;
      int64_t rows = (*sizes)[axis];
      if (rows == outShape[axis])
        continue;
      int64_t extent = (rows - 1) * window->stride[dim] +
                       (window->kernel[dim] - 1) * window->dilation[dim] + 1 -
                       pad[2 * dim];
      if (extent <= 0)
        return failure();
      if (extent <= inSizes[axis]) {
        inSizes[axis] = extent;
        pad[2 * dim + 1] = 0;
      } else {
        pad[2 * dim + 1] = extent - inSizes[axis];
      }
    }
    rewriter.setInsertionPoint(producer);
    IRMapping mapping;
    mapping.map(input,
                createLeadingSlice(rewriter, slice.getLoc(), input, inSizes));
    Value shrunk = cloneWithShape(rewriter, producer, mapping, *sizes);
    shrunk.getDefiningOp()->setAttr("pad", rewriter.getDenseI64ArrayAttr(pad));
    rewriter.replaceOp(slice, shrunk);
    return success();
  }
};

/// slice(f(a, b, ...)) -> f(slice(a), slice(b), ...) for an element-wise f;
/// broadcast dimensions stay.
struct ShrinkThroughElementwise : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> sizes = getLeadingSliceSizes(slice);
    Operation *producer = getSlicedProducer(slice);
    auto partial = dyn_cast_or_null<PartialExecutionOpInterface>(producer);
    if (!sizes || !partial ||
        !partial.hasProperty(PartialExecutionProperties::Elementwise))
      return failure();
    ArrayRef<int64_t> outShape = slice.getInput1().getType().getShape();
    bool cutsChannels = sizes->back() != outShape.back();
    rewriter.setInsertionPoint(producer);
    IRMapping mapping;
    for (Value operand : producer->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type)
        continue;
      if (type.getRank() != static_cast<int64_t>(sizes->size())) {
        // Parameters of another rank (per-channel multipliers, zero
        // points) follow the channels, which must then stay whole.
        if (cutsChannels && type.getNumElements() > 1)
          return failure();
        continue;
      }
      SmallVector<int64_t> operandSizes;
      for (auto [dim, size] : llvm::enumerate(type.getShape())) {
        if (size == outShape[dim])
          operandSizes.push_back((*sizes)[dim]);
        else if (size == 1)
          operandSizes.push_back(1);
        else
          return failure();
      }
      mapping.map(operand, createLeadingSlice(rewriter, slice.getLoc(), operand,
                                              operandSizes));
    }
    rewriter.replaceOp(slice,
                       cloneWithShape(rewriter, producer, mapping, *sizes));
    return success();
  }
};

/// slice(pad(x)) -> pad(slice(x)) with less trailing padding.
struct ShrinkThroughPad : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> sizes = getLeadingSliceSizes(slice);
    auto pad = dyn_cast_or_null<tosa::PadOp>(getSlicedProducer(slice));
    SmallVector<int64_t> padding;
    if (!sizes || !pad || !getConstantShape(pad.getPadding(), padding))
      return failure();
    SmallVector<int64_t> inSizes(pad.getInput1().getType().getShape());
    for (auto [dim, size] : llvm::enumerate(*sizes)) {
      int64_t before = padding[2 * dim], kept = size - before;
      if (kept <= 0)
        return failure();
      if (kept <= inSizes[dim]) {
        inSizes[dim] = kept;
        padding[2 * dim + 1] = 0;
      } else {
        padding[2 * dim + 1] = kept - inSizes[dim];
      }
    }
    rewriter.setInsertionPoint(pad);
    Value input =
        createLeadingSlice(rewriter, slice.getLoc(), pad.getInput1(), inSizes);
    rewriter.replaceOpWithNewOp<tosa::PadOp>(
        slice, slice.getType(), input,
        createConstantShape(rewriter, pad.getLoc(), padding),
        pad.getPadConst());
    return success();
  }
};
/// slice(slice(x)) -> slice(x): leading slices compose.
struct ComposeLeadingSlices : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto inner = slice.getInput1().getDefiningOp<tosa::SliceOp>();
    std::optional<SmallVector<int64_t>> sizes = getLeadingSliceSizes(slice);
    if (!inner || !sizes || !getLeadingSliceSizes(inner))
      return failure();
    rewriter.replaceOp(slice, createLeadingSlice(rewriter, slice.getLoc(),
                                                 inner.getInput1(), *sizes));
    return success();
  }
};

/// Identical leading slices of one value become one, so that a producer read
/// by several operators that all drop the same rows (a leaky ReLU's
/// max(x, alpha * x) before a floor-mode pool) has a single slice to shrink.
struct MergeIdenticalLeadingSlices : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    if (!getLeadingSliceSizes(slice))
      return failure();
    for (Operation *user : slice.getInput1().getUsers()) {
      auto other = dyn_cast<tosa::SliceOp>(user);
      if (!other || other == slice || other.getType() != slice.getType() ||
          other->getBlock() != slice->getBlock() ||
          !other->isBeforeInBlock(slice) || !getLeadingSliceSizes(other))
        continue;
      rewriter.replaceOp(slice, other.getResult());
      return success();
    }
    return failure();
  }
};
} // namespace

void mlir::pex::populateShrinkTrailingSlicePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ShrinkThroughWindow, ShrinkThroughElementwise, ShrinkThroughPad,
               ComposeLeadingSlices, MergeIdenticalLeadingSlices>(
      patterns.getContext());
}

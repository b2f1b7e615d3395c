//===- SplitBySlices.cpp - One producer per slice of its channels -*- C++
//-*-===//
//
// Transformers project their tokens once for queries, keys and values (a
// fully connected layer of 3 x D outputs: PyTorch's MultiheadAttention, a
// MobileViT block) and cut the result into three along the channels. The
// whole projection then lives until its last slice is copied out, beside the
// copies: at the projection, four D-wide tensors where one would do. A
// producer that can compute any subset of its output channels, with the
// element-wise operators after it, computes each slice itself instead: the
// same values (each output channel's sum is unchanged), no copies, and each
// part dies when its readers are done. Channels no slice reads are not
// computed.
//
//===----------------------------------------------------------------------===//

#include "NormalizeUtils.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Support/DenseConstants.h"
#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

int64_t getChannels(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape().back();
}

/// The channels [begin, end) of a producer of `channels` output channels
/// that `slice` reads, when it reads them for every pixel. The slice's input
/// is the producer's result reshaped (in the same element order): its
/// trailing dimensions, from the first whose extents multiply to `channels`,
/// are the channels; a slice cutting one of them, reading the dimensions
/// after it whole and with only unit dimensions before it among the channel
/// dimensions, reads a contiguous range (PyTorch's qkv.reshape(B, N, 3, H,
/// D) then unbind(0) after a permute: a slice of the 3).
std::optional<std::pair<int64_t, int64_t>> getChannelRange(tosa::SliceOp slice,
                                                           int64_t channels) {
  SmallVector<int64_t> starts, sizes;
  ArrayRef<int64_t> shape = slice.getInput1().getType().getShape();
  if (!getConstantShape(slice.getStart(), starts) ||
      !getConstantShape(slice.getSize(), sizes) || shape.empty())
    return std::nullopt;
  int64_t rank = shape.size();
  int64_t first = rank, product = 1;
  while (first > 0 && product < channels)
    product *= shape[--first];
  if (product != channels)
    return std::nullopt;
  auto whole = [&](int64_t dim) {
    return starts[dim] == 0 && sizes[dim] == shape[dim];
  };
  for (int64_t dim = 0; dim < first; ++dim)
    if (!whole(dim))
      return std::nullopt;
  int64_t cut = first;
  while (cut < rank && shape[cut] == 1)
    ++cut;
  if (cut == rank || whole(cut) || sizes[cut] <= 0 ||
      starts[cut] + sizes[cut] > shape[cut])
    return std::nullopt;
  int64_t inner = 1;
  for (int64_t dim = cut + 1; dim < rank; ++dim) {
    if (!whole(dim))
      return std::nullopt;
    inner *= shape[dim];
  }
  return std::make_pair(starts[cut] * inner,
                        (starts[cut] + sizes[cut]) * inner);
}

/// `constant` cut to [start, start + size) along `dim`.
Value sliceConstant(OpBuilder &builder, Location loc, Value constant,
                    int64_t dim, int64_t start, int64_t size) {
  DenseElementsAttr attr;
  matchPattern(constant, m_Constant(&attr));
  DenseElementsAttr sliced = selectAlong(attr, dim, size, [&](int64_t index) {
    return index >= start && index < start + size;
  });
  return tosa::ConstOp::create(builder, loc, sliced.getType(), sliced);
}

/// A producer of several output channels (a convolution, a fully connected
/// layer), the element-wise operators computing its result further (a
/// rescale, a bias, a quantisation) and reshapes, each the only reader of the
/// one before, read only by slices of disjoint channel ranges: one producer
/// and chain per slice, reshaped to the slice's shape.
struct SplitProducerBySlices
    : OpInterfaceRewritePattern<PartialExecutionOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(PartialExecutionOpInterface producer,
                                PatternRewriter &rewriter) const override {
    if (!producer.hasProperty(PartialExecutionProperties::OutputSplittable) ||
        producer.getChannelGranularity() != 1 ||
        producer->getNumResults() != 1 || producer->getNumRegions() != 0)
      return failure();
    Value value = producer->getResult(0);
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.hasStaticShape() || type.getRank() == 0)
      return failure();
    int64_t channels = getChannels(value);
    if (!cutsOnlyConstants(producer, /*chainInput=*/nullptr, channels))
      return failure();

    // The chain each slice gets a copy of, producer first.
    SmallVector<Operation *> chain{producer};
    while (value.hasOneUse()) {
      Operation *user = *value.getUsers().begin();
      if (!isComputedPerChannel(user, value, channels))
        break;
      chain.push_back(user);
      value = user->getResult(0);
    }
    // Reshapes keep the element order: the slices see the result's channels
    // as its trailing dimensions.
    SmallVector<tosa::ReshapeOp> reshapes;
    while (value.hasOneUse()) {
      auto reshape = dyn_cast<tosa::ReshapeOp>(*value.getUsers().begin());
      if (!reshape || !reshape.getType().hasStaticShape())
        break;
      reshapes.push_back(reshape);
      value = reshape.getResult();
    }

    SmallVector<std::pair<tosa::SliceOp, std::pair<int64_t, int64_t>>> slices;
    for (Operation *user : value.getUsers()) {
      auto slice = dyn_cast<tosa::SliceOp>(user);
      std::optional<std::pair<int64_t, int64_t>> range =
          slice ? getChannelRange(slice, channels) : std::nullopt;
      if (!range)
        return failure();
      slices.push_back({slice, *range});
    }
    if (slices.empty())
      return failure();
    // Overlapping slices would compute their shared channels twice.
    llvm::sort(slices, [](const auto &a, const auto &b) {
      return a.second.first < b.second.first;
    });
    for (size_t i = 1; i < slices.size(); ++i)
      if (slices[i - 1].second.second > slices[i].second.first)
        return failure();

    for (auto [slice, range] : slices) {
      auto [begin, end] = range;
      int64_t size = end - begin;
      rewriter.setInsertionPoint(slice);
      IRMapping mapping;
      for (Operation *op : chain) {
        auto partial = cast<PartialExecutionOpInterface>(op);
        for (OpOperand &operand : op->getOpOperands()) {
          std::optional<int64_t> dim = partial.getSlicedOperandDim(
              operand.getOperandNumber(), SliceMode::Output);
          Value constant = operand.get();
          // Constants broadcast along the channels are read whole.
          if (dim && isConstantValue(constant) &&
              cast<RankedTensorType>(constant.getType()).getDimSize(*dim) ==
                  channels)
            mapping.map(constant, sliceConstant(rewriter, constant.getLoc(),
                                                constant, *dim, begin, size));
        }
        Operation *clone = rewriter.clone(*op, mapping);
        Value result = clone->getResult(0);
        auto resultType = cast<RankedTensorType>(result.getType());
        SmallVector<int64_t> shape(resultType.getShape());
        shape.back() = size;
        result.setType(resultType.clone(shape));
        mapping.clear();
        mapping.map(op->getResult(0), result);
      }
      Value part = mapping.lookup(chain.back()->getResult(0));
      if (part.getType() != slice.getType())
        part = tosa::ReshapeOp::create(
            rewriter, slice.getLoc(), slice.getType(), part,
            createConstantShape(rewriter, slice.getLoc(),
                                slice.getType().getShape()));
      rewriter.replaceOp(slice, part);
    }
    for (tosa::ReshapeOp reshape : llvm::reverse(reshapes))
      rewriter.eraseOp(reshape);
    for (Operation *op : llvm::reverse(chain))
      rewriter.eraseOp(op);
    return success();
  }

private:
  /// Whether the operands `op` cuts to compute a subset of its output
  /// channels are `chainInput` (cut by the operator before it) or constants:
  /// of the `channels` along the cut dimension, with elements known at
  /// compile time (cut then), or broadcast along it (read whole).
  static bool cutsOnlyConstants(PartialExecutionOpInterface op,
                                Value chainInput, int64_t channels) {
    return llvm::all_of(op->getOpOperands(), [&](OpOperand &operand) {
      Value value = operand.get();
      std::optional<int64_t> dim =
          op.getSlicedOperandDim(operand.getOperandNumber(), SliceMode::Output);
      if (value == chainInput || !dim)
        return true;
      auto type = dyn_cast<RankedTensorType>(value.getType());
      if (!type || !isConstantValue(value))
        return false;
      return type.getDimSize(*dim) != channels ||
             matchPattern(value, m_Constant<DenseElementsAttr>(nullptr));
    });
  }

  /// Whether `op` computes each channel of its result from that channel of
  /// `input` and constants: an element-wise operator of the result's channels
  /// whose other operands are constants.
  static bool isComputedPerChannel(Operation *op, Value input,
                                   int64_t channels) {
    auto partial = dyn_cast<PartialExecutionOpInterface>(op);
    if (!partial ||
        !partial.hasProperty(PartialExecutionProperties::Elementwise) ||
        op->getNumResults() != 1 || op->getNumRegions() != 0)
      return false;
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type ||
        type.getShape() != cast<RankedTensorType>(input.getType()).getShape())
      return false;
    return llvm::all_of(op->getOperands(),
                        [&](Value operand) {
                          return operand == input || isConstantValue(operand);
                        }) &&
           cutsOnlyConstants(partial, input, channels) &&
           getChannels(op->getResult(0)) == channels;
  }
};

} // namespace

void mlir::pex::populateSplitBySlicesPatterns(RewritePatternSet &patterns) {
  patterns.add<SplitProducerBySlices>(patterns.getContext());
}

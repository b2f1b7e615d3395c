//===- ConvolutionEmitters.cpp - TOSA conv2d, depthwise, matmul -*- C++ -*-===//
//
// Loop nests for the multiply-accumulate anchors. Every output element keeps
// its accumulator in a register: it starts at the bias, sums the products
// over the receptive field in (kh, kw, ic) order, as upstream's reference
// lowering does, and goes straight to the fused epilogue. Padding taps are
// skipped, which equals reading zero-point-valued padding.
//
//===----------------------------------------------------------------------===//

#include "BlockedWindow.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

FailureOr<Type> getAccumulatorType(Operation *op, TypeAttr accType) {
  Type type = accType.getValue();
  if (type.isInteger(32) || type.isF32())
    return type;
  return op->emitOpError("accumulator type ")
         << type << " is not supported; Pex accumulates in i32 or f32";
}

/// Zero points of two operands; floats have none.
FailureOr<std::pair<int64_t, int64_t>>
getZeroPoints(Operation *op, KernelOperands &operands, unsigned first) {
  DenseElementsAttr attr = operands.getConstant(first);
  if (attr && isa<FloatType>(attr.getElementType()))
    return std::pair<int64_t, int64_t>{0, 0};
  std::optional<int64_t> a = getIntConstant(operands, first);
  std::optional<int64_t> b = getIntConstant(operands, first + 1);
  if (!a || !b)
    return op->emitOpError("needs compile-time zero points");
  return std::pair<int64_t, int64_t>{*a, *b};
}

/// The bias of output channel `channel` (a bias of one element is shared).
Value loadBias(Operation *op, OpBuilder &builder, Location loc,
               KernelOperands &operands, unsigned index, Value channel) {
  auto type = cast<ShapedType>(op->getOperand(index).getType());
  Value position =
      type.getDimSize(0) == 1 ? constantIndex(builder, loc, 0) : channel;
  return operands.load(builder, loc, index, {position});
}

/// The value `multiplyAccumulate` reads from an operand with zero point
/// `zeroPoint`, widened to the accumulator's type.
Value widen(OpBuilder &builder, Location loc, Value value, Type accType,
            int64_t zeroPoint) {
  if (isa<FloatType>(accType))
    return value;
  Value wide = castInt(builder, loc, value, accType);
  if (zeroPoint == 0)
    return wide;
  return arith::SubIOp::create(builder, loc, wide,
                               constantInt(builder, loc, accType, zeroPoint));
}

/// The accumulator of an interior output starts at the bias minus
/// input_zp * sum(w - weight_zp) over its filter: then every tap adds
/// x * (w - weight_zp), one subtraction fewer per multiply-accumulate. Exact
/// in wrapping i32, and the interior reads no padding (which would hold
/// input_zp).
Value correctBias(OpBuilder &builder, Location loc, Value bias,
                  Value weightSum, int64_t inputZp) {
  Type type = bias.getType();
  Value correction = arith::MulIOp::create(
      builder, loc, weightSum, constantInt(builder, loc, type, inputZp));
  return arith::SubIOp::create(builder, loc, bias, correction);
}

/// The input row or column `o * stride - pad + offset`.
Value tapStart(OpBuilder &builder, Location loc, Value o, int64_t stride,
               int64_t pad, int64_t offset) {
  Value scaled = stride == 1 ? o
                             : arith::MulIOp::create(
                                   builder, loc, o,
                                   constantIndex(builder, loc, stride))
                                   .getResult();
  return addIndex(builder, loc, scaled, offset - pad);
}

/// What the convolution emitters share: the accumulator type, the zero
/// points and the window. The weights' kernel rows and columns are at
/// `kernelDim` and `kernelDim + 1`, and their dimension `channelDim` matches
/// the input's channels.
struct Convolution {
  Type accType;
  int64_t inputZp, weightZp;
  ShapedType weightType;
  ArrayRef<int64_t> outputShape, stride, pad, dilation;
  Window window;

  template <typename ConvOp>
  static FailureOr<Convolution> get(ConvOp conv, KernelOperands &operands,
                                    unsigned kernelDim, unsigned channelDim) {
    Operation *op = conv.getOperation();
    FailureOr<Type> accType = getAccumulatorType(op, conv.getAccTypeAttr());
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 3);
    if (failed(accType) || failed(zeroPoints))
      return failure();
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    auto weightType = cast<ShapedType>(conv.getWeight().getType());
    // TOSA's verifier does not compare them; a mismatch would read past the
    // input.
    if (weightType.getDimSize(channelDim) != inputType.getDimSize(3))
      return op->emitError()
             << "pex: the weights have " << weightType.getDimSize(channelDim)
             << " input channels but the input has " << inputType.getDimSize(3);
    return Convolution{*accType,
                       zeroPoints->first,
                       zeroPoints->second,
                       weightType,
                       cast<ShapedType>(conv.getType()).getShape(),
                       conv.getStride(),
                       conv.getPad(),
                       conv.getDilation(),
                       Window(inputType, weightType.getDimSize(kernelDim),
                              weightType.getDimSize(kernelDim + 1),
                              conv.getPad(), conv.getStride(),
                              conv.getDilation())};
  }

  /// The input row or column of output `o`'s tap `first`.
  Value firstTap(OpBuilder &builder, Location loc, Value o, unsigned dim,
                 int64_t first) const {
    return tapStart(builder, loc, o, stride[dim], pad[2 * dim],
                    first * dilation[dim]);
  }
};

/// Two output channels by two output columns per interior block: each input
/// load feeds two multiply-accumulates, and so does each weight load.
struct Conv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<Conv2DEmitter, tosa::Conv2DOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::Conv2DOp>(op);
    FailureOr<Convolution> geometry = Convolution::get(conv, operands,
                                                       /*kernelDim=*/1,
                                                       /*channelDim=*/3);
    if (failed(geometry))
      return failure();
    SmallVector<int64_t> filter{geometry->weightType.getDimSize(1),
                                geometry->weightType.getDimSize(2),
                                geometry->weightType.getDimSize(3)};
    WindowBlocking blocking{geometry->outputShape[3] % 2 == 0 ? 2 : 1, 2};

    // The block's output channels and their biases.
    auto channelBiases = [&](OpBuilder &b, Location loc, Value c) {
      SmallVector<Value> channels, biases;
      for (int64_t j = 0; j < blocking.channels; ++j) {
        channels.push_back(j == 0 ? c
                                  : arith::AddIOp::create(
                                        b, loc, c, constantIndex(b, loc, j))
                                        .getResult());
        biases.push_back(loadBias(op, b, loc, operands, 2, channels.back()));
      }
      return std::make_pair(channels, biases);
    };

    auto setup = [&](OpBuilder &b, Location loc, Value,
                     Value c) -> SmallVector<Value> {
      auto [channelList, biases] = channelBiases(b, loc, c);
      SmallVector<Value> channels = channelList;
      if (isa<FloatType>(geometry->accType) || geometry->inputZp == 0)
        return biases;
      SmallVector<Value> zeros(blocking.channels,
                               constantInt(b, loc, geometry->accType, 0));
      SmallVector<Value> sums = buildReductionNest(
          b, loc, filter, zeros,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            SmallVector<Value> next;
            for (auto [channel, sum] : llvm::zip(channels, carried)) {
              Value w = operands.load(rb, rl, 1, {channel, k[0], k[1], k[2]});
              next.push_back(arith::AddIOp::create(
                  rb, rl, sum,
                  widen(rb, rl, w, geometry->accType, geometry->weightZp)));
            }
            return next;
          });
      SmallVector<Value> corrected;
      for (auto [bias, sum] : llvm::zip(biases, sums))
        corrected.push_back(correctBias(b, loc, bias, sum, geometry->inputZp));
      return corrected;
    };

    // All taps: from the corrected biases, the input as it is. Border
    // outputs skip the taps outside (padding holds the zero point and adds
    // nothing): from the biases, the input less its zero point.
    auto interior = [&](OpBuilder &b, Location loc, ValueRange out,
                        int64_t columns, WindowTaps taps,
                        ValueRange setupValues) -> SmallVector<Value> {
      bool allTaps = taps.rows.begin == 0 && taps.rows.end == filter[0] &&
                     taps.cols.begin == 0 && taps.cols.end == filter[1];
      SmallVector<Value> biases(setupValues);
      if (!allTaps)
        biases = channelBiases(b, loc, out[3]).second;
      int64_t zeroPoint = allTaps ? 0 : geometry->inputZp;
      Value rowOrigin = geometry->firstTap(b, loc, out[1], 0, taps.rows.begin);
      SmallVector<Value> colOrigins, init;
      for (int64_t column = 0; column < columns; ++column) {
        colOrigins.push_back(geometry->firstTap(
            b, loc, addIndex(b, loc, out[2], column), 1, taps.cols.begin));
        llvm::append_range(init, biases);
      }
      return buildReductionNest(
          b, loc,
          {taps.rows.end - taps.rows.begin, taps.cols.end - taps.cols.begin,
           filter[2]},
          init,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            Value kh = addIndex(rb, rl, k[0], taps.rows.begin);
            Value kw = addIndex(rb, rl, k[1], taps.cols.begin);
            Value ih =
                scaledIndex(rb, rl, rowOrigin, k[0], geometry->dilation[0]);
            SmallVector<Value> xs, ws;
            for (Value origin : colOrigins)
              xs.push_back(operands.load(
                  rb, rl, 0,
                  {out[0], ih,
                   scaledIndex(rb, rl, origin, k[1], geometry->dilation[1]),
                   k[2]}));
            for (int64_t j = 0; j < blocking.channels; ++j)
              ws.push_back(operands.load(
                  rb, rl, 1, {addIndex(rb, rl, out[3], j), kh, kw, k[2]}));
            SmallVector<Value> next;
            for (auto [column, x] : llvm::enumerate(xs))
              for (auto [j, w] : llvm::enumerate(ws))
                next.push_back(multiplyAccumulate(
                    rb, rl, carried[column * blocking.channels + j], x,
                    zeroPoint, w, geometry->weightZp));
            return next;
          });
    };

    // The channel block at one column: each tap is checked once, each
    // input load feeds every channel.
    auto border = [&](OpBuilder &b, Location loc, ValueRange out) {
      SmallVector<Value> channels, biases;
      for (int64_t j = 0; j < blocking.channels; ++j) {
        channels.push_back(j == 0 ? out[3]
                                  : arith::AddIOp::create(
                                        b, loc, out[3], constantIndex(b, loc, j))
                                        .getResult());
        biases.push_back(loadBias(op, b, loc, operands, 2, channels.back()));
      }
      return geometry->window.accumulate(
          b, loc, out[1], out[2], biases,
          [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
              ValueRange carried) {
            return buildReductionNest(
                tb, tl, {filter[2]}, carried,
                [&](OpBuilder &cb, Location cl, ValueRange ic,
                    ValueRange sums) {
                  Value x = operands.load(
                      cb, cl, 0, {out[0], tap.inputH, tap.inputW, ic[0]});
                  SmallVector<Value> next;
                  for (auto [channel, sum] : llvm::zip(channels, sums)) {
                    Value w = operands.load(
                        cb, cl, 1,
                        {channel, tap.kernelH, tap.kernelW, ic[0]});
                    next.push_back(multiplyAccumulate(cb, cl, sum, x,
                                                      geometry->inputZp, w,
                                                      geometry->weightZp));
                  }
                  return next;
                });
          });
    };

    emitBlockedWindow(builder, op->getLoc(), geometry->outputShape,
                      geometry->window, blocking, setup, interior, border,
                      emitElement);
    return success();
  }
};

/// Depthwise weights are [KH, KW, C, M]: output channel c * M + m filters
/// input channel c. An interior block is one channel over four adjacent
/// columns: each weight load feeds four multiply-accumulates (there is no
/// input shared between channels).
struct DepthwiseConv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<DepthwiseConv2DEmitter,
                                              tosa::DepthwiseConv2DOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::DepthwiseConv2DOp>(op);
    FailureOr<Convolution> geometry = Convolution::get(conv, operands,
                                                       /*kernelDim=*/0,
                                                       /*channelDim=*/2);
    if (failed(geometry))
      return failure();
    SmallVector<int64_t> taps{geometry->weightType.getDimSize(0),
                              geometry->weightType.getDimSize(1)};
    int64_t multiplier = geometry->weightType.getDimSize(3);
    WindowBlocking blocking{1, 4};

    // The input channel and the copy of output channel `o`.
    auto source = [&](OpBuilder &b, Location loc,
                      Value o) -> std::pair<Value, Value> {
      if (multiplier == 1)
        return {o, constantIndex(b, loc, 0)};
      Value m = constantIndex(b, loc, multiplier);
      return {arith::DivUIOp::create(b, loc, o, m),
              arith::RemUIOp::create(b, loc, o, m)};
    };

    // The bias corrected for the input zero point.
    auto setup = [&](OpBuilder &b, Location loc, Value,
                     Value o) -> SmallVector<Value> {
      Value bias = loadBias(op, b, loc, operands, 2, o);
      if (isa<FloatType>(geometry->accType) || geometry->inputZp == 0)
        return {bias};
      auto [channel, copy] = source(b, loc, o);
      Value input = channel, filterCopy = copy;
      Value sum = buildReductionNest(
          b, loc, taps, {constantInt(b, loc, geometry->accType, 0)},
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            Value w =
                operands.load(rb, rl, 1, {k[0], k[1], input, filterCopy});
            return SmallVector<Value>{arith::AddIOp::create(
                rb, rl, carried[0],
                widen(rb, rl, w, geometry->accType, geometry->weightZp))};
          })[0];
      return {correctBias(b, loc, bias, sum, geometry->inputZp)};
    };

    // As for conv2d: all taps from the corrected bias, border outputs from
    // the bias with the input less its zero point.
    auto interior = [&](OpBuilder &b, Location loc, ValueRange out,
                        int64_t columns, WindowTaps range,
                        ValueRange setupValues) -> SmallVector<Value> {
      bool allTaps = range.rows.begin == 0 && range.rows.end == taps[0] &&
                     range.cols.begin == 0 && range.cols.end == taps[1];
      Value bias = allTaps ? setupValues[0]
                           : loadBias(op, b, loc, operands, 2, out[3]);
      int64_t zeroPoint = allTaps ? 0 : geometry->inputZp;
      std::pair<Value, Value> filterChannel = source(b, loc, out[3]);
      Value channel = filterChannel.first, copy = filterChannel.second;
      Value rowOrigin = geometry->firstTap(b, loc, out[1], 0, range.rows.begin);
      SmallVector<Value> colOrigins;
      for (int64_t column = 0; column < columns; ++column)
        colOrigins.push_back(geometry->firstTap(
            b, loc, addIndex(b, loc, out[2], column), 1, range.cols.begin));
      SmallVector<Value> init(columns, bias);
      return buildReductionNest(
          b, loc,
          {range.rows.end - range.rows.begin,
           range.cols.end - range.cols.begin},
          init,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            Value kh = addIndex(rb, rl, k[0], range.rows.begin);
            Value kw = addIndex(rb, rl, k[1], range.cols.begin);
            Value ih =
                scaledIndex(rb, rl, rowOrigin, k[0], geometry->dilation[0]);
            Value w = operands.load(rb, rl, 1, {kh, kw, channel, copy});
            SmallVector<Value> next;
            for (auto [origin, acc] : llvm::zip(colOrigins, carried)) {
              Value x = operands.load(
                  rb, rl, 0,
                  {out[0], ih,
                   scaledIndex(rb, rl, origin, k[1], geometry->dilation[1]),
                   channel});
              next.push_back(multiplyAccumulate(rb, rl, acc, x, zeroPoint, w,
                                                geometry->weightZp));
            }
            return next;
          });
    };

    auto border = [&](OpBuilder &b, Location loc,
                      ValueRange out) -> SmallVector<Value> {
      std::pair<Value, Value> filterChannel = source(b, loc, out[3]);
      Value channel = filterChannel.first, copy = filterChannel.second;
      Value bias = loadBias(op, b, loc, operands, 2, out[3]);
      return {geometry->window.accumulate(
          b, loc, out[1], out[2], bias,
          [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
              Value carried) {
            Value x = operands.load(
                tb, tl, 0, {out[0], tap.inputH, tap.inputW, channel});
            Value w = operands.load(
                tb, tl, 1, {tap.kernelH, tap.kernelW, channel, copy});
            return multiplyAccumulate(tb, tl, carried, x, geometry->inputZp, w,
                                      geometry->weightZp);
          })};
    };

    emitBlockedWindow(builder, op->getLoc(), geometry->outputShape,
                      geometry->window, blocking, setup, interior, border,
                      emitElement);
    return success();
  }
};

/// matmul [N, H, C] x [N, C, W] -> [N, H, W].
struct MatMulEmitter
    : KernelEmitterOpInterface::ExternalModel<MatMulEmitter, tosa::MatMulOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto matmul = cast<tosa::MatMulOp>(op);
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 2);
    if (failed(zeroPoints))
      return failure();
    int64_t aZp = zeroPoints->first, bZp = zeroPoints->second;
    auto outputType = cast<ShapedType>(matmul.getType());
    Type accType = outputType.getElementType();
    int64_t depth = cast<ShapedType>(matmul.getA().getType()).getDimSize(2);

    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value zero = isa<FloatType>(accType)
                           ? constantFloat(b, loc, accType, 0.0)
                           : constantInt(b, loc, accType, 0);
          Value acc = buildReductionNest(
              b, loc, {depth}, zero,
              [&](OpBuilder &cb, Location cl, ValueRange c, ValueRange sum) {
                Value a = operands.load(cb, cl, 0, {out[0], out[1], c[0]});
                Value bValue = operands.load(cb, cl, 1, {out[0], c[0], out[2]});
                return SmallVector<Value>{
                    multiplyAccumulate(cb, cl, sum[0], a, aZp, bValue, bZp)};
              })[0];
          emitElement(b, loc, out, acc);
        });
    return success();
  }
};

} // namespace

void emit::attachConvolutionEmitters(MLIRContext *context) {
  tosa::Conv2DOp::attachInterface<Conv2DEmitter>(*context);
  tosa::DepthwiseConv2DOp::attachInterface<DepthwiseConv2DEmitter>(*context);
  tosa::MatMulOp::attachInterface<MatMulEmitter>(*context);
}

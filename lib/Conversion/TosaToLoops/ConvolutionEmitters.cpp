//===- ConvolutionEmitters.cpp - TOSA conv2d, depthwise, matmul -*- C++ -*-===//
//
// Loop nests for the multiply-accumulate anchors. Every output element keeps
// its accumulator in a register: it starts at the bias, sums the products
// over the receptive field in (kh, kw, ic) order, as upstream's reference
// lowering does, and goes straight to the fused epilogue. Padding taps are
// skipped, which equals reading zero-point-valued padding.
//
//===----------------------------------------------------------------------===//

#include "EmitterUtils.h"
#include "Window.h"

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

struct Conv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<Conv2DEmitter, tosa::Conv2DOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::Conv2DOp>(op);
    FailureOr<Type> accType = getAccumulatorType(op, conv.getAccTypeAttr());
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 3);
    if (failed(accType) || failed(zeroPoints))
      return failure();
    auto [inputZp, weightZp] = *zeroPoints;
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    auto weightType = cast<ShapedType>(conv.getWeight().getType());
    Window window(inputType, weightType.getDimSize(1),
                  weightType.getDimSize(2), conv.getPad(), conv.getStride(),
                  conv.getDilation());
    int64_t inputChannels = weightType.getDimSize(3);

    buildLoopNest(
        builder, op->getLoc(), cast<ShapedType>(conv.getType()).getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value bias = loadBias(op, b, loc, operands, 2, out[3]);
          Value acc = window.accumulate(
              b, loc, out[1], out[2], bias,
              [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
                  Value carried) {
                return buildReductionNest(
                    tb, tl, {inputChannels}, carried,
                    [&](OpBuilder &cb, Location cl, ValueRange ic,
                        ValueRange sum) {
                      Value x = operands.load(
                          cb, cl, 0, {out[0], tap.inputH, tap.inputW, ic[0]});
                      Value w = operands.load(
                          cb, cl, 1, {out[3], tap.kernelH, tap.kernelW, ic[0]});
                      return SmallVector<Value>{multiplyAccumulate(
                          cb, cl, sum[0], x, inputZp, w, weightZp)};
                    })[0];
              });
          emitElement(b, loc, out, acc);
        });
    return success();
  }
};

/// Depthwise weights are [KH, KW, C, M]: output channel c * M + m filters
/// input channel c.
struct DepthwiseConv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<DepthwiseConv2DEmitter,
                                              tosa::DepthwiseConv2DOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::DepthwiseConv2DOp>(op);
    FailureOr<Type> accType = getAccumulatorType(op, conv.getAccTypeAttr());
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 3);
    if (failed(accType) || failed(zeroPoints))
      return failure();
    auto [inputZp, weightZp] = *zeroPoints;
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    auto weightType = cast<ShapedType>(conv.getWeight().getType());
    Window window(inputType, weightType.getDimSize(0),
                  weightType.getDimSize(1), conv.getPad(), conv.getStride(),
                  conv.getDilation());
    int64_t multiplier = weightType.getDimSize(3);

    buildLoopNest(
        builder, op->getLoc(), cast<ShapedType>(conv.getType()).getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value channel = out[3], copy = constantIndex(b, loc, 0);
          if (multiplier != 1) {
            Value m = constantIndex(b, loc, multiplier);
            channel = arith::DivUIOp::create(b, loc, out[3], m);
            copy = arith::RemUIOp::create(b, loc, out[3], m);
          }
          Value bias = loadBias(op, b, loc, operands, 2, out[3]);
          Value acc = window.accumulate(
              b, loc, out[1], out[2], bias,
              [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
                  Value carried) {
                Value x = operands.load(
                    tb, tl, 0, {out[0], tap.inputH, tap.inputW, channel});
                Value w = operands.load(
                    tb, tl, 1, {tap.kernelH, tap.kernelW, channel, copy});
                return multiplyAccumulate(tb, tl, carried, x, inputZp, w,
                                          weightZp);
              });
          emitElement(b, loc, out, acc);
        });
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
    auto [aZp, bZp] = *zeroPoints;
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

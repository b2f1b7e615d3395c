//===- ResizeEmitter.cpp - tosa.resize as a loop nest -----------*- C++ -*-===//
//
// TOSA 1.0's resize: output row oy reads input row y / scale_n with
// y = oy * scale_d + offset (a floor division; the remainder weighs the next
// row), rows clamped to the input; the same for the columns. Each output
// element is computed from at most four input elements: no intermediate
// tensor, unlike a resize decomposed into gathers and blends per axis.
//
//===----------------------------------------------------------------------===//

#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Where one output coordinate reads along one axis: the two neighbouring
/// input positions (clamped) and the remainder that weighs the second, in
/// 1/scale_n units.
struct AxisSample {
  Value first, second, remainder;
};

AxisSample sampleAxis(OpBuilder &b, Location loc, Value out, int64_t scaleN,
                      int64_t scaleD, int64_t offset, int64_t inputSize) {
  Value y = scaledIndex(b, loc, constantIndex(b, loc, offset), out, scaleD);
  Value scale = constantIndex(b, loc, scaleN);
  Value position = arith::FloorDivSIOp::create(b, loc, y, scale);
  Value remainder = arith::SubIOp::create(
      b, loc, y, arith::MulIOp::create(b, loc, position, scale));
  return {clampInt(b, loc, position, 0, inputSize - 1),
          clampInt(b, loc, addIndex(b, loc, position, 1), 0, inputSize - 1),
          remainder};
}

/// TOSA 1.0's bound on scale_n and scale_d (level 8k), which keeps an integer
/// bilinear sum of int8 values within i32.
constexpr int64_t kMaxScale = 1 << 11;

struct ResizeEmitter
    : KernelEmitterOpInterface::ExternalModel<ResizeEmitter, tosa::ResizeOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto resize = cast<tosa::ResizeOp>(op);
    FailureOr<SmallVector<int64_t>> scale =
        getShapeValues(op, resize.getScale());
    FailureOr<SmallVector<int64_t>> offset =
        getShapeValues(op, resize.getOffset());
    if (failed(scale) || failed(offset))
      return failure();
    auto inputType = cast<ShapedType>(resize.getInput().getType());
    auto outputType = cast<ShapedType>(resize.getOutput().getType());
    Type inElement = inputType.getElementType();
    Type outElement = outputType.getElementType();
    bool bilinear = resize.getMode() == tosa::ResizeMode::BILINEAR;
    bool isFloat = isa<FloatType>(inElement);
    for (int64_t factor : *scale)
      if (factor < 1 || factor > kMaxScale)
        return op->emitOpError("scale ")
               << factor << " is outside TOSA's [1, " << kMaxScale << "]";
    if (bilinear && !isFloat &&
        (!inElement.isInteger(8) || !outElement.isInteger(32)))
      return op->emitOpError("integer bilinear resize from ")
             << inElement << " to " << outElement
             << " is not supported (TOSA's integer form is i8 to i32)";
    ArrayRef<int64_t> inShape = inputType.getShape();
    int64_t scaleY = (*scale)[0], scaleX = (*scale)[2];
    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          AxisSample row = sampleAxis(b, loc, out[1], scaleY, (*scale)[1],
                                      (*offset)[0], inShape[1]);
          AxisSample column = sampleAxis(b, loc, out[2], scaleX, (*scale)[3],
                                         (*offset)[1], inShape[2]);
          auto read = [&](Value y, Value x) {
            return operands.load(b, loc, 0, {out[0], y, x, out[3]});
          };
          if (!bilinear) {
            // The nearest row: the next one from half a row on.
            auto nearest = [&](const AxisSample &s, int64_t unit) -> Value {
              Value twice = arith::MulIOp::create(b, loc, s.remainder,
                                                  constantIndex(b, loc, 2));
              Value next =
                  arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                        twice, constantIndex(b, loc, unit));
              return arith::SelectOp::create(b, loc, next, s.second, s.first);
            };
            emitElement(b, loc, out,
                        read(nearest(row, scaleY), nearest(column, scaleX)));
            return;
          }
          Value v00 = read(row.first, column.first);
          Value v01 = read(row.first, column.second);
          Value v10 = read(row.second, column.first);
          Value v11 = read(row.second, column.second);
          if (isFloat) {
            auto fraction = [&](Value remainder, int64_t unit) -> Value {
              Value asInt =
                  arith::IndexCastOp::create(b, loc, b.getI32Type(), remainder);
              Value asFloat = arith::SIToFPOp::create(b, loc, inElement, asInt);
              return arith::DivFOp::create(
                  b, loc, asFloat, constantFloat(b, loc, inElement, unit));
            };
            Value one = constantFloat(b, loc, inElement, 1.0);
            Value dy = fraction(row.remainder, scaleY);
            Value dx = fraction(column.remainder, scaleX);
            Value ry = arith::SubFOp::create(b, loc, one, dy);
            Value rx = arith::SubFOp::create(b, loc, one, dx);
            auto blend = [&](Value a, Value wa, Value c, Value wc) -> Value {
              return arith::AddFOp::create(
                  b, loc, arith::MulFOp::create(b, loc, a, wa),
                  arith::MulFOp::create(b, loc, c, wc));
            };
            emitElement(b, loc, out,
                        blend(blend(v00, rx, v01, dx), ry,
                              blend(v10, rx, v11, dx), dy));
            return;
          }
          // Integers: weights in 1/scale_n units, the sum scaled by
          // scale_y_n * scale_x_n (TOSA's i32 result).
          Type i32 = b.getI32Type();
          auto weight = [&](Value remainder) -> Value {
            return arith::IndexCastOp::create(b, loc, i32, remainder);
          };
          Value dy = weight(row.remainder), dx = weight(column.remainder);
          Value ry = arith::SubIOp::create(
              b, loc, constantInt(b, loc, i32, scaleY), dy);
          Value rx = arith::SubIOp::create(
              b, loc, constantInt(b, loc, i32, scaleX), dx);
          auto blend = [&](Value a, Value wa, Value c, Value wc) -> Value {
            return arith::AddIOp::create(b, loc,
                                         arith::MulIOp::create(b, loc, a, wa),
                                         arith::MulIOp::create(b, loc, c, wc));
          };
          auto wide = [&](Value v) { return castInt(b, loc, v, i32); };
          emitElement(b, loc, out,
                      blend(blend(wide(v00), rx, wide(v01), dx), ry,
                            blend(wide(v10), rx, wide(v11), dx), dy));
        });
    return success();
  }
};

} // namespace

void emit::attachResizeEmitter(MLIRContext *context) {
  tosa::ResizeOp::attachInterface<ResizeEmitter>(*context);
}

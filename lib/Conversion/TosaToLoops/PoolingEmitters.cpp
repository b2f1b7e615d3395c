//===- PoolingEmitters.cpp - TOSA avg_pool2d and max_pool2d -----*- C++ -*-===//

#include "EmitterUtils.h"
#include "Window.h"

#include "pex/Support/TosaArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <set>

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// avg_pool2d: the mean of the taps inside the input (padding excluded from
/// the count). Integers: sum of (x - input_zp), scaled by TOSA's reciprocal
/// of the count with single rounding, plus output_zp, saturated.
struct AvgPool2dEmitter
    : KernelEmitterOpInterface::ExternalModel<AvgPool2dEmitter,
                                              tosa::AvgPool2dOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto pool = cast<tosa::AvgPool2dOp>(op);
    auto inputType = cast<ShapedType>(pool.getInput().getType());
    auto outputType = cast<ShapedType>(pool.getType());
    Type elementType = outputType.getElementType();
    Type accType = pool.getAccType();
    bool isFloat = isa<FloatType>(elementType);
    if (!isFloat && !accType.isInteger(32))
      return op->emitOpError("accumulator type ")
             << accType << " is not supported; Pex accumulates in i32";
    std::optional<int64_t> inputZp = getIntConstant(operands, 1);
    std::optional<int64_t> outputZp = getIntConstant(operands, 2);
    if (!isFloat && (!inputZp || !outputZp))
      return op->emitOpError("needs compile-time zero points");
    Window window(inputType, pool.getKernel(), pool.getPad(),
                  pool.getStride());

    // The counts a window can have: the full kernel, or clipped by padding.
    std::set<int64_t> counts;
    for (int64_t rows = 1; rows <= window.getKernelH(); ++rows)
      for (int64_t cols = 1; cols <= window.getKernelW(); ++cols)
        if (window.isPadded() ||
            (rows == window.getKernelH() && cols == window.getKernelW()))
          counts.insert(rows * cols);

    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value zero = isFloat ? constantFloat(b, loc, accType, 0.0)
                               : constantInt(b, loc, accType, 0);
          Value sum = window.accumulate(
              b, loc, out[1], out[2], zero,
              [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
                  Value carried) -> Value {
                Value x = operands.load(
                    tb, tl, 0, {out[0], tap.inputH, tap.inputW, out[3]});
                if (isFloat)
                  return arith::AddFOp::create(tb, tl, carried, x);
                Value wide = castInt(tb, tl, x, accType);
                if (*inputZp != 0)
                  wide = arith::SubIOp::create(
                      tb, tl, wide, constantInt(tb, tl, accType, *inputZp));
                return arith::AddIOp::create(tb, tl, carried, wide);
              });
          Value count = window.countInside(b, loc, out[1], out[2]);
          Type i32 = b.getI32Type();
          Value count32 = arith::IndexCastOp::create(b, loc, i32, count);
          if (isFloat) {
            Value divisor = arith::SIToFPOp::create(b, loc, accType, count32);
            emitElement(b, loc, out,
                        arith::DivFOp::create(b, loc, sum, divisor));
            return;
          }
          // Select the count's multiplier and shift among the possible ones.
          Value multiplier, shift;
          for (int64_t possible : counts) {
            auto [m, s] = getReciprocalScale(possible);
            Value mValue = constantInt(b, loc, i32, m);
            Value sValue = constantInt(b, loc, b.getI8Type(), s);
            if (!multiplier) {
              multiplier = mValue;
              shift = sValue;
              continue;
            }
            Value is = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::eq, count32,
                constantInt(b, loc, i32, possible));
            multiplier = arith::SelectOp::create(b, loc, is, mValue, multiplier);
            shift = arith::SelectOp::create(b, loc, is, sValue, shift);
          }
          Value scaled = tosa::ApplyScaleOp::create(
              b, loc, i32, sum, multiplier, shift,
              tosa::RoundingModeAttr::get(b.getContext(),
                                          tosa::RoundingMode::SINGLE_ROUND));
          scaled = arith::AddIOp::create(b, loc, scaled,
                                         constantInt(b, loc, i32, *outputZp));
          scaled = clampInt(b, loc, scaled, minSigned(elementType),
                            maxSigned(elementType));
          emitElement(b, loc, out, castInt(b, loc, scaled, elementType));
        });
    return success();
  }
};

/// max_pool2d: the largest tap inside the input.
struct MaxPool2dEmitter
    : KernelEmitterOpInterface::ExternalModel<MaxPool2dEmitter,
                                              tosa::MaxPool2dOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto pool = cast<tosa::MaxPool2dOp>(op);
    auto inputType = cast<ShapedType>(pool.getInput().getType());
    auto outputType = cast<ShapedType>(pool.getType());
    Type elementType = outputType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    Window window(inputType, pool.getKernel(), pool.getPad(),
                  pool.getStride());
    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value lowest =
              isFloat ? constantFloat(b, loc, elementType,
                                      -std::numeric_limits<double>::infinity())
                      : constantInt(b, loc, elementType,
                                    minSigned(elementType));
          Value max = window.accumulate(
              b, loc, out[1], out[2], lowest,
              [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
                  Value carried) -> Value {
                Value x = operands.load(
                    tb, tl, 0, {out[0], tap.inputH, tap.inputW, out[3]});
                if (isFloat)
                  return arith::MaximumFOp::create(tb, tl, carried, x);
                return arith::MaxSIOp::create(tb, tl, carried, x);
              });
          emitElement(b, loc, out, max);
        });
    return success();
  }
};

} // namespace

void emit::attachPoolingEmitters(MLIRContext *context) {
  tosa::AvgPool2dOp::attachInterface<AvgPool2dEmitter>(*context);
  tosa::MaxPool2dOp::attachInterface<MaxPool2dEmitter>(*context);
}

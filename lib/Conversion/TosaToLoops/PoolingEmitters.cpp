//===- PoolingEmitters.cpp - TOSA avg_pool2d and max_pool2d -----*- C++ -*-===//

#include "EmitterUtils.h"
#include "Window.h"

#include "pex/Support/TosaArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// Bytes of stack the row of column maxima may take (as an im2col buffer).
constexpr int64_t kMaxColumnMaximaBytes = 2048;

/// The larger of two values, NaN propagating for floats.
Value maximum(OpBuilder &builder, Location loc, Value a, Value b) {
  if (isa<FloatType>(a.getType()))
    return arith::MaximumFOp::create(builder, loc, a, b);
  return arith::MaxSIOp::create(builder, loc, a, b);
}

/// The smallest value of `type`, which any tap replaces.
Value lowest(OpBuilder &builder, Location loc, Type type) {
  if (isa<FloatType>(type))
    return constantFloat(builder, loc, type,
                         -std::numeric_limits<double>::infinity());
  return constantInt(builder, loc, type, minSigned(type));
}

/// max_pool2d in two passes per output row, when that takes fewer maxima:
/// the maxima of the input rows the row's windows cover (clipped to the
/// input), column by column, into a buffer of one row (the first row
/// copied, the others folded in, each a loop over consecutive elements),
/// then each window's maximum over its columns of the buffer (interior
/// windows unrolled, border ones over their taps inside). At stride 1 a KH
/// x KW window costs KH + KW maxima instead of KH x KW (YOLO's SPPF, 5 x 5:
/// 10 instead of 25), without the check of every tap of a padded window.
/// The same values: the maximum is associative and commutative (NaN
/// propagating either way). False when the buffer would exceed
/// kMaxColumnMaximaBytes or the direct windows take fewer maxima.
bool emitSeparableMaxPool(tosa::MaxPool2dOp pool, OpBuilder &builder,
                          KernelOperands &operands,
                          ElementCallback emitElement) {
  auto inputType = cast<ShapedType>(pool.getInput().getType());
  auto outputType = cast<ShapedType>(pool.getType());
  Type elementType = outputType.getElementType();
  ArrayRef<int64_t> kernel = pool.getKernel(), stride = pool.getStride(),
                    pad = pool.getPad();
  int64_t batches = inputType.getDimSize(0), height = inputType.getDimSize(1),
          width = inputType.getDimSize(2), channels = inputType.getDimSize(3);
  int64_t outputH = outputType.getDimSize(1),
          outputW = outputType.getDimSize(2);
  int64_t bufferBytes =
      width * channels * elementType.getIntOrFloatBitWidth() / 8;
  if (bufferBytes > kMaxColumnMaximaBytes ||
      kernel[0] * width + kernel[1] * outputW >=
          kernel[0] * kernel[1] * outputW)
    return false;

  Location loc = pool.getLoc();
  Window window(inputType, kernel, pad, stride);
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  Value columnMaxima = memref::AllocaOp::create(
      entry, loc, MemRefType::get({width, channels}, elementType),
      builder.getI64IntegerAttr(4));
  auto loadColumn = [&](OpBuilder &b, Location l, Value iw, Value c) {
    return memref::LoadOp::create(b, l, columnMaxima, ValueRange{iw, c})
        .getResult();
  };
  // Output (n, oh, ow, c) from the buffer's columns [ow * s - pad + begin,
  // ow * s - pad + end), the taps inside the input.
  auto emitOutputs = [&](OpBuilder &b, Location l, Value n, Value oh, Value ow,
                         int64_t begin, int64_t end) {
    Value first = arith::SubIOp::create(
        b, l, arith::MulIOp::create(b, l, ow, constantIndex(b, l, stride[1])),
        constantIndex(b, l, pad[2]));
    buildLoopNest(
        b, l, {channels}, [&](OpBuilder &cb, Location cl, ValueRange c) {
          Value max = loadColumn(cb, cl, addIndex(cb, cl, first, begin), c[0]);
          for (int64_t kw = begin + 1; kw < end; ++kw)
            max =
                maximum(cb, cl, max,
                        loadColumn(cb, cl, addIndex(cb, cl, first, kw), c[0]));
          emitElement(cb, cl, {n, oh, ow, c[0]}, max);
        });
  };
  buildLoopNest(
      builder, loc, {batches, outputH},
      [&](OpBuilder &b, Location l, ValueRange row) {
        Value n = row[0], oh = row[1];
        Value start = arith::SubIOp::create(
            b, l,
            arith::MulIOp::create(b, l, oh, constantIndex(b, l, stride[0])),
            constantIndex(b, l, pad[0]));
        Value rowBegin =
            arith::MaxSIOp::create(b, l, start, constantIndex(b, l, 0));
        Value rowEnd =
            arith::MinSIOp::create(b, l, addIndex(b, l, start, kernel[0]),
                                   constantIndex(b, l, height));
        auto loadInput = [&](OpBuilder &ib, Location il, Value ih,
                             ValueRange column) {
          return operands.load(ib, il, 0, {n, ih, column[0], column[1]});
        };
        buildLoopNest(b, l, {width, channels},
                      [&](OpBuilder &cb, Location cl, ValueRange column) {
                        memref::StoreOp::create(
                            cb, cl, loadInput(cb, cl, rowBegin, column),
                            columnMaxima, column);
                      });
        scf::ForOp::create(
            b, l, addIndex(b, l, rowBegin, 1), rowEnd, constantIndex(b, l, 1),
            ValueRange{},
            [&](OpBuilder &rb, Location rl, Value ih, ValueRange) {
              buildLoopNest(
                  rb, rl, {width, channels},
                  [&](OpBuilder &cb, Location cl, ValueRange column) {
                    Value max = maximum(
                        cb, cl, loadColumn(cb, cl, column[0], column[1]),
                        loadInput(cb, cl, ih, column));
                    memref::StoreOp::create(cb, cl, max, columnMaxima, column);
                  });
              scf::YieldOp::create(rb, rl);
            });
        auto [interiorBegin, interiorEnd] = window.interior(1, outputW);
        for (int64_t ow = 0; ow < outputW; ++ow) {
          if (ow == interiorBegin && interiorBegin < interiorEnd) {
            scf::ForOp::create(
                b, l, constantIndex(b, l, interiorBegin),
                constantIndex(b, l, interiorEnd), constantIndex(b, l, 1),
                ValueRange{},
                [&](OpBuilder &ob, Location ol, Value interiorOw, ValueRange) {
                  emitOutputs(ob, ol, n, oh, interiorOw, 0, kernel[1]);
                  scf::YieldOp::create(ob, ol);
                });
            ow = interiorEnd - 1;
            continue;
          }
          auto [begin, end] = window.tapsInside(1, ow);
          emitOutputs(b, l, n, oh, constantIndex(b, l, ow), begin, end);
        }
      });
  return true;
}

/// max_pool2d: the largest tap inside the input.
struct MaxPool2dEmitter
    : KernelEmitterOpInterface::ExternalModel<MaxPool2dEmitter,
                                              tosa::MaxPool2dOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto pool = cast<tosa::MaxPool2dOp>(op);
    if (emitSeparableMaxPool(pool, builder, operands, emitElement))
      return success();
    auto inputType = cast<ShapedType>(pool.getInput().getType());
    auto outputType = cast<ShapedType>(pool.getType());
    Type elementType = outputType.getElementType();
    Window window(inputType, pool.getKernel(), pool.getPad(),
                  pool.getStride());
    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value max = window.accumulate(
              b, loc, out[1], out[2], lowest(b, loc, elementType),
              [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
                  Value carried) -> Value {
                Value x = operands.load(
                    tb, tl, 0, {out[0], tap.inputH, tap.inputW, out[3]});
                return maximum(tb, tl, carried, x);
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

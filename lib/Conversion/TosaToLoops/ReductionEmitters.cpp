//===- ReductionEmitters.cpp - TOSA reduce_sum/max/min/product --*- C++ -*-===//

#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

enum class Combine { Sum, Max, Min, Product };

/// Reduces the input along `axis` (kept as a size-1 dimension) in order.
template <typename OpTy, Combine kind>
struct ReduceEmitter
    : KernelEmitterOpInterface::ExternalModel<ReduceEmitter<OpTy, kind>,
                                              OpTy> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto reduce = cast<OpTy>(op);
    auto inputType = cast<ShapedType>(reduce.getInput().getType());
    auto outputType = cast<ShapedType>(reduce.getType());
    Type type = outputType.getElementType();
    bool isFloat = isa<FloatType>(type);
    int64_t axis = reduce.getAxis();
    buildLoopNest(
        builder, op->getLoc(), outputType.getShape(),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          Value init;
          if constexpr (kind == Combine::Sum)
            init = isFloat ? constantFloat(b, loc, type, 0.0)
                           : constantInt(b, loc, type, 0);
          else if constexpr (kind == Combine::Max)
            init = isFloat ? constantFloat(
                                 b, loc, type,
                                 -std::numeric_limits<double>::infinity())
                           : constantInt(b, loc, type, minSigned(type));
          else if constexpr (kind == Combine::Min)
            init = isFloat ? constantFloat(
                                 b, loc, type,
                                 std::numeric_limits<double>::infinity())
                           : constantInt(b, loc, type, maxSigned(type));
          else
            init = isFloat ? constantFloat(b, loc, type, 1.0)
                           : constantInt(b, loc, type, 1);
          Value result = buildReductionNest(
              b, loc, {inputType.getDimSize(axis)}, init,
              [&](OpBuilder &rb, Location rl, ValueRange r,
                  ValueRange carried) -> SmallVector<Value> {
                SmallVector<Value> in(out);
                in[axis] = r[0];
                Value x = operands.load(rb, rl, 0, in);
                Value acc = carried[0];
                if constexpr (kind == Combine::Sum)
                  return {isFloat ? arith::AddFOp::create(rb, rl, acc, x)
                                        .getResult()
                                  : arith::AddIOp::create(rb, rl, acc, x)
                                        .getResult()};
                else if constexpr (kind == Combine::Max)
                  return {isFloat ? arith::MaximumFOp::create(rb, rl, acc, x)
                                        .getResult()
                                  : arith::MaxSIOp::create(rb, rl, acc, x)
                                        .getResult()};
                else if constexpr (kind == Combine::Min)
                  return {isFloat ? arith::MinimumFOp::create(rb, rl, acc, x)
                                        .getResult()
                                  : arith::MinSIOp::create(rb, rl, acc, x)
                                        .getResult()};
                else
                  return {
                      isFloat
                          ? arith::MulFOp::create(rb, rl, acc, x).getResult()
                          : arith::MulIOp::create(rb, rl, acc, x).getResult()};
              })[0];
          emitElement(b, loc, out, result);
        });
    return success();
  }
};

} // namespace

void emit::attachReductionEmitters(MLIRContext *context) {
  tosa::ReduceSumOp::attachInterface<
      ReduceEmitter<tosa::ReduceSumOp, Combine::Sum>>(*context);
  tosa::ReduceMaxOp::attachInterface<
      ReduceEmitter<tosa::ReduceMaxOp, Combine::Max>>(*context);
  tosa::ReduceMinOp::attachInterface<
      ReduceEmitter<tosa::ReduceMinOp, Combine::Min>>(*context);
  tosa::ReduceProductOp::attachInterface<
      ReduceEmitter<tosa::ReduceProductOp, Combine::Product>>(*context);
}

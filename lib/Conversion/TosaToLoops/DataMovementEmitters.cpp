//===- DataMovementEmitters.cpp - transpose, pad, concat, ... ---*- C++ -*-===//
//
// Anchors that move elements without arithmetic: each output element is an
// input element (or the pad constant), handed to the fused epilogue.
//
//===----------------------------------------------------------------------===//

#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

ArrayRef<int64_t> getShape(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

struct TransposeEmitter
    : KernelEmitterOpInterface::ExternalModel<TransposeEmitter,
                                              tosa::TransposeOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto transpose = cast<tosa::TransposeOp>(op);
    ArrayRef<int32_t> perms = transpose.getPerms();
    buildLoopNest(builder, op->getLoc(), getShape(transpose.getResult()),
                  [&](OpBuilder &b, Location loc, ValueRange out) {
                    // Output dimension d is input dimension perms[d].
                    SmallVector<Value> in(out.size());
                    for (auto [d, p] : llvm::enumerate(perms))
                      in[p] = out[d];
                    emitElement(b, loc, out, operands.load(b, loc, 0, in));
                  });
    return success();
  }
};

struct PadEmitter
    : KernelEmitterOpInterface::ExternalModel<PadEmitter, tosa::PadOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto pad = cast<tosa::PadOp>(op);
    FailureOr<SmallVector<int64_t>> padding =
        getShapeValues(op, pad.getPadding());
    if (failed(padding))
      return failure();
    ArrayRef<int64_t> inputShape = getShape(pad.getInput1());
    buildLoopNest(
        builder, op->getLoc(), getShape(pad.getResult()),
        [&](OpBuilder &b, Location loc, ValueRange out) {
          SmallVector<Value> in;
          for (auto [d, index] : llvm::enumerate(out))
            in.push_back(arith::SubIOp::create(
                b, loc, index, constantIndex(b, loc, (*padding)[2 * d])));
          Value inside = buildInBounds(b, loc, in, inputShape);
          Value padValue = operands.load(b, loc, 2, {});
          Value value = buildIfYield(b, loc, inside, padValue,
                                     [&](OpBuilder &tb, Location tl) {
                                       return SmallVector<Value>{
                                           operands.load(tb, tl, 0, in)};
                                     })[0];
          emitElement(b, loc, out, value);
        });
    return success();
  }
};

struct SliceEmitter
    : KernelEmitterOpInterface::ExternalModel<SliceEmitter, tosa::SliceOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto slice = cast<tosa::SliceOp>(op);
    FailureOr<SmallVector<int64_t>> start = getShapeValues(op, slice.getStart());
    if (failed(start))
      return failure();
    buildLoopNest(builder, op->getLoc(), getShape(slice.getResult()),
                  [&](OpBuilder &b, Location loc, ValueRange out) {
                    SmallVector<Value> in;
                    for (auto [d, index] : llvm::enumerate(out))
                      in.push_back(arith::AddIOp::create(
                          b, loc, index, constantIndex(b, loc, (*start)[d])));
                    emitElement(b, loc, out, operands.load(b, loc, 0, in));
                  });
    return success();
  }
};

struct TileEmitter
    : KernelEmitterOpInterface::ExternalModel<TileEmitter, tosa::TileOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto tile = cast<tosa::TileOp>(op);
    ArrayRef<int64_t> inputShape = getShape(tile.getInput1());
    buildLoopNest(builder, op->getLoc(), getShape(tile.getResult()),
                  [&](OpBuilder &b, Location loc, ValueRange out) {
                    // A dimension of size 1 is broadcast: no remainder.
                    SmallVector<Value> in;
                    for (auto [d, index] : llvm::enumerate(out))
                      in.push_back(
                          inputShape[d] == 1
                              ? constantIndex(b, loc, 0)
                              : arith::RemUIOp::create(
                                    b, loc, index,
                                    constantIndex(b, loc, inputShape[d]))
                                    .getResult());
                    emitElement(b, loc, out, operands.load(b, loc, 0, in));
                  });
    return success();
  }
};

/// reverse: output index i along the axis reads input index size - 1 - i.
struct ReverseEmitter
    : KernelEmitterOpInterface::ExternalModel<ReverseEmitter,
                                              tosa::ReverseOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto reverse = cast<tosa::ReverseOp>(op);
    ArrayRef<int64_t> shape = getShape(reverse.getResult());
    int64_t axis = reverse.getAxis();
    buildLoopNest(builder, op->getLoc(), shape,
                  [&](OpBuilder &b, Location loc, ValueRange out) {
                    SmallVector<Value> in(out);
                    in[axis] = arith::SubIOp::create(
                        b, loc, constantIndex(b, loc, shape[axis] - 1),
                        out[axis]);
                    emitElement(b, loc, out, operands.load(b, loc, 0, in));
                  });
    return success();
  }
};

/// concat: one loop nest per input, writing at the input's offset along the
/// axis.
struct ConcatEmitter
    : KernelEmitterOpInterface::ExternalModel<ConcatEmitter, tosa::ConcatOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto concat = cast<tosa::ConcatOp>(op);
    int64_t axis = concat.getAxis();
    int64_t offset = 0;
    for (auto [position, input] : llvm::enumerate(concat.getInput1())) {
      unsigned index = position;
      ArrayRef<int64_t> shape = getShape(input);
      buildLoopNest(builder, op->getLoc(), shape,
                    [&](OpBuilder &b, Location loc, ValueRange in) {
                      SmallVector<Value> out(in);
                      out[axis] = arith::AddIOp::create(
                          b, loc, in[axis], constantIndex(b, loc, offset));
                      emitElement(b, loc, out,
                                  operands.load(b, loc, index, in));
                    });
      offset += shape[axis];
    }
    return success();
  }
};

/// gather: output [n, w, c] reads values [n, indices[n, w], c]. An index is
/// clamped into the table first: TOSA leaves an out-of-range index
/// unpredictable, and on a microcontroller it must not read past the table
/// (a token id the model never saw reads the nearest row instead).
struct GatherEmitter
    : KernelEmitterOpInterface::ExternalModel<GatherEmitter, tosa::GatherOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto gather = cast<tosa::GatherOp>(op);
    ArrayRef<int64_t> shape = getShape(gather.getOutput());
    int64_t rows = getShape(gather.getValues())[1];
    // The index is read and clamped once per row, outside the channel loop.
    buildLoopNest(
        builder, op->getLoc(), shape.take_front(2),
        [&](OpBuilder &b, Location loc, ValueRange position) {
          Value index = operands.load(b, loc, 1, position);
          Value row = arith::IndexCastOp::create(
              b, loc, b.getIndexType(), clampInt(b, loc, index, 0, rows - 1));
          buildLoopNest(
              b, loc, shape.drop_front(2),
              [&](OpBuilder &cb, Location cl, ValueRange channel) {
                Value out[] = {position[0], position[1], channel[0]};
                emitElement(
                    cb, cl, out,
                    operands.load(cb, cl, 0, {position[0], row, channel[0]}));
              });
        });
    return success();
  }
};

} // namespace

void emit::attachDataMovementEmitters(MLIRContext *context) {
  tosa::TransposeOp::attachInterface<TransposeEmitter>(*context);
  tosa::PadOp::attachInterface<PadEmitter>(*context);
  tosa::SliceOp::attachInterface<SliceEmitter>(*context);
  tosa::TileOp::attachInterface<TileEmitter>(*context);
  tosa::ReverseOp::attachInterface<ReverseEmitter>(*context);
  tosa::ConcatOp::attachInterface<ConcatEmitter>(*context);
  tosa::GatherOp::attachInterface<GatherEmitter>(*context);
}

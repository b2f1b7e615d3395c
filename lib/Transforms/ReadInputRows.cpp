//===- ReadInputRows.cpp - pex-read-input-rows ------------------*- C++ -*-===//
//
// With `pexc --io=stream` the application hands the model's input over row
// by row instead of passing a buffer holding all of it: the input argument
// becomes a pex.read_rows of every row, which the planner treats as any
// other producer (and pex-stream may take into a stream, reading one row at
// a time).
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace mlir::pex {
#define GEN_PASS_DEF_READINPUTROWS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

struct ReadInputRowsPass
    : public pex::impl::ReadInputRowsBase<ReadInputRowsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.isPublic())
      return;
    if (func.getNumArguments() != 1) {
      func.emitError() << "pex: reading the input row by row (--io=stream) "
                          "needs a model with one input, this one has "
                       << func.getNumArguments();
      return signalPassFailure();
    }
    BlockArgument input = func.getArgument(0);
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !type.hasStaticShape() || type.getRank() < 2) {
      func.emitError() << "pex: reading the input row by row (--io=stream) "
                          "needs a static input of rank 2 or more, got "
                       << input.getType();
      return signalPassFailure();
    }
    if (llvm::is_contained(func.getBody().front().getTerminator()->getOperands(),
                           input)) {
      func.emitError() << "pex: the model returns its input, which "
                          "--io=stream never holds in full";
      return signalPassFailure();
    }
    // Rows of the NHWC tensor the model computes with, when it only
    // reshapes a flat input: the same bytes, in the same order.
    Value replaced = input;
    if (input.hasOneUse())
      if (auto reshape = dyn_cast<tosa::ReshapeOp>(*input.getUsers().begin()))
        if (reshape.getType().getRank() == 4 &&
            reshape.getType().hasStaticShape())
          replaced = reshape.getResult();
    auto rowsType = cast<RankedTensorType>(replaced.getType());

    OpBuilder builder = OpBuilder::atBlockBegin(&func.getBody().front());
    Location loc = input.getLoc();
    Value empty = tensor::EmptyOp::create(builder, loc, rowsType.getShape(),
                                          rowsType.getElementType());
    Value first = arith::ConstantIndexOp::create(builder, loc, 0);
    auto read = ReadRowsOp::create(builder, loc, rowsType, empty, first);
    replaced.replaceAllUsesWith(read.getResult());
    if (Operation *reshape = replaced.getDefiningOp())
      reshape->erase();
    if (failed(func.eraseArgument(0)))
      return signalPassFailure();
  }
};

} // namespace

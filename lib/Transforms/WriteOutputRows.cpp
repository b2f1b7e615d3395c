//===- WriteOutputRows.cpp - pex-write-output-rows --------------*- C++ -*-===//
//
// With `pexc --io=stream` the application receives the model's output row
// by row instead of passing a buffer for all of it: the function's result
// becomes a pex.write_rows of every row at the end, whose operand the
// planner places in the arena like any other buffer (and pex-stream may
// take into a stream, writing each row as soon as it is computed).
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::pex {
#define GEN_PASS_DEF_WRITEOUTPUTROWS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

struct WriteOutputRowsPass
    : public pex::impl::WriteOutputRowsBase<WriteOutputRowsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.isPublic())
      return;
    if (func.getNumResults() != 1) {
      func.emitError() << "pex: writing the output row by row (--io=stream) "
                          "needs a model with one output, this one has "
                       << func.getNumResults();
      return signalPassFailure();
    }
    auto returnOp = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    Value output = returnOp.getOperand(0);
    auto type = dyn_cast<RankedTensorType>(output.getType());
    if (!type || !type.hasStaticShape()) {
      returnOp.emitError() << "pex: writing the output row by row "
                              "(--io=stream) needs a static output, got "
                           << output.getType();
      return signalPassFailure();
    }
    if (isa<BlockArgument>(output)) {
      returnOp.emitError() << "pex: the model returns its input, which "
                              "--io=stream never holds in full";
      return signalPassFailure();
    }
    // The rows leave the model as soon as they are written (by a stream,
    // one at a time): nothing else may read them after.
    for (Operation *user : output.getUsers())
      if (user != returnOp) {
        user->emitError() << "pex: this reads the model's output, which "
                             "--io=stream hands to the application row by "
                             "row and does not keep";
        return signalPassFailure();
      }

    OpBuilder builder(returnOp);
    Location loc = returnOp.getLoc();
    Value first = arith::ConstantIndexOp::create(builder, loc, 0);
    WriteRowsOp::create(builder, loc, output, first);
    returnOp->eraseOperands(0);
    if (failed(func.eraseResult(0)))
      return signalPassFailure();
  }
};

} // namespace

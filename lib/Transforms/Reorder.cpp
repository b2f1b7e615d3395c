//===- Reorder.cpp - pex-reorder --------------------------------*- C++ -*-===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Transforms/Passes.h"

namespace mlir::pex {
#define GEN_PASS_DEF_REORDER
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {
struct ReorderPass : public pex::impl::ReorderBase<ReorderPass> {
  using ReorderBase::ReorderBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    FailureOr<MemoryModel> model =
        MemoryModel::build(func, MemoryModel::Options{countIO});
    if (failed(model))
      return signalPassFailure();
    ScheduleSearchOptions options;
    options.maxStatesPerLayer = maxStates;
    ScheduleResult schedule = findMinimumPeakOrder(*model, options);
    // The search's incremental costs and the model's evaluation are two
    // computations of the same quantity; a mismatch is a bug in Pex.
    if (model->evaluate(schedule.searchOrder).peakBytes !=
        schedule.searchPeakBytes) {
      func.emitError() << "pex: internal error: scheduler and memory model "
                          "disagree on the peak";
      return signalPassFailure();
    }
    applyUnitOrder(*model, schedule.order);
  }
};
} // namespace

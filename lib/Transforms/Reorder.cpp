//===- Reorder.cpp - pex-reorder --------------------------------*- C++ -*-===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/Passes.h"
#include "pex/Transforms/UnitOrder.h"

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
    FailureOr<BufferGraph> model = BufferGraph::buildUnplanned(
        func, BufferGraphOptions{arenaIO, alignment});
    if (failed(model))
      return signalPassFailure();
    ScheduleSearchOptions options;
    options.maxStatesPerLayer = maxStates;
    ScheduleResult schedule = findMinimumPeakOrder(*model, options);
    // The search's incremental costs and the model's evaluation are two
    // computations of the same quantity; a mismatch is a bug in Pex.
    if (computeLiveness(*model, schedule.searchOrder,
                        /*peakCheckedSharing=*/false)
            .peakBytes != schedule.searchPeakBytes) {
      func.emitError() << "pex: internal error: scheduler and memory model "
                          "disagree on the peak";
      return signalPassFailure();
    }
    // A truncated search may miss the best order; say so unless the order
    // reaches the lower bound anyway.
    int64_t lowerBound = getLowerBound(*model);
    if (!schedule.optimal && schedule.peakBytes > lowerBound)
      // The pipeline reorders before and after grouping: the unit count
      // tells the two remarks apart.
      func.emitRemark() << "pex: the reordering search over "
                        << model->getUnits().size()
                        << " operators and groups kept "
                        << static_cast<unsigned>(maxStates)
                        << " sets of operators per step (a beam): the order "
                           "found peaks at "
                        << schedule.peakBytes
                        << " bytes and may not be the best; no order is below "
                        << lowerBound << " bytes (raise max-states)";
    applyUnitOrder(*model, schedule.order);
  }
};
} // namespace

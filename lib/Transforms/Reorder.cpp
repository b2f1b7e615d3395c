//===- Reorder.cpp - pex-reorder --------------------------------*- C++ -*-===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/Passes.h"

namespace mlir::pex {
#define GEN_PASS_DEF_REORDER
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {
/// Rewrites `func`'s body so that its units run in `order`: constants first,
/// then each unit's operations (and the views they read) in unit order.
void applyUnitOrder(const BufferGraph &model, ArrayRef<unsigned> order) {
  Block &block = model.getFunction().getBody().front();
  Operation *terminator = block.getTerminator();

  // Constants first, in their original order, so every unit can use them.
  SmallVector<Operation *> constants;
  for (Operation &op : block.without_terminator())
    if (op.hasTrait<OpTrait::ConstantLike>() ||
        (op.getNumResults() > 0 && llvm::all_of(op.getResults(), [](Value v) {
           return isConstantValue(v);
         })))
      constants.push_back(&op);

  llvm::DenseSet<Operation *> placed;
  auto place = [&](Operation *op) {
    placed.insert(op);
    op->moveBefore(terminator);
  };
  for (Operation *op : constants)
    place(op);

  // Operations that are not units (views) go right before their first user;
  // a loop's body reads them too.
  std::function<void(Operation *)> placeWithDependencies = [&](Operation *op) {
    if (placed.contains(op))
      return;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && def->getBlock() == &block && def != op &&
            !model.getUnitOf(def))
          placeWithDependencies(def);
    });
    place(op);
  };
  for (unsigned unit : order)
    for (Operation *op : model.getUnits()[unit].op.ops)
      placeWithDependencies(op);

  // Remaining operations (views nobody reads) keep their relative order.
  // Collected first: moving while iterating would visit them again.
  SmallVector<Operation *> rest;
  for (Operation &op : block.without_terminator())
    if (!placed.contains(&op))
      rest.push_back(&op);
  for (Operation *op : rest)
    op->moveBefore(terminator);
}

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

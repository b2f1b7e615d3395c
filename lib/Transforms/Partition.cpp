//===- Partition.cpp - pex-partition ----------------------------*- C++ -*-===//

#include "pex/Analysis/OpLabels.h"
#include "pex/Analysis/Partitioning.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/GroupBuilder.h"
#include "pex/Transforms/Passes.h"

namespace mlir::pex {
#define GEN_PASS_DEF_PARTITION
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

struct PartitionPass : public pex::impl::PartitionBase<PartitionPass> {
  using PartitionBase::PartitionBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    FailureOr<BufferGraph> model = BufferGraph::buildUnplanned(
        func, BufferGraphOptions{arenaIO, alignment});
    if (failed(model))
      return signalPassFailure();
    PartitionSearchOptions options;
    options.arenaBudget = arenaBudget;
    options.slices = slices;
    options.beamWidth = beamWidth;
    options.scheduling.maxStatesPerLayer = maxStates;
    PartitionResult result = choosePartition(*model, options);

    if (arenaBudget > 0 && result.peakAfter > arenaBudget) {
      reportUnmetBudget(result);
      return signalPassFailure();
    }
    OpBuilder builder(func);
    func->setAttr(kPeakBeforePartitionAttrName,
                  builder.getI64IntegerAttr(result.peakBefore));
    for (const GroupChoice &choice : result.groups)
      buildGroup(choice);
    if (failed(checkPrediction(func, result.peakAfter)))
      return signalPassFailure();
  }

  /// The memory model of the groups as built must give the peak the search
  /// predicted for them; anything else is a bug in Pex.
  LogicalResult checkPrediction(func::FuncOp func, int64_t predicted) {
    FailureOr<BufferGraph> built =
        BufferGraph::build(func, BufferGraphOptions{arenaIO, alignment});
    if (failed(built))
      return failure();
    ScheduleSearchOptions scheduling;
    scheduling.maxStatesPerLayer = maxStates;
    int64_t peak = findMinimumPeakOrder(*built, scheduling).peakBytes;
    if (peak == predicted)
      return success();
    return func.emitError() << "pex: internal error: the groups were "
                               "predicted to peak at "
                            << predicted << " bytes but peak at " << peak;
  }

  void reportUnmetBudget(const PartitionResult &result) {
    const BufferGraph &model = *result.model;
    ScheduleLiveness eval = computeLiveness(model, result.order);
    Operation *op = eval.getPeakOp(model.getFunction());
    std::optional<unsigned> largest;
    for (auto [index, buffer] : llvm::enumerate(model.getBuffers()))
      if (eval.isLive(index, eval.peakStep) && buffer.bytes > 0 &&
          model.counts(buffer) &&
          (!largest || buffer.bytes > model.getBuffers()[*largest].bytes))
        largest = index;
    InFlightDiagnostic diag =
        op->emitError() << "pex: arena budget of "
                        << static_cast<int64_t>(arenaBudget)
                        << " bytes cannot be met: the peak is "
                        << result.peakAfter << " bytes at " << getOpLabel(op);
    if (largest)
      diag << ", where the largest live tensor is "
           << model.describeBuffer(*largest) << " ("
           << model.getBuffers()[*largest].exactBytes << " bytes)";
  }
};
} // namespace

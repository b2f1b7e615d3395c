//===- Stream.cpp - pex-stream ----------------------------------*- C++ -*-===//
//
// Chooses the chains of operators that run row by row (pex.stream) where that
// lowers the schedule's peak. Candidates are the chains of logical operators
// in which each operator's result is read only by the next one (which may
// also read the chain's input: a residual's skip); each candidate sub-chain
// is measured by the memory model on a copy of the function with the chain
// streamed (the liveness every other planner pass uses), and the one with
// the lowest peak (then the fewest live bytes over all steps) is kept,
// until no stream lowers the peak, or, under an arena budget, until the
// function fits (with the channel splitting pex-partition will add).
//
//===----------------------------------------------------------------------===//

#include "pex/Analysis/Liveness.h"
#include "pex/Analysis/Partitioning.h"
#include "pex/Analysis/RowStreaming.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/ScopeExit.h"

namespace mlir::pex {
#define GEN_PASS_DEF_STREAM
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The tensor the first operator of a stream reads: none for the read of
/// the input's rows.
Value getStreamInput(const LogicalOperator &first) {
  if (isReadOfAllRows(first))
    return Value();
  return getOnlyActivation(first).value_or(Value());
}

/// Wraps `chain` (logical operators, each reading the previous one's result
/// alone) into a pex.stream at the place of its last operation. A chain
/// ending in the write of the output's rows makes a stream without result:
/// it writes each row as it computes it.
StreamOp wrapInStream(ArrayRef<LogicalOperator> chain,
                      ArrayRef<int64_t> lineRows) {
  Operation *sink = chain.back().getSink();
  Value input = getStreamInput(chain.front());
  Value result = isWriteOfAllRows(chain.back()) ? Value() : sink->getResult(0);
  OpBuilder builder(sink->getContext());
  builder.setInsertionPointAfter(sink);
  auto stream =
      StreamOp::create(builder, sink->getLoc(),
                       result ? result.getType() : Type(), input, lineRows);
  SmallVector<Type> argTypes;
  SmallVector<Location> argLocs;
  if (input) {
    argTypes.push_back(input.getType());
    argLocs.push_back(input.getLoc());
  }
  Block *body = builder.createBlock(&stream.getBody(), {}, argTypes, argLocs);
  for (const LogicalOperator &op : chain)
    for (Operation *member : op.ops)
      member->moveBefore(body, body->end());
  if (input)
    input.replaceUsesWithIf(body->getArgument(0), [&](OpOperand &use) {
      return use.getOwner()->getBlock() == body;
    });
  builder.setInsertionPointToEnd(body);
  YieldOp::create(builder, sink->getLoc(),
                  result ? ValueRange(result) : ValueRange());
  if (result)
    result.replaceUsesWithIf(stream.getResult(), [&](OpOperand &use) {
      return use.getOwner()->getBlock() != body;
    });
  return stream;
}

/// What a schedule costs: its peak, then the steps at the peak (where
/// several blocks reach it, streaming one is progress), then the sum of its
/// steps' live bytes (a stream ending where its result is smallest wins over
/// one that only lowers the peak as much).
struct ScheduleCost {
  int64_t peak = 0, stepsAtPeak = 0, liveBytesSum = 0;
  bool lowersPeakOf(const ScheduleCost &other) const {
    return std::tie(peak, stepsAtPeak) <
           std::tie(other.peak, other.stepsAtPeak);
  }
  bool operator<(const ScheduleCost &other) const {
    return std::tie(peak, stepsAtPeak, liveBytesSum) <
           std::tie(other.peak, other.stepsAtPeak, other.liveBytesSum);
  }
};

ScheduleCost getCost(const BufferGraph &graph) {
  ScheduleLiveness liveness = computeLiveness(graph, graph.getProgramOrder());
  ScheduleCost cost{liveness.peakBytes, 0, 0};
  for (const ScheduleStep &step : liveness.steps) {
    cost.stepsAtPeak += step.liveBytes == liveness.peakBytes;
    cost.liveBytesSum += step.liveBytes;
  }
  return cost;
}

/// A sub-chain [begin, end) of a maximal chain and its schedule's line
/// buffers.
struct StreamChoice {
  unsigned chain = 0, begin = 0, end = 0;
  SmallVector<int64_t> lineRows;
  ScheduleCost cost;
};

struct StreamPass : public pex::impl::StreamBase<StreamPass> {
  using StreamBase::StreamBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    BufferGraphOptions options{arenaIO, alignment};
    while (true) {
      FailureOr<BufferGraph> graph = BufferGraph::buildUnplanned(func, options);
      if (failed(graph))
        return signalPassFailure();
      ScheduleCost current = getCost(*graph);
      if (arenaBudget > 0 && fitsBudget(*graph, current))
        return;
      SmallVector<SmallVector<LogicalOperator>> chains = findChains(*graph);
      std::optional<StreamChoice> best;
      for (auto [index, chain] : llvm::enumerate(chains))
        for (unsigned begin = 0; begin < chain.size(); ++begin)
          for (unsigned end = begin + 1; end <= chain.size(); ++end) {
            ArrayRef<LogicalOperator> part =
                ArrayRef(chain).slice(begin, end - begin);
            std::string whyNot;
            FailureOr<SmallVector<StreamStage>> stages =
                getStreamStages(part, getStreamInput(part.front()), whyNot);
            // A longer chain only adds operators that cannot stream.
            if (failed(stages))
              break;
            if (part.size() < 2)
              continue;
            StreamChoice choice{static_cast<unsigned>(index), begin, end,
                                scheduleRows(*stages).lineRows, {}};
            FailureOr<ScheduleCost> cost = measure(func, part, choice);
            if (failed(cost))
              return signalPassFailure();
            choice.cost = *cost;
            // Only a stream that lowers the peak is worth its overhead.
            if (choice.cost.lowersPeakOf(current) &&
                (!best || choice.cost < best->cost))
              best = std::move(choice);
          }
      if (!best)
        return;
      wrapInStream(ArrayRef(chains[best->chain])
                       .slice(best->begin, best->end - best->begin),
                   best->lineRows);
    }
  }

  /// Whether `graph` (of cost `current`) fits the arena budget, after the
  /// channel splitting pex-partition would choose when it runs.
  bool fitsBudget(const BufferGraph &graph, const ScheduleCost &current) {
    if (current.peak <= arenaBudget)
      return true;
    if (!partial)
      return false;
    PartitionSearchOptions options;
    options.arenaBudget = arenaBudget;
    options.scheduling.maxStatesPerLayer = maxStates;
    return choosePartition(graph, options).peakAfter <= arenaBudget;
  }

  /// Maximal chains in program order: each operator's result is read only
  /// by the next, which reads at most one other activation (a skip).
  SmallVector<SmallVector<LogicalOperator>>
  findChains(const BufferGraph &graph) {
    ArrayRef<BufferGraph::Unit> units = graph.getUnits();
    ArrayRef<BufferGraph::Buffer> buffers = graph.getBuffers();
    // The unit that continues each unit's chain.
    SmallVector<std::optional<unsigned>> next(units.size());
    SmallVector<bool> hasPrevious(units.size(), false);
    for (auto [index, unit] : llvm::enumerate(units)) {
      if (unit.group || unit.outputs.size() != 1)
        continue;
      const BufferGraph::Buffer &output = buffers[unit.outputs.front()];
      if (output.isResult || output.consumers.size() != 1 ||
          output.value != unit.op.getSink()->getResult(0))
        continue;
      unsigned consumer = output.consumers.front();
      const BufferGraph::Unit &reader = units[consumer];
      // The reader may also read another activation: a residual's skip,
      // streamed when it is the stream's input (getStreamStages checks).
      SmallVector<Value> activations = getActivations(reader.op);
      if (reader.group || !llvm::is_contained(activations, output.value) ||
          activations.size() > 2 || graph.computesInState(consumer))
        continue;
      next[index] = consumer;
      hasPrevious[consumer] = true;
    }
    SmallVector<SmallVector<LogicalOperator>> chains;
    for (auto [index, unit] : llvm::enumerate(units)) {
      if (hasPrevious[index] || !next[index] || unit.group ||
          (!isReadOfAllRows(unit.op) && !getOnlyActivation(unit.op)))
        continue;
      SmallVector<LogicalOperator> &chain = chains.emplace_back();
      for (std::optional<unsigned> at = index; at; at = next[*at])
        chain.push_back(units[*at].op);
    }
    return chains;
  }

  /// The cost of `func` with `part` streamed, measured on a copy.
  FailureOr<ScheduleCost> measure(func::FuncOp func,
                                  ArrayRef<LogicalOperator> part,
                                  const StreamChoice &choice) {
    // A copy outside the module: a function pass may not add functions.
    IRMapping mapping;
    auto copy = cast<func::FuncOp>(func->clone(mapping));
    llvm::scope_exit cleanup([&] { copy.erase(); });
    SmallVector<LogicalOperator> copied;
    for (const LogicalOperator &op : part) {
      LogicalOperator &clone = copied.emplace_back();
      for (Operation *member : op.ops)
        clone.ops.push_back(mapping.lookup(member));
      clone.anchor = op.anchor ? mapping.lookup(op.anchor) : nullptr;
    }
    wrapInStream(copied, choice.lineRows);
    FailureOr<BufferGraph> graph = BufferGraph::buildUnplanned(
        copy, BufferGraphOptions{arenaIO, alignment});
    if (failed(graph))
      return failure();
    return getCost(*graph);
  }
};

} // namespace

//===- Liveness.h - Live bytes of a schedule --------------------*- C++ -*-===//
//
// For a buffer graph and an execution order (a schedule), which buffers are
// live at each step and how many bytes they hold: the one liveness analysis
// that the scheduler, the partitioner, the reports and the arena placement
// all use. See docs/memory-model.md.
//
// * A buffer is live from the step that writes it to its last reader. Group
//   bodies are loops: a buffer from outside that the body reads, and any
//   result or accumulator the body writes, is live for the whole body.
// * An element-wise unit whose input dies at it writes its output over that
//   input (in place) when they have the same size and neither is the
//   function's input or output. A group's epilogue does the same over a
//   whole input or its accumulator. Such buffers share one storage.
// * An operand of a concatenation may be computed in its slice of the
//   concatenation's result, whose storage then lives from the first such
//   operand's step: per concatenation, the first operand joined (all later
//   ones joining too) that gives the lowest peak, none if each raises it;
//   other readers of an operand must run before the next one joined.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_LIVENESS_H
#define PEX_ANALYSIS_LIVENESS_H

#include "pex/Analysis/BufferGraph.h"

#include "llvm/ADT/BitVector.h"

namespace mlir::pex {

/// One step of a schedule.
struct ScheduleStep {
  unsigned unit;
  /// Internal step of a group unit (0 otherwise).
  unsigned internalStep = 0;
  int64_t liveBytes = 0;
  /// The logical operator executed at this step.
  const LogicalOperator *op = nullptr;
};

/// The memory use of one execution order.
struct ScheduleLiveness {
  SmallVector<unsigned> order;
  SmallVector<ScheduleStep> steps;
  /// Per buffer: inclusive step interval; buffers written in place over
  /// another share its storage and point to it in `storageOf`, starting
  /// `offsetInStorage` bytes into it (a stream's result over its input's
  /// consumed rows; 0 otherwise).
  SmallVector<std::pair<unsigned, unsigned>> lifetimes;
  SmallVector<unsigned> storageOf;
  SmallVector<int64_t> offsetInStorage;
  /// A unit's result written over a wider input from the input's first byte
  /// (BufferGraph::Unit::overwritableInput), or a body's temporary over a
  /// wider one (GroupProfile::overWiderTemporary), where the input dies: their
  /// storages stay apart but start at one offset, sharing the result's
  /// storage bytes at `step`.
  struct Overwrite {
    unsigned result, input, step;
  };
  SmallVector<Overwrite> overwrites;
  int64_t peakBytes = 0;
  unsigned peakStep = 0;

  bool isLive(unsigned buffer, unsigned step) const {
    return lifetimes[buffer].first <= step && step <= lifetimes[buffer].second;
  }
  /// The operation diagnostics about the peak point at: the peak step's,
  /// or `func` when the function has no step (it only returns an input).
  Operation *getPeakOp(func::FuncOp func) const {
    return steps.empty() ? func.getOperation()
                         : steps[peakStep].op->getRepresentative();
  }
};

/// The liveness of `graph`'s buffers when its units run in `order` (a
/// topological order of all units). `peakCheckedSharing`: the storages that
/// are shared only where that does not raise the peak, as the arena planner
/// shares them: streams' results over their inputs' consumed rows
/// (BufferGraph::GroupProfile::resultOverInput), then operands computed in
/// their slice of a concatenation's result (Buffer::concatenatedInto).
ScheduleLiveness computeLiveness(const BufferGraph &graph,
                                 ArrayRef<unsigned> order,
                                 bool peakCheckedSharing = true);

/// Whether `live` computes `buffer` in its slice of the concatenation's
/// result that reads it (the two share a storage): the concatenation then
/// copies nothing of it.
bool isComputedInConcatenation(const BufferGraph &graph,
                               const ScheduleLiveness &live, unsigned buffer);

/// Bytes live while `unit` runs after the units in `executed` (a
/// downward-closed set), given `liveBefore` bytes live before it: the
/// incremental form of computeLiveness (without peak-checked sharing,
/// choices that depend on the whole schedule's peak) used by the scheduler.
/// Also returns the bytes live after it.
std::pair<int64_t, int64_t> getUnitCost(const BufferGraph &graph, unsigned unit,
                                        const llvm::BitVector &executed,
                                        int64_t liveBefore);

/// Bytes live before any unit runs (the counted function arguments).
int64_t getInitialBytes(const BufferGraph &graph);

/// Bytes that must be live at some step in any order: the largest working
/// set of a single unit (its inputs, outputs and internal buffers).
int64_t getLowerBound(const BufferGraph &graph);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_LIVENESS_H

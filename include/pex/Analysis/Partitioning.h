//===- Partitioning.h - Choosing channel-split groups -----------*- C++ -*-===//
//
// Which chains of logical operators can run as a loop over channel slices,
// and which of them, with which slice counts, lower the peak the most. All
// figures come from the liveness of the simulated graph (simulateGroup), so the
// plan's peak is the peak of the IR pex-partition builds from it.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_PARTITIONING_H
#define PEX_ANALYSIS_PARTITIONING_H

#include "pex/Analysis/BufferGraph.h"
#include "pex/Analysis/Liveness.h"
#include "pex/Analysis/Scheduler.h"

namespace mlir::pex {

/// How pex-partition would run a chain of units as a group: `chain` lists
/// the units in order (the first produces or receives the slices, the
/// others are channel-local, and with `accumulates` the last consumes the
/// slice); `channels` are cut into slices of `sliceSize`. A chain through
/// grouped convolutions has their group width as `granularity` and runs one
/// group per slice.
struct GroupPlan {
  SmallVector<unsigned> chain;
  bool accumulates = false;
  int64_t channels = 0;
  int64_t sliceSize = 0;
  int64_t granularity = 1;
};

/// The buffer graph of the same function with `plan`'s chain run as a
/// group: the graph of the IR that pex-partition builds for `plan`. The
/// chain's units are replaced by one group unit, placed where the chain's
/// last unit was (unit indices after it shift down by the chain's length
/// minus one). The result describes no IR (its operations are the chain's).
BufferGraph simulateGroup(const BufferGraph &graph, const GroupPlan &plan);
/// Where a unit of a graph is in `simulateGroup(graph, plan)`.
unsigned mapUnitAfterGroup(const GroupPlan &plan, unsigned unit);

/// A chain to run as a group, by its logical operators (stable across
/// models), and its slicing.
struct GroupChoice {
  SmallVector<LogicalOperator> chain;
  bool accumulates = false;
  int64_t channels = 0;
  int64_t slices = 0;
  int64_t granularity = 1;

  int64_t getSliceSize() const { return (channels + slices - 1) / slices; }
};

/// The chains of `model`'s units that may run as groups: a first unit that
/// can produce a slice of its output channels (or is channel-local and reads
/// a sliced input), then channel-local units, each tensor between them read
/// only by the next one; ending either there (the last tensor is assembled
/// slice by slice) or in a unit whose anchor accumulates input-channel
/// slices (its epilogue runs after the last slice). Units that are already
/// groups are never part of a chain.
SmallVector<GroupPlan> findGroupChains(const BufferGraph &model);

struct PartitionSearchOptions {
  /// Stop as soon as the peak is at most this many bytes (0: minimise).
  int64_t arenaBudget = 0;
  /// Give every group this many slices (or as many as it has channels)
  /// instead of choosing; 0 chooses.
  int64_t slices = 0;
  /// Plans extended each round of the search (1: the greedy plan alone).
  unsigned beamWidth = 4;
  ScheduleSearchOptions scheduling;
};

struct PartitionResult {
  SmallVector<GroupChoice> groups;
  /// The model with every chosen group, and its best order.
  std::optional<BufferGraph> model;
  SmallVector<unsigned> order;
  int64_t peakBefore = 0, peakAfter = 0;
};

/// Chooses groups by a beam search: each round extends each of the best
/// `beamWidth` plans by one chain and slice count that lowers its peak
/// (ties: fewer steps at the peak), until no choice helps or a plan meets
/// the budget. The greedy plan (each round the choice that lowers the peak
/// the most) is always among them and is kept unless another plan has a
/// lower peak or meets the budget it misses. Then groups the final peak (or
/// the budget) does not need are dropped, and each group gets the fewest
/// slices that keep it.
PartitionResult choosePartition(const BufferGraph &model,
                                const PartitionSearchOptions &options);

/// Why partial execution leaves the largest tensors live at the peak of
/// `eval` whole: one sentence per tensor, largest first (at most `limit`),
/// naming the operators in the way ("the result of 'a' is also read by 'b'
/// outside the chain", "'c' is not channel-local", "splitting needs an
/// accumulator of N bytes, larger than the tensor").
SmallVector<std::string> explainPeak(const BufferGraph &model,
                                     const ScheduleLiveness &eval,
                                     unsigned limit = 3);

/// The model with `groups` (chosen for `model`'s function) applied in order.
BufferGraph applyGroups(const BufferGraph &model, ArrayRef<GroupChoice> groups);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_PARTITIONING_H

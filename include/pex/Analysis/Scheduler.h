//===- Scheduler.h - Execution order that minimises the peak ----*- C++ -*-===//
//
// Searches the topological orders of a function's units for the one with the
// smallest peak of live bytes. The search runs forward over layers of
// executed-unit sets: the bytes live after a set do not depend on the order
// in which it was executed, so one entry per set (the smallest peak that
// reaches it) is enough, which makes the search exact. When a layer holds
// more sets than the state budget, only the best ones are kept (a beam) and
// the result is no longer guaranteed optimal.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_SCHEDULER_H
#define PEX_ANALYSIS_SCHEDULER_H

#include "pex/Analysis/Liveness.h"

namespace mlir::pex {

struct ScheduleSearchOptions {
  /// Executed-unit sets kept per layer; beyond it the search becomes a beam.
  unsigned maxStatesPerLayer = 4096;
};

struct ScheduleResult {
  SmallVector<unsigned> order;
  int64_t peakBytes = 0;
  /// The peak the search computed incrementally for its best order; equals
  /// the memory model's evaluation of that order (checked by the passes).
  int64_t searchPeakBytes = 0;
  SmallVector<unsigned> searchOrder;
  /// True when no layer was truncated: no order has a smaller peak.
  bool optimal = true;
  /// Executed-unit sets visited.
  uint64_t statesVisited = 0;
};

/// The order of `model`'s units with the smallest peak found; never worse
/// than the program order.
ScheduleResult findMinimumPeakOrder(const BufferGraph &model,
                                    const ScheduleSearchOptions &options = {});

} // namespace mlir::pex

#endif // PEX_ANALYSIS_SCHEDULER_H

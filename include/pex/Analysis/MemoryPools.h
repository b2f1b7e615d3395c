//===- MemoryPools.h - What the memory pools' placement weighs --*- C++ -*-===//
//
// The figures pex-plan-arena splits the arena over memory pools by, and the
// reports show: how often a run touches each buffer, and where the plan put
// it. The placement itself is ArenaPacking.h's.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_MEMORYPOOLS_H
#define PEX_ANALYSIS_MEMORYPOOLS_H

#include "pex/Analysis/BufferGraph.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"

namespace mlir::pex {

/// Per buffer of `graph`: the estimated loads and stores of its bytes over
/// one run. The producer writes it once; a reader whose anchor (or group)
/// multiplies reads it once per multiply-accumulate, an element-wise reader
/// once per byte. A group's own buffers (slices, accumulators) are touched
/// by every multiply-accumulate of the group.
SmallVector<double> estimateAccesses(const BufferGraph &graph);

/// The `#pex.placement` pex-plan-arena recorded for `buffer` of a planned
/// function, if any.
PlacementAttr findPlacement(const BufferGraph &graph, unsigned buffer);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_MEMORYPOOLS_H

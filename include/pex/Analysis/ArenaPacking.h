//===- ArenaPacking.h - Placing buffers with lifetimes ----------*- C++ -*-===//
//
// Offsets for buffers with known sizes and lifetimes in one arena, so that
// buffers live at the same step never overlap.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_ARENAPACKING_H
#define PEX_ANALYSIS_ARENAPACKING_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::pex {

struct PackingBuffer {
  int64_t size;
  /// Inclusive range of steps during which the buffer holds data.
  int64_t first, last;
};

enum class PackingStrategy {
  /// TFLite Micro's greedy planner: largest buffer first, each at the lowest
  /// offset that does not overlap a time-overlapping buffer.
  FirstFit,
  /// First fit over several buffer orders, then a bounded local search over
  /// orders; stops as soon as the liveness lower bound is reached.
  Search,
};

struct Packing {
  SmallVector<int64_t> offsets;
  /// Arena bytes: the end of the highest buffer.
  int64_t size = 0;
  /// Max over steps of the (aligned) bytes live: no placement is smaller.
  int64_t lowerBound = 0;
};

/// Places `buffers` with offsets and sizes rounded up to `alignment`.
Packing packBuffers(ArrayRef<PackingBuffer> buffers, int64_t alignment,
                    PackingStrategy strategy);

/// Max over steps of the bytes of the buffers live at that step.
int64_t getLivenessPeak(ArrayRef<PackingBuffer> buffers, int64_t alignment);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_ARENAPACKING_H

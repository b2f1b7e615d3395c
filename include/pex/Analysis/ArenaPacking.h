//===- ArenaPacking.h - Placing buffers with lifetimes ----------*- C++ -*-===//
//
// Offsets for buffers with known sizes and lifetimes in one arena, so that
// buffers live at the same step never overlap; or in several memory pools,
// the fastest holding the buffers accessed most per byte.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_ARENAPACKING_H
#define PEX_ANALYSIS_ARENAPACKING_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::pex {

struct PackingBuffer {
  int64_t size;
  /// Inclusive range of steps during which the buffer holds data.
  int64_t first, last;
  /// A buffer (index in the same array) this one is written over from its
  /// first byte at the step where that one ends and this one begins: placed
  /// at its offset where possible, the two share this one's bytes then.
  std::optional<unsigned> over;
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

/// A memory pool of `--memory-pool=NAME:BYTES[:SECTION]`.
struct MemoryPool {
  /// A C identifier: it names the pool's symbol and header macros.
  std::string name;
  int64_t capacity = 0;
  /// Linker section of the pool's storage; empty: the default (.bss).
  std::string section;
};

/// Parses pool specifications `NAME:BYTES[:SECTION]`, fastest first; on a
/// malformed or repeated one, returns the reason.
std::optional<std::string> parseMemoryPools(ArrayRef<std::string> specs,
                                            SmallVectorImpl<MemoryPool> &pools);

/// Buffers placed in several pools.
struct PoolPacking {
  /// Per buffer: the index of its pool and its offset into that pool.
  SmallVector<unsigned> poolOf;
  SmallVector<int64_t> offsets;
  /// Per pool: the bytes used (the end of its highest buffer).
  SmallVector<int64_t> sizes;
  /// The first buffer (hottest first) that no pool had room for, if any.
  std::optional<unsigned> unplaced;
};

/// Places `buffers` in pools of `capacities`, fastest first: in decreasing
/// order of `accessesPerByte`, each buffer goes to the fastest pool where
/// it still fits beside the buffers already there, so a fast pool fills
/// with the most accessed bytes. Each pool is then packed with `strategy`.
PoolPacking packBuffersInPools(ArrayRef<PackingBuffer> buffers,
                               ArrayRef<double> accessesPerByte,
                               ArrayRef<int64_t> capacities, int64_t alignment,
                               PackingStrategy strategy);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_ARENAPACKING_H

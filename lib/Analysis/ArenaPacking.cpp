//===- ArenaPacking.cpp - Placing buffers with lifetimes --------*- C++ -*-===//

#include "pex/Analysis/ArenaPacking.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <functional>
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <map>
#include <random>

using namespace mlir;
using namespace mlir::pex;

static bool overlapInTime(const PackingBuffer &a, const PackingBuffer &b) {
  return a.first <= b.last && b.first <= a.last;
}

int64_t mlir::pex::getLivenessPeak(ArrayRef<PackingBuffer> buffers,
                                   int64_t alignment) {
  std::map<int64_t, int64_t> delta;
  for (const PackingBuffer &buffer : buffers) {
    int64_t size = llvm::alignTo(buffer.size, alignment);
    delta[buffer.first] += size;
    delta[buffer.last + 1] -= size;
  }
  int64_t live = 0, peak = 0;
  for (auto [step, change] : delta) {
    live += change;
    peak = std::max(peak, live);
  }
  return peak;
}

/// First fit of the buffers in `order`: each at the lowest aligned offset
/// where it overlaps no already placed buffer that is live at the same time.
static Packing firstFit(ArrayRef<PackingBuffer> buffers,
                        ArrayRef<unsigned> order, int64_t alignment) {
  Packing packing;
  packing.offsets.assign(buffers.size(), 0);
  SmallVector<unsigned> placed;
  for (unsigned index : order) {
    const PackingBuffer &buffer = buffers[index];
    int64_t size = llvm::alignTo(buffer.size, alignment);
    // Intervals taken by time-overlapping buffers, by offset.
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (unsigned other : placed)
      if (overlapInTime(buffer, buffers[other]))
        taken.push_back({packing.offsets[other],
                         packing.offsets[other] +
                             llvm::alignTo(buffers[other].size, alignment)});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + size <= begin)
        break;
      offset = std::max(offset, end);
    }
    packing.offsets[index] = offset;
    packing.size = std::max(packing.size, offset + size);
    placed.push_back(index);
  }
  return packing;
}

Packing mlir::pex::packBuffers(ArrayRef<PackingBuffer> buffers,
                               int64_t alignment, PackingStrategy strategy) {
  int64_t lowerBound = getLivenessPeak(buffers, alignment);
  auto bySize = llvm::to_vector(llvm::seq<unsigned>(0, buffers.size()));
  llvm::stable_sort(bySize, [&](unsigned a, unsigned b) {
    return buffers[a].size > buffers[b].size;
  });
  Packing best = firstFit(buffers, bySize, alignment);
  best.lowerBound = lowerBound;
  if (strategy == PackingStrategy::FirstFit || best.size == lowerBound)
    return best;

  auto consider = [&](ArrayRef<unsigned> order) {
    Packing packing = firstFit(buffers, order, alignment);
    if (packing.size < best.size) {
      best.offsets = std::move(packing.offsets);
      best.size = packing.size;
    }
    return best.size == lowerBound;
  };
  auto lifetime = [&](unsigned i) {
    return buffers[i].last - buffers[i].first + 1;
  };
  SmallVector<std::function<bool(unsigned, unsigned)>> orders = {
      [&](unsigned a, unsigned b) { return lifetime(a) > lifetime(b); },
      [&](unsigned a, unsigned b) {
        return buffers[a].size * lifetime(a) > buffers[b].size * lifetime(b);
      },
      [&](unsigned a, unsigned b) { return buffers[a].first < buffers[b].first; },
  };
  for (auto &less : orders) {
    auto order = bySize;
    llvm::stable_sort(order, less);
    if (consider(order))
      return best;
  }

  // Local search: swap two buffers of the size order, keep improvements.
  std::mt19937 random(0);
  auto order = bySize;
  int64_t current = best.size;
  constexpr unsigned kIterations = 2000;
  for (unsigned iteration = 0; iteration < kIterations && buffers.size() > 1;
       ++iteration) {
    unsigned i = random() % buffers.size(), j = random() % buffers.size();
    std::swap(order[i], order[j]);
    Packing packing = firstFit(buffers, order, alignment);
    if (packing.size <= current) {
      current = packing.size;
      if (packing.size < best.size) {
        best.offsets = std::move(packing.offsets);
        best.size = packing.size;
        if (best.size == lowerBound)
          break;
      }
    } else {
      std::swap(order[i], order[j]);
    }
  }
  return best;
}

//===- ArenaPacking.cpp - Placing buffers with lifetimes --------*- C++ -*-===//

#include "pex/Analysis/ArenaPacking.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <functional>
#include <map>
#include <random>

using namespace mlir;
using namespace mlir::pex;

static bool overlapInTime(const PackingBuffer &a, const PackingBuffer &b) {
  return a.first <= b.last && b.first <= a.last;
}

/// Whether `a` and `b` are a buffer and the one it is written over.
static bool arePaired(ArrayRef<PackingBuffer> buffers, unsigned a, unsigned b) {
  return buffers[a].over == b || buffers[b].over == a;
}

int64_t mlir::pex::getLivenessPeak(ArrayRef<PackingBuffer> buffers,
                                   int64_t alignment) {
  std::map<int64_t, int64_t> delta;
  for (const PackingBuffer &buffer : buffers) {
    int64_t size = llvm::alignTo(buffer.size, alignment);
    delta[buffer.first] += size;
    delta[buffer.last + 1] -= size;
    // Written over another from its first byte: their shared bytes count
    // once at the step both hold data.
    if (buffer.over && overlapInTime(buffer, buffers[*buffer.over])) {
      const PackingBuffer &under = buffers[*buffer.over];
      int64_t shared = std::min(
          size, static_cast<int64_t>(llvm::alignTo(under.size, alignment)));
      delta[std::max(buffer.first, under.first)] -= shared;
      delta[std::min(buffer.last, under.last) + 1] += shared;
    }
  }
  int64_t live = 0, peak = 0;
  for (auto [step, change] : delta) {
    live += change;
    peak = std::max(peak, live);
  }
  return peak;
}

/// First fit of the buffers in `order`: each at the lowest aligned offset
/// where it overlaps no already placed buffer that is live at the same time,
/// or, written over a placed buffer, at that one's offset if it is free.
static Packing firstFit(ArrayRef<PackingBuffer> buffers,
                        ArrayRef<unsigned> order, int64_t alignment) {
  Packing packing;
  packing.offsets.assign(buffers.size(), 0);
  SmallVector<unsigned> placed;
  for (unsigned index : order) {
    const PackingBuffer &buffer = buffers[index];
    int64_t size = llvm::alignTo(buffer.size, alignment);
    // Intervals taken by time-overlapping buffers, by offset, but for the
    // buffer this one is written over (or that is written over this one).
    SmallVector<std::pair<int64_t, int64_t>> taken;
    std::optional<std::pair<int64_t, int64_t>> paired;
    for (unsigned other : placed) {
      if (!overlapInTime(buffer, buffers[other]))
        continue;
      int64_t begin = packing.offsets[other];
      std::pair<int64_t, int64_t> interval = {
          begin, begin + llvm::alignTo(buffers[other].size, alignment)};
      if (arePaired(buffers, index, other))
        paired = interval;
      else
        taken.push_back(interval);
    }
    auto isFree = [&](int64_t offset) {
      return llvm::none_of(taken, [&](std::pair<int64_t, int64_t> interval) {
        return offset < interval.second && interval.first < offset + size;
      });
    };
    int64_t offset = 0;
    if (paired && isFree(paired->first)) {
      offset = paired->first;
    } else {
      if (paired)
        taken.push_back(*paired);
      llvm::sort(taken);
      for (auto [begin, end] : taken) {
        if (offset + size <= begin)
          break;
        offset = std::max(offset, end);
      }
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

std::optional<std::string>
mlir::pex::parseMemoryPools(ArrayRef<std::string> specs,
                            SmallVectorImpl<MemoryPool> &pools) {
  llvm::StringSet<> names;
  for (StringRef spec : specs) {
    SmallVector<StringRef, 3> fields;
    spec.split(fields, ':', /*MaxSplit=*/2);
    auto malformed = [&](const Twine &why) {
      return ("memory pool '" + spec + "': " + why +
              " (expected NAME:BYTES[:SECTION])")
          .str();
    };
    if (fields.size() < 2)
      return malformed("no size");
    StringRef name = fields[0];
    bool identifier =
        !name.empty() && !llvm::isDigit(name.front()) &&
        llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
    if (!identifier)
      return malformed("the name must be a C identifier");
    MemoryPool pool;
    pool.name = name.str();
    if (fields[1].getAsInteger(10, pool.capacity) || pool.capacity <= 0)
      return malformed("the size must be a positive number of bytes");
    if (fields.size() == 3) {
      if (fields[2].empty())
        return malformed("empty section");
      pool.section = fields[2].str();
    }
    if (!names.insert(name).second)
      return ("memory pool '" + name + "' is given twice").str();
    pools.push_back(std::move(pool));
  }
  return std::nullopt;
}

PoolPacking mlir::pex::packBuffersInPools(ArrayRef<PackingBuffer> buffers,
                                          ArrayRef<double> accessesPerByte,
                                          ArrayRef<int64_t> capacities,
                                          int64_t alignment,
                                          PackingStrategy strategy) {
  PoolPacking result;
  result.poolOf.assign(buffers.size(), 0);
  result.offsets.assign(buffers.size(), 0);
  result.sizes.assign(capacities.size(), 0);
  auto hottest = llvm::to_vector(llvm::seq<unsigned>(0, buffers.size()));
  llvm::stable_sort(hottest, [&](unsigned a, unsigned b) {
    return accessesPerByte[a] > accessesPerByte[b];
  });
  // Whether a buffer fits is decided with first fit, which the final
  // packing (first fit or better) never exceeds.
  SmallVector<SmallVector<PackingBuffer>> members(capacities.size());
  SmallVector<SmallVector<unsigned>> memberIndices(capacities.size());
  // A pool's members, written over a member of the same pool where planned.
  auto inPool = [&](unsigned pool, unsigned buffer) {
    PackingBuffer member = buffers[buffer];
    member.over = std::nullopt;
    if (std::optional<unsigned> under = buffers[buffer].over)
      if (auto *it = llvm::find(memberIndices[pool], *under);
          it != memberIndices[pool].end())
        member.over = it - memberIndices[pool].begin();
    return member;
  };
  for (unsigned buffer : hottest) {
    bool placed = false;
    for (auto [pool, capacity] : llvm::enumerate(capacities)) {
      members[pool].push_back(inPool(pool, buffer));
      if (packBuffers(members[pool], alignment, PackingStrategy::FirstFit)
              .size <= capacity) {
        memberIndices[pool].push_back(buffer);
        placed = true;
        break;
      }
      members[pool].pop_back();
    }
    if (!placed) {
      result.unplaced = buffer;
      return result;
    }
  }
  for (auto [pool, indices] : llvm::enumerate(memberIndices)) {
    // The fit was checked without the pairs whose result joined the pool
    // before its input: all pairs where the pool still holds its members,
    // else the members as checked.
    SmallVector<PackingBuffer> checked(members[pool]);
    for (auto [position, buffer] : llvm::enumerate(indices))
      members[pool][position] = inPool(pool, buffer);
    Packing packing = packBuffers(members[pool], alignment, strategy);
    if (packing.size > capacities[pool])
      packing = packBuffers(checked, alignment, strategy);
    result.sizes[pool] = packing.size;
    for (auto [position, buffer] : llvm::enumerate(indices)) {
      result.poolOf[buffer] = pool;
      result.offsets[buffer] = packing.offsets[position];
    }
  }
  return result;
}

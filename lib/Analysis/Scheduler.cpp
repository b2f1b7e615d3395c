//===- Scheduler.cpp - Execution order that minimises the peak --*- C++ -*-===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/Support/Debug.h"

#include <unordered_map>

#define DEBUG_TYPE "pex-reorder"

using namespace mlir;
using namespace mlir::pex;

namespace {
struct State {
  llvm::BitVector executed;
  int64_t liveBytes;
  int64_t peakBytes;
  /// Index of the predecessor state in the previous layer, and the unit run.
  unsigned parent;
  unsigned unit;
};

struct BitVectorHash {
  size_t operator()(const llvm::BitVector &bits) const {
    return llvm::hash_combine_range(bits.getData().begin(),
                                    bits.getData().end());
  }
};
} // namespace

ScheduleResult mlir::pex::findMinimumPeakOrder(
    const BufferGraph &model, const ScheduleSearchOptions &options) {
  ArrayRef<BufferGraph::Unit> units = model.getUnits();
  ArrayRef<BufferGraph::Buffer> buffers = model.getBuffers();
  unsigned numUnits = units.size();

  // Units each unit waits for: the producers of its inputs (not itself: a
  // group reads the accumulator it writes), and the readers of what it
  // overwrites.
  SmallVector<SmallVector<unsigned>> predecessors(numUnits);
  for (auto [index, unit] : llvm::enumerate(units)) {
    for (unsigned input : unit.inputs)
      if (auto producer = buffers[input].producer; producer && *producer != index)
        predecessors[index].push_back(*producer);
    llvm::append_range(predecessors[index], unit.runsAfter);
    llvm::sort(predecessors[index]);
    predecessors[index].erase(llvm::unique(predecessors[index]),
                              predecessors[index].end());
  }

  ScheduleResult result;
  SmallVector<SmallVector<State>> layers;
  layers.emplace_back();
  layers.back().push_back(State{llvm::BitVector(numUnits),
                                getInitialBytes(model), 0, 0, 0});

  for (unsigned depth = 0; depth < numUnits; ++depth) {
    SmallVector<State> next;
    std::unordered_map<llvm::BitVector, unsigned, BitVectorHash> indexOf;
    for (auto [stateIndex, stateRef] : llvm::enumerate(layers.back())) {
      const State &state = stateRef;
      for (unsigned unit = 0; unit < numUnits; ++unit) {
        if (state.executed.test(unit) ||
            !llvm::all_of(predecessors[unit], [&](unsigned pred) {
              return state.executed.test(pred);
            }))
          continue;
        auto [during, after] =
            getUnitCost(model, unit, state.executed, state.liveBytes);
        int64_t peak = std::max(state.peakBytes, during);
        llvm::BitVector executed = state.executed;
        executed.set(unit);
        ++result.statesVisited;
        auto [it, inserted] = indexOf.try_emplace(executed, next.size());
        if (inserted) {
          next.push_back(State{std::move(executed), after, peak,
                               static_cast<unsigned>(stateIndex), unit});
        } else if (peak < next[it->second].peakBytes) {
          next[it->second].peakBytes = peak;
          next[it->second].parent = stateIndex;
          next[it->second].unit = unit;
        }
      }
    }
    if (next.size() > options.maxStatesPerLayer) {
      // Beam: keep the sets with the smallest peak, then fewest live bytes.
      std::stable_sort(next.begin(), next.end(),
                       [](const State &a, const State &b) {
                         return std::tie(a.peakBytes, a.liveBytes) <
                                std::tie(b.peakBytes, b.liveBytes);
                       });
      next.resize(options.maxStatesPerLayer);
      result.optimal = false;
    }
    layers.push_back(std::move(next));
  }

  SmallVector<unsigned> order(numUnits);
  unsigned stateIndex = 0;
  const State &final = layers[numUnits].front();
  result.searchPeakBytes = std::max(
      final.peakBytes, final.liveBytes + model.getReturnedInputBytes());
  for (unsigned depth = numUnits; depth > 0; --depth) {
    const State &state = layers[depth][stateIndex];
    order[depth - 1] = state.unit;
    stateIndex = state.parent;
  }
  result.searchOrder = order;
  result.order = std::move(order);
  result.peakBytes = computeLiveness(model, result.order).peakBytes;

  int64_t programPeak = computeLiveness(model, model.getProgramOrder()).peakBytes;
  LLVM_DEBUG(llvm::dbgs() << "pex-reorder: " << numUnits << " operators, "
                          << result.statesVisited << " sets visited ("
                          << (result.optimal ? "exact" : "beam")
                          << "): peak " << result.peakBytes
                          << " B, program order " << programPeak << " B\n");
  if (programPeak <= result.peakBytes) {
    result.order = model.getProgramOrder();
    result.peakBytes = programPeak;
  }
  return result;
}

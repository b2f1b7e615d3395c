//===- Scheduler.cpp - Execution order that minimises the peak --*- C++ -*-===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"

#include <unordered_map>

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
    const MemoryModel &model, const ScheduleSearchOptions &options) {
  ArrayRef<MemoryModel::Unit> units = model.getUnits();
  ArrayRef<MemoryModel::Buffer> buffers = model.getBuffers();
  unsigned numUnits = units.size();

  // Units each unit waits for: the producers of its inputs.
  SmallVector<SmallVector<unsigned>> predecessors(numUnits);
  for (auto [index, unit] : llvm::enumerate(units)) {
    for (unsigned input : unit.inputs)
      if (auto producer = buffers[input].producer)
        predecessors[index].push_back(*producer);
    llvm::sort(predecessors[index]);
    predecessors[index].erase(llvm::unique(predecessors[index]),
                              predecessors[index].end());
  }

  ScheduleResult result;
  SmallVector<SmallVector<State>> layers;
  layers.emplace_back();
  layers.back().push_back(State{llvm::BitVector(numUnits),
                                model.getInitialBytes(), 0, 0, 0});

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
            model.getUnitCost(unit, state.executed, state.liveBytes);
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
  result.peakBytes = model.evaluate(result.order).peakBytes;

  int64_t programPeak = model.evaluate(model.getProgramOrder()).peakBytes;
  if (programPeak <= result.peakBytes) {
    result.order = model.getProgramOrder();
    result.peakBytes = programPeak;
  }
  return result;
}

void mlir::pex::applyUnitOrder(const MemoryModel &model,
                               ArrayRef<unsigned> order) {
  Block &block = model.getFunction().getBody().front();
  Operation *terminator = block.getTerminator();

  // Constants first, in their original order, so every unit can use them.
  SmallVector<Operation *> constants;
  for (Operation &op : block.without_terminator())
    if (op.hasTrait<OpTrait::ConstantLike>() ||
        (op.getNumResults() > 0 &&
         llvm::all_of(op.getResults(),
                      [](Value v) { return isConstantValue(v); })))
      constants.push_back(&op);

  llvm::DenseSet<Operation *> placed;
  auto place = [&](Operation *op) {
    placed.insert(op);
    op->moveBefore(terminator);
  };
  for (Operation *op : constants)
    place(op);

  // Operations that are not units (views) go right before their first user.
  std::function<void(Operation *)> placeWithDependencies =
      [&](Operation *op) {
        if (placed.contains(op))
          return;
        for (Value operand : op->getOperands())
          if (Operation *def = operand.getDefiningOp();
              def && def->getBlock() == &block && !model.getUnitOf(def))
            placeWithDependencies(def);
        place(op);
      };
  for (unsigned unit : order)
    for (Operation *op : model.getUnits()[unit].op.ops)
      placeWithDependencies(op);

  // Remaining operations (views nobody reads) keep their relative order.
  for (Operation &op : llvm::make_early_inc_range(block.without_terminator()))
    if (!placed.contains(&op))
      op.moveBefore(terminator);
}

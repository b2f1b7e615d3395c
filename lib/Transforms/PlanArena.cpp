//===- PlanArena.cpp - pex-plan-arena ---------------------------*- C++ -*-===//
//
// The last decision of the planner: where each buffer of the schedule lives.
// The liveness analysis of the schedule as the IR records it (order, groups,
// in-place results) gives every storage its lifetime; the packing gives it
// an offset; both are written into the IR, where the lowering carries them
// to the buffers it creates. The figure the partitioner and the scheduler
// minimised (the peak of aligned live bytes) is the arena's lower bound, and
// the arena is that bound unless the packing fragments. With memory pools,
// the storages are split over them, the fastest holding the bytes accessed
// most.
//
//===----------------------------------------------------------------------===//

#include "pex/Analysis/ArenaPacking.h"
#include "pex/Analysis/ConcatenationSlices.h"
#include "pex/Analysis/Liveness.h"
#include "pex/Analysis/MemoryPools.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"
#include "pex/Transforms/UnitOrder.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::pex {
#define GEN_PASS_DEF_PLANARENA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The storages of a schedule (buffers written in place over another share
/// one) and their lifetimes, in packing form.
struct Storages {
  SmallVector<PackingBuffer> packing;
  /// Per buffer of the graph: its storage's index in `packing`, if counted.
  SmallVector<std::optional<unsigned>> indexOf;
  /// Per storage: the lowest offset in it of its buffers (ScheduleLiveness::
  /// offsetInStorage), where it begins.
  SmallVector<int64_t> begin;
  /// Max over steps of the exact (unaligned) bytes live.
  int64_t exactPeak = 0;
};

Storages collectStorages(const BufferGraph &graph,
                         const ScheduleLiveness &live) {
  ArrayRef<BufferGraph::Buffer> buffers = graph.getBuffers();
  Storages storages;
  storages.indexOf.resize(buffers.size());
  llvm::DenseMap<unsigned, unsigned> indexOfRoot;
  for (auto [index, buffer] : llvm::enumerate(buffers)) {
    if (!graph.counts(buffer) || buffer.bytes == 0)
      continue;
    unsigned root = live.storageOf[index];
    auto [it, inserted] =
        indexOfRoot.try_emplace(root, storages.packing.size());
    auto [first, last] = live.lifetimes[index];
    int64_t begin = live.offsetInStorage[index];
    int64_t end = begin + buffer.exactBytes;
    if (inserted) {
      storages.packing.push_back({end - begin, static_cast<int64_t>(first),
                                  static_cast<int64_t>(last)});
      storages.begin.push_back(begin);
    } else {
      PackingBuffer &storage = storages.packing[it->second];
      // The storage spans [lowest begin, highest end) of its buffers.
      int64_t lowest = std::min(storages.begin[it->second], begin);
      storage.size =
          std::max(storages.begin[it->second] + storage.size, end) - lowest;
      storages.begin[it->second] = lowest;
      storage.first = std::min<int64_t>(storage.first, first);
      storage.last = std::max<int64_t>(storage.last, last);
    }
    storages.indexOf[index] = it->second;
  }
  for (const ScheduleLiveness::Overwrite &over : live.overwrites)
    storages.packing[*storages.indexOf[over.result]].over =
        storages.indexOf[over.input];
  storages.exactPeak = getLivenessPeak(storages.packing, 1);
  return storages;
}

/// Estimated accesses per byte of each storage (MemoryPools.h).
SmallVector<double> getAccessesPerByte(const BufferGraph &graph,
                                       const Storages &storages) {
  ArrayRef<PackingBuffer> packing = storages.packing;
  SmallVector<double> accesses(packing.size(), 0.0);
  for (auto [buffer, count] : llvm::enumerate(estimateAccesses(graph)))
    if (std::optional<unsigned> storage = storages.indexOf[buffer])
      accesses[*storage] += count;
  // No buffer of the graph: a returned input's copy into the output, written
  // and read once.
  for (auto [storage, buffer] : llvm::enumerate(packing)) {
    if (accesses[storage] == 0)
      accesses[storage] = 2.0 * buffer.size;
    accesses[storage] /= std::max<int64_t>(buffer.size, 1);
  }
  return accesses;
}

/// Writes `placement` where the lowering finds it for `buffer`: on the
/// operation computing it, on a group (its results and accumulators), or on
/// a function argument.
void recordPlacement(const BufferGraph &graph, unsigned index,
                     PlacementAttr placement) {
  const BufferGraph::Buffer &buffer = graph.getBuffers()[index];
  MLIRContext *context = placement.getContext();
  auto setEntry = [&](Operation *op, StringRef name, unsigned size,
                      unsigned position) {
    SmallVector<Attribute> entries(size, UnitAttr::get(context));
    if (auto existing = op->getAttrOfType<ArrayAttr>(name))
      entries.assign(existing.begin(), existing.end());
    entries[position] = placement;
    op->setAttr(name, ArrayAttr::get(context, entries));
  };
  if (auto arg = dyn_cast<BlockArgument>(buffer.value)) {
    graph.getFunction().setArgAttr(arg.getArgNumber(), kPlacementAttrName,
                                   placement);
    return;
  }
  if (buffer.isAccumulator) {
    auto group =
        cast<GroupOp>(graph.getUnits()[*buffer.ownerGroup].op.getSink());
    ValueRange accumulated = group.getPartialYield().getAccumulate();
    unsigned position =
        llvm::find(accumulated, buffer.value) - accumulated.begin();
    setEntry(group, kAccumulatorPlacementsAttrName, accumulated.size(),
             position);
    return;
  }
  if (buffer.isRowAccumulator) {
    setEntry(graph.getUnits()[*buffer.ownerGroup].op.getSink(),
             kAccumulatorPlacementsAttrName, 1, 0);
    return;
  }
  Operation *op = buffer.value.getDefiningOp();
  if (isa<GroupOp, StreamOp>(op)) {
    setEntry(op, kResultPlacementsAttrName, op->getNumResults(),
             cast<OpResult>(buffer.value).getResultNumber());
    return;
  }
  // A loop's carried value: the loop's result, and the body's operator that
  // computes the next value over it.
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    unsigned position = cast<OpResult>(buffer.value).getResultNumber();
    setEntry(loop, kResultPlacementsAttrName, loop->getNumResults(), position);
    Operation *next = loop.getYieldedValues()[position].getDefiningOp();
    if (next && next->getBlock() == loop.getBody() &&
        !isa<tensor::InsertSliceOp>(next))
      next->setAttr(kPlacementAttrName, placement);
    return;
  }
  // A line buffer's placement goes on the stream's operation computing the
  // rows it holds, like any result's.
  op->setAttr(kPlacementAttrName, placement);
}

struct PlanArenaPass : public pex::impl::PlanArenaBase<PlanArenaPass> {
  using PlanArenaBase::PlanArenaBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (strategy != "first-fit" && strategy != "search") {
      func.emitError() << "pex: unknown arena strategy '" << strategy
                       << "' (expected first-fit or search)";
      return signalPassFailure();
    }
    SmallVector<MemoryPool> memoryPools;
    if (std::optional<std::string> error =
            parseMemoryPools(pools, memoryPools)) {
      func.emitError() << "pex: " << *error;
      return signalPassFailure();
    }
    if (!memoryPools.empty() && arenaBudget > 0) {
      func.emitError() << "pex: an arena budget and memory pools exclude "
                          "each other (the pools' capacities are the budget)";
      return signalPassFailure();
    }
    if (func->hasAttr(kArenaAttrName)) {
      func.emitError() << "pex: the function's arena is already planned";
      return signalPassFailure();
    }
    FailureOr<BufferGraph> graph =
        BufferGraph::build(func, BufferGraphOptions{arenaIO, alignment});
    if (failed(graph))
      return signalPassFailure();
    // The schedule as recorded: the units in the order of the function body,
    // where a unit that overwrites what others read (Unit::runsAfter) runs
    // after them; unless pex-reorder did, that order is carried out here.
    SmallVector<unsigned> order = graph->getProgramOrder();
    if (!llvm::equal(order, llvm::seq<unsigned>(0, order.size()))) {
      applyUnitOrder(*graph, order);
      graph = BufferGraph::build(func, BufferGraphOptions{arenaIO, alignment});
      if (failed(graph))
        return signalPassFailure();
    }
    ScheduleLiveness live = computeLiveness(*graph, graph->getProgramOrder());
    Storages storages = collectStorages(*graph, live);
    // An input the function also returns is copied into the output after
    // the last step: the output is a storage of its own.
    SmallVector<std::pair<unsigned, unsigned>> returnedInputs;
    if (arenaIO)
      for (auto [resultIndex, returned] : llvm::enumerate(
               func.getBody().front().getTerminator()->getOperands())) {
        std::optional<unsigned> buffer = graph->getBufferOf(returned);
        if (!buffer || !graph->getBuffers()[*buffer].isArgument)
          continue;
        int64_t lastStep = std::max<int64_t>(live.steps.size(), 1) - 1;
        returnedInputs.push_back(
            {static_cast<unsigned>(resultIndex),
             static_cast<unsigned>(storages.packing.size())});
        storages.packing.push_back(
            {graph->getBuffers()[*buffer].exactBytes, lastStep, lastStep});
        storages.begin.push_back(0);
      }
    PackingStrategy packingStrategy = strategy == "first-fit"
                                          ? PackingStrategy::FirstFit
                                          : PackingStrategy::Search;
    // Where each storage goes: its pool (none without pools) and offset.
    SmallVector<int64_t> offsets;
    SmallVector<StringRef> poolOf(storages.packing.size());
    int64_t arenaSize = 0, lowerBound = 0;
    if (memoryPools.empty()) {
      Packing packing =
          packBuffers(storages.packing, alignment, packingStrategy);
      if (arenaBudget > 0 && packing.size > arenaBudget) {
        Operation *peak = live.getPeakOp(func);
        InFlightDiagnostic diag =
            peak->emitError()
            << "pex: arena budget of " << static_cast<int64_t>(arenaBudget)
            << " bytes cannot be met: the buffers live at " << getOpLabel(peak)
            << " take " << live.peakBytes << " bytes";
        if (packing.size > live.peakBytes)
          diag << ", and placing them needs " << packing.size << " bytes";
        return signalPassFailure();
      }
      offsets = std::move(packing.offsets);
      arenaSize = packing.size;
      lowerBound = packing.lowerBound;
    } else {
      SmallVector<int64_t> capacities;
      int64_t totalCapacity = 0;
      for (const MemoryPool &pool : memoryPools) {
        capacities.push_back(pool.capacity);
        totalCapacity += pool.capacity;
      }
      PoolPacking packing = packBuffersInPools(
          storages.packing, getAccessesPerByte(*graph, storages), capacities,
          alignment, packingStrategy);
      if (packing.unplaced) {
        Operation *peak = live.getPeakOp(func);
        InFlightDiagnostic diag =
            peak->emitError()
            << "pex: memory pools of " << totalCapacity
            << " bytes in total cannot hold the buffers: those live at "
            << getOpLabel(peak) << " take " << live.peakBytes << " bytes";
        if (live.peakBytes <= totalCapacity)
          diag << ", and no pool has room left for a buffer of "
               << storages.packing[*packing.unplaced].size << " bytes";
        return signalPassFailure();
      }
      offsets = std::move(packing.offsets);
      SmallVector<Attribute> poolAttrs;
      for (auto [pool, used] : llvm::zip(memoryPools, packing.sizes)) {
        poolAttrs.push_back(PoolAttr::get(&getContext(), pool.name,
                                          pool.capacity, used, pool.section));
        arenaSize += used;
      }
      for (auto [storage, pool] : llvm::enumerate(packing.poolOf))
        poolOf[storage] = memoryPools[pool].name;
      lowerBound = getLivenessPeak(storages.packing, alignment);
      func->setAttr(kPoolsAttrName, ArrayAttr::get(&getContext(), poolAttrs));
    }
    auto placementOf = [&](unsigned storage, int64_t size, int64_t first,
                           int64_t last, int64_t offsetInStorage = 0) {
      return PlacementAttr::get(&getContext(),
                                offsets[storage] + offsetInStorage, size,
                                first, last, poolOf[storage]);
    };
    // Where a buffer starts in its storage.
    auto offsetInStorage = [&](unsigned buffer) {
      return live.offsetInStorage[buffer] -
             storages.begin[*storages.indexOf[buffer]];
    };

    // An operand computed in its slice of a concatenation's result is
    // placed with the result: the concatenation records which.
    // Its storage exists from the first such operand's step.
    llvm::MapVector<Operation *, SmallVector<int64_t>> operandsInResult;
    for (auto [index, buffer] : llvm::enumerate(graph->getBuffers())) {
      if (!isComputedInConcatenation(*graph, live, index))
        continue;
      auto concat = cast<tosa::ConcatOp>(
          graph->getBuffers()[*buffer.concatenatedInto].value.getDefiningOp());
      for (unsigned position = 0; position < concat.getNumOperands();
           ++position)
        if (std::optional<ConcatenationSlice> slice =
                getConcatenationSlice(concat, position);
            slice && slice->computed == buffer.value)
          operandsInResult[concat].push_back(position);
    }
    for (auto [index, storage] : llvm::enumerate(storages.indexOf)) {
      if (!storage || isComputedInConcatenation(*graph, live, index))
        continue;
      const BufferGraph::Buffer &buffer = graph->getBuffers()[index];
      auto [first, last] = live.lifetimes[index];
      if (!isa<BlockArgument>(buffer.value) &&
          operandsInResult.contains(buffer.value.getDefiningOp()))
        first = storages.packing[*storage].first;
      recordPlacement(*graph, index,
                      placementOf(*storage, buffer.exactBytes, first, last,
                                  offsetInStorage(index)));
    }
    for (auto &[concat, positions] : operandsInResult) {
      llvm::sort(positions);
      concat->setAttr(kOperandsInResultAttrName,
                      DenseI64ArrayAttr::get(&getContext(), positions));
    }
    // A variable's new value computed in its own global: placed there, at
    // its lifetime's steps, outside the arena.
    auto placementInState = [&](unsigned index) {
      const BufferGraph::Buffer &buffer = graph->getBuffers()[index];
      auto [first, last] = live.lifetimes[index];
      return PlacementAttr::get(&getContext(), 0, buffer.exactBytes, first,
                                last, /*pool=*/"", buffer.computedInState);
    };
    for (auto [index, buffer] : llvm::enumerate(graph->getBuffers()))
      if (buffer.computedInState)
        recordPlacement(*graph, index, placementInState(index));
    // A stream's result written over its input's consumed rows: the
    // exception pex-verify-arena allows to the two buffers' shared bytes.
    for (const BufferGraph::Unit &unit : graph->getUnits()) {
      if (!unit.group || !unit.group->resultOverInput)
        continue;
      const auto &over = *unit.group->resultOverInput;
      if (live.storageOf[over.result] != live.storageOf[over.input] ||
          !storages.indexOf[over.input])
        continue;
      int64_t inputOffset = offsets[*storages.indexOf[over.input]] +
                            offsetInStorage(over.input);
      unit.op.getSink()->setAttr(
          kOverConsumedInputAttrName,
          IntegerAttr::get(IntegerType::get(&getContext(), 64), inputOffset));
    }
    // A result written over a wider input where the packing put it at the
    // input's offset: the same exception, on the operator computing it.
    for (const ScheduleLiveness::Overwrite &over : live.overwrites) {
      unsigned result = *storages.indexOf[over.result];
      unsigned input = *storages.indexOf[over.input];
      if (offsets[result] != offsets[input] || poolOf[result] != poolOf[input])
        continue;
      graph->getBuffers()[over.result].value.getDefiningOp()->setAttr(
          kOverConsumedInputAttrName,
          IntegerAttr::get(IntegerType::get(&getContext(), 64),
                           offsets[input]));
    }
    for (auto [resultIndex, storage] : returnedInputs) {
      const PackingBuffer &copy = storages.packing[storage];
      func.setResultAttr(
          resultIndex, kPlacementAttrName,
          placementOf(storage, copy.size, copy.first, copy.last));
    }
    // Where the lowering finds the storage of each result the arena holds
    // (all with arena-io, a variable's new value always, unless computed in
    // its global): bufferization turns results into output parameters.
    for (auto [resultIndex, returned] : llvm::enumerate(
             func.getBody().front().getTerminator()->getOperands())) {
      std::optional<unsigned> buffer = graph->getBufferOf(returned);
      if (!buffer || func.getResultAttr(resultIndex, kPlacementAttrName))
        continue;
      const BufferGraph::Buffer &stored = graph->getBuffers()[*buffer];
      if (stored.computedInState) {
        func.setResultAttr(resultIndex, kPlacementAttrName,
                           placementInState(*buffer));
        continue;
      }
      if (!storages.indexOf[*buffer] || !(arenaIO || stored.isState))
        continue;
      auto [first, last] = live.lifetimes[*buffer];
      func.setResultAttr(resultIndex, kPlacementAttrName,
                         placementOf(*storages.indexOf[*buffer],
                                     graph->getBuffers()[*buffer].exactBytes,
                                     first, last));
    }
    Builder builder(&getContext());
    func->setAttr(kArenaAttrName,
                  ArenaAttr::get(&getContext(), arenaSize, alignment,
                                 storages.exactPeak, lowerBound));
    // What TensorFlow Lite Micro's greedy planner would need for the same
    // buffers and lifetimes, for comparison: it writes nothing over another.
    SmallVector<PackingBuffer> apart(storages.packing);
    for (PackingBuffer &storage : apart)
      storage.over.reset();
    func->setAttr(
        kFirstFitSizeAttrName,
        builder.getI64IntegerAttr(
            packBuffers(apart, alignment, PackingStrategy::FirstFit).size));
  }
};
} // namespace

//===- Partitioning.cpp - Choosing channel-split groups ---------*- C++ -*-===//

#include "pex/Analysis/Partitioning.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Debug.h"

#include <set>

#define DEBUG_TYPE "pex-partition"

using namespace mlir;
using namespace mlir::pex;

namespace {
using Unit = BufferGraph::Unit;
using Props = PartialExecutionProperties;

/// The channels of the unit's result; 0 for a scalar, which has no channel
/// axis to cut, or a unit computing none (a write of the output's rows).
int64_t getChannels(const Unit &unit) {
  if (unit.outputs.empty())
    return 0;
  auto type = cast<ShapedType>(unit.op.getSink()->getResult(0).getType());
  return type.getRank() == 0 ? 0 : type.getShape().back();
}

bool hasProperty(Operation *op, Props property) {
  auto partial = dyn_cast_or_null<PartialExecutionOpInterface>(op);
  return partial && partial.hasProperty(property);
}

/// Whether `op` can run on a slice of `channels` channels in `mode`: every
/// constant it cuts has `channels` elements along the cut, every activation
/// it cuts is cut along its last (channel) dimension, and every value of the
/// chain (`sliced`, which exists only as slices) is one it cuts.
bool isSliceable(Operation *op, SliceMode mode, int64_t channels,
                 const llvm::DenseSet<Value> &sliced) {
  auto partial = dyn_cast<PartialExecutionOpInterface>(op);
  if (!partial)
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type)
      continue;
    std::optional<int64_t> dim =
        partial.getSlicedOperandDim(operand.getOperandNumber(), mode);
    bool isChannelAxis = dim && *dim == type.getRank() - 1;
    if (sliced.contains(operand.get())) {
      if (!isChannelAxis || type.getDimSize(*dim) != channels)
        return false;
      continue;
    }
    if (!dim)
      continue;
    if (type.getDimSize(*dim) != channels)
      return false;
    if (!isConstantValue(operand.get()) && !isChannelAxis)
      return false;
  }
  return true;
}

/// The unit can compute its output channel slices (a convolution and its
/// epilogue), given the chain values it receives as slices.
bool canRunOnSlices(const Unit &unit, int64_t channels,
                    llvm::DenseSet<Value> sliced) {
  if (unit.group || getChannels(unit) != channels)
    return false;
  Operation *anchor = unit.op.anchor;
  bool producesSlices = anchor && hasProperty(anchor, Props::OutputSplittable);
  bool channelLocal = !anchor || hasProperty(anchor, Props::ChannelLocal);
  if (!producesSlices && !channelLocal)
    return false;
  for (Operation *op : unit.op.ops) {
    if (!isSliceable(op, SliceMode::Output, channels, sliced))
      return false;
    for (Value result : op->getResults())
      sliced.insert(result);
  }
  return true;
}

/// The group width the unit's operators cut their channels at: 1, or the
/// width of the grouped convolutions among them (0 when two disagree, which
/// no slice size satisfies).
int64_t getGranularity(const Unit &unit) {
  int64_t granularity = 1;
  for (Operation *op : unit.op.ops) {
    auto partial = dyn_cast<PartialExecutionOpInterface>(op);
    int64_t width = partial ? partial.getChannelGranularity() : 1;
    if (width == 1)
      continue;
    if (granularity != 1 && granularity != width)
      return 0;
    granularity = width;
  }
  return granularity;
}

/// The granularity of a chain of `current` extended by a unit of
/// `granularity` `next` (0: incompatible).
int64_t combineGranularity(int64_t current, int64_t next) {
  if (current == 0 || next == 0)
    return 0;
  if (current == 1 || next == 1 || current == next)
    return std::max(current, next);
  return 0;
}

/// The unit's anchor can consume `input` slice by slice into an accumulator
/// (its epilogue then runs once on the full accumulator).
bool canAccumulateSlices(const Unit &unit, Value input, int64_t channels) {
  Operation *anchor = unit.op.anchor;
  if (unit.group || !anchor || !hasProperty(anchor, Props::InputAccumulable) ||
      !input.hasOneUse() || *input.getUsers().begin() != anchor)
    return false;
  for (Value operand : anchor->getOperands())
    if (operand != input && !isConstantValue(operand))
      return false;
  return isSliceable(anchor, SliceMode::Input, channels, {input});
}
} // namespace

SmallVector<GroupPlan> mlir::pex::findGroupChains(const BufferGraph &model) {
  ArrayRef<Unit> units = model.getUnits();
  ArrayRef<BufferGraph::Buffer> buffers = model.getBuffers();
  SmallVector<GroupPlan> plans;
  for (unsigned start = 0; start < units.size(); ++start) {
    int64_t channels = getChannels(units[start]);
    int64_t granularity = getGranularity(units[start]);
    if (channels < 2 || granularity == 0 ||
        !canRunOnSlices(units[start], channels, {}))
      continue;
    SmallVector<unsigned> chain{start};
    for (unsigned current = start;;) {
      Value tensor = units[current].op.getSink()->getResult(0);
      const BufferGraph::Buffer &buffer =
          buffers[units[current].outputs.front()];
      if (buffer.isResult || buffer.consumers.size() != 1 ||
          !tensor.hasOneUse())
        break;
      unsigned next = buffer.consumers.front();
      if (model.getUnitOf(*tensor.getUsers().begin()) != next ||
          model.computesInState(next))
        break;
      SmallVector<unsigned> extended(chain);
      extended.push_back(next);
      if (canAccumulateSlices(units[next], tensor, channels)) {
        plans.push_back({extended, true, channels, 0, granularity});
        break;
      }
      granularity =
          combineGranularity(granularity, getGranularity(units[next]));
      if (granularity == 0 || !canRunOnSlices(units[next], channels, {tensor}))
        break;
      plans.push_back({extended, false, channels, 0, granularity});
      chain = std::move(extended);
      current = next;
    }
  }
  return plans;
}

namespace {
/// One reason a whole tensor (buffer `buffer` of `model`) is not cut into
/// channel slices by a group around its producer and consumer.
std::string explainWholeTensor(const BufferGraph &model, unsigned buffer,
                               const ScheduleLiveness &eval) {
  ArrayRef<Unit> units = model.getUnits();
  const BufferGraph::Buffer &tensor = model.getBuffers()[buffer];
  std::string what = model.describeBuffer(buffer) + " (" +
                     std::to_string(tensor.exactBytes) + " bytes)";
  if (tensor.isArgument)
    return what + " is the model's input, live until its last reader";
  if (tensor.isState)
    return what + " is state the run leaves for the next, kept until the "
                  "run's end";
  if (tensor.isResult)
    return what + " is the model's output";
  if (!tensor.producer)
    return what + " has no producer Pex can split";
  const Unit &producer = units[*tensor.producer];
  std::string producerLabel = getOpLabel(producer.getOperation());
  if (isa<scf::ForOp>(producer.getOperation()))
    return what + " is carried by a loop across all its iterations";
  if (producer.group)
    return what + " is assembled slice by slice by a group that ends "
                  "before its reader";
  int64_t channels = getChannels(producer);
  if (channels < 2)
    return what + " has a single channel";
  if (!canRunOnSlices(producer, channels, {}))
    return what + ": " + producerLabel +
           " cannot compute a slice of its output channels (it is not a "
           "convolution and not channel-local)";
  if (tensor.consumers.size() > 1) {
    SmallVector<Operation *> readerOps;
    for (unsigned consumer : tensor.consumers)
      readerOps.push_back(units[consumer].getOperation());
    llvm::sort(readerOps, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    std::string readers;
    for (Operation *reader : readerOps)
      readers += (readers.empty() ? "" : " and ") + getOpLabel(reader);
    return what + " is read by " + readers +
           ": a chain can continue into one reader only";
  }
  if (tensor.consumers.empty())
    return what + " is read by no operator";
  const Unit &consumer = units[tensor.consumers.front()];
  std::string consumerLabel = getOpLabel(consumer.getOperation());
  Value value = producer.op.getSink()->getResult(0);
  bool throughView = llvm::any_of(value.getUsers(), [&](Operation *user) {
    return model.getUnitOf(user) != tensor.consumers.front();
  });
  if (throughView)
    return what + " reaches " + consumerLabel +
           " through a reshape or slice that changes its channels";
  if (!value.hasOneUse())
    return what + " is read more than once by " + consumerLabel +
           ", which a slice of it cannot feed";
  // A group, stream or loop runs its own slices (one head of attention per
  // slice, rows): all of them read from the whole tensor.
  if (consumer.group)
    return what + " is read by " + consumerLabel +
           ", which needs it whole before its first iteration";
  bool accumulates = canAccumulateSlices(consumer, value, channels);
  if (!accumulates && !canRunOnSlices(consumer, channels, {value}))
    return what + ": " + consumerLabel +
           " is not channel-local and does not sum over the channels of its "
           "input";
  if (!accumulates) {
    int64_t producerWidth = getGranularity(producer);
    int64_t consumerWidth = getGranularity(consumer);
    if (combineGranularity(producerWidth, consumerWidth) == 0)
      return what + ": " + producerLabel + " cuts its channels in groups of " +
             std::to_string(producerWidth) + " and " + consumerLabel +
             " in groups of " + std::to_string(consumerWidth) +
             ": no slice is whole groups of both";
  }
  // A chain exists: say what it would cost.
  for (GroupPlan plan : findGroupChains(model)) {
    auto at = llvm::find(plan.chain, *tensor.producer);
    if (at == plan.chain.end() || std::next(at) == plan.chain.end() ||
        *std::next(at) != tensor.consumers.front())
      continue;
    if (plan.accumulates && plan.chain.back() == tensor.consumers.front()) {
      Value accumulator = consumer.op.anchor->getResult(0);
      int64_t accumulatorBytes = getStorageBytes(accumulator.getType());
      if (accumulatorBytes >= tensor.exactBytes)
        return what + ": splitting it needs an accumulator of " +
               std::to_string(accumulatorBytes) + " bytes for " +
               consumerLabel + ", no less than the tensor";
    }
    plan.sliceSize = plan.granularity;
    BufferGraph grouped = simulateGroup(model, plan);
    SmallVector<unsigned> order;
    for (unsigned unit : eval.order)
      if (!llvm::is_contained(plan.chain, unit) || unit == plan.chain.back())
        order.push_back(mapUnitAfterGroup(plan, unit));
    ScheduleLiveness after = computeLiveness(grouped, order);
    return what + ": running " + producerLabel + " to " + consumerLabel +
           " on channel slices would need " + std::to_string(after.peakBytes) +
           " bytes at " + getOpLabel(after.getPeakOp(model.getFunction()));
  }
  return what + " is not in a chain producer -> channel-local operators -> "
                "consumer";
}
} // namespace

SmallVector<std::string> mlir::pex::explainPeak(const BufferGraph &model,
                                                const ScheduleLiveness &eval,
                                                unsigned limit) {
  SmallVector<unsigned> live;
  for (auto [index, buffer] : llvm::enumerate(model.getBuffers()))
    if (eval.isLive(index, eval.peakStep) && !buffer.ownerGroup &&
        buffer.bytes > 0 && eval.storageOf[index] == index &&
        model.counts(buffer))
      live.push_back(index);
  llvm::stable_sort(live, [&](unsigned a, unsigned b) {
    return model.getBuffers()[a].bytes > model.getBuffers()[b].bytes;
  });
  SmallVector<std::string> reasons;
  for (unsigned buffer : ArrayRef(live).take_front(limit))
    reasons.push_back(explainWholeTensor(model, buffer, eval));
  return reasons;
}

BufferGraph mlir::pex::applyGroups(const BufferGraph &model,
                                   ArrayRef<GroupChoice> groups) {
  BufferGraph result = model;
  for (const GroupChoice &group : groups) {
    GroupPlan plan;
    for (const LogicalOperator &op : group.chain)
      plan.chain.push_back(*result.getUnitOf(op.getSink()));
    plan.accumulates = group.accumulates;
    plan.channels = group.channels;
    plan.sliceSize = group.getSliceSize();
    plan.granularity = group.granularity;
    result = simulateGroup(result, plan);
  }
  return result;
}

namespace {
/// What the search minimises: the peak, then how many steps reach it (fewer
/// lets the next group lower it).
struct Score {
  int64_t peak = 0, stepsAtPeak = 0;
  bool operator<(const Score &other) const {
    return std::tie(peak, stepsAtPeak) <
           std::tie(other.peak, other.stepsAtPeak);
  }
};

Score score(const ScheduleLiveness &eval) {
  Score result{eval.peakBytes, 0};
  for (const ScheduleStep &step : eval.steps)
    result.stepsAtPeak += step.liveBytes == eval.peakBytes;
  return result;
}

/// `order` of a model's units, for the model with `plan` applied: the
/// group runs where the chain's last unit ran.
SmallVector<unsigned> mapOrder(ArrayRef<unsigned> order,
                               const GroupPlan &plan) {
  SmallVector<unsigned> mapped;
  for (unsigned unit : order)
    if (!llvm::is_contained(plan.chain, unit) || unit == plan.chain.back())
      mapped.push_back(mapUnitAfterGroup(plan, unit));
  return mapped;
}

/// Slice counts with distinct slice sizes and a non-empty last slice; with a
/// granularity of g > 1, one group of g channels per slice (a slice of
/// several groups would leave a grouped convolution to code generation,
/// which only emits convolutions of one group).
SmallVector<int64_t> getSliceCounts(int64_t channels, int64_t granularity) {
  if (granularity > 1)
    return {channels / granularity};
  SmallVector<int64_t> counts;
  int64_t previousSize = channels;
  for (int64_t slices = 2; slices <= channels; ++slices) {
    int64_t size = (channels + slices - 1) / slices;
    if (size == previousSize || size * (slices - 1) >= channels)
      continue;
    counts.push_back(slices);
    previousSize = size;
  }
  return counts;
}
} // namespace

namespace {
/// A partial plan of the search: the groups chosen so far and the model they
/// make, with its best order and that order's liveness.
struct SearchState {
  SmallVector<GroupChoice> groups;
  BufferGraph model;
  SmallVector<unsigned> order;
  ScheduleLiveness eval;
  /// Whether every group was the greedy choice of the state before: the plan
  /// the search took when it kept one state, which it still finds.
  bool greedy = false;
};

/// One more group for the state of rank `parent` in the beam.
struct Extension {
  unsigned parent = 0;
  GroupPlan plan;
  int64_t slices = 0;
  Score score;
  /// The rank among the parent's candidates, in the order they are tried.
  unsigned sequence = 0;
};

/// Which extension the search prefers: the lower score; on ties the longer
/// chain (a chosen group's units join no later chain, so a shorter one
/// chosen first would keep its neighbours' tensors whole where another peak
/// hides what they cost: an expansion before a [grouped convolution ->
/// projection] group), then the better-ranked parent, then the later
/// candidate (more slices: a group's slices are fixed once chosen, and the
/// relaxation after the search removes the ones the final peak does not
/// need).
bool isPreferred(const Extension &a, const Extension &b) {
  if (a.score < b.score || b.score < a.score)
    return a.score < b.score;
  if (a.plan.chain.size() != b.plan.chain.size())
    return a.plan.chain.size() > b.plan.chain.size();
  if (a.parent != b.parent)
    return a.parent < b.parent;
  return a.sequence > b.sequence;
}

/// The groups of a plan whatever the order they were chosen in: each by its
/// first and last operators, whether it accumulates, and its slices.
using PlanKey =
    SmallVector<std::tuple<Operation *, Operation *, bool, int64_t>>;

PlanKey getPlanKey(ArrayRef<GroupChoice> groups) {
  PlanKey key;
  for (const GroupChoice &group : groups)
    key.emplace_back(group.chain.front().getRepresentative(),
                     group.chain.back().getRepresentative(), group.accumulates,
                     group.slices);
  llvm::sort(key);
  return key;
}
} // namespace

PartitionResult
mlir::pex::choosePartition(const BufferGraph &model,
                           const PartitionSearchOptions &options) {
  PartitionResult result;
  auto schedule = [&](const BufferGraph &m) {
    return findMinimumPeakOrder(m, options.scheduling).order;
  };
  auto withinBudget = [&](const SearchState &state) {
    return options.arenaBudget > 0 &&
           state.eval.peakBytes <= options.arenaBudget;
  };

  // A beam search over plans, one group more per round: greedy choices
  // lock units into a chain that would have lowered the peak more as part
  // of another (a convolution consuming a pooled group's slices instead of
  // producing its own pooled slices), so the best few plans are extended
  // each round. The greedy plan stays the beam's first.
  std::vector<SearchState> beam;
  {
    SearchState initial{{}, model, schedule(model), {}, /*greedy=*/true};
    initial.eval = computeLiveness(initial.model, initial.order);
    beam.push_back(std::move(initial));
  }
  result.peakBefore = beam.front().eval.peakBytes;
  std::optional<SearchState> greedyFinal, bestOther;
  if (withinBudget(beam.front())) {
    greedyFinal = beam.front();
    beam.clear();
  }
  std::set<PlanKey> seen{PlanKey{}};
  unsigned beamWidth = std::max(1u, options.beamWidth);

  // No state of the beam is within the budget: a plan that is ends the search.
  while (!beam.empty()) {
    SmallVector<Extension> extensions;
    for (auto [rank, state] : llvm::enumerate(beam)) {
      Score parentScore = score(state.eval);
      unsigned sequence = 0;
      for (GroupPlan plan : findGroupChains(state.model)) {
        SmallVector<int64_t> counts =
            getSliceCounts(plan.channels, plan.granularity);
        if (options.slices > 0) {
          // The largest legal count up to the requested one.
          auto legal = llvm::make_filter_range(
              counts, [&](int64_t n) { return n <= options.slices; });
          counts.assign(legal.begin(), legal.end());
          if (counts.empty())
            continue;
          counts.erase(counts.begin(), counts.end() - 1);
        }
        for (int64_t slices : counts) {
          plan.sliceSize = (plan.channels + slices - 1) / slices;
          Score candidate = score(computeLiveness(
              simulateGroup(state.model, plan), mapOrder(state.order, plan)));
          if (candidate < parentScore)
            extensions.push_back({static_cast<unsigned>(rank), plan, slices,
                                  candidate, sequence});
          ++sequence;
        }
      }
    }
    llvm::stable_sort(extensions, isPreferred);

    // The greedy plan's next group is the best of its own extensions.
    const Extension *greedyNext = nullptr;
    if (beam.front().greedy) {
      auto own = llvm::find_if(
          extensions, [](const Extension &e) { return e.parent == 0; });
      if (own != extensions.end())
        greedyNext = &*own;
      else
        greedyFinal = beam.front();
    }
    std::vector<SearchState> next;
    auto extend = [&](const Extension &extension, bool greedy) {
      const SearchState &parent = beam[extension.parent];
      GroupChoice choice{{},
                         extension.plan.accumulates,
                         extension.plan.channels,
                         extension.slices,
                         extension.plan.granularity};
      for (unsigned unit : extension.plan.chain)
        choice.chain.push_back(parent.model.getUnits()[unit].op);
      SmallVector<GroupChoice> groups(parent.groups);
      groups.push_back(choice);
      if (!seen.insert(getPlanKey(groups)).second && !greedy)
        return;
      SearchState state{std::move(groups),
                        simulateGroup(parent.model, extension.plan),
                        {},
                        {},
                        greedy};
      state.order = schedule(state.model);
      state.eval = computeLiveness(state.model, state.order);
      LLVM_DEBUG(llvm::dbgs()
                 << "pex-partition: " << (greedy ? "greedy " : "") << "plan of "
                 << state.groups.size() << " groups: peak "
                 << parent.eval.peakBytes << " -> " << state.eval.peakBytes
                 << " B with a group of " << choice.chain.size()
                 << " operators from "
                 << getOpLabel(choice.chain.front().getRepresentative()) << " ("
                 << choice.channels << " channels, " << choice.slices
                 << " slices, "
                 << (choice.accumulates ? "accumulated" : "assembled")
                 << ")\n");
      if (!greedy && (!bestOther || score(state.eval) < score(bestOther->eval)))
        bestOther = state;
      next.push_back(std::move(state));
    };
    if (greedyNext)
      extend(*greedyNext, /*greedy=*/true);
    for (const Extension &extension : extensions) {
      if (next.size() >= beamWidth)
        break;
      if (&extension != greedyNext)
        extend(extension, /*greedy=*/false);
    }
    // A plan within the budget ends the search: the greedy one first, else
    // the best-ranked other.
    auto fits = llvm::find_if(next, withinBudget);
    if (fits != next.end()) {
      if (fits->greedy)
        greedyFinal = *fits;
      else
        bestOther = *fits;
      break;
    }
    beam = std::move(next);
  }

  // Another plan replaces the greedy one only when it meets the budget the
  // greedy one misses or has a lower peak (on ties the greedy plan, which
  // earlier versions chose).
  bool useOther;
  if (!bestOther || (greedyFinal && withinBudget(*greedyFinal)))
    useOther = false;
  else if (!greedyFinal || withinBudget(*bestOther))
    useOther = true;
  else
    useOther = bestOther->eval.peakBytes < greedyFinal->eval.peakBytes;
  const SearchState &chosen = useOther ? *bestOther : *greedyFinal;
  result.groups = chosen.groups;
  const ScheduleLiveness &eval = chosen.eval;

  // Slices cost loop overhead: drop the groups the final peak (or the
  // budget) does not need, then give each group the fewest slices that keep
  // it.
  int64_t target = std::max(eval.peakBytes, options.arenaBudget);
  auto peakWith = [&](ArrayRef<GroupChoice> groups) {
    BufferGraph candidate = applyGroups(model, groups);
    return computeLiveness(candidate, schedule(candidate)).peakBytes;
  };
  for (size_t index = result.groups.size(); index-- > 0;) {
    SmallVector<GroupChoice> without(result.groups);
    without.erase(without.begin() + index);
    if (peakWith(without) <= target) {
      LLVM_DEBUG(llvm::dbgs() << "pex-partition: group " << index
                              << " is not needed for " << target << " B\n");
      result.groups = std::move(without);
    }
  }
  // The most slices, as a multiple of the fewest that keep the peak, a
  // group takes to get an even slice width.
  constexpr int64_t kMaxEvenWidthSlicesFactor = 2;
  for (GroupChoice &group : result.groups) {
    if (options.slices > 0)
      break;
    int64_t chosen = group.slices;
    SmallVector<int64_t> counts =
        getSliceCounts(group.channels, group.granularity);
    for (int64_t slices : counts) {
      if (slices >= chosen)
        break;
      group.slices = slices;
      if (peakWith(result.groups) <= target)
        break;
      group.slices = chosen;
    }
    // An odd slice width leaves the packed kernels a channel without its
    // pair (singles, or a padding channel, and a last slice packed apart):
    // the fewest slices of an even width, at most twice as many, where they
    // keep the peak too (estimated cycles, bench/run.py:
    // fingerprint_signature_generator's 16 channels in 8 slices of two
    // instead of 6 of three, 8.67 M -> 7.80 M; vww_96_int8's 32 in 4 of
    // eight instead of 3 of eleven, -0.2 %). A multiple of four was slower
    // (keyword_spotting_on_off_v3 +2.2 %, zoo MobileNetV2-0.35 +3.1 %).
    int64_t fewest = group.slices;
    if (group.getSliceSize() % 2 == 0 || group.getSliceSize() == 1)
      continue;
    for (int64_t slices : counts) {
      if (slices > kMaxEvenWidthSlicesFactor * fewest)
        break;
      group.slices = slices;
      if (slices > fewest && group.getSliceSize() % 2 == 0 &&
          peakWith(result.groups) <= target) {
        LLVM_DEBUG(llvm::dbgs() << "pex-partition: " << slices
                                << " slices of an even width instead of "
                                << fewest << "\n");
        break;
      }
      group.slices = fewest;
    }
  }

  BufferGraph final = applyGroups(model, result.groups);
  result.order = schedule(final);
  result.peakAfter = computeLiveness(final, result.order).peakBytes;
  result.model = std::move(final);
  return result;
}

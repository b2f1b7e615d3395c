//===- Liveness.cpp - Live bytes of a schedule ----------------------------===//

#include "pex/Analysis/Liveness.h"

#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace mlir::pex;

using Buffer = BufferGraph::Buffer;
using GroupProfile = BufferGraph::GroupProfile;
using Unit = BufferGraph::Unit;

/// The internal step at which `output` is written over the whole input
/// `input` if `input` dies at the group (the caller checks that).
static std::optional<unsigned> getInPlaceInputStep(const BufferGraph &graph,
                                                   const GroupProfile &profile,
                                                   unsigned output,
                                                   unsigned input) {
  ArrayRef<Buffer> buffers = graph.getBuffers();
  unsigned step = profile.outputFirstStep.lookup(output);
  auto last = profile.inputLastStep.find(input);
  if (last == profile.inputLastStep.end() || last->second != step ||
      buffers[input].isIO() || buffers[output].isIO())
    return std::nullopt;
  return step;
}

/// Removes from a stream's live bytes per internal step those its result
/// shares with its input (the result written over the input's consumed
/// rows), at the steps where both are live; the caller checks that the
/// input dies at the stream.
static void subtractSharedBytes(const BufferGraph &graph,
                                const GroupProfile &profile,
                                MutableArrayRef<int64_t> live) {
  const GroupProfile::ResultOverInput &over = *profile.resultOverInput;
  const Buffer &input = graph.getBuffers()[over.input];
  const Buffer &result = graph.getBuffers()[over.result];
  if (!graph.counts(input) || !graph.counts(result))
    return;
  int64_t spanned = std::max(input.bytes, over.offset + result.bytes) -
                    std::min<int64_t>(0, over.offset);
  int64_t shared = input.bytes + result.bytes - spanned;
  unsigned first = profile.outputFirstStep.lookup(over.result);
  unsigned last = profile.inputLastStep.lookup(over.input);
  for (unsigned step = first; step <= last && step < live.size(); ++step)
    live[step] -= shared;
}

ScheduleLiveness mlir::pex::computeLiveness(const BufferGraph &graph,
                                            ArrayRef<unsigned> order,
                                            bool peakCheckedSharing) {
  ArrayRef<Unit> units = graph.getUnits();
  ArrayRef<Buffer> buffers = graph.getBuffers();
  ScheduleLiveness eval;
  eval.order.assign(order.begin(), order.end());
  SmallVector<unsigned> unitStart(units.size(), 0);
  for (unsigned unit : order) {
    unitStart[unit] = eval.steps.size();
    for (unsigned step = 0; step < units[unit].getNumSteps(); ++step) {
      const LogicalOperator *op =
          units[unit].group ? &units[unit].group->steps[step] : &units[unit].op;
      eval.steps.push_back(ScheduleStep{unit, step, 0, op});
    }
  }
  unsigned numSteps = eval.steps.size();
  unsigned lastStep = numSteps ? numSteps - 1 : 0;

  eval.lifetimes.resize(buffers.size());
  for (auto [index, buffer] : llvm::enumerate(buffers)) {
    if (buffer.ownerGroup) {
      unsigned start = unitStart[*buffer.ownerGroup];
      eval.lifetimes[index] = {start + buffer.internalFirst,
                               start + buffer.internalLast};
      continue;
    }
    unsigned first = 0, last = 0;
    if (buffer.producer) {
      const Unit &producer = units[*buffer.producer];
      unsigned start = unitStart[*buffer.producer];
      first = start;
      last = start;
      // A group's results are live from when it starts writing them to the
      // end of the group at least.
      if (producer.group) {
        first += producer.group->outputFirstStep.lookup(index);
        last = start + producer.group->steps.size() - 1;
      }
    }
    for (unsigned consumer : buffer.consumers) {
      const Unit &unit = units[consumer];
      unsigned use = unitStart[consumer] +
                     (unit.group ? unit.group->inputLastStep.lookup(index) : 0);
      last = std::max(last, use);
    }
    if (buffer.isResult)
      last = lastStep;
    eval.lifetimes[index] = {first, last};
  }

  // In place: an output takes over the storage of an input dying where the
  // output is written.
  eval.storageOf = llvm::to_vector(llvm::seq<unsigned>(0, buffers.size()));
  auto writeOver = [&](unsigned output, unsigned input) {
    if (!buffers[input].isIO() && !buffers[output].isIO() &&
        eval.lifetimes[input].second == eval.lifetimes[output].first)
      eval.storageOf[output] = eval.storageOf[input];
  };
  eval.offsetInStorage.assign(buffers.size(), 0);
  SmallVector<const GroupProfile::ResultOverInput *> overlaps;
  // In the order outputs are written, so that an output over one that is
  // itself over an input takes that input's storage too.
  SmallVector<std::pair<unsigned, unsigned>> overPairs;
  for (unsigned unit : order) {
    const Unit &u = units[unit];
    if (u.inPlaceInput)
      overPairs.push_back({u.outputs.front(), *u.inPlaceInput});
    if (!u.group)
      continue;
    llvm::append_range(overPairs, u.group->inPlaceOver);
    // A stream's result over its input's consumed rows, when no later unit
    // reads the input.
    if (const auto &overInput = u.group->resultOverInput;
        peakCheckedSharing && overInput &&
        graph.counts(buffers[overInput->input]) &&
        eval.lifetimes[overInput->input].second ==
            unitStart[unit] + u.group->inputLastStep.lookup(overInput->input))
      overlaps.push_back(&*overInput);
  }
  llvm::stable_sort(overPairs, [&](auto a, auto b) {
    return eval.lifetimes[a.first].first < eval.lifetimes[b.first].first;
  });
  for (auto [output, input] : overPairs)
    writeOver(output, input);

  // Results over wider inputs, where the input dies at the unit's step (or,
  // in a body, at the temporary's step).
  SmallVector<ScheduleLiveness::Overwrite> overwriteCandidates;
  for (unsigned unit : order) {
    const Unit &u = units[unit];
    if (u.group) {
      for (auto [result, wider] : u.group->overWiderTemporary)
        if (eval.lifetimes[wider].second == eval.lifetimes[result].first)
          overwriteCandidates.push_back(
              {result, wider, eval.lifetimes[result].first});
      continue;
    }
    if (!u.overwritableInput)
      continue;
    unsigned step = unitStart[unit];
    unsigned input = *u.overwritableInput, result = u.outputs.front();
    if (eval.lifetimes[input].second == step &&
        eval.lifetimes[result].first == step)
      overwriteCandidates.push_back({result, input, step});
  }

  // Live bytes per step over storage roots, by a difference array.
  auto countLiveBytes = [&] {
    SmallVector<std::pair<unsigned, unsigned>> rootInterval(
        buffers.size(), {std::numeric_limits<unsigned>::max(), 0});
    SmallVector<bool> rootCounted(buffers.size(), false);
    // A storage spans its buffers' bytes at their offsets in it.
    SmallVector<int64_t> rootBegin(buffers.size(), 0),
        rootEnd(buffers.size(), 0);
    for (unsigned index = 0; index < buffers.size(); ++index) {
      unsigned root = eval.storageOf[index];
      rootInterval[root].first =
          std::min(rootInterval[root].first, eval.lifetimes[index].first);
      rootInterval[root].second =
          std::max(rootInterval[root].second, eval.lifetimes[index].second);
      rootCounted[root] = rootCounted[root] || root == index;
      rootBegin[root] = std::min(rootBegin[root], eval.offsetInStorage[index]);
      rootEnd[root] = std::max(rootEnd[root], eval.offsetInStorage[index] +
                                                  buffers[index].bytes);
    }
    SmallVector<int64_t> delta(numSteps + 1, 0);
    for (unsigned root = 0; root < buffers.size(); ++root) {
      if (!rootCounted[root] || !graph.counts(buffers[root]) || numSteps == 0)
        continue;
      int64_t bytes = rootEnd[root] - rootBegin[root];
      delta[rootInterval[root].first] += bytes;
      delta[rootInterval[root].second + 1] -= bytes;
    }
    // An overwrite holds when the input's storage ends and the result's
    // begins at the step, each buffer at its storage's first byte, and the
    // result's storage is no larger: then the result's storage bytes are
    // the input's.
    eval.overwrites.clear();
    for (const ScheduleLiveness::Overwrite &over : overwriteCandidates) {
      unsigned into = eval.storageOf[over.input];
      unsigned from = eval.storageOf[over.result];
      int64_t shared = rootEnd[from] - rootBegin[from];
      if (into == from || !rootCounted[into] || !rootCounted[from] ||
          rootInterval[into].second != over.step ||
          rootInterval[from].first != over.step ||
          eval.offsetInStorage[over.input] != rootBegin[into] ||
          eval.offsetInStorage[over.result] != rootBegin[from] ||
          shared > rootEnd[into] - rootBegin[into])
        continue;
      eval.overwrites.push_back(over);
      delta[over.step] -= shared;
      delta[over.step + 1] += shared;
    }
    int64_t live = 0;
    eval.peakBytes = 0;
    eval.peakStep = 0;
    for (unsigned step = 0; step < numSteps; ++step) {
      live += delta[step];
      eval.steps[step].liveBytes = live;
      if (live > eval.peakBytes) {
        eval.peakBytes = live;
        eval.peakStep = step;
      }
    }
  };
  countLiveBytes();

  // A result over its input's rows shares one storage with it: the storage
  // spans both for both lifetimes, so it may cost more after the stream
  // than it saves during it. Each is kept unless it raises the peak.
  for (const GroupProfile::ResultOverInput *over : overlaps) {
    SmallVector<unsigned> storageOf(eval.storageOf);
    SmallVector<int64_t> offsetInStorage(eval.offsetInStorage);
    int64_t peak = eval.peakBytes;
    unsigned from = eval.storageOf[over->result];
    unsigned into = eval.storageOf[over->input];
    int64_t shift = eval.offsetInStorage[over->input] + over->offset -
                    eval.offsetInStorage[over->result];
    // The result and what was written in place over it move together.
    for (unsigned index = 0; index < buffers.size(); ++index)
      if (eval.storageOf[index] == from) {
        eval.storageOf[index] = into;
        eval.offsetInStorage[index] += shift;
      }
    countLiveBytes();
    if (eval.peakBytes <= peak)
      continue;
    eval.storageOf = std::move(storageOf);
    eval.offsetInStorage = std::move(offsetInStorage);
    countLiveBytes();
  }

  // An operand computed in its slice of a concatenation's result joins the
  // result's storage, which then lives from the operand's step. Once the
  // storage lives from one operand's step, joining the operands computed
  // after it only takes their own storage away: the choice per
  // concatenation is the first operand joined, all later ones joining too
  // (one at a time, an Inception block's first branch would hold the whole
  // result beside the other branches' own storage, which only joining them
  // all avoids). The first operand kept is the one giving the lowest peak,
  // the earliest among equals, none if each raises the peak. An operand
  // that shares its storage already (written over its input) stays where it
  // is. Operands are taken in the order the schedule computes them,
  // whatever the buffers' numbering: the order the scheduler or the
  // partitioner evaluates and the IR it then records choose alike.
  SmallVector<unsigned> operandsInConcatenation;
  for (auto [index, buffer] : llvm::enumerate(buffers))
    if (peakCheckedSharing && buffer.concatenatedInto && graph.counts(buffer))
      operandsInConcatenation.push_back(index);
  llvm::stable_sort(operandsInConcatenation, [&](unsigned a, unsigned b) {
    return unitStart[*buffers[a].producer] < unitStart[*buffers[b].producer];
  });
  llvm::MapVector<unsigned, SmallVector<unsigned>> operandsByResult;
  for (unsigned index : operandsInConcatenation)
    if (eval.storageOf[index] == index &&
        llvm::count(eval.storageOf, index) == 1)
      operandsByResult[*buffers[index].concatenatedInto].push_back(index);
  for (auto &[result, operands] : operandsByResult) {
    // An operand's other readers read it in the slice: they must run before
    // the next operand joined and the concatenation write into the result
    // (bufferization would copy the slice otherwise), so a reader cannot be
    // the next operand's producer either.
    unsigned concatenation = *buffers[result].producer;
    auto readersRunBefore = [&](unsigned operand, unsigned step) {
      return llvm::all_of(buffers[operand].consumers, [&](unsigned reader) {
        return reader == concatenation || unitStart[reader] < step;
      });
    };
    auto canJoin = [&](ArrayRef<unsigned> joined) {
      for (auto [position, operand] : llvm::enumerate(joined)) {
        unsigned next = position + 1 < joined.size()
                            ? unitStart[*buffers[joined[position + 1]].producer]
                            : unitStart[concatenation];
        if (!readersRunBefore(operand, next))
          return false;
      }
      return true;
    };
    auto placeInResult = [&](ArrayRef<unsigned> joined, bool inResult) {
      for (unsigned index : joined) {
        eval.storageOf[index] = inResult ? eval.storageOf[result] : index;
        eval.offsetInStorage[index] =
            inResult ? eval.offsetInStorage[result] : 0;
      }
      countLiveBytes();
    };
    int64_t bestPeak = eval.peakBytes;
    size_t bestFirst = operands.size();
    for (size_t first = 0; first < operands.size(); ++first) {
      ArrayRef<unsigned> joined = ArrayRef(operands).drop_front(first);
      if (!canJoin(joined))
        continue;
      placeInResult(joined, /*inResult=*/true);
      if (eval.peakBytes < bestPeak ||
          (eval.peakBytes == bestPeak && bestFirst == operands.size())) {
        bestPeak = eval.peakBytes;
        bestFirst = first;
      }
      placeInResult(joined, /*inResult=*/false);
    }
    if (bestFirst < operands.size())
      placeInResult(ArrayRef(operands).drop_front(bestFirst),
                    /*inResult=*/true);
  }

  if (int64_t copied = graph.getReturnedInputBytes(); copied > 0) {
    int64_t atEnd =
        (numSteps ? eval.steps.back().liveBytes : getInitialBytes(graph)) +
        copied;
    if (atEnd > eval.peakBytes) {
      eval.peakBytes = atEnd;
      eval.peakStep = lastStep;
    }
  }
  return eval;
}

bool mlir::pex::isComputedInConcatenation(const BufferGraph &graph,
                                          const ScheduleLiveness &live,
                                          unsigned buffer) {
  std::optional<unsigned> result = graph.getBuffers()[buffer].concatenatedInto;
  return result && buffer != *result &&
         live.storageOf[buffer] == live.storageOf[*result];
}

/// Whether `unit` is the last reader of `buffer` once `executed` ran.
static bool isLastConsumer(const BufferGraph &graph, unsigned buffer,
                           unsigned unit, const llvm::BitVector &executed) {
  ArrayRef<Buffer> buffers = graph.getBuffers();
  if (buffers[buffer].isResult)
    return false;
  return llvm::all_of(buffers[buffer].consumers, [&](unsigned consumer) {
    return consumer == unit || executed.test(consumer);
  });
}

int64_t mlir::pex::getInitialBytes(const BufferGraph &graph) {
  int64_t bytes = 0;
  for (const Buffer &buffer : graph.getBuffers())
    if (buffer.isArgument && graph.counts(buffer))
      bytes += buffer.bytes;
  return bytes;
}

std::pair<int64_t, int64_t>
mlir::pex::getUnitCost(const BufferGraph &graph, unsigned unit,
                       const llvm::BitVector &executed, int64_t liveBefore) {
  ArrayRef<Buffer> buffers = graph.getBuffers();
  const Unit &u = graph.getUnits()[unit];
  int64_t dying = 0;
  SmallVector<unsigned> dyingInputs;
  for (unsigned input : u.inputs) {
    if (!isLastConsumer(graph, input, unit, executed))
      continue;
    dyingInputs.push_back(input);
    if (graph.counts(buffers[input]))
      dying += buffers[input].bytes;
  }
  int64_t produced = 0, discarded = 0;
  for (unsigned output : u.outputs) {
    if (!graph.counts(buffers[output]))
      continue;
    produced += buffers[output].bytes;
    if (buffers[output].consumers.empty() && !buffers[output].isResult)
      discarded += buffers[output].bytes;
  }
  int64_t after = liveBefore - dying + produced - discarded;

  if (!u.group) {
    bool inPlace =
        u.inPlaceInput && llvm::is_contained(dyingInputs, *u.inPlaceInput) &&
        !buffers[*u.inPlaceInput].isIO() && !buffers[u.outputs.front()].isIO();
    int64_t during = inPlace ? liveBefore : liveBefore + produced;
    if (!inPlace && u.overwritableInput &&
        llvm::is_contained(dyingInputs, *u.overwritableInput))
      during -= buffers[u.outputs.front()].bytes;
    return {during, after};
  }

  const GroupProfile &profile = *u.group;
  SmallVector<int64_t> live(profile.steps.size(), liveBefore - dying);
  for (unsigned step = 0; step < profile.steps.size(); ++step) {
    live[step] += profile.internalBytes[step];
    for (unsigned input : dyingInputs)
      if (graph.counts(buffers[input]) &&
          step <= profile.inputLastStep.lookup(input))
        live[step] += buffers[input].bytes;
  }
  for (auto [output, over] : profile.inPlaceOver)
    if (llvm::is_contained(dyingInputs, over))
      if (std::optional<unsigned> step =
              getInPlaceInputStep(graph, profile, output, over))
        live[*step] -= buffers[over].bytes;
  return {*llvm::max_element(live), after};
}

int64_t mlir::pex::getLowerBound(const BufferGraph &graph) {
  ArrayRef<Unit> units = graph.getUnits();
  ArrayRef<Buffer> buffers = graph.getBuffers();
  // Units each unit transitively depends on: an input can be overwritten
  // by a unit in some order when none of its other readers depends on that
  // unit (they can all run before it), and the bound is, per unit, the
  // least it needs over all orders.
  SmallVector<llvm::BitVector> ancestors(units.size(),
                                         llvm::BitVector(units.size()));
  for (auto [index, unit] : llvm::enumerate(units))
    for (unsigned input : unit.inputs)
      if (auto producer = buffers[input].producer) {
        ancestors[index].set(*producer);
        ancestors[index] |= ancestors[*producer];
      }

  int64_t bound = 0;
  auto countedBytes = [&](unsigned buffer) {
    return graph.counts(buffers[buffer]) ? buffers[buffer].bytes : 0;
  };
  for (auto [index, unit] : llvm::enumerate(units)) {
    auto canDieHere = [&, index = index](unsigned input) {
      return llvm::none_of(buffers[input].consumers, [&](unsigned consumer) {
        return consumer != index && ancestors[consumer].test(index);
      });
    };
    if (unit.group) {
      const GroupProfile &profile = *unit.group;
      SmallVector<int64_t> live(profile.internalBytes);
      for (unsigned step = 0; step < profile.steps.size(); ++step)
        for (unsigned input : unit.inputs)
          if (step <= profile.inputLastStep.lookup(input))
            live[step] += countedBytes(input);
      for (auto [output, over] : profile.inPlaceOver)
        if (std::optional<unsigned> step =
                getInPlaceInputStep(graph, profile, output, over);
            step && canDieHere(over))
          live[*step] -= countedBytes(over);
      if (profile.resultOverInput &&
          canDieHere(profile.resultOverInput->input))
        subtractSharedBytes(graph, profile, live);
      bound = std::max(bound, *llvm::max_element(live));
      continue;
    }
    // A concatenation's operands may be computed in its result.
    int64_t live = 0;
    for (unsigned input : unit.inputs)
      if (!buffers[input].concatenatedInto)
        live += countedBytes(input);
    for (unsigned output : unit.outputs)
      live += countedBytes(output);
    bool inPlace = unit.inPlaceInput && canDieHere(*unit.inPlaceInput) &&
                   !buffers[*unit.inPlaceInput].isIO() &&
                   !buffers[unit.outputs.front()].isIO();
    if (inPlace)
      live -= countedBytes(*unit.inPlaceInput);
    else if (unit.overwritableInput && canDieHere(*unit.overwritableInput))
      live -= countedBytes(unit.outputs.front());
    bound = std::max(bound, live);
  }
  return bound;
}

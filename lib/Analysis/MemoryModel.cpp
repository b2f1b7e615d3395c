//===- MemoryModel.cpp - Peak SRAM of a schedule ----------------*- C++ -*-===//

#include "pex/Analysis/MemoryModel.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pex;

namespace mlir::pex {
class MemoryModelBuilder {
public:
  explicit MemoryModelBuilder(MemoryModel &model) : model(model) {}
  LogicalResult build(func::FuncOp func);

private:
  using Buffer = MemoryModel::Buffer;
  using Unit = MemoryModel::Unit;

  LogicalResult checkSupported(func::FuncOp func);
  unsigned addBuffer(Value value) {
    Buffer buffer;
    buffer.value = value;
    buffer.bytes = getStorageBytes(value.getType());
    model.buffers.push_back(buffer);
    return model.buffers.size() - 1;
  }
  /// Maps the results of views in `block` to their sources' buffers.
  void aliasViews(Block &block, llvm::DenseMap<Value, unsigned> &bufferOf);
  std::optional<unsigned> findInPlaceInput(const LogicalOperator &op) const;
  void buildGroupProfile(unsigned unitIndex, GroupOp group);
  int64_t getMacs(const LogicalOperator &op) const;

  MemoryModel &model;
  llvm::DenseMap<Value, unsigned> bufferOf;
};
} // namespace mlir::pex

LogicalResult MemoryModelBuilder::checkSupported(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "pex: function must have a single block";
  auto checkType = [](Operation *op, Type type) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || shaped.hasStaticShape())
      return success();
    return op->emitError() << "pex: dynamic shape " << type
                           << " is not supported; memory is planned "
                              "statically";
  };
  for (Type type : func.getArgumentTypes())
    if (failed(checkType(func, type)))
      return failure();
  WalkResult result = func.getBody().walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (failed(checkType(op, type)))
        return WalkResult::interrupt();
    if (auto group = dyn_cast<GroupOp>(op)) {
      if (group->getParentOfType<GroupOp>()) {
        op->emitError() << "pex: nested groups are not supported";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    }
    if (op->getNumRegions() > 0 && !isa<KernelOp>(op) &&
        !op->getParentOfType<KernelOp>()) {
      op->emitError() << "pex: control flow ('" << op->getName()
                      << "') is not supported by the memory model";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

void MemoryModelBuilder::aliasViews(Block &block,
                                    llvm::DenseMap<Value, unsigned> &map) {
  for (Operation &op : block) {
    if (!isViewOp(&op))
      continue;
    auto view = cast<ViewLikeOpInterface>(&op);
    if (auto it = map.find(view.getViewSource()); it != map.end())
      map[view.getViewDest()] = it->second;
  }
}

std::optional<unsigned>
MemoryModelBuilder::findInPlaceInput(const LogicalOperator &op) const {
  std::optional<Value> candidate = getInPlaceCandidate(op);
  if (!candidate)
    return std::nullopt;
  auto it = bufferOf.find(*candidate);
  if (it == bufferOf.end() || model.buffers[it->second].value != *candidate)
    return std::nullopt;
  return it->second;
}

int64_t MemoryModelBuilder::getMacs(const LogicalOperator &op) const {
  int64_t macs = 0;
  for (Operation *member : op.ops)
    if (auto partial = dyn_cast<PartialExecutionOpInterface>(member))
      macs += partial.getMacs();
  return macs;
}

void MemoryModelBuilder::buildGroupProfile(unsigned unitIndex, GroupOp group) {
  auto profile = std::make_shared<MemoryModel::GroupProfile>();
  Unit &unit = model.units[unitIndex];
  Block &body = group.getBody().front();
  PartialYieldOp yield = group.getPartialYield();

  // Values inside the group that name a buffer: outer operands through the
  // block arguments, group results through the yields, and own buffers.
  llvm::DenseMap<Value, unsigned> local;
  for (auto [arg, operand] : llvm::zip(body.getArguments(),
                                       group->getOperands()))
    if (auto it = bufferOf.find(operand); it != bufferOf.end())
      local[arg] = it->second;
  for (auto [value, result] :
       llvm::zip(yield.getAssemble(), group.getAssembledResults()))
    local[value] = bufferOf.lookup(result);

  SmallVector<unsigned> accumulators;
  for (auto [index, value] : llvm::enumerate(yield.getAccumulate())) {
    unsigned buffer = group.hasEpilogue()
                          ? addBuffer(value)
                          : bufferOf.lookup(group.getFinalResults()[index]);
    if (group.hasEpilogue()) {
      model.buffers[buffer].ownerGroup = unitIndex;
      model.buffers[buffer].isAccumulator = true;
      profile->ownBuffers.push_back(buffer);
    }
    accumulators.push_back(buffer);
    local[value] = buffer;
  }

  profile->steps = formLogicalOperators(body);
  profile->numBodySteps = profile->steps.size();
  if (group.hasEpilogue()) {
    Block &epilogue = group.getEpilogue().front();
    for (auto [arg, buffer] :
         llvm::zip(epilogue.getArguments().take_front(accumulators.size()),
                   accumulators))
      local[arg] = buffer;
    for (auto [arg, operand] :
         llvm::zip(epilogue.getArguments().drop_front(accumulators.size()),
                   group.getWhole()))
      if (auto it = bufferOf.find(operand); it != bufferOf.end())
        local[arg] = it->second;
    auto epilogueYield = cast<YieldOp>(epilogue.getTerminator());
    for (auto [value, result] :
         llvm::zip(epilogueYield.getValues(), group.getFinalResults()))
      local[value] = bufferOf.lookup(result);
    llvm::append_range(profile->steps, formLogicalOperators(epilogue));
  }

  unsigned numSteps = profile->steps.size();
  unsigned lastBodyStep = profile->numBodySteps - 1;
  llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>> ownInterval;
  for (unsigned accumulator : accumulators)
    if (model.buffers[accumulator].ownerGroup)
      ownInterval[accumulator] = {0, group.hasEpilogue() ? lastBodyStep
                                                         : numSteps - 1};

  for (auto [step, op] : llvm::enumerate(profile->steps)) {
    bool inBody = step < profile->numBodySteps;
    Block *block = op.getSink()->getBlock();
    aliasViews(*block, local);
    Value sink = op.getSink()->getResult(0);
    if (!local.count(sink)) {
      unsigned buffer = addBuffer(sink);
      model.buffers[buffer].ownerGroup = unitIndex;
      profile->ownBuffers.push_back(buffer);
      local[sink] = buffer;
      ownInterval[buffer] = {step, step};
    }
    for (Value operand : op.getExternalOperands()) {
      auto it = local.find(operand);
      if (it == local.end())
        continue;
      unsigned buffer = it->second;
      if (auto own = ownInterval.find(buffer); own != ownInterval.end()) {
        own->second.second = std::max<unsigned>(own->second.second, step);
        continue;
      }
      // An outer buffer read by the body is needed by every iteration.
      unsigned last = inBody ? lastBodyStep : step;
      unsigned &entry = profile->inputLastStep[buffer];
      entry = std::max(entry, last);
    }
  }

  for (Value operand : group->getOperands())
    if (auto it = bufferOf.find(operand); it != bufferOf.end())
      profile->inputLastStep.try_emplace(it->second, 0);
  for (Value result : group.getAssembledResults())
    profile->outputFirstStep[bufferOf.lookup(result)] = 0;
  if (group.hasEpilogue()) {
    auto epilogueYield =
        cast<YieldOp>(group.getEpilogue().front().getTerminator());
    for (auto [value, result] :
         llvm::zip(epilogueYield.getValues(), group.getFinalResults())) {
      unsigned first = profile->numBodySteps;
      for (auto [step, op] : llvm::enumerate(profile->steps))
        if (op.getSink()->getResult(0) == value)
          first = step;
      unsigned output = bufferOf.lookup(result);
      profile->outputFirstStep[output] = first;
      // Kernels write the step's result over an operand that dies there, as
      // pex-form-kernels does after the epilogue is inlined.
      if (first >= numSteps)
        continue;
      if (std::optional<Value> over =
              getInPlaceCandidate(profile->steps[first]))
        if (auto it = local.find(*over); it != local.end())
          profile->inPlaceOver[output] = it->second;
    }
  } else {
    for (Value result : group.getFinalResults())
      profile->outputFirstStep[bufferOf.lookup(result)] = 0;
  }

  model.finishGroupProfile(*profile, ownInterval);

  for (auto [buffer, last] : profile->inputLastStep)
    unit.inputs.push_back(buffer);
  llvm::sort(unit.inputs);
  int64_t bodyMacs = 0;
  for (unsigned step = 0; step < profile->numBodySteps; ++step)
    bodyMacs += getMacs(profile->steps[step]);
  unit.macs = bodyMacs * static_cast<int64_t>(group.getChannels()) /
              group.getSliceSize();
  for (unsigned step = profile->numBodySteps; step < numSteps; ++step)
    unit.macs += getMacs(profile->steps[step]);
  unit.group = std::move(profile);
}

LogicalResult MemoryModelBuilder::build(func::FuncOp func) {
  model.func = func;
  if (failed(checkSupported(func)))
    return failure();
  Block &block = func.getBody().front();

  llvm::DenseSet<Attribute> constants;
  func.walk([&](Operation *op) {
    if (!op->hasTrait<OpTrait::ConstantLike>() || op->getNumResults() != 1)
      return;
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    Attribute value = op->getAttrDictionary();
    if (type && constants.insert(value).second)
      model.flashBytes += getStorageBytes(type);
  });

  for (BlockArgument arg : block.getArguments()) {
    if (!isa<RankedTensorType>(arg.getType()) || arg.use_empty())
      continue;
    unsigned buffer = addBuffer(arg);
    model.buffers[buffer].isArgument = true;
    bufferOf[arg] = buffer;
  }

  SmallVector<LogicalOperator> operators = formLogicalOperators(block);
  for (LogicalOperator &op : operators) {
    unsigned index = model.units.size();
    model.units.emplace_back();
    Unit &unit = model.units.back();
    unit.op = op;
    for (Operation *member : op.ops)
      model.unitOfOp[member] = index;
    for (Value result : op.getSink()->getResults()) {
      unsigned buffer = addBuffer(result);
      model.buffers[buffer].producer = index;
      bufferOf[result] = buffer;
      unit.outputs.push_back(buffer);
    }
  }
  aliasViews(block, bufferOf);
  // Group profiles count outputs unless they are the function's results.
  for (Value returned : block.getTerminator()->getOperands())
    if (auto it = bufferOf.find(returned); it != bufferOf.end())
      model.buffers[it->second].isResult = true;

  for (auto [index, unit] : llvm::enumerate(model.units)) {
    if (auto group = dyn_cast<GroupOp>(unit.op.getSink())) {
      buildGroupProfile(index, group);
      continue;
    }
    llvm::SetVector<unsigned> inputs;
    for (Value operand : unit.op.getExternalOperands())
      if (auto it = bufferOf.find(operand); it != bufferOf.end())
        inputs.insert(it->second);
    unit.inputs.assign(inputs.begin(), inputs.end());
    if (Operation *anchor = unit.op.anchor)
      for (Value operand : anchor->getOperands())
        if (auto it = bufferOf.find(operand); it != bufferOf.end())
          unit.anchorInputs.push_back(it->second);
    unit.inPlaceInput = findInPlaceInput(unit.op);
    unit.macs = getMacs(unit.op);
  }
  for (auto [index, unit] : llvm::enumerate(model.units))
    for (unsigned input : unit.inputs)
      model.buffers[input].consumers.push_back(index);

  return success();
}

FailureOr<MemoryModel> MemoryModel::build(func::FuncOp func, Options options) {
  MemoryModel model;
  model.options = options;
  MemoryModelBuilder builder(model);
  if (failed(builder.build(func)))
    return failure();
  return model;
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

void MemoryModel::finishGroupProfile(
    GroupProfile &profile,
    const llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>>
        &ownIntervals) {
  for (unsigned buffer : profile.ownBuffers) {
    buffers[buffer].internalFirst = ownIntervals.lookup(buffer).first;
    buffers[buffer].internalLast = ownIntervals.lookup(buffer).second;
  }
  unsigned numSteps = profile.steps.size();
  profile.internalBytes.assign(numSteps, 0);
  for (unsigned step = 0; step < numSteps; ++step) {
    for (unsigned buffer : profile.ownBuffers)
      if (buffers[buffer].internalFirst <= step &&
          step <= buffers[buffer].internalLast)
        profile.internalBytes[step] += buffers[buffer].bytes;
    for (auto [buffer, first] : profile.outputFirstStep)
      if (first <= step && counts(buffers[buffer]))
        profile.internalBytes[step] += buffers[buffer].bytes;
  }
  // An output written over the group's own accumulator as it dies.
  for (auto [output, over] : profile.inPlaceOver) {
    unsigned step = profile.outputFirstStep.lookup(output);
    if (llvm::is_contained(profile.ownBuffers, over) &&
        buffers[over].internalLast == step && !buffers[output].isIO())
      profile.internalBytes[step] -= buffers[over].bytes;
  }
}

std::optional<unsigned>
MemoryModel::getInPlaceInputStep(const GroupProfile &profile, unsigned output,
                                 unsigned input) const {
  unsigned step = profile.outputFirstStep.lookup(output);
  auto last = profile.inputLastStep.find(input);
  if (last == profile.inputLastStep.end() || last->second != step ||
      buffers[input].isIO() || buffers[output].isIO())
    return std::nullopt;
  return step;
}

unsigned MemoryModel::mapUnit(const GroupPlan &plan, unsigned unit) {
  // The chain's units are in program order; all but the last are removed,
  // and the last becomes the group.
  if (llvm::is_contained(plan.chain, unit))
    unit = plan.chain.back();
  ArrayRef<unsigned> removed = ArrayRef(plan.chain).drop_back();
  return unit - llvm::count_if(removed,
                               [&](unsigned member) { return member < unit; });
}

MemoryModel MemoryModel::withGroup(const GroupPlan &plan) const {
  MemoryModel result = *this;
  ArrayRef<unsigned> chain = plan.chain;
  unsigned numBody = chain.size();
  unsigned numSteps = numBody + (plan.accumulates ? 1 : 0);
  unsigned groupIndex = mapUnit(plan, chain.back());
  const Unit &last = units[chain.back()];

  auto profile = std::make_shared<GroupProfile>();
  for (unsigned member : chain)
    profile->steps.push_back(units[member].op);
  if (plan.accumulates)
    profile->steps.push_back(last.op);
  profile->numBodySteps = numBody;

  // Each chain tensor but the last becomes a slice buffer, written at its
  // step and read at the next; it no longer exists in full.
  llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>> ownIntervals;
  llvm::DenseSet<unsigned> chainTensors;
  for (unsigned step = 0; step + 1 < chain.size(); ++step) {
    unsigned full = units[chain[step]].outputs.front();
    chainTensors.insert(full);
    Buffer slice = buffers[full];
    slice.bytes = slice.bytes / plan.channels * plan.sliceSize;
    slice.producer.reset();
    slice.consumers.clear();
    slice.ownerGroup = groupIndex;
    result.buffers.push_back(slice);
    unsigned index = result.buffers.size() - 1;
    profile->ownBuffers.push_back(index);
    ownIntervals[index] = {step, step + 1};
    result.buffers[full].bytes = 0;
    result.buffers[full].producer.reset();
    result.buffers[full].consumers.clear();
  }
  // The consumer's anchor adds each slice's contribution to a full-size
  // accumulator of its result type, which its epilogue reads at the end.
  if (plan.accumulates) {
    Buffer accumulator;
    accumulator.value = last.op.anchor->getResult(0);
    accumulator.bytes = getStorageBytes(accumulator.value.getType());
    accumulator.ownerGroup = groupIndex;
    accumulator.isAccumulator = true;
    result.buffers.push_back(accumulator);
    unsigned index = result.buffers.size() - 1;
    profile->ownBuffers.push_back(index);
    ownIntervals[index] = {0, numSteps - 1};
    // The epilogue's kernel writes over the first same-sized operand it
    // reads: the accumulator, which it reads first, or else the input the
    // consumer could overwrite (see getInPlaceCandidate).
    unsigned output = last.outputs.front();
    auto partial = cast<PartialExecutionOpInterface>(last.op.anchor);
    bool hasEpilogueOps = last.op.ops.size() > 1 ||
                          partial.getAccumulationBiasOperand().has_value();
    if (hasEpilogueOps && accumulator.bytes == buffers[output].bytes)
      profile->inPlaceOver[output] = index;
    else if (last.inPlaceInput && !chainTensors.contains(*last.inPlaceInput))
      profile->inPlaceOver[output] = *last.inPlaceInput;
  }

  // Inputs from outside: read by every slice, or only by the epilogue (the
  // consumer's element-wise operators, such as a residual add).
  unsigned lastBodyStep = numBody - 1;
  for (auto [step, member] : llvm::enumerate(chain))
    for (unsigned input : units[member].inputs) {
      if (chainTensors.contains(input))
        continue;
      bool epilogueOnly = plan.accumulates && member == chain.back() &&
                          !llvm::is_contained(last.anchorInputs, input);
      unsigned lastStep = epilogueOnly ? numSteps - 1 : lastBodyStep;
      unsigned &entry = profile->inputLastStep[input];
      entry = std::max(entry, lastStep);
    }
  for (unsigned output : last.outputs)
    profile->outputFirstStep[output] = plan.accumulates ? numSteps - 1 : 0;
  result.finishGroupProfile(*profile, ownIntervals);

  Unit group;
  group.op = last.op;
  for (auto [input, lastStep] : profile->inputLastStep)
    group.inputs.push_back(input);
  llvm::sort(group.inputs);
  group.outputs = last.outputs;
  for (unsigned member : chain)
    group.macs += units[member].macs;
  group.group = std::move(profile);

  // Replace the chain's units by the group and renumber.
  std::vector<Unit> newUnits;
  for (unsigned index = 0; index < units.size(); ++index) {
    if (index == chain.back())
      newUnits.push_back(group);
    else if (!llvm::is_contained(chain, index))
      newUnits.push_back(units[index]);
  }
  result.units = std::move(newUnits);
  unsigned firstNew = buffers.size();
  for (auto [index, buffer] : llvm::enumerate(result.buffers)) {
    if (buffer.producer)
      buffer.producer = mapUnit(plan, *buffer.producer);
    if (buffer.ownerGroup && index < firstNew)
      buffer.ownerGroup = mapUnit(plan, *buffer.ownerGroup);
    for (unsigned &consumer : buffer.consumers)
      consumer = mapUnit(plan, consumer);
    llvm::sort(buffer.consumers);
    buffer.consumers.erase(llvm::unique(buffer.consumers),
                           buffer.consumers.end());
  }
  for (auto &[op, unit] : result.unitOfOp)
    unit = mapUnit(plan, unit);
  return result;
}

SmallVector<unsigned> MemoryModel::getProgramOrder() const {
  return llvm::to_vector(llvm::seq<unsigned>(0, units.size()));
}

std::optional<unsigned> MemoryModel::getUnitOf(Operation *op) const {
  auto it = unitOfOp.find(op);
  if (it == unitOfOp.end())
    return std::nullopt;
  return it->second;
}

MemoryModel::Evaluation MemoryModel::evaluate(ArrayRef<unsigned> order) const {
  Evaluation eval;
  eval.order.assign(order.begin(), order.end());
  SmallVector<unsigned> unitStart(units.size(), 0);
  for (unsigned unit : order) {
    unitStart[unit] = eval.steps.size();
    for (unsigned step = 0; step < units[unit].getNumSteps(); ++step) {
      const LogicalOperator *op =
          units[unit].group ? &units[unit].group->steps[step] : &units[unit].op;
      eval.steps.push_back(Step{unit, step, 0, op});
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
  for (unsigned unit : order) {
    const Unit &u = units[unit];
    if (u.inPlaceInput)
      writeOver(u.outputs.front(), *u.inPlaceInput);
    if (u.group)
      for (auto [output, over] : u.group->inPlaceOver)
        writeOver(output, over);
  }

  // Live bytes per step over storage roots, by a difference array.
  SmallVector<std::pair<unsigned, unsigned>> rootInterval(
      buffers.size(), {std::numeric_limits<unsigned>::max(), 0});
  SmallVector<bool> rootCounted(buffers.size(), false);
  for (unsigned index = 0; index < buffers.size(); ++index) {
    unsigned root = eval.storageOf[index];
    rootInterval[root].first =
        std::min(rootInterval[root].first, eval.lifetimes[index].first);
    rootInterval[root].second =
        std::max(rootInterval[root].second, eval.lifetimes[index].second);
    rootCounted[root] = rootCounted[root] || root == index;
  }
  SmallVector<int64_t> delta(numSteps + 1, 0);
  for (unsigned root = 0; root < buffers.size(); ++root) {
    if (!rootCounted[root] || !counts(buffers[root]) || numSteps == 0)
      continue;
    delta[rootInterval[root].first] += buffers[root].bytes;
    delta[rootInterval[root].second + 1] -= buffers[root].bytes;
  }
  int64_t live = 0;
  for (unsigned step = 0; step < numSteps; ++step) {
    live += delta[step];
    eval.steps[step].liveBytes = live;
    if (live > eval.peakBytes) {
      eval.peakBytes = live;
      eval.peakStep = step;
    }
  }

  if (int64_t copied = getReturnedInputBytes(); copied > 0) {
    int64_t atEnd =
        (numSteps ? eval.steps.back().liveBytes : getInitialBytes()) + copied;
    if (atEnd > eval.peakBytes) {
      eval.peakBytes = atEnd;
      eval.peakStep = lastStep;
    }
  }
  return eval;
}

bool MemoryModel::isLastConsumer(unsigned buffer, unsigned unit,
                                 const llvm::BitVector &executed) const {
  if (buffers[buffer].isResult)
    return false;
  return llvm::all_of(buffers[buffer].consumers, [&](unsigned consumer) {
    return consumer == unit || executed.test(consumer);
  });
}

int64_t MemoryModel::getInitialBytes() const {
  int64_t bytes = 0;
  for (const Buffer &buffer : buffers)
    if (buffer.isArgument && counts(buffer))
      bytes += buffer.bytes;
  return bytes;
}

std::pair<int64_t, int64_t>
MemoryModel::getUnitCost(unsigned unit, const llvm::BitVector &executed,
                         int64_t liveBefore) const {
  const Unit &u = units[unit];
  int64_t dying = 0;
  SmallVector<unsigned> dyingInputs;
  for (unsigned input : u.inputs) {
    if (!isLastConsumer(input, unit, executed))
      continue;
    dyingInputs.push_back(input);
    if (counts(buffers[input]))
      dying += buffers[input].bytes;
  }
  int64_t produced = 0, discarded = 0;
  for (unsigned output : u.outputs) {
    if (!counts(buffers[output]))
      continue;
    produced += buffers[output].bytes;
    if (buffers[output].consumers.empty() && !buffers[output].isResult)
      discarded += buffers[output].bytes;
  }
  int64_t after = liveBefore - dying + produced - discarded;

  if (!u.group) {
    bool inPlace = u.inPlaceInput &&
                   llvm::is_contained(dyingInputs, *u.inPlaceInput) &&
                   !buffers[*u.inPlaceInput].isIO() &&
                   !buffers[u.outputs.front()].isIO();
    int64_t during = inPlace ? liveBefore : liveBefore + produced;
    return {during, after};
  }

  const GroupProfile &profile = *u.group;
  SmallVector<int64_t> live(profile.steps.size(), liveBefore - dying);
  for (unsigned step = 0; step < profile.steps.size(); ++step) {
    live[step] += profile.internalBytes[step];
    for (unsigned input : dyingInputs)
      if (counts(buffers[input]) && step <= profile.inputLastStep.lookup(input))
        live[step] += buffers[input].bytes;
  }
  for (auto [output, over] : profile.inPlaceOver)
    if (llvm::is_contained(dyingInputs, over))
      if (std::optional<unsigned> step =
              getInPlaceInputStep(profile, output, over))
        live[*step] -= buffers[over].bytes;
  return {*llvm::max_element(live), after};
}

int64_t MemoryModel::getLowerBound() const {
  // Units each unit transitively depends on: an input can be overwritten in
  // any order when all its other readers are among them.
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
    return counts(buffers[buffer]) ? buffers[buffer].bytes : 0;
  };
  for (auto [index, unit] : llvm::enumerate(units)) {
    auto diesHereAlways = [&, index = index](unsigned input) {
      return llvm::all_of(buffers[input].consumers, [&](unsigned consumer) {
        return consumer == index || ancestors[index].test(consumer);
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
                getInPlaceInputStep(profile, output, over);
            step && diesHereAlways(over))
          live[*step] -= countedBytes(over);
      bound = std::max(bound, *llvm::max_element(live));
      continue;
    }
    int64_t live = 0;
    for (unsigned input : unit.inputs)
      live += countedBytes(input);
    for (unsigned output : unit.outputs)
      live += countedBytes(output);
    if (unit.inPlaceInput) {
      const Buffer &input = buffers[*unit.inPlaceInput];
      if (diesHereAlways(*unit.inPlaceInput) && !input.isIO() &&
          !buffers[unit.outputs.front()].isIO())
        live -= countedBytes(*unit.inPlaceInput);
    }
    bound = std::max(bound, live);
  }
  return bound;
}

int64_t MemoryModel::getReturnedInputBytes() const {
  int64_t bytes = 0;
  for (const Buffer &buffer : buffers)
    if (buffer.isArgument && buffer.isResult && counts(buffer))
      bytes += buffer.bytes;
  return bytes;
}

int64_t MemoryModel::getMacs() const {
  int64_t macs = 0;
  for (const Unit &unit : units)
    macs += unit.macs;
  return macs;
}

int64_t MemoryModel::getIOBytes() const {
  int64_t bytes = 0;
  // An input the function returns is two buffers to the caller: the input
  // and the output it is copied into.
  for (const Buffer &buffer : buffers)
    bytes += buffer.bytes *
             ((buffer.isArgument ? 1 : 0) + (buffer.isResult ? 1 : 0));
  return bytes;
}

std::string MemoryModel::describeBuffer(unsigned index) const {
  const Buffer &buffer = buffers[index];
  if (auto arg = dyn_cast<BlockArgument>(buffer.value))
    return "input #" + std::to_string(arg.getArgNumber()) + " " +
           getValueLabel(buffer.value);
  std::string producer = getOpLabel(buffer.value.getDefiningOp());
  if (buffer.isAccumulator)
    return "the accumulator of " + producer;
  return (buffer.ownerGroup ? "a slice of the result of " : "the result of ") +
         producer;
}

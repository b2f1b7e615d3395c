//===- BufferGraph.cpp - Activation buffers and who reads them ------------===//

#include "pex/Analysis/BufferGraph.h"
#include "pex/Analysis/ConcatenationSlices.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Analysis/RowStreaming.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Interfaces/RowReductionOpInterface.h"

#include "pex/Dialect/Pex/IR/Views.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pex;

namespace mlir::pex {
class BufferGraphBuilder {
public:
  explicit BufferGraphBuilder(BufferGraph &model) : model(model) {}
  LogicalResult build(func::FuncOp func);

private:
  using Buffer = BufferGraph::Buffer;
  using Unit = BufferGraph::Unit;

  LogicalResult checkSupported(func::FuncOp func);
  LogicalResult checkLoop(scf::ForOp loop);
  unsigned addBuffer(Value value) {
    Buffer buffer;
    buffer.value = value;
    buffer.exactBytes = getStorageBytes(value.getType());
    buffer.bytes = model.getAlignedBytes(buffer.exactBytes);
    model.buffers.push_back(buffer);
    return model.buffers.size() - 1;
  }
  /// A buffer of the group, stream or loop `unitIndex` (a slice, a line
  /// buffer, an accumulator, a temporary of its body); `exactBytes` when it
  /// holds only part of `value` (a line buffer's rows).
  unsigned addOwnBuffer(Value value, unsigned unitIndex,
                        BufferGraph::GroupProfile &profile,
                        std::optional<int64_t> exactBytes = std::nullopt) {
    unsigned index = addBuffer(value);
    Buffer &buffer = model.buffers[index];
    if (exactBytes) {
      buffer.exactBytes = *exactBytes;
      buffer.bytes = model.getAlignedBytes(*exactBytes);
    }
    buffer.ownerGroup = unitIndex;
    profile.ownBuffers.push_back(index);
    return index;
  }
  /// Maps the results of views in `block` to their sources' buffers.
  void aliasViews(Block &block, llvm::DenseMap<Value, unsigned> &bufferOf);
  std::optional<unsigned> findInPlaceInput(const LogicalOperator &op) const;
  std::optional<unsigned> findOverwritableInput(const Unit &unit) const;
  /// Whether `op` reads the buffer of `operand` through another operand too
  /// (a view of it), at other indices than the element it writes.
  bool isAlsoReadThroughView(const LogicalOperator &op, Value operand) const;
  /// The variable whose global can hold the new value `returned` as it is
  /// computed: a loop's carried value started from the variable's value
  /// before the run, which nothing else reads. Each iteration reads the
  /// carried value before writing the next over it, so the loop may carry
  /// it in the global from the first iteration.
  FlatSymbolRefAttr findStateComputedInPlace(func::FuncOp func,
                                             OpOperand &returned) const;
  /// The variable whose global can hold the new value `returned` as an
  /// operator computes it, once every other reader of the variable's value
  /// before the run has run (Unit::runsAfter; none may read the new value):
  /// an operator that does not read the value before the run (the slice of a
  /// streaming model's window keeping its newest frames), reads it element
  /// by element where it writes (a leaky integrator), or is a concatenation
  /// shifting it along its axis (an SVDF's memory: its older steps, then the
  /// newest), whose forward loop reads each element before a write reaches
  /// it.
  FlatSymbolRefAttr findStateWrittenAfterReaders(func::FuncOp func,
                                                 OpOperand &returned);
  /// Whether `returned` is the only operand of the return naming its buffer.
  bool isReturnedOnce(OpOperand &returned) const;
  /// Marks the operands that may be computed in their slice of a
  /// concatenation's result (Buffer::concatenatedInto).
  void findOperandsInConcatenation();
  void buildGroupProfile(unsigned unitIndex, GroupOp group);
  LogicalResult buildStreamProfile(unsigned unitIndex, StreamOp stream);
  LogicalResult buildLoopProfile(unsigned unitIndex, scf::ForOp loop);
  int64_t getMacs(const LogicalOperator &op) const;

  BufferGraph &model;
  llvm::DenseMap<Value, unsigned> bufferOf;
};
} // namespace mlir::pex

namespace {
using OwnIntervals = llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>>;

/// The earlier temporaries of a group's or loop's body a step may write its
/// result over: collected as the steps create their temporaries, kept once
/// every lifetime is known (the earlier one must die at the step).
class TemporaryPairs {
public:
  /// Notes what `op`, the step creating temporary `output`, may write over:
  /// a temporary of its type (getInPlaceCandidate) or of wider elements
  /// (getOverwritableOperand), not one of `excluded`.
  void collect(const LogicalOperator &op, unsigned output,
               const llvm::DenseMap<Value, unsigned> &local,
               const OwnIntervals &ownInterval, ArrayRef<unsigned> excluded) {
    auto temporaryOf =
        [&](std::optional<Value> value) -> std::optional<unsigned> {
      if (!value)
        return std::nullopt;
      auto it = local.find(*value);
      if (it == local.end() || !ownInterval.count(it->second) ||
          llvm::is_contained(excluded, it->second))
        return std::nullopt;
      return it->second;
    };
    if (std::optional<unsigned> over = temporaryOf(getInPlaceCandidate(op)))
      inPlace.push_back({output, *over});
    else if (std::optional<unsigned> wider =
                 temporaryOf(getOverwritableOperand(op)))
      overWider.push_back({output, *wider});
  }

  /// Records the pairs whose earlier temporary dies at the later one's step.
  void record(BufferGraph::GroupProfile &profile,
              const OwnIntervals &ownInterval) const {
    auto diesAtStep = [&](unsigned output, unsigned over) {
      return ownInterval.lookup(over).second ==
             ownInterval.lookup(output).first;
    };
    for (auto [output, over] : inPlace)
      if (diesAtStep(output, over))
        profile.inPlaceOver[output] = over;
    for (auto [output, wider] : overWider)
      if (diesAtStep(output, wider))
        profile.overWiderTemporary[output] = wider;
  }

private:
  SmallVector<std::pair<unsigned, unsigned>> inPlace, overWider;
};
} // namespace

LogicalResult BufferGraphBuilder::checkSupported(func::FuncOp func) {
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
    if (isa<GroupOp, StreamOp>(op)) {
      if (op->getParentOfType<GroupOp>() || op->getParentOfType<StreamOp>()) {
        op->emitError() << "pex: nested groups and streams are not supported";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    }
    auto loop = dyn_cast<scf::ForOp>(op);
    if (loop && !op->getParentOfType<KernelOp>()) {
      if (failed(checkLoop(loop)))
        return WalkResult::interrupt();
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

LogicalResult BufferGraphBuilder::checkLoop(scf::ForOp loop) {
  if (loop->getParentOp() != loop->getParentOfType<func::FuncOp>())
    return loop.emitError() << "pex: a loop inside a loop, group or stream is "
                               "not supported by the memory model";
  if (loop.getInitArgs().empty())
    return loop.emitError() << "pex: a loop carrying no tensor is not "
                               "supported by the memory model";
  if (!loop.getStaticTripCount())
    return loop.emitError() << "pex: a loop without constant bounds is not "
                               "supported by the memory model (its buffers "
                               "are planned statically)";
  // The carried storage starts as an undefined tensor (a sequence filled
  // step by step), as a constant the lowering writes into it, or as a copy
  // of the state the previous run left (a variable's value before the run)
  // or of an activation (an initial state the model takes as an input),
  // which the loop reads at its start.
  for (auto [index, init] : llvm::enumerate(loop.getInitArgs()))
    if (!isa<RankedTensorType>(init.getType()))
      return loop.emitError()
             << "pex: loop-carried value #" << index << " is not a tensor";
  return success();
}

FlatSymbolRefAttr
BufferGraphBuilder::findStateComputedInPlace(func::FuncOp func,
                                             OpOperand &returned) const {
  auto state = func.getResultAttrOfType<FlatSymbolRefAttr>(
      returned.getOperandNumber(), kVariableAttrName);
  auto loop = returned.get().getDefiningOp<scf::ForOp>();
  if (!state || !loop)
    return nullptr;
  Value init =
      loop.getInitArgs()[cast<OpResult>(returned.get()).getResultNumber()];
  auto before = dyn_cast<BlockArgument>(init);
  if (!before || !isVariableArgument(before) || !before.hasOneUse() ||
      func.getArgAttr(before.getArgNumber(), kVariableAttrName) != state)
    return nullptr;
  if (!isReturnedOnce(returned))
    return nullptr;
  return state;
}

bool BufferGraphBuilder::isReturnedOnce(OpOperand &returned) const {
  // Not even through a view: another result would need a storage of its own.
  unsigned buffer = bufferOf.lookup(returned.get());
  return llvm::count_if(returned.getOwner()->getOperands(), [&](Value value) {
           auto it = bufferOf.find(value);
           return it != bufferOf.end() && it->second == buffer;
         }) == 1;
}

/// Whether `value` is `buffer` or a reshape of it: the same bytes in the same
/// order, its rows one after the other from the buffer's first byte (a
/// slice's rows are not).
static bool isReshapeOf(Value value, Value buffer) {
  while (value != buffer) {
    auto reshape = value.getDefiningOp<tosa::ReshapeOp>();
    if (!reshape)
      return false;
    value = reshape.getInput1();
  }
  return true;
}

/// Whether `value` is `source` or a view of it.
static bool isViewOf(Value value, Value source) {
  while (value != source) {
    Operation *def = value.getDefiningOp();
    if (!def || !isViewOp(def))
      return false;
    value = getViewSource(def);
  }
  return true;
}

/// Whether `slice` takes whole dimensions except along `axis`, where it
/// starts past its first element or at it.
static bool isSliceAlong(tosa::SliceOp slice, int64_t axis) {
  SmallVector<int64_t> start;
  if (!tosa::getConstShapeValues(slice.getStart().getDefiningOp(), start))
    return false;
  ArrayRef<int64_t> source = slice.getInput1().getType().getShape();
  ArrayRef<int64_t> result = slice.getType().getShape();
  for (int64_t dim = 0, rank = source.size(); dim < rank; ++dim)
    if (dim != axis && (start[dim] != 0 || result[dim] != source[dim]))
      return false;
  return start[axis] >= 0;
}

/// Whether `concat` shifts `before` along its axis: its first operand is a
/// slice of `before` starting there at or past where the slice lands, whole
/// along the other axes, and no other operand views `before`.
static bool isShiftOf(tosa::ConcatOp concat, Value before) {
  auto slice = concat.getInput1().front().getDefiningOp<tosa::SliceOp>();
  return slice && slice.getInput1() == before && isViewOp(slice) &&
         isSliceAlong(slice, concat.getAxis()) &&
         llvm::none_of(concat.getInput1().drop_front(), [&](Value operand) {
           return isViewOf(operand, before);
         });
}

FlatSymbolRefAttr
BufferGraphBuilder::findStateWrittenAfterReaders(func::FuncOp func,
                                                 OpOperand &returned) {
  auto state = func.getResultAttrOfType<FlatSymbolRefAttr>(
      returned.getOperandNumber(), kVariableAttrName);
  if (!state || !isReturnedOnce(returned))
    return nullptr;
  auto before = llvm::find_if(func.getArguments(), [&](BlockArgument arg) {
    return func.getArgAttr(arg.getArgNumber(), kVariableAttrName) == state;
  });
  // The new value as the writer computes it, before any reshape to the
  // variable's shape (the same bytes in the same order).
  Value computed = returned.get();
  while (auto reshape = computed.getDefiningOp<tosa::ReshapeOp>())
    computed = reshape.getInput1();
  Operation *producer = computed.getDefiningOp();
  auto writer = producer ? model.unitOfOp.find(producer) : model.unitOfOp.end();
  if (before == func.getArguments().end() || !isVariableArgument(*before) ||
      writer == model.unitOfOp.end() ||
      model.units[writer->second].op.getSink() != producer ||
      producer->getNumRegions() != 0)
    return nullptr;
  const LogicalOperator &writerOp = model.units[writer->second].op;
  SmallVector<Value> readsBefore;
  for (Value operand : writerOp.getExternalOperands())
    if (isViewOf(operand, *before))
      readsBefore.push_back(operand);
  auto concat = dyn_cast<tosa::ConcatOp>(producer);
  bool readsInOrder =
      readsBefore.empty() ||
      (concat && writerOp.ops.size() == 1 && isShiftOf(concat, *before)) ||
      (readsBefore.size() == 1 && isReshapeOf(readsBefore.front(), *before) &&
       canWriteOver(writerOp, readsBefore.front()));
  if (!readsInOrder)
    return nullptr;

  // The units reading the value before the run, directly or through views,
  // inside their regions too.
  llvm::SetVector<unsigned> readers;
  SmallVector<Value> worklist = {*before};
  Block &block = func.getBody().front();
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      if (ancestor && isViewOp(ancestor)) {
        worklist.push_back(ancestor->getResult(0));
        continue;
      }
      auto unit =
          ancestor ? model.unitOfOp.find(ancestor) : model.unitOfOp.end();
      if (unit == model.unitOfOp.end())
        return nullptr;
      if (unit->second != writer->second)
        readers.insert(unit->second);
    }
  }
  // A reader that needs the new value cannot run before it is computed.
  llvm::DenseSet<Operation *> dependents;
  worklist.assign(producer->result_begin(), producer->result_end());
  while (!worklist.empty())
    for (Operation *user : worklist.pop_back_val().getUsers())
      if (Operation *ancestor = block.findAncestorOpInBlock(*user);
          ancestor && dependents.insert(ancestor).second)
        llvm::append_range(worklist, ancestor->getResults());
  for (unsigned reader : readers)
    if (llvm::any_of(model.units[reader].op.ops,
                     [&](Operation *op) { return dependents.contains(op); }))
      return nullptr;
  model.units[writer->second].runsAfter = readers.takeVector();
  return state;
}

void BufferGraphBuilder::aliasViews(Block &block,
                                    llvm::DenseMap<Value, unsigned> &map) {
  for (Operation &op : block) {
    if (!isViewOp(&op))
      continue;
    if (auto it = map.find(getViewSource(&op)); it != map.end())
      map[op.getResult(0)] = it->second;
  }
}

std::optional<unsigned>
BufferGraphBuilder::findInPlaceInput(const LogicalOperator &op) const {
  std::optional<Value> candidate = getInPlaceCandidate(op);
  if (!candidate)
    return std::nullopt;
  auto it = bufferOf.find(*candidate);
  if (it == bufferOf.end() ||
      !isReshapeOf(*candidate, model.buffers[it->second].value) ||
      isAlsoReadThroughView(op, *candidate))
    return std::nullopt;
  return it->second;
}

bool BufferGraphBuilder::isAlsoReadThroughView(const LogicalOperator &op,
                                               Value operand) const {
  unsigned buffer = bufferOf.lookup(operand);
  return llvm::any_of(op.getExternalOperands(), [&](Value other) {
    auto it = bufferOf.find(other);
    return other != operand && it != bufferOf.end() && it->second == buffer;
  });
}

std::optional<unsigned>
BufferGraphBuilder::findOverwritableInput(const Unit &unit) const {
  std::optional<Value> candidate = getOverwritableOperand(unit.op);
  if (!candidate || unit.outputs.size() != 1)
    return std::nullopt;
  auto it = bufferOf.find(*candidate);
  if (it == bufferOf.end())
    return std::nullopt;
  const Buffer &input = model.buffers[it->second];
  const Buffer &output = model.buffers[unit.outputs.front()];
  if (input.value != *candidate || input.isResult || output.isIO() ||
      !model.counts(input) || !model.counts(output) ||
      isAlsoReadThroughView(unit.op, *candidate))
    return std::nullopt;
  return it->second;
}

/// Whether operand `position` of `concat` may be read in its slice of the
/// result (a strided view) by its other readers: the concatenation reads it
/// once, and the others are plain operators beside it, not views (which would
/// view the slice), the function's results, other concatenations, the
/// application's output rows (which read buffers whole) nor operators of
/// regions (groups, streams, loops: bufferization would copy the slice for
/// their reads). When they must run is the liveness's to check
/// (computeLiveness).
static bool isReadInSlice(tosa::ConcatOp concat, unsigned position) {
  return llvm::all_of(
      concat.getInput1()[position].getUses(), [&](OpOperand &use) {
        Operation *user = use.getOwner();
        if (user == concat)
          return use.getOperandNumber() == position;
        return user->getBlock() == concat->getBlock() &&
               user->getNumRegions() == 0 && !getViewSource(user) &&
               !isa<func::ReturnOp, tosa::ConcatOp, WriteRowsOp>(user);
      });
}

void BufferGraphBuilder::findOperandsInConcatenation() {
  for (const Unit &unit : model.units) {
    auto concat = dyn_cast<tosa::ConcatOp>(unit.op.getSink());
    if (!concat || unit.op.ops.size() != 1)
      continue;
    unsigned result = unit.outputs.front();
    if (model.buffers[result].isIO() || !model.counts(model.buffers[result]))
      continue;
    for (unsigned position = 0; position < concat.getNumOperands();
         ++position) {
      // The operand is the value an operator of the body computes, or a
      // reshape of it, and its other readers can read it in the slice: its
      // storage can be the slice.
      std::optional<ConcatenationSlice> slice =
          getConcatenationSlice(concat, position);
      if (!slice || !isReadInSlice(concat, position))
        continue;
      auto it = bufferOf.find(slice->computed);
      if (it == bufferOf.end())
        continue;
      Buffer &buffer = model.buffers[it->second];
      if (buffer.value != slice->computed || !buffer.producer)
        continue;
      const Unit &producer = model.units[*buffer.producer];
      // Groups, streams and loops assemble their results themselves (a
      // grouped convolution becomes a group after partitioning); a result
      // written over a wider input from its first byte must stay
      // contiguous; a concatenation's result is no kernel's.
      if (producer.group || producer.overwritableInput ||
          producer.outputs.size() != 1 ||
          isa<ReadRowsOp, tosa::ConcatOp, GroupedConv2DOp>(
              producer.op.getSink()))
        continue;
      buffer.concatenatedInto = result;
    }
  }
}

int64_t BufferGraphBuilder::getMacs(const LogicalOperator &op) const {
  int64_t macs = 0;
  for (Operation *member : op.ops)
    if (auto partial = dyn_cast<PartialExecutionOpInterface>(member))
      macs += partial.getMacs();
  return macs;
}

void BufferGraphBuilder::buildGroupProfile(unsigned unitIndex, GroupOp group) {
  auto profile = std::make_shared<BufferGraph::GroupProfile>();
  Unit &unit = model.units[unitIndex];
  Block &body = group.getBody().front();
  PartialYieldOp yield = group.getPartialYield();

  // Values inside the group that name a buffer: outer operands through the
  // block arguments, group results through the yields, and own buffers.
  llvm::DenseMap<Value, unsigned> local;
  for (auto [arg, operand] :
       llvm::zip(body.getArguments(), group->getOperands()))
    if (auto it = bufferOf.find(operand); it != bufferOf.end())
      local[arg] = it->second;
  for (auto [value, result] :
       llvm::zip(yield.getAssemble(), group.getAssembledResults()))
    local[value] = bufferOf.lookup(result);

  SmallVector<unsigned> accumulators;
  for (auto [index, value] : llvm::enumerate(yield.getAccumulate())) {
    unsigned buffer =
        group.hasEpilogue()
            ? addOwnBuffer(value, unitIndex, *profile)
            : bufferOf.lookup(group.getFinalResults()[index]);
    if (group.hasEpilogue())
      model.buffers[buffer].isAccumulator = true;
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

  TemporaryPairs pairs;
  for (auto [step, op] : llvm::enumerate(profile->steps)) {
    bool inBody = step < profile->numBodySteps;
    Block *block = op.getSink()->getBlock();
    aliasViews(*block, local);
    Value sink = op.getSink()->getResult(0);
    if (!local.count(sink)) {
      unsigned buffer = addOwnBuffer(sink, unitIndex, *profile);
      local[sink] = buffer;
      ownInterval[buffer] = {step, step};
      pairs.collect(op, buffer, local, ownInterval, accumulators);
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

  // A temporary is written over one that dies at its step (a softmax's
  // difference over the scores), as pex-form-kernels writes a kernel over
  // such an input.
  pairs.record(*profile, ownInterval);

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

LogicalResult BufferGraphBuilder::buildStreamProfile(unsigned unitIndex,
                                                     StreamOp stream) {
  auto profile = std::make_shared<BufferGraph::GroupProfile>();
  Unit &unit = model.units[unitIndex];
  Block &body = stream.getBody().front();
  profile->steps = formLogicalOperators(body);
  unsigned numSteps = profile->steps.size();
  profile->numBodySteps = numSteps;
  std::string whyNot;
  FailureOr<SmallVector<StreamStage>> stages =
      getStreamStages(profile->steps, stream.getInputArgument(), whyNot);
  if (failed(stages))
    return stream.emitError() << "pex: cannot stream this chain: " << whyNot;
  ArrayRef<int64_t> lineRows = stream.getLineRows();
  if (lineRows.size() + 1 != stages->size())
    return stream.emitError()
           << "pex: the stream records " << lineRows.size()
           << " line buffers for " << stages->size() << " operators";
  // Line buffers exist for the whole loop over rows: the stream's own
  // buffers, live at every internal step.
  llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>> ownInterval;
  for (auto [stage, rows] : llvm::zip(*stages, lineRows)) {
    unsigned buffer = addOwnBuffer(stage.op.getSink()->getResult(0),
                                   unitIndex, *profile, rows * stage.rowBytes);
    model.buffers[buffer].isLineBuffer = true;
    ownInterval[buffer] = {0, numSteps - 1};
  }
  if (stages->back().accumulates && !stages->back().accumulatesIntoResult) {
    Operation *reduction = stages->back().op.anchor;
    unsigned buffer = addOwnBuffer(
        reduction->getResult(0), unitIndex, *profile,
        getStorageBytes(
            cast<RowReductionOpInterface>(reduction).getAccumulatorType()));
    model.buffers[buffer].isRowAccumulator = true;
    ownInterval[buffer] = {0, numSteps - 1};
  }
  // A stream writing its rows to the application has no result.
  std::optional<unsigned> result;
  if (stream.getResult())
    result = bufferOf.lookup(stream.getResult());
  if (auto it = bufferOf.find(stream.getInput());
      stream.getInput() && it != bufferOf.end()) {
    unsigned input = it->second;
    profile->inputLastStep[input] = numSteps - 1;
    unit.inputs.push_back(input);
    // The result's rows may go where the input's rows were read for the
    // last time; neither is the function's result (a model input the arena
    // holds may be overwritten: the run consumes it).
    const Buffer &inputBuffer = model.buffers[input];
    auto inputType = cast<RankedTensorType>(stream.getInput().getType());
    if (result && !inputBuffer.isResult && !model.buffers[*result].isIO() &&
        isReshapeOf(stream.getInput(), inputBuffer.value))
      if (std::optional<int64_t> offset = getResultOffsetOverInput(
              scheduleRows(*stages),
              inputBuffer.exactBytes / inputType.getDimSize(1),
              model.getOptions().alignment);
          offset && -*offset < model.buffers[*result].bytes)
        profile->resultOverInput = {*result, input, *offset};
  }
  if (result)
    profile->outputFirstStep[*result] = 0;
  model.finishGroupProfile(*profile, ownInterval);
  for (const LogicalOperator &op : profile->steps)
    unit.macs += getMacs(op);
  unit.group = std::move(profile);
  return success();
}

/// The operations reading `value` directly or through views.
static SmallVector<Operation *> getReadersThroughViews(Value value) {
  SmallVector<Operation *> readers;
  SmallVector<Value> worklist{value};
  while (!worklist.empty())
    for (Operation *user : worklist.pop_back_val().getUsers()) {
      if (isViewOp(user))
        worklist.push_back(user->getResult(0));
      else
        readers.push_back(user);
    }
  return readers;
}

/// Whether `value` is its loop's iteration argument `arg` with slices
/// inserted into it (a sequence assembled step by step, in place).
static bool isUpdateOf(Value value, BlockArgument arg) {
  while (auto insert = value.getDefiningOp<tensor::InsertSliceOp>())
    value = insert.getDest();
  return value == arg;
}

/// Whether `value` is a loop's carried value whose next value an operator of
/// the body computes (not a sequence updated in place by slices, which the
/// lowering assembles wherever its result goes).
static bool isComputedByLoopStep(Value value) {
  auto loop = value.getDefiningOp<scf::ForOp>();
  if (!loop)
    return false;
  unsigned index = cast<OpResult>(value).getResultNumber();
  return !isUpdateOf(loop.getYieldedValues()[index],
                     loop.getRegionIterArgs()[index]);
}

LogicalResult BufferGraphBuilder::buildLoopProfile(unsigned unitIndex,
                                                   scf::ForOp loop) {
  auto profile = std::make_shared<BufferGraph::GroupProfile>();
  Unit &unit = model.units[unitIndex];
  Block &body = *loop.getBody();
  profile->steps = formLogicalOperators(body);
  unsigned numSteps = profile->steps.size();
  if (numSteps == 0)
    return loop.emitError()
           << "pex: a loop without operators is not supported by the "
              "memory model";
  profile->numBodySteps = numSteps;
  unsigned lastStep = numSteps - 1;
  llvm::DenseMap<Operation *, unsigned> stepOf;
  for (auto [step, op] : llvm::enumerate(profile->steps))
    for (Operation *member : op.ops)
      stepOf[member] = step;

  // One storage per carried value, live across the whole loop: the loop's
  // result. Each step's next value is computed over it, so the carried value
  // must be dead by then (read earlier, or element-wise by that operator).
  llvm::DenseMap<Value, unsigned> local;
  for (auto [index, arg, next, result] :
       llvm::enumerate(loop.getRegionIterArgs(), loop.getYieldedValues(),
                       loop->getResults())) {
    unsigned carried = bufferOf.lookup(result);
    local[arg] = carried;
    profile->outputFirstStep[carried] = 0;
    if (isUpdateOf(next, arg))
      continue;
    Operation *producer = next.getDefiningOp();
    auto producerStep = producer ? stepOf.find(producer) : stepOf.end();
    if (producerStep == stepOf.end() ||
        profile->steps[producerStep->second].getSink() != producer)
      return loop.emitError()
             << "pex: loop-carried value #" << index
             << " is not computed by an operator of the loop body";
    const LogicalOperator &writer = profile->steps[producerStep->second];
    for (Operation *reader : getReadersThroughViews(arg)) {
      auto readerStep = stepOf.find(reader);
      bool before = readerStep != stepOf.end() &&
                    (readerStep->second < producerStep->second ||
                     (readerStep->second == producerStep->second &&
                      reader != writer.anchor));
      if (!before)
        return reader->emitError()
               << "pex: this reads loop-carried value #" << index
               << " after its next value is computed over it (one storage "
                  "per carried value)";
    }
    local[next] = carried;
  }
  // The body reads the function's buffers directly or through views.
  body.walk([&](Operation *op) {
    for (Value operand : op->getOperands())
      if (auto it = bufferOf.find(operand); it != bufferOf.end())
        local.try_emplace(operand, it->second);
  });
  auto isCarried = [&](unsigned buffer) {
    return profile->outputFirstStep.count(buffer) > 0;
  };

  llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>> ownInterval;
  auto read = [&](Value operand, unsigned step) {
    auto it = local.find(operand);
    if (it == local.end() || isCarried(it->second))
      return;
    if (auto own = ownInterval.find(it->second); own != ownInterval.end()) {
      own->second.second = std::max(own->second.second, step);
      return;
    }
    // A buffer from outside is needed by every iteration.
    profile->inputLastStep[it->second] = lastStep;
  };
  TemporaryPairs pairs;
  for (auto [step, op] : llvm::enumerate(profile->steps)) {
    aliasViews(body, local);
    Value sink = op.getSink()->getResult(0);
    if (!local.count(sink)) {
      // A temporary of the body, reused by every iteration.
      unsigned buffer = addOwnBuffer(sink, unitIndex, *profile);
      local[sink] = buffer;
      ownInterval[buffer] = {step, step};
      pairs.collect(op, buffer, local, ownInterval, /*excluded=*/{});
    }
    for (Value operand : op.getExternalOperands())
      read(operand, step);
  }
  // What is inserted into a carried sequence or yielded is read at the end
  // of the iteration.
  aliasViews(body, local);
  for (Operation &op : body)
    if (isa<tensor::InsertSliceOp, scf::YieldOp>(op))
      for (Value operand : op.getOperands())
        read(operand, lastStep);
  // A temporary is written over one that dies at its step, as
  // pex-form-kernels writes a kernel over such an input (an LSTM's summed
  // gates over the input part of the sum).
  pairs.record(*profile, ownInterval);
  // The carried storages are written from their initial values before the
  // first step.
  for (Value init : loop.getInitArgs())
    if (auto it = bufferOf.find(init); it != bufferOf.end())
      profile->inputLastStep.try_emplace(it->second, 0);

  model.finishGroupProfile(*profile, ownInterval);
  for (auto [buffer, last] : profile->inputLastStep)
    unit.inputs.push_back(buffer);
  llvm::sort(unit.inputs);
  for (const LogicalOperator &op : profile->steps)
    unit.macs += getMacs(op);
  unit.macs *= loop.getStaticTripCount()->getSExtValue();
  unit.group = std::move(profile);
  return success();
}

LogicalResult BufferGraphBuilder::build(func::FuncOp func) {
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
    // A variable's value before the run is in its own global, which the run
    // only reads: like a constant, not a buffer of the arena.
    if (!isa<RankedTensorType>(arg.getType()) || arg.use_empty() ||
        isVariableArgument(arg))
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
  for (OpOperand &returned : block.getTerminator()->getOpOperands())
    if (auto it = bufferOf.find(returned.get()); it != bufferOf.end()) {
      model.buffers[it->second].isResult = true;
      model.buffers[it->second].isCarriedResult =
          isComputedByLoopStep(model.buffers[it->second].value);
      if (func.getResultAttr(returned.getOperandNumber(), kVariableAttrName))
        model.buffers[it->second].isState = true;
      if (FlatSymbolRefAttr state = findStateComputedInPlace(func, returned))
        model.buffers[it->second].computedInState = state;
      else if (FlatSymbolRefAttr state =
                   findStateWrittenAfterReaders(func, returned))
        model.buffers[it->second].computedInState = state;
    }

  for (auto [index, unit] : llvm::enumerate(model.units)) {
    if (auto group = dyn_cast<GroupOp>(unit.op.getSink())) {
      buildGroupProfile(index, group);
      continue;
    }
    if (auto stream = dyn_cast<StreamOp>(unit.op.getSink())) {
      if (failed(buildStreamProfile(index, stream)))
        return failure();
      continue;
    }
    if (auto loop = dyn_cast<scf::ForOp>(unit.op.getSink())) {
      if (failed(buildLoopProfile(index, loop)))
        return failure();
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
    unit.overwritableInput = findOverwritableInput(unit);
    unit.macs = getMacs(unit.op);
  }
  for (auto [index, unit] : llvm::enumerate(model.units))
    for (unsigned input : unit.inputs)
      model.buffers[input].consumers.push_back(index);
  findOperandsInConcatenation();
  model.bufferOfValue = std::move(bufferOf);
  return success();
}

FailureOr<BufferGraph> BufferGraph::buildUnplanned(func::FuncOp func,
                                                   Options options) {
  if (func->hasAttr(kArenaAttrName))
    return func.emitError()
           << "pex: the function's arena is already planned (pex-plan-arena): "
              "the schedule can no longer change";
  return build(func, options);
}

FailureOr<BufferGraph> BufferGraph::build(func::FuncOp func, Options options) {
  if (options.alignment <= 0 || !llvm::isPowerOf2_64(options.alignment))
    return func.emitError() << "pex: arena alignment " << options.alignment
                            << " is not a power of two";
  BufferGraph model;
  model.options = options;
  BufferGraphBuilder builder(model);
  if (failed(builder.build(func)))
    return failure();
  return model;
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

int64_t BufferGraph::getAlignedBytes(int64_t exactBytes) const {
  return llvm::alignTo(exactBytes, options.alignment);
}

void BufferGraph::finishGroupProfile(
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
  // An output or a loop's temporary written over the group's own buffer (an
  // accumulator, a temporary) as it dies.
  for (auto [output, over] : profile.inPlaceOver) {
    unsigned step = llvm::is_contained(profile.ownBuffers, output)
                        ? buffers[output].internalFirst
                        : profile.outputFirstStep.lookup(output);
    if (llvm::is_contained(profile.ownBuffers, over) &&
        buffers[over].internalLast == step && !buffers[output].isIO())
      profile.internalBytes[step] -= buffers[over].bytes;
  }
  // A temporary written over a wider one as it dies: their storages share
  // the narrower one's bytes at that step.
  for (auto [output, wider] : profile.overWiderTemporary)
    profile.internalBytes[buffers[output].internalFirst] -=
        buffers[output].bytes;
}

SmallVector<unsigned> BufferGraph::getProgramOrder() const {
  SmallVector<unsigned> order;
  // The body's order, except that a unit that must run after others
  // (Unit::runsAfter) waits for them, and its readers for it.
  llvm::BitVector executed(units.size());
  auto isReady = [&](unsigned unit) {
    auto ran = [&](unsigned other) { return executed.test(other); };
    return llvm::all_of(units[unit].runsAfter, ran) &&
           llvm::all_of(units[unit].inputs, [&](unsigned input) {
             std::optional<unsigned> producer = buffers[input].producer;
             return !producer || *producer == unit || ran(*producer);
           });
  };
  SmallVector<unsigned> waiting;
  for (unsigned unit = 0; unit < units.size(); ++unit) {
    if (!isReady(unit)) {
      waiting.push_back(unit);
      continue;
    }
    order.push_back(unit);
    executed.set(unit);
    // Then the waiting units this one released, in body order.
    for (auto *it = waiting.begin(); it != waiting.end();) {
      if (!isReady(*it)) {
        ++it;
        continue;
      }
      order.push_back(*it);
      executed.set(*it);
      waiting.erase(it);
      it = waiting.begin();
    }
  }
  assert(waiting.empty() && "the units' dependences have a cycle");
  return order;
}

std::optional<unsigned> BufferGraph::getBufferOf(Value value) const {
  auto it = bufferOfValue.find(value);
  if (it == bufferOfValue.end())
    return std::nullopt;
  return it->second;
}

std::optional<unsigned> BufferGraph::getUnitOf(Operation *op) const {
  auto it = unitOfOp.find(op);
  if (it == unitOfOp.end())
    return std::nullopt;
  return it->second;
}

int64_t BufferGraph::getReturnedInputBytes() const {
  int64_t bytes = 0;
  for (const Buffer &buffer : buffers)
    if (buffer.isArgument && buffer.isResult && counts(buffer))
      bytes += buffer.bytes;
  return bytes;
}

int64_t BufferGraph::getMacs() const {
  int64_t macs = 0;
  for (const Unit &unit : units)
    macs += unit.macs;
  return macs;
}

int64_t BufferGraph::getIOBytes() const {
  int64_t bytes = 0;
  // An input the function returns is two buffers to the caller: the input
  // and the output it is copied into.
  for (const Buffer &buffer : buffers)
    if (!buffer.isState)
      bytes += buffer.exactBytes *
               ((buffer.isArgument ? 1 : 0) + (buffer.isResult ? 1 : 0));
  return bytes;
}

std::string BufferGraph::describeBuffer(unsigned index) const {
  const Buffer &buffer = buffers[index];
  if (auto arg = dyn_cast<BlockArgument>(buffer.value))
    return "input #" + std::to_string(arg.getArgNumber()) + " " +
           getValueLabel(buffer.value);
  std::string producer = getOpLabel(buffer.value.getDefiningOp());
  if (buffer.isAccumulator)
    return "the accumulator of " + producer;
  if (buffer.isLineBuffer)
    return "the line buffer of " + producer;
  if (buffer.isRowAccumulator)
    return "the row accumulator of " + producer;
  if (isa<scf::ForOp>(buffer.value.getDefiningOp()))
    return "the value carried by " + producer + " #" +
           std::to_string(cast<OpResult>(buffer.value).getResultNumber());
  if (!buffer.ownerGroup)
    return "the result of " + producer;
  if (isa<scf::ForOp>(units[*buffer.ownerGroup].getOperation()))
    return "one iteration's result of " + producer;
  return "a slice of the result of " + producer;
}

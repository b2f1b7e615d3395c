//===- GroupSimulation.cpp - A chain run as a group, without IR -----------===//
//
// The partitioner's what-if: the buffer graph the IR would have if a chain
// of units ran as a pex.group, computed without building the group, so the
// search can cost every chain and slice count. Partition checks that the
// group it then builds has the predicted liveness.
//
//===----------------------------------------------------------------------===//

#include "pex/Analysis/Partitioning.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::pex;

unsigned mlir::pex::mapUnitAfterGroup(const GroupPlan &plan, unsigned unit) {
  // The chain's units are in program order; all but the last are removed,
  // and the last becomes the group.
  if (llvm::is_contained(plan.chain, unit))
    unit = plan.chain.back();
  ArrayRef<unsigned> removed = ArrayRef(plan.chain).drop_back();
  return unit - llvm::count_if(removed,
                               [&](unsigned member) { return member < unit; });
}

namespace mlir::pex {
/// Rewrites a copy of a buffer graph (it is BufferGraph's friend).
class GroupSimulation {
public:
  static BufferGraph simulate(const BufferGraph &graph, const GroupPlan &plan);
};
} // namespace mlir::pex

BufferGraph mlir::pex::simulateGroup(const BufferGraph &graph,
                                     const GroupPlan &plan) {
  return GroupSimulation::simulate(graph, plan);
}

BufferGraph GroupSimulation::simulate(const BufferGraph &graph,
                                      const GroupPlan &plan) {
  using Buffer = BufferGraph::Buffer;
  using Unit = BufferGraph::Unit;
  using GroupProfile = BufferGraph::GroupProfile;
  ArrayRef<Unit> units = graph.units;
  ArrayRef<Buffer> buffers = graph.buffers;
  BufferGraph result = graph;
  ArrayRef<unsigned> chain = plan.chain;
  unsigned numBody = chain.size();
  unsigned numSteps = numBody + (plan.accumulates ? 1 : 0);
  unsigned groupIndex = mapUnitAfterGroup(plan, chain.back());
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
    slice.exactBytes = slice.exactBytes / plan.channels * plan.sliceSize;
    slice.bytes = graph.getAlignedBytes(slice.exactBytes);
    slice.producer.reset();
    slice.consumers.clear();
    slice.ownerGroup = groupIndex;
    result.buffers.push_back(slice);
    unsigned index = result.buffers.size() - 1;
    profile->ownBuffers.push_back(index);
    ownIntervals[index] = {step, step + 1};
    result.buffers[full].exactBytes = 0;
    result.buffers[full].bytes = 0;
    result.buffers[full].producer.reset();
    result.buffers[full].consumers.clear();
  }
  // The consumer's anchor adds each slice's contribution to a full-size
  // accumulator of its result type, which its epilogue reads at the end.
  if (plan.accumulates) {
    Buffer accumulator;
    accumulator.value = last.op.anchor->getResult(0);
    accumulator.exactBytes = getStorageBytes(accumulator.value.getType());
    accumulator.bytes = graph.getAlignedBytes(accumulator.exactBytes);
    accumulator.ownerGroup = groupIndex;
    accumulator.isAccumulator = true;
    result.buffers.push_back(accumulator);
    unsigned index = result.buffers.size() - 1;
    profile->ownBuffers.push_back(index);
    ownIntervals[index] = {0, numSteps - 1};
    // The epilogue's kernel writes over the first operand of its type it
    // reads: the accumulator, which it reads first, or else the input the
    // consumer could overwrite (see getInPlaceCandidate).
    unsigned output = last.outputs.front();
    auto partial = cast<PartialExecutionOpInterface>(last.op.anchor);
    bool hasEpilogueOps = last.op.ops.size() > 1 ||
                          partial.getAccumulationBiasOperand().has_value();
    if (hasEpilogueOps &&
        accumulator.value.getType() == buffers[output].value.getType())
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
  // A group assembles its result itself, and a concatenation run on slices
  // in a group has no result of its own to hold its operands: as the graph
  // of the built group says (findOperandsInConcatenation).
  for (unsigned output : last.outputs)
    result.buffers[output].concatenatedInto.reset();
  // Nor is an operand the group reads (isReadInSlice).
  for (auto [input, lastStep] : profile->inputLastStep)
    result.buffers[input].concatenatedInto.reset();
  for (Buffer &buffer : result.buffers)
    if (buffer.concatenatedInto &&
        (chainTensors.contains(*buffer.concatenatedInto) ||
         llvm::is_contained(last.outputs, *buffer.concatenatedInto)))
      buffer.concatenatedInto.reset();
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
  // A unit writing a state joins no chain (BufferGraph::computesInState); the
  // readers it waits for may, several into one group.
  for (Unit &unit : result.units) {
    for (unsigned &before : unit.runsAfter)
      before = mapUnitAfterGroup(plan, before);
    llvm::sort(unit.runsAfter);
    unit.runsAfter.erase(llvm::unique(unit.runsAfter), unit.runsAfter.end());
  }
  unsigned firstNew = buffers.size();
  for (auto [index, buffer] : llvm::enumerate(result.buffers)) {
    if (buffer.producer)
      buffer.producer = mapUnitAfterGroup(plan, *buffer.producer);
    if (buffer.ownerGroup && index < firstNew)
      buffer.ownerGroup = mapUnitAfterGroup(plan, *buffer.ownerGroup);
    for (unsigned &consumer : buffer.consumers)
      consumer = mapUnitAfterGroup(plan, consumer);
    llvm::sort(buffer.consumers);
    buffer.consumers.erase(llvm::unique(buffer.consumers),
                           buffer.consumers.end());
  }
  for (auto &[op, unit] : result.unitOfOp)
    unit = mapUnitAfterGroup(plan, unit);
  return result;
}

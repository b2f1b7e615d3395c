//===- GroupBuilder.cpp - Building a pex.group from a chain -----*- C++ -*-===//

#include "pex/Transforms/GroupBuilder.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Replaces the chain's operations by the group.
void replaceChain(const GroupChoice &choice, GroupOp group) {
  Value lastResult = choice.chain.back().getSink()->getResult(0);
  lastResult.replaceAllUsesWith(group.getResult(0));
  SmallVector<Operation *> members;
  for (const LogicalOperator &op : choice.chain)
    llvm::append_range(members, op.ops);
  llvm::sort(members,
             [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
  for (Operation *member : members)
    member->erase();
}

/// Builds the pex.group of one chosen chain, replacing the chain's
/// operations (see GroupOp's documentation for the form).
class GroupBuilder {
public:
  explicit GroupBuilder(const GroupChoice &choice) : choice(choice) {}
  GroupOp build();

private:
  /// The slice of constant `value` along `dim`, made once per group.
  Value getSlice(OpBuilder &builder, Value value, int64_t dim);
  /// Clones `op` into the body with the operands it cuts replaced by their
  /// slices; `mode` says which of its sides is sliced.
  Operation *cloneSliced(OpBuilder &builder, Operation *op, SliceMode mode,
                         IRMapping &mapping);
  /// A constant equal to the consumer's bias, shaped to broadcast over its
  /// accumulator (added once, after the last slice).
  Value getBroadcastBias(OpBuilder &builder, Value bias,
                         RankedTensorType accumulatorType);

  const GroupChoice &choice;
  GroupOp group;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> slices;
  Operation *lastSlice = nullptr;
};

Value GroupBuilder::getSlice(OpBuilder &builder, Value value, int64_t dim) {
  auto [it, inserted] = slices.try_emplace({value, dim});
  if (!inserted)
    return it->second;
  // Slices of constants come first in the body, in the order they are made.
  OpBuilder::InsertionGuard guard(builder);
  if (lastSlice)
    builder.setInsertionPointAfter(lastSlice);
  else
    builder.setInsertionPointToStart(&group.getBody().front());
  auto type = GroupOp::withChannels(cast<RankedTensorType>(value.getType()),
                                    dim, group.getSliceSize());
  auto slice = SliceOp::create(builder, value.getLoc(), type, value, dim);
  lastSlice = slice;
  it->second = slice.getResult();
  return it->second;
}

Operation *GroupBuilder::cloneSliced(OpBuilder &builder, Operation *op,
                                     SliceMode mode, IRMapping &mapping) {
  auto partial = cast<PartialExecutionOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = operand.get();
    if (mapping.contains(value) || !isConstantValue(value))
      continue;
    if (std::optional<int64_t> dim =
            partial.getSlicedOperandDim(operand.getOperandNumber(), mode))
      mapping.map(value, getSlice(builder, value, *dim));
  }
  Operation *clone = builder.clone(*op, mapping);
  // Constants are cut per use: forget them for the next operator.
  for (OpOperand &operand : op->getOpOperands())
    if (isConstantValue(operand.get()))
      mapping.erase(operand.get());
  return clone;
}

Value GroupBuilder::getBroadcastBias(OpBuilder &builder, Value bias,
                                     RankedTensorType accumulatorType) {
  DenseElementsAttr values;
  matchPattern(bias, m_Constant(&values));
  SmallVector<int64_t> shape(accumulatorType.getRank(), 1);
  shape.back() = values.getNumElements();
  auto type = RankedTensorType::get(shape, values.getElementType());
  return tosa::ConstOp::create(builder, bias.getLoc(), type,
                               values.reshape(type));
}

GroupOp GroupBuilder::build() {
  ArrayRef<LogicalOperator> chain = choice.chain;
  const LogicalOperator &last = chain.back();
  ArrayRef<LogicalOperator> slicedOps =
      choice.accumulates ? chain.drop_back() : chain;
  Operation *anchor = choice.accumulates ? last.anchor : nullptr;
  Value lastResult = last.getSink()->getResult(0);
  auto resultType = cast<RankedTensorType>(lastResult.getType());

  // Values the chain computes exist only inside the group.
  llvm::DenseSet<Value> internal;
  for (const LogicalOperator &op : chain)
    for (Operation *member : op.ops)
      for (Value result : member->getResults())
        internal.insert(result);

  // Activations from outside: cut along the channels where a sliced
  // operator cuts them, whole otherwise.
  llvm::SetVector<Value> whole, sliced;
  for (const LogicalOperator &op : slicedOps)
    for (Operation *member : op.ops) {
      auto partial = cast<PartialExecutionOpInterface>(member);
      for (OpOperand &operand : member->getOpOperands()) {
        Value value = operand.get();
        if (internal.contains(value) || isConstantValue(value))
          continue;
        if (partial.getSlicedOperandDim(operand.getOperandNumber(),
                                        SliceMode::Output))
          sliced.insert(value);
        else
          whole.insert(value);
      }
    }
  if (anchor)
    for (Operation *member : last.ops)
      if (member != anchor)
        for (Value value : member->getOperands())
          if (!internal.contains(value) && !isConstantValue(value))
            whole.insert(value);

  OpBuilder builder(last.getSink());
  Location loc = last.getRepresentative()->getLoc();
  int64_t axis = resultType.getRank() - 1;
  // The consumer's bias is applied once, in the epilogue; its slices sum
  // from zero.
  Value zeroBias, broadcastBias;
  std::optional<unsigned> biasIndex;
  if (anchor) {
    biasIndex =
        cast<PartialExecutionOpInterface>(anchor).getAccumulationBiasOperand();
    if (biasIndex) {
      Value bias = anchor->getOperand(*biasIndex);
      auto biasType = cast<RankedTensorType>(bias.getType());
      zeroBias = tosa::ConstOp::create(
          builder, loc, biasType,
          DenseElementsAttr::get(
              biasType, builder.getZeroAttr(biasType.getElementType())));
      broadcastBias = getBroadcastBias(
          builder, bias,
          cast<RankedTensorType>(anchor->getResult(0).getType()));
    }
  }
  group = GroupOp::create(builder, loc, TypeRange{resultType},
                          whole.getArrayRef(), sliced.getArrayRef(), axis,
                          choice.channels, choice.slices);

  Block *body = builder.createBlock(&group.getBody());
  IRMapping bodyMapping;
  llvm::DenseMap<Value, Value> wholeArgs, slicedArgs;
  for (Value value : whole)
    wholeArgs[value] = body->addArgument(value.getType(), value.getLoc());
  for (Value value : sliced)
    slicedArgs[value] = body->addArgument(
        GroupOp::withChannels(cast<RankedTensorType>(value.getType()), axis,
                              group.getSliceSize()),
        value.getLoc());
  builder.setInsertionPointToEnd(body);
  for (const LogicalOperator &op : slicedOps)
    for (Operation *member : op.ops) {
      // A value can be both: the producer reads it whole and a channel-local
      // operator (a residual add) reads its slices.
      auto partial = cast<PartialExecutionOpInterface>(member);
      for (OpOperand &operand : member->getOpOperands()) {
        auto &args = partial.getSlicedOperandDim(operand.getOperandNumber(),
                                                 SliceMode::Output)
                         ? slicedArgs
                         : wholeArgs;
        if (auto it = args.find(operand.get()); it != args.end())
          bodyMapping.map(operand.get(), it->second);
      }
      Operation *clone =
          cloneSliced(builder, member, SliceMode::Output, bodyMapping);
      for (Value result : clone->getResults())
        result.setType(
            GroupOp::withChannels(cast<RankedTensorType>(result.getType()),
                                  axis, group.getSliceSize()));
    }
  if (!anchor) {
    PartialYieldOp::create(
        builder, loc, ValueRange{bodyMapping.lookup(lastResult)}, ValueRange());
    replaceChain(choice, group);
    return group;
  }
  if (biasIndex)
    bodyMapping.map(anchor->getOperand(*biasIndex), zeroBias);
  Operation *partial =
      cloneSliced(builder, anchor, SliceMode::Input, bodyMapping);
  PartialYieldOp::create(builder, loc, ValueRange(),
                         ValueRange{partial->getResult(0)});

  Block *epilogue = builder.createBlock(&group.getEpilogue());
  IRMapping epilogueMapping;
  Value accumulator =
      epilogue->addArgument(anchor->getResult(0).getType(), loc);
  for (Value value : whole)
    epilogueMapping.map(value,
                        epilogue->addArgument(value.getType(), value.getLoc()));
  builder.setInsertionPointToEnd(epilogue);
  Value total = accumulator;
  if (broadcastBias)
    total =
        tosa::AddOp::create(builder, anchor->getLoc(), accumulator.getType(),
                            accumulator, broadcastBias);
  epilogueMapping.map(anchor->getResult(0), total);
  for (Operation *member : last.ops)
    if (member != anchor)
      builder.clone(*member, epilogueMapping);
  YieldOp::create(builder, loc, ValueRange{epilogueMapping.lookup(lastResult)});
  replaceChain(choice, group);
  return group;
}
} // namespace

GroupOp mlir::pex::buildGroup(const GroupChoice &choice) {
  return GroupBuilder(choice).build();
}

//===- LogicalOperators.cpp - Fusing operators into MCU kernels -*- C++ -*-===//

#include "pex/Analysis/LogicalOperators.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pex;

bool mlir::pex::isViewOp(Operation *op) {
  return isa<ViewLikeOpInterface>(op);
}

bool mlir::pex::isStorageFree(Operation *op) {
  return op->hasTrait<OpTrait::ConstantLike>() || isViewOp(op) ||
         (op->getNumResults() > 0 &&
          llvm::all_of(op->getResults(),
                       [](Value result) { return isConstantValue(result); }));
}

static bool isElementwise(Operation *op) {
  auto partial = dyn_cast<PartialExecutionOpInterface>(op);
  return partial && partial.hasProperty(PartialExecutionProperties::Elementwise);
}

SmallVector<Value> LogicalOperator::getExternalOperands() const {
  llvm::SmallPtrSet<Operation *, 8> members(ops.begin(), ops.end());
  llvm::SetVector<Value> operands;
  for (Operation *op : ops)
    for (Value operand : op->getOperands())
      if (!members.contains(operand.getDefiningOp()))
        operands.insert(operand);
  return operands.takeVector();
}

std::optional<Value> mlir::pex::getInPlaceCandidate(const LogicalOperator &op) {
  auto outputType = cast<ShapedType>(op.getSink()->getResult(0).getType());
  auto elementBytes = [](ShapedType type) {
    return (type.getElementType().getIntOrFloatBitWidth() + 7) / 8;
  };
  for (Value operand : op.getExternalOperands()) {
    auto type = dyn_cast<ShapedType>(operand.getType());
    if (!type || isConstantValue(operand))
      continue;
    if (Operation *def = operand.getDefiningOp(); def && isViewOp(def))
      continue;
    if (type.getShape() != outputType.getShape() ||
        elementBytes(type) != elementBytes(outputType))
      continue;
    bool readByAnchor = llvm::any_of(operand.getUsers(), [&](Operation *user) {
      return user == op.anchor;
    });
    if (!readByAnchor)
      return operand;
  }
  return std::nullopt;
}

/// The producer of `operand` computes into the consumer `user` without
/// storing its result: the result has no other use, and `user` is
/// element-wise over it (same shape, no broadcast).
static bool isFusibleEdge(Value operand, Operation *user) {
  Operation *producer = operand.getDefiningOp();
  if (!producer || producer->getBlock() != user->getBlock())
    return false;
  if (producer->getNumResults() != 1 || producer->getNumRegions() != 0 ||
      isStorageFree(producer))
    return false;
  if (!operand.hasOneUse() || !isElementwise(user))
    return false;
  return cast<ShapedType>(operand.getType()).getShape() ==
         cast<ShapedType>(user->getResult(0).getType()).getShape();
}

SmallVector<LogicalOperator> mlir::pex::formLogicalOperators(Block &block) {
  // Union operators along fusible edges, in block order, as long as each
  // class keeps at most one anchor (one loop nest per kernel).
  SmallVector<Operation *> candidates;
  for (Operation &op : block.without_terminator())
    if (!isStorageFree(&op))
      candidates.push_back(&op);

  llvm::EquivalenceClasses<Operation *> classes;
  llvm::DenseMap<Operation *, Operation *> anchorOfLeader;
  for (Operation *op : candidates) {
    classes.insert(op);
    if (!isElementwise(op))
      anchorOfLeader[op] = op;
  }
  auto anchorOf = [&](Operation *op) {
    return anchorOfLeader.lookup(classes.getLeaderValue(op));
  };
  for (Operation *op : candidates) {
    for (Value operand : op->getOperands()) {
      if (!isFusibleEdge(operand, op))
        continue;
      Operation *producer = operand.getDefiningOp();
      Operation *producerAnchor = anchorOf(producer);
      Operation *userAnchor = anchorOf(op);
      if (producerAnchor && userAnchor && producerAnchor != userAnchor)
        continue;
      Operation *anchor = producerAnchor ? producerAnchor : userAnchor;
      classes.unionSets(producer, op);
      anchorOfLeader[classes.getLeaderValue(op)] = anchor;
    }
  }

  // Collect members in block order; a class is complete at its sink, which is
  // its last member in block order (every other member feeds a later one).
  llvm::DenseMap<Operation *, unsigned> indexOfLeader;
  SmallVector<LogicalOperator> unordered;
  for (Operation *op : candidates) {
    Operation *leader = classes.getLeaderValue(op);
    auto [it, inserted] = indexOfLeader.try_emplace(leader, unordered.size());
    if (inserted) {
      unordered.emplace_back();
      unordered.back().anchor = anchorOfLeader.lookup(leader);
    }
    unordered[it->second].ops.push_back(op);
  }
  llvm::sort(unordered, [](const LogicalOperator &a, const LogicalOperator &b) {
    return a.getSink()->isBeforeInBlock(b.getSink());
  });
  return unordered;
}

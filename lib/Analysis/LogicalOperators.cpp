//===- LogicalOperators.cpp - Fusing operators into MCU kernels -*- C++ -*-===//

#include "pex/Analysis/LogicalOperators.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pex;

bool mlir::pex::isReturned(Value value) {
  return llvm::any_of(value.getUsers(), [](Operation *user) {
    return isa<func::ReturnOp>(user) ||
           (isa<tosa::ReshapeOp>(user) && isReturned(user->getResult(0)));
  });
}

/// Whether a slice's elements are consecutive in its source's row-major
/// storage: the dimensions inside the outermost one it cuts are whole, and
/// the ones outside it have one element.
static bool isContiguousSlice(tosa::SliceOp slice) {
  ArrayRef<int64_t> source = slice.getInput1().getType().getShape();
  ArrayRef<int64_t> result = slice.getType().getShape();
  auto cut = llvm::find_if(llvm::zip_equal(source, result), [](auto dims) {
    return std::get<0>(dims) != std::get<1>(dims);
  });
  unsigned outermost =
      std::distance(llvm::zip_equal(source, result).begin(), cut);
  for (unsigned dim = 0; dim < outermost; ++dim)
    if (result[dim] != 1)
      return false;
  for (unsigned dim = outermost + 1; dim < source.size(); ++dim)
    if (source[dim] != result[dim])
      return false;
  return true;
}

bool mlir::pex::isViewOp(Operation *op) {
  if (!getViewSource(op))
    return false;
  auto slice = dyn_cast<tosa::SliceOp>(op);
  if (!slice)
    return true;
  // A model output is a contiguous buffer of its own: a returned slice
  // (a strided view) is copied into it, by a kernel like any computation.
  // So is a strided slice that is reshaped, or written to the application
  // (pex.write_rows): a reshape views, and a write hands over, contiguous
  // storage only.
  Value result = slice.getResult();
  bool needsContiguous = llvm::any_of(
      result.getUsers(), llvm::IsaPred<tosa::ReshapeOp, WriteRowsOp>);
  return !isReturned(result) && (!needsContiguous || isContiguousSlice(slice));
}

bool mlir::pex::isStorageFree(Operation *op) {
  return op->hasTrait<OpTrait::ConstantLike>() || isViewOp(op) ||
         (op->getNumResults() > 0 &&
          llvm::all_of(op->getResults(),
                       [](Value result) { return isConstantValue(result); }));
}

static bool isElementwise(Operation *op) {
  auto partial = dyn_cast<PartialExecutionOpInterface>(op);
  return partial &&
         partial.hasProperty(PartialExecutionProperties::Elementwise);
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

/// The operands of `op` a result could be written over: activations
/// computed elsewhere that own their storage (not constants, not views).
static SmallVector<Value>
getOwnedActivationOperands(const LogicalOperator &op) {
  SmallVector<Value> operands;
  for (Value operand : op.getExternalOperands()) {
    Operation *def = operand.getDefiningOp();
    if (isa<ShapedType>(operand.getType()) && !isConstantValue(operand) &&
        !(def && isViewOp(def)))
      operands.push_back(operand);
  }
  return operands;
}

/// Whether `value` is a reshape (or reshapes) of an activation that owns its
/// storage: the same bytes in the same order, so an element-wise result of
/// its type can be written over it.
static bool isReshapeOfOwnedActivation(Value value) {
  auto reshape = value.getDefiningOp<tosa::ReshapeOp>();
  if (!reshape)
    return false;
  while (reshape) {
    value = reshape.getInput1();
    reshape = value.getDefiningOp<tosa::ReshapeOp>();
  }
  Operation *def = value.getDefiningOp();
  return !isConstantValue(value) && !(def && isViewOp(def));
}

/// The operands a result could be written over in place: activations that
/// own their storage, and reshapes of such activations.
static SmallVector<Value> getWritableOperands(const LogicalOperator &op) {
  SmallVector<Value> operands = getOwnedActivationOperands(op);
  for (Value operand : op.getExternalOperands())
    if (isReshapeOfOwnedActivation(operand))
      operands.push_back(operand);
  return operands;
}

/// Whether the output may be written over `operand`, one of the writable
/// operands: it has the output's type (a kernel's destination has its
/// result's type: an i32 tensor's bytes are not written as f32 in place) and
/// the anchor, which reads at other indices, does not read it.
static bool isWritableInPlace(const LogicalOperator &op, Value operand) {
  // A write of the output's rows computes no tensor.
  if (op.getSink()->getNumResults() == 0)
    return false;
  return operand.getType() == op.getSink()->getResult(0).getType() &&
         llvm::none_of(operand.getUsers(),
                       [&](Operation *user) { return user == op.anchor; });
}

bool mlir::pex::canWriteOver(const LogicalOperator &op, Value operand) {
  return llvm::is_contained(getWritableOperands(op), operand) &&
         isWritableInPlace(op, operand);
}

std::optional<Value> mlir::pex::getInPlaceCandidate(const LogicalOperator &op) {
  for (Value operand : getWritableOperands(op))
    if (isWritableInPlace(op, operand))
      return operand;
  return std::nullopt;
}

std::optional<Value>
mlir::pex::getOverwritableOperand(const LogicalOperator &op) {
  // An anchor's loops may visit elements out of linear order (channel
  // blocks over pixels), which only writes of the read width tolerate.
  if (op.anchor || op.getSink()->getNumResults() == 0)
    return std::nullopt;
  auto outputType =
      dyn_cast<RankedTensorType>(op.getSink()->getResult(0).getType());
  if (!outputType || !outputType.getElementType().isIntOrFloat() ||
      outputType.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  for (Value operand : getOwnedActivationOperands(op)) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (type && type.getShape() == outputType.getShape() &&
        type.getElementType().isIntOrFloat() &&
        type.getElementTypeBitWidth() >= outputType.getElementTypeBitWidth())
      return operand;
  }
  return std::nullopt;
}

/// Operators that compute a tensor: TOSA operators (the input language),
/// groups, streams and loops carrying tensors (a recurrent operator's loop
/// over time steps). Slices and other structure around them are not.
static bool isComputation(Operation *op) {
  if (isStorageFree(op))
    return false;
  if (isa<GroupOp, StreamOp>(op))
    return true;
  // The application's input rows, on tensors (a buffer the read fills).
  if (isa<ReadRowsOp>(op))
    return op->getNumResults() > 0;
  // The application's output rows, on tensors: a unit that reads the
  // output's buffer and computes none.
  if (auto write = dyn_cast<WriteRowsOp>(op))
    return isa<RankedTensorType>(write.getRows().getType());
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return llvm::any_of(loop.getResultTypes(), llvm::IsaPred<RankedTensorType>);
  // TOSA's shape operators compute shapes at compile time, not tensors. Pex's
  // own tensor operators (a grouped convolution) say how they slice.
  bool tensorOperator = isa<tosa::TosaDialect>(op->getDialect()) ||
                        isa<PartialExecutionOpInterface>(op);
  return tensorOperator && op->getNumResults() > 0 &&
         llvm::all_of(op->getResultTypes(), llvm::IsaPred<RankedTensorType>);
}

/// Whether every use of `value` is inside one closed element-wise diamond:
/// its users, and the single-use element-wise operators between them, read
/// no other activation and meet at one operator (a float leaky ReLU is
/// max(x, alpha * x)). Fusing the whole diamond keeps `value` internal.
static bool isClosedElementwiseDiamond(Value value) {
  Operation *producer = value.getDefiningOp();
  ArrayRef<int64_t> shape = cast<ShapedType>(value.getType()).getShape();
  llvm::SmallPtrSet<Operation *, 8> members;
  auto isInside = [&](Value operand) {
    return operand == value || members.contains(operand.getDefiningOp());
  };
  auto usedOnlyInside = [&](Value result) {
    return llvm::all_of(result.getUsers(), [&](Operation *user) {
      return members.contains(user);
    });
  };
  // Visit the readers of `value` and of the members in block order: the
  // earliest pending reader is the next member, or the diamond is not
  // closed. A few operators suffice for the activations importers write.
  constexpr unsigned kMaxMembers = 8;
  llvm::SmallPtrSet<Operation *, 8> pending;
  auto addReaders = [&](Value result) {
    for (Operation *user : result.getUsers())
      if (!members.contains(user))
        pending.insert(user);
  };
  addReaders(value);
  while (!pending.empty() && members.size() < kMaxMembers) {
    if (llvm::any_of(pending, [&](Operation *user) {
          return user->getBlock() != producer->getBlock();
        }))
      return false;
    Operation *op = *llvm::min_element(pending, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    pending.erase(op);
    bool eligible =
        isElementwise(op) && op->getNumResults() == 1 &&
        cast<ShapedType>(op->getResult(0).getType()).getShape() == shape &&
        llvm::all_of(op->getOperands(), [&](Value operand) {
          return isConstantValue(operand) || isInside(operand);
        });
    if (!eligible)
      return false;
    members.insert(op);
    // Closed: `value` and every member but `op` are read only by members.
    // Only `op`'s result may be stored (placed by pex-plan-arena). One
    // member alone reads `value` several times (x * x): inside a diamond
    // (squarings chained in a power, x^5 = (x^2)^2 x), that edge must fuse
    // too, or the diamond's operator would surround an operator of its own.
    if (usedOnlyInside(value) && llvm::all_of(members, [&](Operation *member) {
          return member == op || usedOnlyInside(member->getResult(0));
        }))
      return llvm::none_of(members, [&](Operation *member) {
        return member != op && member->hasAttr(kPlacementAttrName);
      });
    addReaders(op->getResult(0));
  }
  return false;
}

/// The producer of `operand` computes into the consumer `user` without
/// storing its result: the result has no other use (or all its uses are
/// inside a closed element-wise diamond), and `user` is element-wise over it
/// (same shape, no broadcast). A result the planner
/// placed (pex-plan-arena) is stored: it ends its logical operator, so the
/// lowering forms the kernels the plan counted.
static bool isFusibleEdge(Value operand, Operation *user) {
  Operation *producer = operand.getDefiningOp();
  if (!producer || producer->getBlock() != user->getBlock() ||
      producer->hasAttr(kPlacementAttrName))
    return false;
  // A read fills its buffer with the application's bytes: nothing to fuse.
  if (producer->getNumResults() != 1 || producer->getNumRegions() != 0 ||
      !isComputation(producer) || isa<ReadRowsOp>(producer))
    return false;
  if (!isElementwise(user) ||
      (!operand.hasOneUse() && !isClosedElementwiseDiamond(operand)))
    return false;
  return cast<ShapedType>(operand.getType()).getShape() ==
         cast<ShapedType>(user->getResult(0).getType()).getShape();
}

/// Bytes of a value's tensor.
static int64_t getTensorBytes(Value value) {
  auto type = cast<ShapedType>(value.getType());
  return type.getNumElements() *
         ((type.getElementType().getIntOrFloatBitWidth() + 7) / 8);
}

SmallVector<LogicalOperator> mlir::pex::formLogicalOperators(Block &block) {
  SmallVector<Operation *> candidates;
  for (Operation &op : block.without_terminator())
    if (isComputation(&op))
      candidates.push_back(&op);

  // Each operator's logical operator, as an index into `anchors`.
  llvm::DenseMap<Operation *, unsigned> groupOf;
  SmallVector<Operation *> anchors;
  auto merge = [&](unsigned from, unsigned into) {
    for (auto &[op, group] : groupOf)
      if (group == from)
        group = into;
  };
  for (Operation *op : candidates) {
    groupOf[op] = anchors.size();
    anchors.push_back(isElementwise(op) ? nullptr : op);
  }

  // Fuse along single-use edges into element-wise consumers, in block order,
  // as long as a logical operator keeps one anchor (one loop nest).
  SmallVector<std::pair<Operation *, Operation *>> rejected;
  for (Operation *op : candidates) {
    for (Value operand : op->getOperands()) {
      if (!isFusibleEdge(operand, op))
        continue;
      Operation *producer = operand.getDefiningOp();
      unsigned from = groupOf[producer], into = groupOf[op];
      if (from == into)
        continue;
      if (anchors[from] && anchors[into]) {
        rejected.push_back({producer, op});
        continue;
      }
      anchors[into] = anchors[into] ? anchors[into] : anchors[from];
      merge(from, into);
    }
  }

  // A chain that could not fuse into its consumer is stored where its tensor
  // is smallest: its element-wise tail after that point (such as the
  // widening rescale of an int8 residual add) moves into the consumer.
  for (auto [producer, consumer] : rejected) {
    unsigned chain = groupOf[producer];
    // The member producing the only operand of `op` that comes from the
    // chain, if there is exactly one.
    auto chainProducer = [&](Operation *op) -> Operation * {
      Operation *found = nullptr;
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || !groupOf.count(def) || groupOf[def] != chain)
          continue;
        if (found)
          return nullptr;
        found = def;
      }
      return found;
    };
    // Walk back from the producer; `tail` lists the element-wise members
    // visited, each the consumer of the next.
    SmallVector<Operation *> tail;
    Operation *cut = producer;
    int64_t cutBytes = getTensorBytes(producer->getResult(0));
    for (Operation *op = producer; isElementwise(op);) {
      Operation *previous = chainProducer(op);
      if (!previous)
        break;
      tail.push_back(op);
      op = previous;
      if (int64_t bytes = getTensorBytes(op->getResult(0)); bytes < cutBytes) {
        cut = op;
        cutBytes = bytes;
      }
    }
    for (Operation *op : tail) {
      if (op == cut)
        break;
      groupOf[op] = groupOf[consumer];
    }
  }

  // Collect members in block order; a logical operator is complete at its
  // sink, its last member in block order (every other member feeds a later
  // one).
  llvm::DenseMap<unsigned, unsigned> indexOfGroup;
  SmallVector<LogicalOperator> unordered;
  for (Operation *op : candidates) {
    unsigned group = groupOf[op];
    auto [it, inserted] = indexOfGroup.try_emplace(group, unordered.size());
    if (inserted)
      unordered.emplace_back();
    LogicalOperator &logical = unordered[it->second];
    logical.ops.push_back(op);
    if (!isElementwise(op))
      logical.anchor = op;
  }
  llvm::sort(unordered, [](const LogicalOperator &a, const LogicalOperator &b) {
    return a.getSink()->isBeforeInBlock(b.getSink());
  });
  return unordered;
}

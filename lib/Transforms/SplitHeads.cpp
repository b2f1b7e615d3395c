//===- SplitHeads.cpp - pex-split-heads -------------------------*- C++ -*-===//
//
// Attention computes scores = Q x K^T for all heads at once, as one batched
// matmul, and their softmax before the matmul with V: the scores of every
// head are live together and are usually the model's largest tensor. Each
// head's chain depends only on that head's slices of Q, K and V, so it can run
// alone; this pass clones the chain once per batch element and concatenates
// the results, leaving the order to pex-reorder.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::pex {
#define GEN_PASS_DEF_SPLITHEADS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The batch (dimension 0) of a rank-3 tensor, the form of tosa.matmul's
/// operands and result.
int64_t getBatch(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getDimSize(0);
}

/// Whether `op` computes batch element b of its result from batch element b
/// of its operands of the result's rank alone.
bool keepsBatchesApart(Operation *op) {
  if (op->hasTrait<OpTrait::tosa::TosaElementwiseOperator>() ||
      isa<tosa::MulOp, tosa::CastOp, tosa::RescaleOp, tosa::TableOp>(op))
    return true;
  if (isa<tosa::ReduceSumOp, tosa::ReduceMaxOp, tosa::ReduceMinOp,
          tosa::ReduceProductOp>(op))
    return op->getAttrOfType<IntegerAttr>("axis").getInt() != 0;
  return false;
}

/// The operators from a batched matmul to the matmul reading their result
/// as its left operand (scores x V) and the element-wise operators after
/// it: `ops` in program order, the first the matmul computing the scores.
struct HeadChain {
  SmallVector<Operation *> ops;
  int64_t batch;
};

/// The chain starting at `scores`, if every operator between the two
/// matmuls keeps batch elements apart and nothing outside reads its values.
std::optional<HeadChain> findChain(tosa::MatMulOp scores) {
  int64_t batch = getBatch(scores.getResult());
  if (batch <= 1)
    return std::nullopt;
  llvm::SetVector<Operation *> members;
  members.insert(scores);
  tosa::MatMulOp end;
  SmallVector<Operation *> worklist{scores};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (op == end)
      continue;
    for (Operation *user : op->getUsers()) {
      if (members.contains(user))
        continue;
      auto matmul = dyn_cast<tosa::MatMulOp>(user);
      bool readsAsScores = matmul && matmul.getA().getDefiningOp() == op &&
                           matmul.getB().getDefiningOp() != op;
      if (readsAsScores && (!end || end == matmul)) {
        end = matmul;
        members.insert(matmul);
        continue;
      }
      if (user->getBlock() != scores->getBlock() || !keepsBatchesApart(user) ||
          user->getNumResults() != 1)
        return std::nullopt;
      auto type = dyn_cast<RankedTensorType>(user->getResult(0).getType());
      if (!type || type.getRank() != 3 || type.getDimSize(0) != batch)
        return std::nullopt;
      members.insert(user);
      worklist.push_back(user);
    }
  }
  if (!end)
    return std::nullopt;
  // The element-wise operators fused after the last matmul (an int8
  // requantisation) run in the group too, so that its wide accumulator is
  // not assembled whole.
  Operation *last = end;
  while (last->hasOneUse()) {
    Operation *user = *last->getUsers().begin();
    if (user->getNumResults() != 1)
      break;
    auto type = dyn_cast<RankedTensorType>(user->getResult(0).getType());
    if (user->getBlock() != scores->getBlock() || !keepsBatchesApart(user) ||
        !type || type.getRank() != 3 || type.getDimSize(0) != batch ||
        llvm::any_of(user->getOperands(), [&](Value operand) {
          return operand != last->getResult(0) &&
                 members.contains(operand.getDefiningOp());
        }))
      break;
    members.insert(user);
    last = user;
  }
  // Every operand from outside is a parameter of another rank (a zero point,
  // a shift), broadcast along the batch, or cut along it.
  for (Operation *op : members) {
    for (Value operand : op->getOperands()) {
      if (members.contains(operand.getDefiningOp()))
        continue;
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (type && type.getRank() == 3 && type.getDimSize(0) != 1 &&
          type.getDimSize(0) != batch)
        return std::nullopt;
    }
  }
  HeadChain chain{llvm::to_vector(members), batch};
  llvm::sort(chain.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  // The scores matmul must be first and the operator ending the chain last
  // (an operator the scores' readers need could otherwise come before them).
  if (chain.ops.front() != scores || chain.ops.back() != last)
    return std::nullopt;
  return chain;
}

/// Replaces the chain by a pex.group over its batch (axis 0, one element per
/// slice): activations of the batch's size are cut, others passed whole,
/// constants of the batch's size cut with pex.slice; the group assembles the
/// last matmul's result.
void buildHeadGroup(const HeadChain &chain) {
  Operation *end = chain.ops.back();
  llvm::SmallPtrSet<Operation *, 16> members(chain.ops.begin(),
                                             chain.ops.end());
  auto isBatched = [&](Value value) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    return type && type.getRank() == 3 && type.getDimSize(0) == chain.batch;
  };
  llvm::SetVector<Value> whole, sliced, slicedConstants;
  for (Operation *op : chain.ops)
    for (Value operand : op->getOperands()) {
      if (members.contains(operand.getDefiningOp()))
        continue;
      if (isConstantValue(operand)) {
        if (isBatched(operand))
          slicedConstants.insert(operand);
        continue;
      }
      (isBatched(operand) ? sliced : whole).insert(operand);
    }

  constexpr int64_t kBatchAxis = 0;
  OpBuilder builder(end);
  Value result = end->getResult(0);
  auto group = GroupOp::create(builder, end->getLoc(),
                               TypeRange{result.getType()}, whole.getArrayRef(),
                               sliced.getArrayRef(), kBatchAxis, chain.batch,
                               /*slices=*/chain.batch);
  auto oneElement = [&](Type type) {
    return GroupOp::withChannels(cast<RankedTensorType>(type), kBatchAxis,
                                 /*size=*/1);
  };
  Block *body = builder.createBlock(&group.getBody());
  IRMapping mapping;
  for (Value value : whole)
    mapping.map(value, body->addArgument(value.getType(), value.getLoc()));
  for (Value value : sliced)
    mapping.map(value,
                body->addArgument(oneElement(value.getType()), value.getLoc()));
  builder.setInsertionPointToEnd(body);
  for (Value value : slicedConstants)
    mapping.map(value, SliceOp::create(builder, value.getLoc(),
                                       oneElement(value.getType()), value,
                                       kBatchAxis));
  for (Operation *op : chain.ops) {
    Operation *clone = builder.clone(*op, mapping);
    for (OpResult cloned : clone->getResults())
      cloned.setType(oneElement(cloned.getType()));
  }
  PartialYieldOp::create(builder, end->getLoc(),
                         ValueRange{mapping.lookup(result)}, ValueRange());
  result.replaceAllUsesWith(group.getResult(0));
  for (Operation *op : llvm::reverse(chain.ops))
    op->erase();
}

struct SplitHeadsPass : public pex::impl::SplitHeadsBase<SplitHeadsPass> {
  void runOnOperation() override {
    SmallVector<HeadChain> chains;
    llvm::SmallPtrSet<Operation *, 32> taken;
    getOperation().walk([&](tosa::MatMulOp matmul) {
      std::optional<HeadChain> chain = findChain(matmul);
      // A matmul ending one chain may start another: split the first.
      if (!chain || llvm::any_of(chain->ops, [&](Operation *op) {
            return taken.contains(op);
          }))
        return;
      taken.insert(chain->ops.begin(), chain->ops.end());
      chains.push_back(std::move(*chain));
    });
    for (const HeadChain &chain : chains)
      buildHeadGroup(chain);
  }
};
} // namespace

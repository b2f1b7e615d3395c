//===- SplitHeads.cpp - pex-split-heads -------------------------*- C++ -*-===//
//
// Attention computes scores = Q x K^T for all heads at once, as one batched
// matmul, and their softmax before the matmul with V: the scores of every
// head are live together and are usually the model's largest tensor. Each
// head's chain depends only on that head's slices of Q, K and V, so it can run
// alone: this pass makes the chain a pex.group along the batch axis, one head
// per slice, where the memory model says that lowers the peak.
//
//===----------------------------------------------------------------------===//

#include "pex/Analysis/Scheduler.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/Passes.h"

#include "Normalize/NormalizeUtils.h"

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

/// The axis a TOSA reduction reduces, for the reductions.
std::optional<int64_t> getReductionAxis(Operation *op) {
  if (!isa<tosa::ReduceSumOp, tosa::ReduceMaxOp, tosa::ReduceMinOp,
           tosa::ReduceProductOp>(op))
    return std::nullopt;
  return op->getAttrOfType<IntegerAttr>("axis").getInt();
}

/// Whether `op` computes each batch element of its result from the same
/// element of its operands alone, whatever the batch axis: element-wise
/// operators (PartialExecutionOpInterface's property holds for any axis)
/// and reductions (along another axis, checked by the caller).
bool keepsBatchesApart(Operation *op) {
  auto partial = dyn_cast<PartialExecutionOpInterface>(op);
  return (partial &&
          partial.hasProperty(PartialExecutionProperties::Elementwise)) ||
         getReductionAxis(op);
}

/// The axis of `to` that holds axis `axis` of `from`, when a reshape from
/// `from` to `to` only adds or removes dimensions of size 1 (a softmax
/// computed on [1, heads, T, T] between matmuls on [heads, T, T]).
std::optional<int64_t> getReshapedAxis(ArrayRef<int64_t> from, int64_t axis,
                                       ArrayRef<int64_t> to) {
  auto nonUnit = [](ArrayRef<int64_t> shape) {
    return llvm::to_vector(
        llvm::make_filter_range(shape, [](int64_t d) { return d != 1; }));
  };
  if (nonUnit(from) != nonUnit(to))
    return std::nullopt;
  int64_t before =
      llvm::count_if(from.take_front(axis), [](int64_t d) { return d != 1; });
  for (auto [index, size] : llvm::enumerate(to))
    if (size != 1 && before-- == 0)
      return static_cast<int64_t>(index);
  return std::nullopt;
}

/// A batched matmul computing attention's scores, the operators after it
/// that keep batch elements apart (on any axis the batch moves to through
/// reshapes), the matmul reading their result as its left operand
/// (scores x V) and the element-wise operators fused after it: `ops` in
/// program order, with the batch axis of every value they compute.
struct HeadChain {
  SmallVector<Operation *> ops;
  llvm::DenseMap<Value, int64_t> batchAxis;
  int64_t batch;

  bool computes(Value value) const { return batchAxis.count(value); }
  Value getResult() const { return ops.back()->getResult(0); }
};

/// The batch axis of `op`'s result, which reads values of `chain`, if `op`
/// keeps its batch elements apart.
std::optional<int64_t> getResultBatchAxis(Operation *op,
                                          const HeadChain &chain) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType)
    return std::nullopt;
  if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
    auto input = cast<RankedTensorType>(reshape.getInput1().getType());
    return getReshapedAxis(input.getShape(),
                           chain.batchAxis.lookup(reshape.getInput1()),
                           resultType.getShape());
  }
  if (!keepsBatchesApart(op))
    return std::nullopt;
  std::optional<int64_t> axis;
  for (Value operand : op->getOperands()) {
    if (!chain.computes(operand))
      continue;
    int64_t operandAxis = chain.batchAxis.lookup(operand);
    if (cast<RankedTensorType>(operand.getType()).getRank() !=
            resultType.getRank() ||
        (axis && *axis != operandAxis))
      return std::nullopt;
    axis = operandAxis;
  }
  if (!axis || getReductionAxis(op) == axis)
    return std::nullopt;
  return axis;
}

/// How an operator of the chain reads `operand`, a value from outside it,
/// on one batch element.
enum class Access {
  /// Unchanged: a parameter of lower rank (a zero point, a shift) or a
  /// tensor broadcast along the batch (a mask shared by the heads).
  Whole,
  /// Its batch element: a constant (cut with pex.slice) or an activation
  /// whose batch is its first axis (a sliced operand of the group).
  Cut,
  /// Not per batch element: the chain cannot run head by head.
  None,
};

Access getAccess(Value operand, Operation *op, const HeadChain &chain) {
  auto type = dyn_cast<RankedTensorType>(operand.getType());
  if (!type)
    return Access::Whole;
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (type.getRank() < resultType.getRank() && type.getRank() <= 1)
    return Access::Whole;
  if (type.getRank() != resultType.getRank())
    return Access::None;
  int64_t axis = chain.batchAxis.lookup(op->getResult(0));
  int64_t size = type.getDimSize(axis);
  if (size == 1)
    return Access::Whole;
  if (size == chain.batch && (axis == 0 || isConstantValue(operand)))
    return Access::Cut;
  return Access::None;
}

/// Whether a group can assemble `value` along axis 0: its batch axis is
/// the first that is not 1.
bool isAssemblable(Value value, const HeadChain &chain) {
  auto shape = cast<RankedTensorType>(value.getType()).getShape();
  int64_t axis = chain.batchAxis.lookup(value);
  return llvm::all_of(shape.take_front(axis), [](int64_t d) { return d == 1; });
}

/// The chain starting at `scores`, if every operator between the two
/// matmuls keeps batch elements apart and nothing outside reads its values.
std::optional<HeadChain> findChain(tosa::MatMulOp scores) {
  HeadChain chain;
  chain.batch =
      cast<RankedTensorType>(scores.getResult().getType()).getDimSize(0);
  if (chain.batch <= 1)
    return std::nullopt;
  Block *block = scores->getBlock();
  llvm::SetVector<Operation *> members;
  members.insert(scores);
  chain.batchAxis[scores.getResult()] = 0;
  tosa::MatMulOp end;
  SmallVector<Operation *> worklist{scores};
  auto add = [&](Operation *op, int64_t axis) {
    members.insert(op);
    chain.batchAxis[op->getResult(0)] = axis;
  };
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (op == end)
      continue;
    for (Operation *user : op->getUsers()) {
      if (members.contains(user))
        continue;
      auto matmul = dyn_cast<tosa::MatMulOp>(user);
      if (matmul && chain.computes(matmul.getA()) &&
          !chain.computes(matmul.getB()) && (!end || end == matmul)) {
        end = matmul;
        add(matmul, 0);
        continue;
      }
      std::optional<int64_t> axis = getResultBatchAxis(user, chain);
      if (user->getBlock() != block || !axis)
        return std::nullopt;
      add(user, *axis);
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
    std::optional<int64_t> axis = getResultBatchAxis(user, chain);
    if (user->getBlock() != block || !axis ||
        llvm::any_of(user->getOperands(), [&](Value operand) {
          return operand != last->getResult(0) && chain.computes(operand);
        }))
      break;
    add(user, *axis);
    if (!isAssemblable(user->getResult(0), chain)) {
      members.pop_back();
      chain.batchAxis.erase(user->getResult(0));
      break;
    }
    last = user;
  }
  for (Operation *op : members)
    for (Value operand : op->getOperands())
      if (!chain.computes(operand) &&
          getAccess(operand, op, chain) == Access::None)
        return std::nullopt;
  chain.ops = llvm::to_vector(members);
  llvm::sort(chain.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  // The scores matmul must be first and the operator ending the chain last
  // (an operator the scores' readers need could otherwise come before them).
  if (chain.ops.front() != scores || chain.ops.back() != last)
    return std::nullopt;
  return chain;
}

/// `value` reshaped to `type` (the same elements in the same order).
Value reshapeTo(OpBuilder &builder, Location loc, Value value,
                RankedTensorType type) {
  return tosa::ReshapeOp::create(
      builder, loc, type, value,
      createConstantShape(builder, loc, type.getShape()));
}

RankedTensorType withOneElement(Type type, int64_t axis) {
  return GroupOp::withChannels(cast<RankedTensorType>(type), axis, /*size=*/1);
}

/// The shape of `type` from axis `axis` on: the tensor without its leading
/// dimensions of size 1.
RankedTensorType dropLeading(RankedTensorType type, int64_t axis) {
  return type.clone(type.getShape().drop_front(axis));
}

/// Replaces the chain by a pex.group along axis 0, one batch element per
/// slice: activations of the batch's size are cut, others passed whole,
/// constants of the batch's size cut with pex.slice; the group assembles the
/// chain's result (without its leading dimensions of size 1, reshaped back
/// after the group).
GroupOp buildHeadGroup(const HeadChain &chain) {
  Operation *last = chain.ops.back();
  Value result = chain.getResult();
  auto resultType = cast<RankedTensorType>(result.getType());
  int64_t resultAxis = chain.batchAxis.lookup(result);
  llvm::SetVector<Value> whole, sliced;
  for (Operation *op : chain.ops)
    for (Value operand : op->getOperands())
      if (!chain.computes(operand) && !isConstantValue(operand))
        (getAccess(operand, op, chain) == Access::Cut ? sliced : whole)
            .insert(operand);

  constexpr int64_t kBatchAxis = 0;
  OpBuilder builder(last);
  Location loc = last->getLoc();
  auto group = GroupOp::create(builder, loc,
                               TypeRange{dropLeading(resultType, resultAxis)},
                               whole.getArrayRef(), sliced.getArrayRef(),
                               kBatchAxis, chain.batch, /*slices=*/chain.batch);
  Value assembled = group.getResult(0);
  if (resultAxis != 0)
    assembled = reshapeTo(builder, loc, assembled, resultType);

  Block *body = builder.createBlock(&group.getBody());
  IRMapping mapping;
  for (Value value : whole)
    mapping.map(value, body->addArgument(value.getType(), value.getLoc()));
  for (Value value : sliced)
    mapping.map(value,
                body->addArgument(withOneElement(value.getType(), kBatchAxis),
                                  value.getLoc()));
  builder.setInsertionPointToEnd(body);
  for (Operation *op : chain.ops) {
    int64_t axis = chain.batchAxis.lookup(op->getResult(0));
    auto type = withOneElement(op->getResult(0).getType(), axis);
    for (Value operand : op->getOperands())
      if (!mapping.contains(operand) && isConstantValue(operand) &&
          getAccess(operand, op, chain) == Access::Cut)
        mapping.map(operand,
                    SliceOp::create(builder, operand.getLoc(),
                                    withOneElement(operand.getType(), axis),
                                    operand, axis));
    if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
      mapping.map(reshape.getResult(),
                  reshapeTo(builder, reshape.getLoc(),
                            mapping.lookup(reshape.getInput1()), type));
      continue;
    }
    Operation *clone = builder.clone(*op, mapping);
    clone->getResult(0).setType(type);
  }
  Value yielded = mapping.lookup(result);
  if (resultAxis != 0) {
    yielded = reshapeTo(
        builder, loc, yielded,
        dropLeading(withOneElement(resultType, resultAxis), resultAxis));
  }
  PartialYieldOp::create(builder, loc, ValueRange{yielded}, ValueRange());
  result.replaceAllUsesWith(assembled);
  for (Operation *op : llvm::reverse(chain.ops))
    op->erase();
  return group;
}

/// The chains of `func`, none sharing an operator (a matmul ending one chain
/// may start another: the first is kept).
SmallVector<HeadChain> findChains(func::FuncOp func) {
  SmallVector<HeadChain> chains;
  llvm::SmallPtrSet<Operation *, 32> taken;
  // Only the function's own operators: the memory model plans groups there,
  // not inside loops.
  for (auto matmul : func.getBody().front().getOps<tosa::MatMulOp>()) {
    std::optional<HeadChain> chain = findChain(matmul);
    if (!chain || llvm::any_of(chain->ops, [&](Operation *op) {
          return taken.contains(op);
        }))
      continue;
    taken.insert(chain->ops.begin(), chain->ops.end());
    chains.push_back(std::move(*chain));
  }
  return chains;
}

/// The peak of the best order of `func` and the most bytes live while the
/// units `isPart` selects run in it.
struct PeakEstimate {
  int64_t peak = 0;
  int64_t partPeak = 0;

  bool isBelow(const PeakEstimate &other) const {
    return peak < other.peak ||
           (peak == other.peak && partPeak < other.partPeak);
  }
};

struct SplitHeadsPass : public pex::impl::SplitHeadsBase<SplitHeadsPass> {
  using SplitHeadsBase::SplitHeadsBase;

  FailureOr<PeakEstimate>
  estimate(func::FuncOp func,
           llvm::function_ref<bool(const LogicalOperator &)> isPart) {
    FailureOr<BufferGraph> model = BufferGraph::buildUnplanned(
        func, BufferGraphOptions{arenaIO, alignment});
    if (failed(model))
      return failure();
    ScheduleSearchOptions options;
    options.maxStatesPerLayer = maxStates;
    ScheduleResult schedule = findMinimumPeakOrder(*model, options);
    ScheduleLiveness liveness =
        computeLiveness(*model, schedule.order, /*peakCheckedSharing=*/false);
    PeakEstimate estimate{liveness.peakBytes, 0};
    for (const ScheduleStep &step : liveness.steps)
      if (isPart(model->getUnits()[step.unit].op))
        estimate.partPeak = std::max(estimate.partPeak, step.liveBytes);
    return estimate;
  }

  // Each chain is split when that lowers the peak of the best order, or
  // leaves it and lowers the bytes live while the chain runs (the peak may
  // be elsewhere until pex-partition lowers it). Splitting is not always
  // better: the group reads Q, K and V whole, so the order can no longer
  // compute V after the scores' softmax.
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    for (unsigned index = 0;;) {
      SmallVector<HeadChain> chains = findChains(func);
      if (index >= chains.size())
        return;
      const HeadChain &chain = chains[index];
      llvm::SmallPtrSet<Operation *, 16> members(chain.ops.begin(),
                                                 chain.ops.end());
      FailureOr<PeakEstimate> whole =
          estimate(func, [&](const LogicalOperator &op) {
            return llvm::any_of(op.ops, [&](Operation *member) {
              return members.contains(member);
            });
          });
      if (failed(whole))
        return signalPassFailure();
      Region backup;
      IRMapping mapping;
      func.getBody().cloneInto(&backup, mapping);
      GroupOp group = buildHeadGroup(chain);
      FailureOr<PeakEstimate> split =
          estimate(func, [&](const LogicalOperator &op) {
            return op.getSink() == group.getOperation();
          });
      if (failed(split))
        return signalPassFailure();
      if (split->isBelow(*whole))
        continue; // the chain is a group now: the next one has its index
      func.getBody().takeBody(backup);
      ++index;
    }
  }
};
} // namespace

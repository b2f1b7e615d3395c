//===- FormKernels.cpp - pex-form-kernels -----------------------*- C++ -*-===//

#include "pex/Analysis/LogicalOperators.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::pex {
#define GEN_PASS_DEF_FORMKERNELS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Constants small enough to live inside a kernel body as immediates (zero
/// points, single multipliers, shapes); larger ones are kernel inputs so
/// that kernels share their storage.
bool isImmediate(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def || !def->hasTrait<OpTrait::ConstantLike>())
    return false;
  auto type = dyn_cast<ShapedType>(value.getType());
  return !type || type.getNumElements() <= 1;
}

/// True when `value` (or a view of it) is used after `op` in its block.
bool isUsedAfter(Value value, Operation *op) {
  Block *block = op->getBlock();
  for (Operation *user : value.getUsers()) {
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    if (!ancestor || ancestor == op || !op->isBeforeInBlock(ancestor)) {
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == value &&
          isUsedAfter(view.getViewDest(), op))
        return true;
      continue;
    }
    return true;
  }
  return false;
}

/// The candidate dies at this logical operator (nothing reads it later, as
/// the memory model's lifetimes say), and neither it nor the result is the
/// function's input or output.
bool diesHere(Value candidate, const LogicalOperator &op) {
  if (auto arg = dyn_cast<BlockArgument>(candidate);
      arg && isa<func::FuncOp>(arg.getOwner()->getParentOp()))
    return false;
  if (isUsedAfter(candidate, op.getSink()))
    return false;
  // Through reshapes too: the memory model never computes a function
  // result over an input's storage.
  return !isReturned(op.getSink()->getResult(0));
}

LogicalResult wrapInKernel(const LogicalOperator &op) {
  Operation *sink = op.getSink();
  Value result = sink->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  Location loc = op.getRepresentative()->getLoc();

  std::optional<Value> inPlace = getInPlaceCandidate(op);
  if (inPlace && !diesHere(*inPlace, op))
    inPlace.reset();

  SmallVector<Value> inputs;
  SmallVector<Operation *> immediates;
  for (Value operand : op.getExternalOperands()) {
    if (inPlace && operand == *inPlace)
      continue;
    if (isImmediate(operand))
      immediates.push_back(operand.getDefiningOp());
    else if (isa<ShapedType>(operand.getType()))
      inputs.push_back(operand);
    else
      return op.getRepresentative()->emitError()
             << "pex: operand of type " << operand.getType()
             << " must be a compile-time constant (canonicalize folds shape "
                "arithmetic)";
  }

  OpBuilder builder(sink);
  Value destination =
      inPlace ? *inPlace
              : tensor::EmptyOp::create(builder, loc, resultType.getShape(),
                                        resultType.getElementType())
                    .getResult();
  auto kernel =
      KernelOp::create(builder, loc, resultType, inputs, destination);
  Block *body = builder.createBlock(&kernel.getBody());
  IRMapping mapping;
  for (Value input : inputs)
    mapping.map(input, body->addArgument(input.getType(), loc));
  BlockArgument output = body->addArgument(resultType, loc);
  if (inPlace)
    mapping.map(*inPlace, output);
  for (Operation *immediate : immediates)
    builder.clone(*immediate, mapping);
  for (Operation *member : op.ops)
    builder.clone(*member, mapping);
  YieldOp::create(builder, loc, mapping.lookup(result));

  result.replaceAllUsesWith(kernel.getResult());
  for (Operation *member : llvm::reverse(op.ops))
    member->erase();
  return success();
}

/// A reshape of a static tensor is a collapse to one dimension followed by an
/// expansion: both are views after bufferization.
void lowerReshape(tosa::ReshapeOp reshape) {
  OpBuilder builder(reshape);
  Location loc = reshape.getLoc();
  auto sourceType = cast<RankedTensorType>(reshape.getInput1().getType());
  auto resultType = cast<RankedTensorType>(reshape.getType());
  Value flat = reshape.getInput1();
  if (sourceType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, sourceType.getRank()));
    flat = tensor::CollapseShapeOp::create(builder, loc, flat,
                                           ArrayRef<ReassociationIndices>{all});
  }
  Value reshaped = flat;
  if (resultType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank()));
    reshaped = tensor::ExpandShapeOp::create(
        builder, loc, resultType, flat, ArrayRef<ReassociationIndices>{all});
  }
  reshape.replaceAllUsesWith(reshaped);
  reshape.erase();
}

/// A slice with static bounds is a strided view after bufferization.
LogicalResult lowerSlice(tosa::SliceOp slice) {
  DenseElementsAttr start, size;
  if (!matchPattern(slice.getStart(), m_Constant(&start)) ||
      !matchPattern(slice.getSize(), m_Constant(&size)))
    return slice.emitError() << "pex: slice bounds must be constants";
  auto values = [](DenseElementsAttr attr) {
    return llvm::map_to_vector(attr.getValues<APInt>(), [](const APInt &v) {
      return v.getSExtValue();
    });
  };
  OpBuilder builder(slice);
  auto sourceType = cast<RankedTensorType>(slice.getInput1().getType());
  SmallVector<int64_t> strides(sourceType.getRank(), 1);
  auto view = tensor::ExtractSliceOp::create(
      builder, slice.getLoc(), cast<RankedTensorType>(slice.getType()),
      slice.getInput1(), ValueRange(), ValueRange(), ValueRange(),
      values(start), values(size), strides);
  slice.replaceAllUsesWith(view.getResult());
  slice.erase();
  return success();
}

struct FormKernelsPass : public pex::impl::FormKernelsBase<FormKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    WalkResult groups = func.walk([](GroupOp group) {
      group.emitError() << "pex: groups must be lowered (pex-lower-groups) "
                           "before kernels are formed";
      return WalkResult::interrupt();
    });
    if (groups.wasInterrupted())
      return signalPassFailure();

    SmallVector<Block *> blocks;
    func.walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks)
      for (const LogicalOperator &op : formLogicalOperators(*block))
        if (failed(wrapInKernel(op)))
          return signalPassFailure();

    // What stays outside kernels must bufferize: views and constants.
    func.walk([](tosa::ReshapeOp reshape) {
      if (!reshape->getParentOfType<KernelOp>())
        lowerReshape(reshape);
    });
    WalkResult slices = func.walk([](tosa::SliceOp slice) {
      if (slice->getParentOfType<KernelOp>())
        return WalkResult::advance();
      return failed(lowerSlice(slice)) ? WalkResult::interrupt()
                                       : WalkResult::advance();
    });
    if (slices.wasInterrupted())
      return signalPassFailure();
    func.walk([](tosa::ConstOp constant) {
      if (constant->getParentOfType<KernelOp>())
        return;
      if (constant.use_empty()) {
        constant.erase();
        return;
      }
      OpBuilder builder(constant);
      auto replacement = arith::ConstantOp::create(builder, constant.getLoc(),
                                                   constant.getValuesAttr());
      constant.replaceAllUsesWith(replacement.getResult());
      constant.erase();
    });
    func.walk([](tosa::ConstShapeOp shape) {
      if (shape.use_empty())
        shape.erase();
    });
  }
};
} // namespace

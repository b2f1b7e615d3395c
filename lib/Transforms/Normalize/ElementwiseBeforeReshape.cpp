//===- ElementwiseBeforeReshape.cpp - Reshapes after element-wise ops -*- C++ -*-===//
//
// Importers reshape values into the shapes TOSA's operators take and back
// into the rank their frontend gives them: a 1-D convolution (ONNX Conv over
// [N, C, L]) is a conv2d one row high between reshapes, so the operators that
// follow it (its rescale, an activation) run on the reshaped value and the
// next window reshapes it back. There the reshape is a view in the middle of
// the chain producer -> channel-local operators -> consumer, which cuts it,
// and it keeps an integer convolution's i32 accumulator from fusing with its
// rescale. An element-wise operator commutes with a reshape that keeps the
// channels last: applied before the reshape, the reshapes meet and cancel.
// So does a reduction when the reshape only adds or drops unit dimensions
// (a 1-D pooling's output made 3-D again before a mean over time).
//
//===----------------------------------------------------------------------===//

#include "NormalizeUtils.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Whether `parameter` is a constant broadcast along every dimension but the
/// channels: one value, or one per channel ([1, ..., 1, C]).
static bool isChannelBroadcast(Value parameter, int64_t channels) {
  auto type = cast<RankedTensorType>(parameter.getType());
  ArrayRef<int64_t> shape = type.getShape();
  return matchPattern(parameter, m_Constant()) &&
         llvm::all_of(shape.drop_back(), [](int64_t dim) { return dim == 1; }) &&
         (shape.back() == 1 || shape.back() == channels);
}

/// Whether a loop's terminator yields `op`'s result. A loop carries storage
/// an operator of its body computes, not a view: the next state of a
/// recurrent step stays after the reshape.
static bool isCarriedByLoop(Operation *op) {
  return llvm::any_of(op->getUsers(), [](Operation *user) {
    return user->hasTrait<OpTrait::IsTerminator>() &&
           !isa<func::ReturnOp>(user);
  });
}

/// f(reshape(x), params) -> reshape(f(x, params')) for an element-wise f whose
/// other operands are parameters, when the reshape keeps the channels.
/// Parameters of rank 1 at most (per-channel multipliers and shifts, zero
/// points, a table) are unchanged; constants of the result's rank broadcast
/// along all but the channels (a dequantisation's scale) take x's rank.
struct ElementwiseBeforeReshape
    : OpInterfaceRewritePattern<PartialExecutionOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(PartialExecutionOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasProperty(PartialExecutionProperties::Elementwise) ||
        op->getNumResults() != 1 || op->getNumOperands() == 0)
      return failure();
    auto reshape = op->getOperand(0).getDefiningOp<tosa::ReshapeOp>();
    if (!reshape || !reshape->hasOneUse())
      return failure();
    if (isCarriedByLoop(op))
      return failure();
    auto sourceType = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> reshaped = reshape.getType().getShape();
    if (!sourceType || !resultType || !sourceType.hasStaticShape() ||
        resultType.getShape() != reshaped || sourceType.getRank() < 2 ||
        reshaped.size() < 2 || sourceType.getShape().back() != reshaped.back())
      return failure();
    int64_t channels = reshaped.back();
    SmallVector<OpOperand *> broadcasts;
    for (OpOperand &parameter : op->getOpOperands().drop_front()) {
      auto type = dyn_cast<RankedTensorType>(parameter.get().getType());
      if (!type || type.getRank() <= 1)
        continue;
      if (type.getRank() != resultType.getRank() ||
          !isChannelBroadcast(parameter.get(), channels))
        return failure();
      broadcasts.push_back(&parameter);
    }
    IRMapping mapping;
    mapping.map(reshape.getResult(), reshape.getInput1());
    for (OpOperand *parameter : broadcasts) {
      auto type = cast<RankedTensorType>(parameter->get().getType());
      SmallVector<int64_t> shape(sourceType.getRank(), 1);
      shape.back() = type.getShape().back();
      mapping.map(parameter->get(),
                  tosa::ReshapeOp::create(
                      rewriter, op->getLoc(), type.clone(shape),
                      parameter->get(),
                      createConstantShape(rewriter, op->getLoc(), shape)));
    }
    Operation *moved = rewriter.clone(*op, mapping);
    moved->getResult(0).setType(resultType.clone(sourceType.getShape()));
    rewriter.replaceOpWithNewOp<tosa::ReshapeOp>(
        op, resultType, moved->getResult(0),
        createConstantShape(rewriter, op->getLoc(), resultType.getShape()));
    return success();
  }
};

/// The dimensions of `shape` other than unit ones, by position.
static SmallVector<int64_t> getNonUnitDims(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> dims;
  for (auto [index, size] : llvm::enumerate(shape))
    if (size != 1)
      dims.push_back(index);
  return dims;
}

/// reduce(reshape(x), axis) -> reshape(reduce(x, axis')) when the reshape
/// only adds or drops unit dimensions: the reduced dimension is the same
/// dimension of x.
template <typename ReduceOp>
struct ReductionBeforeReshape : OpRewritePattern<ReduceOp> {
  using OpRewritePattern<ReduceOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReduceOp reduce,
                                PatternRewriter &rewriter) const override {
    auto reshape = reduce.getInput().template getDefiningOp<tosa::ReshapeOp>();
    if (!reshape || !reshape->hasOneUse() || isCarriedByLoop(reduce))
      return failure();
    auto sourceType = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
    auto reshapedType = dyn_cast<RankedTensorType>(reshape.getType());
    if (!sourceType || !reshapedType || !sourceType.hasStaticShape() ||
        !reshapedType.hasStaticShape())
      return failure();
    ArrayRef<int64_t> source = sourceType.getShape();
    ArrayRef<int64_t> reshaped = reshapedType.getShape();
    SmallVector<int64_t> sourceDims = getNonUnitDims(source);
    SmallVector<int64_t> reshapedDims = getNonUnitDims(reshaped);
    auto sizesOf = [](ArrayRef<int64_t> shape, ArrayRef<int64_t> dims) {
      return llvm::map_to_vector(dims, [&](int64_t d) { return shape[d]; });
    };
    if (sizesOf(source, sourceDims) != sizesOf(reshaped, reshapedDims))
      return failure();
    int64_t axis = reduce.getAxis();
    const auto *position = llvm::find(reshapedDims, axis);
    // Reducing a unit dimension changes nothing: the canonicaliser's.
    if (position == reshapedDims.end())
      return failure();
    int64_t sourceAxis = sourceDims[position - reshapedDims.begin()];
    SmallVector<int64_t> reducedShape(source);
    reducedShape[sourceAxis] = 1;
    auto reduced = ReduceOp::create(
        rewriter, reduce.getLoc(), sourceType.clone(reducedShape),
        reshape.getInput1(), rewriter.getI32IntegerAttr(sourceAxis));
    // Attributes other than the axis (a reduce_max's NaN mode) carry over.
    for (NamedAttribute attr : reduce->getAttrs())
      if (attr.getName() != reduce.getAxisAttrName())
        reduced->setAttr(attr.getName(), attr.getValue());
    auto resultType = cast<RankedTensorType>(reduce.getType());
    rewriter.replaceOpWithNewOp<tosa::ReshapeOp>(
        reduce, resultType, reduced.getResult(),
        createConstantShape(rewriter, reduce.getLoc(), resultType.getShape()));
    return success();
  }
};

} // namespace

void mlir::pex::populateElementwiseBeforeReshapePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseBeforeReshape,
               ReductionBeforeReshape<tosa::ReduceSumOp>,
               ReductionBeforeReshape<tosa::ReduceMaxOp>,
               ReductionBeforeReshape<tosa::ReduceMinOp>>(
      patterns.getContext());
}

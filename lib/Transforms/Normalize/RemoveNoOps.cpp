//===- RemoveNoOps.cpp - Identities and cancelling transposes ---*- C++ -*-===//
//
// Exporters leave operators that move no data: ONNX Identity (tosa.identity),
// and layout transposes that a later transpose undoes (NCHW <-> NHWC around
// an operator that was converted alone). Each would otherwise be a kernel
// with a full copy of its tensor. Reshapes of a constant that its several
// readers share become the constant in their shape.
//
//===----------------------------------------------------------------------===//

#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::pex;

namespace {
struct RemoveIdentity : OpRewritePattern<tosa::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::IdentityOp identity,
                                PatternRewriter &rewriter) const override {
    if (identity.getInput1().getType() != identity.getType())
      return failure();
    rewriter.replaceOp(identity, identity.getInput1());
    return success();
  }
};

/// transpose(transpose(x, inner), outer) = transpose(x, inner o outer), and
/// nothing at all when that is the identity permutation.
struct ComposeTransposes : OpRewritePattern<tosa::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::TransposeOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput1().getDefiningOp<tosa::TransposeOp>();
    if (!inner)
      return failure();
    // Result dimension i of `outer` is its input's dimension outer[i], which
    // is x's dimension inner[outer[i]].
    SmallVector<int32_t> composed;
    for (int32_t dim : outer.getPerms())
      composed.push_back(inner.getPerms()[dim]);
    Value source = inner.getInput1();
    if (llvm::equal(composed, llvm::seq<int32_t>(0, composed.size()))) {
      rewriter.replaceOp(outer, source);
      return success();
    }
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(outer, outer.getType(),
                                                   source, composed);
    return success();
  }
};

/// Reshapes of one constant, all to one shape (a table that several gathers
/// read, each through its own reshape): the constant in that shape. TOSA's
/// folder leaves a reshape of a constant with several uses alone so as not
/// to duplicate its data; when every use is such a reshape the data exists
/// once either way, and a partial-execution group reads it as a constant.
struct ReshapedConstant : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ReshapeOp reshape,
                                PatternRewriter &rewriter) const override {
    Value source = reshape.getInput1();
    DenseElementsAttr values;
    if (source.hasOneUse() || !matchPattern(source, m_Constant(&values)))
      return failure();
    for (Operation *user : source.getUsers()) {
      auto other = dyn_cast<tosa::ReshapeOp>(user);
      if (!other || other.getType() != reshape.getType())
        return failure();
    }
    auto type = cast<ShapedType>(reshape.getType());
    Value reshaped = tosa::ConstOp::create(rewriter, reshape.getLoc(), type,
                                           values.reshape(type));
    for (Operation *user : llvm::make_early_inc_range(source.getUsers()))
      rewriter.replaceOp(user, reshaped);
    return success();
  }
};
} // namespace

void mlir::pex::populateRemoveNoOpPatterns(RewritePatternSet &patterns) {
  patterns.add<RemoveIdentity, ComposeTransposes, ReshapedConstant>(
      patterns.getContext());
}

//===- RemoveNoOps.cpp - Identities and cancelling transposes ---*- C++ -*-===//
//
// Exporters leave operators that move no data: ONNX Identity (tosa.identity),
// and layout transposes that a later transpose undoes (NCHW <-> NHWC around
// an operator that was converted alone). Each would otherwise be a kernel
// with a full copy of its tensor.
//
//===----------------------------------------------------------------------===//

#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
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
} // namespace

void mlir::pex::populateRemoveNoOpPatterns(RewritePatternSet &patterns) {
  patterns.add<RemoveIdentity, ComposeTransposes>(patterns.getContext());
}

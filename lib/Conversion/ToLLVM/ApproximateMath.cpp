//===- ApproximateMath.cpp - pex-approximate-math ---------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pex {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
/// floor(x) from a conversion to integer (which truncates toward zero):
/// t = trunc(x), minus one when that rounded a negative value up. Values of
/// at least 2^23 in magnitude (and NaN) are integers already.
struct ExpandFloor : public OpRewritePattern<math::FloorOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FloorOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<FloatType>(op.getType());
    if (!type || !type.isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is expanded");
    Location loc = op.getLoc();
    Value x = op.getOperand();
    Type i32 = rewriter.getI32Type();
    Value truncated = arith::SIToFPOp::create(
        rewriter, loc, type, arith::FPToSIOp::create(rewriter, loc, i32, x));
    Value one = arith::ConstantOp::create(rewriter, loc,
                                          rewriter.getF32FloatAttr(1.0f));
    Value roundedUp = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OGT, truncated, x);
    Value floor = arith::SelectOp::create(
        rewriter, loc, roundedUp,
        arith::SubFOp::create(rewriter, loc, truncated, one), truncated);
    Value limit = arith::ConstantOp::create(
        rewriter, loc, rewriter.getF32FloatAttr(8388608.0f));
    Value integral = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::UGE,
        math::AbsFOp::create(rewriter, loc, x), limit);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, integral, x, floor);
    return success();
  }
};

/// fma(a, b, c) as a * b + c: a fused multiply-add without hardware for it
/// is a libm call (fmaf on Cortex-M0+); every target computes the same
/// unfused result.
struct ExpandFma : public OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    Value product =
        arith::MulFOp::create(rewriter, op.getLoc(), op.getA(), op.getB());
    rewriter.replaceOpWithNewOp<arith::AddFOp>(op, product, op.getC());
    return success();
  }
};

struct ApproximateMathPass
    : public pex::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet approximations(&getContext());
    populateMathPolynomialApproximationPatterns(approximations);
    if (failed(applyPatternsGreedily(getOperation(), std::move(approximations))))
      return signalPassFailure();
    // The approximations round with floor, which cores without ARMv8's
    // rounding instructions (Cortex-M4) would call libm's floorf for.
    RewritePatternSet expansions(&getContext());
    expansions.add<ExpandFloor, ExpandFma>(&getContext());
    // NaN-propagating maximum and minimum become compares and selects
    // (fmaximumf and fminimumf in libm otherwise).
    arith::populateArithExpandOpsPatterns(expansions);
    if (failed(applyPatternsGreedily(getOperation(), std::move(expansions))))
      return signalPassFailure();
  }
};
} // namespace

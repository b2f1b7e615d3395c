//===- ApproximateMath.cpp - pex-approximate-math ---------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mlir::pex {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
Value f32Constant(OpBuilder &builder, Location loc, float value) {
  return arith::ConstantOp::create(builder, loc,
                                   builder.getF32FloatAttr(value));
}

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
    Value one = f32Constant(rewriter, loc, 1.0f);
    Value roundedUp = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OGT, truncated, x);
    Value floor = arith::SelectOp::create(
        rewriter, loc, roundedUp,
        arith::SubFOp::create(rewriter, loc, truncated, one), truncated);
    Value limit = f32Constant(rewriter, loc, 8388608.0f);
    Value integral =
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::UGE,
                              math::AbsFOp::create(rewriter, loc, x), limit);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, integral, x, floor);
    return success();
  }
};

/// exp(x) for f32: MLIR's polynomial approximation (PolynomialApproximation
/// .cpp, the same constants and operations, so the same bits) without the
/// compares its range makes dead. Upstream clamps x to [-87.8, 88.8], rounds
/// k = floor(x log2(e) + 1/2) and clamps k to [-127, 127]; with x clamped,
/// x log2(e) + 1/2 lies in [-126.2, 128.6], so floor's check for values of
/// 2^23 and more and k's lower clamp never change a number (a NaN x gives a
/// NaN r, hence a NaN result, either way). Each float compare is a VCMP and
/// a VMRS on the Cortex-M4: two of the six go.
struct ExpandExp : public OpRewritePattern<math::ExpOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::ExpOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is expanded");
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    auto constant = [&](float value) {
      return f32Constant(rewriter, loc, value);
    };
    auto multiplyAdd = [&](Value a, Value b, Value c) -> Value {
      return arith::AddFOp::create(
          rewriter, loc, arith::MulFOp::create(rewriter, loc, a, b), c);
    };
    // a if `a predicate bound` (unordered: a NaN passes), else bound.
    auto clamp = [&](Value a, arith::CmpFPredicate predicate, float bound) {
      Value limit = constant(bound);
      return arith::SelectOp::create(
          rewriter, loc,
          arith::CmpFOp::create(rewriter, loc, predicate, a, limit), a, limit);
    };
    Value one = constant(1.0f), half = constant(0.5f);
    Value x = clamp(op.getOperand(), arith::CmpFPredicate::UGE, -87.8f);
    x = clamp(x, arith::CmpFPredicate::ULE, 88.8f);
    Value scaled = multiplyAdd(x, constant(1.44269502f), half);
    Value truncated = arith::SIToFPOp::create(
        rewriter, loc, rewriter.getF32Type(),
        arith::FPToSIOp::create(rewriter, loc, i32, scaled));
    Value k = arith::SelectOp::create(
        rewriter, loc,
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OGT,
                              truncated, scaled),
        arith::SubFOp::create(rewriter, loc, truncated, one), truncated);
    k = clamp(k, arith::CmpFPredicate::ULE, 127.0f);
    // r = x - k ln(2), ln(2) in two parts.
    Value r = multiplyAdd(k, constant(-0.693359375f), x);
    r = multiplyAdd(k, constant(2.12194442e-4f), r);
    Value p =
        multiplyAdd(r, constant(1.98756912e-4f), constant(0.00139819994f));
    for (float c : {0.00833345205f, 0.0416657962f, 0.166666657f, 0.5f})
      p = multiplyAdd(p, r, constant(c));
    Value e = arith::AddFOp::create(
        rewriter, loc,
        multiplyAdd(p, arith::MulFOp::create(rewriter, loc, r, r), r), one);
    // 2^k from its exponent bits.
    Value exponent = arith::ShLIOp::create(
        rewriter, loc,
        arith::AddIOp::create(
            rewriter, loc, arith::FPToSIOp::create(rewriter, loc, i32, k),
            arith::ConstantIntOp::create(rewriter, loc, i32, 127)),
        arith::ConstantIntOp::create(rewriter, loc, i32, 23));
    rewriter.replaceOpWithNewOp<arith::MulFOp>(
        op, e,
        arith::BitcastOp::create(rewriter, loc, rewriter.getF32Type(),
                                 exponent));
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

/// sqrt(x) for f32 in integer arithmetic, correctly rounded to nearest:
/// the significand's root bit by bit (restoring: 24 bits and one more to
/// round with; a square root is never halfway between two floats). For
/// cores without an FPU, where it would be libm's sqrtf. Subnormal inputs
/// are scaled by 2^24 first and their root by 2^-12 after (both exact);
/// zeros, +inf and NaN are returned as they are, negative numbers give NaN.
struct ExpandSqrt : public OpRewritePattern<math::SqrtOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::SqrtOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is expanded");
    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    auto i32Constant = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, i32, value);
    };
    auto compare = [&](arith::CmpFPredicate predicate, Value a, Value b) {
      return arith::CmpFOp::create(rewriter, loc, predicate, a, b);
    };
    Value x = op.getOperand();
    Value subnormal = compare(arith::CmpFPredicate::OLT, x,
                              f32Constant(rewriter, loc, 0x1p-126f));
    Value scaled = arith::SelectOp::create(
        rewriter, loc, subnormal,
        arith::MulFOp::create(rewriter, loc, x,
                              f32Constant(rewriter, loc, 0x1p24f)),
        x);
    Value bits = arith::BitcastOp::create(rewriter, loc, i32, scaled);
    Value exponent = arith::SubIOp::create(
        rewriter, loc,
        arith::ShRUIOp::create(rewriter, loc, bits, i32Constant(23)),
        i32Constant(127));
    Value significand = arith::OrIOp::create(
        rewriter, loc,
        arith::AndIOp::create(rewriter, loc, bits, i32Constant(0x7fffff)),
        i32Constant(0x800000));
    // An odd exponent moves a factor 2 into the significand.
    Value odd = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(rewriter, loc, exponent, i32Constant(1)),
        i32Constant(0));
    Value one = i32Constant(1);
    significand = arith::SelectOp::create(
        rewriter, loc, odd,
        arith::ShLIOp::create(rewriter, loc, significand, one), significand);
    Value rootExponent = arith::ShRSIOp::create(rewriter, loc, exponent, one);
    Value remainder = arith::ShLIOp::create(rewriter, loc, significand, one);
    // Bit r of the root (r from 2^24 down): taken when the root so far plus
    // r, squared, still fits (s holds twice the root so far).
    Value zero = i32Constant(0);
    auto digits = scf::ForOp::create(
        rewriter, loc, arith::ConstantIndexOp::create(rewriter, loc, 0),
        arith::ConstantIndexOp::create(rewriter, loc, 25),
        arith::ConstantIndexOp::create(rewriter, loc, 1),
        ValueRange{remainder, zero, zero, i32Constant(1 << 24)},
        [&](OpBuilder &b, Location l, Value, ValueRange carried) {
          Value rest = carried[0], twice = carried[1], root = carried[2],
                bit = carried[3];
          Value trial = arith::AddIOp::create(b, l, twice, bit);
          Value fits = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule,
                                             trial, rest);
          twice = arith::SelectOp::create(
              b, l, fits, arith::AddIOp::create(b, l, trial, bit), twice);
          rest = arith::SelectOp::create(
              b, l, fits, arith::SubIOp::create(b, l, rest, trial), rest);
          root = arith::SelectOp::create(
              b, l, fits, arith::AddIOp::create(b, l, root, bit), root);
          Value bOne = arith::ConstantIntOp::create(b, l, b.getI32Type(), 1);
          scf::YieldOp::create(
              b, l,
              ValueRange{arith::ShLIOp::create(b, l, rest, bOne), twice, root,
                         arith::ShRUIOp::create(b, l, bit, bOne)});
        });
    // The 25th bit rounds (up when set: the root is then above halfway).
    Value root = digits.getResult(2);
    root = arith::AddIOp::create(
        rewriter, loc, root, arith::AndIOp::create(rewriter, loc, root, one));
    // (root >> 1) carries the implicit bit at bit 23: bias 126 plus it.
    Value resultBits = arith::AddIOp::create(
        rewriter, loc,
        arith::AddIOp::create(rewriter, loc,
                              arith::ShRUIOp::create(rewriter, loc, root, one),
                              i32Constant(0x3f000000)),
        arith::ShLIOp::create(rewriter, loc, rootExponent, i32Constant(23)));
    Value result = arith::BitcastOp::create(rewriter, loc, f32, resultBits);
    result = arith::SelectOp::create(
        rewriter, loc, subnormal,
        arith::MulFOp::create(rewriter, loc, result,
                              f32Constant(rewriter, loc, 0x1p-12f)),
        result);
    Value unchanged = arith::OrIOp::create(
        rewriter, loc,
        compare(arith::CmpFPredicate::OEQ, x, f32Constant(rewriter, loc, 0.0f)),
        arith::OrIOp::create(
            rewriter, loc,
            compare(arith::CmpFPredicate::OEQ, x,
                    f32Constant(rewriter, loc,
                                std::numeric_limits<float>::infinity())),
            compare(arith::CmpFPredicate::UNO, x, x)));
    result = arith::SelectOp::create(rewriter, loc, unchanged, x, result);
    Value negative =
        compare(arith::CmpFPredicate::OLT, x, f32Constant(rewriter, loc, 0.0f));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(
        op, negative,
        f32Constant(rewriter, loc, std::numeric_limits<float>::quiet_NaN()),
        result);
    return success();
  }
};

/// rsqrt(x) as 1 / sqrt(x), as the LLVM lowering computes it, so that the
/// square root is expanded too.
struct ExpandRsqrt : public OpRewritePattern<math::RsqrtOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::RsqrtOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is expanded");
    Location loc = op.getLoc();
    Value root = math::SqrtOp::create(rewriter, loc, op.getOperand());
    Value one = f32Constant(rewriter, loc, 1.0f);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, one, root);
    return success();
  }
};

struct ApproximateMathPass
    : public pex::impl::ApproximateMathBase<ApproximateMathPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet approximations(&getContext());
    // Ahead of upstream's exp (the same bits, fewer compares).
    approximations.add<ExpandExp>(&getContext(), /*benefit=*/2);
    populateMathPolynomialApproximationPatterns(approximations);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(approximations))))
      return signalPassFailure();
    // The approximations round with floor, which cores without ARMv8's
    // rounding instructions (Cortex-M4) would call libm's floorf for.
    RewritePatternSet expansions(&getContext());
    expansions.add<ExpandFloor, ExpandFma>(&getContext());
    if (softwareSqrt)
      expansions.add<ExpandSqrt, ExpandRsqrt>(&getContext());
    // NaN-propagating maximum and minimum become compares and selects
    // (fmaximumf and fminimumf in libm otherwise).
    arith::populateArithExpandOpsPatterns(expansions);
    if (failed(applyPatternsGreedily(getOperation(), std::move(expansions))))
      return signalPassFailure();
  }
};
} // namespace

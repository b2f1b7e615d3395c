//===- ApproximateMath.cpp - pex-approximate-math ---------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"

#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pex {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
struct ApproximateMathPass
    : public pex::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

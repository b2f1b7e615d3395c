//===- NormalizeTosa.cpp - pex-normalize-tosa -------------------*- C++ -*-===//

#include "pex/Transforms/NormalizePatterns.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pex {
#define GEN_PASS_DEF_NORMALIZETOSA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {
struct NormalizeTosaPass
    : public pex::impl::NormalizeTosaBase<NormalizeTosaPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    populateFoldPadPatterns(patterns);
    populateShrinkTrailingSlicePatterns(patterns);
    populateFlattenedInputToConvPatterns(patterns);
    populateRemoveNoOpPatterns(patterns);
    populateElementwiseBeforeReshapePatterns(patterns);
    populateSumsOverColumnsPatterns(patterns);
    populateSplitBySlicesPatterns(patterns);
    populateUnaryChainsToTablesPatterns(patterns);
    for (RegisteredOperationName op : context->getRegisteredOperations())
      if (op.getDialectNamespace() == tosa::TosaDialect::getDialectNamespace())
        op.getCanonicalizationPatterns(patterns, context);
    GreedyRewriteConfig config;
    config.setMaxIterations(GreedyRewriteConfig::kNoLimit);
    config.setMaxNumRewrites(100000);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config))) {
      getOperation().emitError() << "pex: graph normalisation did not converge";
      return signalPassFailure();
    }
  }
};
} // namespace

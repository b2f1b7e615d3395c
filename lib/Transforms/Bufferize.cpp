//===- Bufferize.cpp - pex-bufferize ----------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::pex {
#define GEN_PASS_DEF_BUFFERIZE
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::bufferization;

namespace {
/// Copies `from` into `to` element by element: a library-free memref.copy.
LogicalResult copyWithLoops(OpBuilder &builder, Location loc, Value from,
                            Value to) {
  auto type = cast<MemRefType>(from.getType());
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : type.getShape()) {
    lbs.push_back(arith::ConstantIndexOp::create(builder, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(builder, loc, size));
    steps.push_back(arith::ConstantIndexOp::create(builder, loc, 1));
  }
  scf::buildLoopNest(builder, loc, lbs, ubs, steps,
                     [&](OpBuilder &b, Location l, ValueRange ivs) {
                       Value value = memref::LoadOp::create(b, l, from, ivs);
                       memref::StoreOp::create(b, l, value, to, ivs);
                     });
  return success();
}

struct BufferizePass : public pex::impl::BufferizeBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        LayoutMapOption::IdentityLayoutMap);
    options.unknownTypeConverterFn = [](TensorType type, Attribute space,
                                        const BufferizationOptions &) {
      return getMemRefTypeWithStaticIdentityLayout(type, space);
    };
    // Kernel bodies describe the computation at tensor level; they are
    // emitted, not bufferized.
    options.opFilter.denyOperation([](Operation *op) {
      return op->getParentOfType<pex::KernelOp>() != nullptr;
    });

    IRRewriter rewriter(module.getContext());
    if (failed(eliminateEmptyTensors(rewriter, module)))
      return signalPassFailure();
    BufferizationState state;
    if (failed(runOneShotModuleBufferize(module, options, state)))
      return signalPassFailure();

    // The caller owns the model's outputs: results become output parameters,
    // and a result computed into a fresh buffer is computed into the output
    // parameter instead.
    BufferResultsToOutParamsOpts outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    outParams.memCpyFn = copyWithLoops;
    if (failed(promoteBufferResultsToOutParams(module, outParams)))
      return signalPassFailure();
  }
};
} // namespace

//===- BufferizableOpInterfaceImpl.cpp - Bufferizing pex ops ----*- C++ -*-===//

#include "pex/Dialect/Pex/Transforms/BufferizableOpInterfaceImpl.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::pex;

namespace {
struct KernelOpInterface
    : public DstBufferizableOpInterfaceExternalModel<KernelOpInterface,
                                                     KernelOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    auto kernel = cast<KernelOp>(op);
    // The destination is read only when the body reads its previous contents.
    return kernel.isDpsInput(&operand) ||
           !kernel.getOutputArgument().use_empty();
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto kernel = cast<KernelOp>(op);
    SmallVector<Value> inputs;
    for (Value input : kernel.getInputs()) {
      FailureOr<Value> buffer = getBuffer(rewriter, input, options, state);
      if (failed(buffer))
        return failure();
      inputs.push_back(*buffer);
    }
    FailureOr<Value> output =
        getBuffer(rewriter, kernel.getOutputs()[0], options, state);
    if (failed(output))
      return failure();
    rewriter.setInsertionPoint(kernel);
    auto bufferized = KernelOp::create(rewriter, kernel.getLoc(), TypeRange(),
                                       inputs, ValueRange{*output});
    bufferized->setDiscardableAttrs(kernel->getDiscardableAttrDictionary());
    rewriter.inlineRegionBefore(kernel.getBody(), bufferized.getBody(),
                                bufferized.getBody().end());
    replaceOpWithBufferizedValues(rewriter, op, *output);
    return success();
  }
};
} // namespace

void mlir::pex::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, PexDialect *) {
    KernelOp::attachInterface<KernelOpInterface>(*context);
  });
}

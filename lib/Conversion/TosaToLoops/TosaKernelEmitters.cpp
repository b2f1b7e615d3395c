//===- TosaKernelEmitters.cpp - Registering the TOSA emitters ---*- C++ -*-===//

#include "pex/Conversion/TosaKernelEmitters.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

void pex::registerTosaKernelEmitters(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    emit::attachElementwiseEmitters(context);
    emit::attachConvolutionEmitters(context);
    emit::attachPoolingEmitters(context);
    emit::attachReductionEmitters(context);
    emit::attachDataMovementEmitters(context);
    emit::attachResizeEmitter(context);
    emit::attachMatMulEmitter(context);
  });
}

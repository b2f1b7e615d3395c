//===- InitPex.cpp - Register Pex with a context or tool --------*- C++ -*-===//

#include "pex/InitPex.h"

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Interfaces/TosaModels.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

void pex::registerPexDialects(DialectRegistry &registry) {
  registry.insert<pex::PexDialect, tosa::TosaDialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect>();
  registerTosaInterfaceModels(registry);
}

void pex::registerPexPassesAndPipelines() { registerPexPasses(); }

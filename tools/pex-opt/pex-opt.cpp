//===- pex-opt.cpp - Pex optimizer driver -----------------------*- C++ -*-===//
//
// mlir-opt with Pex's dialect, interface models, passes and pipelines, so that
// every stage of the compiler can be reproduced and tested in isolation.
//
//===----------------------------------------------------------------------===//

#include "pex/InitPex.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::pex::registerPexPassesAndPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::pex::registerPexDialects(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Pex optimizer driver\n", registry));
}

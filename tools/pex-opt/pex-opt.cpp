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
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::pex::registerPexPassesAndPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::pex::registerPexDialects(registry);

  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "Pex optimizer driver\n", registry);
  uint64_t reported = llvm::errs().tell();
  mlir::LogicalResult result =
      mlir::MlirOptMain(argc, argv, input, output, registry);
  // Some upstream custom parsers fail without a diagnostic (MLIR 22's TOSA
  // operations on an attribute dictionary with an empty name): never fail
  // silently.
  if (mlir::failed(result) && llvm::errs().tell() == reported)
    llvm::errs() << "pex-opt: error: " << input
                 << ": cannot parse or process the module (MLIR gave no "
                    "reason)\n";
  return mlir::asMainReturnCode(result);
}

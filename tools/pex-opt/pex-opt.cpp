//===- pex-opt.cpp - Pex optimizer driver -----------------------*- C++ -*-===//
//
// mlir-opt with Pex's dialect, interface models, passes and pipelines, so that
// every stage of the compiler can be reproduced and tested in isolation.
//
//===----------------------------------------------------------------------===//

#include "pex/InitPex.h"
#include "pex/Support/ResultNumbers.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace {
/// MlirOptMain on `input`, whose result numbers are checked before MLIR's
/// parser reads it (pex/Support/ResultNumbers.h).
mlir::LogicalResult optimize(int argc, char **argv, llvm::StringRef input,
                             llvm::StringRef output,
                             mlir::DialectRegistry &registry) {
  auto config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::MlirOptMain(argc, argv, input, output, registry);
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(input, &message);
  if (!file) {
    llvm::errs() << message << "\n";
    return mlir::failure();
  }
  llvm::SourceMgr sourceMgr;
  unsigned bufferId = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(file->getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  if (mlir::failed(mlir::pex::checkResultNumbers(sourceMgr, bufferId)))
    return mlir::failure();
  std::unique_ptr<llvm::ToolOutputFile> out =
      mlir::openOutputFile(output, &message);
  if (!out) {
    llvm::errs() << message << "\n";
    return mlir::failure();
  }
  if (mlir::failed(
          mlir::MlirOptMain(out->os(), std::move(file), registry, config)))
    return mlir::failure();
  out->keep();
  return mlir::success();
}
} // namespace

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
  mlir::LogicalResult result = optimize(argc, argv, input, output, registry);
  // Some upstream custom parsers fail without a diagnostic (MLIR 22's TOSA
  // operations on an attribute dictionary with an empty name): never fail
  // silently.
  if (mlir::failed(result) && llvm::errs().tell() == reported)
    llvm::errs() << "pex-opt: error: " << input
                 << ": cannot parse or process the module (MLIR gave no "
                    "reason)\n";
  return mlir::asMainReturnCode(result);
}

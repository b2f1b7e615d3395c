//===- pex-fuzz-mlir.cpp - libFuzzer on the parser and pipeline -*- C++ -*-===//
//
// Each input is parsed as an MLIR module, verified and compiled with the
// default pipeline (pex-opt --pex-compile). Diagnostics are expected and
// dropped; a crash, an assertion, a sanitizer report or a timeout is a
// finding. Built with -DPEX_SANITIZE=ON only; docs/hardening.md runs it.
//
//===----------------------------------------------------------------------===//

#include "pex/InitPex.h"
#include "pex/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

static const mlir::DialectRegistry &getRegistry() {
  static const mlir::DialectRegistry registry = [] {
    mlir::DialectRegistry registry;
    mlir::registerAllDialects(registry);
    mlir::registerAllExtensions(registry);
    mlir::pex::registerPexDialects(registry);
    return registry;
  }();
  return registry;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A context per input: nothing one input interns or loads changes the next.
  mlir::MLIRContext context(getRegistry(),
                            mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler dropDiagnostics(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  // MLIR's lexer reads source buffers as NUL-terminated (as every file and
  // string it is given from a MemoryBuffer is): libFuzzer's bytes are not.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz-input"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 0;
  mlir::PassManager passes(&context);
  mlir::pex::buildCompilePipeline(passes, mlir::pex::PexPipelineOptions());
  (void)passes.run(*module);
  return 0;
}

//===- pex-embed.cpp - Pex inside another MLIR tool -------------*- C++ -*-===//
//
// Parses a TOSA module, runs the embedder's own TOSA stage, then Pex's stages
// through the public API, and prints what the arena planner decided and the
// entry point it generated. Uses only installed headers (docs/embedding.md).
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/InitPex.h"
#include "pex/Pipelines/Pipelines.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: pex-embed MODEL.mlir (TOSA)\n";
    return 2;
  }
  DialectRegistry registry;
  pex::registerPexDialects(registry); // plus the embedder's own dialects
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(argv[1], &context);
  if (!module)
    return 1;

  pex::PexPipelineOptions options; // the defaults of pexc
  PassManager pm(&context);
  pm.addPass(createCanonicalizerPass()); // stands for the embedder's TOSA stage
  pex::buildOptimizeTosaPipeline(pm, options);
  pex::buildTosaToKernelsPipeline(pm, options);
  pex::buildKernelsToMemRefPipeline(pm, options); // bufferize, plan the arena
  if (failed(pm.run(*module)))
    return 1;
  for (auto global : module->getOps<memref::GlobalOp>())
    if (auto arena = global->getAttrOfType<pex::ArenaAttr>(pex::kArenaAttrName))
      llvm::outs() << "arena @" << global.getSymName() << ": "
                   << arena.getSize() << " bytes, peak " << arena.getPeak()
                   << ", alignment " << arena.getAlignment() << "\n";

  PassManager lower(&context); // or buildCompilePipeline for all stages
  pex::buildLowerToLLVMPipeline(lower, options);
  if (failed(lower.run(*module)))
    return 1;
  module->walk([](FunctionOpInterface function) {
    if (!function.isExternal())
      llvm::outs() << function->getName() << " @" << function.getName() << "\n";
  });
  return 0;
}

//===- Pipelines.h - Pex's compilation pipelines ----------------*- C++ -*-===//
//
// The public entry points for running Pex: one options struct (the options
// `pexc` exposes) and functions that add Pex's stages to a pass manager, so
// another compiler can run the whole flow or insert a stage after its own
// TOSA pipeline. See docs/pipeline.md and docs/embedding.md.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_PIPELINES_PIPELINES_H
#define PEX_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace pex {

struct PexPipelineOptions : public PassPipelineOptions<PexPipelineOptions> {
  Option<bool> reorder{*this, "reorder",
                       llvm::cl::desc("Reorder operators to minimise the "
                                      "peak SRAM"),
                       llvm::cl::init(true)};
  Option<unsigned> reorderMaxStates{
      *this, "reorder-max-states",
      llvm::cl::desc("Sets of executed operators kept per layer of the "
                     "reordering search"),
      llvm::cl::init(4096)};
  Option<unsigned> indexBitwidth{
      *this, "index-bitwidth",
      llvm::cl::desc("Width of index values in generated code (32 for "
                     "Cortex-M, 64 for a 64-bit host)"),
      llvm::cl::init(32)};
};

/// TOSA to tensor-level kernels: reordering, then one pex.kernel per
/// logical operator.
void buildTosaToKernelsPipeline(OpPassManager &pm,
                                const PexPipelineOptions &options);
/// Kernels to memrefs: bufferization with the model's output as an output
/// parameter.
void buildKernelsToMemRefPipeline(OpPassManager &pm,
                                  const PexPipelineOptions &options);
/// Planned memref IR to the LLVM dialect: the C entry point, kernels as
/// loops, no library calls, index of the configured width.
void buildLowerToLLVMPipeline(OpPassManager &pm,
                              const PexPipelineOptions &options);
/// All of the above, TOSA to the LLVM dialect.
void buildCompilePipeline(OpPassManager &pm, const PexPipelineOptions &options);

/// Registers the pipelines above under their pex-opt names.
void registerPexPipelines();

} // namespace pex
} // namespace mlir

#endif // PEX_PIPELINES_PIPELINES_H

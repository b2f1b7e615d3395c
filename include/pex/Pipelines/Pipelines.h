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
  Option<bool> partial{
      *this, "partial",
      llvm::cl::desc("Run chains of operators as loops over channel slices "
                     "(partial execution)"),
      llvm::cl::init(true)};
  Option<int64_t> arenaBudget{
      *this, "arena-budget",
      llvm::cl::desc("Partition only until the arena peak is at most this "
                     "many bytes, and fail if it cannot be (0: minimise)"),
      llvm::cl::init(0)};
  Option<bool> stream{
      *this, "stream",
      llvm::cl::desc("Run chains of operators row by row through line "
                     "buffers where that lowers the peak (row streaming)"),
      llvm::cl::init(false)};
  Option<bool> streamToBudget{
      *this, "stream-to-budget",
      llvm::cl::desc("With `stream` and `arena-budget`: add streams only "
                     "until the arena peak (after channel splitting) fits "
                     "the budget, rather than wherever a stream lowers it"),
      llvm::cl::init(false)};
  Option<bool> streamIO{
      *this, "stream-io",
      llvm::cl::desc("The application hands the model's input over and "
                     "receives its output row by row (pexc --io=stream): "
                     "neither has to exist in full"),
      llvm::cl::init(false)};
  Option<unsigned> reorderMaxStates{
      *this, "reorder-max-states",
      llvm::cl::desc("Sets of executed operators kept per layer of the "
                     "reordering search"),
      llvm::cl::init(4096)};
  ListOption<std::string> memoryPools{
      *this, "memory-pools",
      llvm::cl::desc("Split the arena over memory pools NAME:BYTES[:SECTION], "
                     "fastest first: the fast pools hold the buffers "
                     "accessed most per byte")};
  Option<int64_t> arenaAlignment{
      *this, "arena-alignment",
      llvm::cl::desc("Alignment of every buffer in the arena, in bytes"),
      llvm::cl::init(16)};
  Option<std::string> arenaStrategy{
      *this, "arena-strategy",
      llvm::cl::desc("Buffer placement: search (default) or first-fit "
                     "(TensorFlow Lite Micro's greedy planner)"),
      llvm::cl::init("search")};
  Option<bool> externalArena{
      *this, "external-arena",
      llvm::cl::desc("Declare the arena for the application to define"),
      llvm::cl::init(false)};
  Option<bool> arenaIO{
      *this, "arena-io",
      llvm::cl::desc("The arena holds the model's input and output too (the "
                     "input's bytes are reused once it is consumed); the "
                     "application reaches them through accessors"),
      llvm::cl::init(false)};
  Option<std::string> arenaSymbol{
      *this, "arena-symbol", llvm::cl::desc("Name of the arena symbol"),
      llvm::cl::init("pex_arena")};
  Option<bool> verifyArena{
      *this, "verify-arena",
      llvm::cl::desc("Check the planned arena independently"),
      llvm::cl::init(true)};
  Option<unsigned> indexBitwidth{
      *this, "index-bitwidth",
      llvm::cl::desc("Width of index values in generated code (32 for "
                     "Cortex-M, 64 for a 64-bit host)"),
      llvm::cl::init(32)};
  Option<bool> dsp{
      *this, "dsp",
      llvm::cl::desc("The target has the Armv7E-M DSP extension: int8 dot "
                     "products use its dual multiply-accumulate"),
      llvm::cl::init(false)};
  Option<bool> mve{
      *this, "mve",
      llvm::cl::desc("The target has the M-profile vector extension "
                     "(Helium): int8 dot products use 16-lane vector "
                     "multiply-accumulates"),
      llvm::cl::init(false)};
  Option<bool> softwareSqrt{
      *this, "software-sqrt",
      llvm::cl::desc("The target has no FPU: f32 square roots are computed "
                     "in integer arithmetic, not by libm's sqrtf"),
      llvm::cl::init(false)};
  Option<bool> roundingConversion{
      *this, "rounding-conversion",
      llvm::cl::desc("The target's FPU converts floats to integers rounding "
                     "to nearest, ties to even (Arm VCVTR in FPSCR's reset "
                     "rounding mode): float32-to-integer casts use it"),
      llvm::cl::init(false)};
};

/// TOSA to TOSA before planning: canonicalisation, normalisation, rows
/// handed over by the caller, and the state kept between runs threaded
/// through the model function (whose `pex.variable` results are then what
/// the state costs).
void buildPrepareTosaPipeline(OpPassManager &pm,
                              const PexPipelineOptions &options);
/// Planning prepared TOSA: reordering, streams and partial execution groups
/// for the smallest arena, then the arena's placement.
void buildPlanSchedulePipeline(OpPassManager &pm,
                               const PexPipelineOptions &options);
/// TOSA to TOSA: the two above (the caller holds the model's input and
/// output). The memory model of the result is the plan the later stages
/// realise.
void buildOptimizeTosaPipeline(OpPassManager &pm,
                               const PexPipelineOptions &options);
/// TOSA to tensor-level kernels: groups become loops over slices, then one
/// pex.kernel per logical operator.
void buildTosaToKernelsPipeline(OpPassManager &pm,
                                const PexPipelineOptions &options);
/// Kernels to memrefs: bufferization with the model's output as an output
/// parameter, then every buffer placed in the static arena (and checked).
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

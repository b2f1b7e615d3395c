//===- Pipelines.cpp - Pex's compilation pipelines --------------*- C++ -*-===//

#include "pex/Pipelines/Pipelines.h"
#include "pex/Conversion/Passes.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir {
// TosaToMLProgram.h declares no pass constructor in MLIR 22.
#define GEN_PASS_DECL_TOSATOMLPROGRAM
#include "mlir/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::pex;

void pex::buildPrepareTosaPipeline(OpPassManager &pm,
                                   const PexPipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createNormalizeTosa());
  if (options.streamIO) {
    pm.addNestedPass<func::FuncOp>(createReadInputRows());
    pm.addNestedPass<func::FuncOp>(createWriteOutputRows());
  }
  // TOSA variables become ml_program globals, the form pex-thread-variables
  // (and the importers, for types TOSA's variables do not have) use.
  pm.addPass(createTosaToMLProgram());
  pm.addPass(createThreadVariables());
}

void pex::buildPlanSchedulePipeline(OpPassManager &pm,
                                    const PexPipelineOptions &options) {
  ReorderOptions reorder;
  reorder.maxStates = options.reorderMaxStates;
  reorder.arenaIO = options.arenaIO;
  reorder.alignment = options.arenaAlignment;
  if (options.partial) {
    SplitHeadsOptions heads;
    heads.maxStates = options.reorderMaxStates;
    heads.arenaIO = options.arenaIO;
    heads.alignment = options.arenaAlignment;
    pm.addNestedPass<func::FuncOp>(createSplitHeads(heads));
  }
  if (options.reorder)
    pm.addNestedPass<func::FuncOp>(createReorder(reorder));
  if (options.stream) {
    StreamOptions stream;
    stream.arenaIO = options.arenaIO;
    stream.alignment = options.arenaAlignment;
    stream.arenaBudget = options.streamToBudget ? options.arenaBudget : 0;
    stream.partial = options.partial;
    stream.maxStates = options.reorderMaxStates;
    pm.addNestedPass<func::FuncOp>(createStream(stream));
  }
  if (options.partial) {
    PartitionOptions partition;
    partition.arenaBudget = options.arenaBudget;
    partition.arenaIO = options.arenaIO;
    partition.alignment = options.arenaAlignment;
    partition.maxStates = options.reorderMaxStates;
    pm.addNestedPass<func::FuncOp>(createPartition(partition));
  }
  pm.addNestedPass<func::FuncOp>(createExpandGroupedConvolutions());
  // Grouping changes which orders are good.
  if (options.partial && options.reorder)
    pm.addNestedPass<func::FuncOp>(createReorder(reorder));
  PlanArenaOptions arena;
  arena.alignment = options.arenaAlignment;
  arena.strategy = options.arenaStrategy;
  arena.arenaIO = options.arenaIO;
  arena.arenaBudget = options.arenaBudget;
  arena.pools.assign(options.memoryPools.begin(), options.memoryPools.end());
  pm.addNestedPass<func::FuncOp>(createPlanArena(arena));
}

void pex::buildOptimizeTosaPipeline(OpPassManager &pm,
                                    const PexPipelineOptions &options) {
  buildPrepareTosaPipeline(pm, options);
  buildPlanSchedulePipeline(pm, options);
}

void pex::buildTosaToKernelsPipeline(OpPassManager &pm,
                                     const PexPipelineOptions &) {
  pm.addNestedPass<func::FuncOp>(createLowerStreams());
  pm.addNestedPass<func::FuncOp>(createLowerGroups());
  pm.addNestedPass<func::FuncOp>(createDepthwiseFiltersToConv());
  pm.addNestedPass<func::FuncOp>(createFormKernels());
}

void pex::buildKernelsToMemRefPipeline(OpPassManager &pm,
                                       const PexPipelineOptions &options) {
  pm.addPass(createBufferize());
  // Identical subviews of a group's assembled result merge, and the copy
  // between them that bufferization left folds away.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  MaterializeArenaOptions arena;
  arena.external = options.externalArena;
  arena.symbol = options.arenaSymbol;
  pm.addPass(createMaterializeArena(arena));
  if (options.verifyArena)
    pm.addPass(createVerifyArena());
}

void pex::buildLowerToLLVMPipeline(OpPassManager &pm,
                                   const PexPipelineOptions &options) {
  unsigned indexBitwidth = options.indexBitwidth;
  pm.addPass(createExportEntryPoint());
  LowerKernelsOptions kernels;
  kernels.vectorMac = options.mve;
  kernels.roundingConversion = options.roundingConversion;
  pm.addPass(createLowerKernels(kernels));
  if (options.mve)
    pm.addNestedPass<func::FuncOp>(createVectorMultiplyAccumulate());
  if (options.dsp)
    pm.addNestedPass<func::FuncOp>(createDualMultiplyAccumulate());
  pm.addNestedPass<func::FuncOp>(
      createTosaToArithPass(TosaToArithPassOptions{true, false}));
  ApproximateMathOptions math;
  math.softwareSqrt = options.softwareSqrt;
  pm.addPass(createApproximateMath(math));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A stream's row kernels set up each channel on every row (elsewhere the
  // records cost flash for less: person_detect ran 0.6 % more cycles).
  if (options.stream)
    pm.addPass(createInterleaveChannelConstants());
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(
      FinalizeMemRefToLLVMConversionPassOptions{false, indexBitwidth, false}));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass(
      ArithToLLVMConversionPassOptions{indexBitwidth}));
  pm.addPass(createConvertFuncToLLVMPass(
      ConvertFuncToLLVMPassOptions{true, indexBitwidth}));
  pm.addPass(createConvertControlFlowToLLVMPass(
      ConvertControlFlowToLLVMPassOptions{indexBitwidth}));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createAnnotateLLVMSymbols());
}

void pex::buildCompilePipeline(OpPassManager &pm,
                               const PexPipelineOptions &options) {
  buildOptimizeTosaPipeline(pm, options);
  buildTosaToKernelsPipeline(pm, options);
  buildKernelsToMemRefPipeline(pm, options);
  buildLowerToLLVMPipeline(pm, options);
}

void pex::registerPexPipelines() {
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-prepare-tosa",
      "Normalise TOSA and thread the state kept between runs",
      buildPrepareTosaPipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-plan-schedule",
      "Reorder, stream and split prepared TOSA, then place the arena",
      buildPlanSchedulePipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-optimize-tosa", "Reorder TOSA operators for the smallest peak",
      buildOptimizeTosaPipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-tosa-to-kernels", "Wrap each logical operator in a kernel",
      buildTosaToKernelsPipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-kernels-to-memref",
      "Bufferize kernels, with the model's outputs as output parameters",
      buildKernelsToMemRefPipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-lower-to-llvm",
      "Lower planned memref IR to the LLVM dialect for a bare-metal target",
      buildLowerToLLVMPipeline);
  PassPipelineRegistration<PexPipelineOptions>(
      "pex-compile", "Compile a TOSA model to the LLVM dialect",
      buildCompilePipeline);
}

//===- Compiler.h - A model file to an object, header and report -*- C++
//-*-===//
//
// The compiler as a library: what pexc does, callable from other tools,
// examples and stacks. A compilation runs in phases (import, schedule
// optimisation, buffer planning, lowering to LLVM, code emission) and can
// stop after any of them to print that phase's IR.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DRIVER_COMPILER_H
#define PEX_DRIVER_COMPILER_H

#include "pex/Driver/ModelLoader.h"
#include "pex/Driver/Paths.h"
#include "pex/Driver/Targets.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pex::driver {

/// What a compilation writes, in pipeline order: the IR after a phase, or
/// the generated code.
enum class EmitKind {
  Tosa,          ///< TOSA as imported.
  OptimizedTosa, ///< Reordered, grouped and planned (pex-optimize-tosa).
  Kernels,       ///< pex.kernel operations on tensors.
  MemRef,        ///< Kernels on the planned arena's buffers.
  LLVMDialect,   ///< The LLVM dialect.
  LLVMIR,        ///< LLVM IR.
  Assembly,      ///< Target assembly.
  Object,        ///< An object file, its C header, a report, a run.
};

/// Where a model's input and output live.
/// When chains of operators run row by row through line buffers (streams
/// lower the peak but cost instructions).
enum class RowStreaming {
  /// Only where the SRAM budget cannot be met otherwise, and only as many
  /// streams as it needs (without a budget: none).
  ToBudget,
  /// Wherever a stream lowers the peak (--stream).
  Always,
  /// None (--stream=false).
  Never,
};

enum class IOPlacement {
  Caller, ///< The application passes them to pex_NAME_run.
  Arena,  ///< In the arena (TFLite Micro's way), reached by accessors.
  Stream, ///< The application hands the input over and receives the
          ///< output row by row.
};

/// Who defines the arena's storage.
enum class ArenaDefinition {
  Internal, ///< The object, in .bss.
  External, ///< The application, as pex_NAME_arena.
};

struct CompileOptions {
  /// .tflite, .onnx or TOSA .mlir: one model, or several compiled into one
  /// object that defines one arena for all (the models do not run at once).
  std::vector<std::string> modelPaths;
  /// How .tflite and .onnx models are imported.
  ImportOptions import;
  std::string targetName = "cortex-m4";
  /// The float ABI the objects link with (a soft-float firmware, a core
  /// without FPU).
  FloatABI floatAbi = FloatABI::Default;
  EmitKind emit = EmitKind::Object;
  /// Empty: NAME.o for an object, standard output for text.
  std::string outputPath;
  /// The model's C name; empty: the model function's name.
  std::string modelName;
  /// Fail unless the activations (arena plus input and output) fit; 0: no
  /// budget.
  int64_t sramBudget = 0;
  /// Split the arena over memory pools "NAME:BYTES[:SECTION]", fastest
  /// first (--memory-pool).
  std::vector<std::string> memoryPools;
  bool reorder = true;
  bool partialExecution = true;
  /// When chains of operators run row by row through line buffers.
  RowStreaming rowStreaming = RowStreaming::ToBudget;
  IOPlacement io = IOPlacement::Caller;
  ArenaDefinition arena = ArenaDefinition::Internal;
  /// Print the schedule's live bytes per step on standard output.
  bool printMemoryReport = false;
  /// Write the report (docs/report.md) here.
  std::string reportJsonPath;
  /// Write the report as a self-contained HTML page here.
  std::string reportHtmlPath;
  /// Run the compiled model on these raw input bytes, writing the output's
  /// to runOutputPath (host, or QEMU for a Cortex-M target).
  std::string runInputPath, runOutputPath;
  /// With a run on a Cortex-M target: attribute its instructions (and
  /// estimated cycles) to the model's layers (the report's `layers`).
  bool profile = false;
  /// Print errors only.
  bool quiet = false;
  /// Apply MLIR's pass manager command-line options (--mlir-print-ir-after,
  /// timing, ...), which the calling tool registered.
  bool applyMLIRCommandLineOptions = false;
};

/// The compiler's version, as the generated headers and --version show it.
const char *getCompilerVersion();

/// Compiles a model as `options` say. Diagnostics go to standard error.
/// Returns the process status: 0 on success, 1 on an error, or the model's
/// run status when it was run.
int compile(const CompileOptions &options, const Paths &paths);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_COMPILER_H

//===- pexc.cpp - The Pex compiler driver -----------------------*- C++ -*-===//
//
// One command from a model file to an object file, a C header and a memory
// report, and optionally a run on the host or an emulated Cortex-M:
//
//   pexc model.tflite --target=cortex-m4 -o model.o --report-json=r.json
//   pexc model.tflite --target=cortex-m4 --run=input.bin --output=out.bin
//
// The command line only: the compiler is lib/Driver (pex/Driver/Compiler.h).
//
//===----------------------------------------------------------------------===//

#include "pex/Driver/Compiler.h"
#include "pex/Driver/Targets.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

using namespace mlir::pex::driver;
namespace cl = llvm::cl;

static cl::OptionCategory category("pexc options");

static cl::list<std::string>
    modelPaths(cl::Positional, cl::OneOrMore,
               cl::desc("<model.tflite|.onnx|.mlir>... (several: one object, "
                        "one arena shared by all)"),
               cl::cat(category));
static cl::opt<std::string> outputPath(
    "o", cl::value_desc("file"), cl::cat(category),
    cl::desc("Output file (default: NAME.o, or stdout for textual --emit); "
             "the C header NAME.h is written beside an object file"));
static cl::list<std::string> inputShapes(
    "input-shape", cl::value_desc("[NAME:]DIMS"), cl::cat(category),
    cl::desc("Fix the dynamic dimensions of a .tflite/.onnx input, in the "
             "model's own layout, e.g. 1x3x96x96, or NAME:1x3x96x96 for one "
             "of several inputs (repeatable); a dynamic batch is 1 unless "
             "given"));
static cl::opt<bool> quantizedIO(
    "quantized-io", cl::cat(category),
    cl::desc("Take the quantised input and give the quantised output of a "
             ".tflite/.onnx model with a float interface (PyTorch's quantised "
             "exports, QDQ models): the tensors its first quantisation writes "
             "and its last dequantisation reads; their scale and zero point "
             "are in the header"));
static cl::list<std::string> states(
    "state", cl::value_desc("INPUT=OUTPUT"), cl::cat(category),
    cl::desc("Keep a .tflite/.onnx model's output OUTPUT between runs as its "
             "input INPUT (a streaming model's cache): both leave the "
             "interface and become state, zero until the first run and after "
             "pex_NAME_reset_state() (repeatable)"));
// cl::desc keeps a reference: the text must outlive the option.
static const std::string targetHelp =
    "Code generation target: " + getTargetNames() + " (default cortex-m4)";
static cl::opt<std::string> targetName("target", cl::init("cortex-m4"),
                                       cl::value_desc("name"),
                                       cl::cat(category), cl::desc(targetHelp));
static cl::opt<FloatABI>
    floatAbi("float-abi", cl::init(FloatABI::Default), cl::cat(category),
             cl::desc("How the objects compute and pass floats (as GCC's "
                      "-mfloat-abi); default: the target's (hard with an FPU)"),
             cl::values(clEnumValN(FloatABI::Hard, "hard",
                                   "FPU instructions, FPU registers"),
                        clEnumValN(FloatABI::SoftFP, "softfp",
                                   "FPU instructions, core registers"),
                        clEnumValN(FloatABI::Soft, "soft",
                                   "no FPU instruction (a core without FPU)")));
static cl::opt<EmitKind> emitKind(
    "emit", cl::init(EmitKind::Object), cl::cat(category),
    cl::desc("What to produce"),
    cl::values(
        clEnumValN(EmitKind::Object, "obj",
                   "an object file and its C header (default)"),
        clEnumValN(EmitKind::Assembly, "asm", "target assembly"),
        clEnumValN(EmitKind::LLVMIR, "llvm", "LLVM IR"),
        clEnumValN(EmitKind::LLVMDialect, "llvm-dialect", "the LLVM dialect"),
        clEnumValN(EmitKind::MemRef, "memref", "kernels on planned buffers"),
        clEnumValN(EmitKind::Kernels, "kernels", "kernels on tensors"),
        clEnumValN(EmitKind::OptimizedTosa, "optimized-tosa",
                   "TOSA reordered, with groups and placements"),
        clEnumValN(EmitKind::Tosa, "tosa", "TOSA as imported")));
static cl::opt<int64_t> sramBudget(
    "sram-budget", cl::init(0), cl::value_desc("bytes"), cl::cat(category),
    cl::desc("Fail unless the activations (arena plus input and output) fit "
             "in this many bytes"));
static cl::list<std::string> memoryPools(
    "memory-pool", cl::value_desc("NAME:BYTES[:SECTION]"), cl::cat(category),
    cl::desc("Split the arena over memory pools, fastest first "
             "(repeatable): the fast pools hold the buffers accessed most "
             "per byte; each pool is the global pex_MODEL_arena_NAME, in "
             "linker section SECTION when given"));
static cl::opt<bool> noReorder("no-reorder", cl::cat(category),
                               cl::desc("Keep the model's operator order"));
static cl::opt<bool>
    noPartial("no-partial", cl::cat(category),
              cl::desc("Do not run operators as loops over channel slices"));
static cl::opt<bool>
    rowStreaming("stream", cl::cat(category),
                 cl::desc("Run chains of operators row by row through line "
                          "buffers wherever that lowers the peak (default: "
                          "only as far as --sram-budget needs; "
                          "--stream=false: never)"));
static cl::opt<ArenaDefinition> arenaDefinition(
    "arena", cl::init(ArenaDefinition::Internal), cl::cat(category),
    cl::desc("Who defines the arena"),
    cl::values(clEnumValN(ArenaDefinition::Internal, "internal",
                          "the object, in .bss (default)"),
               clEnumValN(ArenaDefinition::External, "external",
                          "the application, as pex_NAME_arena")));
static cl::opt<IOPlacement> ioPlacement(
    "io", cl::init(IOPlacement::Caller), cl::cat(category),
    cl::desc("Where the model's input and output live"),
    cl::values(
        clEnumValN(IOPlacement::Caller, "caller",
                   "the application passes them to pex_NAME_run (default)"),
        clEnumValN(IOPlacement::Arena, "arena",
                   "in the arena (as in TFLite Micro), reached through "
                   "pex_NAME_input() and pex_NAME_output(); the input's "
                   "bytes are reused once it is consumed"),
        clEnumValN(IOPlacement::Stream, "stream",
                   "the application hands the input over row by row "
                   "(pex_NAME_read_input_rows), so it never exists in full, "
                   "and receives the output row by row "
                   "(pex_NAME_write_output_rows), as computed where the "
                   "last operators stream")));
static cl::opt<std::string> reportJsonPath(
    "report-json", cl::value_desc("file"), cl::cat(category),
    cl::desc("Write the memory and size figures as JSON (docs/report.md)"));
static cl::opt<std::string> reportHtmlPath(
    "report-html", cl::value_desc("file"), cl::cat(category),
    cl::desc("Write the report as one self-contained HTML page: figures, the "
             "arena's buffers over the schedule, live bytes per step, layers"));
static cl::opt<bool> printMemoryReport(
    "memory-report", cl::cat(category),
    cl::desc("Print the live bytes of every step of the schedule"));
static cl::opt<std::string> runInputPath(
    "run", cl::value_desc("input.bin"), cl::cat(category),
    cl::desc("Run the compiled model on these raw input bytes (on the host "
             "or in QEMU for a Cortex-M target)"));
static cl::opt<bool> profile(
    "profile", cl::cat(category),
    cl::desc("With --run on a Cortex-M target: the run's instructions (and "
             "estimated cycles) per layer, printed and in the report"));
static cl::opt<std::string>
    runOutputPath("output", cl::value_desc("output.bin"), cl::cat(category),
                  cl::desc("With --run: where to write the raw output bytes"));
static cl::opt<std::string> modelName(
    "name", cl::value_desc("identifier"), cl::cat(category),
    cl::desc("C name of the model (default: the model function's name)"));
static cl::opt<bool> quiet("quiet", cl::cat(category),
                           cl::desc("Print only errors"));
static cl::alias quietShort("q", cl::aliasopt(quiet), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // MLIR's debugging options (--mlir-print-ir-after-all, ...) work but are
  // not listed in --help.
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "pexc " << getCompilerVersion() << " (Pex, LLVM/MLIR "
       << LLVM_VERSION_STRING << ")\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "pexc: compile a neural network for a microcontroller\n\n"
      "Reads a .tflite (int8 or float32), .onnx or TOSA .mlir model and "
      "writes\nan object file with `int pex_NAME_run(const in_t *input, out_t "
      "*output)`, the\nC header NAME.h (shapes, types, quantisation, arena and "
      "flash sizes) and,\non request, a memory report. Intermediate tensors "
      "live "
      "in one static arena;\nno heap, no library calls.\n\n"
      "Examples:\n"
      "  pexc model.tflite -o model.o                  (Cortex-M4 object + "
      "model.h)\n"
      "  pexc model.tflite --target=cortex-m33 --report-json=report.json\n"
      "  pexc model.tflite --run=in.bin --output=out.bin  (run in QEMU)\n"
      "  pexc model.onnx --target=host --run=in.bin --output=out.bin\n");

  CompileOptions options;
  options.modelPaths.assign(modelPaths.begin(), modelPaths.end());
  options.import.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  options.import.quantizedIO = quantizedIO;
  options.import.states.assign(states.begin(), states.end());
  options.targetName = targetName;
  options.floatAbi = floatAbi;
  options.profile = profile;
  options.emit = emitKind;
  options.outputPath = outputPath;
  options.modelName = modelName;
  options.sramBudget = sramBudget;
  options.memoryPools.assign(memoryPools.begin(), memoryPools.end());
  options.reorder = !noReorder;
  options.partialExecution = !noPartial;
  // Given, --stream decides; left out, the budget does.
  if (rowStreaming.getNumOccurrences())
    options.rowStreaming =
        rowStreaming ? RowStreaming::Always : RowStreaming::Never;
  options.io = ioPlacement;
  options.arena = arenaDefinition;
  options.printMemoryReport = printMemoryReport;
  options.reportJsonPath = reportJsonPath;
  options.reportHtmlPath = reportHtmlPath;
  options.runInputPath = runInputPath;
  options.runOutputPath = runOutputPath;
  options.quiet = quiet;
  options.applyMLIRCommandLineOptions = true;
  return compile(options, Paths::discover(argv[0]));
}

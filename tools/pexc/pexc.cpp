//===- pexc.cpp - The Pex compiler driver -----------------------*- C++ -*-===//
//
// One command from a model file to an object file, a C header and a memory
// report, and optionally a run on the host or an emulated Cortex-M:
//
//   pexc model.tflite --target=cortex-m4 -o model.o --report-json=r.json
//   pexc model.tflite --target=cortex-m4 --run=input.bin --output=out.bin
//
//===----------------------------------------------------------------------===//

#include "CodeEmitter.h"
#include "ModelInterface.h"
#include "ModelLoader.h"
#include "Paths.h"
#include "PexcConfig.h"
#include "Runner.h"
#include "Targets.h"

#include "pex/Analysis/Liveness.h"
#include "pex/Analysis/MemoryReport.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/InitPex.h"
#include "pex/Pipelines/Pipelines.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <chrono>

using namespace mlir;
using namespace pexc;
namespace cl = llvm::cl;

static cl::OptionCategory category("pexc options");

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.tflite|.onnx|.mlir>"),
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
static cl::opt<std::string> targetName(
    "target", cl::init("cortex-m4"), cl::value_desc("name"), cl::cat(category),
    cl::desc("Code generation target: host, cortex-m0plus, cortex-m4 "
             "(default), cortex-m7, cortex-m33"));
static cl::opt<std::string> emitKind(
    "emit", cl::init("obj"), cl::value_desc("kind"), cl::cat(category),
    cl::desc("What to produce: obj (default), asm, llvm (LLVM IR), "
             "llvm-dialect, memref (planned buffers), kernels, "
             "optimized-tosa (reordered, with groups), tosa (as imported)"));
static cl::opt<int64_t> sramBudget(
    "sram-budget", cl::init(0), cl::value_desc("bytes"), cl::cat(category),
    cl::desc("Fail unless the activations (arena plus input and output) fit "
             "in this many bytes"));
static cl::opt<bool> noReorder("no-reorder", cl::cat(category),
                               cl::desc("Keep the model's operator order"));
static cl::opt<bool> noPartial(
    "no-partial", cl::cat(category),
    cl::desc("Do not run operators as loops over channel slices"));
static cl::opt<std::string> arenaKind(
    "arena", cl::init("internal"), cl::value_desc("internal|external"),
    cl::cat(category),
    cl::desc("internal: the object defines the arena (.bss); external: the "
             "application defines pex_NAME_arena where it wants it"));
static cl::opt<std::string> ioKind(
    "io", cl::init("caller"), cl::value_desc("caller|arena"), cl::cat(category),
    cl::desc("caller: the application passes the input and output buffers "
             "to pex_NAME_run; arena: they live in the arena (as in TFLite "
             "Micro), reached through pex_NAME_input() and pex_NAME_output(), "
             "and the input's bytes are reused once it is consumed"));
static cl::opt<std::string> reportJsonPath(
    "report-json", cl::value_desc("file"), cl::cat(category),
    cl::desc("Write the memory and size figures as JSON"));
static cl::opt<bool> printMemoryTable(
    "memory-report", cl::cat(category),
    cl::desc("Print the live bytes of every step of the schedule"));
static cl::opt<std::string> runInputPath(
    "run", cl::value_desc("input.bin"), cl::cat(category),
    cl::desc("Run the compiled model on these raw input bytes (on the host "
             "or in QEMU for a Cortex-M target)"));
static cl::opt<std::string> runOutputPath(
    "output", cl::value_desc("output.bin"), cl::cat(category),
    cl::desc("With --run: where to write the raw output bytes"));
static cl::opt<std::string> modelName(
    "name", cl::value_desc("identifier"), cl::cat(category),
    cl::desc("C name of the model (default: the model function's name)"));
static cl::opt<bool> quiet("quiet", cl::cat(category),
                           cl::desc("Print only errors"));
static cl::alias quietShort("q", cl::aliasopt(quiet), cl::cat(category));

namespace {

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "pexc");
}

/// Prints "pexc: <what>..." and its duration for the steps that take time.
class Progress {
public:
  explicit Progress(llvm::StringRef what)
      : start(std::chrono::steady_clock::now()) {
    if (!quiet)
      llvm::errs() << "pexc: " << what << "...";
  }
  ~Progress() {
    if (quiet)
      return;
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    llvm::errs() << llvm::format(" %.1f s\n", seconds);
  }

private:
  std::chrono::steady_clock::time_point start;
};

/// The module's model: its one public function with a body.
func::FuncOp findModelFunction(ModuleOp module) {
  func::FuncOp model;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    if (model) {
      module.emitError() << "pex: the module has more than one public "
                            "function; a model is one function";
      return nullptr;
    }
    model = func;
  }
  if (!model)
    module.emitError() << "pex: the module has no public function to compile";
  return model;
}

/// A C identifier from a model name.
std::string sanitize(llvm::StringRef name) {
  std::string result;
  for (char c : name)
    result += llvm::isAlnum(c) ? c : '_';
  if (result.empty() || llvm::isDigit(result.front()))
    result = "m" + result;
  return result;
}

LogicalResult runPipeline(ModuleOp module,
                          void (*build)(OpPassManager &,
                                        const pex::PexPipelineOptions &),
                          const pex::PexPipelineOptions &options) {
  PassManager pm(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  build(pm, options);
  return pm.run(module);
}

bool writeText(llvm::StringRef path, llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::string message;
  auto file = openOutputFile(path.empty() ? "-" : path, &message);
  if (!file) {
    error() << message << "\n";
    return false;
  }
  write(file->os());
  file->keep();
  return true;
}

/// The arena of a planned module: its global's `#pex.arena`.
pex::ArenaAttr findArena(ModuleOp module) {
  for (auto global : module.getOps<memref::GlobalOp>())
    if (auto arena = global->getAttrOfType<pex::ArenaAttr>(pex::kArenaAttrName))
      return arena;
  return nullptr;
}

/// The pipeline options the command line asks for.
void configure(pex::PexPipelineOptions &options, const Target &target,
               llvm::StringRef name, int64_t ioBytes) {
  options.reorder = !noReorder;
  options.partial = !noPartial;
  options.arenaIO = ioKind == "arena";
  // Input and output held by the caller come out of the budget; the arena
  // gets the rest.
  if (sramBudget > 0)
    options.arenaBudget = sramBudget - (options.arenaIO ? 0 : ioBytes);
  options.indexBitwidth = target.getIndexBitwidth();
  options.dsp = llvm::StringRef(target.features).contains("+dsp");
  options.externalArena = arenaKind == "external";
  options.arenaSymbol = getArenaSymbol(name);
}

/// The arena the same compiler plans without reordering or partial
/// execution, with TensorFlow Lite Micro's greedy first-fit placement: the
/// baseline of the report.
FailureOr<int64_t> planBaselineArena(ModuleOp imported, const Target &target,
                                     llvm::StringRef name) {
  OwningOpRef<ModuleOp> copy = imported.clone();
  pex::PexPipelineOptions options;
  configure(options, target, name, 0);
  options.reorder = false;
  options.partial = false;
  options.arenaBudget = 0;
  options.arenaStrategy = "first-fit";
  if (failed(runPipeline(*copy, pex::buildOptimizeTosaPipeline, options)))
    return failure();
  func::FuncOp func = findModelFunction(*copy);
  auto arena = func->getAttrOfType<pex::ArenaAttr>(pex::kArenaAttrName);
  return arena ? arena.getSize() : 0;
}

int compile(int argc, char **argv) {
  Paths paths = Paths::discover(argv[0]);
  std::optional<Target> target = findTarget(targetName);
  if (!target) {
    error() << "unknown target '" << targetName << "' (expected "
            << getTargetNames() << ")\n";
    return 1;
  }
  static const llvm::StringRef kinds[] = {
      "obj",     "asm",            "llvm", "llvm-dialect", "memref",
      "kernels", "optimized-tosa", "tosa"};
  if (!llvm::is_contained(kinds, emitKind)) {
    error() << "unknown --emit=" << emitKind
            << " (expected obj, asm, llvm, llvm-dialect, memref, kernels, "
               "optimized-tosa or tosa)\n";
    return 1;
  }
  if (arenaKind != "internal" && arenaKind != "external") {
    error() << "unknown --arena=" << arenaKind
            << " (expected internal or external)\n";
    return 1;
  }
  if (ioKind != "caller" && ioKind != "arena") {
    error() << "unknown --io=" << ioKind << " (expected caller or arena)\n";
    return 1;
  }
  if (!runInputPath.empty() && runOutputPath.empty()) {
    error() << "--run needs --output=FILE for the output bytes\n";
    return 1;
  }
  if (!runInputPath.empty() && emitKind != "obj") {
    error() << "--run needs --emit=obj\n";
    return 1;
  }

  DialectRegistry registry;
  pex::registerPexDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics point at the model's source; the operation's generic form
  // (a whole function, for errors on the model function) is noise to a user.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  OwningOpRef<ModuleOp> module;
  {
    Progress progress("importing " + modelPath);
    module = loadModel(modelPath, inputShapes, paths, context, sourceMgr);
  }
  if (!module)
    return 1;
  if (emitKind == "tosa")
    return writeText(outputPath, [&](llvm::raw_ostream &os) {
             module->print(os);
           }) ? 0 : 1;

  func::FuncOp func = findModelFunction(*module);
  if (!func)
    return 1;
  std::string name = sanitize(modelName.empty() ? func.getSymName()
                                                : llvm::StringRef(modelName));
  func.setSymName(name);
  std::optional<ModelInterface> interface = describeModel(func);
  if (!interface)
    return 1;

  pex::PexPipelineOptions options;
  int64_t callerIOBytes = interface->input.bytes + interface->output.bytes;
  configure(options, *target, name, callerIOBytes);
  if (sramBudget > 0 && !options.arenaIO && callerIOBytes > sramBudget) {
    func.emitError() << "pex: SRAM budget of " << sramBudget.getValue()
                     << " bytes cannot be met: the input and output take "
                     << callerIOBytes << " bytes";
    return 1;
  }

  FailureOr<int64_t> baselineArena = 0;
  OwningOpRef<ModuleOp> imported = module->clone();
  {
    Progress progress("optimising the schedule");
    if (failed(runPipeline(*module, pex::buildOptimizeTosaPipeline, options))) {
      // pex-partition's budget is the arena's: say where it came from.
      if (sramBudget > 0 && !options.arenaIO)
        llvm::errs() << "pexc: note: --sram-budget=" << sramBudget.getValue()
                     << " leaves the arena " << options.arenaBudget
                     << " bytes; the caller holds the input and output ("
                     << callerIOBytes << " bytes)\n";
      return 1;
    }
  }
  if (emitKind == "optimized-tosa")
    return writeText(outputPath, [&](llvm::raw_ostream &os) {
             module->print(os);
           }) ? 0 : 1;

  // The plan: the schedule's liveness (what reordering and partitioning
  // minimised) and the placement pex-plan-arena recorded from it.
  func = findModelFunction(*module);
  FailureOr<pex::BufferGraph> graph = pex::BufferGraph::build(
      func, pex::BufferGraphOptions{options.arenaIO, options.arenaAlignment});
  if (failed(graph))
    return 1;
  pex::ScheduleLiveness schedulePlan =
      pex::computeLiveness(*graph, graph->getProgramOrder());
  if (printMemoryTable)
    pex::printMemoryTable(llvm::outs(), *graph, schedulePlan);
  // Later stages erase the operations the graph refers to: keep its figures.
  llvm::json::Object schedule = pex::getMemoryReportJSON(*graph, schedulePlan);
  int64_t lowerBound = pex::getLowerBound(*graph);
  int64_t ioBytes = options.arenaIO ? 0 : graph->getIOBytes();
  int64_t macs = graph->getMacs();
  int64_t constantBytes = graph->getFlashBytes();
  // The partitioner and pex-plan-arena met the arena's budget; what is left
  // is the budget the caller's input and output take alone (no arena budget).
  if (auto planned = func->getAttrOfType<pex::ArenaAttr>(pex::kArenaAttrName);
      sramBudget > 0 && planned && planned.getSize() + ioBytes > sramBudget) {
    Operation *peakOp = schedulePlan.getPeakOp(func);
    peakOp->emitError() << "pex: SRAM budget of " << sramBudget.getValue()
                        << " bytes cannot be met: the input and output take "
                        << ioBytes << " bytes and the arena "
                        << planned.getSize() << " bytes at "
                        << pex::getOpLabel(peakOp);
    return 1;
  }

  {
    Progress progress("planning buffers");
    if (failed(runPipeline(*module, pex::buildTosaToKernelsPipeline, options)))
      return 1;
    if (emitKind == "kernels")
      return writeText(outputPath, [&](llvm::raw_ostream &os) {
               module->print(os);
             }) ? 0 : 1;
    if (failed(runPipeline(*module, pex::buildKernelsToMemRefPipeline,
                           options)))
      return 1;
    baselineArena = planBaselineArena(*imported, *target, name);
    if (failed(baselineArena))
      return 1;
  }
  pex::ArenaAttr arena = findArena(*module);
  int64_t arenaBytes = arena ? arena.getSize() : 0;
  int64_t firstFitBytes = 0;
  for (auto global : module->getOps<memref::GlobalOp>())
    if (auto size = global->getAttrOfType<IntegerAttr>(
            pex::kFirstFitSizeAttrName))
      firstFitBytes = size.getInt();
  // Every buffer's place and lifetime, for memory pictures; the copies of a
  // group's body for its remainder slice and its loop share their buffers'
  // placements and are listed once.
  llvm::json::Array placements;
  llvm::DenseSet<Attribute> listed;
  module->walk([&](memref::ViewOp view) {
    auto placement =
        view->getAttrOfType<pex::PlacementAttr>(pex::kPlacementAttrName);
    if (!placement || !listed.insert(placement).second)
      return;
    placements.push_back(llvm::json::Object{
        {"offset", placement.getOffset()},
        {"bytes", placement.getSize()},
        {"first", placement.getFirst()},
        {"last", placement.getLast()},
        {"op", pex::getLocationName(view.getLoc())},
    });
  });
  int64_t plannedPeak = arena ? arena.getPeak() : 0;
  if (emitKind == "memref")
    return writeText(outputPath, [&](llvm::raw_ostream &os) {
             module->print(os);
           }) ? 0 : 1;

  {
    Progress progress("generating code for " + target->name);
    if (failed(runPipeline(*module, pex::buildLowerToLLVMPipeline, options)))
      return 1;
  }
  if (emitKind == "llvm-dialect")
    return writeText(outputPath, [&](llvm::raw_ostream &os) {
             module->print(os);
           }) ? 0 : 1;

  CodeKind kind = emitKind == "llvm"  ? CodeKind::LLVMIR
                  : emitKind == "asm" ? CodeKind::Assembly
                                      : CodeKind::Object;
  std::string objectPath = outputPath;
  if (objectPath.empty())
    objectPath = kind == CodeKind::Object ? name + ".o" : "-";
  {
    std::string message;
    auto file = openOutputFile(objectPath, &message);
    if (!file) {
      error() << message << "\n";
      return 1;
    }
    if (failed(emitCode(*module, *target, kind, file->os())))
      return 1;
    file->keep();
  }
  if (kind != CodeKind::Object)
    return 0;

  llvm::SmallString<128> headerPath(objectPath);
  llvm::sys::path::replace_extension(headerPath, ".h");
  HeaderFigures figures{llvm::sys::path::filename(modelPath).str(), arenaBytes,
                        getFlashBytes(objectPath),
                        arenaKind == "external", options.arenaIO};
  if (!writeText(headerPath, [&](llvm::raw_ostream &os) {
        writeHeader(os, *interface, figures);
      }))
    return 1;

  std::optional<RunResult> run;
  if (!runInputPath.empty()) {
    Progress progress(target->isHost() ? "running on the host"
                                       : "running on " + target->name +
                                             " in QEMU");
    RunRequest request{objectPath, headerPath.str().str(), runInputPath,
                       runOutputPath};
    run = runModel(*target, paths, request);
    if (!run)
      return 1;
  }

  if (!quiet) {
    llvm::outs() << "pexc: " << name << " for " << target->name << ": arena "
                 << arenaBytes << " B ("
                 << (options.arenaIO ? "input/output included"
                                     : "+ " + std::to_string(ioBytes) +
                                           " B input/output")
                 << "), baseline " << *baselineArena
                 << " B, flash " << figures.flashBytes << " B, "
                 << macs << " MACs; wrote " << objectPath
                 << " and " << headerPath << "\n";
    if (run) {
      llvm::outs() << "pexc: run: status " << run->status;
      if (run->instructions)
        llvm::outs() << ", " << *run->instructions << " instructions";
      if (run->estimatedCycles)
        llvm::outs() << ", " << *run->estimatedCycles
                     << " cycles (estimate)";
      if (run->stackBytes)
        llvm::outs() << ", stack " << *run->stackBytes << " B";
      if (run->ramBytes)
        llvm::outs() << ", RAM " << *run->ramBytes << " B";
      llvm::outs() << "\n";
    }
  }

  if (!reportJsonPath.empty()) {
    llvm::json::Object report{
        {"model", name},
        {"target", target->name},
        {"arena_bytes", arenaBytes},
        {"arena_peak_bytes", plannedPeak},
        {"schedule_peak_bytes", schedulePlan.peakBytes},
        {"arena_lower_bound_bytes", arena ? arena.getLowerBound() : 0},
        {"first_fit_arena_bytes", firstFitBytes},
        {"arena_buffers", std::move(placements)},
        {"baseline_arena_bytes", *baselineArena},
        {"lower_bound_bytes", lowerBound},
        {"io_bytes", ioBytes},
        {"flash_bytes", figures.flashBytes},
        {"constant_bytes", constantBytes},
        {"macs", macs},
        {"schedule", std::move(schedule)},
    };
    if (run) {
      report["status"] = run->status;
      if (run->instructions)
        report["instructions"] = *run->instructions;
      if (run->estimatedCycles)
        report["estimated_cycles"] = *run->estimatedCycles;
      if (run->stackBytes)
        report["stack_bytes"] = *run->stackBytes;
      if (run->ramBytes)
        report["ram_bytes"] = *run->ramBytes;
    }
    if (!writeText(reportJsonPath, [&](llvm::raw_ostream &os) {
          os << llvm::formatv("{0:2}\n", llvm::json::Value(std::move(report)));
        }))
      return 1;
  }
  return run ? run->status : 0;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // MLIR's debugging options (--mlir-print-ir-after-all, ...) work but are
  // not listed in --help.
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "pexc " << PEXC_VERSION << " (Pex, LLVM/MLIR " << LLVM_VERSION_STRING
       << ")\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "pexc: compile a neural network for a microcontroller\n\n"
      "Reads a .tflite (int8 or float32), .onnx (float) or TOSA .mlir model and "
      "writes\nan object file with `int pex_NAME_run(const in_t *input, out_t "
      "*output)`, the\nC header NAME.h (shapes, types, quantisation, arena and "
      "flash sizes) and,\non request, a memory report. Intermediate tensors live "
      "in one static arena;\nno heap, no library calls.\n\n"
      "Examples:\n"
      "  pexc model.tflite -o model.o                  (Cortex-M4 object + "
      "model.h)\n"
      "  pexc model.tflite --target=cortex-m33 --report-json=report.json\n"
      "  pexc model.tflite --run=in.bin --output=out.bin  (run in QEMU)\n"
      "  pexc model.onnx --target=host --run=in.bin --output=out.bin\n");
  return compile(argc, argv);
}

//===- Compiler.cpp - A model file to an object, header and report -*- C++
//-*-===//

#include "pex/Driver/Compiler.h"
#include "pex/Driver/CodeEmitter.h"
#include "pex/Driver/HtmlReport.h"
#include "pex/Driver/ModelInterface.h"
#include "pex/Driver/ModelLoader.h"
#include "pex/Driver/Report.h"
#include "pex/Driver/Runner.h"
#include "pex/Driver/Targets.h"

#include "DriverConfig.h"

#include "pex/Analysis/ArenaPacking.h"
#include "pex/Analysis/Liveness.h"
#include "pex/Analysis/MemoryPools.h"
#include "pex/Analysis/MemoryReport.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/InitPex.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::driver;

namespace {

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "pexc");
}

/// Prints "pexc: <what>..." and its duration for the phases that take time.
class Progress {
public:
  Progress(llvm::StringRef what, bool quiet)
      : quiet(quiet), start(std::chrono::steady_clock::now()) {
    if (!quiet)
      llvm::errs() << "pexc: " << what << "...";
  }
  ~Progress() {
    if (quiet)
      return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    llvm::errs() << llvm::format(" %.1f s\n", seconds);
  }

private:
  bool quiet;
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

LogicalResult
runPipeline(ModuleOp module,
            void (*build)(OpPassManager &, const PexPipelineOptions &),
            const PexPipelineOptions &options, bool applyCommandLineOptions) {
  PassManager pm(module.getContext());
  if (applyCommandLineOptions && failed(applyPassManagerCLOptions(pm)))
    return failure();
  build(pm, options);
  return pm.run(module);
}

LogicalResult writeText(llvm::StringRef path,
                        llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::string message;
  auto file = openOutputFile(path.empty() ? "-" : path, &message);
  if (!file) {
    error() << message << "\n";
    return failure();
  }
  write(file->os());
  file->keep();
  return success();
}

/// The arena global of a planned module.
memref::GlobalOp findArenaGlobal(ModuleOp module) {
  for (auto global : module.getOps<memref::GlobalOp>())
    if (global->hasAttr(kArenaAttrName))
      return global;
  return nullptr;
}

/// Every buffer's place and lifetime, for memory pictures; the copies of a
/// group's body for its remainder slice and its loop share their buffers'
/// placements and are listed once.
llvm::json::Array listPlacedBuffers(ModuleOp module) {
  llvm::json::Array placements;
  llvm::DenseSet<Attribute> listed;
  module->walk([&](memref::ViewOp view) {
    auto placement = view->getAttrOfType<PlacementAttr>(kPlacementAttrName);
    if (!placement || !listed.insert(placement).second)
      return;
    llvm::json::Object entry{
        {"offset", placement.getOffset()},
        {"bytes", placement.getSize()},
        {"first", placement.getFirst()},
        {"last", placement.getLast()},
        {"op", getLocationName(view.getLoc())},
    };
    if (!placement.getPool().empty())
      entry["pool"] = placement.getPool();
    if (auto over =
            view->getAttrOfType<IntegerAttr>(kOverConsumedInputAttrName))
      entry["over_consumed_input"] = over.getInt();
    placements.push_back(std::move(entry));
  });
  return placements;
}

/// One compilation: its phases share the context, the module and the
/// figures the report gathers along the way.
class Compilation {
public:
  Compilation(const CompileOptions &options, const Paths &paths,
              const Target &target)
      : options(options), paths(paths), target(target), context(makeRegistry()),
        diagnostics(sourceMgr, &context) {
    context.loadAllAvailableDialects();
    // Diagnostics point at the model's source; the operation's generic form
    // (a whole function, for errors on the model function) is noise.
    context.printOpOnDiagnostic(false);
    // --quiet prints only errors: remarks and warnings stop here.
    if (options.quiet)
      quietFilter.emplace(&context, [](Diagnostic &diagnostic) {
        return success(diagnostic.getSeverity() != DiagnosticSeverity::Error);
      });
  }

  int run();

  /// The phases up to the LLVM dialect (what --emit=obj compiles), for
  /// compileSeveral: each model alone, linked into one object after.
  LogicalResult lowerToLLVMDialect();
  ModuleOp getModule() { return *module; }
  const std::string &getName() const { return name; }
  const ModelInterface &getInterface() const { return *interface; }
  const PexPipelineOptions &getPipeline() const { return pipeline; }
  /// The report's figures, with the model and target filled in.
  ReportFigures &getFigures() {
    figures.model = name;
    figures.target = target.name;
    figures.floatAbi = target.floatAbi;
    return figures;
  }

private:
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerPexDialects(registry);
    return registry;
  }
  bool emits(EmitKind kind) const { return options.emit == kind; }
  LogicalResult print() {
    return writeText(options.outputPath,
                     [&](llvm::raw_ostream &os) { module->print(os); });
  }

  /// The options that shape the code and the arena, not the schedule.
  void setCodeOptions(PexPipelineOptions &pipelineOptions) const {
    pipelineOptions.arenaIO = options.io == IOPlacement::Arena;
    pipelineOptions.streamIO = options.io == IOPlacement::Stream;
    pipelineOptions.indexBitwidth = target.getIndexBitwidth();
    pipelineOptions.dsp = llvm::StringRef(target.features).contains("+dsp");
    pipelineOptions.mve = llvm::StringRef(target.features).contains("+mve");
    pipelineOptions.roundingConversion =
        !target.isHost() && target.fpu != "none";
    pipelineOptions.softwareSqrt = !target.isHost() && target.fpu == "none";
    pipelineOptions.externalArena = options.arena == ArenaDefinition::External;
    pipelineOptions.arenaSymbol = getArenaSymbol(name);
  }

  LogicalResult runPasses(ModuleOp target,
                          void (*build)(OpPassManager &,
                                        const PexPipelineOptions &),
                          const PexPipelineOptions &pipelineOptions) {
    return runPipeline(target, build, pipelineOptions,
                       options.applyMLIRCommandLineOptions);
  }

  LogicalResult importModel();
  LogicalResult configurePipeline();
  LogicalResult configureBudget();
  LogicalResult optimizeSchedule();
  LogicalResult recordSchedule();
  void recordPools(const BufferGraph &graph);
  LogicalResult planBuffers();
  FailureOr<int64_t> planBaselineArena();
  LogicalResult generateCode();
  LogicalResult emitObject(llvm::StringRef objectPath);
  LogicalResult runModelOnce(llvm::StringRef objectPath,
                             llvm::StringRef headerPath);
  void printSummary(llvm::StringRef objectPath, llvm::StringRef headerPath);

  const CompileOptions &options;
  const Paths &paths;
  const Target &target;
  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics;
  std::optional<ScopedDiagnosticHandler> quietFilter;
  OwningOpRef<ModuleOp> module, imported;
  std::string name;
  std::optional<ModelInterface> interface;
  PexPipelineOptions pipeline;
  int64_t callerIOBytes = 0;
  /// The generated kernel functions and their layers, for --profile.
  std::vector<KernelLayer> kernelLayers;
  StackBound stackBound;
  ReportFigures figures;
};

/// Bytes of the state the model keeps between runs: the results
/// pex-thread-variables made the new values of the variables it writes.
int64_t getStateBytes(func::FuncOp func) {
  int64_t bytes = 0;
  for (auto [index, type] : llvm::enumerate(func.getResultTypes()))
    if (func.getResultAttr(index, kVariableAttrName))
      bytes += getStorageBytes(type);
  return bytes;
}

/// What of an SRAM budget is outside the arena, for diagnostics: "the input
/// and output take N bytes, the state kept between runs M bytes".
std::string describeOutsideArena(int64_t callerIOBytes, int64_t stateBytes) {
  SmallVector<std::string> parts;
  if (callerIOBytes > 0)
    parts.push_back("the input and output take " +
                    std::to_string(callerIOBytes) + " bytes");
  if (stateBytes > 0)
    parts.push_back("the state kept between runs " +
                    std::to_string(stateBytes) + " bytes");
  return llvm::join(parts, ", ");
}

LogicalResult Compilation::importModel() {
  Progress progress("importing " + options.modelPaths.front(), options.quiet);
  module = loadModel(options.modelPaths.front(), options.import, paths,
                     context, sourceMgr);
  return success(static_cast<bool>(module));
}

/// Names the model and sets the pipeline's options from the command line.
LogicalResult Compilation::configurePipeline() {
  func::FuncOp func = findModelFunction(*module);
  if (!func)
    return failure();
  name =
      sanitize(options.modelName.empty() ? func.getSymName()
                                         : llvm::StringRef(options.modelName));
  func.setSymName(name);
  interface = describeModel(func);
  if (!interface)
    return failure();

  setCodeOptions(pipeline);
  if (pipeline.streamIO &&
      (interface->inputs.size() > 1 || interface->outputs.size() > 1))
    return func.emitError()
           << "pex: --io=stream hands over one input and one output by rows; @"
           << name << " has " << interface->inputs.size() << " inputs and "
           << interface->outputs.size() << " outputs";
  // With --io=stream the application hands both over by rows.
  callerIOBytes = pipeline.streamIO ? 0
                                    : interface->getInputBytes() +
                                          interface->getOutputBytes();
  pipeline.reorder = options.reorder;
  pipeline.partial = options.partialExecution;
  pipeline.memoryPools = options.memoryPools;
  return success();
}

/// The arena's share of --sram-budget, once the prepared model shows what
/// the state kept between runs takes.
LogicalResult Compilation::configureBudget() {
  func::FuncOp func = findModelFunction(*module);
  figures.stateBytes = getStateBytes(func);
  // Input and output held by the caller, and the state kept between runs,
  // come out of the budget; the arena gets the rest.
  if (options.sramBudget > 0)
    pipeline.arenaBudget = options.sramBudget - figures.stateBytes -
                           (pipeline.arenaIO ? 0 : callerIOBytes);
  // Streams cost instructions: by default only a budget that cannot be met
  // otherwise gets them, as many as it needs.
  bool toBudget = options.rowStreaming == RowStreaming::ToBudget &&
                  pipeline.arenaBudget > 0;
  pipeline.stream = options.rowStreaming == RowStreaming::Always || toBudget;
  pipeline.streamToBudget = toBudget;
  int64_t outsideIO = pipeline.arenaIO ? 0 : callerIOBytes;
  if (options.sramBudget > 0 &&
      outsideIO + figures.stateBytes > options.sramBudget)
    return func.emitError()
           << "pex: SRAM budget of " << options.sramBudget
           << " bytes cannot be met: "
           << describeOutsideArena(outsideIO, figures.stateBytes);
  return success();
}

/// The size of the arena planned for the model function of `module`.
static int64_t getPlannedArena(ModuleOp module) {
  auto arena =
      findModelFunction(module)->getAttrOfType<ArenaAttr>(kArenaAttrName);
  return arena ? arena.getSize() : 0;
}

LogicalResult Compilation::optimizeSchedule() {
  Progress progress("optimising the schedule", options.quiet);
  if (failed(runPasses(*module, buildPrepareTosaPipeline, pipeline)) ||
      failed(configureBudget()))
    return failure();
  // pex-stream chooses streams before channel splitting, greedily: a
  // stream that lowers the peak before splitting can leave splitting less
  // to gain. The plan without streams is kept when its arena is smaller
  // (streams only up to a budget are added only when splitting alone does
  // not meet it).
  OwningOpRef<ModuleOp> unstreamed;
  if (pipeline.stream && !pipeline.streamToBudget) {
    unstreamed = module->clone();
    pipeline.stream = false;
    // Only the chosen plan's diagnostics are the user's.
    ScopedDiagnosticHandler silence(unstreamed->getContext(),
                                    [](Diagnostic &) { return success(); });
    if (failed(runPasses(*unstreamed, buildPlanSchedulePipeline, pipeline)))
      unstreamed = nullptr;
    pipeline.stream = true;
  }
  if (succeeded(runPasses(*module, buildPlanSchedulePipeline, pipeline))) {
    if (unstreamed && getPlannedArena(*unstreamed) < getPlannedArena(*module))
      module = std::move(unstreamed);
    return success();
  }
  // pex-partition's budget is the arena's: say where it came from.
  int64_t outsideIO = pipeline.arenaIO ? 0 : callerIOBytes;
  if (options.sramBudget > 0 && outsideIO + figures.stateBytes > 0)
    llvm::errs() << "pexc: note: --sram-budget=" << options.sramBudget
                 << " leaves the arena " << pipeline.arenaBudget << " bytes: "
                 << describeOutsideArena(outsideIO, figures.stateBytes) << "\n";
  return failure();
}

/// The memory pools and what each holds, most accessed per byte first.
static void printPools(llvm::raw_ostream &os, const ReportFigures &figures) {
  for (auto [pool, buffers] : llvm::zip(figures.pools, figures.poolBuffers)) {
    os << llvm::formatv("pool {0}: {1} of {2} B used", pool.name,
                        pool.usedBytes, pool.capacityBytes);
    if (!pool.section.empty())
      os << ", section " << pool.section;
    os << "\n";
    for (const llvm::json::Value &buffer : buffers) {
      const llvm::json::Object &entry = *buffer.getAsObject();
      os << llvm::formatv("  {0,8} B {1,10:f1} accesses/B  {2}\n",
                          *entry.getInteger("bytes"),
                          *entry.getNumber("accesses_per_byte"),
                          *entry.getString("op"));
    }
  }
}

/// The schedule's figures (what reordering and partitioning minimised)
/// before later phases erase the operations they refer to, and the budget
/// the caller's input and output take alone.
LogicalResult Compilation::recordSchedule() {
  func::FuncOp func = findModelFunction(*module);
  FailureOr<BufferGraph> graph = BufferGraph::build(
      func, BufferGraphOptions{pipeline.arenaIO, pipeline.arenaAlignment});
  if (failed(graph))
    return failure();
  ScheduleLiveness liveness = computeLiveness(*graph, graph->getProgramOrder());
  if (options.printMemoryReport)
    printMemoryTable(llvm::outs(), *graph, liveness);
  figures.schedule = getMemoryReportJSON(*graph, liveness);
  figures.schedulePeakBytes = liveness.peakBytes;
  figures.lowerBoundBytes = getLowerBound(*graph);
  figures.ioBytes = pipeline.arenaIO ? 0 : graph->getIOBytes();
  // The rows the application hands over: those pex-read-input-rows chose.
  func.walk([&](ReadRowsOp read) {
    auto type = cast<ShapedType>(read.getBuffer().getType());
    figures.inputRows = type.getDimSize(1);
    figures.inputRowBytes = getStorageBytes(type) / figures.inputRows;
  });
  // ... and the rows it receives, each as a stream computes it or all at
  // the end: pex-write-output-rows and pex-stream chose.
  func.walk([&](WriteRowsOp write) {
    figures.outputRows = write.getRowCount();
    figures.outputRowBytes =
        getStorageBytes(write.getRows().getType()) / figures.outputRows;
    figures.outputStreamed = isa<StreamOp>(write->getParentOp());
  });
  figures.macs = graph->getMacs();
  figures.constantBytes = graph->getFlashBytes();
  recordPools(*graph);
  if (options.printMemoryReport && !figures.pools.empty())
    printPools(llvm::outs(), figures);
  auto planned = func->getAttrOfType<ArenaAttr>(kArenaAttrName);
  if (options.sramBudget > 0 && planned &&
      planned.getSize() + figures.ioBytes + figures.stateBytes >
          options.sramBudget) {
    Operation *peakOp = liveness.getPeakOp(func);
    return peakOp->emitError()
           << "pex: SRAM budget of " << options.sramBudget
           << " bytes cannot be met: "
           << describeOutsideArena(figures.ioBytes, figures.stateBytes)
           << " and the arena " << planned.getSize() << " bytes at "
           << getOpLabel(peakOp);
  }
  return success();
}

/// The pools pex-plan-arena filled, and per pool its buffers, most
/// accessed per byte first.
void Compilation::recordPools(const BufferGraph &graph) {
  auto pools =
      graph.getFunction()->getAttrOfType<ArrayAttr>(kPoolsAttrName);
  if (!pools)
    return;
  struct Entry {
    double accessesPerByte;
    llvm::json::Object json;
  };
  llvm::StringMap<std::vector<Entry>> entriesOf;
  SmallVector<double> accesses = estimateAccesses(graph);
  for (auto [index, buffer] : llvm::enumerate(graph.getBuffers())) {
    PlacementAttr placement = findPlacement(graph, index);
    if (!placement)
      continue;
    double perByte = accesses[index] / std::max<int64_t>(buffer.exactBytes, 1);
    entriesOf[placement.getPool()].push_back(
        {perByte, llvm::json::Object{
                      {"op", graph.describeBuffer(index)},
                      {"bytes", buffer.exactBytes},
                      {"accesses_per_byte", std::round(perByte * 10) / 10}}});
  }
  for (Attribute attr : pools) {
    auto pool = cast<PoolAttr>(attr);
    figures.pools.push_back({pool.getName().str(), pool.getSection().str(),
                             pool.getCapacity(), pool.getSize()});
    std::vector<Entry> &entries = entriesOf[pool.getName()];
    llvm::stable_sort(entries, [](const Entry &a, const Entry &b) {
      return a.accessesPerByte > b.accessesPerByte;
    });
    llvm::json::Array buffers;
    for (Entry &entry : entries)
      buffers.push_back(std::move(entry.json));
    figures.poolBuffers.push_back(std::move(buffers));
  }
}

LogicalResult Compilation::planBuffers() {
  Progress progress("planning buffers", options.quiet);
  if (failed(runPasses(*module, buildTosaToKernelsPipeline, pipeline)))
    return failure();
  if (emits(EmitKind::Kernels))
    return success();
  if (failed(runPasses(*module, buildKernelsToMemRefPipeline, pipeline)))
    return failure();
  FailureOr<int64_t> baseline = planBaselineArena();
  if (failed(baseline))
    return failure();
  figures.baselineArenaBytes = *baseline;
  // The arena's global, or with memory pools the module, has the plan.
  Operation *planned = findArenaGlobal(*module);
  if (!planned && (*module)->hasAttr(kArenaAttrName))
    planned = *module;
  if (Operation *global = planned) {
    auto arena = global->getAttrOfType<ArenaAttr>(kArenaAttrName);
    figures.arenaBytes = arena.getSize();
    figures.arenaPeakBytes = arena.getPeak();
    figures.arenaLowerBoundBytes = arena.getLowerBound();
    if (auto size = global->getAttrOfType<IntegerAttr>(kFirstFitSizeAttrName))
      figures.firstFitArenaBytes = size.getInt();
  }
  figures.arenaBuffers = listPlacedBuffers(*module);
  return success();
}

/// The arena the same compiler plans without reordering or partial
/// execution, with TensorFlow Lite Micro's greedy first-fit placement: the
/// report's baseline.
FailureOr<int64_t> Compilation::planBaselineArena() {
  OwningOpRef<ModuleOp> copy = imported->clone();
  PexPipelineOptions baseline;
  setCodeOptions(baseline);
  baseline.reorder = false;
  baseline.partial = false;
  baseline.stream = false;
  baseline.arenaStrategy = "first-fit";
  if (failed(runPasses(*copy, buildOptimizeTosaPipeline, baseline)))
    return failure();
  func::FuncOp func = findModelFunction(*copy);
  auto arena = func->getAttrOfType<ArenaAttr>(kArenaAttrName);
  return arena ? arena.getSize() : 0;
}

LogicalResult Compilation::generateCode() {
  Progress progress("generating code for " + target.name, options.quiet);
  if (failed(runPasses(*module, buildLowerToLLVMPipeline, pipeline)))
    return failure();
  module->walk([&](LLVM::LLVMFuncOp function) {
    if (auto layer = function->getAttrOfType<LayerAttr>(kLayerAttrName))
      kernelLayers.push_back({function.getSymName().str(), layer.getOp().str(),
                              layer.getName().str(), layer.getMacs()});
  });
  // In kernel order: "..._k2_..." before "..._k10_...".
  llvm::sort(kernelLayers, [](const KernelLayer &a, const KernelLayer &b) {
    return llvm::StringRef(a.symbol).compare_numeric(b.symbol) < 0;
  });
  return success();
}

LogicalResult Compilation::emitObject(llvm::StringRef objectPath) {
  CodeKind kind = emits(EmitKind::LLVMIR)     ? CodeKind::LLVMIR
                  : emits(EmitKind::Assembly) ? CodeKind::Assembly
                                              : CodeKind::Object;
  std::string message;
  auto file = openOutputFile(objectPath, &message);
  if (!file) {
    error() << message << "\n";
    return failure();
  }
  // The stack bound is a Cortex-M figure: nothing measures the host's stack,
  // and its calls push return addresses that frames do not count.
  std::optional<StackBoundRequest> stack;
  if (kind == CodeKind::Object && !target.isHost())
    stack.emplace(StackBoundRequest{"pex_" + name + "_run", stackBound});
  if (failed(emitCode(*module, target, kind, file->os(), stack)))
    return failure();
  file->keep();
  if (stack)
    figures.stackBoundBytes = stackBound.bytes;
  if (stack && options.printMemoryReport) {
    if (stackBound.bytes)
      llvm::outs() << "stack bound: " << *stackBound.bytes << " B\n";
    else
      llvm::outs() << "stack bound: none: " << stackBound.unboundedReason
                   << "\n";
  }
  return success();
}

LogicalResult Compilation::runModelOnce(llvm::StringRef objectPath,
                                        llvm::StringRef headerPath) {
  Progress progress(target.isHost() ? "running on the host"
                                    : "running on " + target.name + " in QEMU",
                    options.quiet);
  RunRequest request{objectPath.str(), headerPath.str(), options.runInputPath,
                     options.runOutputPath};
  request.profile = options.profile;
  figures.run = runModel(target, paths, request);
  if (!figures.run)
    return failure();
  if (options.profile) {
    if (!figures.run->instructions) {
      error() << "--profile: the run counted no instructions\n";
      return failure();
    }
    figures.layers = attributeToLayers(
        kernelLayers, "pex_" + name + "_run", figures.run->functions,
        *figures.run->instructions, figures.run->estimatedCycles.value_or(0));
  }
  return success();
}

/// The profile as a table, the heaviest layers visible at a glance.
static void printLayers(llvm::raw_ostream &os, const ReportFigures &figures) {
  int64_t total = figures.run->instructions.value_or(0);
  const char *row = "{0,-24} {1,-22} {2,-32} {3,6} {4,12} {5,12} {6,6:f1}\n";
  os << llvm::formatv("{0,-24} {1,-22} {2,-32} {3,6} {4,12} {5,12} {6,6}\n",
                      "layer", "op", "name", "calls", "MACs", "instructions",
                      "%");
  for (const LayerProfile &layer : figures.layers) {
    llvm::StringRef kernel(layer.symbol);
    // The kernel's own part of the symbol: "k3_conv2d".
    size_t at = kernel.rfind("_k");
    llvm::StringRef shown = layer.op == "other" ? "(other)"
                            : layer.op == "run" ? "(run)"
                            : at == llvm::StringRef::npos
                                ? kernel
                                : kernel.drop_front(at + 1);
    // Fused TFLite tensor names run to hundreds of characters; the report
    // keeps them whole.
    std::string name = layer.name.size() <= 32
                           ? layer.name
                           : layer.name.substr(0, 29) + "...";
    os << llvm::formatv(row, shown, layer.op, name, layer.calls, layer.macs,
                        layer.instructions,
                        total ? 100.0 * layer.instructions / total : 0.0);
  }
}

void Compilation::printSummary(llvm::StringRef objectPath,
                               llvm::StringRef headerPath) {
  llvm::outs() << "pexc: " << name << " for " << target.name << ": arena "
               << figures.arenaBytes << " B ("
               << (pipeline.arenaIO ? "input/output included"
                   : pipeline.streamIO
                       ? "the input read by rows of " +
                             std::to_string(figures.inputRowBytes) +
                             " B, the output written by rows of " +
                             std::to_string(figures.outputRowBytes) + " B" +
                             (figures.outputStreamed ? " as they are computed"
                                                     : "")
                       : "+ " + std::to_string(figures.ioBytes) +
                             " B input/output")
               << ")";
  if (figures.stateBytes > 0)
    llvm::outs() << ", state " << figures.stateBytes << " B";
  for (auto [index, pool] : llvm::enumerate(figures.pools))
    llvm::outs() << (index ? ", " : " in pools ") << pool.name << " "
                 << pool.usedBytes << "/" << pool.capacityBytes << " B";
  llvm::outs() << ", baseline " << figures.baselineArenaBytes << " B, flash "
               << figures.flashBytes << " B, " << figures.macs
               << " MACs; wrote " << objectPath << " and " << headerPath
               << "\n";
  if (const std::optional<RunResult> &run = figures.run) {
    llvm::outs() << "pexc: run: status " << run->status;
    if (run->instructions)
      llvm::outs() << ", " << *run->instructions << " instructions";
    if (run->estimatedCycles)
      llvm::outs() << ", " << *run->estimatedCycles << " cycles (estimate)";
    if (run->stackBytes)
      llvm::outs() << ", stack " << *run->stackBytes << " B";
    if (run->ramBytes)
      llvm::outs() << ", RAM " << *run->ramBytes << " B";
    llvm::outs() << "\n";
  }
  if (!figures.layers.empty())
    printLayers(llvm::outs(), figures);
}

LogicalResult Compilation::lowerToLLVMDialect() {
  if (failed(importModel()) || failed(configurePipeline()))
    return failure();
  imported = module->clone();
  return success(succeeded(optimizeSchedule()) && succeeded(recordSchedule()) &&
                 succeeded(planBuffers()) && succeeded(generateCode()));
}

int Compilation::run() {
  if (failed(importModel()))
    return 1;
  if (emits(EmitKind::Tosa))
    return failed(print());
  if (failed(configurePipeline()))
    return 1;
  imported = module->clone();
  if (failed(optimizeSchedule()))
    return 1;
  if (emits(EmitKind::OptimizedTosa))
    return failed(print());
  if (failed(recordSchedule()) || failed(planBuffers()))
    return 1;
  if (emits(EmitKind::Kernels) || emits(EmitKind::MemRef))
    return failed(print());
  if (failed(generateCode()))
    return 1;
  if (emits(EmitKind::LLVMDialect))
    return failed(print());

  bool object = emits(EmitKind::Object);
  std::string objectPath = options.outputPath;
  if (objectPath.empty())
    objectPath = object ? name + ".o" : "-";
  if (failed(emitObject(objectPath)))
    return 1;
  if (!object)
    return 0;

  llvm::SmallString<128> headerPath(objectPath);
  llvm::sys::path::replace_extension(headerPath, ".h");
  figures.flashBytes = getFlashBytes(objectPath);
  HeaderFigures header;
  header.sourceModel =
      llvm::sys::path::filename(options.modelPaths.front()).str();
  header.arenaBytes = figures.arenaBytes;
  header.flashBytes = figures.flashBytes;
  header.externalArena = pipeline.externalArena;
  header.arenaIO = pipeline.arenaIO;
  header.inputRows = figures.inputRows;
  header.inputRowBytes = figures.inputRowBytes;
  header.outputRows = figures.outputRows;
  header.outputRowBytes = figures.outputRowBytes;
  header.outputStreamed = figures.outputStreamed;
  header.pools = figures.pools;
  header.stateBytes = figures.stateBytes;
  if (failed(writeText(headerPath, [&](llvm::raw_ostream &os) {
        writeHeader(os, *interface, header);
      })))
    return 1;
  if (!options.runInputPath.empty() &&
      failed(runModelOnce(objectPath, headerPath)))
    return 1;
  if (!options.quiet)
    printSummary(objectPath, headerPath);

  int status = figures.run ? figures.run->status : 0;
  if (options.reportJsonPath.empty() && options.reportHtmlPath.empty())
    return status;
  llvm::json::Object report = buildReport(std::move(getFigures()));
  if (!options.reportHtmlPath.empty() &&
      failed(writeText(options.reportHtmlPath, [&](llvm::raw_ostream &os) {
        writeHtmlReport(os, report);
      })))
    return 1;
  if (!options.reportJsonPath.empty() &&
      failed(writeText(options.reportJsonPath, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}\n", llvm::json::Value(std::move(report)));
      })))
    return 1;
  return status;
}

/// Several models in one object (`pexc a.tflite b.tflite -o models.o`):
/// each is compiled as alone but with an arena it does not define; the
/// object defines one arena, the size of the largest, that every model's
/// arena symbol names (the models do not run at once), and each model gets
/// its header, NAME.h beside the object.
int compileSeveral(const CompileOptions &options, const Paths &paths,
                   const Target &target) {
  std::unique_ptr<CodeEmitter> emitter = CodeEmitter::create(target);
  if (!emitter)
    return 1;
  struct Compiled {
    std::string name, arenaSymbol, sourceModel;
    ModelInterface interface;
    int64_t arenaBytes;
    bool arenaIO;
    int64_t inputRows, inputRowBytes, outputRows, outputRowBytes;
    bool outputStreamed;
    int64_t stateBytes;
    llvm::json::Object report;
  };
  std::vector<Compiled> models;
  uint64_t arenaBytes = 0, alignment = 1;
  for (llvm::StringRef path : options.modelPaths) {
    CompileOptions alone = options;
    alone.modelPaths = {path.str()};
    alone.arena = ArenaDefinition::External;
    Compilation compilation(alone, paths, target);
    if (failed(compilation.lowerToLLVMDialect()))
      return 1;
    const std::string &name = compilation.getName();
    if (llvm::any_of(models,
                     [&](const Compiled &m) { return m.name == name; })) {
      error() << path << ": a model named '" << name
              << "' is already in the object: the models' symbols would "
                 "collide\n";
      return 1;
    }
    if (failed(emitter->add(compilation.getModule())))
      return 1;
    ReportFigures &figures = compilation.getFigures();
    arenaBytes = std::max<uint64_t>(arenaBytes, figures.arenaBytes);
    alignment =
        std::max<uint64_t>(alignment, compilation.getPipeline().arenaAlignment);
    models.push_back({name, compilation.getPipeline().arenaSymbol,
                      llvm::sys::path::filename(path).str(),
                      compilation.getInterface(), figures.arenaBytes,
                      compilation.getPipeline().arenaIO, figures.inputRows,
                      figures.inputRowBytes, figures.outputRows,
                      figures.outputRowBytes, figures.outputStreamed,
                      figures.stateBytes, buildReport(std::move(figures))});
  }

  // The shared arena, and each model's arena symbol as an alias of it.
  llvm::Module &linked = *emitter->getModule();
  auto *storage =
      llvm::ArrayType::get(llvm::Type::getInt8Ty(linked.getContext()),
                           std::max<uint64_t>(arenaBytes, 1));
  auto *shared = new llvm::GlobalVariable(
      linked, storage, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantAggregateZero::get(storage), "pex_shared_arena");
  shared->setAlignment(llvm::Align(alignment));
  for (const Compiled &model : models) {
    llvm::GlobalVariable *declared =
        linked.getGlobalVariable(model.arenaSymbol);
    auto *alias = llvm::GlobalAlias::create(
        storage, 0, llvm::GlobalValue::ExternalLinkage, "", shared, &linked);
    if (declared) {
      declared->replaceAllUsesWith(alias);
      alias->takeName(declared);
      declared->eraseFromParent();
    } else {
      alias->setName(model.arenaSymbol);
    }
  }

  std::string objectPath =
      options.outputPath.empty() ? "models.o" : options.outputPath;
  std::string message;
  auto file = openOutputFile(objectPath, &message);
  if (!file) {
    error() << message << "\n";
    return 1;
  }
  if (failed(emitter->emit(CodeKind::Object, file->os())))
    return 1;
  file->keep();
  int64_t flashBytes = getFlashBytes(objectPath);

  llvm::json::Array reports;
  for (Compiled &model : models) {
    llvm::SmallString<128> headerPath(objectPath);
    llvm::sys::path::remove_filename(headerPath);
    llvm::sys::path::append(headerPath, model.name + ".h");
    HeaderFigures header;
    header.sourceModel = model.sourceModel;
    header.arenaBytes = model.arenaBytes;
    header.flashBytes = flashBytes;
    header.arenaIO = model.arenaIO;
    header.genericNames = false;
    header.inputRows = model.inputRows;
    header.inputRowBytes = model.inputRowBytes;
    header.outputRows = model.outputRows;
    header.outputRowBytes = model.outputRowBytes;
    header.outputStreamed = model.outputStreamed;
    header.stateBytes = model.stateBytes;
    if (failed(writeText(headerPath, [&](llvm::raw_ostream &os) {
          writeHeader(os, model.interface, header);
        })))
      return 1;
    if (!options.quiet)
      llvm::outs() << "pexc: " << model.name << ": arena " << model.arenaBytes
                   << " B; wrote " << headerPath << "\n";
    reports.push_back(std::move(model.report));
  }
  if (!options.quiet)
    llvm::outs() << "pexc: " << models.size() << " models for " << target.name
                 << ": shared arena " << arenaBytes << " B, flash "
                 << flashBytes << " B; wrote " << objectPath << "\n";
  if (options.reportJsonPath.empty())
    return 0;
  llvm::json::Object report{
      {"schema_version", kReportSchemaVersion},
      {"target", target.name},
      {"float_abi", target.floatAbi.empty()
                        ? llvm::json::Value(nullptr)
                        : llvm::json::Value(target.floatAbi)},
      {"arena_bytes", static_cast<int64_t>(arenaBytes)},
      {"flash_bytes", flashBytes},
      {"models", std::move(reports)}};
  return failed(writeText(options.reportJsonPath, [&](llvm::raw_ostream &os) {
    os << llvm::formatv("{0:2}\n", llvm::json::Value(std::move(report)));
  }));
}

} // namespace

const char *mlir::pex::driver::getCompilerVersion() { return PEXC_VERSION; }

int mlir::pex::driver::compile(const CompileOptions &options,
                               const Paths &paths) {
  std::optional<Target> named = findTarget(options.targetName);
  if (!named) {
    error() << "unknown target '" << options.targetName << "' (expected "
            << getTargetNames() << ")\n";
    return 1;
  }
  llvm::Expected<Target> target = withFloatABI(*named, options.floatAbi);
  if (!target) {
    error() << llvm::toString(target.takeError()) << "\n";
    return 1;
  }
  if (!options.runInputPath.empty() && options.runOutputPath.empty()) {
    error() << "--run needs --output=FILE for the output bytes\n";
    return 1;
  }
  if (options.profile && options.runInputPath.empty()) {
    error() << "--profile needs --run\n";
    return 1;
  }
  if (options.profile && target->isHost()) {
    error() << "--profile needs a Cortex-M target: it counts instructions in "
               "QEMU\n";
    return 1;
  }
  if (!options.runInputPath.empty() && options.emit != EmitKind::Object) {
    error() << "--run needs --emit=obj\n";
    return 1;
  }
  if (options.modelPaths.empty()) {
    error() << "no model to compile\n";
    return 1;
  }
  if (!options.memoryPools.empty()) {
    SmallVector<MemoryPool> pools;
    if (std::optional<std::string> reason =
            parseMemoryPools(options.memoryPools, pools)) {
      error() << "--memory-pool: " << *reason << "\n";
      return 1;
    }
    if (options.sramBudget > 0) {
      error() << "--memory-pool and --sram-budget exclude each other: the "
                 "pools' capacities are the budget\n";
      return 1;
    }
  }
  if (options.modelPaths.size() > 1) {
    // One object, one arena: what a single model's options would change
    // per model cannot be given once for all.
    llvm::StringRef refused =
        options.emit != EmitKind::Object             ? "--emit other than obj"
        : !options.runInputPath.empty()              ? "--run"
        : !options.modelName.empty()                 ? "--name"
        : options.arena == ArenaDefinition::External ? "--arena=external"
        : options.sramBudget > 0                     ? "--sram-budget"
        : options.printMemoryReport                  ? "--memory-report"
        : !options.memoryPools.empty()               ? "--memory-pool"
                                                     : "";
    if (!refused.empty()) {
      error() << refused << " takes one model; several models share one "
              << "object and its arena\n";
      return 1;
    }
    return compileSeveral(options, paths, *target);
  }
  return Compilation(options, paths, *target).run();
}

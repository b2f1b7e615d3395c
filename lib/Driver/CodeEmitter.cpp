//===- CodeEmitter.cpp - LLVM code generation for a target ------*- C++ -*-===//

#include "pex/Driver/CodeEmitter.h"
#include "pex/Driver/StackBound.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

using namespace mlir::pex::driver;

static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const Target &target) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  // The micro-kernels are inline assembly, assembled into the object.
  llvm::InitializeAllAsmParsers();
  // Normalised, "thumbv6m-none-eabi" has the eabi environment that selects
  // the ARM EABI helper names (__aeabi_fadd) libgcc defines; parsed as
  // written it has none and soft-float code calls GNU names (__addsf3).
  llvm::Triple triple(llvm::Triple::normalize(target.triple));
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "target " << target.triple << " is not available: " << error << "\n";
    return nullptr;
  }
  llvm::TargetOptions options;
  if (!target.floatAbi.empty())
    options.FloatABIType =
        target.floatAbi == "hard" ? llvm::FloatABI::Hard : llvm::FloatABI::Soft;
  // Bare-metal objects are linked at fixed addresses; host objects go into
  // position-independent executables.
  auto relocation = target.isHost() ? llvm::Reloc::PIC_ : llvm::Reloc::Static;
  return std::unique_ptr<llvm::TargetMachine>(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, options, relocation, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

/// Emits `llvmModule` as an object and bounds the stack of `entry` from the
/// frames code generation laid out, which LLVM writes to a stack-usage file.
static mlir::LogicalResult
emitObjectWithStackBound(llvm::Module &llvmModule, llvm::TargetMachine &machine,
                         llvm::StringRef entry, llvm::raw_pwrite_stream &os,
                         StackBound &stackBound) {
  llvm::SmallString<128> stackUsagePath;
  if (std::error_code error = llvm::sys::fs::createTemporaryFile(
          "pexc-stack-usage", "su", stackUsagePath)) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "cannot create a temporary file: " << error.message() << "\n";
    return mlir::failure();
  }
  llvm::FileRemover removeStackUsage(stackUsagePath);
  machine.Options.StackUsageOutput = stackUsagePath.str().str();
  llvm::SmallVector<char, 0> object;
  {
    // The file is complete once the passes (and their AsmPrinter) are gone.
    llvm::raw_svector_ostream objectStream(object);
    llvm::legacy::PassManager passes;
    if (machine.addPassesToEmitFile(passes, objectStream, nullptr,
                                    llvm::CodeGenFileType::ObjectFile)) {
      llvm::WithColor::error(llvm::errs(), "pexc")
          << "target " << machine.getTargetTriple().str()
          << " cannot emit objects\n";
      return mlir::failure();
    }
    passes.run(llvmModule);
  }
  os << llvm::StringRef(object.data(), object.size());

  auto stackUsage = llvm::MemoryBuffer::getFile(stackUsagePath);
  auto objectFile =
      llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(
          llvm::StringRef(object.data(), object.size()), "object"));
  if (!stackUsage || !objectFile) {
    if (!objectFile)
      llvm::consumeError(objectFile.takeError());
    stackBound = StackBound{std::nullopt, "no stack usage from LLVM"};
    return mlir::success();
  }
  llvm::SmallVector<llvm::StringRef> undefined;
  for (const llvm::object::SymbolRef &symbol : (*objectFile)->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    if (!flags || !name) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(name.takeError());
      continue;
    }
    if ((*flags & llvm::object::SymbolRef::SF_Undefined) && !name->empty())
      undefined.push_back(*name);
  }
  stackBound = computeStackBound(llvmModule, entry, (*stackUsage)->getBuffer(),
                                 undefined);
  return mlir::success();
}

/// Every assembly block the kernels contain runs to its end. Saying so lets
/// LICM hoist the loads after a block (a requantisation's per-channel
/// multiplier, shift and rounding word) out of the loop around it: without
/// `willreturn` a load after the block is not known to run on every
/// iteration, so it stays in the loop. A block without side effects or a
/// memory clobber (a value hidden from LLVM, a conversion) touches no memory
/// either: on a loop-invariant operand (a per-tensor rescale's hidden
/// multiplier) LICM hoists it, and a loop without it may be unrolled.
static void markInlineAssemblyEffects(llvm::Module &module) {
  for (llvm::Function &function : module)
    for (llvm::Instruction &instruction : llvm::instructions(function)) {
      auto *call = llvm::dyn_cast<llvm::CallInst>(&instruction);
      if (!call || !call->isInlineAsm())
        continue;
      call->addFnAttr(llvm::Attribute::WillReturn);
      auto *assembly = llvm::cast<llvm::InlineAsm>(call->getCalledOperand());
      if (!assembly->hasSideEffects() &&
          !llvm::StringRef(assembly->getConstraintString())
               .contains("~{memory}"))
        call->setMemoryEffects(llvm::MemoryEffects::none());
    }
}

CodeEmitter::CodeEmitter(const Target &target,
                         std::unique_ptr<llvm::TargetMachine> machine)
    : target(target), machine(std::move(machine)) {}

CodeEmitter::~CodeEmitter() = default;

std::unique_ptr<CodeEmitter> CodeEmitter::create(const Target &target) {
  std::unique_ptr<llvm::TargetMachine> machine = createTargetMachine(target);
  if (!machine)
    return nullptr;
  return std::unique_ptr<CodeEmitter>(
      new CodeEmitter(target, std::move(machine)));
}

mlir::LogicalResult CodeEmitter::add(mlir::ModuleOp module) {
  std::unique_ptr<llvm::Module> translated =
      mlir::translateModuleToLLVMIR(module, context);
  if (!translated)
    return mlir::failure();
  translated->setTargetTriple(machine->getTargetTriple());
  translated->setDataLayout(machine->createDataLayout());
  markInlineAssemblyEffects(*translated);
  if (!linked) {
    linked = std::move(translated);
    return mlir::success();
  }
  // Each model's symbols carry its name; private ones (constants, kernels)
  // are renamed by the linker where two models chose the same.
  if (llvm::Linker::linkModules(*linked, std::move(translated))) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "linking the models' code failed\n";
    return mlir::failure();
  }
  return mlir::success();
}

mlir::LogicalResult CodeEmitter::emit(CodeKind kind,
                                      llvm::raw_pwrite_stream &os,
                                      std::optional<StackBoundRequest> stack) {
  auto optimize = mlir::makeOptimizingTransformer(2, 0, machine.get());
  if (llvm::Error error = optimize(linked.get())) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "LLVM optimisation failed: " << llvm::toString(std::move(error))
        << "\n";
    return mlir::failure();
  }
  if (kind == CodeKind::LLVMIR) {
    linked->print(os, nullptr);
    return mlir::success();
  }
  if (kind == CodeKind::Object && stack)
    return emitObjectWithStackBound(*linked, *machine, stack->entry, os,
                                    stack->bound);
  llvm::legacy::PassManager passes;
  auto fileType = kind == CodeKind::Object
                      ? llvm::CodeGenFileType::ObjectFile
                      : llvm::CodeGenFileType::AssemblyFile;
  if (machine->addPassesToEmitFile(passes, os, nullptr, fileType)) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "target " << target.triple << " cannot emit this file type\n";
    return mlir::failure();
  }
  passes.run(*linked);
  return mlir::success();
}

mlir::LogicalResult
mlir::pex::driver::emitCode(mlir::ModuleOp module, const Target &target,
                            CodeKind kind, llvm::raw_pwrite_stream &os,
                            std::optional<StackBoundRequest> stack) {
  std::unique_ptr<CodeEmitter> emitter = CodeEmitter::create(target);
  if (!emitter || mlir::failed(emitter->add(module)))
    return mlir::failure();
  return emitter->emit(kind, os, stack);
}

int64_t mlir::pex::driver::getFlashBytes(llvm::StringRef objectPath) {
  auto object = llvm::object::ObjectFile::createObjectFile(objectPath);
  if (!object) {
    llvm::consumeError(object.takeError());
    return 0;
  }
  int64_t bytes = 0;
  for (const llvm::object::SectionRef &section :
       object->getBinary()->sections()) {
    auto name = section.getName();
    bool isAllocated =
        name && (name->starts_with(".text") || name->starts_with(".rodata") ||
                 name->starts_with(".data"));
    if (isAllocated && !section.isBSS())
      bytes += section.getSize();
  }
  return bytes;
}

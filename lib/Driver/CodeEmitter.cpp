//===- CodeEmitter.cpp - LLVM code generation for a target ------*- C++ -*-===//

#include "pex/Driver/CodeEmitter.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
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
        << "target " << target.triple << " is not available: " << error
        << "\n";
    return nullptr;
  }
  llvm::TargetOptions options;
  if (!target.floatAbi.empty())
    options.FloatABIType = target.floatAbi == "hard" ? llvm::FloatABI::Hard
                                                     : llvm::FloatABI::Soft;
  // Bare-metal objects are linked at fixed addresses; host objects go into
  // position-independent executables.
  auto relocation =
      target.isHost() ? llvm::Reloc::PIC_ : llvm::Reloc::Static;
  return std::unique_ptr<llvm::TargetMachine>(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, options, relocation, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
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
                                      llvm::raw_pwrite_stream &os) {
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
  llvm::legacy::PassManager passes;
  auto fileType = kind == CodeKind::Object ? llvm::CodeGenFileType::ObjectFile
                                           : llvm::CodeGenFileType::AssemblyFile;
  if (machine->addPassesToEmitFile(passes, os, nullptr, fileType)) {
    llvm::WithColor::error(llvm::errs(), "pexc")
        << "target " << target.triple << " cannot emit this file type\n";
    return mlir::failure();
  }
  passes.run(*linked);
  return mlir::success();
}

mlir::LogicalResult mlir::pex::driver::emitCode(mlir::ModuleOp module,
                                                const Target &target,
                                                CodeKind kind,
                                                llvm::raw_pwrite_stream &os) {
  std::unique_ptr<CodeEmitter> emitter = CodeEmitter::create(target);
  if (!emitter || mlir::failed(emitter->add(module)))
    return mlir::failure();
  return emitter->emit(kind, os);
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
    bool isAllocated = name && (name->starts_with(".text") ||
                                name->starts_with(".rodata") ||
                                name->starts_with(".data"));
    if (isAllocated && !section.isBSS())
      bytes += section.getSize();
  }
  return bytes;
}

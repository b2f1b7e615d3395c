//===- CodeEmitter.h - LLVM code generation for a target --------*- C++ -*-===//

#ifndef PEX_DRIVER_CODEEMITTER_H
#define PEX_DRIVER_CODEEMITTER_H

#include "pex/Driver/StackBound.h"
#include "pex/Driver/Targets.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir::pex::driver {

enum class CodeKind { LLVMIR, Assembly, Object };

/// Bound the stack of the function `entry` of an emitted object, into `bound`.
struct StackBoundRequest {
  std::string entry;
  StackBound &bound;
};

/// Code generation for `target` of one or several LLVM-dialect modules
/// (several models in one object): each is translated and linked into one
/// LLVM module, which is optimised (-O2) and written once.
class CodeEmitter {
public:
  /// Prints an error and returns null when the target is not available.
  static std::unique_ptr<CodeEmitter> create(const Target &target);
  ~CodeEmitter();

  /// Translates `module` to LLVM IR and links it with the modules before.
  mlir::LogicalResult add(mlir::ModuleOp module);
  /// The LLVM module so far (null before the first `add`).
  llvm::Module *getModule() { return linked.get(); }
  /// Optimises the linked module and writes LLVM IR, assembly or an object
  /// (with `stack`, also bounding its entry function's stack).
  mlir::LogicalResult emit(CodeKind kind, llvm::raw_pwrite_stream &os,
                           std::optional<StackBoundRequest> stack = {});

private:
  CodeEmitter(const Target &target,
              std::unique_ptr<llvm::TargetMachine> machine);

  Target target;
  std::unique_ptr<llvm::TargetMachine> machine;
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> linked;
};

/// Translates an LLVM-dialect module to LLVM IR for `target`, optimises it
/// (-O2) and writes LLVM IR, assembly or an object file. Prints an error and
/// fails when the target is not available.
mlir::LogicalResult emitCode(mlir::ModuleOp module, const Target &target,
                             CodeKind kind, llvm::raw_pwrite_stream &os,
                             std::optional<StackBoundRequest> stack = {});

/// Bytes of an object file that a microcontroller keeps in flash: code,
/// read-only data and initial values of data (everything allocated but
/// .bss).
int64_t getFlashBytes(llvm::StringRef objectPath);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_CODEEMITTER_H

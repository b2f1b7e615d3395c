//===- CodeEmitter.h - LLVM code generation for a target --------*- C++ -*-===//

#ifndef PEX_DRIVER_CODEEMITTER_H
#define PEX_DRIVER_CODEEMITTER_H

#include "pex/Driver/StackBound.h"
#include "pex/Driver/Targets.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::pex::driver {

enum class CodeKind { LLVMIR, Assembly, Object };

/// Bound the stack of the function `entry` of an emitted object, into `bound`.
struct StackBoundRequest {
  std::string entry;
  StackBound &bound;
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

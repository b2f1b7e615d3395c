//===- Profile.h - Where a run in QEMU spends its instructions --*- C++ -*-===//
//
// The instruction counter (runtime/qemu-insn-count.c) can write one line per
// translation block executed; this attributes them to the program's
// functions, and those to the model's layers (the #pex.layer of each kernel
// function).
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DRIVER_PROFILE_H
#define PEX_DRIVER_PROFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pex::driver {

/// What one function of a program did in a run.
struct FunctionProfile {
  std::string symbol;
  /// Executions of the function's first block: its calls.
  int64_t calls = 0;
  int64_t instructions = 0;
  /// Cortex-M4 cycle estimate; 0 without the plugin's timing model.
  int64_t estimatedCycles = 0;
};

/// Attributes the blocks of `profilePath` ("0xADDRESS INSTRUCTIONS EXECUTIONS
/// CYCLES" per line) to the functions of the ELF program `elfPath`, in
/// symbol order. Blocks outside every function symbol are left out.
llvm::Expected<std::vector<FunctionProfile>>
readFunctionProfile(llvm::StringRef elfPath, llvm::StringRef profilePath);

/// A kernel function of the generated code and the #pex.layer it computes.
struct KernelLayer {
  std::string symbol, op, name;
  int64_t macsPerCall = 0;
};

/// One row of a run's profile.
struct LayerProfile {
  /// The kernel function; the run function for its own code; empty for the
  /// rest.
  std::string symbol;
  /// The kernel's anchor operation, "run" or "other".
  std::string op;
  /// The model's name for the operator (or empty).
  std::string name;
  int64_t calls = 0, macs = 0, instructions = 0, estimatedCycles = 0;
};

/// The rows of a profiled run: each kernel in the order of `kernels`; then
/// the run function `runSymbol`'s own code (loops over channel slices,
/// copies it does not outline); then "other", what the counted
/// `instructions` hold beyond those (library routines such as memcpy or
/// libgcc's float helpers, the harness's call), so the rows add up to
/// `instructions` (and to `estimatedCycles` when it is not 0).
std::vector<LayerProfile>
attributeToLayers(llvm::ArrayRef<KernelLayer> kernels,
                  llvm::StringRef runSymbol,
                  llvm::ArrayRef<FunctionProfile> functions,
                  int64_t instructions, int64_t estimatedCycles);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_PROFILE_H

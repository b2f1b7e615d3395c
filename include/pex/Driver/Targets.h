//===- Targets.h - pexc's code generation targets ---------------*- C++ -*-===//

#ifndef PEX_DRIVER_TARGETS_H
#define PEX_DRIVER_TARGETS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mlir::pex::driver {

/// A --target: how to generate code for it and how to run it.
struct Target {
  std::string name;
  std::string triple, cpu, fpu, floatAbi, features;
  /// QEMU board, linker script and newlib/libgcc multilib (Cortex-M only).
  std::string machine, linkerScript, multilib;

  bool isHost() const { return name == "host"; }
  unsigned getIndexBitwidth() const;
};

/// How floating-point values are computed and passed (GCC's -mfloat-abi).
enum class FloatABI {
  Default, ///< The target's own (runtime/targets.def).
  Hard,    ///< FPU instructions, arguments in FPU registers.
  SoftFP,  ///< FPU instructions, arguments in core registers.
  Soft,    ///< No FPU instruction: libgcc's helpers (a core without FPU).
};

/// `target` with the float ABI `abi`: the triple, features, clang flags and
/// newlib/libgcc multilib a firmware built with `-mfloat-abi=` links with.
/// Fails for the host, or for hard/softfp on a core without FPU.
llvm::Expected<Target> withFloatABI(const Target &target, FloatABI abi);

/// The host and the Cortex-M targets of runtime/targets.def.
llvm::ArrayRef<Target> getTargets();
std::optional<Target> findTarget(llvm::StringRef name);
/// "host, cortex-m0plus, ..." for help and errors.
std::string getTargetNames();

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_TARGETS_H

//===- Targets.h - pexc's code generation targets ---------------*- C++ -*-===//

#ifndef PEX_DRIVER_TARGETS_H
#define PEX_DRIVER_TARGETS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

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

/// The host and the Cortex-M targets of runtime/targets.def.
llvm::ArrayRef<Target> getTargets();
std::optional<Target> findTarget(llvm::StringRef name);
/// "host, cortex-m0plus, ..." for help and errors.
std::string getTargetNames();

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_TARGETS_H

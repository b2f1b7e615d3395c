//===- Paths.h - Where pexc finds its tools and files -----------*- C++ -*-===//

#ifndef PEX_DRIVER_PATHS_H
#define PEX_DRIVER_PATHS_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::pex::driver {

struct Paths {
  std::string python;     ///< Interpreter with Debian's python3-* packages.
  std::string pythonDir;  ///< Directory holding the `pex` package.
  std::string runtimeDir; ///< harness.c, cortex-m/ startup and scripts.
  std::string clang, lld, qemu;
  std::string newlibDir, libgccDir; ///< arm-none-eabi multilib roots.
  std::string insnCountPlugin;

  /// Paths for the pexc at `argv0`: an installed pexc uses the share/ and
  /// lib/ directories of its prefix, a build-tree pexc the source tree.
  static Paths discover(const char *argv0);
  /// Paths for a Pex installed at `prefix` (its share/ and lib/), falling
  /// back to the source tree it was built from.
  static Paths fromPrefix(llvm::StringRef prefix);
};

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_PATHS_H

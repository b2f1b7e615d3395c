//===- Paths.h - Where pexc finds its tools and files -----------*- C++ -*-===//

#ifndef PEXC_PATHS_H
#define PEXC_PATHS_H

#include <string>

namespace pexc {

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
};

} // namespace pexc

#endif // PEXC_PATHS_H

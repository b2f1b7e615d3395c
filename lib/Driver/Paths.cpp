//===- Paths.cpp - Where pexc finds its tools and files ---------*- C++ -*-===//

#include "pex/Driver/Paths.h"

#include "DriverConfig.h"
#include "pex-runtime-paths.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir::pex::driver;

static std::string pick(const llvm::Twine &installed, const char *configured) {
  if (llvm::sys::fs::exists(installed))
    return installed.str();
  return configured;
}

Paths Paths::discover(const char *argv0) {
  static int anchor;
  std::string executable = llvm::sys::fs::getMainExecutable(argv0, &anchor);
  return fromPrefix(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
}

Paths Paths::fromPrefix(llvm::StringRef prefix) {
  Paths paths;
  paths.python = PEXC_PYTHON;
  paths.pythonDir = pick(prefix + "/share/pex/python", PEXC_SOURCE_PYTHON_DIR);
  paths.runtimeDir =
      pick(prefix + "/share/pex/runtime", PEXC_SOURCE_RUNTIME_DIR);
  paths.insnCountPlugin =
      pick(prefix + "/lib/libpex-insn-count.so", PEX_INSN_COUNT_PLUGIN);
  paths.clang = PEXC_CLANG;
  paths.lld = PEXC_LLD;
  paths.qemu = PEX_QEMU_SYSTEM_ARM;
  paths.newlibDir = PEX_NEWLIB_LIB_DIR;
  paths.libgccDir = PEX_LIBGCC_DIR;
  return paths;
}

//===- Targets.cpp - pexc's code generation targets -------------*- C++ -*-===//

#include "pex/Driver/Targets.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir::pex::driver;

unsigned Target::getIndexBitwidth() const {
  llvm::Triple parsed(triple);
  return parsed.isArch64Bit() ? 64 : 32;
}

llvm::ArrayRef<Target> mlir::pex::driver::getTargets() {
  static const std::vector<Target> targets = [] {
    std::vector<Target> list;
    list.push_back(Target{"host", llvm::sys::getDefaultTargetTriple(),
                          llvm::sys::getHostCPUName().str(), "", "", "", "",
                          "", ""});
#define PEX_TARGET(NAME, TRIPLE, CPU, FPU, FLOAT_ABI, FEATURES, MACHINE,      \
                   SCRIPT, MULTILIB)                                           \
  list.push_back(Target{NAME, TRIPLE, CPU, FPU, FLOAT_ABI, FEATURES, MACHINE,  \
                        SCRIPT, MULTILIB});
#include "targets.def"
    return list;
  }();
  return targets;
}

std::optional<Target> mlir::pex::driver::findTarget(llvm::StringRef name) {
  for (const Target &target : getTargets())
    if (target.name == name)
      return target;
  return std::nullopt;
}

std::string mlir::pex::driver::getTargetNames() {
  std::string names;
  for (const Target &target : getTargets())
    names += (names.empty() ? "" : ", ") + target.name;
  return names;
}

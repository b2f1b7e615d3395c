//===- Targets.cpp - pexc's code generation targets -------------*- C++ -*-===//

#include "pex/Driver/Targets.h"

#include "llvm/ADT/StringExtras.h"
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

/// "thumb/v7e-m+fp/hard" -> ("thumb/v7e-m", "+fp").
static std::pair<llvm::StringRef, llvm::StringRef>
splitMultilibArch(llvm::StringRef multilib) {
  llvm::StringRef arch = multilib.rsplit('/').first;
  size_t plus = arch.find('+');
  return {arch.take_front(plus), arch.drop_front(plus)};
}

llvm::Expected<Target> mlir::pex::driver::withFloatABI(const Target &target,
                                                       FloatABI abi) {
  if (abi == FloatABI::Default)
    return target;
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(message);
  };
  if (target.isHost())
    return fail("--float-abi applies to the Cortex-M targets, not to host");
  bool hasFPU = target.fpu != "none";
  if (!hasFPU && abi != FloatABI::Soft)
    return fail(target.name + " has no FPU: only --float-abi=soft");
  if (!hasFPU)
    return target;

  Target result = target;
  auto [arch, fpuSuffix] = splitMultilibArch(target.multilib);
  // eabihf passes floats in FPU registers; eabi in core registers.
  llvm::StringRef triple(target.triple);
  if (abi != FloatABI::Hard && triple.consume_back("hf"))
    result.triple = triple.str();
  switch (abi) {
  case FloatABI::Default:
  case FloatABI::Hard:
    result.floatAbi = "hard";
    break;
  case FloatABI::SoftFP:
    result.floatAbi = "softfp";
    result.multilib = (arch + fpuSuffix + "/softfp").str();
    break;
  case FloatABI::Soft: {
    result.floatAbi = "soft";
    result.fpu = "none";
    result.multilib = (arch + "/nofp").str();
    // Keep the DSP extension, drop every FPU feature: the CPU name alone
    // would bring the FPU back.
    llvm::SmallVector<llvm::StringRef> features;
    llvm::SplitString(target.features, features, ",");
    llvm::SmallVector<std::string> kept;
    for (llvm::StringRef feature : features)
      if (!feature.starts_with("+vfp") && !feature.starts_with("+fp"))
        kept.push_back(feature.str());
    kept.push_back("+soft-float");
    kept.push_back("-fpregs");
    result.features = llvm::join(kept, ",");
    break;
  }
  }
  return result;
}

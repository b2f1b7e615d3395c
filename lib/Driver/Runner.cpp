//===- Runner.cpp - Running a compiled model on host or QEMU ----*- C++ -*-===//

#include "pex/Driver/Runner.h"
#include "pex/Driver/Process.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

using namespace mlir::pex::driver;

namespace {
constexpr unsigned kRunTimeoutSeconds = 1200;

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "pexc");
}

/// Runs a build step; prints the command and its output when it fails.
bool runStep(llvm::ArrayRef<std::string> argv, llvm::StringRef what) {
  ProcessResult result = runProcess(argv);
  if (result.error.empty() && result.exitCode == 0)
    return true;
  error() << what << " failed: " << formatCommand(argv) << "\n"
          << result.output << result.error;
  return false;
}

/// Parses "key=value" fields of the harness's "pex-run:" line.
void parseReport(llvm::StringRef output, RunResult &result) {
  for (llvm::StringRef line : llvm::split(output, '\n')) {
    if (!line.consume_front("pex-run:"))
      continue;
    result.report = line.trim().str();
    for (llvm::StringRef field : llvm::split(line.trim(), ' ')) {
      auto [key, value] = field.split('=');
      int64_t number;
      if (value.getAsInteger(10, number))
        continue;
      if (key == "status")
        result.status = number;
      else if (key == "stack_bytes")
        result.stackBytes = number;
      else if (key == "ram_bytes")
        result.ramBytes = number;
    }
  }
}

std::optional<uint64_t> findSymbol(llvm::StringRef elfPath,
                                   llvm::StringRef name) {
  auto object = llvm::object::ObjectFile::createObjectFile(elfPath);
  if (!object) {
    llvm::consumeError(object.takeError());
    return std::nullopt;
  }
  for (const llvm::object::SymbolRef &symbol :
       object->getBinary()->symbols()) {
    auto symbolName = symbol.getName();
    auto address = symbol.getAddress();
    if (symbolName && address && *symbolName == name)
      return *address & ~uint64_t(1); // Thumb bit.
    if (!symbolName)
      llvm::consumeError(symbolName.takeError());
    if (!address)
      llvm::consumeError(address.takeError());
  }
  return std::nullopt;
}

std::optional<RunResult> runOnHost(const Paths &paths,
                                   const RunRequest &request,
                                   llvm::StringRef workDir) {
  std::string program = (workDir + "/model").str();
  if (!runStep({paths.clang, "-O2", "-include", request.headerPath,
                paths.runtimeDir + "/harness.c", request.objectPath, "-o",
                program},
               "linking the host harness"))
    return std::nullopt;
  ProcessResult run = runProcess(
      {program, request.inputPath, request.outputPath}, {}, kRunTimeoutSeconds);
  RunResult result;
  parseReport(run.output, result);
  if (!run.error.empty() || result.report.empty()) {
    error() << "the model did not run: " << run.output << run.error << "\n";
    return std::nullopt;
  }
  return result;
}

std::optional<RunResult> runInQemu(const Target &target, const Paths &paths,
                                   const RunRequest &request,
                                   llvm::StringRef workDir) {
  std::string dir = workDir.str();
  std::vector<std::string> compile = {
      paths.clang,          "--target=" + target.triple,
      "-mcpu=" + target.cpu, "-mfpu=" + target.fpu,
      "-mfloat-abi=" + target.floatAbi, "-ffreestanding",
      "-O2"};
  auto compileFile = [&](llvm::StringRef source, llvm::StringRef object,
                         bool withHeader) {
    std::vector<std::string> argv = compile;
    if (withHeader) {
      argv.push_back("-include");
      argv.push_back(request.headerPath);
    }
    argv.insert(argv.end(), {"-c", source.str(), "-o", object.str()});
    return runStep(argv, "compiling " + source.str());
  };
  if (!compileFile(paths.runtimeDir + "/harness.c", dir + "/harness.o", true) ||
      !compileFile(paths.runtimeDir + "/cortex-m/startup.c",
                   dir + "/startup.o", false))
    return std::nullopt;

  std::string elf = dir + "/model.elf";
  std::vector<std::string> link = {
      paths.lld, "-L", paths.runtimeDir + "/cortex-m", "-L",
      paths.newlibDir + "/" + target.multilib, "-L",
      paths.libgccDir + "/" + target.multilib};
  // The linker applies --defsym before -T only when it comes first.
  if (request.ramBudget > 0)
    link.push_back("--defsym=__pex_ram_size=" +
                   std::to_string(request.ramBudget));
  link.insert(link.end(),
              {"-T", paths.runtimeDir + "/cortex-m/" + target.linkerScript,
               dir + "/startup.o", dir + "/harness.o", request.objectPath,
               "--start-group", "-lc_nano", "-lgcc", "--end-group", "-o",
               elf});
  if (!runStep(link, "linking for " + target.name))
    return std::nullopt;

  // Semihosting passes "-append" to main as argv, split at spaces: use the
  // work directory's space-free paths and copy the files in and out.
  std::string input = dir + "/input.bin", output = dir + "/output.bin";
  if (std::error_code ec = llvm::sys::fs::copy_file(request.inputPath, input)) {
    error() << request.inputPath << ": " << ec.message() << "\n";
    return std::nullopt;
  }
  std::vector<std::string> qemu = {
      paths.qemu, "-M", target.machine, "-display", "none", "-serial", "null",
      "-monitor", "none", "-semihosting-config", "enable=on,target=native",
      "-kernel", elf, "-append", input + " " + output};
  std::string log = dir + "/insns.log";
  auto begin = findSymbol(elf, "pex_count_begin");
  auto end = findSymbol(elf, "pex_count_end");
  // The plugin's cycle model is the Cortex-M4's.
  std::string timing = target.cpu == "cortex-m4" ? ",timing=cortex-m4" : "";
  std::string profile = dir + "/blocks.txt";
  bool counting = begin && end && llvm::sys::fs::exists(paths.insnCountPlugin);
  if (request.profile && !counting) {
    error() << "--profile needs the instruction counter "
            << paths.insnCountPlugin << "\n";
    return std::nullopt;
  }
  if (counting)
    qemu.insert(qemu.end(),
                {"-plugin",
                 paths.insnCountPlugin + ",begin=0x" + llvm::utohexstr(*begin) +
                     ",end=0x" + llvm::utohexstr(*end) + timing +
                     (request.profile ? ",profile=" + profile : ""),
                 "-d", "plugin", "-D", log});
  ProcessResult run = runProcess(qemu, {}, kRunTimeoutSeconds);
  RunResult result;
  parseReport(run.output, result);
  if (!run.error.empty() || result.report.empty()) {
    error() << "QEMU did not run the model: " << formatCommand(qemu) << "\n"
            << run.output << run.error << "\n";
    return std::nullopt;
  }
  if (auto buffer = llvm::MemoryBuffer::getFile(log)) {
    // "insns: ... between_markers=N ..." and "estimated_cycles: ...".
    auto between = [&](llvm::StringRef prefix) -> std::optional<int64_t> {
      llvm::StringRef text = (*buffer)->getBuffer();
      size_t line = text.find(prefix);
      if (line == llvm::StringRef::npos)
        return std::nullopt;
      llvm::StringRef rest = text.substr(line).split('\n').first;
      size_t at = rest.find("between_markers=");
      int64_t count;
      if (at == llvm::StringRef::npos ||
          rest.substr(at + 16).take_while(llvm::isDigit).getAsInteger(10, count))
        return std::nullopt;
      return count;
    };
    result.instructions = between("insns:");
    result.estimatedCycles = between("estimated_cycles:");
  }
  if (request.profile) {
    auto functions = readFunctionProfile(elf, profile);
    if (!functions) {
      error() << llvm::toString(functions.takeError()) << "\n";
      return std::nullopt;
    }
    result.functions = std::move(*functions);
  }
  if (result.status == 0)
    if (std::error_code ec =
            llvm::sys::fs::copy_file(output, request.outputPath)) {
      error() << request.outputPath << ": " << ec.message() << "\n";
      return std::nullopt;
    }
  return result;
}
} // namespace

std::optional<RunResult> mlir::pex::driver::runModel(const Target &target,
                                        const Paths &paths,
                                        const RunRequest &request) {
  llvm::SmallString<128> workDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("pexc-run", workDir)) {
    error() << "cannot create a work directory: " << ec.message() << "\n";
    return std::nullopt;
  }
  std::optional<RunResult> result =
      target.isHost() ? runOnHost(paths, request, workDir)
                      : runInQemu(target, paths, request, workDir);
  llvm::sys::fs::remove_directories(workDir);
  return result;
}

//===- Process.cpp - Running the tools pexc drives --------------*- C++ -*-===//

#include "pex/Driver/Process.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/FileUtilities.h"

extern char **environ;

using namespace mlir::pex::driver;

ProcessResult mlir::pex::driver::runProcess(llvm::ArrayRef<std::string> argv,
                               llvm::ArrayRef<std::string> extraEnv,
                               unsigned timeoutSeconds,
                               llvm::StringRef stderrPath) {
  ProcessResult result;
  llvm::SmallString<128> outputPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "pexc", "out", outputPath)) {
    result.error = "cannot create a temporary file: " + ec.message();
    return result;
  }
  llvm::FileRemover removeOutput(outputPath);

  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  // `extraEnv` replaces inherited variables of the same name: with two
  // PYTHONPATH entries the child would see the inherited one, and an
  // installed pexc would import some other checkout's importers.
  auto getName = [](llvm::StringRef entry) { return entry.split('=').first; };
  std::vector<std::string> envStorage;
  for (char **entry = environ; *entry; ++entry)
    if (llvm::none_of(extraEnv, [&](const std::string &extra) {
          return getName(extra) == getName(*entry);
        }))
      envStorage.emplace_back(*entry);
  envStorage.insert(envStorage.end(), extraEnv.begin(), extraEnv.end());
  std::vector<llvm::StringRef> env(envStorage.begin(), envStorage.end());

  std::optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(""), llvm::StringRef(outputPath),
      stderrPath.empty() ? std::nullopt
                         : std::optional<llvm::StringRef>(stderrPath)};
  std::string message;
  bool failedToExecute = false;
  result.exitCode = llvm::sys::ExecuteAndWait(
      argv.front(), args, env, redirects, timeoutSeconds, 0, &message,
      &failedToExecute);
  if (failedToExecute || result.exitCode < 0)
    result.error = message.empty() ? "did not finish" : message;
  if (auto buffer = llvm::MemoryBuffer::getFile(outputPath))
    result.output = (*buffer)->getBuffer().str();
  return result;
}

std::string mlir::pex::driver::formatCommand(llvm::ArrayRef<std::string> argv) {
  std::string command;
  for (const std::string &arg : argv)
    command += (command.empty() ? "" : " ") + arg;
  return command;
}

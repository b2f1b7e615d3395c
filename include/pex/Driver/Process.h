//===- Process.h - Running the tools pexc drives ----------------*- C++ -*-===//

#ifndef PEX_DRIVER_PROCESS_H
#define PEX_DRIVER_PROCESS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::pex::driver {

struct ProcessResult {
  int exitCode = -1;
  std::string output; ///< Standard output (standard error when merged).
  std::string error;  ///< Why the process could not run, if it could not.
};

/// Runs `argv` (argv[0] is the program path), capturing standard output to a
/// string; standard error goes to `stderrPath` when given (else inherited).
/// `extraEnv` entries ("NAME=value") are added to the environment, replacing
/// inherited variables of the same name.
ProcessResult runProcess(llvm::ArrayRef<std::string> argv,
                         llvm::ArrayRef<std::string> extraEnv = {},
                         unsigned timeoutSeconds = 0,
                         llvm::StringRef stderrPath = "");

/// `argv` joined with spaces, for error messages.
std::string formatCommand(llvm::ArrayRef<std::string> argv);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_PROCESS_H

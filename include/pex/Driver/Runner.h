//===- Runner.h - Running a compiled model on host or QEMU ------*- C++ -*-===//

#ifndef PEX_DRIVER_RUNNER_H
#define PEX_DRIVER_RUNNER_H

#include "pex/Driver/Paths.h"
#include "pex/Driver/Profile.h"
#include "pex/Driver/Targets.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::pex::driver {

struct RunResult {
  int status = -1;
  /// Instructions executed by one inference (Cortex-M in QEMU).
  std::optional<int64_t> instructions;
  /// Cycles one inference would take on a Cortex-M4 with zero wait states:
  /// an estimate from the TRM's instruction timings (Cortex-M4 only).
  std::optional<int64_t> estimatedCycles;
  /// Stack the inference used, by stack painting (Cortex-M).
  std::optional<int64_t> stackBytes;
  /// RAM the program uses: .data + .bss + the inference's stack.
  std::optional<int64_t> ramBytes;
  /// The harness's report line.
  std::string report;
  /// Per function of the program, when profiled (Cortex-M in QEMU).
  std::vector<FunctionProfile> functions;
};

struct RunRequest {
  std::string objectPath, headerPath, inputPath, outputPath;
  /// Cap the program's RAM at this many bytes (0: the board's RAM).
  int64_t ramBudget = 0;
  /// Attribute the run's instructions to the program's functions.
  bool profile = false;
};

/// Links the model with runtime/harness.c and runs it on the host or, for a
/// Cortex-M target, in QEMU; the output file receives the model's output
/// bytes. Prints an error and returns nullopt when linking or running fails.
std::optional<RunResult> runModel(const Target &target, const Paths &paths,
                                  const RunRequest &request);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_RUNNER_H

//===- Report.h - The compilation report as JSON ----------------*- C++ -*-===//
//
// pexc --report-json: the memory, size and run figures of one compilation.
// docs/report.md documents every key; a change that renames or removes a key
// or changes its meaning increments kReportSchemaVersion.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DRIVER_REPORT_H
#define PEX_DRIVER_REPORT_H

#include "pex/Driver/ModelInterface.h"
#include "pex/Driver/Runner.h"

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace mlir::pex::driver {

constexpr int64_t kReportSchemaVersion = 2;

struct ReportFigures {
  std::string model, target;
  /// hard, softfp or soft; empty for the host.
  std::string floatAbi;
  /// The generated arena and what pex-plan-arena recorded about it.
  int64_t arenaBytes = 0, arenaPeakBytes = 0, arenaLowerBoundBytes = 0;
  int64_t firstFitArenaBytes = 0;
  /// The schedule's peak and lower bound (aligned buffer sizes).
  int64_t schedulePeakBytes = 0, lowerBoundBytes = 0;
  /// The arena without reordering or partial execution, first-fit placed.
  int64_t baselineArenaBytes = 0;
  /// Input and output bytes held by the caller (0 when in the arena).
  int64_t ioBytes = 0;
  /// Bytes of the model's variables, kept between runs beside the arena.
  int64_t stateBytes = 0;
  /// The input's rows the application hands over one call at a time
  /// (--io=stream), and the bytes of each; 0 when it passes the input whole.
  int64_t inputRows = 0, inputRowBytes = 0;
  /// The output's rows the application receives one call at a time
  /// (--io=stream), the bytes of each, and whether a stream writes each row
  /// as it computes it (the output never exists whole); 0 without.
  int64_t outputRows = 0, outputRowBytes = 0;
  bool outputStreamed = false;
  int64_t flashBytes = 0, constantBytes = 0, macs = 0;
  /// The worst-case stack of the entry point, when the code bounds it.
  std::optional<int64_t> stackBoundBytes;
  /// Every placed buffer: offset, bytes, first, last, op (and pool).
  llvm::json::Array arenaBuffers;
  /// The memory pools, fastest first, and per pool its buffers (op, bytes,
  /// estimated accesses per byte), most accessed first.
  std::vector<PoolFigures> pools;
  std::vector<llvm::json::Array> poolBuffers;
  /// The schedule's steps (pex::getMemoryReportJSON).
  llvm::json::Object schedule;
  std::optional<RunResult> run;
  /// The run's instructions per layer (--profile).
  std::vector<LayerProfile> layers;
};

llvm::json::Object buildReport(ReportFigures figures);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_REPORT_H

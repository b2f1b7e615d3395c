//===- Report.cpp - The compilation report as JSON --------------*- C++ -*-===//

#include "pex/Driver/Report.h"

using namespace mlir::pex::driver;

llvm::json::Object mlir::pex::driver::buildReport(ReportFigures figures) {
  llvm::json::Object report{
      {"schema_version", kReportSchemaVersion},
      {"model", figures.model},
      {"target", figures.target},
      {"float_abi", figures.floatAbi.empty()
                        ? llvm::json::Value(nullptr)
                        : llvm::json::Value(figures.floatAbi)},
      {"arena_bytes", figures.arenaBytes},
      {"arena_peak_bytes", figures.arenaPeakBytes},
      {"schedule_peak_bytes", figures.schedulePeakBytes},
      {"arena_lower_bound_bytes", figures.arenaLowerBoundBytes},
      {"first_fit_arena_bytes", figures.firstFitArenaBytes},
      {"arena_buffers", std::move(figures.arenaBuffers)},
      {"baseline_arena_bytes", figures.baselineArenaBytes},
      {"lower_bound_bytes", figures.lowerBoundBytes},
      {"io_bytes", figures.ioBytes},
      {"state_bytes", figures.stateBytes},
      {"flash_bytes", figures.flashBytes},
      {"constant_bytes", figures.constantBytes},
      {"macs", figures.macs},
      {"schedule", std::move(figures.schedule)},
  };
  if (figures.inputRows > 0)
    report["input_rows"] = llvm::json::Object{
        {"rows", figures.inputRows}, {"row_bytes", figures.inputRowBytes}};
  if (figures.outputRows > 0)
    report["output_rows"] = llvm::json::Object{
        {"rows", figures.outputRows},
        {"row_bytes", figures.outputRowBytes},
        {"streamed", figures.outputStreamed}};
  if (!figures.pools.empty()) {
    llvm::json::Array pools;
    for (auto [pool, buffers] :
         llvm::zip(figures.pools, figures.poolBuffers))
      pools.push_back(llvm::json::Object{
          {"name", pool.name},
          {"capacity_bytes", pool.capacityBytes},
          {"used_bytes", pool.usedBytes},
          {"section", pool.section.empty() ? llvm::json::Value(nullptr)
                                           : llvm::json::Value(pool.section)},
          {"buffers", std::move(buffers)}});
    report["pools"] = std::move(pools);
  }
  if (figures.stackBoundBytes)
    report["stack_bound_bytes"] = *figures.stackBoundBytes;
  if (const std::optional<RunResult> &run = figures.run) {
    report["status"] = run->status;
    if (run->instructions)
      report["instructions"] = *run->instructions;
    if (run->estimatedCycles)
      report["estimated_cycles"] = *run->estimatedCycles;
    if (run->stackBytes)
      report["stack_bytes"] = *run->stackBytes;
    if (run->ramBytes)
      report["ram_bytes"] = *run->ramBytes;
  }
  if (!figures.layers.empty()) {
    llvm::json::Array layers;
    for (const LayerProfile &layer : figures.layers) {
      llvm::json::Object row{
          {"op", layer.op},         {"name", layer.name},
          {"kernel", layer.symbol}, {"calls", layer.calls},
          {"macs", layer.macs},     {"instructions", layer.instructions}};
      if (figures.run && figures.run->estimatedCycles)
        row["estimated_cycles"] = layer.estimatedCycles;
      layers.push_back(std::move(row));
    }
    report["layers"] = std::move(layers);
  }
  return report;
}

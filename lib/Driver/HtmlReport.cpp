//===- HtmlReport.cpp - The compilation report as one HTML page -*- C++ -*-===//

#include "pex/Driver/HtmlReport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir::pex::driver;

namespace {
constexpr int kChartWidth = 960, kChartHeight = 360;

std::string escape(llvm::StringRef text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
    case '<':
      escaped += "&lt;";
      break;
    case '>':
      escaped += "&gt;";
      break;
    case '&':
      escaped += "&amp;";
      break;
    case '"':
      escaped += "&quot;";
      break;
    default:
      escaped += c;
    }
  }
  return escaped;
}

int64_t integer(const llvm::json::Object &object, llvm::StringRef key) {
  return object.getInteger(key).value_or(0);
}

std::string string(const llvm::json::Object &object, llvm::StringRef key) {
  return object.getString(key).value_or("").str();
}

std::string bytes(int64_t value) {
  std::string digits = std::to_string(value), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

void writeFigures(llvm::raw_ostream &os, const llvm::json::Object &report) {
  os << "<table class=\"figures\">\n";
  auto row = [&](llvm::StringRef name, const std::string &value) {
    os << "<tr><th>" << name << "</th><td>" << escape(value) << "</td></tr>\n";
  };
  row("target", string(report, "target"));
  row("arena", bytes(integer(report, "arena_bytes")) + " B");
  row("input and output held by the caller",
      bytes(integer(report, "io_bytes")) + " B");
  row("arena without reordering or partial execution",
      bytes(integer(report, "baseline_arena_bytes")) + " B");
  row("flash (code, constants)", bytes(integer(report, "flash_bytes")) + " B");
  row("multiply-accumulates", bytes(integer(report, "macs")));
  if (auto instructions = report.getInteger("instructions"))
    row("instructions (one run)", bytes(*instructions));
  if (auto cycles = report.getInteger("estimated_cycles"))
    row("Cortex-M4 cycles (estimate)", bytes(*cycles));
  if (auto stack = report.getInteger("stack_bytes"))
    row("stack (measured)", bytes(*stack) + " B");
  os << "</table>\n";
}

/// Where each memory pool starts in the arena chart: the pools stacked,
/// fastest at the bottom.
llvm::StringMap<int64_t> getPoolBases(const llvm::json::Object &report) {
  llvm::StringMap<int64_t> bases;
  int64_t base = 0;
  if (const llvm::json::Array *pools = report.getArray("pools"))
    for (const llvm::json::Value &value : *pools)
      if (const llvm::json::Object *pool = value.getAsObject()) {
        bases[string(*pool, "name")] = base;
        base += integer(*pool, "used_bytes");
      }
  return bases;
}

/// Every placed buffer as a rectangle: its lifetime across, its bytes of
/// the arena up (with memory pools, of its pool, the pools stacked).
void writeArenaChart(llvm::raw_ostream &os, const llvm::json::Object &report) {
  const llvm::json::Array *buffers = report.getArray("arena_buffers");
  llvm::StringMap<int64_t> poolBases = getPoolBases(report);
  int64_t arena = std::max<int64_t>(integer(report, "arena_bytes"), 1);
  int64_t steps = 1;
  if (buffers)
    for (const llvm::json::Value &value : *buffers)
      if (const llvm::json::Object *buffer = value.getAsObject())
        steps = std::max(steps, integer(*buffer, "last") + 1);
  double x = double(kChartWidth) / steps, y = double(kChartHeight) / arena;
  os << llvm::formatv("<svg class=\"arena\" viewBox=\"0 0 {0} {1}\" "
                      "width=\"{0}\" height=\"{1}\" "
                      "xmlns=\"http://www.w3.org/2000/svg\">\n",
                      kChartWidth, kChartHeight);
  os << llvm::formatv("<rect width=\"{0}\" height=\"{1}\" class=\"free\"/>\n",
                      kChartWidth, kChartHeight);
  if (buffers)
    for (const llvm::json::Value &value : *buffers) {
      const llvm::json::Object *buffer = value.getAsObject();
      if (!buffer)
        continue;
      int64_t first = integer(*buffer, "first"),
              last = integer(*buffer, "last");
      int64_t offset = integer(*buffer, "offset"),
              size = integer(*buffer, "bytes");
      std::string pool = string(*buffer, "pool");
      int64_t base = pool.empty() ? 0 : poolBases.lookup(pool);
      os << llvm::formatv(
          "<rect class=\"buffer\" x=\"{0:f1}\" y=\"{1:f1}\" width=\"{2:f1}\" "
          "height=\"{3:f1}\"><title>{4}: {5} B at offset {6}{9}, steps {7} "
          "to {8}</title></rect>\n",
          first * x, kChartHeight - (base + offset + size) * y,
          (last - first + 1) * x, size * y, escape(string(*buffer, "op")),
          bytes(size), offset, first, last,
          pool.empty() ? "" : " of pool " + escape(pool));
    }
  os << "</svg>\n";
}

/// The memory pools, fastest first, and how full each is.
void writePools(llvm::raw_ostream &os, const llvm::json::Object &report) {
  const llvm::json::Array *pools = report.getArray("pools");
  if (!pools)
    return;
  os << "<h2>Memory pools</h2>\n<table class=\"pools\">\n"
        "<tr><th>pool</th><th>section</th><th>used</th><th>capacity</th>"
        "<th>buffers</th></tr>\n";
  for (const llvm::json::Value &value : *pools) {
    const llvm::json::Object *pool = value.getAsObject();
    if (!pool)
      continue;
    const llvm::json::Array *buffers = pool->getArray("buffers");
    os << "<tr><td>" << escape(string(*pool, "name")) << "</td><td>"
       << escape(string(*pool, "section")) << "</td><td>"
       << bytes(integer(*pool, "used_bytes")) << " B</td><td>"
       << bytes(integer(*pool, "capacity_bytes")) << " B</td><td>"
       << (buffers ? buffers->size() : 0) << "</td></tr>\n";
  }
  os << "</table>\n";
}

void writeSteps(llvm::raw_ostream &os, const llvm::json::Object &report) {
  const llvm::json::Object *schedule = report.getObject("schedule");
  const llvm::json::Array *steps =
      schedule ? schedule->getArray("steps") : nullptr;
  if (!steps)
    return;
  int64_t peakStep = integer(*schedule, "peak_step");
  os << "<h2>Live bytes per step</h2>\n<table class=\"steps\">\n"
        "<tr><th>step</th><th>operator</th><th>live bytes</th></tr>\n";
  for (const llvm::json::Value &value : *steps) {
    const llvm::json::Object *step = value.getAsObject();
    if (!step)
      continue;
    bool peak = integer(*step, "step") == peakStep;
    os << (peak ? "<tr class=\"peak\">" : "<tr>") << "<td>"
       << integer(*step, "step") << "</td><td>" << escape(string(*step, "op"))
       << "</td><td>" << bytes(integer(*step, "live_bytes")) << "</td></tr>\n";
  }
  os << "</table>\n";
}

void writeLayers(llvm::raw_ostream &os, const llvm::json::Object &report) {
  const llvm::json::Array *layers = report.getArray("layers");
  if (!layers)
    return;
  int64_t total = std::max<int64_t>(integer(report, "instructions"), 1);
  os << "<h2>Layers (one run)</h2>\n<table class=\"layers\">\n"
        "<tr><th>kernel</th><th>op</th><th>name</th><th>calls</th>"
        "<th>MACs</th><th>instructions</th><th>share</th></tr>\n";
  for (const llvm::json::Value &value : *layers) {
    const llvm::json::Object *layer = value.getAsObject();
    if (!layer)
      continue;
    int64_t instructions = integer(*layer, "instructions");
    double share = 100.0 * instructions / total;
    os << "<tr><td>" << escape(string(*layer, "kernel")) << "</td><td>"
       << escape(string(*layer, "op")) << "</td><td>"
       << escape(string(*layer, "name")) << "</td><td>"
       << integer(*layer, "calls") << "</td><td>"
       << bytes(integer(*layer, "macs")) << "</td><td>" << bytes(instructions)
       << "</td><td><span class=\"bar\" style=\"width:"
       << llvm::formatv("{0:f1}", share) << "%\"></span>"
       << llvm::formatv("{0:f1}", share) << " %</td></tr>\n";
  }
  os << "</table>\n";
}
} // namespace

void mlir::pex::driver::writeHtmlReport(llvm::raw_ostream &os,
                                        const llvm::json::Object &report) {
  std::string model = escape(string(report, "model"));
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     << "<title>pexc: " << model << "</title>\n<style>\n"
     << "body{font:14px sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
        "tr.peak{background:#fde2c4}"
        "svg.arena .free{fill:#f4f4f4}"
        "svg.arena .buffer{fill:#4a7fb5;stroke:#fff;stroke-width:0.5}"
        ".bar{display:inline-block;height:0.8em;background:#4a7fb5;"
        "margin-right:4px}\n"
     << "</style>\n</head>\n<body>\n<h1>" << model << "</h1>\n";
  writeFigures(os, report);
  os << "<h2>Arena</h2>\n<p>Each rectangle is a buffer: its steps of the "
        "schedule across, its bytes of the arena up ("
     << bytes(integer(report, "arena_bytes"))
     << " B); hover for its operator.</p>\n";
  writeArenaChart(os, report);
  writePools(os, report);
  writeLayers(os, report);
  writeSteps(os, report);
  os << "</body>\n</html>\n";
}

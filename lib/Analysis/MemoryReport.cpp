//===- MemoryReport.cpp - Human and JSON memory reports ---------*- C++ -*-===//

#include "pex/Analysis/MemoryReport.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Analysis/Partitioning.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::pex;

static constexpr unsigned kBarWidth = 40;

/// "conv2d" step labels; steps inside a group (run per slice), a stream
/// (run per row) or a loop (run per iteration) are indented under it.
static std::string getStepLabel(const BufferGraph &model,
                                const ScheduleStep &step) {
  const BufferGraph::Unit &unit = model.getUnits()[step.unit];
  std::string label = getOpLabel(step.op->getRepresentative());
  if (!unit.group)
    return label;
  if (isa<StreamOp>(unit.getOperation()))
    return "  | row: " + label;
  if (isa<scf::ForOp>(unit.getOperation()))
    return "  | iteration: " + label;
  const BufferGraph::GroupProfile &profile = *unit.group;
  bool inBody = step.internalStep < profile.numBodySteps;
  return std::string(inBody ? "  | slice: " : "  | after: ") + label;
}

void mlir::pex::printMemoryTable(llvm::raw_ostream &os,
                                 const BufferGraph &model,
                                 const ScheduleLiveness &eval) {
  os << "pex memory report: @" << model.getFunction().getSymName() << "\n";
  os << llvm::format("%6s %12s  %s\n", "step", "live bytes", "operator");
  unsigned previousUnit = ~0u;
  for (auto [index, step] : llvm::enumerate(eval.steps)) {
    const BufferGraph::Unit &unit = model.getUnits()[step.unit];
    if (unit.group && step.unit != previousUnit)
      os << llvm::format("%6s %12s  ", "", "") << getOpLabel(unit.getOperation())
         << "\n";
    previousUnit = step.unit;
    unsigned bar = eval.peakBytes ? static_cast<unsigned>(
                                        step.liveBytes * kBarWidth /
                                        eval.peakBytes)
                                  : 0;
    bool isPeak = index == eval.peakStep;
    std::string label = getStepLabel(model, step);
    os << llvm::format("%6u %12lld  ", static_cast<unsigned>(index),
                       static_cast<long long>(step.liveBytes))
       << llvm::left_justify(label, 48) << " " << std::string(bar, '#')
       << (isPeak ? "  <- peak" : "") << "\n";
  }
  const ScheduleStep *peak =
      eval.steps.empty() ? nullptr : &eval.steps[eval.peakStep];
  os << "peak SRAM: " << eval.peakBytes << " bytes";
  if (peak)
    os << " at step " << eval.peakStep << " ("
       << getOpLabel(peak->op->getRepresentative()) << ")";
  os << "\n";
  os << "lower bound: " << getLowerBound(model) << " bytes\n";
  os << "inputs and outputs: " << model.getIOBytes() << " bytes ("
     << (model.getOptions().countIO ? "counted" : "not counted") << ")\n";
  os << "flash (constants): " << model.getFlashBytes() << " bytes\n";
  os << "MACs: " << model.getMacs() << "\n";
  if (peak)
    for (const std::string &reason : explainPeak(model, eval))
      os << "whole at the peak: " << reason << "\n";
}

llvm::json::Object
mlir::pex::getMemoryReportJSON(const BufferGraph &model,
                               const ScheduleLiveness &eval) {
  llvm::json::Array steps;
  for (auto [index, step] : llvm::enumerate(eval.steps)) {
    const BufferGraph::Unit &unit = model.getUnits()[step.unit];
    llvm::json::Object entry{
        {"step", static_cast<int64_t>(index)},
        {"unit", static_cast<int64_t>(step.unit)},
        {"op", getOpLabel(step.op->getRepresentative())},
        {"live_bytes", step.liveBytes},
    };
    if (unit.group)
      entry["group_step"] = static_cast<int64_t>(step.internalStep);
    steps.push_back(std::move(entry));
  }
  llvm::json::Array buffers;
  for (auto [index, buffer] : llvm::enumerate(model.getBuffers())) {
    buffers.push_back(llvm::json::Object{
        {"id", static_cast<int64_t>(index)},
        {"bytes", buffer.bytes},
        {"first", static_cast<int64_t>(eval.lifetimes[index].first)},
        {"last", static_cast<int64_t>(eval.lifetimes[index].second)},
        {"storage", static_cast<int64_t>(eval.storageOf[index])},
        {"io", buffer.isIO()},
        {"what", model.describeBuffer(index)},
    });
  }
  llvm::json::Object report{
      {"function", model.getFunction().getSymName().str()},
      {"peak_bytes", eval.peakBytes},
      {"peak_step", static_cast<int64_t>(eval.peakStep)},
      {"lower_bound_bytes", getLowerBound(model)},
      {"io_bytes", model.getIOBytes()},
      {"io_counted", model.getOptions().countIO},
      {"flash_bytes", model.getFlashBytes()},
      {"macs", model.getMacs()},
      {"steps", std::move(steps)},
      {"buffers", std::move(buffers)},
  };
  if (!eval.steps.empty())
    report["peak_op"] =
        getOpLabel(eval.steps[eval.peakStep].op->getRepresentative());
  return report;
}

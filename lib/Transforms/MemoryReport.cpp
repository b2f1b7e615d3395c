//===- MemoryReport.cpp - pex-memory-report ---------------------*- C++ -*-===//

#include "pex/Analysis/MemoryReport.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::pex {
#define GEN_PASS_DEF_MEMORYREPORT
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {
struct MemoryReportPass
    : public pex::impl::MemoryReportBase<MemoryReportPass> {
  using MemoryReportBase::MemoryReportBase;

  void runOnOperation() override {
    llvm::json::Array reports;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      FailureOr<BufferGraph> model =
          BufferGraph::build(func, BufferGraphOptions{arenaIO, alignment});
      if (failed(model))
        return signalPassFailure();
      ScheduleLiveness eval = computeLiveness(*model, model->getProgramOrder());
      printMemoryTable(llvm::errs(), *model, eval);
      reports.push_back(getMemoryReportJSON(*model, eval));
    }
    if (jsonPath.empty())
      return;
    std::string error;
    auto file = openOutputFile(jsonPath, &error);
    if (!file) {
      getOperation().emitError() << "pex: cannot write report: " << error;
      return signalPassFailure();
    }
    file->os() << llvm::formatv(
        "{0:2}\n", llvm::json::Value(llvm::json::Object{
                       {"functions", std::move(reports)}}));
    file->keep();
  }
};
} // namespace

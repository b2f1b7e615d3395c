//===- MemoryReport.h - Human and JSON memory reports -----------*- C++ -*-===//

#ifndef PEX_ANALYSIS_MEMORYREPORT_H
#define PEX_ANALYSIS_MEMORYREPORT_H

#include "pex/Analysis/Liveness.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::pex {
/// Prints one line per step (step, live bytes, operator, bar), the peak
/// marked, then the totals.
void printMemoryTable(llvm::raw_ostream &os, const BufferGraph &model,
                      const ScheduleLiveness &eval);
/// The same figures as a JSON object.
llvm::json::Object getMemoryReportJSON(const BufferGraph &model,
                                       const ScheduleLiveness &eval);
} // namespace mlir::pex

#endif // PEX_ANALYSIS_MEMORYREPORT_H

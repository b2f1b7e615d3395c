//===- HtmlReport.h - The compilation report as one HTML page ---*- C++ -*-===//
//
// pexc --report-html: the report JSON (docs/report.md) drawn for a reader:
// the figures, the arena's buffers over the schedule, the live bytes per
// step and, after --profile, the layers. Self-contained: inline SVG and CSS,
// no script, nothing fetched.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DRIVER_HTMLREPORT_H
#define PEX_DRIVER_HTMLREPORT_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::pex::driver {

/// Writes `report` (buildReport's object) as an HTML page.
void writeHtmlReport(llvm::raw_ostream &os, const llvm::json::Object &report);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_HTMLREPORT_H

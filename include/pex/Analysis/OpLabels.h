//===- OpLabels.h - Names of operations in reports --------------*- C++ -*-===//

#ifndef PEX_ANALYSIS_OPLABELS_H
#define PEX_ANALYSIS_OPLABELS_H

#include "mlir/IR/Operation.h"
#include <string>

namespace mlir::pex {
/// The model's name for a location (an importer's tensor name), or "".
std::string getLocationName(Location loc);
/// `tosa.conv2d "model/conv1"`: the operation and its model name if known.
std::string getOpLabel(Operation *op);
/// A value's name: its `pex.name` argument attribute, or its defining op.
std::string getValueLabel(Value value);
} // namespace mlir::pex

#endif // PEX_ANALYSIS_OPLABELS_H

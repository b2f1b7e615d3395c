//===- PartialExecutionOpInterface.h ----------------------------*- C++ -*-===//

#ifndef PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_H
#define PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_H

#include "mlir/IR/OpDefinition.h"
#include <optional>

#include "pex/Interfaces/PartialExecutionEnums.h.inc"

namespace mlir::pex {
namespace detail {
int64_t getSliceWorkingSetBytes(Operation *op, int64_t channels,
                                int64_t sliceChannels, SliceMode mode);
} // namespace detail
} // namespace mlir::pex

#include "pex/Interfaces/PartialExecutionOpInterface.h.inc"

namespace mlir::pex {
/// Bytes of a statically shaped tensor or memref (sub-byte types round up).
int64_t getStorageBytes(Type type);
} // namespace mlir::pex

#endif // PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_H

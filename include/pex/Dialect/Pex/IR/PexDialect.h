//===- PexDialect.h - Pex dialect and attributes ----------------*- C++ -*-===//

#ifndef PEX_DIALECT_PEX_IR_PEXDIALECT_H
#define PEX_DIALECT_PEX_IR_PEXDIALECT_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "pex/Dialect/Pex/IR/PexDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pex/Dialect/Pex/IR/PexAttrs.h.inc"

namespace mlir::pex {
/// Discardable attribute names used across the pipeline.
/// `#pex.placement` on a buffer: its arena offset, size and lifetime.
constexpr llvm::StringLiteral kPlacementAttrName = "pex.placement";
/// `#pex.arena` on the arena global.
constexpr llvm::StringLiteral kArenaAttrName = "pex.arena";
/// On the arena global: the size TensorFlow Lite Micro's greedy first-fit
/// planner would need for the same buffers (a comparison figure).
constexpr llvm::StringLiteral kFirstFitSizeAttrName = "pex.first_fit_size";
} // namespace mlir::pex

#endif // PEX_DIALECT_PEX_IR_PEXDIALECT_H

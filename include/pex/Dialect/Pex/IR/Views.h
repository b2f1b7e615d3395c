//===- Views.h - Which operations are views of their operand ----*- C++ -*-===//
//
// A view allocates nothing: its result is (part of) another value's storage.
// Pex decides this for TOSA itself (a reshape, a slice) rather than attaching
// upstream's ViewLikeOpInterface to TOSA's operations, which other passes
// would then read with meanings Pex did not choose; operations that
// implement the interface themselves (pex.slice, memref views) are views too.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DIALECT_PEX_IR_VIEWS_H
#define PEX_DIALECT_PEX_IR_VIEWS_H

#include "mlir/IR/Operation.h"

namespace mlir::pex {
/// The value whose storage `op`'s result views, or null when `op` is not a
/// view.
Value getViewSource(Operation *op);
/// True for values the memory model does not place in SRAM: constants
/// (weights live in flash) and views of them (slices, reshapes).
bool isConstantValue(Value value);
} // namespace mlir::pex

#endif // PEX_DIALECT_PEX_IR_VIEWS_H

//===- BufferCopies.h - Memref copies without a library --------*- C++ -*-===//
//
// memref.copy lowers to a call of the runtime library (or memcpy), which a
// Pex model does not link: the copies the lowering makes are loops.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_SUPPORT_BUFFERCOPIES_H
#define PEX_SUPPORT_BUFFERCOPIES_H

#include "mlir/IR/Builders.h"

namespace mlir::pex {

/// Copies `from` into `to` (memrefs of one static shape) element by element
/// with a loop nest at the builder's insertion point.
void createCopyLoops(OpBuilder &builder, Location loc, Value from, Value to);

/// Stores `value` into every element of `to` (a memref of static shape).
void createFillLoops(OpBuilder &builder, Location loc, Value value, Value to);

} // namespace mlir::pex

#endif // PEX_SUPPORT_BUFFERCOPIES_H

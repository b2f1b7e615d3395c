//===- ShiftRows.h - Lowering pex.shift_rows --------------------*- C++ -*-===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_SHIFTROWS_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_SHIFTROWS_H

namespace mlir::pex {
class ShiftRowsOp;

/// Replaces a bufferized pex.shift_rows by a forward copy loop (each element
/// is read before the write that would overwrite it), in 32-bit words when
/// the buffer is a word-aligned view of a byte arena (then a loop marked
/// with kMicroKernelCopyAttrName), and erases it.
void lowerShiftRows(ShiftRowsOp shift);
} // namespace mlir::pex

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_SHIFTROWS_H

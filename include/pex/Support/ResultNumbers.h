//===- ResultNumbers.h - Result numbers checked before parsing --*- C++ -*-===//
//
// MLIR's parser makes room for every result up to the number a use names
// (`%x#N` grows a vector to N + 1 entries) before it learns how many results
// the operation defining %x has, so one corrupt number such as
// `%x#2147483647` makes it allocate tens of gigabytes. pexc and pex-opt scan
// their input for such uses first.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_SUPPORT_RESULTNUMBERS_H
#define PEX_SUPPORT_RESULTNUMBERS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::pex {

/// Fails, with an error at the use in `sourceMgr`'s buffer `bufferId`, when a
/// use `%x#N` (outside strings and comments) names a result number N at least
/// the buffer's size in bytes: an operation with N + 1 results spells at least
/// N + 1 result types or operands, more than such a file holds, so the number
/// is an error either way, and the parser never allocates more entries per use
/// than the file has bytes.
LogicalResult checkResultNumbers(const llvm::SourceMgr &sourceMgr,
                                 unsigned bufferId);

} // namespace mlir::pex

#endif // PEX_SUPPORT_RESULTNUMBERS_H

//===- DenseConstants.h - Cutting dense constants ---------------*- C++ -*-===//
//
// Constants cut at compile time along one dimension: the weights and
// per-channel parameters of the channels a pass keeps (pruning) or gives to
// one operator of several (a projection split by its slices).
//
//===----------------------------------------------------------------------===//

#ifndef PEX_SUPPORT_DENSECONSTANTS_H
#define PEX_SUPPORT_DENSECONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::pex {

/// The elements of `attr` whose index along `dim` satisfies `keep`, in
/// order, as a constant whose extent along `dim` is `keptExtent`.
DenseElementsAttr selectAlong(DenseElementsAttr attr, int64_t dim,
                              int64_t keptExtent,
                              llvm::function_ref<bool(int64_t)> keep);

} // namespace mlir::pex

#endif // PEX_SUPPORT_DENSECONSTANTS_H

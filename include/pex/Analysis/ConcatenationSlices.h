//===- ConcatenationSlices.h - Operands computed in their slice -*- C++ -*-===//
//
// An operand of a concatenation can be computed directly in its slice of the
// concatenation's result. When the operand is a reshape of the value an
// operator computes (a nearest upsampling, imported as a tile of rank 6
// collapsed to NHWC), the operator still writes its own shape: the slice is
// then taken in the result expanded like the reshape, where it has that
// shape. The memory model, which decides such operands, and the lowering,
// which carries them out, read the one description here.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_CONCATENATIONSLICES_H
#define PEX_ANALYSIS_CONCATENATIONSLICES_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <optional>

namespace mlir::pex {

/// Where the value computing operand `position` of a concatenation is
/// written: a slice along `axis` of the concatenation's result expanded to
/// `expandedShape` by `reassociation` (one group per dimension of the
/// result; all groups of one dimension when the operand is the computed
/// value itself).
struct ConcatenationSlice {
  /// The operand, or the value it is a reshape of.
  Value computed;
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<int64_t> expandedShape;
  /// The concatenation axis in the expanded shape, and the slice's offset
  /// along it.
  int64_t axis = 0;
  int64_t offset = 0;

  bool isExpanded() const {
    return expandedShape.size() != reassociation.size();
  }
};

/// The slice operand `position` would be computed in, when there is one:
/// the operand is the computed value, or it is reshaped from the computed
/// value, neither being read by anything but the concatenation, the
/// combined reshape only merging dimensions (so the slice of the expanded
/// result is a strided view) and keeping the concatenation axis one
/// dimension. Whether other readers of an operand that is the computed
/// value allow it is the memory model's decision
/// (findOperandsInConcatenation, computeLiveness).
std::optional<ConcatenationSlice> getConcatenationSlice(tosa::ConcatOp concat,
                                                        unsigned position);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_CONCATENATIONSLICES_H

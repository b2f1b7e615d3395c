//===- NormalizeUtils.h - Helpers of the normalisation patterns -*- C++ -*-===//

#ifndef PEX_LIB_TRANSFORMS_NORMALIZE_NORMALIZEUTILS_H
#define PEX_LIB_TRANSFORMS_NORMALIZE_NORMALIZEUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::pex {

/// The values of a `tosa.const_shape`; false when `shape` is not one.
bool getConstantShape(Value shape, SmallVectorImpl<int64_t> &values);

/// A `tosa.const_shape` of `values`.
Value createConstantShape(OpBuilder &builder, Location loc,
                          ArrayRef<int64_t> values);

/// `x[0 : sizes]`: the leading part of `x` along every dimension.
Value createLeadingSlice(OpBuilder &builder, Location loc, Value x,
                         ArrayRef<int64_t> sizes);

/// Element-wise sum of two [top, bottom, left, right] paddings.
SmallVector<int64_t> addPadding(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

} // namespace mlir::pex

#endif // PEX_LIB_TRANSFORMS_NORMALIZE_NORMALIZEUTILS_H

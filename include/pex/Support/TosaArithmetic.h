//===- TosaArithmetic.h - Constants of TOSA's integer arithmetic -*- C++ -*-===//
//
// Compile-time constants that TOSA's specification defines by a formula, in
// one place for the kernels that use them and the passes that build TOSA
// computing the same values another way (a row stream accumulating a pool).
//
//===----------------------------------------------------------------------===//

#ifndef PEX_SUPPORT_TOSAARITHMETIC_H
#define PEX_SUPPORT_TOSAARITHMETIC_H

#include <cstdint>
#include <utility>

namespace mlir::pex {

/// TOSA's reciprocal_scale(count), the scale avg_pool2d applies to a sum of
/// `count` values: a multiplier in [2^30, 2^31) and a shift such that
/// apply_scale_32(x, multiplier, shift, single rounding) approximates
/// x / count.
std::pair<int32_t, int8_t> getReciprocalScale(int64_t count);

} // namespace mlir::pex

#endif // PEX_SUPPORT_TOSAARITHMETIC_H

//===- KernelChoices.h - Limits shared by passes and kernels ----*- C++ -*-===//
//
// Which kernel code generation picks for an operator, where a pass must know
// it too to choose the operator's form: one constant for both.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_SUPPORT_KERNELCHOICES_H
#define PEX_SUPPORT_KERNELCHOICES_H

#include <cstdint>

namespace mlir::pex {

/// Up to this many output channels, a convolution over a single input
/// channel is filtered plane by plane (PlanarFilter.cpp); beyond, blocks of
/// channels share the converted inputs better (PackedConvolution.cpp).
constexpr int64_t kMaxPlanarFilterOutputs = 4;

} // namespace mlir::pex

#endif // PEX_SUPPORT_KERNELCHOICES_H

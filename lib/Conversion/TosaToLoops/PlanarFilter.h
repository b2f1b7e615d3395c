//===- PlanarFilter.h - Filters over one channel plane ----------*- C++ -*-===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_PLANARFILTER_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_PLANARFILTER_H

#include "pex/Interfaces/KernelEmitterOpInterface.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <optional>

namespace mlir::pex::emit {

/// Emits an int8 conv2d over a single input channel with few output
/// channels plane by plane: each output channel filters the input plane,
/// whose rows are converted once to int16 into a small rolling buffer with
/// the padding already in place (the input zero point), so that every
/// output reads all its taps the same way (MicroKernels.h: kPlanarAttr).
/// Nullopt when the operator does not qualify (float, more input or output
/// channels, non-constant weights, a weight zero point, dilation).
std::optional<LogicalResult> emitPlanarFilter(tosa::Conv2DOp conv,
                                              OpBuilder &builder,
                                              KernelOperands &operands,
                                              ElementCallback emitElement);
/// The same for a depthwise convolution of a single input channel: each of
/// its output channels (the channel multiplier) filters the plane.
std::optional<LogicalResult> emitPlanarFilter(tosa::DepthwiseConv2DOp conv,
                                              OpBuilder &builder,
                                              KernelOperands &operands,
                                              ElementCallback emitElement);

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_PLANARFILTER_H

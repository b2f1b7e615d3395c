//===- PackedConvolution.h - int8 conv2d as micro-kernels -------*- C++ -*-===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_PACKEDCONVOLUTION_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_PACKEDCONVOLUTION_H

#include "pex/Interfaces/KernelEmitterOpInterface.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <optional>

namespace mlir::pex::emit {

/// Emits an int8 conv2d with constant weights as blocks of output pixels by
/// pairs of output channels computed by the micro-kernels of
/// MicroKernels.h: the pixels' receptive fields in an int16 buffer, the
/// weights packed at compile time, the input zero point folded into the
/// biases; a fully connected layer reads its input row as it is. Nullopt
/// when the convolution does not qualify (float, int16, non-constant weights,
/// a weight zero point, receptive fields too large for the stack buffer).
std::optional<LogicalResult> emitPackedConv2D(tosa::Conv2DOp conv,
                                              OpBuilder &builder,
                                              KernelOperands &operands,
                                              ElementCallback emitElement);

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_PACKEDCONVOLUTION_H

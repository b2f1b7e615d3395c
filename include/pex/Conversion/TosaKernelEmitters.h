//===- TosaKernelEmitters.h - Emitting TOSA operators as loops --*- C++ -*-===//

#ifndef PEX_CONVERSION_TOSAKERNELEMITTERS_H
#define PEX_CONVERSION_TOSAKERNELEMITTERS_H

namespace mlir {
class DialectRegistry;
namespace pex {
/// Attaches KernelEmitterOpInterface to the TOSA operators Pex can emit.
void registerTosaKernelEmitters(DialectRegistry &registry);
} // namespace pex
} // namespace mlir

#endif // PEX_CONVERSION_TOSAKERNELEMITTERS_H

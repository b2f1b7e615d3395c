//===- PexModels.h - Pex interfaces on pex operations -----------*- C++ -*-===//

#ifndef PEX_INTERFACES_PEXMODELS_H
#define PEX_INTERFACES_PEXMODELS_H

namespace mlir {
class DialectRegistry;
namespace pex {
/// Attaches PartialExecutionOpInterface to pex's tensor operators
/// (pex.grouped_conv2d).
void registerPexInterfaceModels(DialectRegistry &registry);
} // namespace pex
} // namespace mlir

#endif // PEX_INTERFACES_PEXMODELS_H

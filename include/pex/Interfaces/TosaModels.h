//===- TosaModels.h - Pex interfaces on TOSA operations ---------*- C++ -*-===//

#ifndef PEX_INTERFACES_TOSAMODELS_H
#define PEX_INTERFACES_TOSAMODELS_H

namespace mlir {
class DialectRegistry;
namespace pex {
/// Attaches PartialExecutionOpInterface to the TOSA operators Pex understands
/// (which TOSA operations are views: pex/Dialect/Pex/IR/Views.h).
void registerTosaInterfaceModels(DialectRegistry &registry);

/// Attaches RowWindowOpInterface to TOSA's window operators (convolutions,
/// pooling) and RowReductionOpInterface to avg_pool2d and reduce_sum; called by
/// registerTosaInterfaceModels.
void registerTosaRowModels(DialectRegistry &registry);
} // namespace pex
} // namespace mlir

#endif // PEX_INTERFACES_TOSAMODELS_H

//===- BufferizableOpInterfaceImpl.h - Bufferizing pex ops ------*- C++ -*-===//

#ifndef PEX_DIALECT_PEX_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define PEX_DIALECT_PEX_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
namespace pex {
/// Makes pex.kernel bufferizable: it reads its inputs, writes its single
/// destination in place, and keeps its tensor-level body.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace pex
} // namespace mlir

#endif // PEX_DIALECT_PEX_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

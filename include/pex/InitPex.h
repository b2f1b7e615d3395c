//===- InitPex.h - Register Pex with a context or tool ----------*- C++ -*-===//
//
// The entry points another compiler uses to load Pex: the dialects and
// interface models Pex needs, and Pex's passes and pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_INITPEX_H
#define PEX_INITPEX_H

namespace mlir {
class DialectRegistry;
namespace pex {
/// Inserts the pex dialect, the dialects Pex's pipelines produce, and the
/// interface models Pex attaches to them (TOSA partial-execution models,
/// bufferization models).
void registerPexDialects(DialectRegistry &registry);
/// Registers Pex's passes and named pipelines with the global registry.
void registerPexPassesAndPipelines();
} // namespace pex
} // namespace mlir

#endif // PEX_INITPEX_H

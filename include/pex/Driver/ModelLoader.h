//===- ModelLoader.h - Reading .tflite, .onnx and TOSA models ---*- C++ -*-===//

#ifndef PEX_DRIVER_MODELLOADER_H
#define PEX_DRIVER_MODELLOADER_H

#include "pex/Driver/Paths.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::pex::driver {

/// Loads `path` as TOSA: a .mlir file is parsed, a .tflite or .onnx file is
/// imported first (python/pex/importers), with `inputShapes` fixing dynamic
/// input dimensions ("1x3x96x96" or "NAME:1x3x96x96"). Prints a one-line
/// error and returns null when the file is missing, of unknown format, or
/// rejected by the importer or the parser.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(llvm::StringRef path, llvm::ArrayRef<std::string> inputShapes,
          const Paths &paths, mlir::MLIRContext &context,
          llvm::SourceMgr &sourceMgr);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_MODELLOADER_H

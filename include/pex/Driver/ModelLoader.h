//===- ModelLoader.h - Reading .tflite, .onnx and TOSA models ---*- C++ -*-===//

#ifndef PEX_DRIVER_MODELLOADER_H
#define PEX_DRIVER_MODELLOADER_H

#include "pex/Driver/Paths.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::pex::driver {

/// How the importer reads a .tflite or .onnx model (a TOSA module takes none).
struct ImportOptions {
  /// Static shapes for inputs with dynamic dimensions: "[NAME:]DIMS".
  std::vector<std::string> inputShapes;
  /// The quantised tensors next to a float input and output are the model's
  /// interface (python/pex/importers/quantized_interface.py).
  bool quantizedIO = false;
  /// Input and output pairs, "INPUT=OUTPUT", that are state kept between
  /// runs (python/pex/importers/state_interface.py).
  std::vector<std::string> states;
};

/// Loads `path` as TOSA: a .mlir file is parsed, a .tflite or .onnx file is
/// imported first (python/pex/importers) with `options`. Prints a one-line
/// error and returns null when the file is missing, of unknown format, or
/// rejected by the importer or the parser, or when a TOSA module is given
/// import options.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(llvm::StringRef path, const ImportOptions &options,
          const Paths &paths, mlir::MLIRContext &context,
          llvm::SourceMgr &sourceMgr);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_MODELLOADER_H

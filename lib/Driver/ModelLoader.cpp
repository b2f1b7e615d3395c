//===- ModelLoader.cpp - Reading .tflite, .onnx and TOSA models -*- C++ -*-===//

#include "pex/Driver/ModelLoader.h"
#include "pex/Driver/Process.h"
#include "pex/Support/ResultNumbers.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir::pex::driver;

namespace {
enum class Format { Mlir, TFLite, Onnx, Unknown };

/// The format from the file's contents: a TFLite flatbuffer has the
/// identifier "TFL3" at byte 4; an ONNX model is a protobuf whose first
/// field is usually ir_version (tag 0x08); MLIR text is anything else that
/// the parser accepts, so the extension decides between the rest.
Format detectFormat(llvm::StringRef path, llvm::StringRef contents) {
  if (contents.size() >= 8 && contents.substr(4, 4) == "TFL3")
    return Format::TFLite;
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".onnx")
    return Format::Onnx;
  if (extension == ".tflite")
    return Format::TFLite;
  if (extension == ".mlir")
    return Format::Mlir;
  return Format::Unknown;
}

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "pexc");
}
} // namespace

mlir::OwningOpRef<mlir::ModuleOp>
mlir::pex::driver::loadModel(llvm::StringRef path, const ImportOptions &options,
                const Paths &paths, mlir::MLIRContext &context,
                llvm::SourceMgr &sourceMgr) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file) {
    error() << path << ": " << file.getError().message() << "\n";
    return nullptr;
  }
  Format format = detectFormat(path, (*file)->getBuffer());
  if (format == Format::Unknown) {
    error() << path
            << ": unrecognised model format (expected a .tflite, .onnx or "
               "TOSA .mlir file)\n";
    return nullptr;
  }

  std::unique_ptr<llvm::MemoryBuffer> tosa;
  if (format == Format::Mlir) {
    if (!options.inputShapes.empty()) {
      error() << path << ": --input-shape applies to .tflite and .onnx "
                         "models; a TOSA module has static shapes\n";
      return nullptr;
    }
    if (options.quantizedIO) {
      error() << path << ": --quantized-io applies to .tflite and .onnx "
                         "models; a TOSA module's interface is its function's\n";
      return nullptr;
    }
    if (!options.states.empty()) {
      error() << path
              << ": --state applies to .tflite and .onnx models; a "
                 "TOSA module keeps state in its variables\n";
      return nullptr;
    }
    tosa = std::move(*file);
  } else {
    // The importer prints its own one-line error naming the operator or the
    // byte offset; pexc adds nothing but the exit code.
    std::vector<std::string> command{paths.python, "-m", "pex.importers",
                                     path.str()};
    for (const std::string &shape : options.inputShapes)
      command.push_back("--input-shape=" + shape);
    if (options.quantizedIO)
      command.push_back("--quantized-io");
    for (const std::string &state : options.states)
      command.push_back("--state=" + state);
    ProcessResult imported =
        runProcess(command, {"PYTHONPATH=" + paths.pythonDir});
    if (!imported.error.empty()) {
      error() << "cannot run the importer (" << paths.python
              << "): " << imported.error << "\n";
      return nullptr;
    }
    if (imported.exitCode != 0)
      return nullptr;
    tosa = llvm::MemoryBuffer::getMemBufferCopy(imported.output, path);
  }
  unsigned bufferId = sourceMgr.AddNewSourceBuffer(std::move(tosa), llvm::SMLoc());
  if (mlir::failed(checkResultNumbers(sourceMgr, bufferId)))
    return nullptr;
  // Some custom parsers fail without a diagnostic (MLIR 22's TOSA operations
  // on a misplaced comma in their attributes): never fail silently.
  bool reported = false;
  mlir::ScopedDiagnosticHandler noteErrors(&context, [&](mlir::Diagnostic &diag) {
    reported |= diag.getSeverity() == mlir::DiagnosticSeverity::Error;
    return mlir::failure(); // and on to the caller's handler
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module && !reported)
    error() << path << ": cannot parse the module (the parser gave no reason)\n";
  return module;
}

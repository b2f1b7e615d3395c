//===- ModelInterface.h - The C interface of a compiled model ---*- C++ -*-===//

#ifndef PEX_DRIVER_MODELINTERFACE_H
#define PEX_DRIVER_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::pex::driver {

/// One tensor of the model's signature, as C sees it.
struct TensorInterface {
  std::string name; ///< The model's tensor name, if the importer kept it.
  llvm::SmallVector<int64_t> shape;
  std::string elementName; ///< int8, uint8, int16, int32, float32.
  std::string cType;       ///< int8_t, ..., float.
  int64_t bytes = 0;
  std::optional<double> scale;
  std::optional<int64_t> zeroPoint;
};

struct ModelInterface {
  /// C identifier of the model: the run function is pex_<name>_run.
  std::string name;
  /// In the run function's order; each at least one.
  std::vector<TensorInterface> inputs, outputs;

  /// All inputs' (outputs') bytes: what the caller holds, what the harness's
  /// input (output) file holds per inference, the tensors one after another.
  int64_t getInputBytes() const;
  int64_t getOutputBytes() const;
};

/// A memory pool of the arena, as planned.
struct PoolFigures {
  std::string name;
  /// Linker section; empty: the default.
  std::string section;
  int64_t capacityBytes = 0, usedBytes = 0;
};

/// What the header records beside the signature.
struct HeaderFigures {
  std::string sourceModel;
  int64_t arenaBytes = 0;
  int64_t flashBytes = 0;
  bool externalArena = false;
  /// The arena holds the input and output (accessors instead of parameters).
  bool arenaIO = false;
  /// PEX_MODEL_* names for programs built around one model; not for the
  /// headers of several models in one object, which are included together.
  bool genericNames = true;
  /// The arena's memory pools, fastest first (none: one arena).
  std::vector<PoolFigures> pools;
  /// The input's rows and bytes per row when the application hands them
  /// over (--io=stream); 0 when it passes the input whole.
  int64_t inputRows = 0, inputRowBytes = 0;
  /// The output's rows and bytes per row when the application receives them
  /// (--io=stream), and whether a stream writes each as it computes it
  /// rather than all after the last operator; 0 when the caller passes an
  /// output buffer.
  int64_t outputRows = 0, outputRowBytes = 0;
  bool outputStreamed = false;
  /// Bytes of the state the model keeps between runs (its variables, in
  /// globals of their own beside the arena); 0 for a stateless model.
  int64_t stateBytes = 0;
};

/// The model's one public function: its inputs and outputs (at least one of
/// each) must be of static shape and a supported element type. Emits a
/// diagnostic and returns nullopt otherwise.
std::optional<ModelInterface> describeModel(mlir::func::FuncOp func);

/// The arena symbol of model `name`.
std::string getArenaSymbol(llvm::StringRef name);

/// Writes NAME.h: shapes, types, quantisation, sizes and the run function.
void writeHeader(llvm::raw_ostream &os, const ModelInterface &model,
                 const HeaderFigures &figures);

} // namespace mlir::pex::driver

#endif // PEX_DRIVER_MODELINTERFACE_H

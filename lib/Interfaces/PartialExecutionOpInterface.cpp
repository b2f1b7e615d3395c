//===- PartialExecutionOpInterface.cpp --------------------------*- C++ -*-===//

#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Dialect/Pex/IR/Views.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pex;

#include "pex/Interfaces/PartialExecutionEnums.cpp.inc"
#include "pex/Interfaces/PartialExecutionOpInterface.cpp.inc"

int64_t mlir::pex::getStorageBytes(Type type) {
  auto shaped = cast<ShapedType>(type);
  assert(shaped.hasStaticShape() && "storage of a dynamic shape");
  // Whole bytes, a power of two as LLVM stores them (an i48 takes 8).
  int64_t elementBytes = llvm::PowerOf2Ceil(
      (shaped.getElementType().getIntOrFloatBitWidth() + 7) / 8);
  return shaped.getNumElements() * elementBytes;
}

int64_t mlir::pex::detail::getSliceWorkingSetBytes(Operation *op,
                                                   int64_t channels,
                                                   int64_t sliceChannels,
                                                   SliceMode mode) {
  auto partial = cast<PartialExecutionOpInterface>(op);
  auto sliceBytes = [&](int64_t bytes) {
    return bytes / channels * sliceChannels;
  };
  int64_t bytes = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    if (isConstantValue(operand.get()))
      continue;
    int64_t full = getStorageBytes(operand.get().getType());
    bool sliced =
        partial.getSlicedOperandDim(operand.getOperandNumber(), mode)
            .has_value();
    bytes += sliced ? sliceBytes(full) : full;
  }
  for (Value result : op->getResults()) {
    int64_t full = getStorageBytes(result.getType());
    bytes += mode == SliceMode::Output ? sliceBytes(full) : full;
  }
  return bytes;
}

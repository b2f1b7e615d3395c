//===- KernelEmitterOpInterface.h -------------------------------*- C++ -*-===//

#ifndef PEX_INTERFACES_KERNELEMITTEROPINTERFACE_H
#define PEX_INTERFACES_KERNELEMITTEROPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>

namespace mlir::pex {

/// What the target's instruction set offers the emitters: they choose the
/// layouts of what they prepare (packed weights, im2col buffers) for the
/// instructions that will read them.
struct KernelTarget {
  /// The M-profile vector extension (Helium): int8 dot products 16 lanes at
  /// a time (VMLADAVA.S8) over operands laid out in 16-byte vectors.
  bool vectorMac = false;
  /// An Arm FPU: VCVTR converts a float to an integer rounding to nearest,
  /// ties to even (FPSCR's rounding mode, which pexc's code never changes;
  /// round to nearest from reset), saturating, NaN to 0: TOSA's cast.
  bool roundingConversion = false;
};

/// Reads the operands of one operator inside a kernel being emitted.
class KernelOperands {
public:
  virtual ~KernelOperands() = default;
  /// The scalar of operand `index` at `indices` (in the operand's own index
  /// space; ignored for operands computed by a fused operator).
  virtual Value load(OpBuilder &builder, Location loc, unsigned index,
                     ValueRange indices) = 0;
  /// The value of operand `index` if it is known at compile time (zero
  /// points, shifts), else null.
  virtual DenseElementsAttr getConstant(unsigned index) = 0;
  /// The compile-time constant operand `index` is a view of, if any: every
  /// value the operand holds is among its elements (a slice's too). Lets an
  /// emitter specialise on a property all of them share, such as the range
  /// of per-channel shifts.
  virtual DenseElementsAttr getConstantSource(unsigned index) {
    return getConstant(index);
  }
  /// The memref operand `index` is read from, if it is a kernel input: lets
  /// an emitter address it as a whole (views of it, word loads, the offset of
  /// a slice). Null for values computed by a fused operator and immediates.
  virtual Value getMemRef(unsigned /*index*/) { return {}; }
  /// The target the loop nest is emitted for.
  virtual KernelTarget getTarget() { return {}; }
  /// A bound on the magnitude of every value operand `index` holds, when the
  /// operator computing it in the kernel (its anchor or a fused element-wise
  /// operator) gives one, else none.
  virtual std::optional<int64_t> getMagnitudeBound(unsigned /*index*/) {
    return std::nullopt;
  }
};

/// Receives one output element of an anchor: its indices and value.
using ElementCallback =
    llvm::function_ref<void(OpBuilder &, Location, ValueRange, Value)>;

} // namespace mlir::pex

#include "pex/Interfaces/KernelEmitterOpInterface.h.inc"

#endif // PEX_INTERFACES_KERNELEMITTEROPINTERFACE_H

//===- EmitterUtils.h - Helpers shared by the TOSA emitters -----*- C++ -*-===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_EMITTERUTILS_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_EMITTERUTILS_H

#include "pex/Interfaces/KernelEmitterOpInterface.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir {
class MLIRContext;
namespace pex::emit {

/// Builds a perfect nest of scf.for loops over `shape` and calls `body` with
/// the induction variables.
void buildLoopNest(
    OpBuilder &builder, Location loc, ArrayRef<int64_t> shape,
    function_ref<void(OpBuilder &, Location, ValueRange)> body);

/// Builds scf.for loops over `[0, bounds[i])` carrying `init` and returns the
/// values yielded by `body(builder, loc, ivs, carried)` after the last
/// iteration.
SmallVector<Value> buildReductionNest(
    OpBuilder &builder, Location loc, ArrayRef<int64_t> bounds,
    ValueRange init,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange,
                                    ValueRange)>
        body);

/// `scf.if cond` yielding `thenBody(carried)` or `carried` unchanged.
SmallVector<Value> buildIfYield(
    OpBuilder &builder, Location loc, Value cond, ValueRange carried,
    function_ref<SmallVector<Value>(OpBuilder &, Location)> thenBody);

/// Indices into an operand of `operandShape` broadcast (NumPy style) to an
/// output element at `indices`: size-1 dimensions read index 0.
SmallVector<Value> broadcastIndices(OpBuilder &builder, Location loc,
                                    ValueRange indices,
                                    ArrayRef<int64_t> operandShape);

/// Loads operand `index` of `op` broadcast to the output element `indices`.
Value loadBroadcast(Operation *op, OpBuilder &builder,
                    KernelOperands &operands, unsigned index,
                    ValueRange indices);

/// `value + offset` on indices, `value` itself for an offset of 0.
Value addIndex(OpBuilder &builder, Location loc, Value value, int64_t offset);
/// `base + index * scale` on indices, without the multiplication for a
/// scale of 1 (then an index that is a loop variable stays recognisable as
/// the loop variable plus a value fixed in the loop).
Value scaledIndex(OpBuilder &builder, Location loc, Value base, Value index,
                  int64_t scale);

Value constantInt(OpBuilder &builder, Location loc, Type type, int64_t value);
Value constantIndex(OpBuilder &builder, Location loc, int64_t value);
Value constantFloat(OpBuilder &builder, Location loc, Type type, double value);

/// Sign-extends (zero-extends if `isUnsigned`) or truncates an integer.
Value castInt(OpBuilder &builder, Location loc, Value value, Type type,
              bool isUnsigned = false);
/// Clamps an integer to [low, high] (signed).
Value clampInt(OpBuilder &builder, Location loc, Value value, int64_t low,
               int64_t high);
/// Rounds a float to the nearest integer, ties to even, without libm.
Value roundEven(OpBuilder &builder, Location loc, Value value);
/// Converts a float32 to an i32 with the Arm FPU's VCVTR: to nearest, ties
/// to even (FPSCR's reset rounding mode), saturating, NaN to 0.
Value convertWithFPURounding(OpBuilder &builder, Location loc, Value value);

/// The smallest and largest values of an integer type.
int64_t minSigned(Type type);
int64_t maxSigned(Type type);

/// The single element of a compile-time operand (zero points, shifts), if
/// known.
std::optional<int64_t> getIntConstant(KernelOperands &operands,
                                      unsigned index);

/// `a * b + acc` in the accumulator's type, reading int operands relative to
/// their zero points.
Value multiplyAccumulate(OpBuilder &builder, Location loc, Value acc, Value a,
                         int64_t aZeroPoint, Value b, int64_t bZeroPoint);

/// In-bounds test of padded window coordinates: 0 <= index < size for every
/// (index, size) pair.
Value buildInBounds(OpBuilder &builder, Location loc, ValueRange indices,
                    ArrayRef<int64_t> sizes);

/// A compiler barrier (an empty assembly statement that may touch memory):
/// LLVM neither moves memory accesses across it nor reuses a value loaded
/// before it, so straight-line blocks after it reload what they read
/// instead of keeping it live from an earlier block. No instruction.
void emitCompilerBarrier(OpBuilder &builder, Location loc);
/// `value` through an empty assembly statement (no instruction, no side
/// effects): LLVM no longer knows how it was computed, so it cannot fold
/// that into the arithmetic that follows (and out of the forms the backend
/// matches to single instructions).
Value hideProvenance(OpBuilder &builder, Location loc, Value value);

/// The values of a compile-time shape operand (tosa.const_shape); an error
/// on `op` otherwise.
FailureOr<SmallVector<int64_t>> getShapeValues(Operation *op, Value shape);

/// The zero points of operands `first` and `first + 1` (compile-time
/// constants; floats have none): an error on `op` otherwise.
FailureOr<std::pair<int64_t, int64_t>>
getZeroPoints(Operation *op, KernelOperands &operands, unsigned first);

/// A bound on the magnitude of a bias plus `products` products (x - xZp) *
/// (w - wZp), x and w integers of the element types of operands `input` and
/// `weight`, their zero points at `zeroPoints` and `zeroPoints + 1`, the bias
/// a compile-time constant at `bias` (or no bias when `bias` is none): what
/// an integer convolution's or matrix product's outputs can reach. None for
/// floats and unknown operands.
std::optional<int64_t>
getDotProductBound(Operation *op, KernelOperands &operands, unsigned input,
                   unsigned weight, unsigned zeroPoints,
                   std::optional<unsigned> bias, int64_t products);

/// A bound on the magnitude of every value operand `index` of `op` holds:
/// what the operator computing it in the kernel gives
/// (KernelOperands::getMagnitudeBound), a compile-time constant's largest
/// magnitude, or the range of an integer type narrower than 32 bits (signed
/// or unsigned data). None for floats and unknown 32-bit values.
std::optional<int64_t> getOperandBound(Operation *op, KernelOperands &operands,
                                       unsigned index);

/// The attach functions of the emitter families.
void attachElementwiseEmitters(MLIRContext *context);
void attachConvolutionEmitters(MLIRContext *context);
void attachPoolingEmitters(MLIRContext *context);
void attachReductionEmitters(MLIRContext *context);
void attachDataMovementEmitters(MLIRContext *context);
void attachResizeEmitter(MLIRContext *context);
void attachMatMulEmitter(MLIRContext *context);

} // namespace pex::emit
} // namespace mlir

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_EMITTERUTILS_H

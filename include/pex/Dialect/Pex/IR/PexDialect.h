//===- PexDialect.h - Pex dialect and attributes ----------------*- C++ -*-===//

#ifndef PEX_DIALECT_PEX_IR_PEXDIALECT_H
#define PEX_DIALECT_PEX_IR_PEXDIALECT_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "pex/Dialect/Pex/IR/PexDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pex/Dialect/Pex/IR/PexAttrs.h.inc"

namespace mlir::pex {
/// Discardable attribute names used across the pipeline.
/// `#pex.placement` on a buffer: its arena offset, size and lifetime. Set by
/// pex-plan-arena on the operation computing a buffer (a function argument
/// or result when the arena holds the model's input and output), and kept
/// by the lowering on what it becomes (a kernel, a memref.alloc, a view).
constexpr llvm::StringLiteral kPlacementAttrName = "pex.placement";
/// On a pex.group: the placements of its results (an array, one entry per
/// result; unit for a result the arena does not hold).
constexpr llvm::StringLiteral kResultPlacementsAttrName = "pex.placements";
/// On a pex.group: the placements of its accumulators (an array, one per
/// `accumulate` value of its body); on a pex.stream, of the accumulator of
/// its last operator when that reduces all rows (an array of one).
constexpr llvm::StringLiteral kAccumulatorPlacementsAttrName =
    "pex.accumulator_placements";
/// `#pex.arena` on a planned function (pex-plan-arena) and on the arena
/// global made from it.
constexpr llvm::StringLiteral kArenaAttrName = "pex.arena";
/// With memory pools: on a planned function, the `#pex.pool`s, fastest
/// first (an array); on each pool's arena global, its `#pex.pool`. The
/// function's and the module's `#pex.arena` then sum the pools.
constexpr llvm::StringLiteral kPoolsAttrName = "pex.pools";
constexpr llvm::StringLiteral kPoolAttrName = "pex.pool";
/// On a module whose pools have linker sections: the section of each pool's
/// global, by symbol (a dictionary), until the globals are LLVM globals.
constexpr llvm::StringLiteral kSectionsAttrName = "pex.sections";
/// On an outlined kernel function: the #pex.layer it computes (profiles).
constexpr llvm::StringLiteral kLayerAttrName = "pex.layer";
/// On a planned function and the arena global: the size TensorFlow Lite
/// Micro's greedy first-fit planner would need for the same buffers (a
/// comparison figure).
constexpr llvm::StringLiteral kFirstFitSizeAttrName = "pex.first_fit_size";
/// Unit attribute on an argument of a bufferized model function that is one
/// of its outputs (a result turned into an output parameter).
constexpr llvm::StringLiteral kOutputArgAttrName = "pex.output";
/// Unit attribute on a tosa.rescale (SINGLE_ROUND, a result of at most 16
/// bits): its product is rounded as float32 arithmetic computes it,
/// fl(fl(x) * multiplier / 2^shift), then to the nearest integer, halves to
/// even, before the output zero point is added (ONNX Runtime's
/// requantisation, which the ONNX importer records so).
constexpr llvm::StringLiteral kFloat32RoundingAttrName = "pex.float32_rounding";
/// On a float tosa.mul by a constant fl(1 / d): the f32 d, by which its first
/// operand is divided instead, rounded once (ONNX Runtime's QuantizeLinear
/// computes x / scale; TOSA has no float division).
constexpr llvm::StringLiteral kDivisorAttrName = "pex.divisor";
/// On a model function's argument or result (pex-thread-variables): the
/// `tosa.variable` (a flat symbol reference) whose value before the run the
/// argument is, or whose value after the run the result is. From
/// pex-materialize-arena on, on the mutable global holding the variable
/// between runs (a unit attribute).
constexpr llvm::StringLiteral kVariableAttrName = "pex.variable";
/// Whether `value` is a function argument marked `pex.variable`: the value
/// a state kept between runs has when the run starts.
bool isVariableArgument(Value value);
/// On a partitioned function: the peak before partitioning (for reports).
constexpr llvm::StringLiteral kPeakBeforePartitionAttrName =
    "pex.peak_before_partition";
/// On the model function's arguments and results (the importers): the
/// model's tensor name and, when quantised, its scale and zero point.
constexpr llvm::StringLiteral kTensorNameAttrName = "pex.name";
constexpr llvm::StringLiteral kScaleAttrName = "pex.scale";
constexpr llvm::StringLiteral kZeroPointAttrName = "pex.zero_point";
/// On an i8 argument or result whose bytes are uint8 (a model's uint8 input
/// or output, converted at the boundary): the header's type is uint8_t.
constexpr llvm::StringLiteral kUnsignedAttrName = "pex.unsigned";
/// On the arena view that replaced a model input or output held in the
/// arena: the role ("input", "output"; "input0", "input1", ... when there are
/// several) that names its accessor, `pex_NAME_<role>()`.
constexpr llvm::StringLiteral kArenaIOAttrName = "pex.io";
/// On a pex.stream whose result pex-plan-arena placed over the rows of its
/// input that no later step reads, and on the storage of that result down
/// to its arena view (pex.buffer, memref.alloc, memref.view): the arena
/// offset of the input's buffer, which pex-verify-arena lets the result
/// share bytes with while both are live.
constexpr llvm::StringLiteral kOverConsumedInputAttrName =
    "pex.over_consumed_input";
/// On a tosa.concat (pex-plan-arena): the positions of the operands computed
/// in their slices of its result, whose producers write there (the
/// concatenation copies only the others).
constexpr llvm::StringLiteral kOperandsInResultAttrName =
    "pex.operands_in_result";
/// On an scf.for of the int8 micro-kernels (pex-lower-kernels), for
/// pex-dual-multiply-accumulate: the multiply-accumulate loop's layout (a
/// dictionary, lib/Conversion/TosaToLoops/MicroKernels.h) and the unit
/// attribute of the loop filling the im2col buffer; a planar filter's row
/// (a dictionary) and the unit attribute of its input row's conversion; the
/// unit attribute of a line buffer's word copy (pex.shift_rows).
constexpr llvm::StringLiteral kMicroKernelMacAttrName = "pex.mac";
constexpr llvm::StringLiteral kMicroKernelIm2ColAttrName = "pex.im2col";
constexpr llvm::StringLiteral kMicroKernelPlanarAttrName = "pex.planar";
constexpr llvm::StringLiteral kMicroKernelGatherAttrName = "pex.gather";
constexpr llvm::StringLiteral kMicroKernelCopyAttrName = "pex.copy";
/// On an scf.for of the int8 micro-kernels in the vector layouts
/// (pex-lower-kernels with vector-mac), for pex-vector-multiply-accumulate:
/// the dictionary {pixels, channels} of MicroKernels.h.
constexpr llvm::StringLiteral kMicroKernelVectorMacAttrName =
    "pex.vector_mac";
} // namespace mlir::pex

#endif // PEX_DIALECT_PEX_IR_PEXDIALECT_H

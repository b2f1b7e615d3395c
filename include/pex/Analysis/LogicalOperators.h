//===- LogicalOperators.h - Fusing operators into MCU kernels ---*- C++ -*-===//
//
// A logical operator is what one microcontroller kernel computes in one pass:
// an anchor operator (convolution, pooling, reduction, ...) followed by the
// element-wise operators that consume its result alone, e.g. an int8
// convolution with its rescale and clamp, or the rescale/add/rescale of an
// int8 residual add. The values between fused operators are never stored.
// The memory model and code generation both use this one partition, so what
// is counted is what is emitted.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_LOGICALOPERATORS_H
#define PEX_ANALYSIS_LOGICALOPERATORS_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::pex {

struct LogicalOperator {
  /// Member operations in block order. The last one, the sink, produces the
  /// only value that leaves the logical operator.
  SmallVector<Operation *> ops;
  /// The member that is not element-wise, if any: it defines the iteration
  /// space (a convolution's output) and reads its inputs at other indices.
  Operation *anchor = nullptr;

  Operation *getSink() const { return ops.back(); }
  /// The operation that names the logical operator in reports: the anchor, or
  /// the first member of a purely element-wise chain.
  Operation *getRepresentative() const { return anchor ? anchor : ops.front(); }
  /// Values defined outside the logical operator that it reads, in order of
  /// first use, constants included.
  SmallVector<Value> getExternalOperands() const;
};

/// True for operations that define no storage of their own: constants (they
/// live in flash) and views (a reshape aliases its input).
bool isStorageFree(Operation *op);

/// Whether the function returns `value`, directly or through reshapes (the
/// caller's output buffer then holds it).
bool isReturned(Value value);

/// True for operations that only reinterpret their source's bytes: reshapes,
/// and slices except one the function returns (copied into the output).
bool isViewOp(Operation *op);

/// Whether the logical operator may overwrite `operand` with its output: an
/// activation of the output's type that only element-wise members read
/// (each element before it is written), and that owns its storage (not a
/// view) or is a reshape of one (the same bytes in the same order). Whether
/// the operand dies here is for the caller to decide.
bool canWriteOver(const LogicalOperator &op, Value operand);

/// The first operand the logical operator may overwrite (canWriteOver).
std::optional<Value> getInPlaceCandidate(const LogicalOperator &op);

/// An operand an element-wise logical operator (no anchor) may write its
/// output over from the same first byte, though as a buffer of its own: an
/// activation of the output's shape whose elements are at least as wide (a
/// float input quantised to int8, a uint8 input to int8). The kernel's one
/// forward loop reads element i before writing it, and writes element i no
/// further than where element i was read from, so no byte is written before
/// its last read. Unlike getInPlaceCandidate's, the operand may be a model
/// input the arena holds.
std::optional<Value> getOverwritableOperand(const LogicalOperator &op);

/// Partitions the computations of `block` (TOSA operators, pex.group,
/// pex.stream and scf.for loops carrying tensors, each loop a logical
/// operator of its own; not constants, views or slices) into logical
/// operators, in the order of their sinks. An operation with a recorded
/// placement (`pex.placement`) is the sink of its logical operator.
SmallVector<LogicalOperator> formLogicalOperators(Block &block);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_LOGICALOPERATORS_H

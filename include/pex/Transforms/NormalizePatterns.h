//===- NormalizePatterns.h - TOSA graph normalisation -----------*- C++ -*-===//
//
// Rewrites that bring the TOSA graphs of every frontend to one form before
// planning, so that partial execution sees convolutions, channel-local
// operators and views instead of each converter's idioms. Each rewrite is
// exact: the function computes the same bits (float sums in another order
// only where documented).
//
//===----------------------------------------------------------------------===//

#ifndef PEX_TRANSFORMS_NORMALIZEPATTERNS_H
#define PEX_TRANSFORMS_NORMALIZEPATTERNS_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::pex {

/// An explicit pad read by a convolution, depthwise convolution or max pool
/// becomes that operator's own padding when the pad value is what the
/// operator pads with (the input zero point; the lowest value for max
/// pooling); a pad whose rank was lowered around reshapes (TOSA's level
/// check limits a pad's shape operand) gets its rank back first.
void populateFoldPadPatterns(RewritePatternSet &patterns);

/// An int8 tensor computed from another by element-wise operators with splat
/// constants (QDQ's float round trips: casts, add, sub, mul, maximum,
/// minimum; int8 tables and integer clamps), each read only by the next,
/// becomes one tosa.table of the chain's 256 results, computed with the
/// generated code's arithmetic (IEEE single precision; TOSA's casts).
void populateUnaryChainsToTablesPatterns(RewritePatternSet &patterns);

/// A slice that drops trailing rows or columns (what importers add so that
/// TOSA's windows divide exactly) moves toward the model input through the
/// window and element-wise operators that compute them: those operators
/// compute only what is read, and the chain between them is not cut by a
/// view.
void populateShrinkTrailingSlicePatterns(RewritePatternSet &patterns);

/// A 1x1 convolution (a fully connected layer) reading a flattened map
/// [1, H, W, C] is a convolution whose window covers the map: its input
/// channels are the map's channels again, so it can accumulate channel
/// slices of the map.
void populateFlattenedInputToConvPatterns(RewritePatternSet &patterns);

/// An integer mean's sums over rows and columns sum the columns first, and a
/// sum over columns of int8 values widened to i32 minus their zero point is
/// a depthwise convolution with weights 1 reading the int8 values.
void populateSumsOverColumnsPatterns(RewritePatternSet &patterns);

/// An element-wise operator reading a reshape that keeps the channels last
/// (a 1-D window's result reshaped back to the frontend's rank) runs before
/// it, so the reshapes around it meet and cancel and the chain through it is
/// not cut by a view; so does a reduction reading a reshape that only adds or
/// drops unit dimensions.
void populateElementwiseBeforeReshapePatterns(RewritePatternSet &patterns);

/// A producer that can compute any subset of its output channels (a
/// convolution, a fully connected layer), with the element-wise operators
/// after it and reshapes keeping the channels last, read only by slices of
/// disjoint channel ranges (a transformer's queries, keys and values cut from
/// one projection) becomes one producer per slice: no copies, each part dies
/// with its readers, and channels no slice reads are not computed.
void populateSplitBySlicesPatterns(RewritePatternSet &patterns);

/// Operators that move no data disappear: identities, and transposes that
/// a following transpose undoes (two transposes in a row become one).
void populateRemoveNoOpPatterns(RewritePatternSet &patterns);

} // namespace mlir::pex

#endif // PEX_TRANSFORMS_NORMALIZEPATTERNS_H

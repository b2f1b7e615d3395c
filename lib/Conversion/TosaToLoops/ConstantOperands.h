//===- ConstantOperands.h - Weights and parameters as globals ---*- C++ -*-===//
//
// Kernel operands that are compile-time constants (weights, biases,
// per-channel quantisation parameters) are views of constant memref globals:
// the whole global, or in partial execution's group loops a slice of it along
// its leading dimension (the output channels). An emitter that prepares data
// at compile time (biases corrected for the input zero point, weights in the
// order a kernel reads them) stores it in a new global and reads it at the
// same slice offset.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_CONSTANTOPERANDS_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_CONSTANTOPERANDS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <optional>

namespace mlir::pex::emit {

/// A memref that views a constant global whole or as a slice along one
/// dimension (every other dimension whole, unit strides).
struct ConstantSlice {
  memref::GlobalOp global;
  /// The global's value, all of it.
  DenseElementsAttr value;
  /// Where the view starts along the sliced dimension (index), built at the
  /// builder's insertion point from values that dominate the view.
  Value offset;
  /// The offsets along that dimension of the subviews from the memref to the
  /// global.
  SmallVector<OpFoldResult> offsets;
};

/// `memref` as a slice of a constant global along dimension `dim`, if it is
/// one.
std::optional<ConstantSlice> getConstantSlice(OpBuilder &builder, Location loc,
                                              Value memref, unsigned dim = 0);

/// Whether two slices provably start at the same offset (the same subview
/// offsets, as partial execution slices a layer's weights and biases).
bool sameSlice(const ConstantSlice &a, const ConstantSlice &b);

/// The private constant global `name` holding `value`, created beside
/// `neighbour` unless an emitter made it already; aligned to `alignment`
/// bytes (word loads of weights).
memref::GlobalOp getOrCreateConstant(memref::GlobalOp neighbour,
                                     StringRef name, DenseElementsAttr value,
                                     uint64_t alignment);

/// Aligns `global` to at least `alignment` bytes.
void alignGlobal(memref::GlobalOp global, uint64_t alignment);

/// Whether every offset of `slice` is provably a multiple of `factor` (a
/// constant, or a product or sum of such terms), as a packed layout that
/// groups `factor` channels needs.
bool isSliceAlignedTo(const ConstantSlice &slice, int64_t factor);

/// Per output channel, the bias with the input zero point folded in,
/// `bias - inputZp * sum(w - weightZp)` over the channel's weights (exact in
/// wrapping i32), computed at compile time into a new global and read at the
/// weights' slice offset. A bias of one element is shared.
class FoldedBiases {
public:
  /// Needs constant weights and bias, sliced alike: the weights' dimension
  /// `channelDim` indexes the output channels (0 for conv2d's [O, KH, KW,
  /// C], 2 for depthwise_conv2d's [KH, KW, C, 1]).
  static std::optional<FoldedBiases> get(OpBuilder &builder, Location loc,
                                         Value weights, Value bias,
                                         unsigned channelDim, int64_t inputZp,
                                         int64_t weightZp);

  /// The folded biases of a conv2d's slices along its input channels
  /// (partial execution's accumulating groups), whose weights are
  /// `regrouped` ([S * O, KH, KW, W]: row s * O + o holds output channel o
  /// over slice s's inputs) and named `regroupedName`: row r's bias is
  /// `bias[r % O]` (a constant, never sliced, or one shared element) minus
  /// the input zero point times the row's weights, read from row
  /// `firstRow`.
  static std::optional<FoldedBiases>
  getForInputSlices(OpBuilder &builder, Location loc,
                    DenseElementsAttr regrouped, StringRef regroupedName,
                    Value bias, int64_t inputZp, Value firstRow);

  /// The folded bias of output channel `channel` of the slice.
  Value load(OpBuilder &builder, Location loc, Value channel) const;

private:
  FoldedBiases(Value memref, Value offset) : memref(memref), offset(offset) {}
  Value memref, offset;
};

/// Kernel rows [rowBegin, rowEnd) by kernel columns [colBegin, colEnd) of a
/// filter: the taps an output of a window's border reads inside the input.
struct FilterPart {
  int64_t rowBegin, rowEnd, colBegin, colEnd;
};

/// Per output channel of a depthwise filter [KH, KW, C, M] (c * M + m) and
/// per part of it, the bias with the input zero point folded in over the
/// part's taps, `bias - inputZp * sum(w - weightZp)` (wrapping i32),
/// computed at compile time into a new global [C * M, parts] and read at the
/// weights' slice offset. A kernel that runs once per row (a stream's step)
/// would otherwise sum every channel's taps on every row.
class DepthwisePartBiases {
public:
  /// Needs constant weights sliced as HalfwordFilters reads them and a
  /// constant i32 bias sliced alike (or shared, one element).
  static std::optional<DepthwisePartBiases>
  get(OpBuilder &builder, Location loc, Value weights, Value bias,
      ArrayRef<FilterPart> parts, int64_t inputZp, int64_t weightZp);

  /// The folded bias of output channel `channel` of the slice over part
  /// `part` (an index into the parts given to `get`).
  Value load(OpBuilder &builder, Location loc, Value channel,
             int64_t part) const;

private:
  DepthwisePartBiases(Value memref, Value offset)
      : memref(memref), offset(offset) {}
  Value memref, offset;
};

/// A depthwise filter's int8 weights two per word, as 16-bit lanes, packed
/// at compile time into a new global [C * M, ceil(KH * KW / 2)] x i32 (by
/// output channel c * M + m) read at the weights' slice offset: tap
/// t = kh * KW + kw is lane t % 2 of word t / 2.
/// Halfword multiplies (SMLABB, SMLABT) read either lane where it is, so a
/// 3x3 filter is five registers instead of nine.
class HalfwordFilters {
public:
  /// Needs constant int8 weights [KH, KW, C, M], sliced along C (or along M
  /// when C is 1) or whole.
  static std::optional<HalfwordFilters> get(OpBuilder &builder, Location loc,
                                            Value weights);

  /// Tap (kh, kw) of output channel `channel` of the slice, as the i32 word
  /// holding it shifted so that an arithmetic shift right by 16 gives the
  /// weight.
  Value loadTap(OpBuilder &builder, Location loc, Value channel, int64_t kh,
                int64_t kw) const;

private:
  HalfwordFilters(Value memref, Value offset, int64_t kernelW)
      : memref(memref), offset(offset), kernelW(kernelW) {}
  Value memref, offset;
  int64_t kernelW;
};

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_CONSTANTOPERANDS_H

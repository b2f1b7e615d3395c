//===- MicroKernels.h - Dot-product micro-kernels ---------------*- C++ -*-===//
//
// The int8 convolutions are computed as small matrix products whose operands
// are laid out for the Armv7E-M DSP instructions (or, below, MVE's), and the loop computing a
// block of them is a micro-kernel: the emitters write it as an exact generic
// loop (any target) marked with `kMacAttr`, and on DSP targets
// pex-dual-multiply-accumulate replaces it by a hand-scheduled instruction
// sequence. This header is the contract between the two.
//
// A reduction of K int8 products is done in G = ceil(K / 4) groups of four
// (k = 4g .. 4g + 3; k >= K has zero weights). A group is two half-steps
// h = 0, 1, each pairing the 16-bit lanes [k = 4g + h, k = 4g + h + 2]: what
// SXTB16 and SXTB16 ROR #8 make of the word holding bytes 4g .. 4g + 3, and
// what SMLAD multiplies lane by lane and adds.
//
// Inputs (the receptive fields of P output pixels, "im2col"), int16:
//   memref<G x 2 x P x 2 x i16>, [g][h][p][l] = x_p[4g + h + 2l]
// so a half-step reads P consecutive words, one per pixel.
//
// Weights, int8, packed at compile time in one of two layouts:
//   pairs: memref<O/(2S) x G x 2 x S x 4 x i8>: S pairs of output channels
//     per half-step, word [b][g][h][s] holds, for channels c0 = 2(bS + s)
//     and c1 = c0 + 1, the bytes [w_c0(k), w_c1(k), w_c0(k + 2),
//     w_c1(k + 2)] with k = 4g + h: SXTB16 gives c0's lanes, SXTB16 ROR #8
//     c1's.
//   singles: memref<O x G x 4 x i8>, [c][g][b] = w_c[4g + b]: one word per
//     group, SXTB16 for half-step 0, SXTB16 ROR #8 for half-step 1.
//
// The marked loop is `scf.for %g = 0 to G step 1 iter_args(acc...)` whose
// body only loads the two operands at the group (inputs at [g, h, p, l],
// weights at [block..., g, ...]), multiplies their sign extensions and adds
// each product to one accumulator; accumulator order: pairs: [p][s][c],
// singles: [p].
//
// Vector layouts (targets with the M-profile vector extension, MVE): the
// reduction is done in V vectors of 16 consecutive k, each one VMLADAVA.S8
// (16 int8 products summed into an i32 accumulator) per pixel and channel,
// so inputs and weights stay int8 in their natural order:
//   inputs: im2col, memref<P x 16V x i8>, [p][k] = x_p[k] (zero past K,
//     V = ceil(K / 16)); or rows read in place, memref<N x K x i8>, whose
//     last vector may be partial.
//   weights: memref<B*C x 16V x i8>, [b*C + c][k] = w of the block's
//     channel c at k (zero past K and for padding channels), a channel's
//     vector one 16-byte load.
// The marked loop is `scf.for %v = 0 to V step 1 iter_args(acc...)`
// around `scf.for %l = 0 to L step 1 iter_args(...)`, L = 16, or, for rows
// whose depth K is not a multiple of 16, L = min(16, K - 16v): the lanes
// of a partial vector past K are not read (weights past K are zero all the
// same). The inner loop's body loads
// the P inputs at k = 16v + l (pixel by pixel), then the C weights at k
// (channel by channel), and adds each product of their sign extensions to
// its accumulator, [p][c].
//
//===----------------------------------------------------------------------===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_MICROKERNELS_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_MICROKERNELS_H

#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::pex::emit {

/// The loop attribute: a DictionaryAttr {pixels = P, pairs = S, input =
/// "im2col" | "rows"} (pairs = 0: the singles layout; "rows": one pixel whose
/// inputs are read in place, memref<N x K x i8>, [n][4g + h + 2l], K a
/// multiple of four), and with "rows", optionally pixel_stride = B: pixel
/// p's row starts B * p bytes after pixel 0's, or run_stride = R: the loop
/// covers one run of a receptive field read as several (its kernel rows),
/// it is the body of an scf.for over the runs from 0 by 1 that only carries
/// the accumulators through it, run r + 1 of each pixel starts R bytes after
/// run r, and the weights of run r + 1 follow those of run r; and `unrolled`
/// (either input): the DSP assembly unrolls all the groups (no loop counter).
constexpr llvm::StringLiteral kMacAttr = kMicroKernelMacAttrName;

/// Filling the input buffer, four inputs of one tap at a time: the loop
/// `scf.for %j = 0 to C / 4` marked with this unit attribute loads the int8
/// inputs 4j .. 4j + 3 (consecutive bytes along j) and stores input r,
/// sign-extended, at [g0 + j, r % 2, p, r / 2]: SXTB16 of the word and
/// SXTB16 ROR #8 of it are the half-steps' words.
constexpr llvm::StringLiteral kIm2ColAttr = kMicroKernelIm2ColAttrName;

/// A planar filter's row of outputs (PlanarFilter.h): the loop `scf.for %ow
/// = 0 to OW` marked with a DictionaryAttr {kernel_h = KH, kernel_w = KW,
/// stride = S} computes, for each output, the sum over kh, kw (in that
/// order, one int16 input load and one int8 weight load each) of
/// rows[base + kh, ow * S + kw] * w[kh, kw] and stores it to acc[ow]. The
/// rows memref<R x Wp x i16> holds KH consecutive input rows from `base`
/// on; Wp leaves room for reading a word past the last tap; `acc` may be
/// written one past OW - 1 (room for computing outputs in pairs).
constexpr llvm::StringLiteral kPlanarAttr = kMicroKernelPlanarAttrName;

/// A planar filter's input row: the loop `scf.for %iw = 0 to W` marked with
/// this unit attribute loads the int8 input of column iw (a fixed byte
/// stride apart) and stores it sign-extended to one or two int16 rows at
/// column iw (consecutive halfwords).
constexpr llvm::StringLiteral kGatherAttr = kMicroKernelGatherAttrName;

/// A line buffer's rows moved up (pex.shift_rows): the loop `scf.for %i = 0
/// to N` marked with this unit attribute loads word i + D (D > 0) of a
/// memref<M x i32> and stores it to word i of the same memref. The source
/// lies after the destination, so a forward copy of any block size is exact.
constexpr llvm::StringLiteral kCopyAttr = kMicroKernelCopyAttrName;

/// The largest number of output pixels a micro-kernel computes at once
/// through the im2col buffer; rows of consecutive pixels take one more.
constexpr int64_t kMaxMacPixels = 3;

/// The largest pixel_stride of four pixels the DSP micro-kernels address from
/// one pointer (Thumb-2 loads' 12-bit offsets).
constexpr int64_t kMaxPixelStride = 4095 / 3;

/// Pairs over rows with a pixel_stride and at most this many groups are
/// unrolled whole (`unrolled`): without a loop counter, the DSP micro-kernels'
/// registers hold three pixels (keyword_spotting_on_off_v3's slices of
/// depth 40: 11.97 M estimated cycles with the loop, 11.80 M unrolled);
/// single channels over such rows too (the same four pixels, no counter).
/// So are blocks through the im2col buffer (at fixed offsets) of as many
/// groups: the counter and the branches go (estimated cycles, default
/// build: keyword_spotting_on_off_v3 11.84 M -> 11.25 M, zoo MCUNet -3 %,
/// vww_96_int8 -1 %; with 16 groups vww_96_int8 gains 0.5 % more but
/// kws_ref_model's flash grows 20 %).
constexpr int64_t kMaxStraightGroups = 12;

/// The vector micro-kernels' loop attribute: a DictionaryAttr {pixels = P,
/// channels = C}.
constexpr llvm::StringLiteral kVectorMacAttr = kMicroKernelVectorMacAttrName;
/// Products per vector: 16 int8 lanes of a 128-bit MVE register.
constexpr int64_t kVectorLanes = 16;
/// Output pixels and channels of a vector micro-kernel (P x C accumulators):
/// VMLADAVA accumulates in an even-numbered register (r0, r2, .. r12: seven
/// at most). Three pixels by two channels execute fewer instructions than
/// two by two on every shared int8 model but rock_paper_scissors (+1 %):
/// person_detect 5.99 M -> 5.33 M, vww_96_int8 6.18 M -> 5.86 M, the
/// block's set-up and loads shared by six outputs instead of four.
constexpr int64_t kVectorMacPixels = 3;
constexpr int64_t kVectorMacChannels = 2;
/// Channels of a micro-kernel of one pixel (a fully connected layer): four,
/// not six (anomaly_detection's dense layers: 65.0 K instructions with
/// four, 78.7 K with six).
constexpr int64_t kVectorMacPixelChannels = 4;

/// Accumulators of a micro-kernel: P pixels by 2S channels, or P.
inline int64_t macAccumulators(int64_t pixels, int64_t pairs) {
  return pairs == 0 ? pixels : pixels * 2 * pairs;
}

/// The attribute of a marked dot-product loop (kMacAttr): `pixelStride` and
/// `runStride` are recorded when non-zero.
DictionaryAttr getMacAttr(Builder &builder, int64_t pixels, int64_t pairs,
                          bool rows, int64_t pixelStride = 0,
                          int64_t runStride = 0, bool unrolled = false);

/// The indices [g, h, p, lane] of an im2col buffer (the int16 inputs'
/// layout above).
SmallVector<Value> getIm2ColIndices(OpBuilder &builder, Location loc, Value g,
                                    int64_t h, int64_t p, int64_t lane);

/// Reads lane `lane` of half-step `h` of group `g` for pixel `p`: an int16
/// of the im2col buffer, or an int8 of a row read in place.
using MacInputLoad = llvm::function_ref<Value(
    OpBuilder &, Location, Value g, int64_t h, int64_t p, int64_t lane)>;
/// Reads the int8 weight of group `g` at `rest`: [byte] (singles) or [h, s,
/// byte] (pairs).
using MacWeightLoad = llvm::function_ref<Value(OpBuilder &, Location, Value g,
                                               ArrayRef<int64_t> rest)>;

/// The generic marked dot-product loop `scf.for %g = 0 to groups` from the
/// accumulators `init` (macAccumulators of `attr`'s pixels and pairs), its
/// loads in the order the lowerings take the operands' first words from.
/// The weights read are those of group `firstWeightGroup + g` (a run's, in
/// a loop over runs) when `firstWeightGroup` is given, else of group g.
scf::ForOp buildMacLoop(OpBuilder &builder, Location loc, int64_t groups,
                        ValueRange init, DictionaryAttr attr,
                        MacInputLoad loadInput, MacWeightLoad loadWeight,
                        Value firstWeightGroup = {});

/// Replaces the marked loops under `root` by their Armv7E-M assembly
/// (MicroKernelsDsp.cpp).
LogicalResult lowerMicroKernelsToDsp(Operation *root);

/// `value`, computed inside `loop` (or outside it), cloned at the builder
/// with `mapping` (the induction variables at the iteration wanted).
Value cloneAt(OpBuilder &builder, scf::ForOp loop, IRMapping &mapping,
              Value value);

/// The byte address of `memref[indices]`, whose index computations inside
/// `loop` are cloned at the builder with `mapping` (the induction variables
/// at the iteration wanted), as an LLVM pointer.
Value byteAddressAt(OpBuilder &builder, Location loc, scf::ForOp loop,
                    IRMapping &mapping, Value memref, ValueRange indices);

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_MICROKERNELS_H

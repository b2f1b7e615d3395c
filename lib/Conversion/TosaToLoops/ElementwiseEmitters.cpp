//===- ElementwiseEmitters.cpp - TOSA element-wise operators ----*- C++ -*-===//
//
// Scalar code for one output element of each element-wise TOSA operator,
// following the TOSA 1.0 specification (and upstream tosa-to-linalg, the
// reference lowering Pex is compared against).
//
//===----------------------------------------------------------------------===//

#include "ConstantOperands.h"
#include "EmitterUtils.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// An element-wise operator whose scalar depends only on its loaded operands
/// (broadcast to the output element) and its attributes.
template <typename ConcreteModel, typename OpTy>
struct ElementwiseEmitter
    : KernelEmitterOpInterface::ExternalModel<ConcreteModel, OpTy> {
  Value emitElement(Operation *op, OpBuilder &builder,
                    KernelOperands &operands, ValueRange indices) const {
    SmallVector<Value> scalars;
    for (unsigned index : ConcreteModel::getActivationOperands(op))
      scalars.push_back(loadBroadcast(op, builder, operands, index, indices));
    Type resultType =
        cast<ShapedType>(op->getResult(0).getType()).getElementType();
    return static_cast<const ConcreteModel *>(this)->compute(
        cast<OpTy>(op), builder, op->getLoc(), scalars, resultType, operands);
  }
  static SmallVector<unsigned> getActivationOperands(Operation *op) {
    return llvm::to_vector(llvm::seq<unsigned>(0, op->getNumOperands()));
  }
};

/// The integer or float variant of one binary operation.
template <typename IntOp, typename FloatOp>
Value buildBinary(OpBuilder &builder, Location loc, ValueRange s, Type type) {
  if (isa<FloatType>(type))
    return FloatOp::create(builder, loc, s[0], s[1]);
  return IntOp::create(builder, loc, s[0], s[1]);
}

/// Binary arithmetic: integer or float variants of one operation.
template <typename OpTy, typename IntOp, typename FloatOp>
struct BinaryEmitter
    : ElementwiseEmitter<BinaryEmitter<OpTy, IntOp, FloatOp>, OpTy> {
  Value compute(OpTy, OpBuilder &builder, Location loc, ValueRange s,
                Type type, KernelOperands &) const {
    return buildBinary<IntOp, FloatOp>(builder, loc, s, type);
  }
};

/// add and sub, whose results are bounded by the sum of their operands'
/// bounds (TFLite's residual adds rescale each input to i32 and add them
/// before the output's rescale).
template <typename OpTy, typename IntOp, typename FloatOp>
struct SumEmitter : ElementwiseEmitter<SumEmitter<OpTy, IntOp, FloatOp>, OpTy> {
  Value compute(OpTy, OpBuilder &builder, Location loc, ValueRange s, Type type,
                KernelOperands &) const {
    return buildBinary<IntOp, FloatOp>(builder, loc, s, type);
  }
  std::optional<int64_t> getMagnitudeBound(Operation *op,
                                           KernelOperands &operands) const {
    std::optional<int64_t> lhs = getOperandBound(op, operands, 0);
    std::optional<int64_t> rhs = getOperandBound(op, operands, 1);
    if (!lhs || !rhs || *lhs + *rhs >= (int64_t(1) << 31))
      return std::nullopt;
    return *lhs + *rhs;
  }
};

/// Comparisons produce i1.
template <typename OpTy, arith::CmpIPredicate IntPredicate,
          arith::CmpFPredicate FloatPredicate>
struct CompareEmitter
    : ElementwiseEmitter<CompareEmitter<OpTy, IntPredicate, FloatPredicate>,
                         OpTy> {
  Value compute(OpTy, OpBuilder &builder, Location loc, ValueRange s, Type,
                KernelOperands &) const {
    if (isa<FloatType>(s[0].getType()))
      return arith::CmpFOp::create(builder, loc, FloatPredicate, s[0], s[1]);
    return arith::CmpIOp::create(builder, loc, IntPredicate, s[0], s[1]);
  }
};

/// mul: integer products are computed in the output type and shifted right
/// with rounding when a shift is given; a float product marked pex.divisor
/// is that division.
struct MulEmitter : ElementwiseEmitter<MulEmitter, tosa::MulOp> {
  static SmallVector<unsigned> getActivationOperands(Operation *) {
    return {0, 1};
  }
  Value compute(tosa::MulOp op, OpBuilder &builder, Location loc,
                ValueRange s, Type type, KernelOperands &operands) const {
    if (auto divisor = op->getAttrOfType<FloatAttr>(kDivisorAttrName))
      return arith::DivFOp::create(
          builder, loc, s[0],
          arith::ConstantOp::create(builder, loc, type, divisor));
    if (isa<FloatType>(type))
      return arith::MulFOp::create(builder, loc, s[0], s[1]);
    std::optional<int64_t> shift = getIntConstant(operands, 2);
    if (!shift) {
      op.emitOpError("needs a compile-time shift");
      return {};
    }
    Value a = castInt(builder, loc, s[0], type);
    Value b = castInt(builder, loc, s[1], type);
    if (*shift == 0)
      return arith::MulIOp::create(builder, loc, a, b);
    Type wide = builder.getI64Type();
    Value product = arith::MulIOp::create(builder, loc,
                                          castInt(builder, loc, a, wide),
                                          castInt(builder, loc, b, wide));
    Value rounded = arith::AddIOp::create(
        builder, loc, product,
        constantInt(builder, loc, wide, int64_t(1) << (*shift - 1)));
    Value shifted = arith::ShRSIOp::create(
        builder, loc, rounded, constantInt(builder, loc, wide, *shift));
    return castInt(builder, loc, shifted, type);
  }
};

struct ClampEmitter : ElementwiseEmitter<ClampEmitter, tosa::ClampOp> {
  Value compute(tosa::ClampOp op, OpBuilder &builder, Location loc,
                ValueRange s, Type type, KernelOperands &) const {
    if (isa<FloatType>(type)) {
      auto low = cast<FloatAttr>(op.getMinValAttr());
      auto high = cast<FloatAttr>(op.getMaxValAttr());
      Value clamped = arith::MaximumFOp::create(
          builder, loc, s[0],
          arith::ConstantOp::create(builder, loc, low).getResult());
      return arith::MinimumFOp::create(
          builder, loc, clamped,
          arith::ConstantOp::create(builder, loc, high).getResult());
    }
    auto low = cast<IntegerAttr>(op.getMinValAttr()).getInt();
    auto high = cast<IntegerAttr>(op.getMaxValAttr()).getInt();
    return clampInt(builder, loc, s[0], low, high);
  }
};

/// The range of the shifts operand `index` can hold, if known.
std::optional<std::pair<int64_t, int64_t>>
getShiftRange(KernelOperands &operands, unsigned index) {
  DenseElementsAttr shifts = operands.getConstantSource(index);
  if (!shifts || !isa<IntegerType>(shifts.getElementType()) ||
      shifts.empty())
    return std::nullopt;
  int64_t low = INT64_MAX, high = INT64_MIN;
  for (const APInt &shift : shifts.getValues<APInt>()) {
    low = std::min(low, shift.getSExtValue());
    high = std::max(high, shift.getSExtValue());
  }
  return std::make_pair(low, high);
}

/// The rounding 2^(shift - 1) plus the output zero point times 2^shift in
/// units of 2^unit (shift > unit): the addend of the word the fast
/// apply_scale paths shift, applyScaleHighWord's high word (unit 32) or
/// applyScaleDoubled's y (unit 31).
int64_t roundingTerm(int64_t shift, int64_t zeroPoint, int64_t unit) {
  return (int64_t(1) << (shift - 1 - unit)) +
         zeroPoint * (int64_t(1) << (shift - unit));
}

/// roundingTerm of an i32 shift known only as a value.
Value buildRoundingTerm(OpBuilder &builder, Location loc, Value shift,
                        int64_t zeroPoint, int64_t unit) {
  Type i32 = builder.getI32Type();
  Value exponent = arith::SubIOp::create(builder, loc, shift,
                                         constantInt(builder, loc, i32, unit));
  Value term = arith::ShLIOp::create(
      builder, loc, constantInt(builder, loc, i32, 1),
      arith::SubIOp::create(builder, loc, exponent,
                            constantInt(builder, loc, i32, 1)));
  if (zeroPoint == 0)
    return term;
  return arith::AddIOp::create(
      builder, loc, term,
      arith::ShLIOp::create(
          builder, loc, constantInt(builder, loc, i32, zeroPoint), exponent));
}

/// Against a constant multiplier (a per-tensor rescale), hides the
/// multiplier and the value from LLVM, which would otherwise fold what it
/// knows into the 64-bit product (the doubling into the constant, whose
/// double no longer fits 32 bits; the constant hoisted out of the loop as a
/// 64-bit value of unknown sign; the sign term rewritten as a compare of the
/// value's origin; a value known non-negative times a multiplier of unknown
/// sign), which is then no longer one signed 32x32 multiply (SMMUL, SMMLA,
/// SMMLAR) but UMULL, ASR, MLA and carries (TFLite's residual adds;
/// PyTorch's per-tensor int8 convolutions). The hidden multiplier leaves the
/// loop (the statement touches no memory, CodeEmitter.cpp); the hidden value
/// stays, and LLVM unrolls some short loops no more (a QDQ concatenation's
/// rescales of four channels). A multiplier loaded per channel leaves
/// nothing to fold, and hiding its value only constrains LLVM's scheduling
/// (keyword_spotting_on_off_v3's depthwise kernels +4.8 % estimated cycles).
void hideConstantScale(OpBuilder &builder, Location loc, Value &value,
                       Value &multiplier) {
  if (!matchPattern(multiplier, m_Constant()))
    return;
  multiplier = hideProvenance(builder, loc, multiplier);
  value = hideProvenance(builder, loc, value);
}

/// tosa.apply_scale for shifts in [32, 63], as for the rescales after
/// convolutions (multipliers in [2^30, 2^31), scales below 1): the 64-bit
/// product plus the rounding, of which only the high word is shifted (by
/// shift - 32), in 32 bits. The same bits as the general lowering (the high
/// word of a 64-bit value always fits), which shifts 64 bits by a variable
/// amount: on a 32-bit core one multiply-accumulate (SMLAL) and a shift
/// instead of a dozen instructions.
///
/// With shifts in [33, 62] the rounding 2^(shift - 1) is a multiple of 2^32:
/// the addend of the multiply-accumulate is the pair (high word: 2^(shift -
/// 33), low word: 0), plus double rounding's 2^30 for a value >= 0, -2^30
/// below: (high - 1, 0xC0000000) then. Adding `outputZp * 2^(shift - 32)` to
/// the high word adds exactly the output zero point to the result, so it is
/// folded in when `foldZeroPoint` (the caller checked that the high word
/// cannot overflow). What depends only on the shift is computed once per
/// channel when the channel is an outer loop.
///
/// `roundingHigh`, if given, is that high word (before double rounding's
/// sign), read from a table made at compile time (loadRoundingTerm, unit
/// 32).
Value applyScaleHighWord(OpBuilder &builder, Location loc, Value value,
                         Value multiplier, Value shift, bool doubleRound,
                         bool roundInHighWord, int64_t foldedZeroPoint,
                         Value roundingHigh) {
  Type i64 = builder.getI64Type(), i32 = builder.getI32Type();
  auto wideConstant = [&](int64_t v) { return constantInt(builder, loc, i64, v); };
  auto narrowConstant = [&](int64_t v) {
    return constantInt(builder, loc, i32, v);
  };
  Value wideValue = castInt(builder, loc, value, i64);
  Value narrowShift = castInt(builder, loc, shift, i32, /*isUnsigned=*/true);
  Value product = arith::MulIOp::create(
      builder, loc, wideValue, castInt(builder, loc, multiplier, i64));
  Value rest =
      arith::SubIOp::create(builder, loc, narrowShift, narrowConstant(32));
  if (!roundInHighWord) {
    Value wideShift = castInt(builder, loc, shift, i64, /*isUnsigned=*/true);
    Value round = arith::ShLIOp::create(
        builder, loc, wideConstant(1),
        arith::SubIOp::create(builder, loc, wideShift, wideConstant(1)));
    Value sum = arith::AddIOp::create(builder, loc, product, round);
    if (doubleRound) {
      // + 2^30 for a value >= 0, - 2^30 below: 2^30, less 2^31 if negative.
      Value negative = arith::ShLIOp::create(
          builder, loc,
          arith::ShRSIOp::create(builder, loc, wideValue, wideConstant(63)),
          wideConstant(31));
      sum = arith::AddIOp::create(
          builder, loc, sum,
          arith::AddIOp::create(builder, loc, negative,
                                wideConstant(int64_t(1) << 30)));
    }
    Value high = castInt(
        builder, loc,
        arith::ShRSIOp::create(builder, loc, sum, wideConstant(32)), i32);
    return arith::ShRSIOp::create(builder, loc, high, rest);
  }
  // The addend's high word: 2^(shift - 33) + outputZp * 2^(shift - 32).
  Value high = roundingHigh ? roundingHigh
                            : buildRoundingTerm(builder, loc, narrowShift,
                                                foldedZeroPoint, 32);
  Value low = narrowConstant(0);
  if (doubleRound) {
    // high + (value >> 31) and 2^30 | (value & 2^31): an ADD with an
    // arithmetic-shifted operand and an AND/ORR pair.
    high = arith::AddIOp::create(
        builder, loc, high,
        arith::ShRSIOp::create(builder, loc, value, narrowConstant(31)));
    low = arith::OrIOp::create(
        builder, loc, narrowConstant(1 << 30),
        arith::AndIOp::create(builder, loc, value,
                              narrowConstant(static_cast<int32_t>(0x80000000u))));
  }
  Value addend = arith::OrIOp::create(
      builder, loc,
      arith::ShLIOp::create(builder, loc,
                            castInt(builder, loc, high, i64, true),
                            wideConstant(32)),
      castInt(builder, loc, low, i64, true));
  Value sum = arith::AddIOp::create(builder, loc, product, addend);
  Value result = castInt(
      builder, loc, arith::ShRSIOp::create(builder, loc, sum, wideConstant(32)),
      i32);
  return arith::ShRSIOp::create(builder, loc, result, rest);
}

/// tosa.apply_scale with double rounding for shifts in [32, 62] and values
/// with |value| < 2^30 (a bound the value's producer gives): with y =
/// floor((value * multiplier + 2^30) / 2^31) and s the shift, the result
/// floor((value * multiplier + 2^(s - 1) +- 2^30) / 2^s) is floor((y +
/// 2^(s - 32) + (value >> 31)) / 2^(s - 31)) (TFLite's two roundings, the
/// second one away from zero; the sign of value serves for y's), and y plus
/// an addend a is the high word of (2 value) * multiplier + a * 2^32 + 2^31:
/// on Arm one SMMLAR, after an ADD of value >> 31 to the per-channel term and
/// the doubling. One instruction and one register fewer than the
/// multiply-accumulate onto a (high, low) pair, whose low word needs the
/// value's sign bit. Exact while |y + a| < 2^31, which the caller checked.
///
/// `channelTerm`, if given, is 2^(s - 32) + foldedZeroPoint * 2^(s - 31)
/// per channel from a table made at compile time; the folded zero point is
/// then part of the result.
Value applyScaleDoubled(OpBuilder &builder, Location loc, Value value,
                        Value multiplier, Value shift, int64_t foldedZeroPoint,
                        Value channelTerm) {
  Type i64 = builder.getI64Type(), i32 = builder.getI32Type();
  auto wideConstant = [&](int64_t v) {
    return constantInt(builder, loc, i64, v);
  };
  auto narrowConstant = [&](int64_t v) {
    return constantInt(builder, loc, i32, v);
  };
  Value narrowShift = castInt(builder, loc, shift, i32, /*isUnsigned=*/true);
  // s - 31: the shift of y.
  Value rest =
      arith::SubIOp::create(builder, loc, narrowShift, narrowConstant(31));
  Value term = channelTerm ? channelTerm
                           : buildRoundingTerm(builder, loc, narrowShift,
                                               foldedZeroPoint, 31);
  Value addend = arith::AddIOp::create(
      builder, loc, term,
      arith::ShRSIOp::create(builder, loc, value, narrowConstant(31)));
  Value doubled = arith::ShLIOp::create(builder, loc, value, narrowConstant(1));
  Value product =
      arith::MulIOp::create(builder, loc, castInt(builder, loc, doubled, i64),
                            castInt(builder, loc, multiplier, i64));
  Value sum = arith::AddIOp::create(
      builder, loc, product,
      arith::ShLIOp::create(builder, loc,
                            castInt(builder, loc, addend, i64, true),
                            wideConstant(32)));
  sum =
      arith::AddIOp::create(builder, loc, sum, wideConstant(int64_t(1) << 31));
  Value high =
      castInt(builder, loc,
              arith::ShRUIOp::create(builder, loc, sum, wideConstant(32)), i32);
  return arith::ShRSIOp::create(builder, loc, high, rest);
}

/// Element `channel` of `table`, a constant derived at compile time from the
/// global `slice` views (one entry per element of the global), read at the
/// slice's offset. The table is a global named `name`, made once.
Value loadDerivedTable(OpBuilder &builder, Location loc,
                       const ConstantSlice &slice, StringRef name,
                       DenseElementsAttr table, Value channel) {
  memref::GlobalOp global = getOrCreateConstant(slice.global, name, table, 4);
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return memref::LoadOp::create(
      builder, loc, memref,
      ValueRange{arith::AddIOp::create(builder, loc, slice.offset, channel)});
}

/// roundingTerm of each shift of a per-channel shift operand that views a
/// constant global, from a table made at compile time; null otherwise.
Value loadRoundingTerm(OpBuilder &builder, Location loc,
                       KernelOperands &operands, unsigned index, Value channel,
                       int64_t zeroPoint, int64_t unit) {
  Value shifts = operands.getMemRef(index);
  std::optional<ConstantSlice> slice =
      shifts ? getConstantSlice(builder, loc, shifts) : std::nullopt;
  if (!slice || !isa<IntegerType>(slice->value.getElementType()))
    return {};
  SmallVector<int32_t> table;
  for (const APInt &shift : slice->value.getValues<APInt>()) {
    int64_t s = shift.getSExtValue();
    // Channels whose shift is not above the unit take the general path
    // (mixed layers): no entry.
    table.push_back(
        s <= unit ? 0 : static_cast<int32_t>(roundingTerm(s, zeroPoint, unit)));
  }
  auto type = RankedTensorType::get(slice->value.getType().getShape(),
                                    builder.getI32Type());
  std::string name =
      (slice->global.getSymName() +
       (unit == 32 ? "_rounding" : "_doubled_rounding") +
       Twine(zeroPoint < 0 ? "m" : "") + Twine(std::abs(zeroPoint)))
          .str();
  return loadDerivedTable(
      builder, loc, *slice, name,
      DenseElementsAttr::get(type, ArrayRef<int32_t>(table)), channel);
}

/// rescale of an i48 value (a 16x8 convolution's accumulator, which the
/// anchor computes in i64), for which TOSA takes a 16-bit multiplier
/// (scale32 = false): apply_scale_16, (x - input_zp) * m + 2^(shift - 1) >>
/// shift in 64 bits, plus output_zp, saturated. That is TFLite's int64
/// MultiplyByQuantizedMultiplier, whose multiplier is rounded to 16 bits.
Value emitWideRescale(tosa::RescaleOp rescale, OpBuilder &builder, Location loc,
                      KernelOperands &operands, Value value, Value channel,
                      int64_t inputZp, int64_t outputZp) {
  if (rescale.getScale32() || rescale.getInputUnsigned() ||
      rescale.getOutputUnsigned()) {
    rescale.emitOpError("of a 48-bit value needs scale32 = false and signed "
                        "values");
    return {};
  }
  Type i64 = builder.getI64Type();
  Type resultType = cast<ShapedType>(rescale.getType()).getElementType();
  auto constant = [&](int64_t v) { return constantInt(builder, loc, i64, v); };
  Value wide = castInt(builder, loc, value, i64);
  if (inputZp != 0)
    wide = arith::SubIOp::create(builder, loc, wide, constant(inputZp));
  Value multiplier =
      castInt(builder, loc, operands.load(builder, loc, 1, {channel}), i64);
  Value shift = castInt(builder, loc, operands.load(builder, loc, 2, {channel}),
                        i64, /*isUnsigned=*/true);
  Value round = arith::ShLIOp::create(
      builder, loc, constant(1),
      arith::SubIOp::create(builder, loc, shift, constant(1)));
  Value scaled = arith::ShRSIOp::create(
      builder, loc,
      arith::AddIOp::create(
          builder, loc, arith::MulIOp::create(builder, loc, wide, multiplier),
          round),
      shift);
  if (outputZp != 0)
    scaled = arith::AddIOp::create(builder, loc, scaled, constant(outputZp));
  scaled = clampInt(builder, loc, scaled, minSigned(resultType),
                    maxSigned(resultType));
  return castInt(builder, loc, scaled, resultType);
}

/// A rescale's input and output zero points, if compile-time constants; an
/// unsigned side's is unsigned too (128, stored as i8 -128).
std::optional<std::pair<int64_t, int64_t>>
getRescaleZeroPoints(tosa::RescaleOp rescale, KernelOperands &operands) {
  std::optional<int64_t> inputZp = getIntConstant(operands, 3);
  std::optional<int64_t> outputZp = getIntConstant(operands, 4);
  if (!inputZp || !outputZp)
    return std::nullopt;
  auto zeroExtend = [](int64_t zeroPoint, Value side) {
    unsigned width = getElementTypeOrSelf(side).getIntOrFloatBitWidth();
    return width < 64 ? zeroPoint & ((int64_t(1) << width) - 1) : zeroPoint;
  };
  if (rescale.getInputUnsigned())
    inputZp = zeroExtend(*inputZp, rescale.getInput());
  if (rescale.getOutputUnsigned())
    outputZp = zeroExtend(*outputZp, rescale.getOutput());
  return std::make_pair(*inputZp, *outputZp);
}

/// A bound on |x - input_zp|, the value a rescale scales: its producer's (a
/// convolution's outputs, a rescale's, a sum's), or its type's when
/// narrower than 32 bits.
std::optional<int64_t>
getCentredInputBound(Operation *op, KernelOperands &operands, int64_t inputZp) {
  std::optional<int64_t> bound = getOperandBound(op, operands, 0);
  if (!bound)
    return std::nullopt;
  return *bound + std::abs(inputZp);
}

/// x rounded to the nearest multiple of 2^k, halves to even, over 2^k
/// (x, k: i64, 0 <= k < 63).
Value roundHalfToEvenShift(OpBuilder &b, Location loc, Value x, Value k) {
  Type i64 = b.getI64Type();
  auto c = [&](int64_t v) { return constantInt(b, loc, i64, v); };
  // (x + 2^(k-1) - 1 + (x >> k & 1)) >> k: the odd quotient's half goes up.
  Value quotientOdd =
      arith::AndIOp::create(b, loc, arith::ShRSIOp::create(b, loc, x, k), c(1));
  Value kLessOne = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, k, c(1)), c(0));
  Value half = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, c(1), kLessOne), c(1));
  Value rounded = arith::ShRSIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, x,
                            arith::AddIOp::create(b, loc, half, quotientOdd)),
      k);
  Value exact =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, k, c(0));
  return arith::SelectOp::create(b, loc, exact, x, rounded);
}

/// x (i64, |x| < 2^63) rounded to 24 significant bits, halves to even: the
/// float32 value nearest x, as an integer.
Value roundToFloat32(OpBuilder &b, Location loc, Value x) {
  Type i64 = b.getI64Type();
  auto c = [&](int64_t v) { return constantInt(b, loc, i64, v); };
  Value magnitude = math::AbsIOp::create(b, loc, x);
  Value bits = arith::SubIOp::create(
      b, loc, c(64), math::CountLeadingZerosOp::create(b, loc, magnitude));
  Value dropped = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, bits, c(24)), c(0));
  return arith::ShLIOp::create(b, loc, roundHalfToEvenShift(b, loc, x, dropped),
                               dropped);
}

/// The per-channel float32 multipliers m / 2^s of a rescale whose multiplier
/// and shift operands view constant globals sliced alike, from a table made
/// at compile time; null otherwise.
Value loadFloatMultiplier(OpBuilder &builder, Location loc,
                          KernelOperands &operands, Value channel) {
  Value multiplierMemRef = operands.getMemRef(1),
        shiftMemRef = operands.getMemRef(2);
  if (!multiplierMemRef || !shiftMemRef)
    return {};
  std::optional<ConstantSlice> multipliers =
      getConstantSlice(builder, loc, multiplierMemRef);
  std::optional<ConstantSlice> shifts =
      getConstantSlice(builder, loc, shiftMemRef);
  if (!multipliers || !shifts || !sameSlice(*multipliers, *shifts) ||
      multipliers->value.getNumElements() != shifts->value.getNumElements() ||
      !isa<IntegerType>(multipliers->value.getElementType()) ||
      !isa<IntegerType>(shifts->value.getElementType()))
    return {};
  SmallVector<float> table;
  for (auto [m, s] : llvm::zip(multipliers->value.getValues<APInt>(),
                               shifts->value.getValues<APInt>()))
    table.push_back(static_cast<float>(
        std::ldexp(static_cast<double>(m.getSExtValue()), -s.getSExtValue())));
  auto type = RankedTensorType::get(multipliers->value.getType().getShape(),
                                    builder.getF32Type());
  // Named by both globals: layers sharing one multiplier global (alike
  // multipliers) may have other shifts.
  return loadDerivedTable(builder, loc, *multipliers,
                          (multipliers->global.getSymName() + "_" +
                           shifts->global.getSymName() + "_float32")
                              .str(),
                          DenseElementsAttr::get(type, ArrayRef<float>(table)),
                          channel);
}

/// round_half_to_even(fl(fl(value) * multiplier / 2^shift)) + outputZp, as
/// i32, saturated no further than the result type's range needs: a rescale
/// marked pex.float32_rounding. Targets whose FPU rounds conversions compute
/// it in float32 (the multiplier exact in float32: at most 24 significant
/// bits) and add the zero point saturating (QADD: a plain add LLVM would
/// prove in range and move past the clamp, which then is no SSAT); others in
/// integers, exactly: the product rounded to 24 significant bits and then to
/// an integer, which differs from rounding the exact product once only near
/// a half-integer, so only there (and for values float32 does not hold
/// exactly) the long way, limited to [-2^16, 2^16) (past which every result
/// of at most 16 bits saturates).
Value applyScaleFloat32(tosa::RescaleOp rescale, OpBuilder &builder,
                        Location loc, KernelOperands &operands, Value value,
                        Value multiplier, Value shift, Value channel,
                        int64_t outputZp) {
  Type i32 = builder.getI32Type(), i64 = builder.getI64Type(),
       f32 = builder.getF32Type();
  if (operands.getTarget().roundingConversion) {
    Value factor = rescale.getPerChannel()
                       ? loadFloatMultiplier(builder, loc, operands, channel)
                       : Value();
    if (!factor) {
      // m * 2^-s: 2^-s is the float with biased exponent 127 - s (s <= 62).
      Value power = arith::ShLIOp::create(
          builder, loc,
          arith::SubIOp::create(
              builder, loc, constantInt(builder, loc, i32, 127),
              castInt(builder, loc, shift, i32, /*isUnsigned=*/true)),
          constantInt(builder, loc, i32, 23));
      factor = arith::MulFOp::create(
          builder, loc, arith::SIToFPOp::create(builder, loc, f32, multiplier),
          arith::BitcastOp::create(builder, loc, f32, power));
    }
    Value product = arith::MulFOp::create(
        builder, loc, arith::SIToFPOp::create(builder, loc, f32, value),
        factor);
    Value rounded = convertWithFPURounding(builder, loc, product);
    if (outputZp == 0)
      return rounded;
    return LLVM::SAddSat::create(builder, loc, rounded,
                                 constantInt(builder, loc, i32, outputZp));
  }
  auto c = [&](int64_t v) { return constantInt(builder, loc, i64, v); };
  Value wideValue = castInt(builder, loc, value, i64);
  Value wideMultiplier = castInt(builder, loc, multiplier, i64);
  Value wideShift = castInt(builder, loc, shift, i64, /*isUnsigned=*/true);
  Value product =
      arith::MulIOp::create(builder, loc, wideValue, wideMultiplier);
  Value sum = arith::AddIOp::create(
      builder, loc, product,
      arith::ShLIOp::create(
          builder, loc, c(1),
          arith::SubIOp::create(builder, loc, wideShift, c(1))));
  Value once = arith::ShRSIOp::create(builder, loc, sum, wideShift);
  // Below 2^(w + 1) in magnitude (w: the result's bits), the product has
  // at most s + w + 1 bits, so its float32 ulp is at most 2^(s + w - 23):
  // rounding to float32 lands on a half-integer only within half that of
  // one, i.e. where sum mod 2^s is within 2^(s + w - 24) of 0 or 2^s.
  unsigned width =
      getElementTypeOrSelf(rescale.getType()).getIntOrFloatBitWidth();
  Value unit = arith::SubIOp::create(
      builder, loc, arith::ShLIOp::create(builder, loc, c(1), wideShift), c(1));
  Value window = arith::ShLIOp::create(
      builder, loc, c(1),
      arith::MaxSIOp::create(builder, loc,
                             arith::SubIOp::create(builder, loc, wideShift,
                                                   c(24 - int64_t(width))),
                             c(0)));
  Value fraction = arith::AndIOp::create(
      builder, loc, arith::AddIOp::create(builder, loc, sum, window), unit);
  Value nearHalf =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ule, fraction,
                            arith::ShLIOp::create(builder, loc, window, c(1)));
  // float32 holds integers up to 2^24 exactly.
  Value inexact = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::ugt,
      arith::AddIOp::create(builder, loc, wideValue, c(int64_t(1) << 24)),
      c(int64_t(1) << 25));
  Value exact =
      scf::IfOp::create(
          builder, loc, arith::OrIOp::create(builder, loc, nearHalf, inexact),
          [&](OpBuilder &b, Location l) {
            Value x = roundToFloat32(b, l, wideValue);
            Value y = roundToFloat32(
                b, l, arith::MulIOp::create(b, l, x, wideMultiplier));
            scf::YieldOp::create(b, l,
                                 roundHalfToEvenShift(b, l, y, wideShift));
          },
          [&](OpBuilder &b, Location l) { scf::YieldOp::create(b, l, once); })
          .getResult(0);
  Value limited = clampInt(builder, loc, exact, -(int64_t(1) << 16),
                           (int64_t(1) << 16) - 1);
  Value rounded = castInt(builder, loc, limited, i32);
  if (outputZp == 0)
    return rounded;
  return arith::AddIOp::create(builder, loc, rounded,
                               constantInt(builder, loc, i32, outputZp));
}

/// rescale: (x - input_zp) scaled by multiplier * 2^-shift with the given
/// rounding, plus output_zp, saturated to the output type.
struct RescaleEmitter
    : KernelEmitterOpInterface::ExternalModel<RescaleEmitter,
                                              tosa::RescaleOp> {
  /// A result narrower than 32 bits is bounded by its type; an i32 one by
  /// the input's bound (less its zero point) times the largest multiplier
  /// over 2^(smallest shift), plus the rounding and the output zero point.
  std::optional<int64_t> getMagnitudeBound(Operation *op,
                                           KernelOperands &operands) const {
    auto rescale = cast<tosa::RescaleOp>(op);
    unsigned width =
        getElementTypeOrSelf(rescale.getType()).getIntOrFloatBitWidth();
    if (width < 32)
      return int64_t(1) << width;
    std::optional<std::pair<int64_t, int64_t>> zeroPoints =
        getRescaleZeroPoints(rescale, operands);
    std::optional<int64_t> value =
        zeroPoints ? getCentredInputBound(op, operands, zeroPoints->first)
                   : std::nullopt;
    DenseElementsAttr multipliers = operands.getConstantSource(1);
    std::optional<std::pair<int64_t, int64_t>> shifts =
        getShiftRange(operands, 2);
    if (!value || !multipliers ||
        !isa<IntegerType>(multipliers.getElementType()) || !shifts ||
        shifts->first < 1 || shifts->second > 63)
      return std::nullopt;
    int64_t multiplier = 0;
    for (const APInt &m : multipliers.getValues<APInt>())
      multiplier = std::max(multiplier, std::abs(m.getSExtValue()));
    if (*value >= (int64_t(1) << 32) || multiplier >= (int64_t(1) << 31))
      return std::nullopt;
    // The rounding adds less than 3 (2^(s-1) and double rounding's 2^30,
    // over 2^s, and the floors).
    int64_t bound =
        ((*value * multiplier) >> std::min<int64_t>(shifts->first, 62)) + 3 +
        std::abs(zeroPoints->second);
    if (bound >= (int64_t(1) << 31))
      return std::nullopt;
    return bound;
  }

  Value emitElement(Operation *op, OpBuilder &builder,
                    KernelOperands &operands, ValueRange indices) const {
    auto rescale = cast<tosa::RescaleOp>(op);
    Location loc = op->getLoc();
    std::optional<std::pair<int64_t, int64_t>> zeroPoints =
        getRescaleZeroPoints(rescale, operands);
    if (!zeroPoints) {
      op->emitOpError("needs compile-time zero points");
      return {};
    }
    int64_t inputZp = zeroPoints->first, outputZp = zeroPoints->second;
    Type i32 = builder.getI32Type();
    Type resultType = cast<ShapedType>(rescale.getType()).getElementType();
    // To the result type's range (unsigned: 0 to 2^w - 1), from i32.
    auto saturate = [&](Value scaled) {
      unsigned width = resultType.getIntOrFloatBitWidth();
      int64_t low = rescale.getOutputUnsigned() ? 0 : minSigned(resultType);
      int64_t high = rescale.getOutputUnsigned() ? (int64_t(1) << width) - 1
                                                 : maxSigned(resultType);
      if (width < 32)
        scaled = clampInt(builder, loc, scaled, low, high);
      return castInt(builder, loc, scaled, resultType);
    };
    Value loaded = loadBroadcast(op, builder, operands, 0, indices);
    // One multiplier and shift per channel (the last dimension), or one.
    SmallVector<Value> parameterIndex{
        rescale.getPerChannel() ? indices.back()
                                : constantIndex(builder, loc, 0)};
    if (getElementTypeOrSelf(rescale.getInput()).getIntOrFloatBitWidth() > 32)
      return emitWideRescale(rescale, builder, loc, operands, loaded,
                             parameterIndex[0], inputZp, outputZp);
    Value value = castInt(builder, loc, loaded, i32, rescale.getInputUnsigned());
    if (inputZp != 0)
      value = arith::SubIOp::create(builder, loc, value,
                                    constantInt(builder, loc, i32, inputZp));
    Value multiplier = castInt(
        builder, loc, operands.load(builder, loc, 1, parameterIndex), i32);
    Value shift = operands.load(builder, loc, 2, parameterIndex);
    if (op->hasAttr(kFloat32RoundingAttrName)) {
      return saturate(applyScaleFloat32(rescale, builder, loc, operands, value,
                                        multiplier, shift, parameterIndex[0],
                                        outputZp));
    }
    std::optional<std::pair<int64_t, int64_t>> shifts =
        getShiftRange(operands, 2);
    // A few channels below 32 (a scale of at least 1/2 has shift 31) take
    // the general path, the others the high word's: a branch per element
    // rather than the general path for all. (Shift 32 has a high-word path
    // of its own, without the branch.)
    bool mixed = shifts && shifts->first < 32 && shifts->second >= 33 &&
                 shifts->second <= 62 && rescale.getPerChannel();
    if (mixed)
      shifts->first = 33;
    bool highWord = shifts && shifts->first >= 32 && shifts->second <= 63;
    bool roundInHighWord =
        highWord && shifts->first >= 33 && shifts->second <= 62;
    bool doubleRound =
        rescale.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND;
    std::optional<int64_t> bound = getCentredInputBound(op, operands, inputZp);
    // applyScaleDoubled is exact while |value| < 2^30 and |y + a| < 2^31,
    // |y| <= |value| + 1, |a| <= 2^(s - 32) + |zp| * 2^(s - 31) + 1.
    // The terms grow with the shift: the largest decides.
    auto largestTerm = [&](int64_t zeroPoint, int64_t unit) {
      return roundingTerm(shifts->second, std::abs(zeroPoint), unit);
    };
    auto fitsDoubled = [&](int64_t zeroPoint) {
      return bound && *bound < (int64_t(1) << 30) &&
             *bound + 2 + largestTerm(zeroPoint, 31) < (int64_t(1) << 31);
    };
    // Shift 32 too: y is then rounded by one bit (TFLite's residual adds
    // rescale their inputs so).
    bool doubled =
        highWord && shifts->second <= 62 && doubleRound && fitsDoubled(0);
    // The output zero point goes into the rounding term when the sum stays
    // in range: for the (high, low) pair |2^(t - 1) + zp * 2^t| < 2^30 for
    // every t = shift - 32 (the product's high word is below 2^30 in
    // magnitude).
    bool foldZeroPoint =
        outputZp != 0 &&
        (doubled ? fitsDoubled(outputZp)
                 : roundInHighWord &&
                       largestTerm(outputZp, 32) < (int64_t(1) << 30));
    int64_t foldedZeroPoint = foldZeroPoint ? outputZp : 0;
    Value channelTerm =
        (doubled || roundInHighWord) && rescale.getPerChannel()
            ? loadRoundingTerm(builder, loc, operands, 2, parameterIndex[0],
                               foldedZeroPoint, doubled ? 31 : 32)
            : Value();
    auto general = [&](OpBuilder &b, Location l) {
      Value result =
          tosa::ApplyScaleOp::create(b, l, i32, value, multiplier, shift,
                                     rescale.getRoundingModeAttr());
      if (outputZp != 0)
        result = arith::AddIOp::create(b, l, result,
                                       constantInt(b, l, i32, outputZp));
      return result;
    };
    auto fast = [&](OpBuilder &b, Location l) {
      Value fastValue = value, fastMultiplier = multiplier;
      hideConstantScale(b, l, fastValue, fastMultiplier);
      Value result =
          doubled ? applyScaleDoubled(b, l, fastValue, fastMultiplier, shift,
                                      foldedZeroPoint, channelTerm)
                  : applyScaleHighWord(b, l, fastValue, fastMultiplier, shift,
                                       doubleRound, roundInHighWord,
                                       foldedZeroPoint, channelTerm);
      if (outputZp != 0 && !foldZeroPoint)
        result = arith::AddIOp::create(b, l, result,
                                       constantInt(b, l, i32, outputZp));
      return result;
    };
    Value scaled;
    if (mixed) {
      // The table holds 2^(shift - 33) only where shift >= 33 (else 0).
      Value isHigh = arith::CmpIOp::create(
          builder, loc, arith::CmpIPredicate::uge,
          castInt(builder, loc, shift, i32, /*isUnsigned=*/true),
          constantInt(builder, loc, i32, 33));
      scaled = scf::IfOp::create(
                   builder, loc, isHigh,
                   [&](OpBuilder &b, Location l) {
                     scf::YieldOp::create(b, l, fast(b, l));
                   },
                   [&](OpBuilder &b, Location l) {
                     scf::YieldOp::create(b, l, general(b, l));
                   })
                   .getResult(0);
    } else {
      scaled = highWord ? fast(builder, loc) : general(builder, loc);
    }
    return saturate(scaled);
  }
};

/// cast between integer and float types, TOSA rounding and saturation.
struct CastEmitter : ElementwiseEmitter<CastEmitter, tosa::CastOp> {
  Value compute(tosa::CastOp, OpBuilder &builder, Location loc, ValueRange s,
                Type type, KernelOperands &operands) const {
    Value in = s[0];
    Type from = in.getType();
    bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(type);
    if (fromFloat && toFloat) {
      if (from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
        return arith::ExtFOp::create(builder, loc, type, in);
      return arith::TruncFOp::create(builder, loc, type, in);
    }
    if (!fromFloat && toFloat) {
      if (from.isInteger(1))
        return arith::UIToFPOp::create(builder, loc, type, in);
      return arith::SIToFPOp::create(builder, loc, type, in);
    }
    if (fromFloat) {
      if (type.isInteger(1))
        return arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UNE,
                                     in, constantFloat(builder, loc, from, 0));
      unsigned width = type.getIntOrFloatBitWidth();
      if (operands.getTarget().roundingConversion && from.isF32() &&
          width <= 32) {
        Value converted = convertWithFPURounding(builder, loc, in);
        if (width == 32)
          return converted;
        return arith::TruncIOp::create(builder, loc, type,
                                       clampInt(builder, loc, converted,
                                                minSigned(type),
                                                maxSigned(type)));
      }
      // Saturating, as llvm.fptosi.sat, on every target: fptosi is only given
      // values in range (float(INT32_MAX) is 2^31, past it: poison), 2^(w-1)
      // and above give the largest integer, a NaN 0.
      Value rounded = roundEven(builder, loc, in);
      APFloat largest(cast<FloatType>(from).getFloatSemantics());
      largest.convertFromAPInt(APInt::getSignedMaxValue(width),
                               /*IsSigned=*/true, APFloat::rmTowardZero);
      Value low = constantFloat(builder, loc, from, minSigned(type));
      Value high = arith::ConstantOp::create(
          builder, loc, from, builder.getFloatAttr(from, largest));
      Value clamped = arith::MaximumFOp::create(
          builder, loc, arith::MinimumFOp::create(builder, loc, rounded, high),
          low);
      Value converted = arith::FPToSIOp::create(builder, loc, type, clamped);
      Value beyond = arith::CmpFOp::create(
          builder, loc, arith::CmpFPredicate::OGE, rounded,
          constantFloat(builder, loc, from,
                        -static_cast<double>(minSigned(type))));
      converted = arith::SelectOp::create(
          builder, loc, beyond,
          constantInt(builder, loc, type, maxSigned(type)), converted);
      Value isNan = arith::CmpFOp::create(builder, loc,
                                          arith::CmpFPredicate::UNO, in, in);
      return arith::SelectOp::create(
          builder, loc, isNan, constantInt(builder, loc, type, 0), converted);
    }
    if (type.isInteger(1))
      return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ne, in,
                                   constantInt(builder, loc, from, 0));
    return castInt(builder, loc, in, type);
  }
};

template <typename OpTy, typename MathOp>
struct FloatUnaryEmitter
    : ElementwiseEmitter<FloatUnaryEmitter<OpTy, MathOp>, OpTy> {
  Value compute(OpTy op, OpBuilder &builder, Location loc, ValueRange s,
                Type type, KernelOperands &) const {
    if (!isa<FloatType>(type)) {
      op.emitOpError("is only supported on floats");
      return {};
    }
    return MathOp::create(builder, loc, s[0]);
  }
};

struct SigmoidEmitter : ElementwiseEmitter<SigmoidEmitter, tosa::SigmoidOp> {
  Value compute(tosa::SigmoidOp op, OpBuilder &builder, Location loc,
                ValueRange s, Type type, KernelOperands &) const {
    if (!isa<FloatType>(type)) {
      op.emitOpError("is only supported on floats");
      return {};
    }
    Value one = constantFloat(builder, loc, type, 1.0);
    Value exp = math::ExpOp::create(
        builder, loc, arith::NegFOp::create(builder, loc, s[0]));
    return arith::DivFOp::create(
        builder, loc, one, arith::AddFOp::create(builder, loc, one, exp));
  }
};

struct ReciprocalEmitter
    : ElementwiseEmitter<ReciprocalEmitter, tosa::ReciprocalOp> {
  Value compute(tosa::ReciprocalOp, OpBuilder &builder, Location loc,
                ValueRange s, Type type, KernelOperands &) const {
    return arith::DivFOp::create(builder, loc,
                                 constantFloat(builder, loc, type, 1.0), s[0]);
  }
};

struct AbsEmitter : ElementwiseEmitter<AbsEmitter, tosa::AbsOp> {
  Value compute(tosa::AbsOp, OpBuilder &builder, Location loc, ValueRange s,
                Type type, KernelOperands &) const {
    if (isa<FloatType>(type))
      return math::AbsFOp::create(builder, loc, s[0]);
    return math::AbsIOp::create(builder, loc, s[0]);
  }
};

/// negate: integers are negated relative to their zero points.
struct NegateEmitter : ElementwiseEmitter<NegateEmitter, tosa::NegateOp> {
  static SmallVector<unsigned> getActivationOperands(Operation *) {
    return {0};
  }
  Value compute(tosa::NegateOp op, OpBuilder &builder, Location loc,
                ValueRange s, Type type, KernelOperands &operands) const {
    if (isa<FloatType>(type))
      return arith::NegFOp::create(builder, loc, s[0]);
    std::optional<int64_t> inputZp = getIntConstant(operands, 1);
    std::optional<int64_t> outputZp = getIntConstant(operands, 2);
    if (!inputZp || !outputZp) {
      op.emitOpError("needs compile-time zero points");
      return {};
    }
    Type i64 = builder.getI64Type();
    Value value = castInt(builder, loc, s[0], i64);
    Value negated = arith::SubIOp::create(
        builder, loc, constantInt(builder, loc, i64, *inputZp + *outputZp),
        value);
    return castInt(builder, loc,
                   clampInt(builder, loc, negated, minSigned(type),
                            maxSigned(type)),
                   type);
  }
};

struct SelectEmitter : ElementwiseEmitter<SelectEmitter, tosa::SelectOp> {
  Value compute(tosa::SelectOp, OpBuilder &builder, Location loc,
                ValueRange s, Type, KernelOperands &) const {
    return arith::SelectOp::create(builder, loc, s[0], s[1], s[2]);
  }
};

struct ArithmeticRightShiftEmitter
    : ElementwiseEmitter<ArithmeticRightShiftEmitter,
                         tosa::ArithmeticRightShiftOp> {
  Value compute(tosa::ArithmeticRightShiftOp op, OpBuilder &builder,
                Location loc, ValueRange s, Type type,
                KernelOperands &) const {
    Value shifted = arith::ShRSIOp::create(builder, loc, s[0], s[1]);
    if (!op.getRound())
      return shifted;
    // Round half up: add the last bit shifted out, when something was.
    Value one = constantInt(builder, loc, type, 1);
    Value zero = constantInt(builder, loc, type, 0);
    Value previous = arith::ShRSIOp::create(
        builder, loc, s[0], arith::SubIOp::create(builder, loc, s[1], one));
    Value lastBit = arith::AndIOp::create(builder, loc, previous, one);
    Value shiftedSome = arith::CmpIOp::create(
        builder, loc, arith::CmpIPredicate::sgt, s[1], zero);
    Value round = arith::SelectOp::create(builder, loc, shiftedSome, lastBit,
                                          zero);
    return arith::AddIOp::create(builder, loc, shifted, round);
  }
};

/// identity: a copy (pex-lower-groups writes a group's result this way when its
/// epilogue returns an accumulator unchanged).
struct IdentityEmitter : ElementwiseEmitter<IdentityEmitter, tosa::IdentityOp> {
  Value compute(tosa::IdentityOp, OpBuilder &, Location, ValueRange s, Type,
                KernelOperands &) const {
    return s[0];
  }
};

/// logical_left_shift: the shift amount is the second operand (TOSA requires
/// it in [0, 31]).
struct LogicalLeftShiftEmitter
    : ElementwiseEmitter<LogicalLeftShiftEmitter, tosa::LogicalLeftShiftOp> {
  Value compute(tosa::LogicalLeftShiftOp, OpBuilder &builder, Location loc,
                ValueRange s, Type, KernelOperands &) const {
    return arith::ShLIOp::create(builder, loc, s[0], s[1]);
  }
};

/// clz: math.ctlz, one CLZ instruction on the cores that have it (32 for 0,
/// as TOSA specifies).
struct ClzEmitter : ElementwiseEmitter<ClzEmitter, tosa::ClzOp> {
  Value compute(tosa::ClzOp, OpBuilder &builder, Location loc, ValueRange s,
                Type, KernelOperands &) const {
    return math::CountLeadingZerosOp::create(builder, loc, s[0]);
  }
};

/// table: an 8-bit input indexes a 256-entry table; a 16-bit input reads two
/// neighbouring entries of a 513-entry table, interpolated in 32 bits as TOSA
/// specifies: (base << 7) + (next - base) * fraction, the index being the
/// input's upper nine bits (offset by 2^15) and the fraction its lower seven.
struct TableEmitter
    : KernelEmitterOpInterface::ExternalModel<TableEmitter, tosa::TableOp> {
  Value emitElement(Operation *op, OpBuilder &builder,
                    KernelOperands &operands, ValueRange indices) const {
    Location loc = op->getLoc();
    Value input = loadBroadcast(op, builder, operands, 0, indices);
    Type i32 = builder.getI32Type();
    auto indexOf = [&](Value position) -> Value {
      return arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                        position);
    };
    if (input.getType().isInteger(8)) {
      Value position = arith::AddIOp::create(
          builder, loc, castInt(builder, loc, input, i32),
          constantInt(builder, loc, i32, 128));
      return operands.load(builder, loc, 1, {indexOf(position)});
    }
    // TOSA's verifier admits i8 and i16 inputs only.
    Value offset = arith::AddIOp::create(
        builder, loc, castInt(builder, loc, input, i32),
        constantInt(builder, loc, i32, 1 << 15));
    Value position = arith::ShRUIOp::create(builder, loc, offset,
                                            constantInt(builder, loc, i32, 7));
    Value fraction = arith::AndIOp::create(builder, loc, offset,
                                           constantInt(builder, loc, i32, 0x7F));
    Value base = castInt(builder, loc,
                         operands.load(builder, loc, 1, {indexOf(position)}),
                         i32);
    Value next = castInt(
        builder, loc,
        operands.load(builder, loc, 1,
                      {indexOf(arith::AddIOp::create(
                          builder, loc, position,
                          constantInt(builder, loc, i32, 1)))}),
        i32);
    Value slope = arith::SubIOp::create(builder, loc, next, base);
    return arith::AddIOp::create(
        builder, loc,
        arith::ShLIOp::create(builder, loc, base,
                              constantInt(builder, loc, i32, 7)),
        arith::MulIOp::create(builder, loc, slope, fraction));
  }
};

} // namespace

void emit::attachElementwiseEmitters(MLIRContext *context) {
  tosa::AddOp::attachInterface<
      SumEmitter<tosa::AddOp, arith::AddIOp, arith::AddFOp>>(*context);
  tosa::SubOp::attachInterface<
      SumEmitter<tosa::SubOp, arith::SubIOp, arith::SubFOp>>(*context);
  tosa::MaximumOp::attachInterface<
      BinaryEmitter<tosa::MaximumOp, arith::MaxSIOp, arith::MaximumFOp>>(
      *context);
  tosa::MinimumOp::attachInterface<
      BinaryEmitter<tosa::MinimumOp, arith::MinSIOp, arith::MinimumFOp>>(
      *context);
  tosa::GreaterOp::attachInterface<
      CompareEmitter<tosa::GreaterOp, arith::CmpIPredicate::sgt,
                     arith::CmpFPredicate::OGT>>(*context);
  tosa::GreaterEqualOp::attachInterface<
      CompareEmitter<tosa::GreaterEqualOp, arith::CmpIPredicate::sge,
                     arith::CmpFPredicate::OGE>>(*context);
  tosa::EqualOp::attachInterface<
      CompareEmitter<tosa::EqualOp, arith::CmpIPredicate::eq,
                     arith::CmpFPredicate::OEQ>>(*context);
  tosa::MulOp::attachInterface<MulEmitter>(*context);
  tosa::ClampOp::attachInterface<ClampEmitter>(*context);
  tosa::RescaleOp::attachInterface<RescaleEmitter>(*context);
  tosa::CastOp::attachInterface<CastEmitter>(*context);
  tosa::ExpOp::attachInterface<FloatUnaryEmitter<tosa::ExpOp, math::ExpOp>>(
      *context);
  tosa::TanhOp::attachInterface<FloatUnaryEmitter<tosa::TanhOp, math::TanhOp>>(
      *context);
  tosa::LogOp::attachInterface<FloatUnaryEmitter<tosa::LogOp, math::LogOp>>(
      *context);
  tosa::ErfOp::attachInterface<FloatUnaryEmitter<tosa::ErfOp, math::ErfOp>>(
      *context);
  tosa::RsqrtOp::attachInterface<
      FloatUnaryEmitter<tosa::RsqrtOp, math::RsqrtOp>>(*context);
  tosa::SigmoidOp::attachInterface<SigmoidEmitter>(*context);
  tosa::ReciprocalOp::attachInterface<ReciprocalEmitter>(*context);
  tosa::AbsOp::attachInterface<AbsEmitter>(*context);
  tosa::NegateOp::attachInterface<NegateEmitter>(*context);
  tosa::SelectOp::attachInterface<SelectEmitter>(*context);
  tosa::ArithmeticRightShiftOp::attachInterface<ArithmeticRightShiftEmitter>(
      *context);
  tosa::IdentityOp::attachInterface<IdentityEmitter>(*context);
  tosa::LogicalLeftShiftOp::attachInterface<LogicalLeftShiftEmitter>(*context);
  tosa::ClzOp::attachInterface<ClzEmitter>(*context);
  tosa::TableOp::attachInterface<TableEmitter>(*context);
}

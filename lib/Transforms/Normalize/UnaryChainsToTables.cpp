//===- UnaryChainsToTables.cpp - int8 functions as lookup tables -*- C++
//-*-===//
//
// QDQ models compute between two int8 tensors in float: an int8 value
// dequantized (cast, minus the zero point, times the scale), element-wise
// operators with constants (a LayerNorm's affine part, a residual's
// rescaling), quantized again (times 1 / scale, plus the zero point, a cast
// rounding to int8), often several such round trips in a row with tables
// (GELU) between them. Such a chain is a function of one int8 value: its 256
// results are computed here, with the arithmetic the generated code performs
// (IEEE single precision, rounding to nearest even; TOSA's casts), and the
// chain becomes one tosa.table. Exact: every entry is the chain's own result.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Transforms/NormalizePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APSInt.h"

#include <variant>

using namespace mlir;
using namespace mlir::pex;

namespace {

/// One element of the chain while it is evaluated.
using Scalar = std::variant<APInt, APFloat>;

/// The splat constant `value` is, if it is one.
std::optional<Attribute> getSplat(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  return attr.getSplatValue<Attribute>();
}

bool isF32(Type type) { return getElementTypeOrSelf(type).isF32(); }
bool isSignlessInt(Type type, unsigned maxWidth = 32) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return integer && integer.isSignless() && integer.getWidth() >= 8 &&
         integer.getWidth() <= maxWidth;
}

/// TOSA's float-to-integer cast: to nearest, ties to even, saturating, NaN
/// to 0.
APInt castToInt(const APFloat &value, unsigned width) {
  if (value.isNaN())
    return APInt(width, 0);
  APSInt result(width, /*isUnsigned=*/false);
  bool exact;
  // Out of range saturates (the status only reports it).
  (void)value.convertToInteger(result, APFloat::rmNearestTiesToEven, &exact);
  return result;
}

/// A per-tensor rescale between signed integers of at most 32 bits with
/// constant parameters (the exact one that adds a quantisation's zero point
/// to an integer, among others): multiplier, shift, input and output zero
/// points; none for another.
struct RescaleParameters {
  int64_t multiplier, shift, inputZp, outputZp;
  bool doubleRound;
};
std::optional<RescaleParameters> getRescaleParameters(tosa::RescaleOp rescale) {
  std::optional<Attribute> multiplier = getSplat(rescale.getMultiplier()),
                           shift = getSplat(rescale.getShift()),
                           inputZp = getSplat(rescale.getInputZp()),
                           outputZp = getSplat(rescale.getOutputZp());
  if (rescale.getPerChannel() || rescale.getInputUnsigned() ||
      rescale.getOutputUnsigned() ||
      rescale->hasAttr(kFloat32RoundingAttrName) || !multiplier || !shift ||
      !inputZp || !outputZp || !isSignlessInt(rescale.getInput().getType()) ||
      !isSignlessInt(rescale.getType()))
    return std::nullopt;
  RescaleParameters parameters{
      cast<IntegerAttr>(*multiplier).getInt(),
      cast<IntegerAttr>(*shift).getInt(), cast<IntegerAttr>(*inputZp).getInt(),
      cast<IntegerAttr>(*outputZp).getInt(),
      rescale.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND};
  if (parameters.shift < 2 || parameters.shift > 62 ||
      parameters.multiplier < 0 || parameters.multiplier >= (int64_t(1) << 31))
    return std::nullopt;
  return parameters;
}

/// An operator of a unary chain: the operand the chain flows through (the
/// others are splat constants), or null when `op` cannot be evaluated here
/// exactly as the generated code computes it.
Value getChainOperand(Operation *op) {
  Value result = op->getNumResults() == 1 ? op->getResult(0) : Value();
  if (!result)
    return {};
  if (auto cast = dyn_cast<tosa::CastOp>(op)) {
    Type from = cast.getInput().getType(), to = cast.getType();
    bool intToFloat = isSignlessInt(from) && isF32(to);
    bool floatToInt = isF32(from) && isSignlessInt(to);
    return intToFloat || floatToInt ? cast.getInput() : Value();
  }
  if (auto table = dyn_cast<tosa::TableOp>(op)) {
    // Entries known here only: a table given at run time ends the chain.
    DenseElementsAttr entries;
    return isSignlessInt(table.getInput1().getType(), 8) &&
                   getElementTypeOrSelf(table.getType()).isInteger(8) &&
                   matchPattern(table.getTable(), m_Constant(&entries)) &&
                   entries.getNumElements() == 256
               ? table.getInput1()
               : Value();
  }
  if (auto clamp = dyn_cast<tosa::ClampOp>(op))
    return isSignlessInt(clamp.getType()) ? clamp.getInput() : Value();
  if (auto rescale = dyn_cast<tosa::RescaleOp>(op))
    return getRescaleParameters(rescale) ? rescale.getInput() : Value();
  if (auto mul = dyn_cast<tosa::MulOp>(op);
      mul && mul->hasAttr(kDivisorAttrName))
    // The dividend is the first operand.
    return isF32(result.getType()) && getSplat(mul.getInput2()) &&
                   !getSplat(mul.getInput1())
               ? mul.getInput1()
               : Value();
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::MaximumOp,
           tosa::MinimumOp>(op) ||
      !isF32(result.getType()))
    return {};
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    std::optional<Attribute> shift = getSplat(mul.getShift());
    if (!shift || cast<IntegerAttr>(*shift).getInt() != 0)
      return {};
  }
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  bool lhsConstant = getSplat(lhs).has_value(),
       rhsConstant = getSplat(rhs).has_value();
  if (lhsConstant == rhsConstant)
    return {};
  return lhsConstant ? rhs : lhs;
}

/// `op` applied to its chain operand's `value` (its other operands are
/// splat constants).
Scalar evaluate(Operation *op, Value chainOperand, const Scalar &value) {
  if (auto cast = dyn_cast<tosa::CastOp>(op)) {
    if (const APInt *integer = std::get_if<APInt>(&value)) {
      APFloat result(APFloat::IEEEsingle());
      (void)result.convertFromAPInt(*integer, /*IsSigned=*/true,
                                    APFloat::rmNearestTiesToEven);
      return result;
    }
    return castToInt(
        std::get<APFloat>(value),
        getElementTypeOrSelf(cast.getType()).getIntOrFloatBitWidth());
  }
  if (auto table = dyn_cast<tosa::TableOp>(op)) {
    DenseElementsAttr entries;
    matchPattern(table.getTable(), m_Constant(&entries));
    int64_t index = std::get<APInt>(value).getSExtValue() + 128;
    return entries.getValues<APInt>()[index];
  }
  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    const APInt &integer = std::get<APInt>(value);
    int64_t low = cast<IntegerAttr>(clamp.getMinValAttr()).getInt();
    int64_t high = cast<IntegerAttr>(clamp.getMaxValAttr()).getInt();
    int64_t clamped = std::clamp(integer.getSExtValue(), low, high);
    return APInt(integer.getBitWidth(), clamped, /*isSigned=*/true);
  }
  if (auto rescale = dyn_cast<tosa::RescaleOp>(op)) {
    // TOSA's apply_scale of a value below 2^32 and a 31-bit multiplier.
    RescaleParameters p = *getRescaleParameters(rescale);
    int64_t x = std::get<APInt>(value).getSExtValue() - p.inputZp;
    int64_t round = int64_t(1) << (p.shift - 1);
    if (p.doubleRound && p.shift > 31)
      round += x >= 0 ? int64_t(1) << 30 : -(int64_t(1) << 30);
    int64_t scaled =
        (static_cast<__int128>(x) * p.multiplier + round) >> p.shift;
    unsigned width =
        getElementTypeOrSelf(rescale.getType()).getIntOrFloatBitWidth();
    int64_t limit = int64_t(1) << (width - 1);
    return APInt(width, std::clamp(scaled + p.outputZp, -limit, limit - 1),
                 /*isSigned=*/true);
  }
  if (auto divisor = op->getAttrOfType<FloatAttr>(kDivisorAttrName)) {
    APFloat quotient = std::get<APFloat>(value);
    (void)quotient.divide(divisor.getValue(), APFloat::rmNearestTiesToEven);
    return quotient;
  }
  Value other = op->getOperand(op->getOperand(0) == chainOperand ? 1 : 0);
  APFloat constant = cast<FloatAttr>(*getSplat(other)).getValue();
  APFloat x = std::get<APFloat>(value);
  bool chainFirst = op->getOperand(0) == chainOperand;
  APFloat a = chainFirst ? x : constant, b = chainFirst ? constant : x;
  if (isa<tosa::MaximumOp>(op))
    return llvm::maximum(a, b);
  if (isa<tosa::MinimumOp>(op))
    return llvm::minimum(a, b);
  if (isa<tosa::AddOp>(op))
    (void)a.add(b, APFloat::rmNearestTiesToEven);
  else if (isa<tosa::SubOp>(op))
    (void)a.subtract(b, APFloat::rmNearestTiesToEven);
  else
    (void)a.multiply(b, APFloat::rmNearestTiesToEven);
  return a;
}

/// An int8 result computed from one int8 tensor by a chain of element-wise
/// operators with constants, each read only by the next: one table.
struct UnaryChainToTable : RewritePattern {
  UnaryChainToTable(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *root,
                                PatternRewriter &rewriter) const override {
    if (!isa<tosa::CastOp, tosa::TableOp, tosa::ClampOp, tosa::RescaleOp>(root))
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(root->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape() ||
        !resultType.getElementType().isInteger(8))
      return failure();
    // Up the chain while each operator can be evaluated and its operand is
    // read by it alone; the source is the furthest int8 tensor reached.
    SmallVector<std::pair<Operation *, Value>> chain;
    size_t sourceLength = 0;
    Operation *op = root;
    while (true) {
      Value operand = getChainOperand(op);
      if (!operand ||
          cast<ShapedType>(op->getResult(0).getType()).getShape() !=
              resultType.getShape() ||
          cast<ShapedType>(operand.getType()).getShape() !=
              resultType.getShape())
        break;
      chain.push_back({op, operand});
      if (getElementTypeOrSelf(operand.getType()).isInteger(8))
        sourceLength = chain.size();
      op = operand.getDefiningOp();
      if (!op || !operand.hasOneUse())
        break;
    }
    chain.resize(sourceLength);
    // A table alone is one already; a clamp or a lone cast is cheaper than
    // a lookup.
    if (chain.size() < 2)
      return failure();
    Value source = chain.back().second;

    SmallVector<int8_t> entries;
    for (int64_t q = -128; q < 128; ++q) {
      Scalar value = APInt(8, q, /*isSigned=*/true);
      for (auto [chainOp, operand] : llvm::reverse(chain))
        value = evaluate(chainOp, operand, value);
      entries.push_back(
          static_cast<int8_t>(std::get<APInt>(value).getSExtValue()));
    }
    auto tableType = RankedTensorType::get({256}, rewriter.getI8Type());
    Value table = tosa::ConstOp::create(
        rewriter, root->getLoc(), tableType,
        DenseElementsAttr::get(tableType, ArrayRef<int8_t>(entries)));
    rewriter.replaceOpWithNewOp<tosa::TableOp>(root, resultType, source, table);
    return success();
  }
};

} // namespace

void mlir::pex::populateUnaryChainsToTablesPatterns(
    RewritePatternSet &patterns) {
  patterns.add<UnaryChainToTable>(patterns.getContext());
}

//===- EmitterUtils.cpp - Helpers shared by the TOSA emitters ---*- C++ -*-===//

#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::pex;

void emit::buildLoopNest(
    OpBuilder &builder, Location loc, ArrayRef<int64_t> shape,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : shape) {
    lbs.push_back(constantIndex(builder, loc, 0));
    ubs.push_back(constantIndex(builder, loc, size));
    steps.push_back(constantIndex(builder, loc, 1));
  }
  scf::buildLoopNest(builder, loc, lbs, ubs, steps,
                     [&](OpBuilder &nested, Location nestedLoc,
                         ValueRange ivs) { body(nested, nestedLoc, ivs); });
}

SmallVector<Value> emit::buildReductionNest(
    OpBuilder &builder, Location loc, ArrayRef<int64_t> bounds,
    ValueRange init,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange,
                                    ValueRange)>
        body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : bounds) {
    lbs.push_back(constantIndex(builder, loc, 0));
    ubs.push_back(constantIndex(builder, loc, size));
    steps.push_back(constantIndex(builder, loc, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      builder, loc, lbs, ubs, steps, init,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange ivs,
          ValueRange carried) -> scf::ValueVector {
        return body(nested, nestedLoc, ivs, carried);
      });
  return nest.results;
}

SmallVector<Value> emit::buildIfYield(
    OpBuilder &builder, Location loc, Value cond, ValueRange carried,
    function_ref<SmallVector<Value>(OpBuilder &, Location)> thenBody) {
  auto ifOp = scf::IfOp::create(
      builder, loc, cond,
      [&](OpBuilder &thenBuilder, Location thenLoc) {
        scf::YieldOp::create(thenBuilder, thenLoc,
                             thenBody(thenBuilder, thenLoc));
      },
      [&](OpBuilder &elseBuilder, Location elseLoc) {
        scf::YieldOp::create(elseBuilder, elseLoc, carried);
      });
  return ifOp.getResults();
}

SmallVector<Value> emit::broadcastIndices(OpBuilder &builder, Location loc,
                                          ValueRange indices,
                                          ArrayRef<int64_t> operandShape) {
  SmallVector<Value> result;
  // Operands of lower rank align with the innermost output dimensions.
  size_t offset = indices.size() - operandShape.size();
  for (auto [dim, size] : llvm::enumerate(operandShape))
    result.push_back(size == 1 ? constantIndex(builder, loc, 0)
                               : indices[offset + dim]);
  return result;
}

Value emit::loadBroadcast(Operation *op, OpBuilder &builder,
                          KernelOperands &operands, unsigned index,
                          ValueRange indices) {
  auto type = cast<ShapedType>(op->getOperand(index).getType());
  return operands.load(builder, op->getLoc(), index,
                       broadcastIndices(builder, op->getLoc(), indices,
                                        type.getShape()));
}

Value emit::addIndex(OpBuilder &builder, Location loc, Value value,
                     int64_t offset) {
  if (offset == 0)
    return value;
  return arith::AddIOp::create(builder, loc, value,
                               constantIndex(builder, loc, offset));
}

Value emit::scaledIndex(OpBuilder &builder, Location loc, Value base,
                        Value index, int64_t scale) {
  if (scale != 1)
    index = arith::MulIOp::create(builder, loc, index,
                                  constantIndex(builder, loc, scale));
  return arith::AddIOp::create(builder, loc, base, index);
}

Value emit::constantInt(OpBuilder &builder, Location loc, Type type,
                        int64_t value) {
  return arith::ConstantOp::create(builder, loc,
                                   builder.getIntegerAttr(type, value));
}

Value emit::constantIndex(OpBuilder &builder, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(builder, loc, value);
}

Value emit::constantFloat(OpBuilder &builder, Location loc, Type type,
                          double value) {
  return arith::ConstantOp::create(builder, loc,
                                   builder.getFloatAttr(type, value));
}

Value emit::castInt(OpBuilder &builder, Location loc, Value value, Type type,
                    bool isUnsigned) {
  unsigned from = value.getType().getIntOrFloatBitWidth();
  unsigned to = type.getIntOrFloatBitWidth();
  if (from == to)
    return value;
  if (from > to)
    return arith::TruncIOp::create(builder, loc, type, value);
  if (isUnsigned || from == 1)
    return arith::ExtUIOp::create(builder, loc, type, value);
  return arith::ExtSIOp::create(builder, loc, type, value);
}

Value emit::clampInt(OpBuilder &builder, Location loc, Value value,
                     int64_t low, int64_t high) {
  Type type = value.getType();
  Value clamped = arith::MaxSIOp::create(
      builder, loc, constantInt(builder, loc, type, low), value);
  return arith::MinSIOp::create(builder, loc,
                                constantInt(builder, loc, type, high), clamped);
}

Value emit::roundEven(OpBuilder &builder, Location loc, Value value) {
  // |x| + 2^23 has no fraction bits, so the hardware's default rounding (to
  // nearest, ties to even) rounds |x|; larger magnitudes are integers.
  Type type = value.getType();
  double mantissa = type.isF64() ? 4503599627370496.0 : 8388608.0;
  Value magnitude = math::AbsFOp::create(builder, loc, value);
  Value big = constantFloat(builder, loc, type, mantissa);
  Value rounded = arith::SubFOp::create(
      builder, loc, arith::AddFOp::create(builder, loc, magnitude, big), big);
  Value signedRounded =
      math::CopySignOp::create(builder, loc, rounded, value);
  Value small = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OLT,
                                      magnitude, big);
  return arith::SelectOp::create(builder, loc, small, signedRounded, value);
}

Value emit::convertWithFPURounding(OpBuilder &builder, Location loc,
                                   Value value) {
  // The integer is left in a single-precision register ("t"), so the asm's
  // result is typed f32 and reinterpreted; no side effects: it may be
  // hoisted and merged like the arithmetic it replaces.
  auto converted = LLVM::InlineAsmOp::create(
      builder, loc, builder.getF32Type(), ValueRange{value},
      /*asm_string=*/"vcvtr.s32.f32 $0, $1", /*constraints=*/"=t,t",
      /*has_side_effects=*/false, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(builder.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  return arith::BitcastOp::create(builder, loc, builder.getI32Type(),
                                  converted.getResult(0));
}

int64_t emit::minSigned(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width == 1 ? 0 : -(int64_t(1) << (width - 1));
}

int64_t emit::maxSigned(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width == 1 ? 1 : (int64_t(1) << (width - 1)) - 1;
}

std::optional<int64_t> emit::getIntConstant(KernelOperands &operands,
                                            unsigned index) {
  DenseElementsAttr attr = operands.getConstant(index);
  if (!attr || !attr.isSplat() ||
      !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APInt>().getSExtValue();
}

Value emit::multiplyAccumulate(OpBuilder &builder, Location loc, Value acc,
                               Value a, int64_t aZeroPoint, Value b,
                               int64_t bZeroPoint) {
  Type accType = acc.getType();
  if (isa<FloatType>(accType)) {
    Value product = arith::MulFOp::create(builder, loc, a, b);
    return arith::AddFOp::create(builder, loc, acc, product);
  }
  auto widen = [&](Value value, int64_t zeroPoint) {
    Value wide = castInt(builder, loc, value, accType);
    if (zeroPoint == 0)
      return wide;
    return arith::SubIOp::create(builder, loc, wide,
                                 constantInt(builder, loc, accType, zeroPoint))
        .getResult();
  };
  Value product = arith::MulIOp::create(builder, loc, widen(a, aZeroPoint),
                                        widen(b, bZeroPoint));
  return arith::AddIOp::create(builder, loc, acc, product);
}

Value emit::buildInBounds(OpBuilder &builder, Location loc, ValueRange indices,
                          ArrayRef<int64_t> sizes) {
  Value zero = constantIndex(builder, loc, 0);
  Value result;
  for (auto [index, size] : llvm::zip(indices, sizes)) {
    Value low = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sge,
                                      index, zero);
    Value high = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt,
                                       index, constantIndex(builder, loc, size));
    Value both = arith::AndIOp::create(builder, loc, low, high);
    result = result ? arith::AndIOp::create(builder, loc, result, both).getResult()
                    : both;
  }
  return result;
}

void emit::emitCompilerBarrier(OpBuilder &builder, Location loc) {
  LLVM::InlineAsmOp::create(
      builder, loc, TypeRange{}, ValueRange{}, /*asm_string=*/"",
      /*constraints=*/"~{memory}", /*has_side_effects=*/true,
      /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(builder.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
}

Value emit::hideProvenance(OpBuilder &builder, Location loc, Value value) {
  return LLVM::InlineAsmOp::create(
             builder, loc, value.getType(), ValueRange{value},
             /*asm_string=*/"", /*constraints=*/"=r,0",
             /*has_side_effects=*/false, /*is_align_stack=*/false,
             LLVM::tailcallkind::TailCallKind::None,
             LLVM::AsmDialectAttr::get(builder.getContext(),
                                       LLVM::AsmDialect::AD_ATT),
             /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

FailureOr<SmallVector<int64_t>> emit::getShapeValues(Operation *op,
                                                     Value shape) {
  DenseElementsAttr attr;
  if (!matchPattern(shape, m_Constant(&attr)))
    return op->emitOpError("needs a compile-time shape operand");
  return llvm::map_to_vector(attr.getValues<APInt>(), [](const APInt &v) {
    return v.getSExtValue();
  });
}

FailureOr<std::pair<int64_t, int64_t>>
emit::getZeroPoints(Operation *op, KernelOperands &operands, unsigned first) {
  DenseElementsAttr attr = operands.getConstant(first);
  if (attr && isa<FloatType>(attr.getElementType()))
    return std::pair<int64_t, int64_t>{0, 0};
  std::optional<int64_t> a = getIntConstant(operands, first);
  std::optional<int64_t> b = getIntConstant(operands, first + 1);
  if (!a || !b)
    return op->emitOpError("needs compile-time zero points");
  return std::pair<int64_t, int64_t>{*a, *b};
}

std::optional<int64_t>
emit::getDotProductBound(Operation *op, KernelOperands &operands,
                         unsigned input, unsigned weight, unsigned zeroPoints,
                         std::optional<unsigned> bias, int64_t products) {
  // The largest |v - zp| over the values of an integer element type.
  auto largestDifference = [&](unsigned index,
                               unsigned zeroPoint) -> std::optional<int64_t> {
    auto type = dyn_cast<IntegerType>(
        getElementTypeOrSelf(op->getOperand(index).getType()));
    std::optional<int64_t> zp = getIntConstant(operands, zeroPoint);
    if (!type || type.getWidth() > 16 || !zp)
      return std::nullopt;
    int64_t low = -(int64_t(1) << (type.getWidth() - 1));
    int64_t high = (int64_t(1) << type.getWidth()) - 1; // unsigned data too
    return std::max(std::abs(low - *zp), std::abs(high - *zp));
  };
  std::optional<int64_t> x = largestDifference(input, zeroPoints);
  std::optional<int64_t> w = largestDifference(weight, zeroPoints + 1);
  if (!x || !w || products < 0 || products > (int64_t(1) << 24))
    return std::nullopt;
  int64_t largestBias = 0;
  if (bias) {
    DenseElementsAttr biases = operands.getConstantSource(*bias);
    if (!biases || !isa<IntegerType>(biases.getElementType()))
      return std::nullopt;
    for (const APInt &b : biases.getValues<APInt>())
      largestBias = std::max(largestBias, std::abs(b.getSExtValue()));
  }
  return largestBias + products * *x * *w;
}

std::optional<int64_t>
emit::getOperandBound(Operation *op, KernelOperands &operands, unsigned index) {
  auto type =
      dyn_cast<IntegerType>(getElementTypeOrSelf(op->getOperand(index)));
  if (!type)
    return std::nullopt;
  if (std::optional<int64_t> computed = operands.getMagnitudeBound(index))
    return computed;
  if (DenseElementsAttr values = operands.getConstantSource(index);
      values && isa<IntegerType>(values.getElementType()) &&
      values.getElementType().getIntOrFloatBitWidth() <= 32) {
    int64_t largest = 0;
    for (const APInt &value : values.getValues<APInt>())
      largest = std::max(largest, std::abs(value.getSExtValue()));
    return largest;
  }
  if (type.getWidth() < 32)
    return int64_t(1) << type.getWidth();
  return std::nullopt;
}

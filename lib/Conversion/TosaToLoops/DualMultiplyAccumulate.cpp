//===- DualMultiplyAccumulate.cpp - pex-dual-multiply-accumulate -*- C++ -*-===//
//
// The int8 dot products of the convolution loops, four input channels per
// step with the Armv7E-M DSP extension: one word load brings four bytes,
// SXTB16 sign-extends bytes 0 and 2 (and, rotated by 8, bytes 1 and 3) into
// two 16-bit lanes, and SMLAD adds both lanes' products to an accumulator.
// Four multiply-accumulates then take one load per operand, two extensions
// per operand and two SMLADs, instead of two loads and a multiply each; an
// extended operand feeds every product it takes part in.
//
//===----------------------------------------------------------------------===//

#include "pex/Conversion/Passes.h"
#include "MicroKernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::pex {
#define GEN_PASS_DEF_DUALMULTIPLYACCUMULATE
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

constexpr int64_t kLanes = 4;
/// Packed loops of at most this many steps are unrolled fully.
constexpr int64_t kMaxUnrolledSteps = 2;

/// A factor of a product: an int8 load, sign-extended, less an int8
/// constant (an input's zero point in a convolution's border), read along
/// the loop's induction variable.
struct Factor {
  memref::LoadOp load;
  /// The dimension the induction variable indexes (unit stride), and what
  /// is added to it there, if anything.
  unsigned dim = 0;
  Value offset;
  int64_t zeroPoint = 0;
  bool operator==(const Factor &other) const {
    return load == other.load && zeroPoint == other.zeroPoint;
  }
};

/// A reduction loop `acc_k += a * b + ...` over factors whose loads read
/// consecutive bytes along the induction variable.
struct DotProductLoop {
  scf::ForOp loop;
  /// The factors of the products, in order of first use.
  SmallVector<Factor> factors;
  /// Per carried accumulator, its products as pairs of indices into
  /// `factors`.
  SmallVector<SmallVector<std::pair<unsigned, unsigned>>> products;
};

/// The int8 load `value` extends, reading consecutive bytes along the
/// loop's induction variable: it indexes one dimension of unit stride (alone
/// or plus a loop-invariant value) and every other index is fixed. Records
/// the operations the factor consists of in `ops`.
std::optional<Factor> matchByteLoad(scf::ForOp loop, Value value,
                                    SmallVectorImpl<Operation *> &ops) {
  auto ext = value.getDefiningOp<arith::ExtSIOp>();
  if (!ext || !ext.getType().isInteger(32))
    return std::nullopt;
  auto load = ext.getIn().getDefiningOp<memref::LoadOp>();
  if (!load || !load.getType().isInteger(8) ||
      load->getParentOp() != loop.getOperation())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t memrefOffset;
  if (failed(
          load.getMemRefType().getStridesAndOffset(strides, memrefOffset)))
    return std::nullopt;
  Value iv = loop.getInductionVar();
  std::optional<Factor> factor;
  for (auto [dim, index] : llvm::enumerate(load.getIndices())) {
    if (loop.isDefinedOutsideOfLoop(index))
      continue;
    if (factor || strides[dim] != 1)
      return std::nullopt;
    factor = Factor{load, static_cast<unsigned>(dim), Value(), 0};
    if (index == iv)
      continue;
    auto add = index.getDefiningOp<arith::AddIOp>();
    if (!add || (add.getLhs() != iv && add.getRhs() != iv))
      return std::nullopt;
    factor->offset = add.getLhs() == iv ? add.getRhs() : add.getLhs();
    if (!loop.isDefinedOutsideOfLoop(factor->offset))
      return std::nullopt;
    ops.push_back(add);
  }
  if (factor)
    ops.append({ext, load});
  return factor;
}

/// `value` as a factor: a byte load, or a byte load less a constant in the
/// int8 range (the difference then fits a 16-bit lane).
std::optional<Factor> matchFactor(scf::ForOp loop, Value value,
                                  SmallVectorImpl<Operation *> &ops) {
  int64_t zeroPoint = 0;
  if (auto sub = value.getDefiningOp<arith::SubIOp>()) {
    std::optional<int64_t> constant = getConstantIntValue(sub.getRhs());
    if (!constant || *constant < -128 || *constant > 127)
      return std::nullopt;
    zeroPoint = *constant;
    ops.push_back(sub);
    value = sub.getLhs();
  }
  std::optional<Factor> factor = matchByteLoad(loop, value, ops);
  if (factor)
    factor->zeroPoint = zeroPoint;
  return factor;
}

std::optional<DotProductLoop> matchDotProductLoop(scf::ForOp loop) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step != 1 || *ub <= *lb ||
      (*ub - *lb) % kLanes != 0 || loop.getNumRegionIterArgs() == 0)
    return std::nullopt;
  DotProductLoop match{loop, {}, {}};
  auto indexOf = [&](const Factor &factor) -> unsigned {
    auto *it = llvm::find(match.factors, factor);
    if (it != match.factors.end())
      return it - match.factors.begin();
    match.factors.push_back(factor);
    return match.factors.size() - 1;
  };
  // Every value yielded is the carried accumulator plus products.
  llvm::SmallPtrSet<Operation *, 16> used;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  for (auto [carried, yielded] :
       llvm::zip(loop.getRegionIterArgs(), yield.getOperands())) {
    if (!carried.getType().isInteger(32))
      return std::nullopt;
    SmallVector<std::pair<unsigned, unsigned>> products;
    Value sum = yielded;
    while (sum != carried) {
      auto add = sum.getDefiningOp<arith::AddIOp>();
      if (!add || !add->hasOneUse() || add->getParentOp() != loop)
        return std::nullopt;
      auto mul = add.getRhs().getDefiningOp<arith::MulIOp>();
      sum = add.getLhs();
      if (!mul) {
        mul = add.getLhs().getDefiningOp<arith::MulIOp>();
        sum = add.getRhs();
      }
      if (!mul || !mul->hasOneUse())
        return std::nullopt;
      SmallVector<Operation *> ops{add, mul};
      std::optional<Factor> a = matchFactor(loop, mul.getLhs(), ops);
      std::optional<Factor> b = matchFactor(loop, mul.getRhs(), ops);
      if (!a || !b)
        return std::nullopt;
      products.push_back({indexOf(*a), indexOf(*b)});
      used.insert(ops.begin(), ops.end());
    }
    if (!carried.hasOneUse())
      return std::nullopt;
    std::reverse(products.begin(), products.end());
    match.products.push_back(std::move(products));
  }
  // Nothing else happens in the loop.
  for (Operation &op : loop.getBody()->without_terminator())
    if (!used.contains(&op))
      return std::nullopt;
  return match;
}

Value callIntrinsic(OpBuilder &builder, Location loc, StringRef name,
                    ValueRange args) {
  return LLVM::CallIntrinsicOp::create(builder, loc, builder.getI32Type(),
                                       builder.getStringAttr(name), args)
      .getResult(0);
}

Value constantI32(OpBuilder &builder, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(builder, loc, value, 32);
}

/// The four bytes at `load`'s indices with the innermost one at `first`, as
/// a little-endian word: one word load at the element's address (Cortex-M4
/// loads unaligned words). Built from bytes, LLVM combines them into a word
/// only while the word has a single use, which the two lane extractions
/// break. The address is a byte offset from the memref's aligned pointer (a
/// loop-invariant base), so LLVM's strength reduction turns it into a
/// pointer stepping through the loop.
Value loadWord(OpBuilder &builder, Location loc, Factor factor, Value first) {
  Value memref = factor.load.getMemRef();
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, memref);
  Value aligned =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, memref);
  Type i32 = builder.getI32Type();
  auto pointerType = LLVM::LLVMPointerType::get(builder.getContext());
  Value base = LLVM::IntToPtrOp::create(
      builder, loc, pointerType,
      arith::IndexCastUIOp::create(builder, loc, i32, aligned).getResult());
  SmallVector<Value> indices(factor.load.getIndices());
  indices[factor.dim] =
      factor.offset
          ? arith::AddIOp::create(builder, loc, first, factor.offset)
                .getResult()
          : first;
  Value offset = metadata.getOffset();
  for (auto [index, stride] : llvm::zip(indices, metadata.getStrides()))
    offset = arith::AddIOp::create(
        builder, loc, offset,
        arith::MulIOp::create(builder, loc, index, stride));
  Value address = LLVM::GEPOp::create(
      builder, loc, pointerType, builder.getI8Type(), base,
      ValueRange{arith::IndexCastOp::create(builder, loc, i32, offset)
                     .getResult()});
  return LLVM::LoadOp::create(builder, loc, i32, address, /*alignment=*/1);
}

void rewrite(DotProductLoop &match) {
  scf::ForOp loop = match.loop;
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  auto packed = scf::ForOp::create(
      builder, loc, loop.getLowerBound(), loop.getUpperBound(),
      arith::ConstantIndexOp::create(builder, loc, kLanes),
      loop.getInitArgs(),
      [&](OpBuilder &b, Location l, Value first, ValueRange carried) {
        // Bytes 0 and 2, and bytes 1 and 3, of each factor's word, less
        // the zero point in each 16-bit lane (SSUB16 does not saturate).
        SmallVector<std::pair<Value, Value>> lanes;
        llvm::DenseMap<Operation *, Value> words;
        for (const Factor &factor : match.factors) {
          Value &word = words[factor.load];
          if (!word)
            word = loadWord(b, l, factor, first);
          Value rotated = arith::OrIOp::create(
              b, l, arith::ShRUIOp::create(b, l, word, constantI32(b, l, 8)),
              arith::ShLIOp::create(b, l, word, constantI32(b, l, 24)));
          std::pair<Value, Value> pair{
              callIntrinsic(b, l, "llvm.arm.sxtb16", word),
              callIntrinsic(b, l, "llvm.arm.sxtb16", rotated)};
          if (factor.zeroPoint != 0) {
            uint32_t lane = factor.zeroPoint & 0xffff;
            Value zeroPoints =
                constantI32(b, l, static_cast<int32_t>(lane << 16 | lane));
            pair = {callIntrinsic(b, l, "llvm.arm.ssub16",
                                  {pair.first, zeroPoints}),
                    callIntrinsic(b, l, "llvm.arm.ssub16",
                                  {pair.second, zeroPoints})};
          }
          lanes.push_back(pair);
        }
        SmallVector<Value> sums;
        for (auto [acc, products] : llvm::zip(carried, match.products)) {
          Value sum = acc;
          for (auto [a, b2] : products) {
            sum = callIntrinsic(b, l, "llvm.arm.smlad",
                                {lanes[a].first, lanes[b2].first, sum});
            sum = callIntrinsic(b, l, "llvm.arm.smlad",
                                {lanes[a].second, lanes[b2].second, sum});
          }
          sums.push_back(sum);
        }
        scf::YieldOp::create(b, l, sums);
      });
  loop.replaceAllUsesWith(packed.getResults());
  loop.erase();
  // A run of two words (a kernel row of a few channels) is cheaper unrolled:
  // the loop's counter and branch cost as much as a step's products.
  std::optional<APInt> trips = packed.getStaticTripCount();
  if (trips && trips->getSExtValue() <= kMaxUnrolledSteps) {
    (void)loopUnrollFull(packed);
    return;
  }
  // Unrolled, LLVM's scheduler hoists the next steps' loads and runs out of
  // registers: the accumulators and extended operands fill them already.
  MLIRContext *context = builder.getContext();
  packed->setAttr(
      "loop_annotation",
      LLVM::LoopAnnotationAttr::get(
          context, {}, {}, {},
          LLVM::LoopUnrollAttr::get(context, BoolAttr::get(context, true), {},
                                    {}, {}, {}, {}, {}),
          {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}));
}

/// `acc + x * (w >> 16)` and `acc + x * ((w << 16) >> 16)` with x a
/// sign-extended int8 or int16 (a depthwise filter's weights as 16-bit lanes,
/// HalfwordFilters) as one SMLABT or SMLABB of the word itself: LLVM would
/// hoist each lane's extraction out of the loops into a register of its
/// own. Exact: the product of two 16-bit values wraps into the sum as the
/// i32 addition does.
void rewriteHalfwordProduct(arith::AddIOp add) {
  if (!add.getType().isInteger(32))
    return;
  for (unsigned side = 0; side < 2; ++side) {
    auto mul = add->getOperand(side).getDefiningOp<arith::MulIOp>();
    if (!mul || !mul->hasOneUse())
      continue;
    for (unsigned factor = 0; factor < 2; ++factor) {
      auto ext = mul->getOperand(factor).getDefiningOp<arith::ExtSIOp>();
      auto lane = mul->getOperand(1 - factor).getDefiningOp<arith::ShRSIOp>();
      if (!ext || ext.getIn().getType().getIntOrFloatBitWidth() > 16 ||
          !lane || getConstantIntValue(lane.getRhs()) != 16)
        continue;
      Value word = lane.getLhs();
      StringRef name = "llvm.arm.smlabt";
      if (auto shl = word.getDefiningOp<arith::ShLIOp>();
          shl && getConstantIntValue(shl.getRhs()) == 16) {
        word = shl.getLhs();
        name = "llvm.arm.smlabb";
      }
      OpBuilder builder(add);
      add.replaceAllUsesWith(
          callIntrinsic(builder, add.getLoc(), name,
                        {ext.getResult(), word, add->getOperand(1 - side)}));
      add.erase();
      mul.erase();
      return;
    }
  }
}

struct DualMultiplyAccumulatePass
    : public pex::impl::DualMultiplyAccumulateBase<
          DualMultiplyAccumulatePass> {
  void runOnOperation() override {
    if (failed(emit::lowerMicroKernelsToDsp(getOperation())))
      return signalPassFailure();
    // A loop of one iteration (over the single input channel of a first
    // convolution) hides the loop around it, over consecutive taps.
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](scf::ForOp loop) {
      (void)loop.promoteIfSingleIteration(rewriter);
    });
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops) {
      // The indices of the loads must not vary with the loop: move what
      // the emitters compute inside (channel and tap offsets) out first.
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      if (std::optional<DotProductLoop> match = matchDotProductLoop(loop))
        rewrite(*match);
    }
    getOperation().walk(rewriteHalfwordProduct);
  }
};

} // namespace

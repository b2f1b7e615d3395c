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

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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

/// A reduction loop `acc_k += sext(a) * sext(b) + ...` over int8 loads whose
/// innermost index is the induction variable (contiguous bytes).
struct DotProductLoop {
  scf::ForOp loop;
  /// The loads the products read, in order of first use.
  SmallVector<memref::LoadOp> loads;
  /// Per carried accumulator, its products as pairs of indices into `loads`.
  SmallVector<SmallVector<std::pair<unsigned, unsigned>>> products;
};

/// The int8 load `value` extends, read along the loop's induction variable
/// from a contiguous innermost dimension with every other index fixed.
memref::LoadOp matchByteLoad(scf::ForOp loop, Value value) {
  auto ext = value.getDefiningOp<arith::ExtSIOp>();
  if (!ext || !ext.getType().isInteger(32))
    return {};
  auto load = ext.getIn().getDefiningOp<memref::LoadOp>();
  if (!load || !load.getType().isInteger(8) ||
      load->getParentOp() != loop.getOperation())
    return {};
  ValueRange indices = load.getIndices();
  if (indices.empty() || indices.back() != loop.getInductionVar())
    return {};
  for (Value index : indices.drop_back())
    if (!loop.isDefinedOutsideOfLoop(index))
      return {};
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(load.getMemRefType().getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return {};
  return load;
}

std::optional<DotProductLoop> matchDotProductLoop(scf::ForOp loop) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step != 1 || *ub <= *lb ||
      (*ub - *lb) % kLanes != 0 || loop.getNumRegionIterArgs() == 0)
    return std::nullopt;
  DotProductLoop match{loop, {}, {}};
  llvm::DenseMap<Operation *, unsigned> loadIndex;
  auto indexOf = [&](memref::LoadOp load) {
    auto [it, inserted] =
        loadIndex.try_emplace(load.getOperation(), match.loads.size());
    if (inserted)
      match.loads.push_back(load);
    return it->second;
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
      memref::LoadOp a = matchByteLoad(loop, mul.getLhs());
      memref::LoadOp b = matchByteLoad(loop, mul.getRhs());
      if (!a || !b)
        return std::nullopt;
      products.push_back({indexOf(a), indexOf(b)});
      used.insert({add, mul, mul.getLhs().getDefiningOp(),
                   mul.getRhs().getDefiningOp(), a, b});
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
/// a little-endian word. They are read through a 4-byte view at constant
/// offsets, which LLVM sees as consecutive and turns into one word load
/// (Cortex-M4 loads unaligned words).
Value loadWord(OpBuilder &builder, Location loc, memref::LoadOp load,
               Value first) {
  MemRefType type = load.getMemRefType();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(load.getIndices());
  offsets.back() = first;
  SmallVector<OpFoldResult> sizes(rank, builder.getIndexAttr(1));
  sizes.back() = builder.getIndexAttr(kLanes);
  SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
  Value bytes = memref::SubViewOp::create(builder, loc, load.getMemRef(),
                                          offsets, sizes, strides);
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  SmallVector<Value> indices(rank, zero);
  Value word;
  for (int64_t lane = 0; lane < kLanes; ++lane) {
    indices.back() = arith::ConstantIndexOp::create(builder, loc, lane);
    Value byte = memref::LoadOp::create(builder, loc, bytes, indices);
    Value wide =
        arith::ExtUIOp::create(builder, loc, builder.getI32Type(), byte);
    if (lane > 0)
      wide = arith::ShLIOp::create(builder, loc, wide,
                                   constantI32(builder, loc, 8 * lane));
    word = word ? arith::OrIOp::create(builder, loc, word, wide).getResult()
                : wide;
  }
  return word;
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
        // Bytes 0 and 2, and bytes 1 and 3, of each operand's word.
        SmallVector<std::pair<Value, Value>> lanes;
        for (memref::LoadOp load : match.loads) {
          Value word = loadWord(b, l, load, first);
          Value rotated = arith::OrIOp::create(
              b, l, arith::ShRUIOp::create(b, l, word, constantI32(b, l, 8)),
              arith::ShLIOp::create(b, l, word, constantI32(b, l, 24)));
          lanes.push_back({callIntrinsic(b, l, "llvm.arm.sxtb16", word),
                           callIntrinsic(b, l, "llvm.arm.sxtb16", rotated)});
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
}

struct DualMultiplyAccumulatePass
    : public pex::impl::DualMultiplyAccumulateBase<
          DualMultiplyAccumulatePass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops) {
      // The indices of the loads must not vary with the loop: move what
      // the emitters compute inside (channel and tap offsets) out first.
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      if (std::optional<DotProductLoop> match = matchDotProductLoop(loop))
        rewrite(*match);
    }
  }
};

} // namespace

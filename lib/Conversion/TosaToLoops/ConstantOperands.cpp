//===- ConstantOperands.cpp - Weights and parameters as globals -*- C++ -*-===//

#include "ConstantOperands.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <functional>

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

std::optional<ConstantSlice> emit::getConstantSlice(OpBuilder &builder,
                                                    Location loc, Value memref,
                                                    unsigned sliced) {
  SmallVector<OpFoldResult> offsets;
  Value current = memref;
  while (auto subview = current.getDefiningOp<memref::SubViewOp>()) {
    MemRefType source = subview.getSourceType();
    if (source.getRank() != subview.getType().getRank())
      return std::nullopt;
    for (auto [dim, offset, size, stride] : llvm::enumerate(
             subview.getMixedOffsets(), subview.getMixedSizes(),
             subview.getMixedStrides())) {
      if (!isConstantIntValue(stride, 1))
        return std::nullopt;
      if (dim != sliced && (!isConstantIntValue(offset, 0) ||
                            !isConstantIntValue(size, source.getDimSize(dim))))
        return std::nullopt;
    }
    offsets.push_back(subview.getMixedOffsets()[sliced]);
    current = subview.getSource();
  }
  auto get = current.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  if (!global || !global.getConstant())
    return std::nullopt;
  auto value =
      dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
  auto type = cast<MemRefType>(memref.getType());
  if (!value || value.getElementType() != type.getElementType())
    return std::nullopt;
  Value offset = constantIndex(builder, loc, 0);
  for (OpFoldResult part : offsets)
    offset = arith::AddIOp::create(
        builder, loc, offset,
        getValueOrCreateConstantIndexOp(builder, loc, part));
  return ConstantSlice{global, value, offset, offsets};
}

bool emit::sameSlice(const ConstantSlice &a, const ConstantSlice &b) {
  auto isZero = [](OpFoldResult offset) {
    return isConstantIntValue(offset, 0);
  };
  SmallVector<OpFoldResult> left, right;
  llvm::copy_if(a.offsets, std::back_inserter(left),
                [&](OpFoldResult o) { return !isZero(o); });
  llvm::copy_if(b.offsets, std::back_inserter(right),
                [&](OpFoldResult o) { return !isZero(o); });
  return left.size() == right.size() &&
         llvm::all_of(llvm::zip(left, right), [](auto pair) {
           auto [l, r] = pair;
           return l == r || (getConstantIntValue(l) &&
                             getConstantIntValue(l) == getConstantIntValue(r));
         });
}

memref::GlobalOp emit::getOrCreateConstant(memref::GlobalOp neighbour,
                                           StringRef name,
                                           DenseElementsAttr value,
                                           uint64_t alignment) {
  auto module = neighbour->getParentOfType<ModuleOp>();
  if (auto existing = dyn_cast_or_null<memref::GlobalOp>(
          SymbolTable::lookupSymbolIn(module, name)))
    return existing;
  OpBuilder builder(neighbour);
  builder.setInsertionPointAfter(neighbour);
  auto type = MemRefType::get(value.getType().getShape(),
                              value.getElementType());
  return memref::GlobalOp::create(
      builder, neighbour.getLoc(), name, builder.getStringAttr("private"),
      type, value, /*constant=*/true,
      builder.getI64IntegerAttr(static_cast<int64_t>(alignment)));
}

void emit::alignGlobal(memref::GlobalOp global, uint64_t alignment) {
  if (global.getAlignment().value_or(1) < alignment)
    global.setAlignment(alignment);
}

bool emit::isSliceAlignedTo(const ConstantSlice &slice, int64_t factor) {
  if (factor == 1)
    return true;
  std::function<bool(OpFoldResult)> aligned = [&](OpFoldResult offset) {
    if (std::optional<int64_t> constant = getConstantIntValue(offset))
      return *constant % factor == 0;
    Operation *def = cast<Value>(offset).getDefiningOp();
    if (auto mul = dyn_cast_or_null<arith::MulIOp>(def))
      return aligned(mul.getLhs()) || aligned(mul.getRhs());
    if (auto add = dyn_cast_or_null<arith::AddIOp>(def))
      return aligned(add.getLhs()) && aligned(add.getRhs());
    return false;
  };
  return llvm::all_of(slice.offsets, aligned);
}

/// The name of a bias global folded from `weights` and `bias` with these
/// zero points: kernels that share weights and bias (a mean computed as a
/// depthwise convolution of ones) may read inputs of other zero points.
static std::string getFoldedName(memref::GlobalOp weights,
                                 memref::GlobalOp bias, StringRef kind,
                                 int64_t inputZp, int64_t weightZp) {
  auto number = [](int64_t value) {
    return (value < 0 ? "m" : "") + std::to_string(std::abs(value));
  };
  return (weights.getSymName() + "_" + bias.getSymName() + "_" + kind +
          "_zp" + number(inputZp) + "_" + number(weightZp))
      .str();
}

/// `bias - inputZp * sum(w - weightZp)` of every output channel: see
/// FoldedBiases.
static DenseElementsAttr
foldZeroPointIntoBias(DenseElementsAttr bias, DenseElementsAttr weights,
                      unsigned channelDim, int64_t inputZp,
                      int64_t weightZp) {
  ArrayRef<int64_t> shape = weights.getType().getShape();
  int64_t outputChannels = shape[channelDim];
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(channelDim + 1))
    inner *= size;
  SmallVector<int64_t> sums(outputChannels, 0);
  for (auto [index, w] : llvm::enumerate(weights.getValues<APInt>()))
    sums[(static_cast<int64_t>(index) / inner) % outputChannels] +=
        w.getSExtValue() - weightZp;
  SmallVector<APInt> biases(bias.getValues<APInt>());
  SmallVector<int32_t> folded;
  for (int64_t c = 0; c < outputChannels; ++c) {
    uint64_t b = biases[biases.size() == 1 ? 0 : c].getSExtValue();
    folded.push_back(static_cast<int32_t>(
        static_cast<uint32_t>(b - static_cast<uint64_t>(inputZp * sums[c]))));
  }
  auto type = RankedTensorType::get({outputChannels},
                                    IntegerType::get(bias.getContext(), 32));
  return DenseElementsAttr::get(type, ArrayRef<int32_t>(folded));
}

std::optional<FoldedBiases>
FoldedBiases::get(OpBuilder &builder, Location loc, Value weights, Value bias,
                  unsigned channelDim, int64_t inputZp, int64_t weightZp) {
  if (!weights || !bias)
    return std::nullopt;
  std::optional<ConstantSlice> weightSlice =
      getConstantSlice(builder, loc, weights, channelDim);
  std::optional<ConstantSlice> biasSlice = getConstantSlice(builder, loc, bias);
  if (!weightSlice || !biasSlice ||
      !isa<IntegerType>(weightSlice->value.getElementType()) ||
      !biasSlice->value.getElementType().isInteger(32))
    return std::nullopt;
  // A shared bias is never sliced; a per-channel one is sliced as the
  // weights are.
  int64_t biasSize = biasSlice->value.getNumElements();
  int64_t outputChannels = weightSlice->value.getType().getDimSize(channelDim);
  if (biasSize == 1 ? !biasSlice->offsets.empty()
                    : biasSize != outputChannels ||
                          !sameSlice(*weightSlice, *biasSlice))
    return std::nullopt;
  DenseElementsAttr folded = foldZeroPointIntoBias(
      biasSlice->value, weightSlice->value, channelDim, inputZp, weightZp);
  std::string name = getFoldedName(weightSlice->global, biasSlice->global,
                                   "folded", inputZp, weightZp);
  memref::GlobalOp global =
      getOrCreateConstant(biasSlice->global, name, folded, 4);
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return FoldedBiases(memref, weightSlice->offset);
}

std::optional<FoldedBiases> FoldedBiases::getForInputSlices(
    OpBuilder &builder, Location loc, DenseElementsAttr regrouped,
    StringRef regroupedName, Value bias, int64_t inputZp, Value firstRow) {
  std::optional<ConstantSlice> biasSlice = getConstantSlice(builder, loc, bias);
  if (!biasSlice || !biasSlice->offsets.empty() ||
      !biasSlice->value.getElementType().isInteger(32))
    return std::nullopt;
  int64_t rows = regrouped.getType().getDimSize(0);
  int64_t biasSize = biasSlice->value.getNumElements();
  if (biasSize != 1 && rows % biasSize != 0)
    return std::nullopt;
  SmallVector<APInt> perRow;
  SmallVector<APInt> biases(biasSlice->value.getValues<APInt>());
  for (int64_t row = 0; row < rows; ++row)
    perRow.push_back(biases[row % biasSize]);
  auto rowType = RankedTensorType::get({rows}, builder.getI32Type());
  DenseElementsAttr folded = foldZeroPointIntoBias(
      DenseElementsAttr::get(rowType, perRow), regrouped, 0, inputZp, 0);
  auto name = (regroupedName + "_" + biasSlice->global.getSymName() + "_zp" +
               (inputZp < 0 ? "m" : "") + Twine(std::abs(inputZp)))
                  .str();
  memref::GlobalOp global =
      getOrCreateConstant(biasSlice->global, name, folded, 4);
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return FoldedBiases(memref, firstRow);
}

Value FoldedBiases::load(OpBuilder &builder, Location loc,
                         Value channel) const {
  return memref::LoadOp::create(
      builder, loc, memref,
      ValueRange{arith::AddIOp::create(builder, loc, offset, channel)});
}

namespace {
/// A depthwise filter [KH, KW, C, M] as a constant slice along its input
/// channels or, over a single input channel, along its copies (an image's
/// first layer), with the slice's first output channel c * M + m.
struct DepthwiseFilterSlice {
  ConstantSlice slice;
  bool byCopies;
  Value firstOutputChannel;
};
} // namespace

static std::optional<DepthwiseFilterSlice>
getDepthwiseFilterSlice(OpBuilder &builder, Location loc, Value weights) {
  bool byCopies = false;
  std::optional<ConstantSlice> slice =
      getConstantSlice(builder, loc, weights, /*dim=*/2);
  if (!slice) {
    slice = getConstantSlice(builder, loc, weights, /*dim=*/3);
    byCopies = true;
  }
  if (!slice || !isa<IntegerType>(slice->value.getElementType()))
    return std::nullopt;
  ArrayRef<int64_t> shape = slice->value.getType().getShape();
  if (shape.size() != 4 || (byCopies && shape[2] != 1))
    return std::nullopt;
  Value first = byCopies ? slice->offset
                         : arith::MulIOp::create(
                               builder, loc, slice->offset,
                               constantIndex(builder, loc, shape[3]))
                               .getResult();
  return DepthwiseFilterSlice{*slice, byCopies, first};
}

static bool isUnsliced(const ConstantSlice &slice) {
  return llvm::all_of(slice.offsets, [](OpFoldResult offset) {
    return isConstantIntValue(offset, 0);
  });
}

std::optional<DepthwisePartBiases>
DepthwisePartBiases::get(OpBuilder &builder, Location loc, Value weights,
                         Value bias, ArrayRef<FilterPart> parts,
                         int64_t inputZp, int64_t weightZp) {
  std::optional<DepthwiseFilterSlice> filter =
      getDepthwiseFilterSlice(builder, loc, weights);
  std::optional<ConstantSlice> biasSlice = getConstantSlice(builder, loc, bias);
  if (!filter || !biasSlice ||
      !biasSlice->value.getElementType().isInteger(32))
    return std::nullopt;
  ArrayRef<int64_t> shape = filter->slice.value.getType().getShape();
  int64_t kernelW = shape[1], channels = shape[2] * shape[3];
  // The bias must be read where the weights are: shared and never sliced,
  // or sliced along the output channels as the weights are (provably only
  // when a weights' offset is an output channel's, or neither is sliced).
  int64_t biasSize = biasSlice->value.getNumElements();
  bool offsetsAreChannels = filter->byCopies || shape[3] == 1;
  bool alike = biasSize == 1
                   ? isUnsliced(*biasSlice)
                   : biasSize == channels &&
                         (offsetsAreChannels
                              ? sameSlice(filter->slice, *biasSlice)
                              : isUnsliced(filter->slice) &&
                                    isUnsliced(*biasSlice));
  if (!alike)
    return std::nullopt;

  int64_t partCount = static_cast<int64_t>(parts.size());
  SmallVector<int64_t> sums(channels * partCount, 0);
  for (auto [index, w] :
       llvm::enumerate(filter->slice.value.getValues<APInt>())) {
    int64_t tap = static_cast<int64_t>(index) / channels;
    int64_t channel = static_cast<int64_t>(index) % channels;
    int64_t kh = tap / kernelW, kw = tap % kernelW;
    for (auto [p, part] : llvm::enumerate(parts))
      if (kh >= part.rowBegin && kh < part.rowEnd && kw >= part.colBegin &&
          kw < part.colEnd)
        sums[channel * partCount + p] += w.getSExtValue() - weightZp;
  }
  SmallVector<APInt> biases(biasSlice->value.getValues<APInt>());
  SmallVector<int32_t> folded;
  std::string name = getFoldedName(filter->slice.global, biasSlice->global,
                                   "parts", inputZp, weightZp);
  for (const FilterPart &part : parts)
    name += llvm::formatv("_r{0}t{1}c{2}t{3}", part.rowBegin, part.rowEnd,
                          part.colBegin, part.colEnd)
                .str();
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < partCount; ++p) {
      uint64_t b = biases[biasSize == 1 ? 0 : c].getSExtValue();
      folded.push_back(static_cast<int32_t>(static_cast<uint32_t>(
          b - static_cast<uint64_t>(inputZp * sums[c * partCount + p]))));
    }
  auto type = RankedTensorType::get({channels, partCount},
                                    builder.getI32Type());
  memref::GlobalOp global = getOrCreateConstant(
      biasSlice->global, name,
      DenseElementsAttr::get(type, ArrayRef<int32_t>(folded)), 4);
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return DepthwisePartBiases(memref, filter->firstOutputChannel);
}

Value DepthwisePartBiases::load(OpBuilder &builder, Location loc,
                                Value channel, int64_t part) const {
  return memref::LoadOp::create(
      builder, loc, memref,
      ValueRange{arith::AddIOp::create(builder, loc, offset, channel),
                 constantIndex(builder, loc, part)});
}

std::optional<HalfwordFilters>
HalfwordFilters::get(OpBuilder &builder, Location loc, Value weights) {
  std::optional<DepthwiseFilterSlice> filter =
      getDepthwiseFilterSlice(builder, loc, weights);
  if (!filter || !filter->slice.value.getElementType().isInteger(8))
    return std::nullopt;
  ConstantSlice &slice = filter->slice;
  ArrayRef<int64_t> shape = slice.value.getType().getShape();
  int64_t taps = shape[0] * shape[1], channels = shape[2] * shape[3];
  int64_t words = llvm::divideCeil(taps, 2);
  SmallVector<int32_t> packed(channels * words, 0);
  for (auto [index, w] : llvm::enumerate(slice.value.getValues<APInt>())) {
    int64_t tap = static_cast<int64_t>(index) / channels;
    int64_t channel = static_cast<int64_t>(index) % channels;
    uint32_t lane = static_cast<uint16_t>(w.getSExtValue());
    packed[channel * words + tap / 2] |=
        static_cast<int32_t>(lane << (16 * (tap % 2)));
  }
  auto type = RankedTensorType::get({channels, words}, builder.getI32Type());
  memref::GlobalOp global = getOrCreateConstant(
      slice.global, (slice.global.getSymName() + "_halfwords").str(),
      DenseElementsAttr::get(type, ArrayRef<int32_t>(packed)), 4);
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return HalfwordFilters(memref, filter->firstOutputChannel, shape[1]);
}

Value HalfwordFilters::loadTap(OpBuilder &builder, Location loc,
                               Value channel, int64_t kh, int64_t kw) const {
  int64_t tap = kh * kernelW + kw;
  Value word = memref::LoadOp::create(
      builder, loc, memref,
      ValueRange{arith::AddIOp::create(builder, loc, offset, channel),
                 constantIndex(builder, loc, tap / 2)});
  if (tap % 2)
    return word;
  return arith::ShLIOp::create(builder, loc, word,
                               constantInt(builder, loc, word.getType(), 16));
}

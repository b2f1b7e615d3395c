//===- LowerGroups.cpp - pex-lower-groups -----------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pex {
#define GEN_PASS_DEF_LOWERGROUPS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Values one slice yields: its slices of the assembled results and its
/// contributions to the accumulators.
struct SliceValues {
  SmallVector<Value> assembled, partials;
};

/// Entry `index` of a group's array of placements, if the planner placed
/// that value (pex-plan-arena).
PlacementAttr getPlacement(GroupOp group, StringRef name, unsigned index) {
  auto placements = group->getAttrOfType<ArrayAttr>(name);
  if (!placements || index >= placements.size())
    return nullptr;
  return dyn_cast<PlacementAttr>(placements[index]);
}

class GroupLowering {
public:
  explicit GroupLowering(GroupOp group) : group(group), builder(group) {}
  LogicalResult lower();

private:
  /// The planner's storage of accumulator `index`: its own, or the group's
  /// result when there is no epilogue (the accumulator is the result).
  PlacementAttr getAccumulatorPlacement(unsigned index) {
    if (group.hasEpilogue())
      return getPlacement(group, kAccumulatorPlacementsAttrName, index);
    return getPlacement(group, kResultPlacementsAttrName,
                        group.getAssembledResults().size() + index);
  }

  /// `value[..., offset : offset + size]` along `dim`.
  Value extractSlice(Value value, int64_t dim, OpFoldResult offset,
                     int64_t size);
  /// The body for the slice of `size` channels at `offset`. At the nominal
  /// slice size the body is cloned as is; the remainder's types are
  /// inferred again from its smaller operands.
  FailureOr<SliceValues> emitSlice(OpFoldResult offset, int64_t size);
  /// `destination` with `slice` written at channel `offset`.
  Value insertSlice(Value slice, Value destination, OpFoldResult offset);
  /// A tensor of `type` filled with zeros.
  Value zeros(RankedTensorType type);

  GroupOp group;
  OpBuilder builder;
};

Value GroupLowering::extractSlice(Value value, int64_t dim,
                                  OpFoldResult offset, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(rank, builder.getIndexAttr(1));
  for (int64_t size : type.getShape())
    sizes.push_back(builder.getIndexAttr(size));
  offsets[dim] = offset;
  sizes[dim] = builder.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(
      builder, value.getLoc(), GroupOp::withChannels(type, dim, size), value,
      offsets, sizes, strides);
}

Value GroupLowering::insertSlice(Value slice, Value destination,
                                 OpFoldResult offset) {
  auto type = cast<RankedTensorType>(destination.getType());
  int64_t axis = group.getAxis();
  SmallVector<OpFoldResult> offsets(type.getRank(), builder.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(type.getRank(),
                                           builder.getIndexAttr(1));
  for (int64_t size : cast<RankedTensorType>(slice.getType()).getShape())
    sizes.push_back(builder.getIndexAttr(size));
  offsets[axis] = offset;
  return tensor::InsertSliceOp::create(builder, slice.getLoc(), slice,
                                       destination, offsets, sizes, strides);
}

Value GroupLowering::zeros(RankedTensorType type) {
  // A one-element zero tiled to the shape: a kernel writes the zeros, no
  // full-size constant is stored in flash.
  Location loc = group.getLoc();
  SmallVector<int64_t> ones(type.getRank(), 1);
  auto scalarType = type.clone(ones);
  Value zero = tosa::ConstOp::create(
      builder, loc, scalarType,
      DenseElementsAttr::get(scalarType,
                             builder.getZeroAttr(type.getElementType())));
  Value multiples = tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(builder.getContext(), type.getRank()),
      builder.getIndexTensorAttr(type.getShape()));
  return tosa::TileOp::create(builder, loc, type, zero, multiples);
}

FailureOr<SliceValues> GroupLowering::emitSlice(OpFoldResult offset,
                                                int64_t size) {
  Block &body = group.getBody().front();
  int64_t axis = group.getAxis();
  bool nominal = size == group.getSliceSize();
  IRMapping mapping;
  size_t numWhole = group.getWhole().size();
  for (auto [arg, operand] :
       llvm::zip(body.getArguments().take_front(numWhole), group.getWhole()))
    mapping.map(arg, operand);
  for (auto [arg, operand] :
       llvm::zip(body.getArguments().drop_front(numWhole), group.getSliced()))
    mapping.map(arg, extractSlice(operand, axis, offset, size));

  for (Operation &op : body.without_terminator()) {
    if (auto slice = dyn_cast<SliceOp>(op)) {
      mapping.map(slice.getResult(),
                  extractSlice(slice.getSource(), slice.getDim(), offset, size));
      continue;
    }
    Operation *clone = builder.clone(op, mapping);
    if (nominal)
      continue;
    auto infer = dyn_cast<InferShapedTypeOpInterface>(clone);
    SmallVector<ShapedTypeComponents> shapes;
    if (!infer ||
        failed(infer.inferReturnTypeComponents(
            builder.getContext(), clone->getLoc(), clone->getOperands(),
            clone->getAttrDictionary(), clone->getPropertiesStorage(),
            clone->getRegions(), shapes)))
      return op.emitError() << "pex: cannot infer the remainder slice's "
                               "shape of this operator";
    for (auto [result, shape] : llvm::zip(clone->getResults(), shapes))
      result.setType(cast<RankedTensorType>(result.getType())
                         .clone(shape.getDims()));
  }
  PartialYieldOp yield = group.getPartialYield();
  SliceValues values;
  for (Value value : yield.getAssemble())
    values.assembled.push_back(mapping.lookup(value));
  for (Value value : yield.getAccumulate())
    values.partials.push_back(mapping.lookup(value));
  return values;
}

LogicalResult GroupLowering::lower() {
  Location loc = group.getLoc();
  PartialYieldOp yield = group.getPartialYield();
  // Results assembled slice by slice are written into their planned
  // storage; accumulators are zeroed in theirs, and every slice adds to it
  // in place.
  SmallVector<Value> assembled, accumulators;
  SmallVector<PlacementAttr> accumulatorPlacements;
  for (auto [index, result] : llvm::enumerate(group.getAssembledResults())) {
    auto type = cast<RankedTensorType>(result.getType());
    if (PlacementAttr placement =
            getPlacement(group, kResultPlacementsAttrName, index))
      assembled.push_back(BufferOp::create(builder, loc, type, placement));
    else
      assembled.push_back(tensor::EmptyOp::create(
          builder, loc, type.getShape(), type.getElementType()));
  }
  for (auto [index, partial] : llvm::enumerate(yield.getAccumulate())) {
    Value zero = zeros(cast<RankedTensorType>(partial.getType()));
    PlacementAttr placement = getAccumulatorPlacement(index);
    if (placement)
      zero.getDefiningOp()->setAttr(kPlacementAttrName, placement);
    accumulators.push_back(zero);
    accumulatorPlacements.push_back(placement);
  }

  // Carries the assembled results and accumulators across one slice.
  auto applySlice = [&](const SliceValues &slice, OpFoldResult offset,
                        ValueRange carried) {
    SmallVector<Value> updated;
    for (auto [value, destination] :
         llvm::zip(slice.assembled, carried.take_front(assembled.size())))
      updated.push_back(insertSlice(value, destination, offset));
    for (auto [partial, accumulator, placement] :
         llvm::zip(slice.partials, carried.drop_front(assembled.size()),
                   accumulatorPlacements)) {
      auto sum = tosa::AddOp::create(builder, partial.getLoc(),
                                     accumulator.getType(), accumulator,
                                     partial);
      if (placement)
        sum->setAttr(kPlacementAttrName, placement);
      updated.push_back(sum);
    }
    return updated;
  };

  int64_t sliceSize = group.getSliceSize();
  int64_t lastSize = group.getLastSliceSize();
  int64_t fullSlices = lastSize == sliceSize ? group.getSlices()
                                             : group.getSlices() - 1;
  SmallVector<Value> carried(assembled);
  llvm::append_range(carried, accumulators);
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value count = arith::ConstantIndexOp::create(builder, loc, fullSlices);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  // The smaller last slice runs where the planner recorded it.
  auto emitRemainder = [&]() -> LogicalResult {
    if (lastSize == sliceSize)
      return success();
    OpFoldResult offset = builder.getIndexAttr(fullSlices * sliceSize);
    FailureOr<SliceValues> slice = emitSlice(offset, lastSize);
    if (failed(slice))
      return failure();
    carried = applySlice(*slice, offset, carried);
    return success();
  };
  bool remainderFirst = group.getRemainder() == RemainderPosition::First;
  if (remainderFirst && failed(emitRemainder()))
    return failure();
  LogicalResult status = success();
  auto loop = scf::ForOp::create(
      builder, loc, zero, count, one, carried,
      [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange args) {
        OpBuilder::InsertionGuard guard(builder);
        builder.setInsertionPoint(nested.getInsertionBlock(),
                                  nested.getInsertionPoint());
        Value offset = arith::MulIOp::create(
            builder, nestedLoc, iv,
            arith::ConstantIndexOp::create(builder, nestedLoc, sliceSize));
        FailureOr<SliceValues> slice = emitSlice(offset, sliceSize);
        if (failed(slice)) {
          status = failure();
          scf::YieldOp::create(builder, nestedLoc, args);
          return;
        }
        scf::YieldOp::create(builder, nestedLoc,
                             applySlice(*slice, offset, args));
      });
  if (failed(status))
    return failure();
  carried.assign(loop.getResults().begin(), loop.getResults().end());
  if (!remainderFirst && failed(emitRemainder()))
    return failure();

  ValueRange finalAssembled = ValueRange(carried).take_front(assembled.size());
  ValueRange finalAccumulators =
      ValueRange(carried).drop_front(assembled.size());
  SmallVector<Value> finalResults(finalAccumulators);
  if (group.hasEpilogue()) {
    Block &epilogue = group.getEpilogue().front();
    IRMapping mapping;
    for (auto [arg, value] : llvm::zip(epilogue.getArguments(),
                                       llvm::concat<Value>(finalAccumulators,
                                                           group.getWhole())))
      mapping.map(arg, value);
    for (Operation &op : epilogue.without_terminator())
      builder.clone(op, mapping);
    finalResults.clear();
    // The epilogue computes each result into the group result's storage.
    unsigned numAssembled = assembled.size();
    for (auto [index, value] : llvm::enumerate(
             cast<YieldOp>(epilogue.getTerminator()).getValues())) {
      Value result = mapping.lookup(value);
      PlacementAttr placement = getPlacement(
          group, kResultPlacementsAttrName, numAssembled + index);
      // An epilogue that returns an accumulator unchanged still has a result
      // of its own storage, which the planner may have placed apart from the
      // accumulator (whose bytes it then reuses): copy it there.
      if (placement && isa<BlockArgument>(value))
        result = tosa::IdentityOp::create(builder, group.getLoc(),
                                          result.getType(), result);
      Operation *producer = result.getDefiningOp();
      if (placement && producer &&
          (isa<BlockArgument>(value) ||
           value.getDefiningOp()->getParentRegion() == &group.getEpilogue()))
        producer->setAttr(kPlacementAttrName, placement);
      finalResults.push_back(result);
    }
  }
  SmallVector<Value> replacements(finalAssembled);
  llvm::append_range(replacements, finalResults);
  group->replaceAllUsesWith(replacements);
  group.erase();
  return success();
}

struct LowerGroupsPass : public pex::impl::LowerGroupsBase<LowerGroupsPass> {
  void runOnOperation() override {
    SmallVector<GroupOp> groups;
    getOperation().walk([&](GroupOp group) { groups.push_back(group); });
    for (GroupOp group : groups)
      if (failed(GroupLowering(group).lower()))
        return signalPassFailure();
    // A slice of one group of a grouped convolution is a convolution (the
    // operator's canonicalization), the form code generation emits.
    SmallVector<Operation *> convolutions;
    getOperation().walk(
        [&](GroupedConv2DOp conv) { convolutions.push_back(conv); });
    RewritePatternSet patterns(&getContext());
    GroupedConv2DOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyOpPatternsGreedily(convolutions, std::move(patterns)))) {
      getOperation().emitError()
          << "pex: one-group convolutions did not all become tosa.conv2d";
      return signalPassFailure();
    }
  }
};
} // namespace

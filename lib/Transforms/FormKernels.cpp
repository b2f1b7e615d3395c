//===- FormKernels.cpp - pex-form-kernels -----------------------*- C++ -*-===//

#include "pex/Analysis/ConcatenationSlices.h"
#include "pex/Analysis/LogicalOperators.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

namespace mlir::pex {
#define GEN_PASS_DEF_FORMKERNELS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Constants small enough to live inside a kernel body as immediates (zero
/// points, single multipliers, shapes); larger ones are kernel inputs so
/// that kernels share their storage.
bool isImmediate(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def || !def->hasTrait<OpTrait::ConstantLike>())
    return false;
  auto type = dyn_cast<ShapedType>(value.getType());
  return !type || type.getNumElements() <= 1;
}

/// The placement the planner recorded for the storage `value` is in: that
/// of the operation computing it (a placed operation, a placed buffer, a
/// kernel's destination or a read's, the result a slice is assembled into),
/// through the loops that carry it.
PlacementAttr getRecordedPlacement(Value value) {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      Operation *owner = arg.getOwner()->getParentOp();
      if (auto loop = dyn_cast<scf::ForOp>(owner)) {
        if (arg.getArgNumber() < loop.getNumInductionVars())
          return nullptr;
        value = loop.getInitArgs()[arg.getArgNumber() -
                                   loop.getNumInductionVars()];
        continue;
      }
      if (auto func = dyn_cast<func::FuncOp>(owner))
        return func.getArgAttrOfType<PlacementAttr>(arg.getArgNumber(),
                                                    kPlacementAttrName);
      return nullptr;
    }
    Operation *op = value.getDefiningOp();
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      value = loop.getInitArgs()[cast<OpResult>(value).getResultNumber()];
      continue;
    }
    if (auto kernel = dyn_cast<KernelOp>(op)) {
      value = kernel.getOutput();
      continue;
    }
    // A read of the application's rows fills its buffer, once placed.
    if (auto read = dyn_cast<ReadRowsOp>(op);
        read && !read->hasAttr(kPlacementAttrName)) {
      value = read.getBuffer();
      continue;
    }
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
      value = insert.getDest();
      continue;
    }
    // A concatenation's storage expanded for a reshaped operand's slice; an
    // operand written over through a reshape (getInPlaceCandidate).
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tosa::ReshapeOp>(
            op)) {
      value = op->getOperand(0);
      continue;
    }
    if (auto buffer = dyn_cast<BufferOp>(op))
      return buffer.getPlacement();
    return op->getAttrOfType<PlacementAttr>(kPlacementAttrName);
  }
}

/// Whether `value` is (a view of) the storage of a concatenation holding
/// operands (lowerConcatenationInPlace).
bool isConcatenationStorage(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (isa<BufferOp>(op))
      return true;
    if (!isa<tensor::InsertSliceOp, tensor::ExpandShapeOp,
             tensor::CollapseShapeOp>(op))
      return false;
    value = op->getOperand(isa<tensor::InsertSliceOp>(op) ? 1 : 0);
  }
  return false;
}

/// A result the arena does not hold: written into the slice of a result
/// assembled slice by slice (where other operators may read it if it is a
/// concatenation's operand, as pex-plan-arena decided), or into the caller's
/// output.
bool isStoredElsewhere(Value result) {
  if (isReturned(result))
    return true;
  auto inserts = llvm::make_filter_range(result.getUses(), [](OpOperand &use) {
    return isa<tensor::InsertSliceOp>(use.getOwner()) &&
           use.getOperandNumber() == 0;
  });
  if (!llvm::hasSingleElement(inserts))
    return false;
  auto insert = cast<tensor::InsertSliceOp>(inserts.begin()->getOwner());
  return result.hasOneUse() || isConcatenationStorage(insert.getDest());
}

/// The iteration argument the loop around `result` carries it into, when the
/// planner placed `result` in that argument's storage: the next value of a
/// loop-carried state is computed over the current one.
std::optional<Value> getCarriedDestination(Value result,
                                           PlacementAttr placement) {
  auto loop = dyn_cast<scf::ForOp>(result.getParentBlock()->getParentOp());
  if (!loop)
    return std::nullopt;
  for (auto [next, arg] :
       llvm::zip(loop.getYieldedValues(), loop.getRegionIterArgs()))
    if (next == result)
      if (PlacementAttr carried = getRecordedPlacement(arg);
          carried && carried.beginsWith(placement))
        return arg;
  return std::nullopt;
}

/// Gives each value a loop carries the storage the planner placed it in
/// (`pex.placements` on the loop): a `pex.buffer` there, filled with the
/// initial value when that is a constant splat (a reset state), or copied
/// from another constant, the state the previous run left or an activation.
void placeCarriedValues(scf::ForOp loop) {
  auto placements = loop->getAttrOfType<ArrayAttr>(kResultPlacementsAttrName);
  if (!placements)
    return;
  // From here the storages carry the placements; the loop's results may
  // change (bufferized loops stop carrying the buffers they update).
  loop->removeAttr(kResultPlacementsAttrName);
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  for (auto [init, entry] : llvm::zip(loop.getInitArgsMutable(), placements)) {
    auto placement = dyn_cast<PlacementAttr>(entry);
    if (!placement)
      continue;
    auto type = cast<RankedTensorType>(init.get().getType());
    DenseElementsAttr constant;
    bool isConstant = matchPattern(init.get(), m_Constant(&constant));
    // The state the previous run left, an activation (an initial state the
    // model takes as an input) or a constant initial state of different
    // elements, copied in by a kernel.
    if ((!isConstant && !init.get().getDefiningOp<tensor::EmptyOp>()) ||
        (isConstant && !constant.isSplat())) {
      auto copy = tosa::IdentityOp::create(builder, loc, type, init.get());
      copy->setAttr(kPlacementAttrName, placement);
      init.set(copy);
      continue;
    }
    if (!isConstant) {
      init.set(BufferOp::create(builder, loc, type, placement));
      continue;
    }
    // A one-element constant tiled to the shape: a kernel writes it into
    // the storage, no full-size copy of it is stored in flash.
    SmallVector<int64_t> ones(type.getRank(), 1);
    auto scalarType = type.clone(ones);
    Value scalar = tosa::ConstOp::create(
        builder, loc, scalarType,
        DenseElementsAttr::get(scalarType,
                               constant.getSplatValue<Attribute>()));
    Value multiples = tosa::ConstShapeOp::create(
        builder, loc,
        tosa::shapeType::get(builder.getContext(), type.getRank()),
        builder.getIndexTensorAttr(type.getShape()));
    auto fill = tosa::TileOp::create(builder, loc, type, scalar, multiples);
    fill->setAttr(kPlacementAttrName, placement);
    init.set(fill);
  }
}

/// A concatenation whose planned storage holds some of its operands as they
/// are computed (pex.operands_in_result): the storage is created before the
/// first of them, each of them is inserted into its slice right after it is
/// computed (bufferization makes its kernel write into that slice: the
/// kernel's destination is empty), or the value it is a reshape of into the
/// storage expanded alike, and the other operands are copied into theirs
/// where the concatenation was.
LogicalResult lowerConcatenationInPlace(tosa::ConcatOp concat) {
  // The attribute's verifier requires the placement.
  auto placement = concat->getAttrOfType<PlacementAttr>(kPlacementAttrName);
  auto type = cast<RankedTensorType>(concat.getType());
  Location loc = concat.getLoc();
  // `value` written into `into` at `offset` along `axis`.
  auto insert = [&](OpBuilder &builder, Value value, Value into, int64_t axis,
                    int64_t offset) {
    auto intoType = cast<RankedTensorType>(into.getType());
    SmallVector<int64_t> offsets(intoType.getRank(), 0);
    offsets[axis] = offset;
    SmallVector<int64_t> strides(intoType.getRank(), 1);
    return tensor::InsertSliceOp::create(
               builder, loc, value, into, ValueRange(), ValueRange(),
               ValueRange(), offsets,
               cast<RankedTensorType>(value.getType()).getShape(), strides)
        .getResult();
  };

  ArrayRef<int64_t> positions =
      concat->getAttrOfType<DenseI64ArrayAttr>(kOperandsInResultAttrName)
          .asArrayRef();
  SmallVector<ConcatenationSlice> inResult;
  for (int64_t position : positions) {
    std::optional<ConcatenationSlice> slice =
        getConcatenationSlice(concat, position);
    Operation *producer = slice ? slice->computed.getDefiningOp() : nullptr;
    if (!producer || producer->getBlock() != concat->getBlock())
      return concat.emitError()
             << "pex: internal error: operand " << position
             << " of a concatenation holding it is not computed beside it";
    inResult.push_back(std::move(*slice));
  }
  auto producerOf = [](const ConcatenationSlice &slice) {
    return slice.computed.getDefiningOp();
  };
  llvm::sort(inResult,
             [&](const ConcatenationSlice &a, const ConcatenationSlice &b) {
               return producerOf(a)->isBeforeInBlock(producerOf(b));
             });
  OpBuilder builder(producerOf(inResult.front()));
  Value result = BufferOp::create(builder, loc, type, placement).getResult();
  for (const ConcatenationSlice &slice : inResult) {
    builder.setInsertionPointAfter(producerOf(slice));
    if (!slice.isExpanded()) {
      result =
          insert(builder, slice.computed, result, slice.axis, slice.offset);
      continue;
    }
    // A reshape of the computed value: written into the result expanded
    // alike, where its slice has the computed value's shape.
    auto expandedType = type.clone(slice.expandedShape);
    Value expanded = tensor::ExpandShapeOp::create(builder, loc, expandedType,
                                                   result, slice.reassociation);
    expanded =
        insert(builder, slice.computed, expanded, slice.axis, slice.offset);
    result = tensor::CollapseShapeOp::create(builder, loc, type, expanded,
                                             slice.reassociation);
  }
  builder.setInsertionPoint(concat);
  OperandRange operands = concat.getInput1();
  int64_t offset = 0;
  SmallVector<Value> views;
  for (auto [position, operand] : llvm::enumerate(operands)) {
    bool isInResult =
        llvm::is_contained(positions, static_cast<int64_t>(position));
    if (!isInResult)
      result = insert(builder, operand, result, concat.getAxis(), offset);
    else if (operand.getDefiningOp<tosa::ReshapeOp>())
      views.push_back(operand);
    offset +=
        cast<RankedTensorType>(operand.getType()).getDimSize(concat.getAxis());
  }
  concat.replaceAllUsesWith(result);
  concat.erase();
  // The reshapes of the values computed in their slices are read no more.
  for (Value view : views)
    while (auto reshape = view.getDefiningOp<tosa::ReshapeOp>()) {
      view = reshape.getInput1();
      reshape.erase();
    }
  return success();
}

LogicalResult wrapInKernel(const LogicalOperator &op) {
  Operation *sink = op.getSink();
  Value result = sink->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  Location loc = op.getRepresentative()->getLoc();

  // The destination is the storage the planner recorded: an input the
  // result is written over (the same placement), a new placed buffer, or,
  // for a result the arena does not hold, where that result goes.
  auto placement = sink->getAttrOfType<PlacementAttr>(kPlacementAttrName);
  std::optional<Value> inPlace;
  if (placement) {
    // A result planned over an input from its first byte has a buffer of
    // its own at that input's offset: not in place.
    std::optional<Value> candidate = getInPlaceCandidate(op);
    if (candidate && !sink->hasAttr(kOverConsumedInputAttrName))
      if (PlacementAttr over = getRecordedPlacement(*candidate);
          over && over.beginsWith(placement))
        inPlace = candidate;
  } else if (!isStoredElsewhere(result)) {
    return op.getRepresentative()->emitError()
           << "pex: internal error: no storage was planned for this "
              "operator's result (pex-plan-arena records it)";
  }

  SmallVector<Value> inputs;
  SmallVector<Operation *> immediates;
  for (Value operand : op.getExternalOperands()) {
    if (inPlace && operand == *inPlace)
      continue;
    if (isImmediate(operand))
      immediates.push_back(operand.getDefiningOp());
    else if (isa<ShapedType>(operand.getType()))
      inputs.push_back(operand);
    else
      return op.getRepresentative()->emitError()
             << "pex: operand of type " << operand.getType()
             << " must be a compile-time constant (canonicalize folds shape "
                "arithmetic)";
  }

  OpBuilder builder(sink);
  Value destination;
  if (inPlace) {
    destination = *inPlace;
  } else if (std::optional<Value> carried =
                 placement ? getCarriedDestination(result, placement)
                           : std::nullopt) {
    destination = *carried;
  } else if (placement) {
    destination = BufferOp::create(builder, loc, resultType, placement);
    // Written over an input at least as wide from its first byte, as planned.
    if (Attribute over = sink->getAttr(kOverConsumedInputAttrName))
      destination.getDefiningOp()->setAttr(kOverConsumedInputAttrName, over);
  } else {
    destination = tensor::EmptyOp::create(builder, loc, resultType.getShape(),
                                          resultType.getElementType());
  }
  auto kernel =
      KernelOp::create(builder, loc, resultType, inputs, destination);
  if (placement)
    kernel->setAttr(kPlacementAttrName, placement);
  Block *body = builder.createBlock(&kernel.getBody());
  IRMapping mapping;
  for (Value input : inputs)
    mapping.map(input, body->addArgument(input.getType(), loc));
  BlockArgument output = body->addArgument(resultType, loc);
  if (inPlace)
    mapping.map(*inPlace, output);
  for (Operation *immediate : immediates)
    builder.clone(*immediate, mapping);
  for (Operation *member : op.ops)
    builder.clone(*member, mapping);
  YieldOp::create(builder, loc, mapping.lookup(result));

  result.replaceAllUsesWith(kernel.getResult());
  for (Operation *member : llvm::reverse(op.ops))
    member->erase();
  return success();
}

/// A reshape of a static tensor is a collapse to one dimension followed by an
/// expansion: both are views after bufferization.
void lowerReshape(tosa::ReshapeOp reshape) {
  OpBuilder builder(reshape);
  Location loc = reshape.getLoc();
  auto sourceType = cast<RankedTensorType>(reshape.getInput1().getType());
  auto resultType = cast<RankedTensorType>(reshape.getType());
  // A rank-0 tensor is one element: it expands to and collapses from one
  // dimension with no reassociation.
  Value flat = reshape.getInput1();
  auto flatType = RankedTensorType::get({sourceType.getNumElements()},
                                        sourceType.getElementType());
  if (sourceType.getRank() == 0) {
    flat = tensor::ExpandShapeOp::create(builder, loc, flatType, flat,
                                         ArrayRef<ReassociationIndices>{});
  } else if (sourceType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, sourceType.getRank()));
    flat = tensor::CollapseShapeOp::create(builder, loc, flat,
                                           ArrayRef<ReassociationIndices>{all});
  }
  Value reshaped = flat;
  if (resultType.getRank() == 0) {
    reshaped = tensor::CollapseShapeOp::create(
        builder, loc, resultType, flat, ArrayRef<ReassociationIndices>{});
  } else if (resultType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank()));
    reshaped = tensor::ExpandShapeOp::create(
        builder, loc, resultType, flat, ArrayRef<ReassociationIndices>{all});
  }
  reshape.replaceAllUsesWith(reshaped);
  reshape.erase();
}

/// A slice with static bounds is a strided view after bufferization.
LogicalResult lowerSlice(tosa::SliceOp slice) {
  DenseElementsAttr start, size;
  if (!matchPattern(slice.getStart(), m_Constant(&start)) ||
      !matchPattern(slice.getSize(), m_Constant(&size)))
    return slice.emitError() << "pex: slice bounds must be constants";
  auto values = [](DenseElementsAttr attr) {
    return llvm::map_to_vector(attr.getValues<APInt>(), [](const APInt &v) {
      return v.getSExtValue();
    });
  };
  OpBuilder builder(slice);
  auto sourceType = cast<RankedTensorType>(slice.getInput1().getType());
  SmallVector<int64_t> strides(sourceType.getRank(), 1);
  auto view = tensor::ExtractSliceOp::create(
      builder, slice.getLoc(), cast<RankedTensorType>(slice.getType()),
      slice.getInput1(), ValueRange(), ValueRange(), ValueRange(),
      values(start), values(size), strides);
  slice.replaceAllUsesWith(view.getResult());
  slice.erase();
  return success();
}

/// Reads the application's rows into the storage the planner placed the
/// read's result in.
void placeRead(ReadRowsOp read) {
  auto placement = read->getAttrOfType<PlacementAttr>(kPlacementAttrName);
  if (!placement)
    return;
  read->removeAttr(kPlacementAttrName);
  OpBuilder builder(read);
  read.getBufferMutable().assign(BufferOp::create(
      builder, read.getLoc(), read.getResult().getType(), placement));
}

struct FormKernelsPass : public pex::impl::FormKernelsBase<FormKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (!func->hasAttr(kArenaAttrName)) {
      func.emitError() << "pex: kernels follow the planned arena: run "
                          "pex-plan-arena first";
      return signalPassFailure();
    }
    WalkResult groups = func.walk([](GroupOp group) {
      group.emitError() << "pex: groups must be lowered (pex-lower-groups) "
                           "before kernels are formed";
      return WalkResult::interrupt();
    });
    if (groups.wasInterrupted())
      return signalPassFailure();

    func.walk([](scf::ForOp loop) { placeCarriedValues(loop); });
    SmallVector<tosa::ConcatOp> concatenations;
    func.walk([&](tosa::ConcatOp concat) {
      if (concat->hasAttr(kOperandsInResultAttrName))
        concatenations.push_back(concat);
    });
    for (tosa::ConcatOp concat : concatenations)
      if (failed(lowerConcatenationInPlace(concat)))
        return signalPassFailure();
    SmallVector<Block *> blocks;
    func.walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks)
      for (const LogicalOperator &op : formLogicalOperators(*block)) {
        // Loops stay loops; the operators of their bodies are kernels.
        if (isa<scf::ForOp>(op.getSink()))
          continue;
        // A read of the application's rows fills its planned storage (a
        // stream's reads fill a slot of their line buffer already).
        if (auto read = dyn_cast<ReadRowsOp>(op.getSink())) {
          placeRead(read);
          continue;
        }
        // A write of the output's rows reads its operand where it is.
        if (isa<WriteRowsOp>(op.getSink()))
          continue;
        if (failed(wrapInKernel(op)))
          return signalPassFailure();
      }

    // What stays outside kernels must bufferize: views and constants.
    func.walk([](tosa::ReshapeOp reshape) {
      if (!reshape->getParentOfType<KernelOp>())
        lowerReshape(reshape);
    });
    WalkResult slices = func.walk([](tosa::SliceOp slice) {
      if (slice->getParentOfType<KernelOp>())
        return WalkResult::advance();
      return failed(lowerSlice(slice)) ? WalkResult::interrupt()
                                       : WalkResult::advance();
    });
    if (slices.wasInterrupted())
      return signalPassFailure();
    func.walk([](tosa::ConstOp constant) {
      if (constant->getParentOfType<KernelOp>())
        return;
      if (constant.use_empty()) {
        constant.erase();
        return;
      }
      OpBuilder builder(constant);
      auto replacement = arith::ConstantOp::create(builder, constant.getLoc(),
                                                   constant.getValuesAttr());
      constant.replaceAllUsesWith(replacement.getResult());
      constant.erase();
    });
    func.walk([](tosa::ConstShapeOp shape) {
      if (shape.use_empty())
        shape.erase();
    });
  }
};
} // namespace

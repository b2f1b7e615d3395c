//===- PexOps.cpp - Pex operations ------------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::pex;

#include "pex/Dialect/Pex/IR/PexEnums.cpp.inc"

/// Activations must enter a region through operands; only constants (weights,
/// quantisation parameters) and views of them may be captured from above.
static LogicalResult verifyOnlyConstantsCaptured(Operation *op,
                                                 Region &region) {
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(region, captured);
  for (Value value : captured) {
    if (isConstantValue(value))
      continue;
    return op->emitOpError()
           << "captures non-constant value from above; pass activations as "
              "operands (captured value of type "
           << value.getType() << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// GroupOp
//===----------------------------------------------------------------------===//

RankedTensorType GroupOp::withChannels(RankedTensorType type, int64_t axis,
                                       int64_t size) {
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = size;
  return type.clone(shape);
}

PartialYieldOp GroupOp::getPartialYield() {
  return cast<PartialYieldOp>(getBody().front().getTerminator());
}

ValueRange GroupOp::getAssembledResults() {
  return getResults().take_front(getPartialYield().getAssemble().size());
}

ValueRange GroupOp::getFinalResults() {
  return getResults().drop_front(getPartialYield().getAssemble().size());
}

void GroupOp::getSuccessorRegions(RegionBranchPoint point,
                                  SmallVectorImpl<RegionSuccessor> &regions) {
  // No edge forwards the body's or the epilogue's arguments: the group
  // computes them (slices of its operands, sums of the contributions).
  if (point.isParent()) {
    regions.emplace_back(&getBody());
    return;
  }
  Region *from = point.getTerminatorPredecessorOrNull()->getParentRegion();
  if (from == &getBody()) {
    regions.emplace_back(&getBody());
    if (hasEpilogue())
      regions.emplace_back(&getEpilogue());
    else
      regions.emplace_back(getOperation(),
                           getResults().drop_front(getNumResults()));
    return;
  }
  // The epilogue's pex.yield forwards the results after the assembled ones.
  regions.emplace_back(
      getOperation(),
      getResults().drop_front(getPartialYield().getAssemble().size()));
}

void GroupOp::getRegionInvocationBounds(
    ArrayRef<Attribute>, SmallVectorImpl<InvocationBounds> &invocationBounds) {
  unsigned slices = getSlices();
  invocationBounds.emplace_back(slices, slices);
  invocationBounds.emplace_back(hasEpilogue() ? 1 : 0, hasEpilogue() ? 1 : 0);
}

/// The types the body, the epilogue and their terminators must have. Checked
/// in `verify`, before the RegionBranchOpInterface's edge checks, so a
/// malformed group is described in its own terms.
static LogicalResult verifyRegionSignatures(GroupOp group) {
  auto axis = static_cast<int64_t>(group.getAxis());
  int64_t sliceSize = group.getSliceSize();
  Block &body = group.getBody().front();

  // Body arguments: whole operands, then sliced operands at slice size.
  SmallVector<Type> expectedArgs(group.getWhole().getTypes());
  for (Type type : group.getSliced().getTypes())
    expectedArgs.push_back(
        GroupOp::withChannels(cast<RankedTensorType>(type), axis, sliceSize));
  if (body.getArgumentTypes() != ArrayRef<Type>(expectedArgs))
    return group.emitOpError()
           << "body arguments must be the whole operands "
              "followed by the sliced operands at slice size "
           << sliceSize;

  auto yield = body.mightHaveTerminator()
                   ? dyn_cast<PartialYieldOp>(body.getTerminator())
                   : PartialYieldOp();
  if (!yield)
    return group.emitOpError() << "body must end in pex.partial_yield";

  // Assembled results: slices of the result along the axis.
  ResultRange results = group.getResults();
  size_t numAssembled = yield.getAssemble().size();
  size_t numAccumulated = yield.getAccumulate().size();
  if (results.size() < numAssembled)
    return group.emitOpError()
           << "yields " << numAssembled << " assembled slices but has only "
           << results.size() << " results";
  for (auto [index, slice] : llvm::enumerate(yield.getAssemble())) {
    auto type = cast<RankedTensorType>(slice.getType());
    if (type.getRank() <= axis || type.getDimSize(axis) != sliceSize)
      return group.emitOpError()
             << "assembled value #" << index << " must have " << sliceSize
             << " channels (the slice size) along axis " << axis << ", got "
             << type;
    if (results[index].getType() !=
        GroupOp::withChannels(type, axis, group.getChannels()))
      return group.emitOpError()
             << "result #" << index << " must be the assembled slices, of type "
             << GroupOp::withChannels(type, axis, group.getChannels());
  }

  SmallVector<Type> accumulatorTypes(yield.getAccumulate().getTypes());
  TypeRange finalTypes = results.drop_front(numAssembled).getTypes();
  if (!group.hasEpilogue()) {
    if (finalTypes != TypeRange(accumulatorTypes))
      return group.emitOpError()
             << "without an epilogue, the results after the "
                "assembled ones must be the "
             << numAccumulated << " accumulators";
  } else {
    Block &epilogue = group.getEpilogue().front();
    SmallVector<Type> expectedEpilogueArgs(accumulatorTypes);
    llvm::append_range(expectedEpilogueArgs, group.getWhole().getTypes());
    if (epilogue.getArgumentTypes() != ArrayRef<Type>(expectedEpilogueArgs))
      return group.emitOpError()
             << "epilogue arguments must be the accumulators "
                "followed by the whole operands";
    auto epilogueYield = epilogue.mightHaveTerminator()
                             ? dyn_cast<YieldOp>(epilogue.getTerminator())
                             : YieldOp();
    if (!epilogueYield)
      return group.emitOpError() << "epilogue must end in pex.yield";
    if (epilogueYield.getValues().getTypes() != finalTypes)
      return group.emitOpError() << "epilogue must yield the results after the "
                                    "assembled ones";
  }
  return success();
}

LogicalResult GroupOp::verify() {
  auto axis = static_cast<int64_t>(getAxis());
  auto channels = static_cast<int64_t>(getChannels());
  if (static_cast<int64_t>(getSlices()) > channels)
    return emitOpError() << "has " << getSlices() << " slices of " << channels
                         << " channels; at most one slice per "
                         << "channel";
  if (getSliceSize() * static_cast<int64_t>(getSlices() - 1) >= channels)
    return emitOpError() << "slices = " << getSlices()
                         << " leaves the last slice empty: " << channels
                         << " channels in slices of " << getSliceSize();
  for (Value sliced : getSliced()) {
    auto type = cast<RankedTensorType>(sliced.getType());
    if (type.getRank() <= axis)
      return emitOpError() << "sliced operand of rank " << type.getRank()
                           << " has no axis " << axis;
    if (type.getDimSize(axis) != channels)
      return emitOpError() << "sliced operand has " << type.getDimSize(axis)
                           << " channels along axis " << axis << ", expected "
                           << channels;
  }
  return verifyRegionSignatures(*this);
}

LogicalResult GroupOp::verifyRegions() {
  if (hasEpilogue() &&
      failed(verifyOnlyConstantsCaptured(*this, getEpilogue())))
    return failure();
  return verifyOnlyConstantsCaptured(*this, getBody());
}

//===----------------------------------------------------------------------===//
// PartialYieldOp
//===----------------------------------------------------------------------===//

MutableOperandRange
PartialYieldOp::getMutableSuccessorOperands(RegionSuccessor) {
  // Slices and contributions are assembled or summed by the group, never
  // forwarded to a region's arguments or to the results as they are.
  return MutableOperandRange(getOperation(), /*start=*/0, /*length=*/0);
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// GroupedConv2DOp
//===----------------------------------------------------------------------===//

int64_t GroupedConv2DOp::getGroupInputChannels() {
  return getWeight().getType().getDimSize(3);
}

int64_t GroupedConv2DOp::getGroups() {
  return getInput().getType().getDimSize(3) / getGroupInputChannels();
}

int64_t GroupedConv2DOp::getGroupOutputChannels() {
  return getWeight().getType().getDimSize(0) / getGroups();
}

LogicalResult GroupedConv2DOp::verify() {
  RankedTensorType inputType = getInput().getType(),
                   weightType = getWeight().getType(),
                   outputType = getOutput().getType();
  for (RankedTensorType type : {inputType, weightType, outputType})
    if (type.getRank() != 4 || !type.hasStaticShape())
      return emitOpError() << "takes static rank-4 input, weights and output, "
                              "not "
                           << type;
  if (getPad().size() != 4 || getStride().size() != 2 ||
      getDilation().size() != 2)
    return emitOpError() << "needs 4 pads, 2 strides and 2 dilations";
  if (llvm::any_of(getPad(), [](int64_t pad) { return pad < 0; }) ||
      llvm::any_of(getStride(), [](int64_t step) { return step < 1; }) ||
      llvm::any_of(getDilation(), [](int64_t step) { return step < 1; }))
    return emitOpError() << "needs non-negative pads and positive strides and "
                            "dilations";
  int64_t channels = inputType.getDimSize(3);
  int64_t groupInput = weightType.getDimSize(3);
  int64_t outChannels = weightType.getDimSize(0);
  if (groupInput < 1 || channels % groupInput != 0)
    return emitOpError() << "input of " << channels
                         << " channels is not a whole number of groups of "
                         << groupInput << " (the weights' last dimension)";
  int64_t groups = channels / groupInput;
  if (outChannels % groups != 0)
    return emitOpError() << outChannels << " output channels do not divide "
                         << "into " << groups << " groups";
  if (outputType.getDimSize(3) != outChannels ||
      outputType.getDimSize(0) != inputType.getDimSize(0))
    return emitOpError() << "result " << outputType << " does not have the "
                         << "input's batch and the weights' " << outChannels
                         << " output channels";
  int64_t biasElements = getBias().getType().getNumElements();
  if (getBias().getType().getRank() != 1 ||
      (biasElements != outChannels && biasElements != 1))
    return emitOpError() << "bias must have " << outChannels
                         << " elements (or one)";
  for (int64_t dim : {0, 1}) {
    int64_t window =
        (weightType.getDimSize(1 + dim) - 1) * getDilation()[dim] + 1;
    int64_t padded = inputType.getDimSize(1 + dim) + getPad()[2 * dim] +
                     getPad()[2 * dim + 1];
    int64_t expected =
        padded < window ? 0 : (padded - window) / getStride()[dim] + 1;
    if (outputType.getDimSize(1 + dim) != expected)
      return emitOpError() << "result has " << outputType.getDimSize(1 + dim)
                           << (dim == 0 ? " rows" : " columns") << " where the "
                           << "window gives " << expected;
  }
  if (outputType.getElementType() != getAccType() ||
      getBias().getType().getElementType() != getAccType())
    return emitOpError() << "result and bias must be of the accumulator type "
                         << getAccType();
  return success();
}

namespace {
/// A grouped convolution of one group is a convolution; slicing a chain one
/// group per slice (pex-lower-groups) leaves these.
struct OneGroupIsConvolution : OpRewritePattern<GroupedConv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GroupedConv2DOp conv,
                                PatternRewriter &rewriter) const override {
    if (conv.getGroups() != 1)
      return rewriter.notifyMatchFailure(conv, "more than one group");
    auto single = tosa::Conv2DOp::create(
        rewriter, conv.getLoc(), conv.getType(), conv.getInput(),
        conv.getWeight(), conv.getBias(), conv.getInputZp(), conv.getWeightZp(),
        conv.getPadAttr(), conv.getStrideAttr(), conv.getDilationAttr(),
        conv.getAccTypeAttr());
    // The planner's decisions (placements) stay with the operator.
    single->setDiscardableAttrs(conv->getDiscardableAttrDictionary());
    rewriter.replaceOp(conv, single);
    return success();
  }
};
} // namespace

void GroupedConv2DOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                                  MLIRContext *context) {
  patterns.add<OneGroupIsConvolution>(context);
}

LogicalResult SliceOp::verify() {
  auto group = (*this)->getParentOfType<GroupOp>();
  if (group.getBody().isAncestor(getSource().getParentRegion()))
    return emitOpError() << "source must be defined outside the group; "
                            "activations are cut by the group's sliced "
                            "operands";
  auto sourceType = cast<RankedTensorType>(getSource().getType());
  auto dim = static_cast<int64_t>(getDim());
  if (dim >= sourceType.getRank())
    return emitOpError() << "dimension " << dim << " is out of range for "
                         << sourceType;
  if (sourceType.getDimSize(dim) != static_cast<int64_t>(group.getChannels()))
    return emitOpError() << "source has " << sourceType.getDimSize(dim)
                         << " elements along dimension " << dim
                         << ", but the group has " << group.getChannels()
                         << " channels";
  RankedTensorType expected =
      GroupOp::withChannels(sourceType, dim, group.getSliceSize());
  if (getResult().getType() != expected)
    return emitOpError() << "result must be " << expected
                         << " (the slice size along dimension " << dim << ")";
  return success();
}

Value SliceOp::getViewSource() { return getSource(); }

//===----------------------------------------------------------------------===//
// BufferOp
//===----------------------------------------------------------------------===//

LogicalResult BufferOp::verify() {
  auto type = getResult().getType();
  // Placed in bytes: an element type without a bit width (index) has no size.
  if (!type.getElementType().isIntOrFloat())
    return emitOpError() << "element type must be an integer or a float, got "
                         << type.getElementType();
  int64_t bytes = type.getNumElements() *
                  llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  if (bytes > getPlacement().getSize())
    return emitOpError() << "tensor of " << bytes
                         << " bytes does not fit its placement of "
                         << getPlacement().getSize() << " bytes";
  return success();
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

YieldOp KernelOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

BlockArgument KernelOp::getOutputArgument() {
  return getBody().front().getArgument(getInputs().size());
}

/// The tensor a kernel body sees for an operand: the operand itself, or the
/// tensor with the shape and element type of a memref operand.
static Type getBodyType(Type operandType) {
  if (auto memref = dyn_cast<MemRefType>(operandType))
    return RankedTensorType::get(memref.getShape(), memref.getElementType());
  return operandType;
}

LogicalResult KernelOp::verify() {
  bool onTensors = isa<RankedTensorType>(getOutput().getType());
  for (Type type : getOperandTypes()) {
    auto shaped = cast<ShapedType>(type);
    if (!shaped.hasStaticShape())
      return emitOpError() << "operands must have static shapes, got "
                           << type;
    if (isa<RankedTensorType>(type) != onTensors)
      return emitOpError()
             << "operands must be all tensors or all memrefs, got " << type;
  }
  if (onTensors) {
    if (!getResult() || getResult().getType() != getOutput().getType())
      return emitOpError() << "on tensors must return the updated "
                              "destination, of type "
                           << getOutput().getType();
  } else if (getResult()) {
    return emitOpError() << "on memrefs has no results";
  }
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  Block &body = getBody().front();
  SmallVector<Type> expectedArgs = llvm::map_to_vector(
      getOperandTypes(), [](Type type) { return getBodyType(type); });
  if (body.getArgumentTypes() != ArrayRef<Type>(expectedArgs))
    return emitOpError() << "body arguments must be the tensor types of the "
                            "inputs followed by the destination";
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError() << "body must end in pex.yield";
  if (yield.getValues().getTypes() != TypeRange(expectedArgs.back()))
    return emitOpError() << "body must yield one value of the destination "
                            "type "
                         << expectedArgs.back();
  return success();
}

void KernelOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : getInputsMutable())
    if (isa<MemRefType>(operand.get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  OpOperand &output = getOutputMutable();
  if (!isa<MemRefType>(output.get().getType()))
    return;
  if (!getOutputArgument().use_empty())
    effects.emplace_back(MemoryEffects::Read::get(), &output,
                         SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &output,
                       SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// StreamOp
//===----------------------------------------------------------------------===//

LogicalResult StreamOp::verifyRegions() {
  Block &body = getBody().front();
  if (!getInput()) {
    if (body.getNumArguments() != 0 || body.without_terminator().empty() ||
        !isa<ReadRowsOp>(body.front()))
      return emitOpError() << "without input must take no argument and start "
                              "with pex.read_rows";
  } else if (body.getNumArguments() != 1 ||
             body.getArgument(0).getType() != getInput().getType()) {
    return emitOpError() << "body must take one argument of the input type "
                         << getInput().getType();
  }
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  Value result = getResult();
  if (result && (!yield || yield.getValues().getTypes() !=
                               TypeRange(result.getType())))
    return emitOpError() << "body must end in pex.yield of one value of the "
                            "result type "
                         << result.getType();
  if (!result && (!yield || !yield.getValues().empty()))
    return emitOpError() << "without result must end in pex.yield of nothing";
  // Without result, the last rows go to the application.
  WriteRowsOp write;
  if (!result) {
    write = dyn_cast_or_null<WriteRowsOp>(yield->getPrevNode());
    if (!write || !isa<RankedTensorType>(write.getRows().getType()))
      return emitOpError() << "without result must end with pex.write_rows "
                              "of its last operator's result";
  }
  Type inputType = getInput() ? getInput().getType()
                              : body.front().getResult(0).getType();
  Type outputType = result ? result.getType() : write.getRows().getType();
  for (Type type : {inputType, outputType})
    if (cast<RankedTensorType>(type).getRank() != 4)
      return emitOpError() << "streams NHWC tensors (rank 4), got " << type;
  if (llvm::any_of(getLineRows(), [](int64_t rows) { return rows <= 0; }))
    return emitOpError() << "line buffers must hold at least one row";
  return success();
}

//===----------------------------------------------------------------------===//
// ShiftRowsOp
//===----------------------------------------------------------------------===//

/// An operation updating a buffer in place returns the updated buffer on
/// tensors and nothing on memrefs (`updated` says how it updates it).
static LogicalResult verifyBufferUpdate(Operation *op, Value buffer,
                                        Value result, StringRef updated) {
  bool onTensors = isa<RankedTensorType>(buffer.getType());
  if (onTensors == static_cast<bool>(result) &&
      (!result || result.getType() == buffer.getType()))
    return success();
  if (onTensors)
    return op->emitOpError()
           << "on tensors must return the " << updated << " buffer";
  return op->emitOpError() << "on memrefs has no result";
}

LogicalResult ShiftRowsOp::verify() {
  auto type = cast<ShapedType>(getBuffer().getType());
  if (type.getRank() != 4)
    return emitOpError() << "shifts the rows of an NHWC buffer (rank 4), got "
                         << type;
  if (static_cast<int64_t>(getDrop() + getKeep()) > type.getDimSize(1))
    return emitOpError() << "moves rows [" << getDrop() << ", "
                         << getDrop() + getKeep() << ") of a buffer of "
                         << type.getDimSize(1) << " rows";
  return verifyBufferUpdate(*this, getBuffer(), getResult(), "updated");
}

void ShiftRowsOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (!isa<MemRefType>(getBuffer().getType()))
    return;
  effects.emplace_back(MemoryEffects::Read::get(), &getBufferMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getBufferMutable(),
                       SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// ReadRowsOp
//===----------------------------------------------------------------------===//

LogicalResult ReadRowsOp::verify() {
  auto type = cast<ShapedType>(getBuffer().getType());
  if (type.getRank() < 2)
    return emitOpError() << "reads rows along dimension 1, got " << type;
  return verifyBufferUpdate(*this, getBuffer(), getResult(), "filled");
}

void ReadRowsOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  // Each call takes the application's next rows: never merged or moved
  // across another read.
  effects.emplace_back(MemoryEffects::Read::get(),
                       ApplicationInputResource::get());
  effects.emplace_back(MemoryEffects::Write::get(),
                       ApplicationInputResource::get());
  if (isa<MemRefType>(getBuffer().getType()))
    effects.emplace_back(MemoryEffects::Write::get(), &getBufferMutable(),
                         SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// WriteRowsOp
//===----------------------------------------------------------------------===//

int64_t WriteRowsOp::getRowCount(Type type) {
  auto shaped = cast<ShapedType>(type);
  return shaped.getRank() >= 3 ? shaped.getDimSize(1) : 1;
}

LogicalResult WriteRowsOp::verify() {
  auto type = cast<ShapedType>(getRows().getType());
  if (type.getRank() < 3 && !matchPattern(getFirstRow(), m_Zero()))
    return emitOpError() << "writes " << type
                         << " as one row: it must start at row 0";
  return success();
}

void WriteRowsOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  // Each call hands the application its next rows: never merged or moved
  // across another write.
  effects.emplace_back(MemoryEffects::Read::get(),
                       ApplicationOutputResource::get());
  effects.emplace_back(MemoryEffects::Write::get(),
                       ApplicationOutputResource::get());
  if (isa<MemRefType>(getRows().getType()))
    effects.emplace_back(MemoryEffects::Read::get(), &getRowsMutable(),
                         SideEffects::DefaultResource::get());
}

#define GET_OP_CLASSES
#include "pex/Dialect/Pex/IR/PexOps.cpp.inc"

//===- ChannelCoupling.cpp - Which tensors share their channels -*- C++ -*-===//

#include "pex/Analysis/ChannelCoupling.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Support/DenseConstants.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "pex/Dialect/Pex/IR/Views.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pex;

namespace {
using Props = PartialExecutionProperties;

bool isActivation(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() > 0 && !isConstantValue(value);
}

int64_t lastDim(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape().back();
}

/// Union-find over activations, with what each one's channels touch.
class CouplingBuilder {
public:
  unsigned node(Value value) {
    auto [it, inserted] = ids.try_emplace(value, parent.size());
    if (inserted) {
      parent.push_back(parent.size());
      values.push_back(value);
    }
    return it->second;
  }
  unsigned find(unsigned id) {
    while (parent[id] != id)
      id = parent[id] = parent[parent[id]];
    return id;
  }
  void unite(Value a, Value b) { parent[find(node(a))] = find(node(b)); }
  void pin(Value value, const Twine &reason) {
    std::string &entry = pins[node(value)];
    if (entry.empty())
      entry = reason.str();
  }
  void pinAll(Operation *op, const Twine &reason) {
    for (Value operand : op->getOperands())
      if (isActivation(operand))
        pin(operand, reason);
    for (Value result : op->getResults())
      if (isActivation(result))
        pin(result, reason);
  }
  void visit(Operation *op);

  llvm::DenseMap<Value, unsigned> ids;
  SmallVector<unsigned> parent;
  SmallVector<Value> values;
  llvm::DenseMap<unsigned, std::string> pins;
  llvm::DenseMap<unsigned, SmallVector<Operation *>> producers, channelLocal;
  llvm::DenseMap<unsigned, SmallVector<OpOperand *>> consumers;
};

void CouplingBuilder::visit(Operation *op) {
  if (op->getNumResults() == 0 ||
      llvm::all_of(op->getResults(),
                   [](Value result) { return isConstantValue(result); }))
    return;
  std::string label = getOpLabel(op);
  if (getViewSource(op) || isa<GroupOp>(op)) {
    pinAll(op, label + " changes the channels' layout");
    return;
  }
  auto partial = dyn_cast<PartialExecutionOpInterface>(op);
  if (!partial || op->getNumResults() != 1) {
    pinAll(op, label + " needs all its channels");
    return;
  }
  Value result = op->getResult(0);
  Props props = partial.getPartialExecutionProperties();
  if (partial.getChannelGranularity() > 1) {
    // Pruning would cut channels out of groups (and change their count).
    pinAll(op, label + " keeps whole groups of channels");
    return;
  }
  if (bitEnumContainsAll(props, Props::ChannelLocal)) {
    node(result);
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isActivation(operand.get()))
        continue;
      std::optional<int64_t> dim = partial.getSlicedOperandDim(
          operand.getOperandNumber(), SliceMode::Output);
      auto type = cast<RankedTensorType>(operand.get().getType());
      if (dim && *dim == type.getRank() - 1 &&
          lastDim(operand.get()) == lastDim(result))
        unite(operand.get(), result);
    }
    channelLocal[node(result)].push_back(op);
    return;
  }
  if (bitEnumContainsAll(props, Props::OutputSplittable))
    producers[node(result)].push_back(op);
  else
    pin(result, label + " cannot drop output channels");
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isActivation(operand.get()))
      continue;
    std::optional<int64_t> dim =
        bitEnumContainsAll(props, Props::InputAccumulable)
            ? partial.getSlicedOperandDim(operand.getOperandNumber(),
                                          SliceMode::Input)
            : std::nullopt;
    auto type = cast<RankedTensorType>(operand.get().getType());
    if (dim && *dim == type.getRank() - 1)
      consumers[node(operand.get())].push_back(&operand);
    else
      pin(operand.get(), label + " cannot drop input channels");
  }
}
} // namespace

ChannelCoupling::ChannelCoupling(func::FuncOp func) {
  CouplingBuilder builder;
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (isActivation(arg))
      builder.pin(arg, "the model's input");
  for (Operation &op : body.without_terminator())
    builder.visit(&op);
  for (Value returned : body.getTerminator()->getOperands())
    if (isActivation(returned))
      builder.pin(returned, "the model's output");

  llvm::DenseMap<unsigned, unsigned> classOfRoot;
  for (auto [id, value] : llvm::enumerate(builder.values)) {
    unsigned root = builder.find(id);
    auto [it, inserted] = classOfRoot.try_emplace(root, classes.size());
    if (inserted) {
      classes.emplace_back();
      classes.back().channels = lastDim(value);
    }
    ChannelClass &cls = classes[it->second];
    cls.tensors.push_back(value);
    classOf[value] = it->second;
    if (auto pin = builder.pins.find(id);
        pin != builder.pins.end() && cls.pinned.empty())
      cls.pinned = pin->second;
    llvm::append_range(cls.producers, builder.producers.lookup(id));
    llvm::append_range(cls.channelLocal, builder.channelLocal.lookup(id));
    llvm::append_range(cls.consumers, builder.consumers.lookup(id));
  }
}

const ChannelClass *ChannelCoupling::getClass(Value value) const {
  auto it = classOf.find(value);
  return it == classOf.end() ? nullptr : &classes[it->second];
}

/// `value` (a constant) without the `channels` indices along `dim`.
static Value removeAlong(OpBuilder &builder, Value value, int64_t dim,
                         ArrayRef<int64_t> channels) {
  DenseElementsAttr attr;
  matchPattern(value, m_Constant(&attr));
  llvm::DenseSet<int64_t> removed(channels.begin(), channels.end());
  int64_t extent = cast<RankedTensorType>(attr.getType()).getDimSize(dim);
  DenseElementsAttr result =
      selectAlong(attr, dim, extent - removed.size(),
                  [&](int64_t index) { return !removed.contains(index); });
  return tosa::ConstOp::create(builder, value.getLoc(), result.getType(),
                               result);
}

/// Replaces the constant operands `op` cuts along a dimension in `mode`.
static void removeFromConstants(Operation *op, SliceMode mode,
                                ArrayRef<int64_t> channels) {
  auto partial = cast<PartialExecutionOpInterface>(op);
  OpBuilder builder(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isConstantValue(operand.get()))
      continue;
    if (std::optional<int64_t> dim =
            partial.getSlicedOperandDim(operand.getOperandNumber(), mode))
      operand.set(removeAlong(builder, operand.get(), *dim, channels));
  }
}

void mlir::pex::removeChannels(const ChannelClass &cls,
                               ArrayRef<int64_t> channels) {
  for (Operation *op : cls.producers)
    removeFromConstants(op, SliceMode::Output, channels);
  for (Operation *op : cls.channelLocal)
    removeFromConstants(op, SliceMode::Output, channels);
  for (OpOperand *use : cls.consumers)
    removeFromConstants(use->getOwner(), SliceMode::Input, channels);
  for (Value tensor : cls.tensors) {
    auto type = cast<RankedTensorType>(tensor.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.back() -= channels.size();
    tensor.setType(type.clone(shape));
  }
}

/// Per-channel requantisation scale (multiplier * 2^-shift) of the rescale
/// right after an int8 producer, or nothing.
static SmallVector<double> getOutputScales(Operation *producer) {
  Value result = producer->getResult(0);
  if (!result.hasOneUse())
    return {};
  auto rescale = dyn_cast<tosa::RescaleOp>(*result.getUsers().begin());
  DenseElementsAttr multipliers, shifts;
  if (!rescale || !rescale.getPerChannel() ||
      !matchPattern(rescale.getMultiplier(), m_Constant(&multipliers)) ||
      !matchPattern(rescale.getShift(), m_Constant(&shifts)))
    return {};
  SmallVector<double> scales;
  for (auto [m, s] : llvm::zip(multipliers.getValues<APInt>(),
                               shifts.getValues<APInt>()))
    scales.push_back(std::ldexp(static_cast<double>(m.getSExtValue()),
                                -static_cast<int>(s.getSExtValue())));
  return scales;
}

SmallVector<double> mlir::pex::getChannelImportance(const ChannelClass &cls) {
  SmallVector<double> importance(cls.channels, 0.0);
  for (Operation *producer : cls.producers) {
    auto partial = cast<PartialExecutionOpInterface>(producer);
    SmallVector<double> scales = getOutputScales(producer);
    for (OpOperand &operand : producer->getOpOperands()) {
      DenseElementsAttr weights;
      auto type = dyn_cast<RankedTensorType>(operand.get().getType());
      if (!type || type.getRank() < 2 ||
          partial.getSlicedOperandDim(operand.getOperandNumber(),
                                      SliceMode::Output) != 0 ||
          !matchPattern(operand.get(), m_Constant(&weights)))
        continue;
      int64_t perFilter = type.getNumElements() / type.getDimSize(0);
      SmallVector<double> norms(type.getDimSize(0), 0.0);
      int64_t index = 0;
      if (isa<FloatType>(type.getElementType())) {
        for (const APFloat &value : weights.getValues<APFloat>())
          norms[index++ / perFilter] += std::fabs(value.convertToDouble());
      } else {
        for (const APInt &value : weights.getValues<APInt>())
          norms[index++ / perFilter] += std::abs(value.getSExtValue());
      }
      for (auto [channel, norm] : llvm::enumerate(norms))
        importance[channel] += norm * (scales.empty() ? 1.0 : scales[channel]);
    }
  }
  return importance;
}

//===- PexModels.cpp - Pex interfaces on pex operations ---------*- C++ -*-===//
//
// How pex's own tensor operators behave on channel slices.
//
//===----------------------------------------------------------------------===//

#include "pex/Interfaces/PexModels.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::pex;

namespace {
using Props = PartialExecutionProperties;

/// A grouped convolution whose input and output groups are equally wide
/// runs on any slice of whole groups: the input, the weights' output
/// channels and the bias are cut alike. With unequal groups a slice in is
/// not the same slice out, so it is none of the kinds partial execution
/// knows.
struct GroupedConv2DModel
    : PartialExecutionOpInterface::ExternalModel<GroupedConv2DModel,
                                                 GroupedConv2DOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    auto conv = cast<GroupedConv2DOp>(op);
    return conv.getGroupInputChannels() == conv.getGroupOutputChannels()
               ? Props::ChannelLocal
               : Props::None;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    auto conv = cast<GroupedConv2DOp>(op);
    Value operand = op->getOperand(index);
    if (operand == conv.getInput())
      return 3;
    if (operand == conv.getWeight())
      return 0;
    if (operand == conv.getBias() && conv.getBias().getType().getDimSize(0) > 1)
      return 0;
    return std::nullopt;
  }
  int64_t getChannelGranularity(Operation *op) const {
    return cast<GroupedConv2DOp>(op).getGroupInputChannels();
  }
  int64_t getMacs(Operation *op) const {
    auto conv = cast<GroupedConv2DOp>(op);
    RankedTensorType weight = conv.getWeight().getType();
    // Each output element sums KH * KW * IC products of its group.
    return conv.getOutput().getType().getNumElements() * weight.getDimSize(1) *
           weight.getDimSize(2) * weight.getDimSize(3);
  }
};
} // namespace

void mlir::pex::registerPexInterfaceModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, PexDialect *) {
    GroupedConv2DOp::attachInterface<GroupedConv2DModel>(*context);
  });
}

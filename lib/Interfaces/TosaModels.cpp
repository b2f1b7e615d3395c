//===- TosaModels.cpp - Pex interfaces on TOSA operations -------*- C++ -*-===//
//
// External models that tell Pex how each TOSA operator behaves on channel
// slices. Activations are NHWC (or NC): channels are the last dimension.
//
//===----------------------------------------------------------------------===//

#include "pex/Interfaces/TosaModels.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::pex;

namespace {
using Props = PartialExecutionProperties;

int64_t lastDim(Value value) {
  return cast<ShapedType>(value.getType()).getShape().back();
}

/// Number of output elements times the reduction size: the MACs of a
/// convolution-like operator.
int64_t outputElements(Operation *op) {
  return cast<ShapedType>(op->getResult(0).getType()).getNumElements();
}

/// An operand of an element-wise operator follows the result's channels when
/// it has the result's rank and its channel count (it is not broadcast).
std::optional<int64_t> channelDimIfNotBroadcast(Operation *op,
                                                unsigned operandIndex) {
  auto operandType = dyn_cast<ShapedType>(op->getOperand(operandIndex).getType());
  auto resultType = cast<ShapedType>(op->getResult(0).getType());
  if (!operandType || operandType.getRank() != resultType.getRank() ||
      operandType.getRank() == 0)
    return std::nullopt;
  if (operandType.getShape().back() != resultType.getShape().back())
    return std::nullopt;
  return operandType.getRank() - 1;
}

/// Element-wise operators (with NumPy broadcasting of their operands).
template <typename OpTy>
struct ElementwiseModel
    : PartialExecutionOpInterface::ExternalModel<ElementwiseModel<OpTy>,
                                                 OpTy> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::ChannelLocal | Props::Elementwise;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    return channelDimIfNotBroadcast(op, index);
  }
};

/// Rescale: per-channel multipliers and shifts follow the channels.
struct RescaleModel
    : PartialExecutionOpInterface::ExternalModel<RescaleModel,
                                                 tosa::RescaleOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::ChannelLocal | Props::Elementwise;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    auto rescale = cast<tosa::RescaleOp>(op);
    if (index == 0)
      return channelDimIfNotBroadcast(op, index);
    if (rescale.getPerChannel() &&
        (op->getOperand(index) == rescale.getMultiplier() ||
         op->getOperand(index) == rescale.getShift()))
      return 0;
    return std::nullopt;
  }
};

/// Table lookup: the table is shared by every channel.
struct TableModel
    : PartialExecutionOpInterface::ExternalModel<TableModel, tosa::TableOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::ChannelLocal | Props::Elementwise;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    if (index == 0)
      return channelDimIfNotBroadcast(op, index);
    return std::nullopt;
  }
};

/// Convolutions compute any subset of output channels from the whole input
/// (weights cut along O), or accumulate a subset of input channels into the
/// whole output (weights cut along I, bias applied once).
struct Conv2DModel
    : PartialExecutionOpInterface::ExternalModel<Conv2DModel, tosa::Conv2DOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::OutputSplittable | Props::InputAccumulable;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode mode) const {
    auto conv = cast<tosa::Conv2DOp>(op);
    Value operand = op->getOperand(index);
    if (mode == SliceMode::Output) {
      if (operand == conv.getWeight() || operand == conv.getBias())
        return 0;
      return std::nullopt;
    }
    if (operand == conv.getInput() || operand == conv.getWeight())
      return 3;
    return std::nullopt;
  }
  std::optional<unsigned> getAccumulationBiasOperand(Operation *op) const {
    return cast<tosa::Conv2DOp>(op).getBiasMutable().getOperandNumber();
  }
  int64_t getMacs(Operation *op) const {
    auto weight = cast<ShapedType>(cast<tosa::Conv2DOp>(op).getWeight().getType());
    // OHWI: each output element sums KH * KW * IC products.
    return outputElements(op) * weight.getDimSize(1) * weight.getDimSize(2) *
           weight.getDimSize(3);
  }
};

/// A transposed convolution computes any subset of output channels from the
/// whole input (weights [OC, KH, KW, IC] and bias cut along OC).
struct TransposeConv2DModel
    : PartialExecutionOpInterface::ExternalModel<TransposeConv2DModel,
                                                 tosa::TransposeConv2DOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::OutputSplittable;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    auto conv = cast<tosa::TransposeConv2DOp>(op);
    Value operand = op->getOperand(index);
    if (operand == conv.getWeight() || operand == conv.getBias())
      return 0;
    return std::nullopt;
  }
  int64_t getMacs(Operation *op) const {
    // Input row i meets kernel row k where stride * i + k + out_pad_top
    // lands in the output: counted per axis, then multiplied.
    auto conv = cast<tosa::TransposeConv2DOp>(op);
    auto input = cast<ShapedType>(conv.getInput().getType());
    auto weight = cast<ShapedType>(conv.getWeight().getType());
    auto output = cast<ShapedType>(conv.getType());
    auto landing = [&](unsigned axis) {
      int64_t count = 0;
      for (int64_t i = 0; i < input.getDimSize(axis); ++i)
        for (int64_t k = 0; k < weight.getDimSize(axis); ++k) {
          int64_t o = i * conv.getStride()[axis - 1] + k +
                      conv.getOutPad()[2 * (axis - 1)];
          count += o >= 0 && o < output.getDimSize(axis);
        }
      return count;
    };
    return input.getDimSize(0) * landing(1) * landing(2) *
           weight.getDimSize(0) * weight.getDimSize(3);
  }
};

/// Depthwise convolution with channel multiplier 1 is channel-local. With a
/// single input channel (TFLite's form of a first convolution on a grey
/// image) output channel m reads the whole input through weights [.., 0, m]:
/// it computes any slice of its output channels like a convolution.
struct DepthwiseConv2DModel
    : PartialExecutionOpInterface::ExternalModel<DepthwiseConv2DModel,
                                                 tosa::DepthwiseConv2DOp> {
  /// Weights are [KH, KW, C, M]; with M > 1 output channels interleave.
  static bool isSingleChannel(Operation *op) {
    auto weight = cast<ShapedType>(
        cast<tosa::DepthwiseConv2DOp>(op).getWeight().getType());
    return weight.getDimSize(2) == 1 && weight.getDimSize(3) > 1;
  }
  Props getPartialExecutionProperties(Operation *op) const {
    auto weight = cast<ShapedType>(
        cast<tosa::DepthwiseConv2DOp>(op).getWeight().getType());
    if (isSingleChannel(op))
      return Props::OutputSplittable;
    return weight.getDimSize(3) == 1 ? Props::ChannelLocal : Props::None;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    auto conv = cast<tosa::DepthwiseConv2DOp>(op);
    Value operand = op->getOperand(index);
    bool singleChannel = isSingleChannel(op);
    if (operand == conv.getInput())
      return singleChannel ? std::nullopt : std::optional<int64_t>(3);
    if (operand == conv.getWeight())
      return singleChannel ? 3 : 2;
    if (operand == conv.getBias() && lastDim(operand) != 1)
      return 0;
    return std::nullopt;
  }
  int64_t getMacs(Operation *op) const {
    auto weight = cast<ShapedType>(
        cast<tosa::DepthwiseConv2DOp>(op).getWeight().getType());
    return outputElements(op) * weight.getDimSize(0) * weight.getDimSize(1);
  }
};

/// Batched matmul [N, H, C] x [N, C, W] -> [N, H, W]: output channels are W.
struct MatMulModel
    : PartialExecutionOpInterface::ExternalModel<MatMulModel, tosa::MatMulOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::OutputSplittable | Props::InputAccumulable;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode mode) const {
    auto matmul = cast<tosa::MatMulOp>(op);
    Value operand = op->getOperand(index);
    if (mode == SliceMode::Output)
      return operand == matmul.getB() ? std::optional<int64_t>(2)
                                      : std::nullopt;
    if (operand == matmul.getA())
      return 2;
    if (operand == matmul.getB())
      return 1;
    return std::nullopt;
  }
  int64_t getMacs(Operation *op) const {
    auto a = cast<ShapedType>(cast<tosa::MatMulOp>(op).getA().getType());
    return outputElements(op) * a.getDimSize(2);
  }
};

/// Pooling and other operators whose output channel c reads only input
/// channel c (the first operand); other operands are consumed whole.
template <typename OpTy>
struct ChannelLocalModel
    : PartialExecutionOpInterface::ExternalModel<ChannelLocalModel<OpTy>,
                                                 OpTy> {
  Props getPartialExecutionProperties(Operation *op) const {
    return Props::ChannelLocal;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    if (index == 0)
      return cast<ShapedType>(op->getOperand(0).getType()).getRank() - 1;
    return std::nullopt;
  }
};

/// Pad is channel-local when it does not pad the channel dimension.
struct PadModel
    : PartialExecutionOpInterface::ExternalModel<PadModel, tosa::PadOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    auto pad = cast<tosa::PadOp>(op);
    DenseElementsAttr padding;
    if (!matchPattern(pad.getPadding(), m_Constant(&padding)))
      return Props::None;
    auto values = llvm::to_vector(padding.getValues<APInt>());
    // Padding is [before_0, after_0, before_1, after_1, ...].
    bool padsChannels = !values[values.size() - 2].isZero() ||
                        !values[values.size() - 1].isZero();
    return padsChannels ? Props::None : Props::ChannelLocal;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    if (index == 0)
      return cast<ShapedType>(op->getOperand(0).getType()).getRank() - 1;
    return std::nullopt;
  }
};

/// Transpose is channel-local when the channel dimension stays last.
struct TransposeModel
    : PartialExecutionOpInterface::ExternalModel<TransposeModel,
                                                 tosa::TransposeOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    ArrayRef<int32_t> perms = cast<tosa::TransposeOp>(op).getPerms();
    int32_t last = static_cast<int32_t>(perms.size()) - 1;
    return perms.back() == last ? Props::ChannelLocal : Props::None;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    return cast<ShapedType>(op->getOperand(0).getType()).getRank() - 1;
  }
};

/// Reversal along a dimension other than the channels is channel-local.
struct ReverseModel
    : PartialExecutionOpInterface::ExternalModel<ReverseModel,
                                                 tosa::ReverseOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    auto reverse = cast<tosa::ReverseOp>(op);
    int64_t rank = cast<ShapedType>(reverse.getType()).getRank();
    return reverse.getAxis() == rank - 1 ? Props::None : Props::ChannelLocal;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    return cast<ShapedType>(op->getOperand(0).getType()).getRank() - 1;
  }
};

/// Concatenation away from the channel dimension is channel-local.
struct ConcatModel
    : PartialExecutionOpInterface::ExternalModel<ConcatModel, tosa::ConcatOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    auto concat = cast<tosa::ConcatOp>(op);
    int64_t rank = cast<ShapedType>(concat.getType()).getRank();
    return concat.getAxis() == rank - 1 ? Props::None : Props::ChannelLocal;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    return cast<ShapedType>(op->getOperand(index).getType()).getRank() - 1;
  }
};

/// Reductions away from the channel dimension are channel-local; a sum over
/// the channels accumulates input slices.
template <typename OpTy, bool AccumulatesChannels>
struct ReduceModel
    : PartialExecutionOpInterface::ExternalModel<
          ReduceModel<OpTy, AccumulatesChannels>, OpTy> {
  Props getPartialExecutionProperties(Operation *op) const {
    auto reduce = cast<OpTy>(op);
    int64_t rank = cast<ShapedType>(reduce.getInput().getType()).getRank();
    if (static_cast<int64_t>(reduce.getAxis()) != rank - 1)
      return Props::ChannelLocal;
    return AccumulatesChannels ? Props::InputAccumulable : Props::None;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    return cast<ShapedType>(op->getOperand(0).getType()).getRank() - 1;
  }
  int64_t getMacs(Operation *op) const { return 0; }
};

/// A gather (values [N, K, C], indices [N, W]) reads channel c of the rows
/// it selects; every slice reads all indices. From a constant table (an
/// embedding) it produces any slice of channels like a convolution from its
/// weights; from an activation it is channel-local.
struct GatherModel
    : PartialExecutionOpInterface::ExternalModel<GatherModel, tosa::GatherOp> {
  Props getPartialExecutionProperties(Operation *op) const {
    return matchPattern(cast<tosa::GatherOp>(op).getValues(), m_Constant())
               ? Props::OutputSplittable
               : Props::ChannelLocal;
  }
  std::optional<int64_t> getSlicedOperandDim(Operation *op, unsigned index,
                                             SliceMode) const {
    if (index != 0)
      return std::nullopt;
    return 2;
  }
};

template <typename... OpTys>
void attachElementwise(MLIRContext *context) {
  (OpTys::template attachInterface<ElementwiseModel<OpTys>>(*context), ...);
}

template <typename... OpTys>
void attachChannelLocal(MLIRContext *context) {
  (OpTys::template attachInterface<ChannelLocalModel<OpTys>>(*context), ...);
}
} // namespace

void mlir::pex::registerTosaInterfaceModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    attachElementwise<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::MaximumOp,
                      tosa::MinimumOp, tosa::ClampOp, tosa::CastOp,
                      tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp,
                      tosa::LogOp, tosa::ErfOp, tosa::RsqrtOp,
                      tosa::ReciprocalOp, tosa::AbsOp, tosa::NegateOp,
                      tosa::SelectOp, tosa::GreaterOp, tosa::GreaterEqualOp,
                      tosa::EqualOp, tosa::ArithmeticRightShiftOp,
                      tosa::LogicalLeftShiftOp, tosa::ClzOp, tosa::IdentityOp>(
        context);
    attachChannelLocal<tosa::AvgPool2dOp, tosa::MaxPool2dOp, tosa::ResizeOp>(
        context);
    tosa::RescaleOp::attachInterface<RescaleModel>(*context);
    tosa::TableOp::attachInterface<TableModel>(*context);
    tosa::Conv2DOp::attachInterface<Conv2DModel>(*context);
    tosa::DepthwiseConv2DOp::attachInterface<DepthwiseConv2DModel>(*context);
    tosa::TransposeConv2DOp::attachInterface<TransposeConv2DModel>(*context);
    tosa::MatMulOp::attachInterface<MatMulModel>(*context);
    tosa::PadOp::attachInterface<PadModel>(*context);
    tosa::TransposeOp::attachInterface<TransposeModel>(*context);
    tosa::ConcatOp::attachInterface<ConcatModel>(*context);
    tosa::ReverseOp::attachInterface<ReverseModel>(*context);
    tosa::GatherOp::attachInterface<GatherModel>(*context);
    tosa::ReduceSumOp::attachInterface<ReduceModel<tosa::ReduceSumOp, true>>(
        *context);
    tosa::ReduceMaxOp::attachInterface<ReduceModel<tosa::ReduceMaxOp, false>>(
        *context);
    tosa::ReduceMinOp::attachInterface<ReduceModel<tosa::ReduceMinOp, false>>(
        *context);
    tosa::ReduceProductOp::attachInterface<
        ReduceModel<tosa::ReduceProductOp, false>>(*context);
  });
  registerTosaRowModels(registry);
}

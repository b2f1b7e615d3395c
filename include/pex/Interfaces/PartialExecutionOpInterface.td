//===- PartialExecutionOpInterface.td ----------------------*- tablegen -*-===//
//
// What an operator can do when its tensors are cut into channel slices.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_TD
#define PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Pex_PartialExecutionProperties : I32BitEnumAttr<
    "PartialExecutionProperties", "how an operator runs on channel slices", [
  I32BitEnumAttrCaseNone<"None", "none">,
  // Output channel c depends only on input channel c (pooling, depthwise
  // convolution, per-channel rescale): a slice in gives the slice out. With
  // a channel granularity g > 1 (a grouped convolution), on the input
  // channels of its group of g: only slices of whole groups.
  I32BitEnumAttrCaseBit<"ChannelLocal", 0, "channel_local">,
  // Channel-local and every output element depends only on the input
  // elements at the same index (up to broadcasting): fusible as an epilogue.
  I32BitEnumAttrCaseBit<"Elementwise", 1, "elementwise">,
  // Can compute any subset of its output channels from whole inputs.
  I32BitEnumAttrCaseBit<"OutputSplittable", 2, "output_splittable">,
  // Can consume a slice of input channels, adding its contribution to a
  // full-size accumulator (a convolution's sum over input channels).
  I32BitEnumAttrCaseBit<"InputAccumulable", 3, "input_accumulable">
]> {
  let cppNamespace = "::mlir::pex";
  let genSpecializedAttr = 0;
}

def Pex_SliceMode : I32EnumAttr<"SliceMode",
    "which side of an operator a channel slice is on", [
  // The operator produces a slice of its output channels (from a slice of its
  // inputs when channel-local, from whole inputs when output-splittable).
  I32EnumAttrCase<"Output", 0, "output">,
  // The operator consumes a slice of its input channels and produces a
  // contribution to its full output.
  I32EnumAttrCase<"Input", 1, "input">
]> {
  let cppNamespace = "::mlir::pex";
  let genSpecializedAttr = 0;
}

def Pex_PartialExecutionOpInterface
    : OpInterface<"PartialExecutionOpInterface"> {
  let cppNamespace = "::mlir::pex";
  let description = [{
    Describes how an operator behaves when the channel dimension of its
    activations is cut into slices: whether it is channel-local (and
    element-wise), can produce a subset of its output channels, or can
    consume a subset of its input channels into an accumulator; which of its
    operands are cut, and along which dimension, in each mode; and the cost
    of one slice (bytes of activations touched, multiply-accumulates).
    Activations are NHWC (or NC): the channel axis is the last dimension.
    TOSA operators get this interface through external models
    (`registerTosaPartialExecutionModels`).
  }];

  let methods = [
    InterfaceMethod<[{
        Properties of the operator when the last dimension of its
        activations is cut into slices.
      }],
      "::mlir::pex::PartialExecutionProperties", "getPartialExecutionProperties">,
    InterfaceMethod<[{
        The dimension along which operand `operandIndex` is cut when the
        operator runs on a slice in `mode`, or nullopt when the operand is
        consumed whole. Never called for a mode the properties exclude.
      }],
      "std::optional<int64_t>", "getSlicedOperandDim",
      (ins "unsigned":$operandIndex, "::mlir::pex::SliceMode":$mode)>,
    InterfaceMethod<[{
        When the operator accumulates input slices, the operand (a bias) that
        must be applied once after the last slice instead of once per slice.
      }],
      "std::optional<unsigned>", "getAccumulationBiasOperand", (ins), "",
      "return std::nullopt;">,
    InterfaceMethod<[{
        The channels a slice must come in multiples of, and start at a
        multiple of (the group width of a grouped convolution; 1 for
        operators whose channels are independent).
      }],
      "int64_t", "getChannelGranularity", (ins), "", "return 1;">,
    InterfaceMethod<[{
        Multiply-accumulate operations of the whole operator (0 for
        operators without multiplications over a reduction).
      }],
      "int64_t", "getMacs", (ins), "", "return 0;">,
  ];

  let extraSharedClassDeclaration = [{
    bool hasProperty(::mlir::pex::PartialExecutionProperties property) {
      return ::mlir::pex::bitEnumContainsAll(
          $_op.getPartialExecutionProperties(), property);
    }
    /// Bytes of activations (non-constant operands and results) the operator
    /// touches when it runs on one slice of `sliceChannels` channels out of
    /// `channels`: the per-slice working set.
    int64_t getSliceWorkingSetBytes(int64_t channels, int64_t sliceChannels,
                                    ::mlir::pex::SliceMode mode) {
      return ::mlir::pex::detail::getSliceWorkingSetBytes(
          $_op, channels, sliceChannels, mode);
    }
  }];
}

#endif // PEX_INTERFACES_PARTIALEXECUTIONOPINTERFACE_TD

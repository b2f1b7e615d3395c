//===- RowWindowOpInterface.td -----------------------------*- tablegen -*-===//
//
// How an NHWC window operator reads rows: what a row stream needs to run it
// one output row at a time.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_INTERFACES_ROWWINDOWOPINTERFACE_TD
#define PEX_INTERFACES_ROWWINDOWOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Pex_RowWindowOpInterface : OpInterface<"RowWindowOpInterface"> {
  let cppNamespace = "::mlir::pex";
  let description = [{
    An operator whose output row `r` (dimension 1 of NHWC activations)
    reads the input rows `[r * stride - padTop, r * stride - padTop + window)`
    of its activation operand (operand 0), clipped to the input: a
    convolution, a depthwise convolution, a pooling. Padding rows outside
    the input contribute nothing, so the operator restricted to a window of
    rows, with the top and bottom padding that window still needs, computes
    the same output rows. Row streams (`pex.stream`) are built on this.
  }];

  let methods = [
    InterfaceMethod<[{
        Rows of the input one output row reads: the kernel height, dilated.
      }],
      "int64_t", "getRowWindow">,
    InterfaceMethod<"Rows the window moves per output row.",
      "int64_t", "getRowStride">,
    InterfaceMethod<"Padding rows above the input.",
      "int64_t", "getRowPadTop">,
    InterfaceMethod<[{
        Creates, at `builder`'s insertion point, the operator computing
        `outputRows` output rows from `input`, a window of the input's rows
        that the padding `padTop` and `padBottom` completes; the other
        operands and attributes are the operator's own.
      }],
      "::mlir::Operation *", "cloneForRows",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$input,
           "int64_t":$padTop, "int64_t":$padBottom, "int64_t":$outputRows)>,
  ];
}

#endif // PEX_INTERFACES_ROWWINDOWOPINTERFACE_TD

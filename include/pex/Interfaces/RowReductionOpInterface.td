//===- RowReductionOpInterface.td --------------------------*- tablegen -*-===//
//
// How an operator reducing all rows of its input is computed one input row
// at a time: what lets a row stream end with a global pooling.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_TD
#define PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Pex_RowReductionOpInterface : OpInterface<"RowReductionOpInterface"> {
  let cppNamespace = "::mlir::pex";
  let description = [{
    An NHWC operator that may reduce every row of its activation (operand 0)
    into one output row, e.g. a global average pooling. When it does
    (`reducesAllRows`), the rows need not exist together: an accumulator
    takes each input row once, in order, and the result is computed from
    the accumulator at the end, bit-exactly for integer types. A row stream
    (`pex.stream`) ending with such an operator accumulates the rows its
    previous operator produces instead of holding them all.
  }];

  let methods = [
    InterfaceMethod<[{
        Whether the operator reduces all of its input's rows and columns into
        one value per channel (its window covers the whole input, unpadded).
      }],
      "bool", "reducesAllRows">,
    InterfaceMethod<"The accumulator's type: one value per channel.",
      "::mlir::RankedTensorType", "getAccumulatorType">,
    InterfaceMethod<[{
        Creates, at `builder`'s insertion point, the operators adding input
        row `row` (one row of the activation) to `accumulator`, and returns
        the new accumulator; with a null `accumulator` (the first row),
        returns the row's contribution alone.
      }],
      "::mlir::Value", "buildAccumulateRow",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$accumulator,
           "::mlir::Value":$row)>,
    InterfaceMethod<[{
        Creates the operators computing the operator's result from the
        accumulator of all input rows; returns that result (a new value).
      }],
      "::mlir::Value", "buildResult",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$accumulator)>,
  ];
}

#endif // PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_TD

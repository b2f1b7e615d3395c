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
    into one output row, e.g. a global average pooling or a sum along rows
    (the first half of a mean). When it does
    (`reducesAllRows`), the rows need not exist together: an accumulator
    takes each input row once, in order, and the result is computed from
    the accumulator at the end, bit-exactly for integer types. A row stream
    (`pex.stream`) ending with such an operator accumulates the rows its
    previous operator produces instead of holding them all.
  }];

  let methods = [
    InterfaceMethod<[{
        Whether the operator reduces all of its input's rows into one output
        row (a pooling window covering the whole input, unpadded; a sum along
        rows).
      }],
      "bool", "reducesAllRows">,
    InterfaceMethod<"The accumulator's type (one output row).",
      "::mlir::RankedTensorType", "getAccumulatorType">,
    InterfaceMethod<[{
        Whether the accumulator of all rows is the result itself (a sum):
        `buildResult` then returns it, and, when no element-wise operator
        follows the reduction in its logical operator, it is accumulated in
        the result's storage.
      }],
      "bool", "isAccumulatorTheResult", (ins), "", "return false;">,
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
        accumulator of all input rows and returns that result: a new value,
        or the accumulator itself when `isAccumulatorTheResult`.
      }],
      "::mlir::Value", "buildResult",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$accumulator)>,
  ];
}

#endif // PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_TD

//===- KernelEmitterOpInterface.td -------------------------*- tablegen -*-===//
//
// How an operator is emitted inside a kernel's loop nest.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_INTERFACES_KERNELEMITTEROPINTERFACE_TD
#define PEX_INTERFACES_KERNELEMITTEROPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Pex_KernelEmitterOpInterface : OpInterface<"KernelEmitterOpInterface"> {
  let cppNamespace = "::mlir::pex";
  let description = [{
    Emits an operator as scalar code inside a `pex.kernel`'s loop nest.
    An anchor (convolution, pooling, reduction, data movement) emits the loop
    nest over its output and hands every output element to a callback, which
    evaluates the fused element-wise operators and stores the result. An
    element-wise operator emits the scalar for one output element. Operands
    are read through `KernelOperands`, which maps them to memrefs, fused
    scalars or compile-time constants. TOSA operators get this interface
    through external models (`registerTosaKernelEmitters`).
  }];

  let methods = [
    InterfaceMethod<[{
        Emits the loop nest of an anchor over its output; calls `emitElement`
        once per output element with the element's indices and value.
      }],
      "::llvm::LogicalResult", "emitLoopNest",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::pex::KernelOperands &":$operands,
           "::mlir::pex::ElementCallback":$emitElement), "",
      [{ return $_op->emitOpError("cannot be the anchor of a kernel"); }]>,
    InterfaceMethod<[{
        Emits the scalar of an element-wise operator at output `indices`.
        Returns a null value (after a diagnostic) when it cannot.
      }],
      "::mlir::Value", "emitElement",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::pex::KernelOperands &":$operands,
           "::mlir::ValueRange":$indices), "",
      [{ $_op->emitOpError("cannot be fused as an element-wise operator");
         return {}; }]>,
    InterfaceMethod<[{
        A bound on the magnitude of every element the operator computes (as
        an anchor or fused element-wise), from its operands' types, bounds
        (`KernelOperands::getMagnitudeBound`) and compile-time constants, if
        it has one: lets a fused epilogue use arithmetic that is exact only
        for values in a range (the requantisation's doubled value).
      }],
      "::std::optional<int64_t>", "getMagnitudeBound",
      (ins "::mlir::pex::KernelOperands &":$operands), "",
      [{ return ::std::nullopt; }]>,
  ];
}

#endif // PEX_INTERFACES_KERNELEMITTEROPINTERFACE_TD

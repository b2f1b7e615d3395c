//===- PexBase.td - Pex dialect definition -----------------*- tablegen -*-===//
//
// The pex dialect captures partial execution: running a chain of operators
// as a loop over channel slices so that the tensors inside the chain never
// exist in full, and records where every buffer lives in the static arena.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_DIALECT_PEX_IR_PEXBASE_TD
#define PEX_DIALECT_PEX_IR_PEXBASE_TD

include "mlir/IR/OpBase.td"

def Pex_Dialect : Dialect {
  let name = "pex";
  let cppNamespace = "::mlir::pex";
  let summary = "Partial execution of neural networks for microcontrollers";
  let description = [{
    The `pex` dialect expresses, at tensor level, groups of operators that run
    once per channel slice (`pex.group`), the fused logical operators that
    code generation emits as one loop nest (`pex.kernel`), and the attributes
    the memory planner uses to record where each buffer lives in the single
    static arena (`#pex.placement`, `#pex.arena`).
  }];
  let useDefaultAttributePrinterParser = 1;
  // The pipeline records its decisions in discardable `pex.*` attributes
  // (PexDialect.h names them); the dialect checks each one's kind and place.
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
  // A one-group `pex.grouped_conv2d` canonicalizes to `tosa.conv2d`.
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::tosa::TosaDialect"];
}

class Pex_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pex_Dialect, mnemonic, traits>;

#endif // PEX_DIALECT_PEX_IR_PEXBASE_TD

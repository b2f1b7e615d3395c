//===- PexOps.h - Pex operations --------------------------------*- C++ -*-===//

#ifndef PEX_DIALECT_PEX_IR_PEXOPS_H
#define PEX_DIALECT_PEX_IR_PEXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "pex/Dialect/Pex/IR/PexEnums.h.inc"

namespace mlir::pex {
/// The model input the application hands over row by row (pex.read_rows).
struct ApplicationInputResource
    : public SideEffects::Resource::Base<ApplicationInputResource> {
  StringRef getName() final { return "pex.application_input"; }
};
/// The model output the application receives row by row (pex.write_rows).
struct ApplicationOutputResource
    : public SideEffects::Resource::Base<ApplicationOutputResource> {
  StringRef getName() final { return "pex.application_output"; }
};
} // namespace mlir::pex

#define GET_OP_CLASSES
#include "pex/Dialect/Pex/IR/PexOps.h.inc"

#endif // PEX_DIALECT_PEX_IR_PEXOPS_H

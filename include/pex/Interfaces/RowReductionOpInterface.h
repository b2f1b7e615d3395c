//===- RowReductionOpInterface.h --------------------------------*- C++ -*-===//

#ifndef PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_H
#define PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

#include "pex/Interfaces/RowReductionOpInterface.h.inc"

#endif // PEX_INTERFACES_ROWREDUCTIONOPINTERFACE_H

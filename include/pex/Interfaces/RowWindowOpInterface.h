//===- RowWindowOpInterface.h -----------------------------------*- C++ -*-===//

#ifndef PEX_INTERFACES_ROWWINDOWOPINTERFACE_H
#define PEX_INTERFACES_ROWWINDOWOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include "pex/Interfaces/RowWindowOpInterface.h.inc"

#endif // PEX_INTERFACES_ROWWINDOWOPINTERFACE_H

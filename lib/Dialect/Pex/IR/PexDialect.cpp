//===- PexDialect.cpp - Pex dialect -----------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"


using namespace mlir;
using namespace mlir::pex;

#include "pex/Dialect/Pex/IR/PexDialect.cpp.inc"

void PexDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pex/Dialect/Pex/IR/PexOps.cpp.inc"
      >();
  registerAttributes();
}

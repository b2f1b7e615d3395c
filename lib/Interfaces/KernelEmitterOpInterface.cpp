//===- KernelEmitterOpInterface.cpp -----------------------------*- C++ -*-===//

#include "pex/Interfaces/KernelEmitterOpInterface.h"

using namespace mlir;
using namespace mlir::pex;

#include "pex/Interfaces/KernelEmitterOpInterface.cpp.inc"

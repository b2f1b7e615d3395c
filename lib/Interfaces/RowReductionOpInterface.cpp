//===- RowReductionOpInterface.cpp ------------------------------*- C++ -*-===//

#include "pex/Interfaces/RowReductionOpInterface.h"

#include "pex/Interfaces/RowReductionOpInterface.cpp.inc"

//===- RowWindowOpInterface.cpp ---------------------------------*- C++ -*-===//

#include "pex/Interfaces/RowWindowOpInterface.h"

#include "pex/Interfaces/RowWindowOpInterface.cpp.inc"

//===- TosaArithmetic.cpp - Constants of TOSA's integer arithmetic --------===//

#include "pex/Support/TosaArithmetic.h"

#include "llvm/ADT/bit.h"

std::pair<int32_t, int8_t> mlir::pex::getReciprocalScale(int64_t count) {
  int64_t k = 64 - llvm::countl_zero(static_cast<uint64_t>(count - 1));
  int64_t numerator = ((int64_t(1) << 30) + 1) << k;
  return {static_cast<int32_t>(numerator / count),
          static_cast<int8_t>(30 + k)};
}

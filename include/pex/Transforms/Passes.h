//===- Passes.h - Pex transformation passes ---------------------*- C++ -*-===//

#ifndef PEX_TRANSFORMS_PASSES_H
#define PEX_TRANSFORMS_PASSES_H

#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::pex {
#define GEN_PASS_DECL
#include "pex/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

#endif // PEX_TRANSFORMS_PASSES_H

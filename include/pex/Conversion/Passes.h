//===- Passes.h - Pex conversion passes -------------------------*- C++ -*-===//

#ifndef PEX_CONVERSION_PASSES_H
#define PEX_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::pex {
#define GEN_PASS_DECL
#include "pex/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

#endif // PEX_CONVERSION_PASSES_H

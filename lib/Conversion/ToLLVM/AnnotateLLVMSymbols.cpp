//===- AnnotateLLVMFunctions.cpp - pex-annotate-llvm-functions --*- C++ -*-===//

#include "pex/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::pex {
#define GEN_PASS_DEF_ANNOTATELLVMFUNCTIONS
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
struct AnnotateLLVMFunctionsPass
    : public pex::impl::AnnotateLLVMFunctionsBase<AnnotateLLVMFunctionsPass> {
  void runOnOperation() override {
    Builder builder(&getContext());
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      if (func.isExternal())
        return;
      SmallVector<Attribute> passthrough;
      if (ArrayAttr existing = func.getPassthroughAttr())
        llvm::append_range(passthrough, existing);
      passthrough.push_back(builder.getStringAttr("nounwind"));
      passthrough.push_back(builder.getStringAttr("no-builtins"));
      func.setPassthroughAttr(builder.getArrayAttr(passthrough));
    });
  }
};
} // namespace

//===- ExportEntryPoint.cpp - pex-export-entry-point ------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"

namespace mlir::pex {
#define GEN_PASS_DEF_EXPORTENTRYPOINT
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
struct ExportEntryPointPass
    : public pex::impl::ExportEntryPointBase<ExportEntryPointPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (func.getNumResults() != 0) {
        func.emitError() << "pex: the model function must return its results "
                            "through output buffers (run "
                            "buffer-results-to-out-params first)";
        return signalPassFailure();
      }
      OpBuilder builder(func);
      Type status = builder.getI32Type();
      // The importers' model metadata (names, quantisation) describes the
      // tensors for the C header; it has no meaning for code generation.
      func.removeArgAttrsAttr();
      func.removeResAttrsAttr();
      func.setSymName(("pex_" + func.getSymName() + "_run").str());
      func.setFunctionType(
          builder.getFunctionType(func.getArgumentTypes(), {status}));
      func.walk([&](func::ReturnOp ret) {
        builder.setInsertionPoint(ret);
        Value ok = arith::ConstantIntOp::create(builder, ret.getLoc(), status, 0);
        func::ReturnOp::create(builder, ret.getLoc(), ok);
        ret.erase();
      });
    }
  }
};
} // namespace

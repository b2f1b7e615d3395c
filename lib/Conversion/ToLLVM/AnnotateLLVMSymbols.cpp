//===- AnnotateLLVMSymbols.cpp - pex-annotate-llvm-symbols --*- C++ -*-===//

#include "pex/Conversion/Passes.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::pex {
#define GEN_PASS_DEF_ANNOTATELLVMSYMBOLS
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
struct AnnotateLLVMSymbolsPass
    : public pex::impl::AnnotateLLVMSymbolsBase<AnnotateLLVMSymbolsPass> {
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
      // Kernel functions: local symbols, named in the symbol table.
      if (func.isPrivate())
        func.setLinkage(LLVM::Linkage::Internal);
    });
    // The memory pools' linker sections, recorded by pex-materialize-arena
    // while the globals were memref globals.
    auto sections = getOperation()->getAttrOfType<DictionaryAttr>(
        pex::kSectionsAttrName);
    for (auto global : getOperation().getOps<LLVM::GlobalOp>()) {
      if (global.getLinkage() == LLVM::Linkage::Private)
        global.setLinkage(LLVM::Linkage::Internal);
      if (sections)
        if (auto section = sections.getAs<StringAttr>(global.getSymName()))
          global.setSectionAttr(section);
    }
    getOperation()->removeAttr(pex::kSectionsAttrName);
  }
};
} // namespace

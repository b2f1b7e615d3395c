//===- ExportEntryPoint.cpp - pex-export-entry-point ------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::pex {
#define GEN_PASS_DEF_EXPORTENTRYPOINT
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {
/// `@pex_NAME_<role>() -> !llvm.ptr`: the address of an input or output the
/// arena holds, for the application to fill or read. The view's operands
/// (the arena and its offset) are rebuilt in the accessor. A pointer rather
/// than a memref: the bare-pointer convention would return the descriptor's
/// allocated pointer, which a global's descriptor does not have.
LogicalResult createAccessor(OpBuilder &builder, StringRef modelName,
                             memref::ViewOp view, StringAttr role) {
  OpBuilder::InsertionGuard guard(builder);
  auto pointerType = LLVM::LLVMPointerType::get(builder.getContext());
  auto type = builder.getFunctionType({}, pointerType);
  auto accessor = func::FuncOp::create(
      builder, view.getLoc(), ("pex_" + modelName + "_" + role.getValue()).str(),
      type);
  builder.setInsertionPointToStart(accessor.addEntryBlock());
  IRMapping mapping;
  for (Value operand : view->getOperands()) {
    Operation *definition = operand.getDefiningOp();
    if (!definition || definition->getNumOperands() != 0)
      return view.emitError()
             << "pex: the arena view of the model's " << role
             << " must have a constant offset";
    builder.clone(*definition, mapping);
  }
  Operation *copy = builder.clone(*view, mapping);
  copy->removeAttr(pex::kArenaIOAttrName);
  Location loc = view.getLoc();
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(
      builder, loc, copy->getResult(0));
  Value integer = arith::IndexCastUIOp::create(builder, loc,
                                               builder.getI64Type(), address);
  Value pointer = LLVM::IntToPtrOp::create(builder, loc, pointerType, integer);
  func::ReturnOp::create(builder, loc, pointer);
  return success();
}

/// Turns each pex.read_rows of `func` into a call of the application's
/// `pex_NAME_read_input_rows(dst, first_row, row_count)`.
LogicalResult callReadInputRows(OpBuilder &builder, func::FuncOp func,
                                StringRef modelName) {
  SmallVector<pex::ReadRowsOp> reads;
  func.walk([&](pex::ReadRowsOp read) { reads.push_back(read); });
  if (reads.empty())
    return success();
  MLIRContext *context = builder.getContext();
  auto pointerType = LLVM::LLVMPointerType::get(context);
  Type i32 = builder.getI32Type();
  std::string callee = ("pex_" + modelName + "_read_input_rows").str();
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(func);
    auto declaration = func::FuncOp::create(
        builder, func.getLoc(), callee,
        builder.getFunctionType({pointerType, i32, i32}, {}));
    declaration.setPrivate();
  }
  for (pex::ReadRowsOp read : reads) {
    auto type = dyn_cast<MemRefType>(read.getBuffer().getType());
    if (!type || !memref::isStaticShapeAndContiguousRowMajor(type))
      return read.emitError() << "pex: the application's rows are read into "
                                 "contiguous memory, got "
                              << read.getBuffer().getType();
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(read);
    Location loc = read.getLoc();
    auto metadata = memref::ExtractStridedMetadataOp::create(
        builder, loc, read.getBuffer());
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(
        builder, loc, read.getBuffer());
    int64_t elementBytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    Value offsetBytes = arith::MulIOp::create(
        builder, loc, metadata.getOffset(),
        arith::ConstantIndexOp::create(builder, loc, elementBytes));
    Value address = arith::AddIOp::create(builder, loc, base, offsetBytes);
    Value integer = arith::IndexCastUIOp::create(builder, loc,
                                                 builder.getI64Type(), address);
    Value pointer = LLVM::IntToPtrOp::create(builder, loc, pointerType, integer);
    Value first =
        arith::IndexCastOp::create(builder, loc, i32, read.getFirstRow());
    Value count =
        arith::ConstantIntOp::create(builder, loc, i32, type.getDimSize(1));
    func::CallOp::create(builder, loc, callee, TypeRange(),
                         ValueRange{pointer, first, count});
    read.erase();
  }
  return success();
}

struct ExportEntryPointPass
    : public pex::impl::ExportEntryPointBase<ExportEntryPointPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (func.getNumResults() != 0) {
        func.emitError() << "pex: the model function must return its results "
                            "through output buffers (run "
                            "buffer-results-to-out-params first)";
        return signalPassFailure();
      }
      OpBuilder builder(func);
      std::string modelName = func.getSymName().str();
      WalkResult accessors = func.walk([&](memref::ViewOp view) {
        auto role = view->getAttrOfType<StringAttr>(pex::kArenaIOAttrName);
        if (role && failed(createAccessor(builder, modelName, view, role)))
          return WalkResult::interrupt();
        return WalkResult::advance();
      });
      if (accessors.wasInterrupted() ||
          failed(callReadInputRows(builder, func, modelName)))
        return signalPassFailure();
      Type status = builder.getI32Type();
      // The importers' model metadata (names, quantisation) describes the
      // tensors for the C header; it has no meaning for code generation.
      func.removeArgAttrsAttr();
      func.removeResAttrsAttr();
      func.setSymName("pex_" + modelName + "_run");
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

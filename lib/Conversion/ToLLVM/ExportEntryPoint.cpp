//===- ExportEntryPoint.cpp - pex-export-entry-point ------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Support/BufferCopies.h"

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

/// One call of an application's row function: the memory the rows are in
/// (or go to), the first row and the number of rows.
struct RowTransfer {
  Operation *op;
  Value buffer, firstRow;
  int64_t rowCount;
};

/// Turns each transfer into a call of the application's
/// `callee(void *rows, int32_t first_row, int32_t row_count)`, declared
/// once; `contiguity` ends the error for rows that are not contiguous.
LogicalResult callApplication(OpBuilder &builder, func::FuncOp func,
                              StringRef callee,
                              ArrayRef<RowTransfer> transfers,
                              StringRef contiguity) {
  if (transfers.empty())
    return success();
  MLIRContext *context = builder.getContext();
  auto pointerType = LLVM::LLVMPointerType::get(context);
  Type i32 = builder.getI32Type();
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(func);
    auto declaration = func::FuncOp::create(
        builder, func.getLoc(), callee,
        builder.getFunctionType({pointerType, i32, i32}, {}));
    declaration.setPrivate();
  }
  for (const RowTransfer &transfer : transfers) {
    auto type = dyn_cast<MemRefType>(transfer.buffer.getType());
    if (!type || !memref::isStaticShapeAndContiguousRowMajor(type))
      return transfer.op->emitError()
             << "pex: the application's rows are " << contiguity
             << " contiguous memory, got " << transfer.buffer.getType();
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(transfer.op);
    Location loc = transfer.op->getLoc();
    auto metadata = memref::ExtractStridedMetadataOp::create(
        builder, loc, transfer.buffer);
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(
        builder, loc, transfer.buffer);
    int64_t elementBytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    Value offsetBytes = arith::MulIOp::create(
        builder, loc, metadata.getOffset(),
        arith::ConstantIndexOp::create(builder, loc, elementBytes));
    Value address = arith::AddIOp::create(builder, loc, base, offsetBytes);
    Value integer = arith::IndexCastUIOp::create(builder, loc,
                                                 builder.getI64Type(), address);
    Value pointer = LLVM::IntToPtrOp::create(builder, loc, pointerType, integer);
    Value first =
        arith::IndexCastOp::create(builder, loc, i32, transfer.firstRow);
    Value count =
        arith::ConstantIntOp::create(builder, loc, i32, transfer.rowCount);
    func::CallOp::create(builder, loc, callee, TypeRange(),
                         ValueRange{pointer, first, count});
    transfer.op->erase();
  }
  return success();
}

/// Turns each pex.read_rows of `func` into a call of the application's
/// `pex_NAME_read_input_rows(dst, first_row, row_count)`, and each
/// pex.write_rows into one of `pex_NAME_write_output_rows(src, first_row,
/// row_count)`.
LogicalResult callRowFunctions(OpBuilder &builder, func::FuncOp func,
                               StringRef modelName) {
  SmallVector<RowTransfer> reads, writes;
  func.walk([&](pex::ReadRowsOp read) {
    reads.push_back({read, read.getBuffer(), read.getFirstRow(),
                     cast<ShapedType>(read.getBuffer().getType()).getDimSize(1)});
  });
  func.walk([&](pex::WriteRowsOp write) {
    writes.push_back(
        {write, write.getRows(), write.getFirstRow(), write.getRowCount()});
  });
  return success(
      succeeded(callApplication(builder, func,
                                ("pex_" + modelName + "_read_input_rows").str(),
                                reads, "read into")) &&
      succeeded(callApplication(
          builder, func, ("pex_" + modelName + "_write_output_rows").str(),
          writes, "written from")));
}

/// `pex_NAME_reset_state()`: every variable's global back to its initial
/// value (TFLite Micro's ResetVariableTensors), for a model that keeps state
/// between runs. The globals hold that value when the program starts.
LogicalResult createStateReset(OpBuilder &builder, ModuleOp module,
                               StringRef modelName) {
  SmallVector<memref::GlobalOp> variables;
  for (auto global : module.getOps<memref::GlobalOp>())
    if (global->hasAttr(pex::kVariableAttrName))
      variables.push_back(global);
  if (variables.empty())
    return success();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  Location loc = module.getLoc();
  auto reset = func::FuncOp::create(builder, loc,
                                    ("pex_" + modelName + "_reset_state").str(),
                                    builder.getFunctionType({}, {}));
  builder.setInsertionPointToStart(reset.addEntryBlock());
  for (memref::GlobalOp global : variables) {
    Value storage = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                                global.getSymName());
    auto initial =
        dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
    if (!initial || !initial.isSplat())
      return global.emitError()
             << "pex: the state @" << global.getSymName()
             << " has an initial value that is not one repeated element (a "
                "reset fills it; pex-thread-variables checks this)";
    Value value = arith::ConstantOp::create(
        builder, loc, cast<TypedAttr>(initial.getSplatValue<Attribute>()));
    pex::createFillLoops(builder, loc, value, storage);
  }
  func::ReturnOp::create(builder, loc);
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
          failed(callRowFunctions(builder, func, modelName)))
        return signalPassFailure();
      if (failed(createStateReset(builder, module, modelName)))
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

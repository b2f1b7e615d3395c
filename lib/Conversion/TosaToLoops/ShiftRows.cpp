//===- ShiftRows.cpp - Lowering pex.shift_rows ------------------*- C++ -*-===//

#include "ShiftRows.h"
#include "EmitterUtils.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The buffer as one dimension of 32-bit words, when it is a view of a byte
/// arena at an offset and of a size that are multiples of 4 bytes.
Value viewAsWords(OpBuilder &builder, Location loc, Value buffer,
                  int64_t bytes) {
  auto view = buffer.getDefiningOp<memref::ViewOp>();
  APInt offset;
  if (!view || bytes % 4 != 0 ||
      !view.getSource().getType().getElementType().isInteger(8) ||
      !matchPattern(view.getByteShift(), m_ConstantInt(&offset)) ||
      offset.getSExtValue() % 4 != 0)
    return {};
  auto words = MemRefType::get({bytes / 4}, builder.getI32Type());
  return memref::ViewOp::create(builder, loc, words, view.getSource(),
                                view.getByteShift(), ValueRange());
}

} // namespace

void mlir::pex::lowerShiftRows(ShiftRowsOp shift) {
  OpBuilder builder(shift);
  Location loc = shift.getLoc();
  auto type = cast<MemRefType>(shift.getBuffer().getType());
  int64_t rowElements = type.getNumElements() / type.getDimSize(1);
  int64_t elementBytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  int64_t dropBytes = shift.getDrop() * rowElements * elementBytes;
  int64_t keepBytes = shift.getKeep() * rowElements * elementBytes;
  Value flat;
  int64_t unit = elementBytes;
  if (dropBytes % 4 == 0 && keepBytes % 4 == 0)
    if (Value words = viewAsWords(builder, loc, shift.getBuffer(),
                                  type.getNumElements() * elementBytes)) {
      flat = words;
      unit = 4;
    }
  if (!flat) {
    ReassociationIndices all = {0, 1, 2, 3};
    flat = memref::CollapseShapeOp::create(builder, loc, shift.getBuffer(),
                                           ArrayRef<ReassociationIndices>{all});
  }
  Value drop = emit::constantIndex(builder, loc, dropBytes / unit);
  auto copy = scf::ForOp::create(
      builder, loc, emit::constantIndex(builder, loc, 0),
      emit::constantIndex(builder, loc, keepBytes / unit),
      emit::constantIndex(builder, loc, 1), ValueRange(),
      [&](OpBuilder &b, Location l, Value iv, ValueRange) {
        Value from = arith::AddIOp::create(b, l, iv, drop);
        Value value = memref::LoadOp::create(b, l, flat, ValueRange{from});
        memref::StoreOp::create(b, l, value, flat, ValueRange{iv});
        scf::YieldOp::create(b, l);
      });
  // Words: DSP targets copy them eight at a time (MicroKernels.h).
  if (unit == 4)
    copy->setAttr(kMicroKernelCopyAttrName, builder.getUnitAttr());
  shift.erase();
}

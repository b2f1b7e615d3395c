//===- MicroKernels.cpp - What the micro-kernel lowerings share -*- C++ -*-===//
//
// The lowerings of the marked loops (MicroKernelsDsp.cpp,
// VectorMultiplyAccumulate.cpp) address the operands the generic loop loads
// at its first iteration and step pointers from there.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

Value pex::emit::cloneAt(OpBuilder &builder, scf::ForOp loop,
                         IRMapping &mapping, Value value) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  Operation *def = value.getDefiningOp();
  if (!def || loop.isDefinedOutsideOfLoop(value))
    return value;
  for (Value operand : def->getOperands())
    cloneAt(builder, loop, mapping, operand);
  return builder.clone(*def, mapping)
      ->getResult(cast<OpResult>(value).getResultNumber());
}

Value pex::emit::byteAddressAt(OpBuilder &builder, Location loc,
                               scf::ForOp loop, IRMapping &mapping,
                               Value memref, ValueRange indices) {
  auto at = [&](Value value) {
    return cloneAt(builder, loop, mapping, value);
  };
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, at(memref));
  Value offset = metadata.getOffset();
  for (auto [index, stride] : llvm::zip(indices, metadata.getStrides()))
    offset = arith::AddIOp::create(
        builder, loc, offset,
        arith::MulIOp::create(builder, loc, at(index), stride));
  auto elementBytes = cast<MemRefType>(memref.getType())
                          .getElementType()
                          .getIntOrFloatBitWidth() /
                      8;
  if (elementBytes != 1)
    offset = arith::MulIOp::create(
        builder, loc, offset,
        arith::ConstantIndexOp::create(builder, loc, elementBytes));
  Type i32 = builder.getI32Type();
  auto pointerType = LLVM::LLVMPointerType::get(builder.getContext());
  Value aligned = memref::ExtractAlignedPointerAsIndexOp::create(
      builder, loc, at(memref));
  Value base = LLVM::IntToPtrOp::create(
      builder, loc, pointerType,
      arith::IndexCastUIOp::create(builder, loc, i32, aligned).getResult());
  return LLVM::GEPOp::create(
      builder, loc, pointerType, builder.getI8Type(), base,
      ValueRange{
          arith::IndexCastOp::create(builder, loc, i32, offset).getResult()});
}

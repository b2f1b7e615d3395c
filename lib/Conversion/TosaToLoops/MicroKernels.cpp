//===- MicroKernels.cpp - What the micro-kernel lowerings share -*- C++ -*-===//
//
// The emitters build the marked loops' generic form here; their lowerings
// (MicroKernelsDsp.cpp, VectorMultiplyAccumulate.cpp) address the operands
// the generic loop loads at its first iteration and step pointers from
// there.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

DictionaryAttr pex::emit::getMacAttr(Builder &builder, int64_t pixels,
                                     int64_t pairs, bool rows,
                                     int64_t pixelStride, int64_t runStride,
                                     bool unrolled) {
  SmallVector<NamedAttribute> entries{
      builder.getNamedAttr("pixels", builder.getI64IntegerAttr(pixels)),
      builder.getNamedAttr("pairs", builder.getI64IntegerAttr(pairs)),
      builder.getNamedAttr("input",
                           builder.getStringAttr(rows ? "rows" : "im2col"))};
  if (pixelStride > 0)
    entries.push_back(builder.getNamedAttr(
        "pixel_stride", builder.getI64IntegerAttr(pixelStride)));
  if (runStride > 0)
    entries.push_back(builder.getNamedAttr(
        "run_stride", builder.getI64IntegerAttr(runStride)));
  if (unrolled)
    entries.push_back(builder.getNamedAttr("unrolled", builder.getUnitAttr()));
  return builder.getDictionaryAttr(entries);
}

SmallVector<Value> pex::emit::getIm2ColIndices(OpBuilder &builder, Location loc,
                                               Value g, int64_t h, int64_t p,
                                               int64_t lane) {
  return {g, constantIndex(builder, loc, h), constantIndex(builder, loc, p),
          constantIndex(builder, loc, lane)};
}

scf::ForOp pex::emit::buildMacLoop(OpBuilder &builder, Location loc,
                                   int64_t groups, ValueRange init,
                                   DictionaryAttr attr, MacInputLoad loadInput,
                                   MacWeightLoad loadWeight,
                                   Value firstWeightGroup) {
  int64_t pixels = attr.getAs<IntegerAttr>("pixels").getInt();
  int64_t pairs = attr.getAs<IntegerAttr>("pairs").getInt();
  Type i32 = builder.getI32Type();
  auto loop = scf::ForOp::create(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, groups), constantIndex(builder, loc, 1), init,
      [&](OpBuilder &b, Location l, Value g, ValueRange carried) {
        Value weightGroup =
            firstWeightGroup
                ? arith::AddIOp::create(b, l, firstWeightGroup, g).getResult()
                : g;
        auto weightAt = [&](ArrayRef<int64_t> rest) {
          return castInt(b, l, loadWeight(b, l, weightGroup, rest), i32);
        };
        auto addProduct = [&](Value &acc, Value x, Value w) {
          acc = arith::AddIOp::create(b, l, acc,
                                      arith::MulIOp::create(b, l, x, w));
        };
        SmallVector<Value> next(carried);
        for (int64_t h = 0; h < 2; ++h)
          for (int64_t p = 0; p < pixels; ++p) {
            Value lanes[2] = {castInt(b, l, loadInput(b, l, g, h, p, 0), i32),
                              castInt(b, l, loadInput(b, l, g, h, p, 1), i32)};
            for (int64_t lane = 0; lane < 2; ++lane) {
              if (pairs == 0) {
                addProduct(next[p], lanes[lane], weightAt({h + 2 * lane}));
                continue;
              }
              for (int64_t s = 0; s < pairs; ++s)
                for (int64_t c = 0; c < 2; ++c)
                  addProduct(next[(p * pairs + s) * 2 + c], lanes[lane],
                             weightAt({h, s, c + 2 * lane}));
            }
          }
        scf::YieldOp::create(b, l, next);
      });
  loop->setAttr(kMacAttr, attr);
  return loop;
}

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

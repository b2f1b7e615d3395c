//===- BufferCopies.cpp - Copies between memrefs without a library --------===//

#include "pex/Support/BufferCopies.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

/// A loop nest over the shape of `type`, calling `body` with the indices.
static void
buildNest(OpBuilder &builder, Location loc, MemRefType type,
          function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : type.getShape()) {
    lbs.push_back(arith::ConstantIndexOp::create(builder, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(builder, loc, size));
    steps.push_back(arith::ConstantIndexOp::create(builder, loc, 1));
  }
  scf::buildLoopNest(builder, loc, lbs, ubs, steps, body);
}

void pex::createCopyLoops(OpBuilder &builder, Location loc, Value from,
                          Value to) {
  buildNest(builder, loc, cast<MemRefType>(from.getType()),
            [&](OpBuilder &b, Location l, ValueRange ivs) {
              Value value = memref::LoadOp::create(b, l, from, ivs);
              memref::StoreOp::create(b, l, value, to, ivs);
            });
}

void pex::createFillLoops(OpBuilder &builder, Location loc, Value value,
                          Value to) {
  buildNest(builder, loc, cast<MemRefType>(to.getType()),
            [&](OpBuilder &b, Location l, ValueRange ivs) {
              memref::StoreOp::create(b, l, value, to, ivs);
            });
}

//===- VectorMultiplyAccumulate.cpp - pex-vector-multiply-accumulate -----===//
//
// The vector micro-kernels (MicroKernels.h) with the M-profile vector
// extension: per vector of 16 products, one 16-byte load per pixel and per
// channel and one VMLADAVA.S8 per pixel and channel, which multiplies the 16
// int8 lane pairs and adds their sum to a general-purpose register. Against
// the DSP extension's SMLAD (two products, after two SXTB16 of each
// operand) that is 16 products per instruction with nothing to extend. The
// intrinsic states the instruction rather than leaving LLVM to recognise it
// in a reduction of a multiply of extensions.
//
//===----------------------------------------------------------------------===//

#include "pex/Conversion/Passes.h"
#include "MicroKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

namespace mlir::pex {
#define GEN_PASS_DEF_VECTORMULTIPLYACCUMULATE
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// A marked loop as the same loop over vectors (layouts: MicroKernels.h).
LogicalResult lowerVectorMac(scf::ForOp loop, DictionaryAttr attr) {
  auto pixelsAttr = dyn_cast_or_null<IntegerAttr>(attr.get("pixels"));
  auto channelsAttr = dyn_cast_or_null<IntegerAttr>(attr.get("channels"));
  if (!pixelsAttr || !channelsAttr)
    return loop.emitOpError("needs integer 'pixels' and 'channels' in its '")
           << kVectorMacAttr << "'";
  int64_t pixels = pixelsAttr.getInt(), channels = channelsAttr.getInt();
  auto inner = loop.getBody()->getOps<scf::ForOp>();
  scf::ForOp lanes = llvm::hasSingleElement(inner) ? *inner.begin() : nullptr;
  SmallVector<memref::LoadOp> loads;
  if (lanes)
    lanes.getBody()->walk([&](memref::LoadOp load) { loads.push_back(load); });
  if (!lanes || !isConstantIntValue(loop.getStep(), 1) ||
      !isConstantIntValue(lanes.getLowerBound(), 0) ||
      !isConstantIntValue(lanes.getStep(), 1) ||
      static_cast<int64_t>(loads.size()) != pixels + channels ||
      static_cast<int64_t>(loop.getNumRegionIterArgs()) != pixels * channels)
    return loop.emitOpError("is not a vector micro-kernel loop");

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  MLIRContext *context = builder.getContext();
  auto vectorType = VectorType::get({kVectorLanes}, builder.getI8Type());
  Type i32 = builder.getI32Type();
  Value zero = arith::ConstantIntOp::create(builder, loc, 0, 32);
  auto vectors = scf::ForOp::create(
      builder, loc, loop.getLowerBound(), loop.getUpperBound(),
      loop.getStep(), loop.getInitArgs(),
      [&](OpBuilder &b, Location l, Value v, ValueRange carried) {
        // Every operand's vector at v: its first lane's address.
        IRMapping mapping;
        mapping.map(loop.getInductionVar(), v);
        mapping.map(lanes.getInductionVar(),
                    arith::ConstantIndexOp::create(b, l, 0));
        // A partial vector (the end of a row read in place): its inputs'
        // lanes from the count on are zero and not read (VCTP8 predicates
        // the load); the weights are padded.
        Value mask, zeros;
        if (!isConstantIntValue(lanes.getUpperBound(), kVectorLanes)) {
          Value count = arith::IndexCastOp::create(
              b, l, b.getI32Type(),
              cloneAt(b, loop, mapping, lanes.getUpperBound()));
          mask = LLVM::CallIntrinsicOp::create(
                     b, l, VectorType::get({kVectorLanes}, b.getI1Type()),
                     StringAttr::get(context, "llvm.arm.mve.vctp8"), count)
                     .getResult(0);
          zeros = LLVM::ZeroOp::create(b, l, vectorType);
        }
        SmallVector<Value> operands;
        for (auto [i, load] : llvm::enumerate(loads)) {
          Value address = byteAddressAt(b, l, loop, mapping, load.getMemRef(),
                                        load.getIndices());
          if (mask && static_cast<int64_t>(i) < pixels)
            operands.push_back(LLVM::MaskedLoadOp::create(
                b, l, vectorType, address, mask, zeros,
                b.getI32IntegerAttr(1), /*nontemporal=*/nullptr));
          else
            operands.push_back(LLVM::LoadOp::create(b, l, vectorType, address,
                                                    /*alignment=*/1));
        }
        // VMLADAVA.S8: signed, adding, lanes not exchanged.
        SmallVector<Value> sums;
        for (int64_t p = 0; p < pixels; ++p)
          for (int64_t c = 0; c < channels; ++c)
            sums.push_back(
                LLVM::CallIntrinsicOp::create(
                    b, l, i32, StringAttr::get(context, "llvm.arm.mve.vmldava"),
                    ValueRange{zero, zero, zero, carried[p * channels + c],
                               operands[p], operands[pixels + c]})
                    .getResult(0));
        scf::YieldOp::create(b, l, sums);
      });
  loop.replaceAllUsesWith(vectors.getResults());
  loop.erase();
  return success();
}

struct VectorMultiplyAccumulatePass
    : public pex::impl::VectorMultiplyAccumulateBase<
          VectorMultiplyAccumulatePass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kVectorMacAttr))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      if (failed(lowerVectorMac(
              loop, loop->getAttrOfType<DictionaryAttr>(kVectorMacAttr))))
        return signalPassFailure();
  }
};

} // namespace

//===- MicroKernelsDsp.cpp - Micro-kernels in Armv7E-M assembly -*- C++ -*-===//
//
// Replaces the loops marked by the emitters (MicroKernels.h) with inline
// assembly scheduled for the Cortex-M4: its register use is fixed (at most
// 14 of r0-r12, lr), its loads are back to back (a load after a load costs one
// cycle instead of two) and it keeps every accumulator and operand in a
// register, which LLVM's allocator does not manage at this pressure (it
// spills accumulators inside the loop). The cycle counts in the comments are
// the Cortex-M4 TRM's, as the cycle estimate of runtime/ counts them.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// The byte address of `memref[indices]` with the loop's induction variable
/// replaced by `iv`: the index computations inside the loop are cloned.
Value addressAt(OpBuilder &builder, Location loc, scf::ForOp loop, Value iv,
                Value memref, ValueRange indices) {
  IRMapping mapping;
  mapping.map(loop.getInductionVar(), iv);
  std::function<Value(Value)> at = [&](Value value) -> Value {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    Operation *def = value.getDefiningOp();
    if (!def || loop.isDefinedOutsideOfLoop(value))
      return value;
    for (Value operand : def->getOperands())
      at(operand);
    return builder.clone(*def, mapping)->getResult(
        cast<OpResult>(value).getResultNumber());
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

/// Inline assembly with named registers: accumulators and pointers updated
/// in place (outputs tied to their initial values) and scratch registers.
class AsmKernel {
public:
  /// An operand updated in place, initially `init`; returns its name.
  std::string inout(Value init) {
    inits.push_back(init);
    return "$" + std::to_string(inits.size() - 1);
  }
  /// A scratch register.
  std::string scratch() {
    return "$" + std::to_string(kScratchBase + scratches++);
  }
  void line(const Twine &text) { text.toVector(body), body.push_back('\n'); }

  /// The assembly; results in the order of `inout`.
  SmallVector<Value> build(OpBuilder &builder, Location loc) {
    // Scratch operands are numbered after the in-place ones.
    std::string text(body.begin(), body.end());
    for (unsigned i = 0; i < scratches; ++i)
      text = replaceAll(text, "$" + std::to_string(kScratchBase + i),
                        "$" + std::to_string(inits.size() + i));
    SmallVector<std::string> constraints;
    for (size_t i = 0; i < inits.size(); ++i)
      constraints.push_back("=r");
    for (unsigned i = 0; i < scratches; ++i)
      constraints.push_back("=&r");
    for (size_t i = 0; i < inits.size(); ++i)
      constraints.push_back(std::to_string(i));
    constraints.append({"~{cc}", "~{memory}"});
    SmallVector<Type> types;
    for (Value init : inits)
      types.push_back(init.getType());
    types.append(scratches, builder.getI32Type());
    auto structType =
        LLVM::LLVMStructType::getLiteral(builder.getContext(), types);
    auto asmOp = LLVM::InlineAsmOp::create(
        builder, loc, structType, inits, text, llvm::join(constraints, ","),
        /*has_side_effects=*/true, /*is_align_stack=*/false,
        LLVM::tailcallkind::TailCallKind::None,
        LLVM::AsmDialectAttr::get(builder.getContext(),
                                  LLVM::AsmDialect::AD_ATT),
        /*operand_attrs=*/ArrayAttr());
    SmallVector<Value> results;
    for (size_t i = 0; i < inits.size(); ++i)
      results.push_back(LLVM::ExtractValueOp::create(
          builder, loc, asmOp.getResult(0), ArrayRef<int64_t>{int64_t(i)}));
    return results;
  }

private:
  static std::string replaceAll(std::string text, StringRef from,
                                StringRef to) {
    // Longest names first would be needed for prefixes; scratch names are
    // numbered from kScratchBase, all of one length.
    size_t at = 0;
    while ((at = text.find(from.str(), at)) != std::string::npos) {
      text.replace(at, from.size(), to.str());
      at += to.size();
    }
    return text;
  }
  /// Temporary numbers for scratch registers, renumbered by `build`.
  static constexpr unsigned kScratchBase = 900;
  SmallVector<Value> inits;
  unsigned scratches = 0;
  SmallString<512> body;
};

/// The loads of a marked loop's body, in program order.
SmallVector<memref::LoadOp> loadsOf(scf::ForOp loop) {
  SmallVector<memref::LoadOp> loads;
  loop.getBody()->walk([&](memref::LoadOp load) { loads.push_back(load); });
  return loads;
}

/// A marked dot-product loop as assembly (layouts: MicroKernels.h). Every
/// half-step loads its weight words then its input words back to back
/// (2 + 1 + 1 ... cycles), extends each weight word into its two channels'
/// lanes (SXTB16, SXTB16 ROR #8) and issues one SMLAD per accumulator and
/// lane pair. im2col, pairs, P = 3: 13 cycles per 12 multiply-accumulates;
/// rows, pairs, P = 2: 22 cycles per 16.
LogicalResult lowerMac(scf::ForOp loop, DictionaryAttr attr) {
  auto pixels = cast<IntegerAttr>(attr.get("pixels")).getInt();
  auto pairs = cast<IntegerAttr>(attr.get("pairs")).getInt();
  bool rows = cast<StringAttr>(attr.get("input")).getValue() == "rows";
  std::optional<int64_t> groups = getConstantIntValue(loop.getUpperBound());
  if (!groups || *groups < 1 || !isConstantIntValue(loop.getLowerBound(), 0) ||
      !isConstantIntValue(loop.getStep(), 1) ||
      static_cast<int64_t>(loop.getNumRegionIterArgs()) !=
          macAccumulators(pixels, pairs))
    return loop.emitOpError("is not a micro-kernel loop of its kind");
  // The first weight load and each pixel's first input load read the
  // operands' first words (the emitters' order: half-step 0, pixel by
  // pixel, lane 0 then 1; channel 0 first). An im2col buffer holds every
  // pixel: one pointer; rows are one pointer per pixel.
  SmallVector<memref::LoadOp> loads = loadsOf(loop);
  SmallVector<memref::LoadOp> inputs;
  for (memref::LoadOp load : loads)
    if (rows ? load.getMemRefType().getRank() == 2
             : load.getType().isInteger(16))
      inputs.push_back(load);
  auto weights = llvm::find_if(loads, [&](memref::LoadOp load) {
    return load.getType().isInteger(8) &&
           load.getMemRefType().getRank() == (pairs == 0 ? 3 : 5);
  });
  if (inputs.size() < static_cast<size_t>(2 * pixels) ||
      weights == loads.end())
    return loop.emitOpError("is not a micro-kernel loop of its kind");

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  AsmKernel kernel;
  SmallVector<std::string> accs, xPointers;
  for (Value init : loop.getInitArgs())
    accs.push_back(kernel.inout(init));
  for (int64_t p = 0; p < (rows ? pixels : 1); ++p)
    xPointers.push_back(
        kernel.inout(addressAt(builder, loc, loop, zero,
                               inputs[2 * p].getMemRef(),
                               inputs[2 * p].getIndices())));
  std::string w = kernel.inout(addressAt(builder, loc, loop, zero,
                                         weights->getMemRef(),
                                         weights->getIndices()));
  int64_t unroll = *groups % 2 == 0 ? 2 : 1;
  std::string count = kernel.inout(arith::ConstantIntOp::create(
      builder, loc, *groups / unroll, 32));

  auto smlad = [&](const std::string &acc, const std::string &a,
                   const std::string &b) {
    kernel.line("smlad " + acc + ", " + a + ", " + b + ", " + acc);
  };
  auto load = [&](const std::string &reg, const std::string &pointer) {
    kernel.line("ldr " + reg + ", [" + pointer + "], #4");
  };
  auto extend = [&](const std::string &to, const std::string &from,
                    bool odd) {
    kernel.line("sxtb16 " + to + ", " + from + (odd ? ", ror #8" : ""));
  };
  std::string t = kernel.scratch();
  SmallVector<std::string> ws, ts, xs;
  kernel.line("1:");
  if (rows && pairs == 0) {
    // Per group one weight word and a word per pixel, read in place: their
    // SXTB16 (half-step 0) and SXTB16 ROR #8 (half-step 1) pair up.
    std::string e = kernel.scratch();
    ws.push_back(kernel.scratch());
    for (int64_t p = 0; p < pixels; ++p)
      xs.push_back(kernel.scratch());
    for (int64_t step = 0; step < unroll; ++step) {
      load(ws[0], w);
      for (int64_t p = 0; p < pixels; ++p)
        load(xs[p], xPointers[p]);
      extend(t, ws[0], false);
      extend(ws[0], ws[0], true);
      for (int64_t p = 0; p < pixels; ++p) {
        extend(e, xs[p], false);
        smlad(accs[p], e, t);
        extend(xs[p], xs[p], true);
        smlad(accs[p], xs[p], ws[0]);
      }
    }
  } else if (rows) {
    // Pairs over words read in place: the pixels' words once per group,
    // extended for each half-step; each weight word split into its two
    // channels' lanes.
    std::string e = kernel.scratch();
    for (int64_t s = 0; s < pairs; ++s) {
      ws.push_back(kernel.scratch());
      ts.push_back(s == 0 ? t : kernel.scratch());
    }
    for (int64_t p = 0; p < pixels; ++p)
      xs.push_back(kernel.scratch());
    for (int64_t step = 0; step < unroll; ++step)
      for (int64_t h = 0; h < 2; ++h) {
        for (const std::string &reg : ws)
          load(reg, w);
        if (h == 0)
          for (int64_t p = 0; p < pixels; ++p)
            load(xs[p], xPointers[p]);
        for (int64_t s = 0; s < pairs; ++s) {
          extend(ts[s], ws[s], false);
          extend(ws[s], ws[s], true);
        }
        for (int64_t p = 0; p < pixels; ++p) {
          extend(e, xs[p], h == 1);
          for (int64_t s = 0; s < pairs; ++s) {
            smlad(accs[(p * pairs + s) * 2], e, ts[s]);
            smlad(accs[(p * pairs + s) * 2 + 1], e, ws[s]);
          }
        }
      }
  } else if (pairs == 0) {
    // One weight word per group; the pixels' words of both half-steps.
    ws.push_back(kernel.scratch());
    for (int64_t i = 0; i < 2 * pixels; ++i)
      xs.push_back(kernel.scratch());
    for (int64_t step = 0; step < unroll; ++step) {
      load(ws[0], w);
      for (const std::string &reg : xs)
        load(reg, xPointers[0]);
      extend(t, ws[0], false);
      extend(ws[0], ws[0], true);
      for (int64_t p = 0; p < pixels; ++p)
        smlad(accs[p], xs[p], t);
      for (int64_t p = 0; p < pixels; ++p)
        smlad(accs[p], xs[pixels + p], ws[0]);
    }
  } else {
    for (int64_t s = 0; s < pairs; ++s)
      ws.push_back(kernel.scratch());
    for (int64_t p = 0; p < pixels; ++p)
      xs.push_back(kernel.scratch());
    for (int64_t half = 0; half < 2 * unroll; ++half) {
      for (const std::string &reg : ws)
        load(reg, w);
      for (const std::string &reg : xs)
        load(reg, xPointers[0]);
      for (int64_t s = 0; s < pairs; ++s) {
        extend(t, ws[s], false);
        extend(ws[s], ws[s], true);
        for (int64_t p = 0; p < pixels; ++p)
          smlad(accs[(p * pairs + s) * 2], xs[p], t);
        for (int64_t p = 0; p < pixels; ++p)
          smlad(accs[(p * pairs + s) * 2 + 1], xs[p], ws[s]);
      }
    }
  }
  kernel.line("subs " + count + ", #1");
  kernel.line("bne 1b");
  SmallVector<Value> results = kernel.build(builder, loc);
  loop.replaceAllUsesWith(ValueRange(results).take_front(accs.size()));
  loop.erase();
  return success();
}

/// A marked im2col copy loop as assembly: per word of four inputs, its two
/// half-step words, two words apart by the block's pixels. Unrolled by two
/// when it can: 15 cycles per eight inputs.
LogicalResult lowerIm2Col(scf::ForOp loop) {
  std::optional<int64_t> words = getConstantIntValue(loop.getUpperBound());
  SmallVector<memref::LoadOp> loads = loadsOf(loop);
  memref::StoreOp first;
  loop.getBody()->walk([&](memref::StoreOp store) {
    if (!first)
      first = store;
  });
  if (!words || *words < 1 || !isConstantIntValue(loop.getLowerBound(), 0) ||
      !isConstantIntValue(loop.getStep(), 1) || loads.size() != 4 || !first)
    return loop.emitOpError("is not an im2col copy loop");
  auto buffer = cast<MemRefType>(first.getMemRef().getType());
  int64_t pixelBytes = buffer.getDimSize(2) * 4;

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  AsmKernel kernel;
  std::string source =
      kernel.inout(addressAt(builder, loc, loop, zero, loads[0].getMemRef(),
                             loads[0].getIndices()));
  std::string target =
      kernel.inout(addressAt(builder, loc, loop, zero, first.getMemRef(),
                             first.getIndices()));
  int64_t unroll = *words % 2 == 0 ? 2 : 1;
  std::string count = kernel.inout(
      arith::ConstantIntOp::create(builder, loc, *words / unroll, 32));
  SmallVector<std::string> raw, even;
  for (int64_t i = 0; i < unroll; ++i) {
    raw.push_back(kernel.scratch());
    even.push_back(kernel.scratch());
  }
  kernel.line("1:");
  for (int64_t i = 0; i < unroll; ++i)
    kernel.line("ldr " + raw[i] + ", [" + source + "], #4");
  for (int64_t i = 0; i < unroll; ++i) {
    kernel.line("sxtb16 " + even[i] + ", " + raw[i]);
    kernel.line("sxtb16 " + raw[i] + ", " + raw[i] + ", ror #8");
    kernel.line("str " + raw[i] + ", [" + target + ", #" +
                std::to_string(pixelBytes) + "]");
    kernel.line("str " + even[i] + ", [" + target + "], #" +
                std::to_string(2 * pixelBytes));
  }
  kernel.line("subs " + count + ", #1");
  kernel.line("bne 1b");
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

} // namespace

LogicalResult emit::lowerMicroKernelsToDsp(Operation *root) {
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) {
    if (loop->hasAttr(kMacAttr) || loop->hasAttr(kIm2ColAttr))
      loops.push_back(loop);
  });
  for (scf::ForOp loop : loops) {
    LogicalResult lowered =
        loop->hasAttr(kIm2ColAttr)
            ? lowerIm2Col(loop)
            : lowerMac(loop, cast<DictionaryAttr>(loop->getAttr(kMacAttr)));
    if (failed(lowered))
      return failure();
  }
  return success();
}

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
#include "mlir/Dialect/Func/IR/FuncOps.h"
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

/// The largest offsets Thumb-2 loads and stores encode: post-indexed
/// (imm8), and added to a base register (imm12).
constexpr int64_t kMaxPostIndex = 255;
constexpr int64_t kMaxOffset = 4095;

/// The most groups per run a micro-kernel over runs unrolls (it loops over
/// the runs): rock_paper_scissors' 3x3 over 16 channels has 12.
constexpr int64_t kMaxRunGroups = 16;

/// The byte address of `memref[indices]` with the loop's induction variable
/// replaced by `iv`.
Value addressAt(OpBuilder &builder, Location loc, scf::ForOp loop, Value iv,
                Value memref, ValueRange indices) {
  IRMapping mapping;
  mapping.map(loop.getInductionVar(), iv);
  return byteAddressAt(builder, loc, loop, mapping, memref, indices);
}

/// `op`, which is inside `loop` and does not depend on its iterations (a
/// weight load), cloned before the loop with the induction variable at
/// `iv`.
Value cloneBefore(OpBuilder &builder, scf::ForOp loop, Value iv,
                  Operation *op) {
  IRMapping mapping;
  mapping.map(loop.getInductionVar(), iv);
  std::function<void(Operation *)> clone = [&](Operation *def) {
    for (Value operand : def->getOperands())
      if (Operation *inner = operand.getDefiningOp();
          inner && !loop.isDefinedOutsideOfLoop(operand) &&
          !mapping.contains(operand))
        clone(inner);
    builder.clone(*def, mapping);
  };
  clone(op);
  return mapping.lookup(op->getResult(0));
}

/// The static byte stride of dimension `dim` of `memref`, if known.
std::optional<int64_t> byteStride(Value memref, unsigned dim) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(strides[dim]))
    return std::nullopt;
  return strides[dim] * (type.getElementTypeBitWidth() / 8);
}

/// Inline assembly with named registers: operands updated in place (outputs
/// tied to their initial values), operands only read, and scratch
/// registers. Names are placeholders until `build` numbers the operands as
/// LLVM wants them: outputs (in-place, then scratch), then inputs (the
/// in-place ones' initial values, then the read-only ones).
class AsmKernel {
public:
  /// An operand updated in place, initially `init`; returns its name.
  std::string inout(Value init) {
    inits.push_back(init);
    return placeholder('i', inits.size() - 1);
  }
  /// An operand only read.
  std::string input(Value value) {
    inputs.push_back(value);
    return placeholder('r', inputs.size() - 1);
  }
  /// A scratch register.
  std::string scratch() { return placeholder('s', scratches++); }
  /// A register the assembly names itself (register lists of LDM and STM
  /// must be in ascending order, which LLVM's choice would not follow).
  void clobber(StringRef reg) { clobbers.push_back(("~{" + reg + "}").str()); }
  void line(const Twine &text) { text.toVector(body), body.push_back('\n'); }

  /// The assembly; results in the order of `inout`.
  SmallVector<Value> build(OpBuilder &builder, Location loc) {
    size_t outputs = inits.size() + scratches;
    std::string text(body.begin(), body.end());
    auto number = [&](char kind, size_t index) -> size_t {
      switch (kind) {
      case 'i':
        return index;
      case 's':
        return inits.size() + index;
      default:
        return outputs + inits.size() + index;
      }
    };
    std::string numbered;
    for (size_t at = 0; at < text.size();) {
      if (text[at] != '@') {
        numbered += text[at++];
        continue;
      }
      size_t end = text.find('@', at + 2);
      size_t index = std::stoul(text.substr(at + 2, end - at - 2));
      numbered += "$" + std::to_string(number(text[at + 1], index));
      at = end + 1;
    }
    SmallVector<std::string> constraints;
    for (size_t i = 0; i < inits.size(); ++i)
      constraints.push_back("=r");
    for (unsigned i = 0; i < scratches; ++i)
      constraints.push_back("=&r");
    for (size_t i = 0; i < inits.size(); ++i)
      constraints.push_back(std::to_string(i));
    for (size_t i = 0; i < inputs.size(); ++i)
      constraints.push_back("r");
    llvm::append_range(constraints, clobbers);
    constraints.append({"~{cc}", "~{memory}"});
    SmallVector<Type> types;
    for (Value init : inits)
      types.push_back(init.getType());
    types.append(scratches, builder.getI32Type());
    auto structType =
        LLVM::LLVMStructType::getLiteral(builder.getContext(), types);
    SmallVector<Value> operands(inits);
    llvm::append_range(operands, inputs);
    auto asmOp = LLVM::InlineAsmOp::create(
        builder, loc, structType, operands, numbered,
        llvm::join(constraints, ","),
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
  static std::string placeholder(char kind, size_t index) {
    return "@" + std::string(1, kind) + std::to_string(index) + "@";
  }
  SmallVector<Value> inits, inputs;
  SmallVector<std::string> clobbers;
  unsigned scratches = 0;
  SmallString<512> body;
};

/// acc = x * w with `multiply` when the sum starts, else acc += x * w with
/// `accumulate` (SMUAD then SMLAD, SMULTB then SMLATB: no zeroing first).
void multiplyInto(AsmKernel &kernel, bool starts, llvm::StringRef multiply,
                  llvm::StringRef accumulate, const std::string &acc,
                  const std::string &x, const std::string &w) {
  if (starts)
    kernel.line(multiply.str() + " " + acc + ", " + x + ", " + w);
  else
    kernel.line(accumulate.str() + " " + acc + ", " + x + ", " + w + ", " +
                acc);
}

/// The loads of a marked loop's body, in program order.
SmallVector<memref::LoadOp> loadsOf(scf::ForOp loop) {
  SmallVector<memref::LoadOp> loads;
  loop.getBody()->walk([&](memref::LoadOp load) { loads.push_back(load); });
  return loads;
}

/// The stores of a marked loop's body, in program order.
SmallVector<memref::StoreOp> storesOf(scf::ForOp loop) {
  SmallVector<memref::StoreOp> stores;
  loop.getBody()->walk([&](memref::StoreOp store) { stores.push_back(store); });
  return stores;
}

/// The byte address a load or store of `loop`'s body accesses at the
/// loop's first iteration.
template <typename AccessOp>
Value firstAddress(OpBuilder &builder, Location loc, scf::ForOp loop,
                   AccessOp access) {
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  return addressAt(builder, loc, loop, zero, access.getMemRef(),
                   access.getIndices());
}

/// The loop over the runs around `loop`, a marked loop over one run's
/// `groups` groups of rows read in place (`run_stride`), when both can be
/// one assembly block looping over the runs: the runs loop only carries the
/// accumulators through `loop`, a run's groups are few enough to unroll (and
/// not unrolled whole already), and the step from a run's end to the next
/// run's start is an immediate.
scf::ForOp getRunsLoop(scf::ForOp loop, DictionaryAttr attr, int64_t groups) {
  auto stride = attr.getAs<IntegerAttr>("run_stride");
  auto runs = dyn_cast<scf::ForOp>(loop->getParentOp());
  if (!stride || !runs || attr.get("unrolled") || groups > kMaxRunGroups ||
      stride.getInt() < 4 * groups ||
      stride.getInt() - 4 * groups > kMaxOffset ||
      !isConstantIntValue(runs.getLowerBound(), 0) ||
      !isConstantIntValue(runs.getStep(), 1) ||
      !getConstantIntValue(runs.getUpperBound()) ||
      !llvm::equal(runs.getRegionIterArgs(), loop.getInitArgs()) ||
      !llvm::equal(runs.getBody()->getTerminator()->getOperands(),
                   loop.getResults()))
    return {};
  return runs;
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

  // Kernel rows read in place as runs: the loop over a run's groups is the
  // body of a loop over the runs, and both become one assembly block whose
  // pixel pointers step to their next run after each run's groups (between
  // blocks, LLVM spilled the pointers and accumulators; estimated cycles of
  // fingerprint_signature_generator's three-channel slices 4.45 M -> 4.08 M,
  // rock_paper_scissors' four-channel ones 4.97 M -> 4.80 M).
  scf::ForOp runs = rows ? getRunsLoop(loop, attr, *groups) : scf::ForOp();
  int64_t runStride = runs ? attr.getAs<IntegerAttr>("run_stride").getInt() : 0;
  scf::ForOp outer = runs ? runs : loop;

  OpBuilder builder(outer);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  IRMapping first;
  first.map(loop.getInductionVar(), zero);
  if (runs)
    first.map(runs.getInductionVar(), zero);
  auto firstAddress = [&](memref::LoadOp load) {
    return byteAddressAt(builder, loc, outer, first, load.getMemRef(),
                         load.getIndices());
  };
  AsmKernel kernel;
  SmallVector<std::string> accs, xPointers;
  for (Value init : outer.getInitArgs())
    accs.push_back(kernel.inout(init));
  // Pixels whose rows are a fixed stride apart share one pointer (singles:
  // the registers it frees hold the epilogue's parameters across blocks).
  std::optional<int64_t> pixelStride;
  if (auto stride = attr.getAs<IntegerAttr>("pixel_stride");
      stride && rows && (pixels - 1) * stride.getInt() <= kMaxOffset)
    pixelStride = stride.getInt();
  // Groups unrolled whole, as the emitter chose: no counter register.
  bool straight = attr.get("unrolled") != nullptr;
  for (int64_t p = 0; p < (rows && !pixelStride ? pixels : 1); ++p)
    xPointers.push_back(kernel.inout(firstAddress(inputs[2 * p])));
  std::string w = kernel.inout(firstAddress(*weights));
  // Otherwise up to eight groups per iteration: the counter and the taken
  // branch cost 4 cycles per iteration, 8 % of two groups of a channel pair
  // by three pixels (estimated cycles with eight instead of two:
  // vww_96_int8 -2.1 %, resnet8_int8 -3.6 %, person_detect -2.2 %;
  // kws_ref_model's flash +8 %).
  // Over runs, an iteration is a run, its groups unrolled.
  int64_t unroll = straight || runs   ? *groups
                   : *groups % 8 == 0 ? 8
                   : *groups % 4 == 0 ? 4
                   : *groups % 2 == 0 ? 2
                                      : 1;
  int64_t iterations =
      runs ? *getConstantIntValue(runs.getUpperBound()) : *groups / unroll;
  std::string count;
  if (!straight)
    count = kernel.inout(
        arith::ConstantIntOp::create(builder, loc, iterations, 32));

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
  // Pixel p's next word: from its own pointer, or, over consecutive rows,
  // pixel 0's load steps the one pointer and the others are offsets from it.
  auto loadPixel = [&](const std::string &reg, int64_t p) {
    if (!pixelStride)
      return load(reg, xPointers[p]);
    if (p == 0)
      return load(reg, xPointers[0]);
    kernel.line("ldr " + reg + ", [" + xPointers[0] + ", #" +
                std::to_string(p * *pixelStride - 4) + "]");
  };
  std::string t = kernel.scratch();
  SmallVector<std::string> ws, ts, xs;
  if (!straight)
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
        loadPixel(xs[p], p);
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
            loadPixel(xs[p], p);
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
  // The run's words were read with post-increments: on to the next run.
  for (const std::string &pointer : runs ? xPointers : ArrayRef<std::string>())
    kernel.line("add " + pointer + ", " + pointer + ", #" +
                std::to_string(runStride - 4 * *groups));
  if (!straight) {
    kernel.line("subs " + count + ", #1");
    kernel.line("bne 1b");
  }
  SmallVector<Value> results = kernel.build(builder, loc);
  outer.replaceAllUsesWith(ValueRange(results).take_front(accs.size()));
  outer.erase();
  return success();
}

/// A marked im2col copy loop as assembly: per word of four inputs, its two
/// half-step words, two words apart by the block's pixels. Unrolled by two
/// when it can: 15 cycles per eight inputs; a copy of one or two words (a
/// kernel row of an image's three channels) is straight-line code.
LogicalResult lowerIm2Col(scf::ForOp loop) {
  std::optional<int64_t> words = getConstantIntValue(loop.getUpperBound());
  SmallVector<memref::LoadOp> loads = loadsOf(loop);
  SmallVector<memref::StoreOp> stores = storesOf(loop);
  if (!words || *words < 1 || !isConstantIntValue(loop.getLowerBound(), 0) ||
      !isConstantIntValue(loop.getStep(), 1) || loads.size() != 4 ||
      stores.empty())
    return loop.emitOpError("is not an im2col copy loop");
  memref::StoreOp first = stores.front();
  auto buffer = cast<MemRefType>(first.getMemRef().getType());
  int64_t pixelBytes = buffer.getDimSize(2) * 4;

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  AsmKernel kernel;
  std::string source = kernel.inout(firstAddress(builder, loc, loop, loads[0]));
  std::string target = kernel.inout(firstAddress(builder, loc, loop, first));
  bool straight = *words <= 2;
  int64_t unroll = straight ? *words : *words % 2 == 0 ? 2 : 1;
  std::string count =
      straight ? std::string()
               : kernel.inout(arith::ConstantIntOp::create(
                     builder, loc, *words / unroll, 32));
  SmallVector<std::string> raw, even;
  for (int64_t i = 0; i < unroll; ++i) {
    raw.push_back(kernel.scratch());
    even.push_back(kernel.scratch());
  }
  if (!straight)
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
  if (!straight) {
    kernel.line("subs " + count + ", #1");
    kernel.line("bne 1b");
  }
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

/// What a marked planar filter row reads and writes: its int16 input loads
/// and its weight loads (kernel row by kernel row), the store of its
/// accumulator, and the byte stride of the input rows.
struct PlanarRow {
  SmallVector<memref::LoadOp> inputs, weights;
  memref::StoreOp store;
  std::optional<int64_t> rowBytes;

  explicit PlanarRow(scf::ForOp loop) {
    for (memref::LoadOp load : loadsOf(loop))
      (load.getType().isInteger(16) ? inputs : weights).push_back(load);
    loop.getBody()->walk([&](memref::StoreOp op) { store = op; });
    if (!inputs.empty())
      rowBytes = byteStride(inputs[0].getMemRef(), 0);
  }
  bool hasTaps(int64_t taps) const {
    return static_cast<int64_t>(inputs.size()) == taps &&
           static_cast<int64_t>(weights.size()) == taps && store && rowBytes;
  }
  /// The input rows' and the accumulators' addresses at the first output,
  /// operands of `kernel` that it steps in place.
  std::pair<std::string, std::string> addPointers(AsmKernel &kernel,
                                                  OpBuilder &builder,
                                                  Location loc,
                                                  scf::ForOp loop,
                                                  Value zero) const {
    memref::LoadOp input = inputs[0];
    memref::StoreOp output = store;
    return {kernel.inout(addressAt(builder, loc, loop, zero,
                                   input.getMemRef(), input.getIndices())),
            kernel.inout(addressAt(builder, loc, loop, zero,
                                   output.getMemRef(), output.getIndices()))};
  }
};

/// Weight `index` of a planar row as i32, loaded before the loop; out of
/// range (a missing tap), zero.
Value weightBefore(OpBuilder &builder, Location loc, scf::ForOp loop,
                   const PlanarRow &row, int64_t index, bool inRange = true) {
  if (!inRange)
    return arith::ConstantIntOp::create(builder, loc, 0, 32);
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value w = cloneBefore(builder, loop, zero, row.weights[index]);
  return arith::ExtSIOp::create(builder, loc, builder.getI32Type(), w);
}

/// The word of int16 lanes [low, high].
Value laneWord(OpBuilder &builder, Location loc, Value low, Value high) {
  auto constant = [&](int64_t v) {
    return arith::ConstantIntOp::create(builder, loc, v, 32).getResult();
  };
  return arith::OrIOp::create(
      builder, loc, arith::AndIOp::create(builder, loc, low, constant(0xFFFF)),
      arith::ShLIOp::create(builder, loc, high, constant(16)));
}

/// A marked planar filter row of another KH x KW kernel (KW >= 2) as
/// assembly, two outputs per iteration, with the weights as words of int16
/// lanes in a table on the stack (filled before the row: too many for
/// registers), read by immediate offsets. Per kernel row, with the input
/// words X_j = [x_2j, x_2j+1] from the first output's first column and
/// E_j = [w_2j, w_2j+1] (a missing tap is a zero weight, its input the
/// buffer's padding): at stride 2, out0 = sum X_j.E_j and out1 = sum
/// X_j+1.E_j, each input word feeding both; at stride 1, out1 also needs
/// the odd pairs O_j = [w_2j-1, w_2j]: out1 = x_1 * w_0 + sum_j>=1 X_j.O_j.
/// A 5x5 kernel at stride 2: 16 cycles per kernel row for 10
/// multiply-accumulates.
LogicalResult lowerPlanarTable(scf::ForOp loop, const PlanarRow &row,
                               int64_t kernelH, int64_t kernelW,
                               int64_t stride, int64_t outputs) {
  // A single column has no pairs of taps: stays generic.
  if (kernelW < 2)
    return success();
  if (!row.hasTaps(kernelH * kernelW))
    return loop.emitOpError("is not a planar filter row of its kind");
  std::optional<int64_t> rowBytes = row.rowBytes;
  int64_t evens = (kernelW + 1) / 2, odds = stride == 1 ? kernelW / 2 : 0;
  int64_t rowWords = evens + odds;
  // Rows too long for immediate offsets stay generic.
  if ((kernelH - 1) * *rowBytes + 4 * (evens + 1) > kMaxOffset)
    return success();

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Type i32 = builder.getI32Type();
  auto constant = [&](int64_t v) {
    return arith::ConstantIntOp::create(builder, loc, v, 32).getResult();
  };
  auto weightAt = [&](int64_t kh, int64_t kw) {
    return weightBefore(builder, loc, loop, row, kh * kernelW + kw,
                        kw >= 0 && kw < kernelW);
  };
  // The table: per kernel row, E_0 .. E_evens-1, then O_1 .. O_odds.
  auto function = loop->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  Value table = memref::AllocaOp::create(
      entry, loc, MemRefType::get({kernelH * rowWords}, i32),
      builder.getI64IntegerAttr(4));
  for (int64_t kh = 0; kh < kernelH; ++kh) {
    for (int64_t j = 0; j < rowWords; ++j) {
      int64_t low = j < evens ? 2 * j : 2 * (j - evens + 1) - 1;
      Value word =
          laneWord(builder, loc, weightAt(kh, low), weightAt(kh, low + 1));
      memref::StoreOp::create(
          builder, loc, word, table,
          ValueRange{arith::ConstantIndexOp::create(builder, loc,
                                                    kh * rowWords + j)});
    }
  }

  AsmKernel kernel;
  auto [rows, accs] = row.addPointers(kernel, builder, loc, loop, zero);
  std::string count = kernel.inout(constant(outputs / 2));
  std::string words = kernel.input(
      addressAt(builder, loc, loop, zero, table, ValueRange{zero}));
  std::string first = kernel.scratch(), second = kernel.scratch();
  std::string a = kernel.scratch(), b = kernel.scratch();
  std::string e = kernel.scratch(), f = kernel.scratch();
  auto load = [&](const std::string &reg, const std::string &base,
                  int64_t offset) {
    kernel.line("ldr " + reg + ", [" + base + ", #" + std::to_string(offset) +
                "]");
  };
  // acc (+)= x.w: SMUAD on the first kernel row, SMLAD after.
  auto dot = [&](int64_t kh, const std::string &acc, const std::string &x,
                 const std::string &w) {
    multiplyInto(kernel, kh == 0, "smuad", "smlad", acc, x, w);
  };
  kernel.line("1:");
  for (int64_t kh = 0; kh < kernelH; ++kh) {
    int64_t base = kh * *rowBytes, weightBase = 4 * kh * rowWords;
    if (stride == 2) {
      load(e, words, weightBase);
      load(a, rows, base);
      load(b, rows, base + 4);
      dot(kh, first, a, e);
      dot(kh, second, b, e);
      for (int64_t j = 1; j < evens; ++j) {
        load(e, words, weightBase + 4 * j);
        load(a, rows, base + 4 * (j + 1));
        dot(1, first, b, e);
        dot(1, second, a, e);
        std::swap(a, b);
      }
      continue;
    }
    load(a, rows, base);
    load(e, words, weightBase);
    dot(kh, first, a, e);
    // x_1 * w_0: the top lane of X_0 by the bottom lane of E_0.
    if (kh == 0)
      kernel.line("smultb " + second + ", " + a + ", " + e);
    else
      kernel.line("smlatb " + second + ", " + a + ", " + e + ", " + second);
    for (int64_t j = 1; j < std::max(evens, odds + 1); ++j) {
      load(a, rows, base + 4 * j);
      if (j < evens)
        load(e, words, weightBase + 4 * j);
      load(f, words, weightBase + 4 * (evens + j - 1));
      if (j < evens)
        dot(1, first, a, e);
      dot(1, second, a, f);
    }
  }
  kernel.line("add " + rows + ", " + rows + ", #" + std::to_string(4 * stride));
  kernel.line("str " + second + ", [" + accs + ", #4]");
  kernel.line("str " + first + ", [" + accs + "], #8");
  kernel.line("subs " + count + ", #1");
  kernel.line("bne 1b");
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

/// A marked planar filter row (MicroKernels.h: kPlanarAttr) of a 3x3
/// kernel as assembly: the weights of each kernel row held as two words of
/// int16 lanes, E = [w0, w1] and O = [w1, w2], for the whole row. At stride
/// 1, two outputs per iteration from the words A = [x0, x1], B = [x2, x3]
/// of each input row: out0 = A.E + B.lo * O.hi, out1 = A.hi * E.lo + B.O,
/// 28 cycles for 18 multiply-accumulates. At stride 2, one output per
/// iteration: A.E + B.lo * O.hi. Other kernels: lowerPlanarTable.
LogicalResult lowerPlanar(scf::ForOp loop, DictionaryAttr attr) {
  auto kernelH = cast<IntegerAttr>(attr.get("kernel_h")).getInt();
  auto kernelW = cast<IntegerAttr>(attr.get("kernel_w")).getInt();
  auto stride = cast<IntegerAttr>(attr.get("stride")).getInt();
  std::optional<int64_t> outputs = getConstantIntValue(loop.getUpperBound());
  // Other strides and odd output counts stay generic.
  if ((stride != 1 && stride != 2) || !outputs || *outputs % 2 != 0)
    return success();
  PlanarRow row(loop);
  if (kernelH != 3 || kernelW != 3)
    return lowerPlanarTable(loop, row, kernelH, kernelW, stride, *outputs);
  if (!row.hasTaps(9))
    return loop.emitOpError("is not a planar filter row of its kind");
  std::optional<int64_t> rowBytes = row.rowBytes;
  if (2 * *rowBytes + 4 > kMaxOffset)
    return success(); // rows too long for immediate offsets: stays generic

  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  auto constant = [&](int64_t v) {
    return arith::ConstantIntOp::create(builder, loc, v, 32).getResult();
  };
  // w[kh][kw] as i32, and the lane pairs E and O of each kernel row.
  auto weightAt = [&](int64_t kh, int64_t kw) {
    return weightBefore(builder, loc, loop, row, kh * 3 + kw);
  };
  AsmKernel kernel;
  auto [rows, accs] = row.addPointers(kernel, builder, loc, loop, zero);
  int64_t perIteration = stride == 1 ? 2 : 1;
  std::string count =
      kernel.inout(constant(*outputs / perIteration));
  SmallVector<std::string> evens, odds;
  for (int64_t kh = 0; kh < 3; ++kh) {
    Value w0 = weightAt(kh, 0), w1 = weightAt(kh, 1), w2 = weightAt(kh, 2);
    evens.push_back(kernel.input(laneWord(builder, loc, w0, w1)));
    odds.push_back(kernel.input(laneWord(builder, loc, w1, w2)));
  }
  std::string first = kernel.scratch(), second = kernel.scratch();
  std::string a = kernel.scratch(), b = kernel.scratch();
  kernel.line("1:");
  for (int64_t kh = 0; kh < 3; ++kh) {
    std::string at = std::to_string(kh * *rowBytes);
    std::string next = std::to_string(kh * *rowBytes + 4);
    kernel.line("ldr " + a + ", [" + rows + ", #" + at + "]");
    kernel.line("ldr " + b + ", [" + rows + ", #" + next + "]");
    multiplyInto(kernel, kh == 0, "smuad", "smlad", first, a, evens[kh]);
    kernel.line("smlabt " + first + ", " + b + ", " + odds[kh] + ", " +
                first);
    if (stride != 1)
      continue;
    multiplyInto(kernel, kh == 0, "smultb", "smlatb", second, a, evens[kh]);
    kernel.line("smlad " + second + ", " + b + ", " + odds[kh] + ", " +
                second);
  }
  kernel.line("add " + rows + ", " + rows + ", #4");
  if (stride == 1) {
    kernel.line("str " + second + ", [" + accs + ", #4]");
    kernel.line("str " + first + ", [" + accs + "], #8");
  } else {
    kernel.line("str " + first + ", [" + accs + "], #4");
  }
  kernel.line("subs " + count + ", #1");
  kernel.line("bne 1b");
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

/// A marked planar filter input row (MicroKernels.h: kGatherAttr) as
/// assembly: pairs of inputs (LDRSB, post-incremented by their byte stride)
/// packed into one word (PKHBT) stored to each row, or, for consecutive
/// inputs, words of four extended and reordered into two (SXTB16, PKHBT,
/// PKHTB).
LogicalResult lowerGather(scf::ForOp loop) {
  std::optional<int64_t> columns = getConstantIntValue(loop.getUpperBound());
  SmallVector<memref::LoadOp> loads = loadsOf(loop);
  SmallVector<memref::StoreOp> stores = storesOf(loop);
  if (!columns || loads.size() != 1 || stores.size() != 2)
    return loop.emitOpError("is not a planar filter input row");
  unsigned dim = loads[0].getIndices().size() - 2; // [n, h, w, c]: w
  std::optional<int64_t> step = byteStride(loads[0].getMemRef(), dim);
  // A stride known only at run time, or beyond the reach of immediate
  // offsets: stays generic.
  if (!step || 2 * *step > kMaxOffset || *columns * *step > kMaxOffset)
    return success();
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  AsmKernel kernel;
  std::string source = kernel.inout(firstAddress(builder, loc, loop, loads[0]));
  std::string row = kernel.inout(firstAddress(builder, loc, loop, stores[0]));
  std::string copy = kernel.inout(firstAddress(builder, loc, loop, stores[1]));
  int64_t perIteration = *step == 1 ? 4 : 2;
  int64_t iterations = *columns / perIteration;
  std::string count = kernel.inout(
      arith::ConstantIntOp::create(builder, loc, std::max<int64_t>(iterations, 1), 32));
  std::string a = kernel.scratch(), b = kernel.scratch();
  std::string c = kernel.scratch();
  if (iterations > 0) {
    kernel.line("1:");
    if (*step == 1) {
      kernel.line("ldr " + a + ", [" + source + "], #4");
      kernel.line("sxtb16 " + b + ", " + a);
      kernel.line("sxtb16 " + a + ", " + a + ", ror #8");
      kernel.line("pkhbt " + c + ", " + b + ", " + a + ", lsl #16");
      kernel.line("pkhtb " + a + ", " + a + ", " + b + ", asr #16");
      for (const std::string &target : {row, copy}) {
        kernel.line("str " + a + ", [" + target + ", #4]");
        kernel.line("str " + c + ", [" + target + "], #8");
      }
    } else {
      // Post-indexed byte loads take offsets up to 255 (the assembler
      // truncates larger ones without a word); beyond, an offset and ADDW.
      std::string by = std::to_string(*step);
      if (*step <= kMaxPostIndex) {
        kernel.line("ldrsb " + a + ", [" + source + "], #" + by);
        kernel.line("ldrsb " + b + ", [" + source + "], #" + by);
      } else {
        kernel.line("ldrsb " + a + ", [" + source + "]");
        kernel.line("ldrsb " + b + ", [" + source + ", #" + by + "]");
        kernel.line("addw " + source + ", " + source + ", #" +
                    std::to_string(2 * *step));
      }
      kernel.line("pkhbt " + a + ", " + a + ", " + b + ", lsl #16");
      for (const std::string &target : {row, copy})
        kernel.line("str " + a + ", [" + target + "], #4");
    }
    kernel.line("subs " + count + ", #1");
    kernel.line("bne 1b");
  }
  // The columns past the last whole step, one by one.
  for (int64_t i = iterations * perIteration; i < *columns; ++i) {
    kernel.line("ldrsb " + a + ", [" + source + ", #" +
                std::to_string((i - iterations * perIteration) * *step) + "]");
    for (const std::string &target : {row, copy})
      kernel.line("strh " + a + ", [" + target + "], #2");
  }
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

/// A marked word copy (MicroKernels.h: kCopyAttr) as assembly: blocks of
/// eight words loaded and stored with one LDM and one STM each (two blocks
/// per iteration), the words past the last block by a shorter list. A block
/// of eight costs 18 cycles as eight LDR/STR pairs do, in 2 instructions
/// instead of 16. r7 stays out of the list: it is Thumb's frame pointer.
LogicalResult lowerCopy(scf::ForOp loop) {
  std::optional<int64_t> words = getConstantIntValue(loop.getUpperBound());
  SmallVector<memref::LoadOp> loads = loadsOf(loop);
  SmallVector<memref::StoreOp> stores = storesOf(loop);
  if (!words || loads.size() != 1 || stores.size() != 1)
    return loop.emitOpError("is not a word copy");
  static constexpr StringLiteral kRegisters[] = {"r4", "r5",  "r6",  "r8",
                                                 "r9", "r10", "r11", "r12"};
  constexpr int64_t kBlock = std::size(kRegisters);
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  AsmKernel kernel;
  std::string source = kernel.inout(firstAddress(builder, loc, loop, loads[0]));
  std::string target =
      kernel.inout(firstAddress(builder, loc, loop, stores[0]));
  for (StringRef reg : kRegisters)
    kernel.clobber(reg);
  auto move = [&](int64_t count) {
    std::string list = llvm::join(ArrayRef(kRegisters).take_front(count), ", ");
    kernel.line("ldmia " + source + "!, {" + list + "}");
    kernel.line("stmia " + target + "!, {" + list + "}");
  };
  // Two blocks per iteration; one iteration needs no counter.
  int64_t pairs = *words / (2 * kBlock);
  std::string count;
  if (pairs > 1) {
    count = kernel.inout(arith::ConstantIntOp::create(builder, loc, pairs, 32));
    kernel.line("1:");
  }
  if (pairs > 0) {
    move(kBlock);
    move(kBlock);
  }
  if (pairs > 1) {
    kernel.line("subs " + count + ", #1");
    kernel.line("bne 1b");
  }
  int64_t rest = *words % (2 * kBlock);
  if (rest >= kBlock)
    move(kBlock);
  if (rest % kBlock)
    move(rest % kBlock);
  kernel.build(builder, loc);
  loop.erase();
  return success();
}

} // namespace

LogicalResult emit::lowerMicroKernelsToDsp(Operation *root) {
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) {
    if (loop->hasAttr(kMacAttr) || loop->hasAttr(kIm2ColAttr) ||
        loop->hasAttr(kPlanarAttr) || loop->hasAttr(kGatherAttr) ||
        loop->hasAttr(kCopyAttr))
      loops.push_back(loop);
  });
  for (scf::ForOp loop : loops) {
    LogicalResult lowered = success();
    if (loop->hasAttr(kIm2ColAttr))
      lowered = lowerIm2Col(loop);
    else if (auto attr = loop->getAttrOfType<DictionaryAttr>(kMacAttr))
      lowered = lowerMac(loop, attr);
    else if (auto attr = loop->getAttrOfType<DictionaryAttr>(kPlanarAttr))
      lowered = lowerPlanar(loop, attr);
    else if (loop->hasAttr(kCopyAttr))
      lowered = lowerCopy(loop);
    else
      lowered = lowerGather(loop);
    if (failed(lowered))
      return failure();
  }
  return success();
}

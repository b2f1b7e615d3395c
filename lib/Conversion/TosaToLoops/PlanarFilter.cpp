//===- PlanarFilter.cpp - Filters over one channel plane --------*- C++ -*-===//
//
// A convolution over a single input channel (an image's first layer, or a
// slice of it) filters that plane once for each output channel. The input
// rows the window needs are converted once to int16 into a rolling buffer
// whose padding columns (and rows above and below the input) hold the input
// zero point, and every output channel (plane) filters them in turn: every
// output reads all KH x KW taps the same way, from the biases with the zero
// point folded in, with no border cases. A row of outputs is one loop
// (marked kPlanarAttr, replaced by assembly on DSP targets) into an int32
// row, then the fused epilogue.
//
// The buffer has 2 KH - 1 rows: input row r goes to row r mod KH and, when
// that is below KH - 1, to row r mod KH + KH as well, so the KH rows an
// output row reads, r0 .. r0 + KH - 1, are consecutive buffer rows from
// r0 mod KH on.
//
// A depthwise convolution of a single input channel (a channel multiplier
// over a plane, or a partial-execution slice of one channel) is the same
// filter with [KH, KW, 1, M] weights. Depthwise convolutions of several
// channels have their own emitter: over their narrow maps (and NHWC inputs
// read a byte at a time), the rolling buffer's conversion and the per-row
// setup cost more than the planar products save.
//
//===----------------------------------------------------------------------===//

#include "PlanarFilter.h"
#include "ConstantOperands.h"
#include "EmitterUtils.h"
#include "MicroKernels.h"
#include "pex/Support/KernelChoices.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Bytes of stack the rolling buffer and the row of accumulators may take
/// (as PackedConvolution's im2col buffer): the stack counts in the SRAM a
/// model needs. fingerprint_signature_generator's 5x5 depthwise filter (a
/// multiplier of 8) over a 179-column image would take 3.6 KB (its stack
/// from 140 B to 3,796 B) for 7 % of its estimated cycles (10.25 M to
/// 9.51 M); it keeps the depthwise emitter.
constexpr int64_t kMaxStackBytes = 2048;

struct PlanarShape {
  int64_t batch, inputH, inputW;
  int64_t kernelH, kernelW;
  int64_t planes, outputH, outputW;
  int64_t strideH, strideW;
  int64_t padTop, padLeft;
  int64_t inputZp;
  /// Weights [KH, KW, 1, planes] (depthwise) rather than [planes, KH, KW, 1].
  bool depthwise = false;

  int64_t bufferRows() const { return 2 * kernelH - 1; }
  /// Columns of a buffer row: the padded input as far as an output (one
  /// past the last, outputs being computed in pairs) reads it, two columns
  /// more for reading words past the last tap, even.
  int64_t bufferColumns() const {
    int64_t columns =
        std::max(padLeft + inputW, outputW * strideW + kernelW) + 2;
    return columns + columns % 2;
  }
  /// Outputs per row, even (pairs of outputs at stride 1).
  int64_t accumulators() const { return outputW + outputW % 2; }
  int64_t stackBytes() const {
    return bufferRows() * bufferColumns() * 2 + accumulators() * 4;
  }
};

class PlanarFilter {
public:
  PlanarFilter(OpBuilder &builder, Location loc, const PlanarShape &shape,
               KernelOperands &operands, ElementCallback emitElement,
               FoldedBiases biases)
      : builder(builder), loc(loc), shape(shape), operands(operands),
        emitElement(emitElement), biases(biases) {}

  void emit();

private:
  /// Converts input row `r` (counted from the top padding) into the
  /// buffer, or fills it with the zero point when it is padding.
  void fillRow(OpBuilder &b, Location l, Value n, Value r);
  /// The outputs of row `oh` of plane `plane` into `accs`.
  void emitRow(OpBuilder &b, Location l, Value plane, Value oh);
  Value weight(OpBuilder &b, Location l, Value plane, int64_t kh,
               int64_t kw);

  OpBuilder &builder;
  Location loc;
  const PlanarShape &shape;
  KernelOperands &operands;
  ElementCallback emitElement;
  FoldedBiases biases;
  Value rows, accs;
};

Value PlanarFilter::weight(OpBuilder &b, Location l, Value plane, int64_t kh,
                           int64_t kw) {
  Value zero = constantIndex(b, l, 0);
  Value h = constantIndex(b, l, kh), w = constantIndex(b, l, kw);
  if (shape.depthwise)
    return operands.load(b, l, 1, {h, w, zero, plane});
  return operands.load(b, l, 1, {plane, h, w, zero});
}

void PlanarFilter::fillRow(OpBuilder &b, Location l, Value n, Value r) {
  Type i16 = b.getI16Type();
  Value kernelH = constantIndex(b, l, shape.kernelH);
  // The row's buffer row, and its copy (or the row itself again, for the
  // last buffer row without a copy: two stores either way, no branch).
  Value slot = arith::RemUIOp::create(b, l, r, kernelH);
  Value duplicate = arith::CmpIOp::create(
      b, l, arith::CmpIPredicate::ult, slot,
      constantIndex(b, l, shape.kernelH - 1));
  Value copy = arith::SelectOp::create(
      b, l, duplicate, addIndex(b, l, slot, shape.kernelH), slot);
  Value ih = addIndex(b, l, r, -shape.padTop);
  Value inside = buildInBounds(b, l, {ih}, {shape.inputH});
  Value input = constantIndex(b, l, 0);
  // Stores `value` at column iw of the row and of its copy.
  auto store = [&](OpBuilder &sb, Location sl, Value value, Value iw) {
    Value column = addIndex(sb, sl, iw, shape.padLeft);
    memref::StoreOp::create(sb, sl, value, rows, ValueRange{slot, column});
    memref::StoreOp::create(sb, sl, value, rows, ValueRange{copy, column});
  };
  scf::IfOp::create(
      b, l, inside,
      [&](OpBuilder &tb, Location tl) {
        auto gather = scf::ForOp::create(
            tb, tl, constantIndex(tb, tl, 0),
            constantIndex(tb, tl, shape.inputW), constantIndex(tb, tl, 1),
            ValueRange{}, [&](OpBuilder &gb, Location gl, Value iw, ValueRange) {
              Value x = operands.load(gb, gl, 0, {n, ih, iw, input});
              store(gb, gl, castInt(gb, gl, x, i16), iw);
              scf::YieldOp::create(gb, gl);
            });
        gather->setAttr(kGatherAttr, tb.getUnitAttr());
        scf::YieldOp::create(tb, tl);
      },
      [&](OpBuilder &eb, Location el) {
        Value zeroPoint = constantInt(eb, el, i16, shape.inputZp);
        scf::ForOp::create(
            eb, el, constantIndex(eb, el, 0),
            constantIndex(eb, el, shape.inputW), constantIndex(eb, el, 1),
            ValueRange{}, [&](OpBuilder &fb, Location fl, Value iw, ValueRange) {
              store(fb, fl, zeroPoint, iw);
              scf::YieldOp::create(fb, fl);
            });
        scf::YieldOp::create(eb, el);
      });
}

void PlanarFilter::emitRow(OpBuilder &b, Location l, Value plane, Value oh) {
  Value base = arith::RemUIOp::create(
      b, l,
      arith::MulIOp::create(b, l, oh, constantIndex(b, l, shape.strideH)),
      constantIndex(b, l, shape.kernelH));
  MLIRContext *context = b.getContext();
  Type i32 = b.getI32Type();
  auto loop = scf::ForOp::create(
      b, l, constantIndex(b, l, 0), constantIndex(b, l, shape.accumulators()),
      constantIndex(b, l, 1), ValueRange{},
      [&](OpBuilder &rb, Location rl, Value ow, ValueRange) {
        Value first = arith::MulIOp::create(
            rb, rl, ow, constantIndex(rb, rl, shape.strideW));
        Value acc = constantInt(rb, rl, i32, 0);
        for (int64_t kh = 0; kh < shape.kernelH; ++kh)
          for (int64_t kw = 0; kw < shape.kernelW; ++kw) {
            Value x = memref::LoadOp::create(
                rb, rl, rows,
                ValueRange{addIndex(rb, rl, base, kh),
                           addIndex(rb, rl, first, kw)});
            Value w = weight(rb, rl, plane, kh, kw);
            acc = arith::AddIOp::create(
                rb, rl, acc,
                arith::MulIOp::create(rb, rl, castInt(rb, rl, x, i32),
                                      castInt(rb, rl, w, i32)));
          }
        memref::StoreOp::create(rb, rl, acc, accs, ValueRange{ow});
        scf::YieldOp::create(rb, rl);
      });
  loop->setAttr(
      kPlanarAttr,
      DictionaryAttr::get(
          context, {NamedAttribute(StringAttr::get(context, "kernel_h"),
                                   b.getI64IntegerAttr(shape.kernelH)),
                    NamedAttribute(StringAttr::get(context, "kernel_w"),
                                   b.getI64IntegerAttr(shape.kernelW)),
                    NamedAttribute(StringAttr::get(context, "stride"),
                                   b.getI64IntegerAttr(shape.strideW))}));
}

void PlanarFilter::emit() {
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  Type i16 = builder.getI16Type(), i32 = builder.getI32Type();
  rows = memref::AllocaOp::create(
      entry, loc,
      MemRefType::get({shape.bufferRows(), shape.bufferColumns()}, i16),
      builder.getI64IntegerAttr(4));
  accs = memref::AllocaOp::create(
      entry, loc, MemRefType::get({shape.accumulators()}, i32),
      builder.getI64IntegerAttr(4));
  // Every column starts as padding; the input's columns are overwritten row
  // by row.
  Value zeroPoint = constantInt(builder, loc, i16, shape.inputZp);
  buildLoopNest(builder, loc, {shape.bufferRows(), shape.bufferColumns()},
                [&](OpBuilder &b, Location l, ValueRange indices) {
                  memref::StoreOp::create(b, l, zeroPoint, rows, indices);
                });
  // The planes share the input rows: each is converted once, and every
  // plane filters it in turn.
  buildLoopNest(
      builder, loc, {shape.batch},
      [&](OpBuilder &b, Location l, ValueRange batch) {
        Value n = batch[0];
        // Each output row reads `fresh` rows the previous one did not (all
        // KH when the stride is larger than the kernel); the first one also
        // reads those before.
        int64_t fresh = std::min(shape.strideH, shape.kernelH);
        for (int64_t r = 0; r < shape.kernelH - fresh; ++r)
          fillRow(b, l, n, constantIndex(b, l, r));
        scf::ForOp::create(
            b, l, constantIndex(b, l, 0), constantIndex(b, l, shape.outputH),
            constantIndex(b, l, 1), ValueRange{},
            [&](OpBuilder &hb, Location hl, Value oh, ValueRange) {
              Value last = addIndex(
                  hb, hl,
                  arith::MulIOp::create(hb, hl, oh,
                                        constantIndex(hb, hl, shape.strideH)),
                  shape.kernelH - fresh);
              for (int64_t i = 0; i < fresh; ++i)
                fillRow(hb, hl, n, addIndex(hb, hl, last, i));
              buildLoopNest(
                  hb, hl, {shape.planes},
                  [&](OpBuilder &pb, Location pl, ValueRange planes) {
                    Value plane = planes[0];
                    emitRow(pb, pl, plane, oh);
                    Value bias = biases.load(pb, pl, plane);
                    scf::ForOp::create(
                        pb, pl, constantIndex(pb, pl, 0),
                        constantIndex(pb, pl, shape.outputW),
                        constantIndex(pb, pl, 1), ValueRange{},
                        [&](OpBuilder &eb, Location el, Value ow,
                            ValueRange) {
                          Value acc = arith::AddIOp::create(
                              eb, el,
                              memref::LoadOp::create(eb, el, accs,
                                                     ValueRange{ow}),
                              bias);
                          emitElement(eb, el, {n, oh, ow, plane}, acc);
                          scf::YieldOp::create(eb, el);
                        });
                  });
              scf::YieldOp::create(hb, hl);
            });
      });
}

} // namespace

/// The planar filter of an int8 convolution over one input channel with
/// constant weights, `planes` output channels, weights [planes, KH, KW, 1]
/// or (`depthwise`) [KH, KW, 1, planes]; nullopt if it does not qualify.
static std::optional<LogicalResult>
emitPlanes(Operation *op, Value input, Value weight, Value output,
           ArrayRef<int64_t> stride, ArrayRef<int64_t> pad,
           ArrayRef<int64_t> dilation, Type accType, bool depthwise,
           OpBuilder &builder, KernelOperands &operands,
           ElementCallback emitElement) {
  Location loc = op->getLoc();
  auto inputType = cast<ShapedType>(input.getType());
  auto weightType = cast<ShapedType>(weight.getType());
  auto outputType = cast<ShapedType>(output.getType());
  if (!inputType.getElementType().isInteger(8) ||
      !weightType.getElementType().isInteger(8) || !accType.isInteger(32) ||
      dilation[0] != 1 || dilation[1] != 1 || inputType.getDimSize(3) != 1)
    return std::nullopt;
  std::optional<int64_t> inputZp = getIntConstant(operands, 3);
  std::optional<int64_t> weightZp = getIntConstant(operands, 4);
  if (!inputZp || weightZp != 0)
    return std::nullopt;
  int64_t kernelDim = depthwise ? 0 : 1;
  PlanarShape shape{inputType.getDimSize(0),
                    inputType.getDimSize(1),
                    inputType.getDimSize(2),
                    weightType.getDimSize(kernelDim),
                    weightType.getDimSize(kernelDim + 1),
                    outputType.getDimSize(3),
                    outputType.getDimSize(1),
                    outputType.getDimSize(2),
                    stride[0],
                    stride[1],
                    pad[0],
                    pad[2],
                    *inputZp,
                    depthwise};
  if (shape.stackBytes() > kMaxStackBytes)
    return std::nullopt;
  std::optional<FoldedBiases> biases = FoldedBiases::get(
      builder, loc, operands.getMemRef(1), operands.getMemRef(2),
      /*channelDim=*/depthwise ? 3 : 0, *inputZp, 0);
  if (!biases)
    return std::nullopt;
  PlanarFilter(builder, loc, shape, operands, emitElement, *biases).emit();
  return success();
}

std::optional<LogicalResult>
emit::emitPlanarFilter(tosa::Conv2DOp conv, OpBuilder &builder,
                       KernelOperands &operands, ElementCallback emitElement) {
  if (cast<ShapedType>(conv.getType()).getDimSize(3) > kMaxPlanarFilterOutputs)
    return std::nullopt;
  return emitPlanes(conv, conv.getInput(), conv.getWeight(), conv.getOutput(),
                    conv.getStride(), conv.getPad(), conv.getDilation(),
                    conv.getAccType(), /*depthwise=*/false, builder, operands,
                    emitElement);
}

std::optional<LogicalResult>
emit::emitPlanarFilter(tosa::DepthwiseConv2DOp conv, OpBuilder &builder,
                       KernelOperands &operands, ElementCallback emitElement) {
  auto weightType = cast<ShapedType>(conv.getWeight().getType());
  // Filters larger than 3x3 only: the depthwise emitter's 3x3 kernels
  // (halfword weights, six columns a block) are faster (estimated cycles,
  // person_detect's first layer, a 3x3 channel multiplier of 8 over one
  // channel: 13.12 M with them, 13.45 M through the planar filter).
  if (weightType.getDimSize(0) * weightType.getDimSize(1) <= 9)
    return std::nullopt;
  return emitPlanes(conv, conv.getInput(), conv.getWeight(), conv.getOutput(),
                    conv.getStride(), conv.getPad(), conv.getDilation(),
                    conv.getAccType(), /*depthwise=*/true, builder, operands,
                    emitElement);
}

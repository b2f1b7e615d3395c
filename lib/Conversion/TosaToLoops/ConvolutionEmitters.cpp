//===- ConvolutionEmitters.cpp - TOSA convolutions and matmul ---*- C++ -*-===//
//
// Loop nests for the multiply-accumulate anchors. Every output element keeps
// its accumulator in a register: it starts at the bias, sums the products
// over the receptive field in (kh, kw, ic) order, as upstream's reference
// lowering does, and goes straight to the fused epilogue. Padding taps are
// skipped, which equals reading zero-point-valued padding.
//
//===----------------------------------------------------------------------===//

#include "BlockedWindow.h"
#include "ConstantOperands.h"
#include "EmitterUtils.h"
#include "PackedConvolution.h"
#include "PlanarFilter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

FailureOr<Type> getAccumulatorType(Operation *op, TypeAttr accType) {
  Type type = accType.getValue();
  if (type.isInteger(32) || type.isF32())
    return type;
  // TOSA's i48 (int16 inputs, int8 weights) is summed in i64, as TFLite
  // Micro's 16x8 kernels sum: exact, and the int8 fast paths, which want
  // i32, stay out of the way.
  if (type.isInteger(48))
    return IntegerType::get(op->getContext(), 64);
  return op->emitOpError("accumulator type ")
         << type << " is not supported; Pex accumulates in i32, i48 or f32";
}

/// The bias of output channel `channel` (a bias of one element is shared).
Value loadBias(Operation *op, OpBuilder &builder, Location loc,
               KernelOperands &operands, unsigned index, Value channel) {
  auto type = cast<ShapedType>(op->getOperand(index).getType());
  Value position =
      type.getDimSize(0) == 1 ? constantIndex(builder, loc, 0) : channel;
  Value bias = operands.load(builder, loc, index, {position});
  // An i48 bias starts the i64 accumulator (getAccumulatorType).
  if (bias.getType().isInteger(48))
    return castInt(builder, loc, bias, builder.getI64Type());
  return bias;
}

/// The weights' input channels (dimension `channelDim`) against the input's:
/// TOSA's verifier does not compare them, and a mismatch would read past the
/// input.
LogicalResult checkInputChannels(Operation *op, ShapedType weightType,
                                 unsigned channelDim, ShapedType inputType) {
  if (weightType.getDimSize(channelDim) == inputType.getDimSize(3))
    return success();
  return op->emitError() << "pex: the weights have "
                         << weightType.getDimSize(channelDim)
                         << " input channels but the input has "
                         << inputType.getDimSize(3);
}

/// The value `multiplyAccumulate` reads from an operand with zero point
/// `zeroPoint`, widened to the accumulator's type.
Value widen(OpBuilder &builder, Location loc, Value value, Type accType,
            int64_t zeroPoint) {
  if (isa<FloatType>(accType))
    return value;
  Value wide = castInt(builder, loc, value, accType);
  if (zeroPoint == 0)
    return wide;
  return arith::SubIOp::create(builder, loc, wide,
                               constantInt(builder, loc, accType, zeroPoint));
}

/// The accumulator of an interior output starts at the bias minus
/// input_zp * sum(w - weight_zp) over its filter: then every tap adds
/// x * (w - weight_zp), one subtraction fewer per multiply-accumulate. Exact
/// in wrapping i32, and the interior reads no padding (which would hold
/// input_zp).
Value correctBias(OpBuilder &builder, Location loc, Value bias,
                  Value weightSum, int64_t inputZp) {
  Type type = bias.getType();
  Value correction = arith::MulIOp::create(
      builder, loc, weightSum, constantInt(builder, loc, type, inputZp));
  return arith::SubIOp::create(builder, loc, bias, correction);
}

/// The input row or column `o * stride - pad + offset`.
Value tapStart(OpBuilder &builder, Location loc, Value o, int64_t stride,
               int64_t pad, int64_t offset) {
  Value scaled = stride == 1 ? o
                             : arith::MulIOp::create(
                                   builder, loc, o,
                                   constantIndex(builder, loc, stride))
                                   .getResult();
  return addIndex(builder, loc, scaled, offset - pad);
}

/// What the convolution emitters share: the accumulator type, the zero
/// points and the window. The weights' kernel rows and columns are at
/// `kernelDim` and `kernelDim + 1`, and their dimension `channelDim` matches
/// the input's channels.
struct Convolution {
  Type accType;
  int64_t inputZp, weightZp;
  ShapedType weightType;
  SmallVector<int64_t, 4> outputShape, stride, pad, dilation;
  Window window;

  template <typename ConvOp>
  static FailureOr<Convolution> get(ConvOp conv, KernelOperands &operands,
                                    unsigned kernelDim, unsigned channelDim) {
    Operation *op = conv.getOperation();
    FailureOr<Type> accType = getAccumulatorType(op, conv.getAccTypeAttr());
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 3);
    if (failed(accType) || failed(zeroPoints))
      return failure();
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    auto weightType = cast<ShapedType>(conv.getWeight().getType());
    if (failed(checkInputChannels(op, weightType, channelDim, inputType)))
      return failure();
    return Convolution{*accType,
                       zeroPoints->first,
                       zeroPoints->second,
                       weightType,
                       llvm::to_vector<4>(
                           cast<ShapedType>(conv.getType()).getShape()),
                       llvm::to_vector<4>(conv.getStride()),
                       llvm::to_vector<4>(conv.getPad()),
                       llvm::to_vector<4>(conv.getDilation()),
                       Window(inputType, weightType.getDimSize(kernelDim),
                              weightType.getDimSize(kernelDim + 1),
                              conv.getPad(), conv.getStride(),
                              conv.getDilation())};
  }

  /// The same convolution with rows and columns swapped: output [N, W, H,
  /// C] over input `inputType` [N, H, W, C] read as [N, W, H, C], kernel
  /// rows `kernelH` and columns `kernelW` (of this convolution) swapped.
  Convolution transposed(ShapedType inputType, int64_t kernelH,
                         int64_t kernelW) const {
    auto swap = [](ArrayRef<int64_t> pair) {
      return SmallVector<int64_t, 4>{pair[1], pair[0]};
    };
    SmallVector<int64_t, 4> swappedPad{pad[2], pad[3], pad[0], pad[1]};
    SmallVector<int64_t, 4> swappedStride = swap(stride);
    SmallVector<int64_t, 4> swappedDilation = swap(dilation);
    SmallVector<int64_t> inputShape(inputType.getShape());
    std::swap(inputShape[1], inputShape[2]);
    return Convolution{
        accType,
        inputZp,
        weightZp,
        weightType,
        {outputShape[0], outputShape[2], outputShape[1], outputShape[3]},
        swappedStride,
        swappedPad,
        swappedDilation,
        Window(inputType.clone(inputShape), kernelW, kernelH, swappedPad,
               swappedStride, swappedDilation)};
  }

  /// The input row or column of output `o`'s tap `first`.
  Value firstTap(OpBuilder &builder, Location loc, Value o, unsigned dim,
                 int64_t first) const {
    return tapStart(builder, loc, o, stride[dim], pad[2 * dim],
                    first * dilation[dim]);
  }
};

/// `accs[p * numW + q] += x_p(r) * w_q(r)` for r in [0, length): a loop over
/// the longest multiple of four (pex-dual-multiply-accumulate takes it four
/// bytes at a time), then one over the rest. `loadX` / `loadW` read factor
/// p / q at r.
using RunLoad =
    function_ref<Value(OpBuilder &, Location, int64_t factor, Value r)>;
SmallVector<Value> emitDotProductRun(OpBuilder &builder, Location loc,
                                     int64_t length, ValueRange accs,
                                     int64_t numX, int64_t numW, RunLoad loadX,
                                     RunLoad loadW, int64_t xZeroPoint,
                                     int64_t wZeroPoint) {
  int64_t whole = length - length % 4;
  auto part = [&](int64_t first, int64_t count, ValueRange init) {
    return buildReductionNest(
        builder, loc, {count}, init,
        [&](OpBuilder &b, Location l, ValueRange iv, ValueRange carried) {
          Value r = addIndex(b, l, iv[0], first);
          SmallVector<Value> xs, ws, next;
          for (int64_t p = 0; p < numX; ++p)
            xs.push_back(loadX(b, l, p, r));
          for (int64_t q = 0; q < numW; ++q)
            ws.push_back(loadW(b, l, q, r));
          for (int64_t p = 0; p < numX; ++p)
            for (int64_t q = 0; q < numW; ++q)
              next.push_back(multiplyAccumulate(b, l, carried[p * numW + q],
                                                xs[p], xZeroPoint, ws[q],
                                                wZeroPoint));
          return next;
        });
  };
  SmallVector<Value> result(accs);
  if (whole > 0)
    result = part(0, whole, result);
  if (length > whole)
    result = part(whole, length - whole, result);
  return result;
}

/// `memref` with dimensions `groups` merged, if its layout allows.
Value collapse(OpBuilder &builder, Location loc, Value memref,
               ArrayRef<ReassociationIndices> groups) {
  auto type = cast<MemRefType>(memref.getType());
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, groups))
    return {};
  return memref::CollapseShapeOp::create(builder, loc, memref, groups);
}

/// conv2d as register-blocked dot products: an interior block computes
/// `outputs.channels` output channels at `outputs.columns` adjacent columns,
/// so each input load feeds every channel and each weight load every column.
/// A kernel row's taps are one run of consecutive bytes of the input (kw,
/// ic) and of the weights, and when the window spans whole input rows (a
/// fully connected layer over a flattened map) all its rows are one run.
struct Conv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<Conv2DEmitter, tosa::Conv2DOp> {
  std::optional<int64_t> getMagnitudeBound(Operation *op,
                                           KernelOperands &operands) const {
    // Weights [OC, KH, KW, C]: each output sums KH * KW * C products.
    auto weightType = cast<ShapedType>(op->getOperand(1).getType());
    return getDotProductBound(op, operands, 0, 1, 3, /*bias=*/2,
                              weightType.getNumElements() /
                                  weightType.getDimSize(0));
  }

  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::Conv2DOp>(op);
    FailureOr<Convolution> geometry = Convolution::get(conv, operands,
                                                       /*kernelDim=*/1,
                                                       /*channelDim=*/3);
    if (failed(geometry))
      return failure();
    if (std::optional<LogicalResult> planar =
            emitPlanarFilter(conv, builder, operands, emitElement))
      return *planar;
    if (std::optional<LogicalResult> packed =
            emitPackedConv2D(conv, builder, operands, emitElement))
      return *packed;
    Location loc = op->getLoc();
    ShapedType weightType = geometry->weightType;
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    int64_t kernelH = weightType.getDimSize(1), kernelW = weightType.getDimSize(2);
    int64_t channels = weightType.getDimSize(3);
    int64_t inputW = inputType.getDimSize(2);
    int64_t outputChannels = geometry->outputShape[3];
    SmallVector<int64_t> filter{kernelH, kernelW, channels};
    bool isInteger = !isa<FloatType>(geometry->accType);
    WindowBlocking blocking =
        chooseBlocking(outputChannels, geometry->outputShape[2],
                       kernelH * kernelW, channels, /*isFloat=*/!isInteger);
    bool foldZeroPoint = isInteger && geometry->inputZp != 0;

    // The interior's biases with the input zero point folded in, at compile
    // time when the operands are constants, else summed per channel block.
    std::optional<FoldedBiases> folded;
    if (foldZeroPoint)
      folded = FoldedBiases::get(builder, loc, operands.getMemRef(1),
                                 operands.getMemRef(2), /*channelDim=*/0,
                                 geometry->inputZp, geometry->weightZp);

    // Runs of consecutive bytes: a kernel row's (kw, ic) in [N, H, W * C]
    // and [OC, KH, KW * C] views, or all of the window in [N, H * W * C] and
    // [OC, KH * KW * C] views when it spans whole rows.
    Value input = operands.getMemRef(0), weights = operands.getMemRef(1);
    bool wholeRows = kernelW == inputW && geometry->dilation[0] == 1 &&
                     geometry->pad[0] == 0 && geometry->pad[1] == 0 &&
                     geometry->pad[2] == 0 && geometry->pad[3] == 0;
    Value inputRuns, weightRuns;
    if (input && weights && geometry->dilation[1] == 1) {
      SmallVector<ReassociationIndices> rows{{0}, {1}, {2, 3}};
      SmallVector<ReassociationIndices> all{{0}, {1, 2, 3}};
      if (wholeRows) {
        inputRuns = collapse(builder, loc, input, all);
        weightRuns = collapse(builder, loc, weights, all);
      }
      if (!inputRuns || !weightRuns) {
        wholeRows = false;
        inputRuns = collapse(builder, loc, input, rows);
        weightRuns = collapse(builder, loc, weights, rows);
      }
      if (!inputRuns || !weightRuns)
        inputRuns = weightRuns = Value();
    }
    if (weights)
      if (std::optional<ConstantSlice> slice =
              getConstantSlice(builder, loc, weights))
        alignGlobal(slice->global, 4); // word loads

    // The block's output channels and their biases.
    auto channelBiases = [&](OpBuilder &b, Location l, Value c) {
      SmallVector<Value> biases;
      for (int64_t j = 0; j < blocking.channels; ++j)
        biases.push_back(
            loadBias(op, b, l, operands, 2, addIndex(b, l, c, j)));
      return biases;
    };

    auto setup = [&](OpBuilder &b, Location l, Value,
                     Value c) -> SmallVector<Value> {
      if (!foldZeroPoint)
        return channelBiases(b, l, c);
      if (folded) {
        SmallVector<Value> biases;
        for (int64_t j = 0; j < blocking.channels; ++j)
          biases.push_back(folded->load(b, l, addIndex(b, l, c, j)));
        return biases;
      }
      SmallVector<Value> zeros(blocking.channels,
                               constantInt(b, l, geometry->accType, 0));
      SmallVector<Value> sums = buildReductionNest(
          b, l, filter, zeros,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            SmallVector<Value> next;
            for (auto [j, sum] : llvm::enumerate(carried)) {
              Value w = operands.load(
                  rb, rl, 1, {addIndex(rb, rl, c, j), k[0], k[1], k[2]});
              next.push_back(arith::AddIOp::create(
                  rb, rl, sum,
                  widen(rb, rl, w, geometry->accType, geometry->weightZp)));
            }
            return next;
          });
      SmallVector<Value> corrected;
      for (auto [bias, sum] : llvm::zip(channelBiases(b, l, c), sums))
        corrected.push_back(correctBias(b, l, bias, sum, geometry->inputZp));
      return corrected;
    };

    // All taps: from the folded biases, the input as it is. Border outputs
    // skip the taps outside (padding holds the zero point and adds
    // nothing): from the biases, the input less its zero point.
    auto interior = [&](OpBuilder &b, Location l, ValueRange out,
                        int64_t columns, WindowTaps taps,
                        ValueRange setupValues) -> SmallVector<Value> {
      bool allTaps = taps.rows.begin == 0 && taps.rows.end == kernelH &&
                     taps.cols.begin == 0 && taps.cols.end == kernelW;
      SmallVector<Value> biases(setupValues);
      if (!allTaps)
        biases = channelBiases(b, l, out[3]);
      int64_t zeroPoint = allTaps ? 0 : geometry->inputZp;
      int64_t numW = blocking.channels;
      Value rowOrigin = geometry->firstTap(b, l, out[1], 0, taps.rows.begin);
      SmallVector<Value> colOrigins, init;
      for (int64_t column = 0; column < columns; ++column) {
        colOrigins.push_back(geometry->firstTap(
            b, l, addIndex(b, l, out[2], column), 1, taps.cols.begin));
        llvm::append_range(init, biases);
      }
      auto loadW = [&](OpBuilder &rb, Location rl, int64_t q,
                       ValueRange indices) {
        SmallVector<Value> at{addIndex(rb, rl, out[3], q)};
        llvm::append_range(at, indices);
        return memref::LoadOp::create(rb, rl, weightRuns, at).getResult();
      };
      if (inputRuns && wholeRows && allTaps) {
        // One run: the window's rows follow each other in the input.
        int64_t length = kernelH * kernelW * channels;
        SmallVector<Value> starts;
        for (Value origin : colOrigins)
          starts.push_back(arith::MulIOp::create(
              b, l,
              arith::AddIOp::create(
                  b, l,
                  arith::MulIOp::create(b, l, rowOrigin,
                                        constantIndex(b, l, inputW)),
                  origin),
              constantIndex(b, l, channels)));
        return emitDotProductRun(
            b, l, length, init, columns, numW,
            [&](OpBuilder &rb, Location rl, int64_t p, Value r) {
              return memref::LoadOp::create(
                         rb, rl, inputRuns,
                         ValueRange{out[0], arith::AddIOp::create(
                                                rb, rl, starts[p], r)})
                  .getResult();
            },
            [&](OpBuilder &rb, Location rl, int64_t q, Value r) {
              return loadW(rb, rl, q, r);
            },
            zeroPoint, geometry->weightZp);
      }
      return buildReductionNest(
          b, l, {taps.rows.end - taps.rows.begin}, init,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            Value kh = addIndex(rb, rl, k[0], taps.rows.begin);
            Value ih =
                scaledIndex(rb, rl, rowOrigin, k[0], geometry->dilation[0]);
            if (inputRuns) {
              // The row's taps inside: one run of (kw, ic).
              int64_t length = (taps.cols.end - taps.cols.begin) * channels;
              Value weightStart =
                  constantIndex(rb, rl, taps.cols.begin * channels);
              SmallVector<Value> starts;
              for (Value origin : colOrigins)
                starts.push_back(arith::MulIOp::create(
                    rb, rl, origin, constantIndex(rb, rl, channels)));
              return emitDotProductRun(
                  rb, rl, length, carried, columns, numW,
                  [&](OpBuilder &xb, Location xl, int64_t p, Value r) {
                    return memref::LoadOp::create(
                               xb, xl, inputRuns,
                               ValueRange{out[0], ih,
                                          arith::AddIOp::create(
                                              xb, xl, starts[p], r)})
                        .getResult();
                  },
                  [&](OpBuilder &wb, Location wl, int64_t q, Value r) {
                    return loadW(wb, wl, q,
                                 {kh, arith::AddIOp::create(wb, wl,
                                                            weightStart, r)});
                  },
                  zeroPoint, geometry->weightZp);
            }
            // Dilated columns, or views that do not merge: runs of ic.
            return buildReductionNest(
                rb, rl, {taps.cols.end - taps.cols.begin}, carried,
                [&](OpBuilder &cb, Location cl, ValueRange kc,
                    ValueRange sums) {
                  Value kw = addIndex(cb, cl, kc[0], taps.cols.begin);
                  SmallVector<Value> iws;
                  for (Value origin : colOrigins)
                    iws.push_back(scaledIndex(cb, cl, origin, kc[0],
                                              geometry->dilation[1]));
                  return emitDotProductRun(
                      cb, cl, channels, sums, columns, numW,
                      [&](OpBuilder &xb, Location xl, int64_t p, Value r) {
                        return operands.load(xb, xl, 0,
                                             {out[0], ih, iws[p], r});
                      },
                      [&](OpBuilder &wb, Location wl, int64_t q, Value r) {
                        return operands.load(
                            wb, wl, 1,
                            {addIndex(wb, wl, out[3], q), kh, kw, r});
                      },
                      zeroPoint, geometry->weightZp);
                });
          });
    };

    // The channel block at one column: each tap is checked once, each
    // input load feeds every channel.
    auto border = [&](OpBuilder &b, Location l, ValueRange out) {
      SmallVector<Value> biases = channelBiases(b, l, out[3]);
      return geometry->window.accumulate(
          b, l, out[1], out[2], biases,
          [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
              ValueRange carried) {
            return buildReductionNest(
                tb, tl, {channels}, carried,
                [&](OpBuilder &cb, Location cl, ValueRange ic,
                    ValueRange sums) {
                  Value x = operands.load(
                      cb, cl, 0, {out[0], tap.inputH, tap.inputW, ic[0]});
                  SmallVector<Value> next;
                  for (auto [j, sum] : llvm::enumerate(sums)) {
                    Value w = operands.load(
                        cb, cl, 1,
                        {addIndex(cb, cl, out[3], j), tap.kernelH,
                         tap.kernelW, ic[0]});
                    next.push_back(multiplyAccumulate(cb, cl, sum, x,
                                                      geometry->inputZp, w,
                                                      geometry->weightZp));
                  }
                  return next;
                });
          });
    };

    emitBlockedWindow(builder, loc, geometry->outputShape, geometry->window,
                      blocking, setup, interior, border, emitElement);
    return success();
  }

  /// Products per output of a spatial filter below which float blocks stay
  /// two by two: LLVM unrolls so short a reduction over the taps and keeps
  /// a four by four block's weights in registers across the columns,
  /// spilling them (corpus channels_last_segmenter's 3x3 convolution over
  /// one channel, 9 products: 4.18 M estimated cycles two by two, 4.84 M
  /// four by four). 1x1 convolutions over as few channels gain.
  static constexpr int64_t kMinFloatBlockDepth = 16;

  /// Output channels by columns per interior block: as many accumulators as
  /// the registers hold beside the extended operands and pointers. A single
  /// channel (a one-channel slice of a first convolution) shares each weight
  /// word among three columns (estimated cycles of zoo MobileNetV2-0.35: two
  /// columns 29.07 M, three 28.89 M, four 29.05 M). Float blocks are four
  /// channels by four columns (the FPU's 32 registers hold the sixteen sums,
  /// four inputs and four weights) or, over a single column (a fully
  /// connected layer), eight channels sharing each input load (estimated
  /// cycles against two by two: vww_96_float 35.2 M -> 30.5 M,
  /// kws_ref_model_float32 12.4 M -> 10.3 M).
  static WindowBlocking chooseBlocking(int64_t outputChannels, int64_t columns,
                                       int64_t taps, int64_t channels,
                                       bool isFloat) {
    if (isFloat && columns == 1 && outputChannels % 8 == 0)
      return WindowBlocking{8, 1};
    if (isFloat && outputChannels % 4 == 0 &&
        (taps == 1 || taps * channels >= kMinFloatBlockDepth))
      return WindowBlocking{4, columns == 1 ? 1 : 4};
    if (outputChannels % 2 == 0)
      return WindowBlocking{2, 2};
    return WindowBlocking{1, 3};
  }
};

/// Depthwise weights are [KH, KW, C, M]: output channel c * M + m filters
/// input channel c. An interior block is one channel over four adjacent
/// columns: each weight load feeds four multiply-accumulates (there is no
/// input shared between channels). Constant int8 3x3 filters are read as
/// 16-bit lanes, two taps a word (HalfwordFilters): five words instead of
/// nine weights leave registers for blocks of five or six columns. A map
/// one column wide (keyword-spotting models filter over time with KH x 1
/// kernels on [N, T, 1, C]) is computed transposed, as one row, so that its
/// blocks are four adjacent outputs too rather than one.
struct DepthwiseConv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<DepthwiseConv2DEmitter,
                                              tosa::DepthwiseConv2DOp> {
  std::optional<int64_t> getMagnitudeBound(Operation *op,
                                           KernelOperands &operands) const {
    // Weights [KH, KW, C, M]: each output sums KH * KW products.
    auto weightType = cast<ShapedType>(op->getOperand(1).getType());
    return getDotProductBound(op, operands, 0, 1, 3, /*bias=*/2,
                              weightType.getDimSize(0) *
                                  weightType.getDimSize(1));
  }

  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::DepthwiseConv2DOp>(op);
    FailureOr<Convolution> geometry = Convolution::get(conv, operands,
                                                       /*kernelDim=*/0,
                                                       /*channelDim=*/2);
    if (failed(geometry))
      return failure();
    if (std::optional<LogicalResult> planar =
            emitPlanarFilter(conv, builder, operands, emitElement))
      return *planar;
    SmallVector<int64_t> taps{geometry->weightType.getDimSize(0),
                              geometry->weightType.getDimSize(1)};
    bool transpose = geometry->outputShape[2] == 1 &&
                     geometry->outputShape[1] > 1;
    if (transpose) {
      geometry = geometry->transposed(
          cast<ShapedType>(conv.getInput().getType()), taps[0], taps[1]);
      std::swap(taps[0], taps[1]);
    }
    // Indices of the (possibly transposed) loop nest in the operands:
    // [n, h, w, c] inputs and outputs, [kh, kw, c, m] weights.
    auto swapped = [&](Value first, Value second, Value a,
                       Value b) -> SmallVector<Value> {
      if (transpose)
        return {first, b, a, second};
      return {first, a, b, second};
    };
    auto loadInput = [&](OpBuilder &b, Location loc, Value n, Value ih,
                         Value iw, Value channel) {
      return operands.load(b, loc, 0, swapped(n, channel, ih, iw));
    };
    auto loadWeight = [&](OpBuilder &b, Location loc, Value kh, Value kw,
                          Value channel, Value copy) {
      SmallVector<Value> at =
          transpose ? SmallVector<Value>{kw, kh} : SmallVector<Value>{kh, kw};
      at.append({channel, copy});
      return operands.load(b, loc, 1, at);
    };
    auto emitOutput = [&](OpBuilder &b, Location loc, ValueRange out,
                          Value acc) {
      emitElement(b, loc, swapped(out[0], out[3], out[1], out[2]), acc);
    };
    int64_t multiplier = geometry->weightType.getDimSize(3);
    // Four columns per block; three for rows of more than five taps, whose
    // inputs and weights LLVM spills beside four accumulators (estimated
    // cycles of the depthwise kernels: keyword_spotting_on_off_v3's 1x9
    // rows 2.05 M with four, 1.92 M with three; 3x3 and 5x5 kernels run
    // fastest with four).
    WindowBlocking blocking{1, taps[1] > 5 ? 3 : 4};
    // A 3x3 filter of int8 weights without a zero point is read as 16-bit
    // lanes: five words held in registers across a row's blocks where nine
    // weights spill (on DSP targets each product is one SMLABB or SMLABT).
    // The registers they free hold more columns: six at stride 1, five at
    // stride 2, whose blocks read more input columns (estimated cycles of
    // vww_96_int8's depthwise kernels: 2.58 M with four columns, 2.49 M
    // with five, 2.42 M with six, 2.52 M with seven; its stride-2 kernels
    // 0.67 M with four, 0.59 M with five, 0.61 M with six). A 5x5 filter's
    // thirteen words do not stay in registers, but each load brings two
    // taps (fingerprint_signature_generator's 5x5 stride-2 layer: the model
    // 9.84 M estimated cycles with byte weights and four columns, 8.87 M
    // with halfwords and four, 8.68 M with five, 8.98 M with six).
    std::optional<HalfwordFilters> halfwords;
    bool halfwordSize =
        (taps[0] == 3 && taps[1] == 3) || (taps[0] == 5 && taps[1] == 5);
    if (halfwordSize && geometry->accType.isInteger(32) &&
        geometry->weightZp == 0)
      halfwords =
          HalfwordFilters::get(builder, op->getLoc(), operands.getMemRef(1));
    if (halfwords)
      blocking.columns = geometry->stride[1] == 1 ? 6 : 5;
    // Integer rows run out of the 14 core registers (kws_ref_model's
    // streams: 5.24 M -> 4.96 M estimated cycles); float ones have the FPU's
    // 32 and only lose by it (kws_ref_model_float32's: 12.39 M -> 12.54 M).
    blocking.separateRowBlocks = geometry->accType.isInteger(32);
    // Tap (kh, kw) of output channel `channel` from its lane (the
    // setup reads them too: the int8 weights are then left unused, out of
    // flash).
    auto loadHalfword = [&](OpBuilder &b, Location loc, Value channel,
                            int64_t kh, int64_t kw) -> Value {
      Value word = transpose ? halfwords->loadTap(b, loc, channel, kw, kh)
                             : halfwords->loadTap(b, loc, channel, kh, kw);
      return arith::ShRSIOp::create(b, loc, word,
                                    constantInt(b, loc, word.getType(), 16));
    };

    // The input channel and the copy of output channel `o`.
    auto source = [&](OpBuilder &b, Location loc,
                      Value o) -> std::pair<Value, Value> {
      if (multiplier == 1)
        return {o, constantIndex(b, loc, 0)};
      Value m = constantIndex(b, loc, multiplier);
      return {arith::DivUIOp::create(b, loc, o, m),
              arith::RemUIOp::create(b, loc, o, m)};
    };

    // The kernel rows (dim 0) or columns (1) each output row or column reads
    // inside the input: all of them, then, with halfword weights, those of
    // the border, once each (folding the zero point into the border's
    // biases of the other kernels too made keyword_spotting_on_off_v3's 9x1
    // kernels no faster: 1.93 M estimated cycles against 1.92 M).
    auto readRanges = [&](unsigned dim) {
      SmallVector<TapRange> ranges{{0, taps[dim]}};
      if (!halfwords)
        return ranges;
      int64_t size = geometry->outputShape[1 + dim];
      auto [begin, end] = geometry->window.interior(dim, size);
      for (int64_t o = 0; o < size; ++o) {
        if (o >= begin && o < end)
          continue;
        std::pair<int64_t, int64_t> read = geometry->window.tapsInside(dim, o);
        if (llvm::none_of(ranges, [&](TapRange r) {
              return r.begin == read.first && r.end == read.second;
            }))
          ranges.push_back({read.first, read.second});
      }
      return ranges;
    };
    SmallVector<TapRange> rowRanges = readRanges(0), colRanges = readRanges(1);
    auto rangeIndex = [](ArrayRef<TapRange> ranges, TapRange range) {
      return llvm::find_if(ranges,
                           [&](TapRange r) {
                             return r.begin == range.begin &&
                                    r.end == range.end;
                           }) -
             ranges.begin();
    };

    // Per (row range, column range) a block may read, row range major, the
    // bias corrected for the input zero point over the taps it reads: then
    // no block, of the interior or of the border, subtracts the zero point
    // from its inputs. Computed once per channel from the weights loaded
    // once, or, where that setup runs on every row (a stream's row kernels:
    // one row range, at most three parts), at compile time when the weights
    // and bias are constants: a table costs four bytes of flash per part and
    // channel, which a whole plane's nine parts do not repay (vww_96_int8:
    // 0.3 % fewer instructions for 11 % more flash).
    bool foldZeroPoint =
        !isa<FloatType>(geometry->accType) && geometry->inputZp != 0;
    std::optional<DepthwisePartBiases> partBiases;
    if (foldZeroPoint && rowRanges.size() * colRanges.size() <= 3) {
      SmallVector<FilterPart> parts;
      for (TapRange rows : rowRanges)
        for (TapRange cols : colRanges)
          parts.push_back(
              transpose
                  ? FilterPart{cols.begin, cols.end, rows.begin, rows.end}
                  : FilterPart{rows.begin, rows.end, cols.begin, cols.end});
      partBiases = DepthwisePartBiases::get(
          builder, op->getLoc(), operands.getMemRef(1), operands.getMemRef(2),
          parts, geometry->inputZp, geometry->weightZp);
    }
    auto setup = [&](OpBuilder &b, Location loc, Value,
                     Value o) -> SmallVector<Value> {
      int64_t partCount = rowRanges.size() * colRanges.size();
      if (partBiases) {
        SmallVector<Value> biases;
        for (int64_t part = 0; part < partCount; ++part)
          biases.push_back(partBiases->load(b, loc, o, part));
        return biases;
      }
      Value bias = loadBias(op, b, loc, operands, 2, o);
      if (!foldZeroPoint)
        return SmallVector<Value>(partCount, bias);
      auto [channel, copy] = source(b, loc, o);
      if (!halfwords) {
        Value input = channel, filterCopy = copy;
        Value sum = buildReductionNest(
            b, loc, taps, {constantInt(b, loc, geometry->accType, 0)},
            [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
              Value w = loadWeight(rb, rl, k[0], k[1], input, filterCopy);
              return SmallVector<Value>{arith::AddIOp::create(
                  rb, rl, carried[0],
                  widen(rb, rl, w, geometry->accType, geometry->weightZp))};
            })[0];
        return {correctBias(b, loc, bias, sum, geometry->inputZp)};
      }
      SmallVector<SmallVector<Value>> weights(taps[0]);
      for (int64_t kh = 0; kh < taps[0]; ++kh)
        for (int64_t kw = 0; kw < taps[1]; ++kw)
          weights[kh].push_back(loadHalfword(b, loc, o, kh, kw));
      SmallVector<Value> biases;
      for (TapRange rows : rowRanges)
        for (TapRange cols : colRanges) {
          Value sum = constantInt(b, loc, geometry->accType, 0);
          for (int64_t kh = rows.begin; kh < rows.end; ++kh)
            for (int64_t kw = cols.begin; kw < cols.end; ++kw)
              sum = arith::AddIOp::create(b, loc, sum, weights[kh][kw]);
          biases.push_back(correctBias(b, loc, bias, sum, geometry->inputZp));
        }
      return biases;
    };

    // From the bias corrected for the taps read; without the corrections
    // (no interior, hence no setup, or nothing to correct), from the bias
    // with the input less its zero point.
    auto interior = [&](OpBuilder &b, Location loc, ValueRange out,
                        int64_t columns, WindowTaps range,
                        ValueRange setupValues) -> SmallVector<Value> {
      Value bias;
      int64_t zeroPoint = 0;
      size_t row = rangeIndex(rowRanges, range.rows);
      size_t col = rangeIndex(colRanges, range.cols);
      if (row < rowRanges.size() && col < colRanges.size() &&
          setupValues.size() == rowRanges.size() * colRanges.size())
        bias = setupValues[row * colRanges.size() + col];
      else {
        bias = loadBias(op, b, loc, operands, 2, out[3]);
        zeroPoint = geometry->inputZp;
      }
      std::pair<Value, Value> filterChannel = source(b, loc, out[3]);
      Value channel = filterChannel.first, copy = filterChannel.second;
      Value rowOrigin = geometry->firstTap(b, loc, out[1], 0, range.rows.begin);
      SmallVector<Value> colOrigins;
      for (int64_t column = 0; column < columns; ++column)
        colOrigins.push_back(geometry->firstTap(
            b, loc, addIndex(b, loc, out[2], column), 1, range.cols.begin));
      SmallVector<Value> init(columns, bias);
      if (halfwords) {
        // Unrolled: each tap's weight is a lane of a word.
        SmallVector<Value> accs(init);
        for (int64_t kh = range.rows.begin; kh < range.rows.end; ++kh)
          for (int64_t kw = range.cols.begin; kw < range.cols.end; ++kw) {
            Value w = loadHalfword(b, loc, out[3], kh, kw);
            Value ih = addIndex(b, loc, rowOrigin,
                                (kh - range.rows.begin) *
                                    geometry->dilation[0]);
            for (int64_t column = 0; column < columns; ++column) {
              Value x = loadInput(
                  b, loc, out[0], ih,
                  addIndex(b, loc, colOrigins[column],
                           (kw - range.cols.begin) * geometry->dilation[1]),
                  channel);
              accs[column] = multiplyAccumulate(b, loc, accs[column], x,
                                                zeroPoint, w, 0);
            }
          }
        return accs;
      }
      return buildReductionNest(
          b, loc,
          {range.rows.end - range.rows.begin,
           range.cols.end - range.cols.begin},
          init,
          [&](OpBuilder &rb, Location rl, ValueRange k, ValueRange carried) {
            Value kh = addIndex(rb, rl, k[0], range.rows.begin);
            Value kw = addIndex(rb, rl, k[1], range.cols.begin);
            Value ih =
                scaledIndex(rb, rl, rowOrigin, k[0], geometry->dilation[0]);
            Value w = loadWeight(rb, rl, kh, kw, channel, copy);
            SmallVector<Value> next;
            for (auto [origin, acc] : llvm::zip(colOrigins, carried)) {
              Value x = loadInput(
                  rb, rl, out[0], ih,
                  scaledIndex(rb, rl, origin, k[1], geometry->dilation[1]),
                  channel);
              next.push_back(multiplyAccumulate(rb, rl, acc, x, zeroPoint, w,
                                                geometry->weightZp));
            }
            return next;
          });
    };

    auto border = [&](OpBuilder &b, Location loc,
                      ValueRange out) -> SmallVector<Value> {
      std::pair<Value, Value> filterChannel = source(b, loc, out[3]);
      Value channel = filterChannel.first, copy = filterChannel.second;
      Value bias = loadBias(op, b, loc, operands, 2, out[3]);
      return {geometry->window.accumulate(
          b, loc, out[1], out[2], bias,
          [&](OpBuilder &tb, Location tl, const Window::Tap &tap,
              Value carried) {
            Value x = loadInput(tb, tl, out[0], tap.inputH, tap.inputW,
                                channel);
            Value w = loadWeight(tb, tl, tap.kernelH, tap.kernelW, channel,
                                 copy);
            return multiplyAccumulate(tb, tl, carried, x, geometry->inputZp, w,
                                      geometry->weightZp);
          })};
    };

    emitBlockedWindow(builder, op->getLoc(), geometry->outputShape,
                      geometry->window, blocking, setup, interior, border,
                      emitOutput);
    return success();
  }
};

/// Where a transposed convolution's taps land on output coordinate `o` along
/// one axis: output o = stride * i + k + outPadBefore, so kernel position
/// k = phase + t * stride reads input position base - t, for t in
/// [first, last) (the kernel's extent and the input's bounds).
struct TransposedTaps {
  Value phase, base, first, last;
};

TransposedTaps transposedTaps(OpBuilder &b, Location loc, Value o,
                              int64_t stride, int64_t outPadBefore,
                              int64_t kernel, int64_t inputSize) {
  Value shifted = addIndex(b, loc, o, -outPadBefore);
  Value step = constantIndex(b, loc, stride);
  Value base = arith::FloorDivSIOp::create(b, loc, shifted, step);
  Value phase = arith::SubIOp::create(
      b, loc, shifted, arith::MulIOp::create(b, loc, base, step));
  // ceil((kernel - phase) / stride) kernel positions of this phase.
  Value count = arith::FloorDivSIOp::create(
      b, loc,
      arith::SubIOp::create(b, loc,
                            constantIndex(b, loc, kernel + stride - 1), phase),
      step);
  Value last = arith::MinSIOp::create(b, loc, count, addIndex(b, loc, base, 1));
  Value first = arith::MaxSIOp::create(b, loc, constantIndex(b, loc, 0),
                                       addIndex(b, loc, base, 1 - inputSize));
  return {phase, base, first, last};
}

/// transpose_conv2d (weights [OC, KH, KW, IC]) gathered per output element:
/// only the taps whose input position is whole, so no product by an inserted
/// zero and no zero-inserted input. A block of output channels shares each
/// tap's input channels (one dot-product run, which pex-dual-multiply-
/// accumulate pairs on DSP targets); each accumulator starts at its bias.
struct TransposeConv2DEmitter
    : KernelEmitterOpInterface::ExternalModel<TransposeConv2DEmitter,
                                              tosa::TransposeConv2DOp> {
  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto conv = cast<tosa::TransposeConv2DOp>(op);
    FailureOr<Type> accType = getAccumulatorType(op, conv.getAccTypeAttr());
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 3);
    if (failed(accType) || failed(zeroPoints))
      return failure();
    auto inputType = cast<ShapedType>(conv.getInput().getType());
    auto weightType = cast<ShapedType>(conv.getWeight().getType());
    if (failed(checkInputChannels(op, weightType, /*channelDim=*/3, inputType)))
      return failure();
    ArrayRef<int64_t> outPad = conv.getOutPad();
    ArrayRef<int64_t> stride = conv.getStride();
    int64_t channels = inputType.getDimSize(3);
    int64_t inputZp = zeroPoints->first, weightZp = zeroPoints->second;
    SmallVector<int64_t> shape(cast<ShapedType>(conv.getType()).getShape());
    int64_t block = shape[3] % 4 == 0 ? 4 : shape[3] % 2 == 0 ? 2 : 1;
    shape[3] /= block;
    buildLoopNest(
        builder, op->getLoc(), shape,
        [&](OpBuilder &b, Location loc, ValueRange out) {
          TransposedTaps rows =
              transposedTaps(b, loc, out[1], stride[0], outPad[0],
                             weightType.getDimSize(1), inputType.getDimSize(1));
          TransposedTaps columns =
              transposedTaps(b, loc, out[2], stride[1], outPad[2],
                             weightType.getDimSize(2), inputType.getDimSize(2));
          Value one = constantIndex(b, loc, 1);
          Value firstChannel = scaledIndex(b, loc, constantIndex(b, loc, 0),
                                           out[3], block);
          SmallVector<Value> outChannels, biases;
          for (int64_t q = 0; q < block; ++q) {
            outChannels.push_back(addIndex(b, loc, firstChannel, q));
            Value bias = loadBias(op, b, loc, operands, 2, outChannels.back());
            biases.push_back(bias.getType() == *accType
                                 ? bias
                                 : castInt(b, loc, bias, *accType));
          }
          auto rowLoop = scf::ForOp::create(
              b, loc, rows.first, rows.last, one, biases,
              [&](OpBuilder &rb, Location rl, Value ty, ValueRange rowSums) {
                Value kh = scaledIndex(rb, rl, rows.phase, ty, stride[0]);
                Value ih = arith::SubIOp::create(rb, rl, rows.base, ty);
                auto columnLoop = scf::ForOp::create(
                    rb, rl, columns.first, columns.last, one, rowSums,
                    [&](OpBuilder &cb, Location cl, Value tx,
                        ValueRange sums) {
                      Value kw =
                          scaledIndex(cb, cl, columns.phase, tx, stride[1]);
                      Value iw = arith::SubIOp::create(cb, cl, columns.base, tx);
                      SmallVector<Value> next = emitDotProductRun(
                          cb, cl, channels, sums, 1, block,
                          [&](OpBuilder &lb, Location ll, int64_t, Value r) {
                            return operands.load(lb, ll, 0,
                                                 {out[0], ih, iw, r});
                          },
                          [&](OpBuilder &lb, Location ll, int64_t q, Value r) {
                            return operands.load(lb, ll, 1,
                                                 {outChannels[q], kh, kw, r});
                          },
                          inputZp, weightZp);
                      scf::YieldOp::create(cb, cl, next);
                    });
                scf::YieldOp::create(rb, rl, columnLoop.getResults());
              });
          for (int64_t q = 0; q < block; ++q)
            emitElement(b, loc, {out[0], out[1], out[2], outChannels[q]},
                        rowLoop.getResult(q));
        });
    return success();
  }
};

} // namespace

void emit::attachConvolutionEmitters(MLIRContext *context) {
  tosa::Conv2DOp::attachInterface<Conv2DEmitter>(*context);
  tosa::DepthwiseConv2DOp::attachInterface<DepthwiseConv2DEmitter>(*context);
  tosa::TransposeConv2DOp::attachInterface<TransposeConv2DEmitter>(*context);
}

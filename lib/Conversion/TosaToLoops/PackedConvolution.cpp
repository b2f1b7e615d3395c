//===- PackedConvolution.cpp - int8 conv2d as micro-kernels -----*- C++ -*-===//
//
// conv2d as a matrix product in the layouts of MicroKernels.h. For each
// block of P output pixels (row-major over the output), their receptive
// fields are copied into an int16 buffer on the stack ("im2col"; the input
// zero point where the window overhangs the input), then every block of
// output channels runs a micro-kernel over the buffer and the channels'
// weights, packed at compile time, from the biases with the input zero point
// folded in, and hands the accumulators to the fused epilogue. The buffer is
// filled once per pixel block and read by every channel block, so each input
// is extended once per block of pixels rather than once per product.
//
//===----------------------------------------------------------------------===//

#include "PackedConvolution.h"
#include "ConstantOperands.h"
#include "EmitterUtils.h"
#include "MicroKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Bytes of stack the im2col buffer may take.
constexpr int64_t kMaxBufferBytes = 2048;

/// A conv2d over NHWC with [O, KH, KW, C] weights.
struct ConvShape {
  int64_t batch, inputH, inputW, channels;
  int64_t kernelH, kernelW;
  /// Output channels of this kernel (of a slice, in a group loop).
  int64_t outputs;
  int64_t outputH, outputW;
  SmallVector<int64_t> stride, pad, dilation;
  int64_t inputZp;

  int64_t depth() const { return kernelH * kernelW * channels; }
  int64_t groups() const { return (depth() + 3) / 4; }
  int64_t pixels() const { return outputH * outputW; }
  bool isPadded() const {
    return llvm::any_of(pad, [](int64_t p) { return p != 0; });
  }
  /// The im2col buffer of `pixels` receptive fields.
  int64_t bufferBytes(int64_t blockPixels) const {
    return groups() * 2 * blockPixels * 2 * 2;
  }
};

/// The weights [O, K] of a conv2d global in the pairs layout with `pairs`
/// pairs of channels per half-step, or the singles layout (`pairs` 0).
DenseElementsAttr packWeights(DenseElementsAttr value, int64_t pairs) {
  ShapedType type = value.getType();
  int64_t outputs = type.getDimSize(0);
  int64_t depth = type.getNumElements() / outputs, groups = (depth + 3) / 4;
  SmallVector<int8_t> weights;
  for (const APInt &w : value.getValues<APInt>())
    weights.push_back(static_cast<int8_t>(w.getSExtValue()));
  auto at = [&](int64_t channel, int64_t k) -> int8_t {
    return k < depth ? weights[channel * depth + k] : 0;
  };
  SmallVector<int8_t> packed;
  SmallVector<int64_t> shape;
  if (pairs == 0) {
    shape = {outputs, groups, 4};
    for (int64_t c = 0; c < outputs; ++c)
      for (int64_t k = 0; k < 4 * groups; ++k)
        packed.push_back(at(c, k));
  } else {
    shape = {outputs / (2 * pairs), groups, 2, pairs, 4};
    for (int64_t block = 0; block < shape[0]; ++block)
      for (int64_t g = 0; g < groups; ++g)
        for (int64_t h = 0; h < 2; ++h)
          for (int64_t s = 0; s < pairs; ++s) {
            int64_t c = 2 * (block * pairs + s), k = 4 * g + h;
            packed.append(
                {at(c, k), at(c + 1, k), at(c, k + 2), at(c + 1, k + 2)});
          }
  }
  auto packedType =
      RankedTensorType::get(shape, IntegerType::get(value.getContext(), 8));
  return DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed));
}

Value collapse(OpBuilder &builder, Location loc, Value memref,
               ArrayRef<ReassociationIndices> groups) {
  auto type = cast<MemRefType>(memref.getType());
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, groups))
    return {};
  return memref::CollapseShapeOp::create(builder, loc, memref, groups);
}

Value extend(OpBuilder &builder, Location loc, Value value) {
  return castInt(builder, loc, value, builder.getI32Type());
}

/// Emits the packed convolution of one kernel.
class PackedConvolution {
public:
  PackedConvolution(OpBuilder &builder, Location loc, const ConvShape &shape,
                    KernelOperands &operands, ElementCallback emitElement,
                    FoldedBiases biases, Value weights, Value blockOffset,
                    int64_t pairs)
      : builder(builder), loc(loc), shape(shape), operands(operands),
        emitElement(emitElement), biases(biases), weights(weights),
        blockOffset(blockOffset), pairs(pairs) {}

  /// Output pixels in blocks of `blockPixels` through im2col buffers.
  void emitBlocks(int64_t blockPixels);
  /// The single output of a window over the whole input, `rows` the input
  /// as [N, K], read in place.
  void emitFullyConnected(Value rows);

private:
  int64_t channelsPerBlock() const { return pairs == 0 ? 1 : 2 * pairs; }
  /// A buffer for `blockPixels` receptive fields in the function's entry
  /// block (an alloca in a loop would grow the stack every iteration), its
  /// padding groups zeroed.
  Value allocateBuffer(int64_t blockPixels);
  /// Copies the receptive field of output (n, oh, ow) into column `p` of
  /// the buffer.
  void fillReceptiveField(OpBuilder &b, Location l, Value buffer, int64_t p,
                          Value n, Value oh, Value ow);
  /// The pixels [first, first + blockPixels) through `buffer`.
  void emitBlock(OpBuilder &b, Location l, Value n, Value first,
                 int64_t blockPixels, Value buffer);
  /// Every channel block of `blockPixels` pixels at (n, coordinates):
  /// `loadInput(b, l, g, h, p, lane)` reads the input lane.
  using InputLoad = function_ref<Value(OpBuilder &, Location, Value g,
                                       int64_t h, int64_t p, int64_t lane)>;
  void emitChannelBlocks(OpBuilder &b, Location l, Value n,
                         ArrayRef<std::pair<Value, Value>> coordinates,
                         InputLoad loadInput, StringRef input);

  OpBuilder &builder;
  Location loc;
  const ConvShape &shape;
  KernelOperands &operands;
  ElementCallback emitElement;
  FoldedBiases biases;
  Value weights, blockOffset;
  int64_t pairs;
};

Value PackedConvolution::allocateBuffer(int64_t blockPixels) {
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  auto type = MemRefType::get({shape.groups(), 2, blockPixels, 2},
                              builder.getI16Type());
  Value buffer = memref::AllocaOp::create(entry, loc, type,
                                          builder.getI64IntegerAttr(4));
  // Products past the depth have zero weights; their inputs must still be
  // numbers (zero).
  Value zero = constantInt(builder, loc, builder.getI16Type(), 0);
  for (int64_t k = shape.depth(); k < 4 * shape.groups(); ++k)
    for (int64_t p = 0; p < blockPixels; ++p)
      memref::StoreOp::create(
          builder, loc, zero, buffer,
          ValueRange{constantIndex(builder, loc, k / 4),
                     constantIndex(builder, loc, k % 2),
                     constantIndex(builder, loc, p),
                     constantIndex(builder, loc, (k / 2) % 2)});
  return buffer;
}

void PackedConvolution::fillReceptiveField(OpBuilder &b, Location l,
                                           Value buffer, int64_t p, Value n,
                                           Value oh, Value ow) {
  Type i16 = b.getI16Type();
  int64_t channels = shape.channels;
  Value column = constantIndex(b, l, p);
  // Input k of the field to the buffer: group k / 4, half k % 2, lane
  // (k / 2) % 2.
  auto store = [&](OpBuilder &sb, Location sl, Value value, Value k) {
    Value four = constantIndex(sb, sl, 4), two = constantIndex(sb, sl, 2);
    Value g = arith::DivUIOp::create(sb, sl, k, four);
    Value h = arith::RemUIOp::create(sb, sl, k, two);
    Value lane = arith::RemUIOp::create(
        sb, sl, arith::DivUIOp::create(sb, sl, k, two), two);
    memref::StoreOp::create(sb, sl, castInt(sb, sl, value, i16), buffer,
                            ValueRange{g, h, column, lane});
  };
  Value zeroPoint = constantInt(b, l, i16, shape.inputZp);
  for (int64_t kh = 0; kh < shape.kernelH; ++kh) {
    Value ih = addIndex(
        b, l,
        arith::MulIOp::create(b, l, oh, constantIndex(b, l, shape.stride[0])),
        kh * shape.dilation[0] - shape.pad[0]);
    for (int64_t kw = 0; kw < shape.kernelW; ++kw) {
      Value iw = addIndex(
          b, l,
          arith::MulIOp::create(b, l, ow,
                                constantIndex(b, l, shape.stride[1])),
          kw * shape.dilation[1] - shape.pad[2]);
      int64_t first = (kh * shape.kernelW + kw) * channels;
      // The tap's channels, four at a time when they start a group: the
      // loop pex-dual-multiply-accumulate copies a word at a time.
      auto copy = [&](OpBuilder &cb, Location cl) {
        if (channels % 4 == 0) {
          auto loop = scf::ForOp::create(
              cb, cl, constantIndex(cb, cl, 0),
              constantIndex(cb, cl, channels / 4), constantIndex(cb, cl, 1),
              ValueRange{}, [&](OpBuilder &fb, Location fl, Value j, ValueRange) {
                Value g = addIndex(fb, fl, j, first / 4);
                for (int64_t r = 0; r < 4; ++r) {
                  Value c = addIndex(
                      fb, fl,
                      arith::MulIOp::create(fb, fl, j, constantIndex(fb, fl, 4)),
                      r);
                  Value x = operands.load(fb, fl, 0, {n, ih, iw, c});
                  memref::StoreOp::create(
                      fb, fl, castInt(fb, fl, x, i16), buffer,
                      ValueRange{g, constantIndex(fb, fl, r % 2), column,
                                 constantIndex(fb, fl, r / 2)});
                }
                scf::YieldOp::create(fb, fl);
              });
          loop->setAttr(kIm2ColAttr, cb.getUnitAttr());
          return;
        }
        for (int64_t c = 0; c < channels; ++c)
          store(cb, cl,
                operands.load(cb, cl, 0, {n, ih, iw, constantIndex(cb, cl, c)}),
                constantIndex(cb, cl, first + c));
      };
      auto pad = [&](OpBuilder &pb, Location pl) {
        for (int64_t c = 0; c < channels; ++c)
          store(pb, pl, zeroPoint, constantIndex(pb, pl, first + c));
      };
      if (!shape.isPadded()) {
        copy(b, l);
        continue;
      }
      Value inside = buildInBounds(b, l, {ih, iw},
                                   {shape.inputH, shape.inputW});
      scf::IfOp::create(
          b, l, inside,
          [&](OpBuilder &tb, Location tl) {
            copy(tb, tl);
            scf::YieldOp::create(tb, tl);
          },
          [&](OpBuilder &eb, Location el) {
            pad(eb, el);
            scf::YieldOp::create(eb, el);
          });
    }
  }
}

void PackedConvolution::emitChannelBlocks(
    OpBuilder &b, Location l, Value n,
    ArrayRef<std::pair<Value, Value>> coordinates, InputLoad loadInput,
    StringRef input) {
  int64_t blockPixels = coordinates.size();
  int64_t perBlock = channelsPerBlock();
  MLIRContext *context = b.getContext();
  auto attr = DictionaryAttr::get(
      context, {NamedAttribute(StringAttr::get(context, "pixels"),
                               b.getI64IntegerAttr(blockPixels)),
                NamedAttribute(StringAttr::get(context, "pairs"),
                               b.getI64IntegerAttr(pairs)),
                NamedAttribute(StringAttr::get(context, "input"),
                               StringAttr::get(context, input))});
  scf::ForOp::create(
      b, l, constantIndex(b, l, 0),
      constantIndex(b, l, shape.outputs / perBlock), constantIndex(b, l, 1),
      ValueRange{}, [&](OpBuilder &cb, Location cl, Value block, ValueRange) {
        Value firstChannel =
            arith::MulIOp::create(cb, cl, block, constantIndex(cb, cl, perBlock));
        SmallVector<Value> init;
        for (int64_t p = 0; p < blockPixels; ++p)
          for (int64_t j = 0; j < perBlock; ++j)
            init.push_back(
                biases.load(cb, cl, addIndex(cb, cl, firstChannel, j)));
        Value packedBlock = arith::AddIOp::create(cb, cl, blockOffset, block);
        auto loop = scf::ForOp::create(
            cb, cl, constantIndex(cb, cl, 0),
            constantIndex(cb, cl, shape.groups()), constantIndex(cb, cl, 1),
            init,
            [&](OpBuilder &gb, Location gl, Value g, ValueRange carried) {
              auto weightAt = [&](ArrayRef<int64_t> rest) {
                SmallVector<Value> indices{packedBlock, g};
                for (int64_t index : rest)
                  indices.push_back(constantIndex(gb, gl, index));
                return extend(gb, gl,
                              memref::LoadOp::create(gb, gl, weights, indices));
              };
              SmallVector<Value> next(carried);
              for (int64_t h = 0; h < 2; ++h)
                for (int64_t p = 0; p < blockPixels; ++p) {
                  Value lanes[2] = {extend(gb, gl, loadInput(gb, gl, g, h, p, 0)),
                                    extend(gb, gl, loadInput(gb, gl, g, h, p, 1))};
                  for (int64_t lane = 0; lane < 2; ++lane) {
                    if (pairs == 0) {
                      Value &acc = next[p];
                      acc = arith::AddIOp::create(
                          gb, gl, acc,
                          arith::MulIOp::create(gb, gl, lanes[lane],
                                                weightAt({h + 2 * lane})));
                      continue;
                    }
                    for (int64_t s = 0; s < pairs; ++s)
                      for (int64_t c = 0; c < 2; ++c) {
                        Value &acc = next[(p * pairs + s) * 2 + c];
                        acc = arith::AddIOp::create(
                            gb, gl, acc,
                            arith::MulIOp::create(
                                gb, gl, lanes[lane],
                                weightAt({h, s, c + 2 * lane})));
                      }
                  }
                }
              scf::YieldOp::create(gb, gl, next);
            });
        loop->setAttr(kMacAttr, attr);
        for (int64_t p = 0; p < blockPixels; ++p)
          for (int64_t j = 0; j < perBlock; ++j)
            emitElement(cb, cl,
                        {n, coordinates[p].first, coordinates[p].second,
                         addIndex(cb, cl, firstChannel, j)},
                        loop.getResult(p * perBlock + j));
        scf::YieldOp::create(cb, cl);
      });
}

void PackedConvolution::emitBlock(OpBuilder &b, Location l, Value n,
                                  Value first, int64_t blockPixels,
                                  Value buffer) {
  SmallVector<std::pair<Value, Value>> coordinates;
  Value width = constantIndex(b, l, shape.outputW);
  for (int64_t p = 0; p < blockPixels; ++p) {
    Value pixel = addIndex(b, l, first, p);
    Value oh = arith::DivUIOp::create(b, l, pixel, width);
    Value ow = arith::RemUIOp::create(b, l, pixel, width);
    fillReceptiveField(b, l, buffer, p, n, oh, ow);
    coordinates.push_back({oh, ow});
  }
  emitChannelBlocks(
      b, l, n, coordinates,
      [&](OpBuilder &ib, Location il, Value g, int64_t h, int64_t p,
          int64_t lane) {
        return memref::LoadOp::create(
                   ib, il, buffer,
                   ValueRange{g, constantIndex(ib, il, h),
                              constantIndex(ib, il, p),
                              constantIndex(ib, il, lane)})
            .getResult();
      },
      "im2col");
}

void PackedConvolution::emitBlocks(int64_t blockPixels) {
  int64_t pixels = shape.pixels();
  int64_t whole = pixels - pixels % blockPixels, rest = pixels - whole;
  Value buffer = allocateBuffer(blockPixels);
  Value restBuffer = rest > 0 ? allocateBuffer(rest) : Value();
  scf::ForOp::create(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, shape.batch), constantIndex(builder, loc, 1),
      ValueRange{}, [&](OpBuilder &nb, Location nl, Value n, ValueRange) {
        if (whole > 0)
          scf::ForOp::create(
              nb, nl, constantIndex(nb, nl, 0), constantIndex(nb, nl, whole),
              constantIndex(nb, nl, blockPixels), ValueRange{},
              [&](OpBuilder &pb, Location pl, Value first, ValueRange) {
                emitBlock(pb, pl, n, first, blockPixels, buffer);
                scf::YieldOp::create(pb, pl);
              });
        if (rest > 0)
          emitBlock(nb, nl, n, constantIndex(nb, nl, whole), rest, restBuffer);
        scf::YieldOp::create(nb, nl);
      });
}

void PackedConvolution::emitFullyConnected(Value rows) {
  scf::ForOp::create(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, shape.batch), constantIndex(builder, loc, 1),
      ValueRange{}, [&](OpBuilder &nb, Location nl, Value n, ValueRange) {
        Value zero = constantIndex(nb, nl, 0);
        emitChannelBlocks(
            nb, nl, n, {{zero, zero}},
            [&](OpBuilder &ib, Location il, Value g, int64_t h, int64_t,
                int64_t lane) {
              Value k = addIndex(
                  ib, il,
                  arith::MulIOp::create(ib, il, g, constantIndex(ib, il, 4)),
                  h + 2 * lane);
              return memref::LoadOp::create(ib, il, rows, ValueRange{n, k})
                  .getResult();
            },
            "rows");
        scf::YieldOp::create(nb, nl);
      });
}

} // namespace

std::optional<LogicalResult>
emit::emitPackedConv2D(tosa::Conv2DOp conv, OpBuilder &builder,
                       KernelOperands &operands, ElementCallback emitElement) {
  Location loc = conv.getLoc();
  auto inputType = cast<ShapedType>(conv.getInput().getType());
  auto weightType = cast<ShapedType>(conv.getWeight().getType());
  auto outputType = cast<ShapedType>(conv.getType());
  if (!inputType.getElementType().isInteger(8) ||
      !weightType.getElementType().isInteger(8) ||
      !conv.getAccType().isInteger(32) ||
      weightType.getDimSize(3) != inputType.getDimSize(3))
    return std::nullopt;
  std::optional<int64_t> inputZp = getIntConstant(operands, 3);
  std::optional<int64_t> weightZp = getIntConstant(operands, 4);
  Value input = operands.getMemRef(0), weights = operands.getMemRef(1),
        bias = operands.getMemRef(2);
  if (!inputZp || weightZp != 0 || !input || !weights || !bias)
    return std::nullopt;
  std::optional<ConstantSlice> slice = getConstantSlice(builder, loc, weights);
  if (!slice)
    return std::nullopt;

  ConvShape shape{inputType.getDimSize(0),
                  inputType.getDimSize(1),
                  inputType.getDimSize(2),
                  inputType.getDimSize(3),
                  weightType.getDimSize(1),
                  weightType.getDimSize(2),
                  outputType.getDimSize(3),
                  outputType.getDimSize(1),
                  outputType.getDimSize(2),
                  llvm::to_vector(conv.getStride()),
                  llvm::to_vector(conv.getPad()),
                  llvm::to_vector(conv.getDilation()),
                  *inputZp};

  // A fully connected layer (one output whose window is the whole input)
  // reads its input row in place.
  Value rows;
  if (shape.pixels() == 1 && shape.depth() % 4 == 0 && !shape.isPadded() &&
      shape.kernelH == shape.inputH && shape.kernelW == shape.inputW)
    rows = collapse(builder, loc, input, {{0}, {1, 2, 3}});
  int64_t blockPixels = std::min(kMaxMacPixels, shape.pixels());
  while (blockPixels > 0 &&
         shape.bufferBytes(blockPixels) > kMaxBufferBytes)
    --blockPixels;
  if (!rows && blockPixels == 0)
    return std::nullopt;

  // Pairs of channels when the slice and the layout agree, more of them per
  // half-step for a fully connected layer (its input is read once per
  // step, the more channels share it the better).
  int64_t globalOutputs = slice->value.getType().getDimSize(0);
  int64_t pairs = 0;
  SmallVector<int64_t> candidates =
      rows ? SmallVector<int64_t>{2, 1} : SmallVector<int64_t>{1};
  for (int64_t candidate : candidates)
    if (shape.outputs % (2 * candidate) == 0 &&
        globalOutputs % (2 * candidate) == 0 &&
        isSliceAlignedTo(*slice, 2 * candidate)) {
      pairs = candidate;
      break;
    }

  std::optional<FoldedBiases> biases = FoldedBiases::get(
      builder, loc, weights, bias, /*channelDim=*/0, *inputZp, 0);
  if (!biases)
    return std::nullopt;
  std::string name = (slice->global.getSymName() +
                      (pairs == 0 ? Twine("_singles")
                                  : "_pairs" + Twine(pairs)))
                         .str();
  memref::GlobalOp packed = getOrCreateConstant(
      slice->global, name, packWeights(slice->value, pairs), 4);
  Value packedWeights = memref::GetGlobalOp::create(
      builder, loc, packed.getType(), packed.getSymName());
  Value blockOffset =
      pairs == 0 ? slice->offset
                 : arith::DivUIOp::create(builder, loc, slice->offset,
                                          constantIndex(builder, loc, 2 * pairs))
                       .getResult();

  PackedConvolution emission(builder, loc, shape, operands, emitElement,
                             *biases, packedWeights, blockOffset, pairs);
  if (rows)
    emission.emitFullyConnected(rows);
  else
    emission.emitBlocks(blockPixels);
  return success();
}

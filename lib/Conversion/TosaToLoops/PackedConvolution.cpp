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
// On targets with the M-profile vector extension the same steps use the
// vector layouts of MicroKernels.h: int8 receptive fields and weights in
// vectors of 16 consecutive products, and a 1x1 convolution of any width
// reads its input rows in place (nothing is extended, so the buffer only
// pays for gathering a window's taps).
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

#include <functional>

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Bytes of stack the im2col buffer may take.
constexpr int64_t kMaxBufferBytes = 2048;

/// Up to this many output channels, a 1x1 convolution reads its input in
/// place: copying a pixel's inputs to the buffer costs more than the
/// products of one or two channels save (estimated cycles: with four,
/// vww_96_int8's and person_detect's slices run faster through the buffer).
constexpr int64_t kMaxPointwiseRowChannels = 2;
/// Up to this many when its rows are consecutive (one pointer, pairs
/// unrolled): the channel pairs' blocks reading the rows in place then cost
/// less than filling the buffer (estimated cycles: person_detect 13.80 M
/// with four, 13.73 M with twelve; zoo MobileNetV2-0.35 27.97 M, 27.66 M;
/// more gains nothing).
constexpr int64_t kMaxConsecutiveRowChannels = 12;
/// Up to this many, an unpadded convolution whose kernel rows are runs of
/// whole words reads its input in place (the rows hold KH runs per field).
constexpr int64_t kMaxRunChannels = 4;

/// Kernel rows of channels that do not fill words are copied to the im2col
/// buffer as runs (FieldOrder) from this many inputs on: a run of one word
/// and its last bytes copies no faster than the taps one by one (zoo
/// MCUNet's 3x3 convolution over two channels).
constexpr int64_t kMinRunBytes = 8;

/// Slices of the input channels (accumulating groups) whose receptive fields
/// hold fewer inputs than a group of four are left to the generic kernel:
/// padded to a group, most products would be zero (estimated cycles, zoo
/// MCUNet's slices of one to three channels: 93.8 M generic, 102.1 M
/// packed).
constexpr int64_t kMinInputSliceDepth = 4;

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
  /// Vectors of kVectorLanes products (vector layouts).
  int64_t vectors() const {
    return (depth() + kVectorLanes - 1) / kVectorLanes;
  }
  int64_t pixels() const { return outputH * outputW; }
  /// Inputs of a kernel row (one tap row of the receptive field: KW * C
  /// consecutive bytes of an input row when the columns are not dilated).
  int64_t rowRun() const { return kernelW * channels; }
  bool isPadded() const {
    return llvm::any_of(pad, [](int64_t p) { return p != 0; });
  }
  /// The im2col buffer of `pixels` receptive fields.
  int64_t bufferBytes(int64_t blockPixels, bool vector) const {
    return vector ? blockPixels * vectors() * kVectorLanes
                  : groups() * 2 * blockPixels * 2 * 2;
  }
};

/// The order of a receptive field's inputs in the im2col buffer and the
/// packed weights. Row-major (the weights' [KH, KW, C] order) unless the
/// kernel rows are copied as runs: then each kernel row's whole words come
/// first, row after row, and the rows' last `rowRun() % 4` inputs share the
/// groups after them, so that a channel count that is not a multiple of
/// four (an image's three) is still copied a word at a time. The group
/// count is the same either way.
struct FieldOrder {
  /// Inputs per kernel row and kernel rows; `runLength` 0: row-major.
  int64_t runLength = 0, rows = 0;

  bool isRowMajor() const { return runLength == 0; }
  int64_t wordsPerRun() const { return runLength / 4; }
  /// The buffer position of input `k` (row-major index of the field).
  int64_t slotOf(int64_t k) const {
    if (isRowMajor())
      return k;
    int64_t row = k / runLength, j = k % runLength;
    int64_t whole = 4 * wordsPerRun();
    if (j < whole)
      return row * whole + j;
    return rows * whole + row * (runLength - whole) + (j - whole);
  }
  /// The row-major index of the input at buffer position `slot` (below the
  /// field's depth).
  int64_t inputAt(int64_t slot) const {
    if (isRowMajor())
      return slot;
    int64_t whole = 4 * wordsPerRun();
    if (slot < rows * whole)
      return slot / whole * runLength + slot % whole;
    int64_t rest = runLength - whole, tail = slot - rows * whole;
    return tail / rest * runLength + whole + tail % rest;
  }
};

/// How a kernel's output channels are grouped for the micro-kernels: in
/// blocks of 2S channels (S pairs per half-step) or of one (singles, S = 0),
/// or, in the vector layouts, of `vectorChannels`. A partial execution slice
/// of `sliceWidth` channels is padded to whole blocks (zero weights; those
/// outputs are not stored); the kernel's slices start at `first` + i *
/// sliceWidth.
struct ChannelBlocks {
  int64_t pairs, sliceWidth, first;
  /// Non-zero: the vector layouts, blocks of this many channels.
  int64_t vectorChannels = 0;

  bool isVector() const { return vectorChannels != 0; }
  int64_t perBlock() const {
    if (isVector())
      return vectorChannels;
    return pairs == 0 ? 1 : 2 * pairs;
  }
  int64_t blocksPerSlice() const {
    return (sliceWidth + perBlock() - 1) / perBlock();
  }
};

/// The weights [O, K] of a conv2d global in the layout of `blocks`
/// (MicroKernels.h): the slices from `blocks.first` on, each padded to whole
/// blocks.
DenseElementsAttr packWeights(DenseElementsAttr value, ChannelBlocks blocks,
                              FieldOrder order) {
  ShapedType type = value.getType();
  int64_t outputs = type.getDimSize(0);
  int64_t depth = type.getNumElements() / outputs, groups = (depth + 3) / 4;
  SmallVector<int8_t> weights;
  for (const APInt &w : value.getValues<APInt>())
    weights.push_back(static_cast<int8_t>(w.getSExtValue()));
  int64_t slices =
      (outputs - blocks.first + blocks.sliceWidth - 1) / blocks.sliceWidth;
  // Channel `c` of block `block`, or none (padding).
  auto at = [&](int64_t block, int64_t c, int64_t k) -> int8_t {
    int64_t slice = block / blocks.blocksPerSlice();
    int64_t inSlice = (block % blocks.blocksPerSlice()) * blocks.perBlock() + c;
    int64_t channel = blocks.first + slice * blocks.sliceWidth + inSlice;
    if (inSlice >= blocks.sliceWidth || channel >= outputs || k >= depth)
      return 0;
    return weights[channel * depth + order.inputAt(k)];
  };
  SmallVector<int8_t> packed;
  SmallVector<int64_t> shape;
  int64_t count = slices * blocks.blocksPerSlice();
  if (blocks.isVector()) {
    int64_t padded = (depth + kVectorLanes - 1) / kVectorLanes * kVectorLanes;
    shape = {count * blocks.perBlock(), padded};
    for (int64_t block = 0; block < count; ++block)
      for (int64_t c = 0; c < blocks.perBlock(); ++c)
        for (int64_t k = 0; k < padded; ++k)
          packed.push_back(at(block, c, k));
  } else if (blocks.pairs == 0) {
    shape = {count, groups, 4};
    for (int64_t block = 0; block < count; ++block)
      for (int64_t k = 0; k < 4 * groups; ++k)
        packed.push_back(at(block, 0, k));
  } else {
    shape = {count, groups, 2, blocks.pairs, 4};
    for (int64_t block = 0; block < count; ++block)
      for (int64_t g = 0; g < groups; ++g)
        for (int64_t h = 0; h < 2; ++h)
          for (int64_t s = 0; s < blocks.pairs; ++s) {
            int64_t c = 2 * s, k = 4 * g + h;
            packed.append({at(block, c, k), at(block, c + 1, k),
                           at(block, c, k + 2), at(block, c + 1, k + 2)});
          }
  }
  auto packedType =
      RankedTensorType::get(shape, IntegerType::get(value.getContext(), 8));
  return DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed));
}

/// Weights [O, KH, KW, C] cut along C into slices of `width` channels from
/// `first` on (an accumulating group's slices of the input channels), as
/// [S * O, KH, KW, width]: output channel o over slice s is row s * O + o
/// (inputs past C zero). Packed as slices of O output channels, slice s of
/// the inputs is then slice s of the packed layout.
DenseElementsAttr regroupInputSlices(DenseElementsAttr value, int64_t width,
                                     int64_t first) {
  ArrayRef<int64_t> shape = value.getType().getShape();
  int64_t outputs = shape[0], taps = shape[1] * shape[2], channels = shape[3];
  int64_t slices = (channels - first + width - 1) / width;
  SmallVector<int8_t> weights;
  for (const APInt &w : value.getValues<APInt>())
    weights.push_back(static_cast<int8_t>(w.getSExtValue()));
  SmallVector<int8_t> regrouped;
  for (int64_t slice = 0; slice < slices; ++slice)
    for (int64_t o = 0; o < outputs; ++o)
      for (int64_t t = 0; t < taps; ++t)
        for (int64_t c = 0; c < width; ++c) {
          int64_t channel = first + slice * width + c;
          regrouped.push_back(channel < channels
                                  ? weights[(o * taps + t) * channels + channel]
                                  : 0);
        }
  auto type = RankedTensorType::get({slices * outputs, shape[1], shape[2], width},
                                    IntegerType::get(value.getContext(), 8));
  return DenseElementsAttr::get(type, ArrayRef<int8_t>(regrouped));
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

/// Where a block of pixels reads its inputs from.
enum class InputMode {
  /// Receptive fields copied to an int16 buffer.
  Im2Col,
  /// Receptive fields read in place, each a row of consecutive bytes.
  Rows,
};

/// Emits the packed convolution of one kernel.
class PackedConvolution {
public:
  PackedConvolution(OpBuilder &builder, Location loc, const ConvShape &shape,
                    KernelOperands &operands, ElementCallback emitElement,
                    FoldedBiases biases, Value weights, Value blockOffset,
                    ChannelBlocks blocks, FieldOrder order = {},
                    Value inputRows = {})
      : builder(builder), loc(loc), shape(shape), operands(operands),
        emitElement(emitElement), biases(biases), weights(weights),
        blockOffset(blockOffset), blocks(blocks), order(order),
        inputRows(inputRows) {}

  /// Output pixels in blocks of `blockPixels` (row-major over the output),
  /// through im2col buffers.
  void emitIm2ColBlocks(int64_t blockPixels);
  /// Output pixels in blocks of `blockPixels`, each reading `rows` ([R,
  /// K]) in place: from column `first` of row `row` for `{row, first} =
  /// rowOf(n, oh, ow)`, and, with several `runs` (one per kernel row, each
  /// of depth / runs consecutive inputs), from the rows after it. A
  /// non-zero `rowStride` says a block's pixels read consecutive rows (a 1x1
  /// convolution at stride 1), that many bytes apart, which the
  /// micro-kernel addresses from one pointer; with `unrolledGroups` it unrolls
  /// all the groups.
  using RowIndex = function_ref<std::pair<Value, Value>(
      OpBuilder &, Location, Value n, Value oh, Value ow)>;
  void emitRowBlocks(int64_t blockPixels, Value rows, RowIndex rowOf,
                     int64_t runs, int64_t rowStride, bool unrolledGroups);

private:
  /// A buffer for `blockPixels` receptive fields in the function's entry
  /// block (an alloca in a loop would grow the stack every iteration), its
  /// padding groups zeroed.
  Value allocateBuffer(int64_t blockPixels);
  /// Copies the receptive field of output (n, oh, ow) into column `p` of
  /// the buffer.
  void fillReceptiveField(OpBuilder &b, Location l, Value buffer, int64_t p,
                          Value n, Value oh, Value ow);
  /// Loops over the output's pixels in blocks; `emitBlock(b, l, n, first,
  /// pixels)` emits one.
  void emitPixelBlocks(
      int64_t blockPixels,
      function_ref<void(OpBuilder &, Location, Value, Value, int64_t)>
          emitBlock);
  /// The (oh, ow) of the block's pixels.
  SmallVector<std::pair<Value, Value>>
  coordinatesOf(OpBuilder &b, Location l, Value first, int64_t blockPixels);
  /// Every channel block of the pixels at (n, coordinates):
  /// `loadInput(b, l, run, g, h, p, lane)` reads the input lane of group
  /// `g` of run `run`.
  using InputLoad =
      function_ref<Value(OpBuilder &, Location, Value run, Value g, int64_t h,
                         int64_t p, int64_t lane)>;
  void emitChannelBlocks(OpBuilder &b, Location l, Value n,
                         ArrayRef<std::pair<Value, Value>> coordinates,
                         InputLoad loadInput, InputMode mode);
  /// Every channel block of the pixels at (n, coordinates) in the vector
  /// layouts: `loadInput(b, l, p, k)` reads input k of pixel p, for k below
  /// `inputs` (the depth of a row read in place, else the padded buffer's).
  using VectorInputLoad =
      function_ref<Value(OpBuilder &, Location, int64_t p, Value k)>;
  void emitVectorChannelBlocks(OpBuilder &b, Location l, Value n,
                               ArrayRef<std::pair<Value, Value>> coordinates,
                               VectorInputLoad loadInput, int64_t inputs);
  /// Loops over the channel blocks: `emitBlock(b, l, block, channels)`
  /// emits one whose first `channels` channels are stored.
  void forEachChannelBlock(
      OpBuilder &b, Location l,
      function_ref<void(OpBuilder &, Location, Value, int64_t)> emitBlock);
  /// The accumulators' initial values: the biases of the block's first
  /// `channels` channels, zero for its padding, per pixel.
  SmallVector<Value> initialAccumulators(OpBuilder &b, Location l,
                                         Value firstChannel,
                                         int64_t blockPixels, int64_t channels);
  /// Hands the accumulators of a block's first `channels` channels to the
  /// epilogue.
  void emitElements(OpBuilder &b, Location l, Value n,
                    ArrayRef<std::pair<Value, Value>> coordinates,
                    Value firstChannel, int64_t channels, ValueRange accs);
  /// One channel block: the marked dot-product loop and the epilogue of the
  /// first `channels` channels (a slice's last block may be padded).
  void emitChannelBlock(OpBuilder &b, Location l, Value n,
                        ArrayRef<std::pair<Value, Value>> coordinates,
                        InputLoad loadInput, DictionaryAttr attr, Value block,
                        int64_t channels);

  OpBuilder &builder;
  Location loc;
  const ConvShape &shape;
  KernelOperands &operands;
  ElementCallback emitElement;
  FoldedBiases biases;
  Value weights, blockOffset;
  ChannelBlocks blocks;
  /// Runs of consecutive inputs a receptive field is read as (rows mode;
  /// the marked loop covers one, in a loop over them).
  int64_t runs = 1;
  /// Bytes from a pixel's run to its next (rows mode with several runs),
  /// when static; 0 otherwise.
  int64_t runStride = 0;
  /// Bytes from one pixel's row to the next pixel's, when a block's pixels
  /// read consecutive rows (rows mode); 0 otherwise.
  int64_t pixelStride = 0;
  /// Whether the micro-kernels unroll all their groups.
  bool unrolled = false;
  /// The order of a field's inputs in the buffer; when its kernel rows are
  /// runs, `inputRows` is the input as [N, H, W * C], which they are copied
  /// from.
  FieldOrder order;
  Value inputRows;
};

Value PackedConvolution::allocateBuffer(int64_t blockPixels) {
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  if (blocks.isVector()) {
    auto type = MemRefType::get({blockPixels, shape.vectors() * kVectorLanes},
                                builder.getI8Type());
    Value buffer = memref::AllocaOp::create(entry, loc, type,
                                            builder.getI64IntegerAttr(4));
    // Products past the depth have zero weights; their inputs must still be
    // numbers (zero).
    Value zero = constantInt(builder, loc, builder.getI8Type(), 0);
    for (int64_t p = 0; p < blockPixels; ++p)
      for (int64_t k = shape.depth(); k < shape.vectors() * kVectorLanes; ++k)
        memref::StoreOp::create(builder, loc, zero, buffer,
                                ValueRange{constantIndex(builder, loc, p),
                                           constantIndex(builder, loc, k)});
    return buffer;
  }
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
  bool vector = blocks.isVector();
  Type element = vector ? b.getI8Type() : b.getI16Type();
  int64_t channels = shape.channels;
  Value column = constantIndex(b, l, p);
  // Input k of the field to the buffer: vector layouts, [p, k]; else group
  // k / 4, half k % 2, lane (k / 2) % 2.
  auto store = [&](OpBuilder &sb, Location sl, Value value, int64_t k) {
    Value stored = castInt(sb, sl, value, element);
    if (vector) {
      memref::StoreOp::create(sb, sl, stored, buffer,
                              ValueRange{column, constantIndex(sb, sl, k)});
      return;
    }
    int64_t slot = order.slotOf(k);
    memref::StoreOp::create(sb, sl, stored, buffer,
                            ValueRange{constantIndex(sb, sl, slot / 4),
                                       constantIndex(sb, sl, slot % 2), column,
                                       constantIndex(sb, sl, (slot / 2) % 2)});
  };
  Value zeroPoint = constantInt(b, l, element, shape.inputZp);
  // The window's first input row and column (negative in the padding).
  Value top = addIndex(
      b, l,
      arith::MulIOp::create(b, l, oh, constantIndex(b, l, shape.stride[0])),
      -shape.pad[0]);
  Value left = addIndex(
      b, l,
      arith::MulIOp::create(b, l, ow, constantIndex(b, l, shape.stride[1])),
      -shape.pad[2]);
  // Copies `words` words of four inputs, `loadInput(k)` for k = 0, 1, ...,
  // to the groups from `firstGroup` on, in the loop pex-dual-multiply-
  // accumulate copies a word at a time.
  auto copyWords = [&](OpBuilder &cb, Location cl, int64_t words,
                       int64_t firstGroup,
                       function_ref<Value(OpBuilder &, Location, Value)>
                           loadInput) {
    auto loop = scf::ForOp::create(
        cb, cl, constantIndex(cb, cl, 0), constantIndex(cb, cl, words),
        constantIndex(cb, cl, 1), ValueRange{},
        [&](OpBuilder &fb, Location fl, Value j, ValueRange) {
          Value g = addIndex(fb, fl, j, firstGroup);
          Value word =
              arith::MulIOp::create(fb, fl, j, constantIndex(fb, fl, 4));
          for (int64_t r = 0; r < 4; ++r) {
            Value x = loadInput(fb, fl, addIndex(fb, fl, word, r));
            memref::StoreOp::create(
                fb, fl, castInt(fb, fl, x, element), buffer,
                ValueRange{g, constantIndex(fb, fl, r % 2), column,
                           constantIndex(fb, fl, r / 2)});
          }
          scf::YieldOp::create(fb, fl);
        });
    loop->setAttr(kIm2ColAttr, cb.getUnitAttr());
  };
  // Copies tap (kh, kw)'s channels, four at a time when they start a group:
  // the loop pex-dual-multiply-accumulate copies a word at a time.
  auto copy = [&](OpBuilder &cb, Location cl, int64_t kh, int64_t kw) {
    Value ih = addIndex(cb, cl, top, kh * shape.dilation[0]);
    Value iw = addIndex(cb, cl, left, kw * shape.dilation[1]);
    int64_t first = (kh * shape.kernelW + kw) * channels;
    if (vector) {
      // Consecutive bytes to consecutive bytes: LLVM vectorises the loop.
      scf::ForOp::create(
          cb, cl, constantIndex(cb, cl, 0), constantIndex(cb, cl, channels),
          constantIndex(cb, cl, 1), ValueRange{},
          [&](OpBuilder &fb, Location fl, Value c, ValueRange) {
            memref::StoreOp::create(
                fb, fl, operands.load(fb, fl, 0, {n, ih, iw, c}), buffer,
                ValueRange{column, addIndex(fb, fl, c, first)});
            scf::YieldOp::create(fb, fl);
          });
      return;
    }
    if (channels % 4 == 0) {
      copyWords(cb, cl, channels / 4, first / 4,
                [&](OpBuilder &lb, Location ll, Value k) {
                  return operands.load(lb, ll, 0, {n, ih, iw, k});
                });
      return;
    }
    for (int64_t c = 0; c < channels; ++c)
      store(cb, cl,
            operands.load(cb, cl, 0, {n, ih, iw, constantIndex(cb, cl, c)}),
            first + c);
  };
  // Copies kernel row kh's inputs as one run (FieldOrder): its whole words
  // in a marked loop, then its last inputs one by one.
  auto copyRun = [&](OpBuilder &cb, Location cl, int64_t kh) {
    Value ih = addIndex(cb, cl, top, kh * shape.dilation[0]);
    Value start = arith::MulIOp::create(
        cb, cl, left, constantIndex(cb, cl, shape.channels));
    int64_t runStart = kh * order.runLength;
    auto loadAt = [&](OpBuilder &lb, Location ll, Value offset) {
      return memref::LoadOp::create(
          lb, ll, inputRows,
          ValueRange{n, ih, arith::AddIOp::create(lb, ll, start, offset)});
    };
    copyWords(cb, cl, order.wordsPerRun(), order.slotOf(runStart) / 4, loadAt);
    for (int64_t j = 4 * order.wordsPerRun(); j < order.runLength; ++j)
      store(cb, cl, loadAt(cb, cl, constantIndex(cb, cl, j)), runStart + j);
  };
  auto copyAll = [&](OpBuilder &cb, Location cl) {
    for (int64_t kh = 0; kh < shape.kernelH; ++kh) {
      if (!order.isRowMajor()) {
        copyRun(cb, cl, kh);
        continue;
      }
      for (int64_t kw = 0; kw < shape.kernelW; ++kw)
        copy(cb, cl, kh, kw);
    }
  };
  if (!shape.isPadded()) {
    copyAll(b, l);
    return;
  }
  // Most windows lie wholly inside the input: one check for the window,
  // then every tap without its own.
  int64_t lastRow = (shape.kernelH - 1) * shape.dilation[0];
  int64_t lastColumn = (shape.kernelW - 1) * shape.dilation[1];
  Value interior = buildInBounds(
      b, l,
      {top, left, addIndex(b, l, top, lastRow),
       addIndex(b, l, left, lastColumn)},
      {shape.inputH, shape.inputW, shape.inputH, shape.inputW});
  scf::IfOp::create(
      b, l, interior,
      [&](OpBuilder &tb, Location tl) {
        copyAll(tb, tl);
        scf::YieldOp::create(tb, tl);
      },
      [&](OpBuilder &eb, Location el) {
        for (int64_t kh = 0; kh < shape.kernelH; ++kh)
          for (int64_t kw = 0; kw < shape.kernelW; ++kw) {
            Value inside = buildInBounds(
                eb, el,
                {addIndex(eb, el, top, kh * shape.dilation[0]),
                 addIndex(eb, el, left, kw * shape.dilation[1])},
                {shape.inputH, shape.inputW});
            int64_t first = (kh * shape.kernelW + kw) * channels;
            scf::IfOp::create(
                eb, el, inside,
                [&](OpBuilder &ib, Location il) {
                  copy(ib, il, kh, kw);
                  scf::YieldOp::create(ib, il);
                },
                [&](OpBuilder &pb, Location pl) {
                  for (int64_t c = 0; c < channels; ++c)
                    store(pb, pl, zeroPoint, first + c);
                  scf::YieldOp::create(pb, pl);
                });
          }
        scf::YieldOp::create(eb, el);
      });
}

void PackedConvolution::emitChannelBlock(
    OpBuilder &b, Location l, Value n,
    ArrayRef<std::pair<Value, Value>> coordinates, InputLoad loadInput,
    DictionaryAttr attr, Value block, int64_t channels) {
  int64_t blockPixels = coordinates.size();
  int64_t perBlock = blocks.perBlock();
  Value firstChannel =
      arith::MulIOp::create(b, l, block, constantIndex(b, l, perBlock));
  SmallVector<Value> init =
      initialAccumulators(b, l, firstChannel, blockPixels, channels);
  Value packedBlock = arith::AddIOp::create(b, l, blockOffset, block);
  int64_t groupsPerRun = shape.groups() / runs;
  // The marked loop over the groups of run `run`.
  auto emitRun = [&](OpBuilder &rb, Location rl, Value run,
                     ValueRange start) {
    Value firstGroup = arith::MulIOp::create(
        rb, rl, run, constantIndex(rb, rl, groupsPerRun));
    return buildMacLoop(
        rb, rl, groupsPerRun, start, attr,
        [&](OpBuilder &gb, Location gl, Value g, int64_t h, int64_t p,
            int64_t lane) { return loadInput(gb, gl, run, g, h, p, lane); },
        [&](OpBuilder &gb, Location gl, Value group, ArrayRef<int64_t> rest) {
          SmallVector<Value> indices{packedBlock, group};
          for (int64_t index : rest)
            indices.push_back(constantIndex(gb, gl, index));
          return memref::LoadOp::create(gb, gl, weights, indices).getResult();
        },
        firstGroup);
  };
  Operation *loop;
  if (runs == 1) {
    loop = emitRun(b, l, constantIndex(b, l, 0), init);
  } else {
    loop = scf::ForOp::create(
        b, l, constantIndex(b, l, 0), constantIndex(b, l, runs),
        constantIndex(b, l, 1), init,
        [&](OpBuilder &rb, Location rl, Value run, ValueRange carried) {
          scf::YieldOp::create(rb, rl,
                               emitRun(rb, rl, run, carried).getResults());
        });
  }
  emitElements(b, l, n, coordinates, firstChannel, channels,
               loop->getResults());
}

SmallVector<Value> PackedConvolution::initialAccumulators(
    OpBuilder &b, Location l, Value firstChannel, int64_t blockPixels,
    int64_t channels) {
  SmallVector<Value> init;
  for (int64_t p = 0; p < blockPixels; ++p)
    for (int64_t j = 0; j < blocks.perBlock(); ++j)
      init.push_back(j < channels
                         ? biases.load(b, l, addIndex(b, l, firstChannel, j))
                         : constantInt(b, l, b.getI32Type(), 0));
  return init;
}

void PackedConvolution::emitElements(
    OpBuilder &b, Location l, Value n,
    ArrayRef<std::pair<Value, Value>> coordinates, Value firstChannel,
    int64_t channels, ValueRange accs) {
  for (auto [p, coordinate] : llvm::enumerate(coordinates))
    for (int64_t j = 0; j < channels; ++j)
      emitElement(b, l,
                  {n, coordinate.first, coordinate.second,
                   addIndex(b, l, firstChannel, j)},
                  accs[p * blocks.perBlock() + j]);
}

void PackedConvolution::forEachChannelBlock(
    OpBuilder &b, Location l,
    function_ref<void(OpBuilder &, Location, Value, int64_t)> emitBlock) {
  int64_t whole = shape.outputs / blocks.perBlock();
  int64_t rest = shape.outputs % blocks.perBlock();
  if (whole > 0)
    scf::ForOp::create(
        b, l, constantIndex(b, l, 0), constantIndex(b, l, whole),
        constantIndex(b, l, 1), ValueRange{},
        [&](OpBuilder &cb, Location cl, Value block, ValueRange) {
          emitBlock(cb, cl, block, blocks.perBlock());
          scf::YieldOp::create(cb, cl);
        });
  if (rest > 0)
    emitBlock(b, l, constantIndex(b, l, whole), rest);
}

void PackedConvolution::emitVectorChannelBlocks(
    OpBuilder &b, Location l, Value n,
    ArrayRef<std::pair<Value, Value>> coordinates, VectorInputLoad loadInput,
    int64_t inputs) {
  MLIRContext *context = b.getContext();
  int64_t blockPixels = coordinates.size(), perBlock = blocks.perBlock();
  auto attr = DictionaryAttr::get(
      context, {NamedAttribute(StringAttr::get(context, "pixels"),
                               b.getI64IntegerAttr(blockPixels)),
                NamedAttribute(StringAttr::get(context, "channels"),
                               b.getI64IntegerAttr(perBlock))});
  forEachChannelBlock(b, l, [&](OpBuilder &cb, Location cl, Value block,
                                int64_t channels) {
    Value firstChannel =
        arith::MulIOp::create(cb, cl, block, constantIndex(cb, cl, perBlock));
    // The block's first row of the packed weights (all slices' blocks).
    Value firstRow = arith::MulIOp::create(
        cb, cl, arith::AddIOp::create(cb, cl, blockOffset, block),
        constantIndex(cb, cl, perBlock));
    // Every pixel's input k times every channel's weight k: the pixels'
    // loads, then the channels' (the order MicroKernels.h promises).
    auto multiplyAccumulate = [&](OpBuilder &kb, Location kl, Value k,
                                  ValueRange carried) {
      SmallVector<Value> xs, ws, next;
      for (int64_t p = 0; p < blockPixels; ++p)
        xs.push_back(loadInput(kb, kl, p, k));
      for (int64_t c = 0; c < perBlock; ++c)
        ws.push_back(memref::LoadOp::create(
            kb, kl, weights, ValueRange{addIndex(kb, kl, firstRow, c), k}));
      for (int64_t p = 0; p < blockPixels; ++p)
        for (int64_t c = 0; c < perBlock; ++c)
          next.push_back(arith::AddIOp::create(
              kb, kl, carried[p * perBlock + c],
              arith::MulIOp::create(kb, kl, extend(kb, kl, xs[p]),
                                    extend(kb, kl, ws[c]))));
      scf::YieldOp::create(kb, kl, next);
    };
    auto loop = scf::ForOp::create(
        cb, cl, constantIndex(cb, cl, 0),
        constantIndex(cb, cl, shape.vectors()), constantIndex(cb, cl, 1),
        initialAccumulators(cb, cl, firstChannel, blockPixels, channels),
        [&](OpBuilder &vb, Location vl, Value v, ValueRange carried) {
          Value first = arith::MulIOp::create(
              vb, vl, v, constantIndex(vb, vl, kVectorLanes));
          // A row read in place may end within the last vector.
          Value count = constantIndex(vb, vl, kVectorLanes);
          if (inputs % kVectorLanes != 0)
            count = arith::MinSIOp::create(
                vb, vl, count,
                arith::SubIOp::create(vb, vl, constantIndex(vb, vl, inputs),
                                      first));
          auto lanes = scf::ForOp::create(
              vb, vl, constantIndex(vb, vl, 0), count,
              constantIndex(vb, vl, 1), carried,
              [&](OpBuilder &lb, Location ll, Value lane, ValueRange inner) {
                multiplyAccumulate(
                    lb, ll, arith::AddIOp::create(lb, ll, first, lane), inner);
              });
          scf::YieldOp::create(vb, vl, lanes.getResults());
        });
    loop->setAttr(kVectorMacAttr, attr);
    emitElements(cb, cl, n, coordinates, firstChannel, channels,
                 loop.getResults());
  });
}

void PackedConvolution::emitChannelBlocks(
    OpBuilder &b, Location l, Value n,
    ArrayRef<std::pair<Value, Value>> coordinates, InputLoad loadInput,
    InputMode mode) {
  bool rows = mode == InputMode::Rows;
  DictionaryAttr attr =
      getMacAttr(b, coordinates.size(), blocks.pairs, rows,
                 rows ? pixelStride : 0, rows ? runStride : 0, unrolled);
  forEachChannelBlock(
      b, l, [&](OpBuilder &cb, Location cl, Value block, int64_t channels) {
        emitChannelBlock(cb, cl, n, coordinates, loadInput, attr, block,
                         channels);
      });
}

SmallVector<std::pair<Value, Value>>
PackedConvolution::coordinatesOf(OpBuilder &b, Location l, Value first,
                                 int64_t blockPixels) {
  SmallVector<std::pair<Value, Value>> coordinates;
  Value width = constantIndex(b, l, shape.outputW);
  // A block that cannot cross the end of an output row (whole blocks start
  // at multiples of their size; the last, shorter, block ends the output)
  // is one row of adjacent columns: one division, not one per pixel.
  if (shape.outputW % blockPixels == 0) {
    Value row = arith::DivUIOp::create(b, l, first, width);
    Value column = arith::RemUIOp::create(b, l, first, width);
    for (int64_t p = 0; p < blockPixels; ++p)
      coordinates.push_back({row, addIndex(b, l, column, p)});
    return coordinates;
  }
  for (int64_t p = 0; p < blockPixels; ++p) {
    Value pixel = addIndex(b, l, first, p);
    coordinates.push_back({arith::DivUIOp::create(b, l, pixel, width),
                           arith::RemUIOp::create(b, l, pixel, width)});
  }
  return coordinates;
}

void PackedConvolution::emitPixelBlocks(
    int64_t blockPixels,
    function_ref<void(OpBuilder &, Location, Value, Value, int64_t)>
        emitBlock) {
  int64_t pixels = shape.pixels();
  int64_t whole = pixels - pixels % blockPixels, rest = pixels - whole;
  scf::ForOp::create(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, shape.batch), constantIndex(builder, loc, 1),
      ValueRange{}, [&](OpBuilder &nb, Location nl, Value n, ValueRange) {
        if (whole > 0)
          scf::ForOp::create(
              nb, nl, constantIndex(nb, nl, 0), constantIndex(nb, nl, whole),
              constantIndex(nb, nl, blockPixels), ValueRange{},
              [&](OpBuilder &pb, Location pl, Value first, ValueRange) {
                emitBlock(pb, pl, n, first, blockPixels);
                scf::YieldOp::create(pb, pl);
              });
        if (rest > 0)
          emitBlock(nb, nl, n, constantIndex(nb, nl, whole), rest);
        scf::YieldOp::create(nb, nl);
      });
}

void PackedConvolution::emitIm2ColBlocks(int64_t blockPixels) {
  int64_t rest = shape.pixels() % blockPixels;
  unrolled = shape.groups() <= kMaxStraightGroups;
  Value buffer = allocateBuffer(blockPixels);
  Value restBuffer = rest > 0 ? allocateBuffer(rest) : Value();
  emitPixelBlocks(blockPixels, [&](OpBuilder &b, Location l, Value n,
                                   Value first, int64_t pixels) {
    Value target = pixels == blockPixels ? buffer : restBuffer;
    SmallVector<std::pair<Value, Value>> coordinates =
        coordinatesOf(b, l, first, pixels);
    for (auto [p, coordinate] : llvm::enumerate(coordinates))
      fillReceptiveField(b, l, target, p, n, coordinate.first,
                         coordinate.second);
    if (blocks.isVector()) {
      emitVectorChannelBlocks(
          b, l, n, coordinates,
          [&](OpBuilder &ib, Location il, int64_t p, Value k) {
            return memref::LoadOp::create(
                       ib, il, target,
                       ValueRange{constantIndex(ib, il, p), k})
                .getResult();
          },
          shape.vectors() * kVectorLanes);
      return;
    }
    emitChannelBlocks(
        b, l, n, coordinates,
        [&](OpBuilder &ib, Location il, Value, Value g, int64_t h, int64_t p,
            int64_t lane) {
          return memref::LoadOp::create(ib, il, target,
                                        getIm2ColIndices(ib, il, g, h, p, lane))
              .getResult();
        },
        InputMode::Im2Col);
  });
}

void PackedConvolution::emitRowBlocks(int64_t blockPixels, Value rows,
                                      RowIndex rowOf, int64_t runCount,
                                      int64_t rowStride, bool unrolledGroups) {
  runs = runCount;
  pixelStride = rowStride;
  unrolled = unrolledGroups;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (runs > 1 &&
      succeeded(cast<MemRefType>(rows.getType())
                    .getStridesAndOffset(strides, offset)) &&
      !ShapedType::isDynamic(strides[0]))
    runStride = strides[0];
  emitPixelBlocks(blockPixels, [&](OpBuilder &b, Location l, Value n,
                                   Value first, int64_t pixels) {
    SmallVector<std::pair<Value, Value>> coordinates =
        coordinatesOf(b, l, first, pixels);
    SmallVector<std::pair<Value, Value>> starts;
    for (auto [oh, ow] : coordinates)
      starts.push_back(rowOf(b, l, n, oh, ow));
    if (blocks.isVector()) {
      emitVectorChannelBlocks(
          b, l, n, coordinates,
          [&](OpBuilder &ib, Location il, int64_t p, Value k) {
            return memref::LoadOp::create(
                       ib, il, rows,
                       ValueRange{starts[p].first,
                                  arith::AddIOp::create(ib, il,
                                                        starts[p].second, k)})
                .getResult();
          },
          shape.depth());
      return;
    }
    emitChannelBlocks(
        b, l, n, coordinates,
        [&](OpBuilder &ib, Location il, Value run, Value g, int64_t h,
            int64_t p, int64_t lane) {
          Value k = arith::AddIOp::create(
              ib, il, starts[p].second,
              addIndex(ib, il,
                       arith::MulIOp::create(ib, il, g,
                                             constantIndex(ib, il, 4)),
                       h + 2 * lane));
          Value row = runs == 1 ? starts[p].first
                                : arith::AddIOp::create(ib, il,
                                                        starts[p].first, run)
                                      .getResult();
          return memref::LoadOp::create(ib, il, rows, ValueRange{row, k})
              .getResult();
        },
        InputMode::Rows);
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
  bool vector = operands.getTarget().vectorMac;
  std::optional<int64_t> inputZp = getIntConstant(operands, 3);
  std::optional<int64_t> weightZp = getIntConstant(operands, 4);
  Value input = operands.getMemRef(0), weights = operands.getMemRef(1),
        bias = operands.getMemRef(2);
  if (!inputZp || weightZp != 0 || !input || !weights || !bias)
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

  // Weights sliced along the output channels (or whole), or, in an
  // accumulating group, along the input channels.
  std::optional<ConstantSlice> slice = getConstantSlice(builder, loc, weights);
  bool inputSlices = false;
  if (!slice && shape.depth() >= kMinInputSliceDepth) {
    slice = getConstantSlice(builder, loc, weights, /*dim=*/3);
    inputSlices = slice.has_value();
  }
  if (!slice)
    return std::nullopt;

  // Input rows read in place: a fully connected layer (one output whose
  // window is the whole input, [N, K]), or, with few output channels, which
  // would not amortise copying their inputs to the buffer, or too deep for
  // the buffer to hold one pixel (zoo MCUNet's 1x1 convolution over 1152
  // channels: 93.8 M estimated cycles through the generic kernel, 87.7 M
  // in place, two pixels by a channel pair; 88.6 M as a fully connected
  // layer's two pairs by one pixel), a 1x1
  // convolution ([N * H * W, C], a row per input pixel) or an unpadded one
  // whose kernel rows are runs of whole words ([N * H, W * C], a receptive
  // field is KH runs of KW * C inputs, one per input row).
  Value rows;
  int64_t runs = 1;
  std::function<std::pair<Value, Value>(OpBuilder &, Location, Value, Value,
                                        Value)>
      rowOf;
  bool fullyConnected = shape.pixels() == 1 && shape.depth() % 4 == 0 &&
                        !shape.isPadded() && shape.kernelH == shape.inputH &&
                        shape.kernelW == shape.inputW;
  bool pointwise = shape.kernelH == 1 && shape.kernelW == 1 &&
                   !shape.isPadded() && shape.channels % 4 == 0;
  bool kernelRuns = !pointwise && !shape.isPadded() &&
                    (shape.kernelW * shape.channels) % 4 == 0 &&
                    shape.dilation[0] == 1 && shape.dilation[1] == 1;
  auto indexOf = [](OpBuilder &b, Location l, Value v, int64_t factor,
                    Value plus) -> Value {
    return arith::AddIOp::create(
        b, l, arith::MulIOp::create(b, l, v, constantIndex(b, l, factor)),
        plus);
  };
  // A 1x1 convolution at stride 1: a block's pixels read consecutive rows,
  // which the DSP micro-kernels address from one pointer; over a shallow
  // input (MicroKernels.h: kMaxStraightGroups) they unroll channel pairs and
  // single channels whole.
  bool consecutiveRows = pointwise && !fullyConnected && !vector &&
                         shape.stride[0] == 1 && shape.stride[1] == 1;
  bool straightRows =
      consecutiveRows && shape.groups() <= kMaxStraightGroups;
  if (fullyConnected) {
    rows = collapse(builder, loc, input, {{0}, {1, 2, 3}});
    rowOf = [](OpBuilder &b, Location l, Value n, Value, Value) {
      return std::pair<Value, Value>(n, constantIndex(b, l, 0));
    };
  } else if (pointwise &&
             (vector || shape.outputs <= kMaxPointwiseRowChannels ||
              (straightRows &&
               shape.outputs <= kMaxConsecutiveRowChannels) ||
              shape.bufferBytes(1, vector) > kMaxBufferBytes)) {
    rows = collapse(builder, loc, input, {{0, 1, 2}, {3}});
    rowOf = [&](OpBuilder &b, Location l, Value n, Value oh, Value ow) {
      Value ih = indexOf(b, l, n, shape.inputH,
                         arith::MulIOp::create(
                             b, l, oh, constantIndex(b, l, shape.stride[0])));
      Value pixel = indexOf(b, l, ih, shape.inputW,
                            arith::MulIOp::create(
                                b, l, ow,
                                constantIndex(b, l, shape.stride[1])));
      return std::pair<Value, Value>(pixel, constantIndex(b, l, 0));
    };
  } else if (!vector && kernelRuns && shape.outputs <= kMaxRunChannels) {
    rows = collapse(builder, loc, input, {{0, 1}, {2, 3}});
    runs = shape.kernelH;
    rowOf = [&](OpBuilder &b, Location l, Value n, Value oh, Value ow) {
      Value ih = indexOf(b, l, n, shape.inputH,
                         arith::MulIOp::create(
                             b, l, oh, constantIndex(b, l, shape.stride[0])));
      Value column = arith::MulIOp::create(
          b, l, ow, constantIndex(b, l, shape.stride[1] * shape.channels));
      return std::pair<Value, Value>(ih, column);
    };
  }
  int64_t blockPixels =
      std::min(vector ? kVectorMacPixels : kMaxMacPixels, shape.pixels());
  while (!rows && blockPixels > 0 &&
         shape.bufferBytes(blockPixels, vector) > kMaxBufferBytes)
    --blockPixels;
  // One output channel (a slice of partial execution's group loop) would
  // fill the buffer for its own products alone, once per slice: the
  // blocked-window kernel reads the input in place instead (estimated
  // cycles of zoo MobileNetV2-0.35's first convolution in 16 slices of one
  // channel: 7.17 M through the buffer, 4.09 M in place).
  if (!rows && shape.outputs == 1)
    return std::nullopt;
  if (!rows && blockPixels == 0)
    return std::nullopt;
  // Channels that do not fill words (an image's three) are copied to the
  // buffer a kernel row at a time, a word at a time (FieldOrder; estimated
  // cycles, vww_96_int8 14.53 M to 14.38 M, zoo MobileNetV2 27.39 M to
  // 27.22 M).
  FieldOrder order;
  Value inputRows;
  if (!rows && !vector && shape.channels % 4 != 0 &&
      shape.dilation[1] == 1 && shape.rowRun() >= kMinRunBytes) {
    inputRows = collapse(builder, loc, input, {{0}, {1}, {2, 3}});
    if (inputRows)
      order = FieldOrder{shape.rowRun(), shape.kernelH};
  }

  // Channels in pairs (padded to an even count per slice when that wastes
  // little), two pairs per half-step for a fully connected layer (more
  // channels share each input word), singles for one, three or five.
  // A slice at a fixed offset has a packed copy of its own; slices at run
  // time start at multiples of their width (partial execution's group
  // loops).
  int64_t globalOutputs = slice->value.getType().getDimSize(0);
  int64_t sliceWidth = inputSlices ? shape.channels : shape.outputs;
  std::optional<int64_t> fixedOffset = 0;
  for (OpFoldResult offset : slice->offsets) {
    std::optional<int64_t> constant = getConstantIntValue(offset);
    fixedOffset = constant && fixedOffset
                      ? std::optional<int64_t>(*fixedOffset + *constant)
                      : std::nullopt;
  }
  if (!fixedOffset && !isSliceAlignedTo(*slice, sliceWidth))
    return std::nullopt;
  int64_t first = fixedOffset.value_or(0);
  // One pixel per block (a fully connected layer, or receptive fields too
  // large for more in the buffer) shares each input word between two pairs.
  int64_t pairs = 0;
  if (shape.outputs % 2 == 0 || shape.outputs >= 7)
    pairs = (fullyConnected || blockPixels == 1) && shape.outputs % 4 == 0
                ? 2
                : 1;
  // Rows with pairs take two pixels (registers), singles three; when their
  // rows are consecutive, one pointer for all (and, for pairs, no loop
  // counter) frees the registers of one more (person_detect's one-channel
  // slices: 14.05 M estimated cycles with three, 13.90 M with four; its
  // four-channel slices of depth 16: 13.90 M through the buffer, 13.80 M
  // in place).
  int64_t rowStride = 0;
  SmallVector<int64_t> rowStrides;
  int64_t rowOffset;
  if (rows && consecutiveRows &&
      succeeded(cast<MemRefType>(rows.getType())
                    .getStridesAndOffset(rowStrides, rowOffset)) &&
      !ShapedType::isDynamic(rowStrides[0]) &&
      rowStrides[0] <= kMaxPixelStride)
    rowStride = rowStrides[0];
  // Consecutive rows of few groups: the micro-kernel unrolls the groups
  // (recorded on the marked loop), which frees a pixel's registers for
  // channel pairs, and saves single channels the counter and the branch
  // (person_detect's one-channel slices: -27,648 instructions).
  bool unrolledRows = rowStride > 0 && straightRows;
  if (rows && !fullyConnected && !vector)
    blockPixels = std::min<int64_t>(
        (pairs == 0 ? 3 : 2) +
            (rowStride > 0 && (pairs == 0 || unrolledRows) ? 1 : 0),
        shape.pixels());
  // Slices of the input channels are packed as slices of all output
  // channels of regrouped weights (regroupInputSlices).
  DenseElementsAttr packedSource =
      inputSlices ? regroupInputSlices(slice->value, sliceWidth, first)
                  : slice->value;
  int64_t packedFirst = inputSlices ? 0 : first;
  ChannelBlocks blocks{pairs, shape.outputs, packedFirst};
  if (vector)
    blocks = ChannelBlocks{0, shape.outputs, packedFirst,
                           blockPixels == 1 ? kVectorMacPixelChannels
                                            : kVectorMacChannels};
  // The kernel's slice among those from `first` on.
  Value sliceIndex = arith::DivUIOp::create(
      builder, loc,
      arith::SubIOp::create(builder, loc, slice->offset,
                            constantIndex(builder, loc, first)),
      constantIndex(builder, loc, sliceWidth));

  std::string sliceSuffix =
      ((inputSlices ? "_inputs" + Twine(sliceWidth)
        : shape.outputs == globalOutputs ? Twine("")
                                         : "_slices" + Twine(shape.outputs)) +
       (first == 0 ? Twine("") : "_from" + Twine(first)))
          .str();
  std::optional<FoldedBiases> biases =
      inputSlices
          ? FoldedBiases::getForInputSlices(
                builder, loc, packedSource,
                (slice->global.getSymName() + sliceSuffix).str(), bias,
                *inputZp,
                arith::MulIOp::create(builder, loc, sliceIndex,
                                      constantIndex(builder, loc,
                                                    shape.outputs)))
          : FoldedBiases::get(builder, loc, weights, bias, /*channelDim=*/0,
                              *inputZp, 0);
  if (!biases)
    return std::nullopt;
  std::string name =
      (slice->global.getSymName() +
       (vector       ? "_vectors" + Twine(blocks.perBlock())
        : pairs == 0 ? Twine("_singles")
                     : "_pairs" + Twine(pairs)) +
       sliceSuffix + (order.isRowMajor() ? "" : "_runs"))
          .str();
  memref::GlobalOp packed = getOrCreateConstant(
      slice->global, name, packWeights(packedSource, blocks, order), 4);
  Value packedWeights = memref::GetGlobalOp::create(
      builder, loc, packed.getType(), packed.getSymName());
  // The slice's first block.
  Value blockOffset = arith::MulIOp::create(
      builder, loc, sliceIndex,
      constantIndex(builder, loc, blocks.blocksPerSlice()));

  PackedConvolution emission(builder, loc, shape, operands, emitElement,
                             *biases, packedWeights, blockOffset, blocks, order,
                             inputRows);
  if (rows)
    emission.emitRowBlocks(fullyConnected ? 1 : blockPixels, rows, rowOf, runs,
                           rowStride, unrolledRows);
  else
    emission.emitIm2ColBlocks(blockPixels);
  return success();
}

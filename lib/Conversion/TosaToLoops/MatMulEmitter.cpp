//===- MatMulEmitter.cpp - tosa.matmul as a loop nest -----------*- C++ -*-===//
//
// TOSA's batched matrix product [N, H, C] x [N, C, W] -> [N, H, W]: attention's
// scores (queries times transposed keys) and context (probabilities times
// values). An int8 product is the singles micro-kernel of MicroKernels.h
// through an im2col buffer: the columns of B, P at a time, are the
// "pixels", copied down the columns (stride W, which no word load serves)
// into the int16 buffer with B's zero point subtracted, once for all the
// rows of A; each row of A, read in place four bytes a group, is the
// "channel". On DSP targets a group of four products per column is then
// one word of A extended once (SXTB16) for the P columns and two SMLADs per
// column, the columns' lanes extended once per block rather than once per
// row. A's zero point is taken out per column: sum (a - za)(b - zb) =
// sum a (b - zb) - za sum (b - zb), the second sum taken while copying.
// The last C % 4 products are a plain loop. Exact: only the order of the
// i32 sums changes. Other element types (float) read B in place, four
// output columns per reduction sharing each element of A's row, each sum
// in its order.
//
//===----------------------------------------------------------------------===//

#include "EmitterUtils.h"
#include "MicroKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Output columns of a float product computed together, sharing the
/// first operand's loads.
constexpr int64_t kBlockColumns = 4;
/// Products per group of the micro-kernels (one word of A).
constexpr int64_t kLanes = 4;
/// The columns' int16 buffers take at most this much stack, as a
/// convolution's im2col buffer.
constexpr int64_t kMaxBufferBytes = 2048;

bool isInt8Product(tosa::MatMulOp matmul) {
  auto elementType = [](Value value) {
    return cast<ShapedType>(value.getType()).getElementType();
  };
  return elementType(matmul.getA()).isInteger(8) &&
         elementType(matmul.getB()).isInteger(8) &&
         elementType(matmul.getResult()).isInteger(32);
}

/// The product reading both operands in place: kBlockColumns columns per
/// reduction over the depth, sharing each element of A's row (each sum
/// keeps its order), then the rest one by one.
void emitInPlace(tosa::MatMulOp matmul, OpBuilder &builder,
                 KernelOperands &operands, int64_t aZp, int64_t bZp,
                 ElementCallback emitElement) {
  Type accType = matmul.getType().getElementType();
  ArrayRef<int64_t> shape = matmul.getType().getShape();
  int64_t depth = matmul.getA().getType().getDimSize(2);
  int64_t blockedEnd = shape[2] - shape[2] % kBlockColumns;
  buildLoopNest(
      builder, matmul.getLoc(), shape.take_front(2),
      [&](OpBuilder &b, Location loc, ValueRange row) {
        Value n = row[0], h = row[1];
        auto emitColumns = [&](OpBuilder &cb, Location cl, Value first,
                               int64_t count) {
          Value zero = isa<FloatType>(accType)
                           ? constantFloat(cb, cl, accType, 0.0)
                           : constantInt(cb, cl, accType, 0);
          SmallVector<Value> cols, init(count, zero);
          for (int64_t j = 0; j < count; ++j)
            cols.push_back(addIndex(cb, cl, first, j));
          SmallVector<Value> sums = buildReductionNest(
              cb, cl, {depth}, init,
              [&](OpBuilder &rb, Location rl, ValueRange c,
                  ValueRange carried) {
                Value a = operands.load(rb, rl, 0, {n, h, c[0]});
                SmallVector<Value> next;
                for (auto [sum, col] : llvm::zip(carried, cols)) {
                  Value bValue = operands.load(rb, rl, 1, {n, c[0], col});
                  next.push_back(
                      multiplyAccumulate(rb, rl, sum, a, aZp, bValue, bZp));
                }
                return next;
              });
          for (auto [col, sum] : llvm::zip(cols, sums))
            emitElement(cb, cl, {n, h, col}, sum);
        };
        auto loopOverColumns = [&](int64_t begin, int64_t end, int64_t step) {
          if (begin == end)
            return;
          scf::ForOp::create(
              b, loc, constantIndex(b, loc, begin), constantIndex(b, loc, end),
              constantIndex(b, loc, step), ValueRange{},
              [&](OpBuilder &cb, Location cl, Value first, ValueRange) {
                emitColumns(cb, cl, first, step);
                scf::YieldOp::create(cb, cl);
              });
        };
        loopOverColumns(0, blockedEnd, kBlockColumns);
        loopOverColumns(blockedEnd, shape[2], 1);
      });
}

/// Bytes of the int16 buffer of `columns` columns over `groups` groups.
int64_t bufferBytes(int64_t groups, int64_t columns) {
  return groups * 2 * columns * 2 * 2;
}

/// The most columns per block (at most the micro-kernels' pixels) whose
/// buffer, and the last block's, fit the stack budget; 0 if none does.
int64_t chooseBlockColumns(int64_t groups, int64_t width) {
  for (int64_t columns = std::min(kMaxMacPixels, width); columns > 0; --columns)
    if (bufferBytes(groups, columns) + bufferBytes(groups, width % columns) <=
        kMaxBufferBytes)
      return columns;
  return 0;
}

/// The int8 product through the singles micro-kernel (file comment); `a` is
/// A's memref and `groups` = C / 4, `blockColumns` from chooseBlockColumns.
void emitInt8MatMul(tosa::MatMulOp matmul, OpBuilder &builder,
                    KernelOperands &operands, Value a, int64_t aZp, int64_t bZp,
                    int64_t groups, int64_t blockColumns,
                    ElementCallback emitElement) {
  Location loc = matmul.getLoc();
  ArrayRef<int64_t> shape = matmul.getType().getShape();
  int64_t batches = shape[0], rows = shape[1], width = shape[2];
  int64_t depth = matmul.getA().getType().getDimSize(2);
  int64_t packedDepth = groups * kLanes;
  Type i16 = builder.getI16Type(), i32 = builder.getI32Type();

  // A as rows of groups, [N * H, G, 4]: the micro-kernel's singles weights.
  Value aRows = memref::CollapseShapeOp::create(
      builder, loc, a, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  if (packedDepth < depth) {
    SmallVector<OpFoldResult> offsets(2, builder.getIndexAttr(0)),
        sizes{builder.getIndexAttr(batches * rows),
              builder.getIndexAttr(packedDepth)},
        strides(2, builder.getIndexAttr(1));
    aRows =
        memref::SubViewOp::create(builder, loc, aRows, offsets, sizes, strides);
  }
  aRows = memref::ExpandShapeOp::create(
      builder, loc, ArrayRef<int64_t>{batches * rows, groups, kLanes}, aRows,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}});

  // At the function's entry: an alloca inside the loops would grow the
  // stack every iteration.
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  auto allocateBuffer = [&](int64_t columns) {
    return memref::AllocaOp::create(
        entry, loc, MemRefType::get({groups, 2, columns, 2}, i16),
        builder.getI64IntegerAttr(4));
  };
  bool unrolled = groups <= kMaxStraightGroups;

  // Columns [first, first + columns) of batch n, through `buffer`.
  auto emitBlock = [&](OpBuilder &b, Location l, Value n, Value first,
                       int64_t columns, Value buffer) {
    SmallVector<Value> columnIndices;
    for (int64_t p = 0; p < columns; ++p)
      columnIndices.push_back(addIndex(b, l, first, p));
    // The copy: [g][h][p][lane] = b_p(4g + h + 2 lane) - zb, and each
    // column's sum of what it copied.
    SmallVector<Value> zeros(columns, constantInt(b, l, i32, 0));
    auto copy = scf::ForOp::create(
        b, l, constantIndex(b, l, 0), constantIndex(b, l, groups),
        constantIndex(b, l, 1), zeros,
        [&](OpBuilder &cb, Location cl, Value g, ValueRange carried) {
          SmallVector<Value> sums(carried);
          Value firstK =
              arith::MulIOp::create(cb, cl, g, constantIndex(cb, cl, kLanes));
          for (int64_t h = 0; h < 2; ++h)
            for (int64_t lane = 0; lane < 2; ++lane)
              for (int64_t p = 0; p < columns; ++p) {
                Value k = addIndex(cb, cl, firstK, h + 2 * lane);
                Value value = castInt(
                    cb, cl, operands.load(cb, cl, 1, {n, k, columnIndices[p]}),
                    i32);
                value = arith::SubIOp::create(cb, cl, value,
                                              constantInt(cb, cl, i32, bZp));
                memref::StoreOp::create(
                    cb, cl, arith::TruncIOp::create(cb, cl, i16, value), buffer,
                    getIm2ColIndices(cb, cl, g, h, p, lane));
                sums[p] = arith::AddIOp::create(cb, cl, sums[p], value);
              }
          scf::YieldOp::create(cb, cl, sums);
        });
    // Each row of A times the block's columns.
    SmallVector<Value> init;
    for (Value sum : copy.getResults())
      init.push_back(
          arith::MulIOp::create(b, l, sum, constantInt(b, l, i32, -aZp)));
    DictionaryAttr attr =
        getMacAttr(b, columns, /*pairs=*/0, /*rows=*/false, 0, 0, unrolled);
    scf::ForOp::create(
        b, l, constantIndex(b, l, 0), constantIndex(b, l, rows),
        constantIndex(b, l, 1), ValueRange{},
        [&](OpBuilder &rb, Location rl, Value h, ValueRange) {
          Value row = arith::AddIOp::create(
              rb, rl,
              arith::MulIOp::create(rb, rl, n, constantIndex(rb, rl, rows)), h);
          auto products = buildMacLoop(
              rb, rl, groups, init, attr,
              [&](OpBuilder &ib, Location il, Value g, int64_t half, int64_t p,
                  int64_t lane) {
                return memref::LoadOp::create(
                           ib, il, buffer,
                           getIm2ColIndices(ib, il, g, half, p, lane))
                    .getResult();
              },
              [&](OpBuilder &wb, Location wl, Value g, ArrayRef<int64_t> rest) {
                return memref::LoadOp::create(
                           wb, wl, aRows,
                           ValueRange{row, g, constantIndex(wb, wl, rest[0])})
                    .getResult();
              });
          SmallVector<Value> sums(products.getResults());
          // The last C % 4 products, both zero points subtracted.
          if (packedDepth < depth) {
            auto rest = scf::ForOp::create(
                rb, rl, constantIndex(rb, rl, packedDepth),
                constantIndex(rb, rl, depth), constantIndex(rb, rl, 1), sums,
                [&](OpBuilder &lb, Location ll, Value k, ValueRange carried) {
                  Value aValue = operands.load(lb, ll, 0, {n, h, k});
                  SmallVector<Value> next;
                  for (auto [p, sum] : llvm::enumerate(carried)) {
                    Value bValue =
                        operands.load(lb, ll, 1, {n, k, columnIndices[p]});
                    next.push_back(multiplyAccumulate(lb, ll, sum, aValue, aZp,
                                                      bValue, bZp));
                  }
                  scf::YieldOp::create(lb, ll, next);
                });
            sums.assign(rest.getResults().begin(), rest.getResults().end());
          }
          for (auto [p, sum] : llvm::enumerate(sums))
            emitElement(rb, rl, {n, h, columnIndices[p]}, sum);
          scf::YieldOp::create(rb, rl);
        });
  };

  int64_t blocked = width - width % blockColumns;
  Value buffer = allocateBuffer(blockColumns);
  Value lastBuffer =
      blocked < width ? allocateBuffer(width - blocked) : Value();
  buildLoopNest(
      builder, loc, {batches}, [&](OpBuilder &b, Location l, ValueRange batch) {
        Value n = batch[0];
        scf::ForOp::create(
            b, l, constantIndex(b, l, 0), constantIndex(b, l, blocked),
            constantIndex(b, l, blockColumns), ValueRange{},
            [&](OpBuilder &bb, Location bl, Value first, ValueRange) {
              emitBlock(bb, bl, n, first, blockColumns, buffer);
              scf::YieldOp::create(bb, bl);
            });
        if (lastBuffer)
          emitBlock(b, l, n, constantIndex(b, l, blocked), width - blocked,
                    lastBuffer);
      });
}

/// matmul [N, H, C] x [N, C, W] -> [N, H, W].
struct MatMulEmitter
    : KernelEmitterOpInterface::ExternalModel<MatMulEmitter, tosa::MatMulOp> {
  std::optional<int64_t> getMagnitudeBound(Operation *op,
                                           KernelOperands &operands) const {
    int64_t depth = cast<ShapedType>(op->getOperand(0).getType()).getDimSize(2);
    return getDotProductBound(op, operands, 0, 1, 2, /*bias=*/std::nullopt,
                              depth);
  }

  LogicalResult emitLoopNest(Operation *op, OpBuilder &builder,
                             KernelOperands &operands,
                             ElementCallback emitElement) const {
    auto matmul = cast<tosa::MatMulOp>(op);
    FailureOr<std::pair<int64_t, int64_t>> zeroPoints =
        getZeroPoints(op, operands, 2);
    if (failed(zeroPoints))
      return failure();
    int64_t aZp = zeroPoints->first, bZp = zeroPoints->second;
    auto outputType = cast<ShapedType>(matmul.getType());
    int64_t depth = cast<ShapedType>(matmul.getA().getType()).getDimSize(2);
    int64_t groups = depth / kLanes;
    Value a = operands.getMemRef(0);
    if (isInt8Product(matmul) && groups > 0 && a &&
        memref::CollapseShapeOp::isGuaranteedCollapsible(
            cast<MemRefType>(a.getType()), {{0, 1}, {2}})) {
      if (int64_t blockColumns =
              chooseBlockColumns(groups, outputType.getDimSize(2))) {
        emitInt8MatMul(matmul, builder, operands, a, aZp, bZp, groups,
                       blockColumns, emitElement);
        return success();
      }
    }
    emitInPlace(matmul, builder, operands, aZp, bZp, emitElement);
    return success();
  }
};

} // namespace

void emit::attachMatMulEmitter(MLIRContext *context) {
  tosa::MatMulOp::attachInterface<MatMulEmitter>(*context);
}

//===- MatMulEmitter.cpp - tosa.matmul as a loop nest -----------*- C++ -*-===//
//
// TOSA's batched matrix product [N, H, C] x [N, C, W] -> [N, H, W]: attention's
// scores (queries times transposed keys) and context (probabilities times
// values). An int8 product reads its second operand down the columns (stride
// W), which no word load serves, so the columns are copied transposed to the
// stack four at a time ([4, C]): both operands' reductions then run along
// consecutive bytes, and the four output columns of a row share each load of
// the row of A. The reduction over the first C - C % 4 products is a
// dot-product loop that pex-dual-multiply-accumulate computes with
// SXTB16/SMLAD on DSP targets (the zero points subtracted in 16-bit lanes);
// the last C % 4 products, and the last W % 4 columns, are plain loops.
// Exact: only the order of the i32 sums changes. Other element types (float)
// read B in place, four output columns per reduction sharing each element of
// A's row, each sum in its order.
//
//===----------------------------------------------------------------------===//

#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// Output columns computed together, sharing the first operand's loads.
constexpr int64_t kBlockColumns = 4;
/// Products per step of the packed dot-product loop (one word per operand).
constexpr int64_t kLanes = 4;
/// The transposed columns take at most this much stack, as an im2col buffer.
constexpr int64_t kMaxTransposedBytes = 2048;

bool isInt8Product(tosa::MatMulOp matmul) {
  auto elementType = [](Value value) {
    return cast<ShapedType>(value.getType()).getElementType();
  };
  return elementType(matmul.getA()).isInteger(8) &&
         elementType(matmul.getB()).isInteger(8) &&
         elementType(matmul.getResult()).isInteger(32);
}

/// The output's columns from `firstColumn` on, reading both operands in
/// place: `blockColumns` columns per reduction over the depth, sharing each
/// element of A's row (each sum keeps its order), then the rest one by one.
void emitInPlace(tosa::MatMulOp matmul, OpBuilder &builder,
                 KernelOperands &operands, int64_t aZp, int64_t bZp,
                 int64_t firstColumn, int64_t blockColumns,
                 ElementCallback emitElement) {
  Type accType = matmul.getType().getElementType();
  ArrayRef<int64_t> shape = matmul.getType().getShape();
  int64_t depth = matmul.getA().getType().getDimSize(2);
  int64_t blockedEnd =
      firstColumn + (shape[2] - firstColumn) / blockColumns * blockColumns;
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
        loopOverColumns(firstColumn, blockedEnd, blockColumns);
        loopOverColumns(blockedEnd, shape[2], 1);
      });
}

/// The int8 product by blocks of four columns of B, each copied transposed
/// to the stack ([4, C]: 4 C bytes) before the rows of A run over it.
void emitInt8MatMul(tosa::MatMulOp matmul, OpBuilder &builder,
                    KernelOperands &operands, int64_t aZp, int64_t bZp,
                    ElementCallback emitElement) {
  Location loc = matmul.getLoc();
  ArrayRef<int64_t> shape = matmul.getType().getShape();
  int64_t rows = shape[1], width = shape[2];
  int64_t depth = matmul.getA().getType().getDimSize(2);
  int64_t packedDepth = depth - depth % kLanes;
  int64_t blocked = width - width % kBlockColumns;
  Type i32 = builder.getI32Type();

  // At the function's entry: an alloca inside the loops would grow the
  // stack every iteration.
  auto function =
      builder.getInsertionBlock()->getParent()->getParentOfType<func::FuncOp>();
  OpBuilder entry = OpBuilder::atBlockBegin(&function.getBody().front());
  Value columns = memref::AllocaOp::create(
      entry, loc, MemRefType::get({kBlockColumns, depth}, builder.getI8Type()),
      builder.getI64IntegerAttr(4));

  buildLoopNest(
      builder, loc, {shape[0]},
      [&](OpBuilder &b, Location l, ValueRange batch) {
        Value n = batch[0];
        scf::ForOp::create(
            b, l, constantIndex(b, l, 0), constantIndex(b, l, blocked),
            constantIndex(b, l, kBlockColumns), ValueRange{},
            [&](OpBuilder &bb, Location bl, Value first, ValueRange) {
              buildLoopNest(
                  bb, bl, {depth, kBlockColumns},
                  [&](OpBuilder &cb, Location cl, ValueRange cj) {
                    Value value = operands.load(
                        cb, cl, 1,
                        {n, cj[0],
                         arith::AddIOp::create(cb, cl, first, cj[1])});
                    memref::StoreOp::create(cb, cl, value, columns,
                                            ValueRange{cj[1], cj[0]});
                  });
              buildLoopNest(
                  bb, bl, {rows},
                  [&](OpBuilder &rb, Location rl, ValueRange row) {
                    Value h = row[0];
                    SmallVector<Value> sums(kBlockColumns,
                                            constantInt(rb, rl, i32, 0));
                    // Products [lower, upper) of the block's columns, added to
                    // sums.
                    auto sumProducts = [&](int64_t lower, int64_t upper) {
                      if (lower == upper)
                        return;
                      auto loop = scf::ForOp::create(
                          rb, rl, constantIndex(rb, rl, lower),
                          constantIndex(rb, rl, upper),
                          constantIndex(rb, rl, 1), sums,
                          [&](OpBuilder &lb, Location ll, Value c,
                              ValueRange carried) {
                            Value a = operands.load(lb, ll, 0, {n, h, c});
                            SmallVector<Value> next;
                            for (auto [j, sum] : llvm::enumerate(carried)) {
                              Value bValue = memref::LoadOp::create(
                                  lb, ll, columns,
                                  ValueRange{constantIndex(lb, ll, j), c});
                              next.push_back(multiplyAccumulate(
                                  lb, ll, sum, a, aZp, bValue, bZp));
                            }
                            scf::YieldOp::create(lb, ll, next);
                          });
                      sums = SmallVector<Value>(loop.getResults());
                    };
                    sumProducts(0, packedDepth);
                    sumProducts(packedDepth, depth);
                    for (auto [j, sum] : llvm::enumerate(sums))
                      emitElement(rb, rl, {n, h, addIndex(rb, rl, first, j)},
                                  sum);
                  });
              scf::YieldOp::create(bb, bl);
            });
      });
  // The last width % 4 columns read B in place.
  if (blocked < width)
    emitInPlace(matmul, builder, operands, aZp, bZp, blocked,
                /*blockColumns=*/1, emitElement);
}

/// matmul [N, H, C] x [N, C, W] -> [N, H, W].
struct MatMulEmitter
    : KernelEmitterOpInterface::ExternalModel<MatMulEmitter, tosa::MatMulOp> {
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

    if (isInt8Product(matmul) && depth >= kLanes &&
        outputType.getDimSize(2) >= kBlockColumns &&
        kBlockColumns * depth <= kMaxTransposedBytes) {
      emitInt8MatMul(matmul, builder, operands, aZp, bZp, emitElement);
      return success();
    }
    emitInPlace(matmul, builder, operands, aZp, bZp, /*firstColumn=*/0,
                kBlockColumns, emitElement);
    return success();
  }
};

} // namespace

void emit::attachMatMulEmitter(MLIRContext *context) {
  tosa::MatMulOp::attachInterface<MatMulEmitter>(*context);
}

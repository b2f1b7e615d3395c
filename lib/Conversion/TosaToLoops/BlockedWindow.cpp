//===- BlockedWindow.cpp - Interior blocks and border of a window -*- C++ -*-===//

#include "BlockedWindow.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pex;
using namespace mlir::pex::emit;

namespace {

/// `scf.for` over [lb, ub) with `step` and no carried values.
void buildFor(OpBuilder &builder, Location loc, Value lb, Value ub,
              int64_t step,
              function_ref<void(OpBuilder &, Location, Value)> body) {
  scf::ForOp::create(builder, loc, lb, ub, constantIndex(builder, loc, step),
                     ValueRange{},
                     [&](OpBuilder &b, Location l, Value iv, ValueRange) {
                       body(b, l, iv);
                       scf::YieldOp::create(b, l);
                     });
}

Value addConstant(OpBuilder &builder, Location loc, Value value,
                  int64_t offset) {
  if (offset == 0)
    return value;
  return arith::AddIOp::create(builder, loc, value,
                               constantIndex(builder, loc, offset));
}

} // namespace

void emit::emitBlockedWindow(OpBuilder &builder, Location loc,
                             ArrayRef<int64_t> outputShape,
                             const Window &window, WindowBlocking blocking,
                             ChannelSetup setup, InteriorBlock interior,
                             BorderBlock border,
                             ElementCallback emitElement) {
  int64_t rows = outputShape[1], cols = outputShape[2];
  int64_t channels = outputShape[3], perBlock = blocking.channels;
  int64_t rowBegin, rowEnd, colBegin, colEnd;
  std::tie(rowBegin, rowEnd) = window.interior(0, rows);
  std::tie(colBegin, colEnd) = window.interior(1, cols);
  bool hasInterior = rowBegin < rowEnd && colBegin < colEnd;
  // Columns of an interior row: full blocks, then one narrower block.
  int64_t width = hasInterior ? colEnd - colBegin : 0;
  int64_t blocks = width / blocking.columns;
  int64_t remainder = width % blocking.columns;
  bool allRowsInside = rowBegin == 0 && rowEnd == rows;

  auto emitBlock = [&](OpBuilder &b, Location l, ValueRange out,
                       int64_t columns, ValueRange setupValues) {
    SmallVector<Value> accs = interior(b, l, out, columns, setupValues);
    for (int64_t column = 0; column < columns; ++column)
      for (int64_t channel = 0; channel < perBlock; ++channel)
        emitElement(b, l,
                    {out[0], out[1], addConstant(b, l, out[2], column),
                     addConstant(b, l, out[3], channel)},
                    accs[column * perBlock + channel]);
  };

  auto emitRow = [&](OpBuilder &b, Location l, Value n, Value oh, Value c,
                     ValueRange setupValues) {
    // Inside the interior rows, or null when every row is.
    Value rowInside;
    if (hasInterior && !allRowsInside) {
      Value low =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, oh,
                                constantIndex(b, l, rowBegin));
      Value high = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, oh,
                                         constantIndex(b, l, rowEnd));
      rowInside = arith::AndIOp::create(b, l, low, high);
    }
    auto whenInside = [&](Value inside, Value outside) {
      return rowInside ? arith::SelectOp::create(b, l, rowInside, inside,
                                                 outside)
                             .getResult()
                       : inside;
    };

    if (blocks > 0) {
      Value begin = constantIndex(b, l, colBegin);
      Value end = whenInside(
          constantIndex(b, l, colBegin + blocks * blocking.columns), begin);
      buildFor(b, l, begin, end, blocking.columns,
               [&](OpBuilder &fb, Location fl, Value ow) {
                 emitBlock(fb, fl, {n, oh, ow, c}, blocking.columns,
                           setupValues);
               });
    }
    if (remainder > 0) {
      Value ow = constantIndex(b, l, colBegin + blocks * blocking.columns);
      auto emitRemainder = [&](OpBuilder &rb, Location rl) {
        emitBlock(rb, rl, {n, oh, ow, c}, remainder, setupValues);
      };
      if (rowInside)
        scf::IfOp::create(b, l, rowInside,
                          [&](OpBuilder &tb, Location tl) {
                            emitRemainder(tb, tl);
                            scf::YieldOp::create(tb, tl);
                          });
      else
        emitRemainder(b, l);
    }

    // The border columns, in one loop: [0, colBegin) and, past the gap the
    // interior leaves, the rest of the row.
    if (allRowsInside && width == cols)
      return;
    Value gap = whenInside(constantIndex(b, l, width), constantIndex(b, l, 0));
    Value count =
        arith::SubIOp::create(b, l, constantIndex(b, l, cols), gap);
    buildFor(
        b, l, constantIndex(b, l, 0), count, 1,
        [&](OpBuilder &fb, Location fl, Value i) {
          Value ow = i;
          if (width > 0) {
            ow = arith::AddIOp::create(fb, fl, i, gap);
            if (colBegin > 0) {
              Value left = arith::CmpIOp::create(
                  fb, fl, arith::CmpIPredicate::slt, i,
                  constantIndex(fb, fl, colBegin));
              ow = arith::SelectOp::create(fb, fl, left, i, ow);
            }
          }
          SmallVector<Value> accs = border(fb, fl, {n, oh, ow, c});
          for (auto [channel, acc] : llvm::enumerate(accs))
            emitElement(fb, fl,
                        {n, oh, ow, addConstant(fb, fl, c, channel)}, acc);
        });
  };

  buildFor(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, outputShape[0]), 1,
      [&](OpBuilder &nb, Location nl, Value n) {
        buildFor(nb, nl, constantIndex(nb, nl, 0),
                 constantIndex(nb, nl, channels), perBlock,
                 [&](OpBuilder &cb, Location cl, Value c) {
                   SmallVector<Value> setupValues;
                   if (hasInterior)
                     setupValues = setup(cb, cl, n, c);
                   buildFor(cb, cl, constantIndex(cb, cl, 0),
                            constantIndex(cb, cl, rows), 1,
                            [&](OpBuilder &rb, Location rl, Value oh) {
                              emitRow(rb, rl, n, oh, c, setupValues);
                            });
                 });
      });
}

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
  // Columns of an interior row: full blocks, then one narrower block, and
  // the border columns on either side, each with the kernel columns it
  // reads inside the input.
  int64_t width = colEnd - colBegin;
  int64_t blocks = width / blocking.columns;
  int64_t remainder = width % blocking.columns;
  TapRange allTaps{0, window.getKernelW()};
  SmallVector<std::pair<int64_t, TapRange>> borderColumns;
  for (int64_t ow = 0; ow < cols; ++ow) {
    if (ow == colBegin)
      ow = colEnd;
    if (ow < cols) {
      auto [begin, end] = window.tapsInside(1, ow);
      borderColumns.push_back({ow, TapRange{begin, end}});
    }
  }
  // The tap ranges whose setup each channel block computes.
  SmallVector<TapRange> ranges{allTaps};
  for (auto &column : borderColumns)
    if (!llvm::is_contained(ranges, column.second))
      ranges.push_back(column.second);
  bool allRowsInside = rowBegin == 0 && rowEnd == rows;

  auto emitBlock = [&](OpBuilder &b, Location l, ValueRange out,
                       int64_t columns, TapRange taps,
                       ValueRange setupValues) {
    SmallVector<Value> accs =
        interior(b, l, out, columns, taps, setupValues);
    for (int64_t column = 0; column < columns; ++column)
      for (int64_t channel = 0; channel < perBlock; ++channel)
        emitElement(b, l,
                    {out[0], out[1], addConstant(b, l, out[2], column),
                     addConstant(b, l, out[3], channel)},
                    accs[column * perBlock + channel]);
  };

  auto emitCheckedRow = [&](OpBuilder &b, Location l, Value n, Value oh,
                            Value c) {
    buildFor(b, l, constantIndex(b, l, 0), constantIndex(b, l, cols), 1,
             [&](OpBuilder &fb, Location fl, Value ow) {
               SmallVector<Value> accs = border(fb, fl, {n, oh, ow, c});
               for (auto [channel, acc] : llvm::enumerate(accs))
                 emitElement(fb, fl,
                             {n, oh, ow, addConstant(fb, fl, c, channel)},
                             acc);
             });
  };

  auto emitInteriorRow = [&](OpBuilder &b, Location l, Value n, Value oh,
                             Value c, ArrayRef<SmallVector<Value>> setups) {
    auto setupOf = [&](TapRange taps) -> ValueRange {
      return setups[llvm::find(ranges, taps) - ranges.begin()];
    };
    if (blocks > 0)
      buildFor(b, l, constantIndex(b, l, colBegin),
               constantIndex(b, l, colBegin + blocks * blocking.columns),
               blocking.columns, [&](OpBuilder &fb, Location fl, Value ow) {
                 emitBlock(fb, fl, {n, oh, ow, c}, blocking.columns, allTaps,
                           setupOf(allTaps));
               });
    if (remainder > 0)
      emitBlock(b, l,
                {n, oh,
                 constantIndex(b, l, colBegin + blocks * blocking.columns), c},
                remainder, allTaps, setupOf(allTaps));
    for (auto [ow, taps] : borderColumns)
      emitBlock(b, l, {n, oh, constantIndex(b, l, ow), c}, 1, taps,
                setupOf(taps));
  };

  buildFor(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, outputShape[0]), 1,
      [&](OpBuilder &nb, Location nl, Value n) {
        buildFor(
            nb, nl, constantIndex(nb, nl, 0), constantIndex(nb, nl, channels),
            perBlock, [&](OpBuilder &cb, Location cl, Value c) {
              SmallVector<SmallVector<Value>> setups;
              if (hasInterior)
                for (TapRange taps : ranges)
                  setups.push_back(setup(cb, cl, n, c, taps));
              buildFor(
                  cb, cl, constantIndex(cb, cl, 0),
                  constantIndex(cb, cl, rows), 1,
                  [&](OpBuilder &rb, Location rl, Value oh) {
                    if (!hasInterior)
                      return emitCheckedRow(rb, rl, n, oh, c);
                    if (allRowsInside)
                      return emitInteriorRow(rb, rl, n, oh, c, setups);
                    Value low = arith::CmpIOp::create(
                        rb, rl, arith::CmpIPredicate::sge, oh,
                        constantIndex(rb, rl, rowBegin));
                    Value high = arith::CmpIOp::create(
                        rb, rl, arith::CmpIPredicate::slt, oh,
                        constantIndex(rb, rl, rowEnd));
                    scf::IfOp::create(
                        rb, rl, arith::AndIOp::create(rb, rl, low, high),
                        [&](OpBuilder &tb, Location tl) {
                          emitInteriorRow(tb, tl, n, oh, c, setups);
                          scf::YieldOp::create(tb, tl);
                        },
                        [&](OpBuilder &eb, Location el) {
                          emitCheckedRow(eb, el, n, oh, c);
                          scf::YieldOp::create(eb, el);
                        });
                  });
            });
      });
}

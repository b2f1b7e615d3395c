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

} // namespace

/// Border rows or columns per dimension above which the border is computed
/// one output at a time with each tap checked: each is a copy of the row or
/// column code.
constexpr int64_t kMaxBorderLines = 8;

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
  // The border rows and columns, each with the taps it reads inside.
  auto borderLines = [&](unsigned dim, int64_t size, int64_t begin,
                         int64_t end) {
    SmallVector<std::pair<int64_t, TapRange>> lines;
    for (int64_t o = 0; o < size; ++o)
      if (o < begin || o >= end) {
        auto [first, last] = window.tapsInside(dim, o);
        lines.push_back({o, TapRange{first, last}});
      }
    return lines;
  };
  SmallVector<std::pair<int64_t, TapRange>> borderRows =
      borderLines(0, rows, rowBegin, rowEnd);
  SmallVector<std::pair<int64_t, TapRange>> borderCols =
      borderLines(1, cols, colBegin, colEnd);
  bool checked = static_cast<int64_t>(borderRows.size()) > kMaxBorderLines ||
                 static_cast<int64_t>(borderCols.size()) > kMaxBorderLines;
  bool hasInterior = !checked && rowBegin < rowEnd && colBegin < colEnd;
  TapRange allRows{0, window.getKernelH()}, allCols{0, window.getKernelW()};
  // Columns inside: full blocks, then one narrower block.
  int64_t width = std::max<int64_t>(colEnd - colBegin, 0);
  int64_t blocks = width / blocking.columns;
  int64_t remainder = width % blocking.columns;

  auto emitBlock = [&](OpBuilder &b, Location l, ValueRange out,
                       int64_t columns, WindowTaps taps,
                       ValueRange setupValues) {
    SmallVector<Value> accs =
        interior(b, l, out, columns, taps, setupValues);
    for (int64_t column = 0; column < columns; ++column)
      for (int64_t channel = 0; channel < perBlock; ++channel)
        emitElement(b, l,
                    {out[0], out[1], addIndex(b, l, out[2], column),
                     addIndex(b, l, out[3], channel)},
                    accs[column * perBlock + channel]);
  };

  auto emitCheckedRow = [&](OpBuilder &b, Location l, Value n, Value oh,
                            Value c) {
    buildFor(b, l, constantIndex(b, l, 0), constantIndex(b, l, cols), 1,
             [&](OpBuilder &fb, Location fl, Value ow) {
               SmallVector<Value> accs = border(fb, fl, {n, oh, ow, c});
               for (auto [channel, acc] : llvm::enumerate(accs))
                 emitElement(fb, fl,
                             {n, oh, ow, addIndex(fb, fl, c, channel)},
                             acc);
             });
  };

  // A row reading kernel rows `rowTaps`: blocks over the columns inside,
  // then each border column.
  auto emitRow = [&](OpBuilder &b, Location l, Value n, Value oh, Value c,
                     TapRange rowTaps, ValueRange setupValues) {
    WindowTaps inside{rowTaps, allCols};
    if (blocks > 0)
      buildFor(b, l, constantIndex(b, l, colBegin),
               constantIndex(b, l, colBegin + blocks * blocking.columns),
               blocking.columns, [&](OpBuilder &fb, Location fl, Value ow) {
                 emitBlock(fb, fl, {n, oh, ow, c}, blocking.columns, inside,
                           setupValues);
               });
    // A row of one band (a stream's row kernel) without a loop over blocks
    // is straight-line code, where LLVM keeps the inputs the blocks share
    // in registers from the first block to the last and spills them: with
    // `separateRowBlocks`, a compiler barrier between the blocks makes each
    // read its own. (In a loop the barrier would keep loads from being
    // hoisted.)
    bool separateBlocks =
        blocking.separateRowBlocks && rows == 1 && blocks == 0;
    bool first = true;
    auto straightLineBlock = [&](ValueRange out, int64_t columns,
                                 WindowTaps taps) {
      if (separateBlocks && !first)
        emitCompilerBarrier(b, l);
      first = false;
      emitBlock(b, l, out, columns, taps, setupValues);
    };
    if (remainder > 0)
      straightLineBlock(
          {n, oh, constantIndex(b, l, colBegin + blocks * blocking.columns), c},
          remainder, inside);
    for (auto [ow, colTaps] : borderCols)
      straightLineBlock({n, oh, constantIndex(b, l, ow), c}, 1,
                        WindowTaps{rowTaps, colTaps});
  };

  buildFor(
      builder, loc, constantIndex(builder, loc, 0),
      constantIndex(builder, loc, outputShape[0]), 1,
      [&](OpBuilder &nb, Location nl, Value n) {
        buildFor(
            nb, nl, constantIndex(nb, nl, 0), constantIndex(nb, nl, channels),
            perBlock, [&](OpBuilder &cb, Location cl, Value c) {
              if (checked)
                return buildFor(cb, cl, constantIndex(cb, cl, 0),
                                constantIndex(cb, cl, rows), 1,
                                [&](OpBuilder &rb, Location rl, Value oh) {
                                  emitCheckedRow(rb, rl, n, oh, c);
                                });
              SmallVector<Value> setupValues;
              if (hasInterior)
                setupValues = setup(cb, cl, n, c);
              for (auto [oh, rowTaps] : borderRows)
                if (oh < rowBegin)
                  emitRow(cb, cl, n, constantIndex(cb, cl, oh), c, rowTaps,
                          setupValues);
              if (rowBegin < rowEnd)
                buildFor(cb, cl, constantIndex(cb, cl, rowBegin),
                         constantIndex(cb, cl, rowEnd), 1,
                         [&](OpBuilder &rb, Location rl, Value oh) {
                           emitRow(rb, rl, n, oh, c, allRows, setupValues);
                         });
              for (auto [oh, rowTaps] : borderRows)
                if (oh >= rowEnd)
                  emitRow(cb, cl, n, constantIndex(cb, cl, oh), c, rowTaps,
                          setupValues);
            });
      });
}

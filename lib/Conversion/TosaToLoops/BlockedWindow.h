//===- BlockedWindow.h - Interior blocks and border of a window -*- C++ -*-===//
//
// The loop structure of the multiply-accumulate window operators (conv2d,
// depthwise_conv2d) over an NHWC output. Output channels are the outer loop,
// in blocks, so whatever depends only on the channel (biases corrected for
// the input zero point, rescale parameters) is computed once per block rather
// than per pixel. The rows and columns where the window overhangs the input
// (the border) are few and known at compile time: each is emitted on its own
// with the kernel taps inside the input as constant loop bounds, so no block
// checks a tap. A row is computed in blocks of adjacent columns x channels
// with the accumulators in registers. Windows with an unusually wide border
// check every tap instead.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_BLOCKEDWINDOW_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_BLOCKEDWINDOW_H

#include "Window.h"

#include "pex/Interfaces/KernelEmitterOpInterface.h"

namespace mlir::pex::emit {

/// How many outputs an interior block computes together.
struct WindowBlocking {
  /// Output channels per block; divides the channel count.
  int64_t channels = 1;
  /// Adjacent output columns per interior block (a row's last interior
  /// columns form a narrower block).
  int64_t columns = 1;
  /// Whether the blocks of a single straight-line row (a stream's row
  /// kernel) each read their own inputs, behind compiler barriers, rather
  /// than share what LLVM would keep live (and spill) across them.
  bool separateRowBlocks = false;
};

/// Kernel taps [begin, end) along one dimension.
struct TapRange {
  int64_t begin, end;
};

/// The kernel taps a block reads: all of them in the interior; those inside
/// the input for an output of the border (the others read padding).
struct WindowTaps {
  TapRange rows, cols;
};

/// Values computed once per channel block at (n, first channel), handed to
/// every interior block that reads all taps.
using ChannelSetup = function_ref<SmallVector<Value>(
    OpBuilder &, Location, Value n, Value channel)>;
/// The accumulators of `columns` x `channels` outputs starting at
/// out = (n, oh, ow, c), reading kernel taps `taps`, all inside the input:
/// element [column * channels + channel]. `setup` holds the channel block's
/// values when the block reads all taps.
using InteriorBlock = function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange out, int64_t columns, WindowTaps taps,
    ValueRange setup)>;
/// The accumulators of the channel block's outputs at out = (n, oh, ow, c),
/// wherever they are (taps may fall outside the input).
using BorderBlock =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange out)>;

/// Emits the loops over `outputShape` (NHWC) and hands every output's
/// accumulator to `emitElement`.
void emitBlockedWindow(OpBuilder &builder, Location loc,
                       ArrayRef<int64_t> outputShape, const Window &window,
                       WindowBlocking blocking, ChannelSetup setup,
                       InteriorBlock interior, BorderBlock border,
                       ElementCallback emitElement);

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_BLOCKEDWINDOW_H

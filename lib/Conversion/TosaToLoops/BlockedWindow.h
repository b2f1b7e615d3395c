//===- BlockedWindow.h - Interior blocks and border of a window -*- C++ -*-===//
//
// The loop structure of the multiply-accumulate window operators (conv2d,
// depthwise_conv2d) over an NHWC output. Output channels are the outer loop,
// in blocks, so whatever depends only on the channel (biases corrected for
// the input zero point, rescale parameters) is computed once per block rather
// than per pixel. A row whose taps are all inside the input vertically is
// computed in blocks of adjacent columns x channels with the accumulators in
// registers and no bounds checks; its border columns, few and known at
// compile time, read only the kernel columns inside the input, also without
// checks. The other rows (the top and bottom border) are computed one column
// at a time with each tap checked.
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
};

/// Kernel columns (kw) [begin, end): all of them for the interior, those
/// inside the input for a border column of an interior row.
struct TapRange {
  int64_t begin, end;
  bool operator==(const TapRange &other) const {
    return begin == other.begin && end == other.end;
  }
};

/// Values computed once per channel block at (n, first channel) for blocks
/// reading kernel columns `taps`, handed to every such block.
using ChannelSetup = function_ref<SmallVector<Value>(
    OpBuilder &, Location, Value n, Value channel, TapRange taps)>;
/// The accumulators of `columns` x `channels` outputs starting at
/// out = (n, oh, ow, c), reading kernel columns `taps` (all inside the
/// input): element [column * channels + channel].
using InteriorBlock = function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange out, int64_t columns, TapRange taps,
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

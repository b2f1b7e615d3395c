//===- Window.h - 2-D windows of convolutions and pooling -------*- C++ -*-===//

#ifndef PEX_LIB_CONVERSION_TOSATOLOOPS_WINDOW_H
#define PEX_LIB_CONVERSION_TOSATOLOOPS_WINDOW_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::pex::emit {

/// The receptive field of an output element of a 2-D window operator over an
/// NHWC input (conv2d, depthwise_conv2d, avg_pool2d, max_pool2d).
class Window {
public:
  /// One kernel tap: its indices in the kernel and in the input.
  struct Tap {
    Value kernelH, kernelW, inputH, inputW;
  };
  using TapBody = function_ref<Value(OpBuilder &, Location, const Tap &,
                                     Value carried)>;
  using TapBlockBody = function_ref<SmallVector<Value>(
      OpBuilder &, Location, const Tap &, ValueRange carried)>;

  /// `pad` is [top, bottom, left, right].
  Window(ShapedType input, int64_t kernelH, int64_t kernelW,
         ArrayRef<int64_t> pad, ArrayRef<int64_t> stride,
         ArrayRef<int64_t> dilation)
      : inputH(input.getDimSize(1)), inputW(input.getDimSize(2)),
        kernelH(kernelH), kernelW(kernelW), pad(pad), stride(stride),
        dilation(dilation) {}
  /// A window without dilation (pooling).
  Window(ShapedType input, ArrayRef<int64_t> kernel, ArrayRef<int64_t> pad,
         ArrayRef<int64_t> stride)
      : Window(input, kernel[0], kernel[1], pad, stride, {1, 1}) {}

  bool isPadded() const {
    return llvm::any_of(pad, [](int64_t p) { return p != 0; });
  }
  int64_t getKernelH() const { return kernelH; }
  int64_t getKernelW() const { return kernelW; }

  /// Folds `body` over the taps of output (oh, ow) that fall inside the
  /// input, starting from `init`.
  Value accumulate(OpBuilder &builder, Location loc, Value oh, Value ow,
                   Value init, TapBody body) const;
  /// The same with several values carried (outputs of a channel block):
  /// each tap is checked once for all of them.
  SmallVector<Value> accumulate(OpBuilder &builder, Location loc, Value oh,
                                Value ow, ValueRange init,
                                TapBlockBody body) const;

  /// The number of taps of output (oh, ow) inside the input (index type).
  Value countInside(OpBuilder &builder, Location loc, Value oh,
                    Value ow) const;

  /// The outputs [begin, end) along dimension 0 (rows) or 1 (columns) of an
  /// output of `outputSize` whose taps all fall inside the input: they need
  /// no bounds checks. Empty (begin == end) when there are none.
  std::pair<int64_t, int64_t> interior(unsigned dim, int64_t outputSize) const;

  /// The taps [begin, end) along dimension 0 (kh) or 1 (kw) that output
  /// `output` of that dimension reads inside the input.
  std::pair<int64_t, int64_t> tapsInside(unsigned dim, int64_t output) const;

private:
  /// First input row/column read by output `out` along one dimension.
  Value origin(OpBuilder &builder, Location loc, Value out, int64_t s,
               int64_t before) const;

  int64_t inputH, inputW, kernelH, kernelW;
  SmallVector<int64_t, 4> pad, stride, dilation;
};

} // namespace mlir::pex::emit

#endif // PEX_LIB_CONVERSION_TOSATOLOOPS_WINDOW_H

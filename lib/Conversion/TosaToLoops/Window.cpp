//===- Window.cpp - 2-D windows of convolutions and pooling -----*- C++ -*-===//

#include "Window.h"
#include "EmitterUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pex::emit;

Value Window::origin(OpBuilder &builder, Location loc, Value out, int64_t s,
                     int64_t before) const {
  Value scaled =
      arith::MulIOp::create(builder, loc, out, constantIndex(builder, loc, s));
  return arith::SubIOp::create(builder, loc, scaled,
                               constantIndex(builder, loc, before));
}

Value Window::accumulate(OpBuilder &builder, Location loc, Value oh, Value ow,
                         Value init, TapBody body) const {
  return accumulate(builder, loc, oh, ow, ValueRange{init},
                    [&](OpBuilder &b, Location l, const Tap &tap,
                        ValueRange carried) {
                      return SmallVector<Value>{body(b, l, tap, carried[0])};
                    })[0];
}

SmallVector<Value> Window::accumulate(OpBuilder &builder, Location loc,
                                      Value oh, Value ow, ValueRange init,
                                      TapBlockBody body) const {
  Value originH = origin(builder, loc, oh, stride[0], pad[0]);
  Value originW = origin(builder, loc, ow, stride[1], pad[2]);
  return buildReductionNest(
      builder, loc, {kernelH, kernelW}, init,
      [&](OpBuilder &b, Location l, ValueRange taps, ValueRange carried) {
        auto at = [&](Value start, Value tap, int64_t d) {
          Value offset = arith::MulIOp::create(b, l, tap,
                                               constantIndex(b, l, d));
          return arith::AddIOp::create(b, l, start, offset).getResult();
        };
        Tap tap{taps[0], taps[1], at(originH, taps[0], dilation[0]),
                at(originW, taps[1], dilation[1])};
        if (!isPadded())
          return body(b, l, tap, carried);
        Value inside =
            buildInBounds(b, l, {tap.inputH, tap.inputW}, {inputH, inputW});
        return buildIfYield(b, l, inside, carried,
                            [&](OpBuilder &t, Location tl) {
                              return body(t, tl, tap, carried);
                            });
      });
}

Value Window::countInside(OpBuilder &builder, Location loc, Value oh,
                          Value ow) const {
  // Taps inside along one dimension: the window clipped to [0, size).
  auto inside = [&](Value out, int64_t s, int64_t before, int64_t kernel,
                    int64_t d, int64_t size) {
    Value start = origin(builder, loc, out, s, before);
    Value count = constantIndex(builder, loc, 0);
    for (int64_t k = 0; k < kernel; ++k) {
      Value position = arith::AddIOp::create(
          builder, loc, start, constantIndex(builder, loc, k * d));
      Value ok = buildInBounds(builder, loc, {position}, {size});
      Value one = arith::SelectOp::create(builder, loc, ok,
                                          constantIndex(builder, loc, 1),
                                          constantIndex(builder, loc, 0));
      count = arith::AddIOp::create(builder, loc, count, one);
    }
    return count;
  };
  Value rows = inside(oh, stride[0], pad[0], kernelH, dilation[0], inputH);
  Value cols = inside(ow, stride[1], pad[2], kernelW, dilation[1], inputW);
  return arith::MulIOp::create(builder, loc, rows, cols);
}

std::pair<int64_t, int64_t> Window::interior(unsigned dim,
                                             int64_t outputSize) const {
  int64_t s = stride[dim], before = pad[2 * dim], d = dilation[dim];
  int64_t kernel = dim == 0 ? kernelH : kernelW;
  int64_t size = dim == 0 ? inputH : inputW;
  // Output o reads o * s - before + t * d for t in [0, kernel).
  int64_t begin = std::min(llvm::divideCeilSigned(before, s), outputSize);
  int64_t last =
      llvm::divideFloorSigned(size - 1 + before - (kernel - 1) * d, s);
  int64_t end = std::clamp(last + 1, begin, outputSize);
  return {begin, end};
}

std::pair<int64_t, int64_t> Window::tapsInside(unsigned dim,
                                               int64_t output) const {
  int64_t start = output * stride[dim] - pad[2 * dim], d = dilation[dim];
  int64_t kernel = dim == 0 ? kernelH : kernelW;
  int64_t size = dim == 0 ? inputH : inputW;
  // start + t * d in [0, size).
  int64_t begin = std::clamp<int64_t>(llvm::divideCeilSigned(-start, d), 0,
                                      kernel);
  int64_t end = std::clamp<int64_t>(llvm::divideCeilSigned(size - start, d),
                                    begin, kernel);
  return {begin, end};
}

// RUN: pex-opt %s --pex-reorder="max-states=1 arena-io=true alignment=1" -verify-diagnostics -o /dev/null

// Two branches, so the first step of the search has two sets of operators:
// a beam of one truncates it, and the order found, above the lower bound, may
// not be the best (here it is; the search cannot know). With the default
// beam the search is exact and says nothing (reorder.mlir).
// expected-remark @+1 {{pex: the reordering search over 5 operators and groups kept 1 sets of operators per step (a beam): the order found peaks at 2432 bytes and may not be the best; no order is below 2304 bytes (raise max-states)}}
func.func @branches(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %wc = "tosa.const"() {values = dense<1.0> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %bc = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c1 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c1")
  %c2 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c2")
  // Constants defined late are hoisted so the reordered convolutions see them.
  %wd = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x32xf32>} : () -> tensor<2x1x1x32xf32>
  %bd = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %d1 = tosa.conv2d %c1, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d1")
  %d2 = tosa.conv2d %c2, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d2")
  %y = tosa.concat %d1, %d2 {axis = 3 : i32} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> loc("cat")
  return %y : tensor<1x4x4x4xf32>
}

// RUN: pex-opt %s --pex-reorder | FileCheck %s
// Found by pex.fuzz.mlir (test/Dialect/Pex/ops.mlir given to the default
// pipeline): a group reads the accumulator it writes, and with the
// accumulator among its results the scheduler took the group for its own
// predecessor, found no unit ready and took its order from an empty layer's
// uninitialised storage (pex-opt --pex-compile crashed in computeLiveness; the
// read is undefined, so it does not crash every time).

// CHECK-LABEL: func.func @group_returns_accumulator
// CHECK:       pex.group
// CHECK:       pex.partial_yield assemble
func.func @group_returns_accumulator(%x: tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x8xf32>} : () -> tensor<3x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y:2 = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    %ws = pex.slice %w[3] : tensor<3x1x1x8xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %c, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>) accumulate(%p : tensor<1x2x2x3xf32>)
  }
  return %y#0, %y#1 : tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>
}

// RUN: pex-opt %s -split-input-file --pex-partition="slices=2 alignment=1" | FileCheck %s

// Two slices of 10 channels: a loop of two iterations.
// CHECK-LABEL: func.func @even
// CHECK:       pex.group axis = 3, channels = 10, slices = 2
func.func @even(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x4xf32> {
  %w1 = "tosa.const"() {values = dense<0.5> : tensor<10x1x1x16xf32>} : () -> tensor<10x1x1x16xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<10xf32>} : () -> tensor<10xf32>
  %w2 = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x10xf32>} : () -> tensor<4x1x1x10xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<10x1x1x16xf32>, tensor<10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x10xf32>
  %c = tosa.clamp %e {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x10xf32>) -> tensor<1x8x8x10xf32>
  %y = tosa.conv2d %c, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x10xf32>, tensor<4x1x1x10xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// 9 channels in two slices would be one full slice (a loop of one iteration,
// which canonicalization unrolls) and a remainder: not a slice count the
// partitioner uses, so no group here.
// CHECK-LABEL: func.func @odd
// CHECK-NOT:   pex.group
func.func @odd(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x4xf32> {
  %w1 = "tosa.const"() {values = dense<0.5> : tensor<9x1x1x16xf32>} : () -> tensor<9x1x1x16xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<9xf32>} : () -> tensor<9xf32>
  %w2 = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x9xf32>} : () -> tensor<4x1x1x9xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<9x1x1x16xf32>, tensor<9xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x9xf32>
  %c = tosa.clamp %e {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x9xf32>) -> tensor<1x8x8x9xf32>
  %y = tosa.conv2d %c, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x9xf32>, tensor<4x1x1x9xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

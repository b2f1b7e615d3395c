// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s

// A float convolution's interior blocks are four output channels by four
// columns: sixteen accumulators (the FPU's 32 registers hold them with a
// block's four inputs and four weights), each input feeding four products
// and each weight four. Each output's sum keeps its order.
// CHECK-LABEL: func.func private @float_conv_k0_conv2d
// CHECK:         scf.for %{{.*}} = %c0 to %c8 step %c4 {
// CHECK:             scf.for %{{.*}} = %c0 to %c8 step %c4 {
// CHECK:               scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
func.func @float_conv(%x: memref<1x3x8x2xf32>, %w: memref<8x1x1x2xf32>, %b: memref<8xf32>, %y: memref<1x3x8x8xf32>) {
  pex.kernel ins(%x, %w, %b : memref<1x3x8x2xf32>, memref<8x1x1x2xf32>, memref<8xf32>) outs(%y : memref<1x3x8x8xf32>) {
  ^bb0(%xa: tensor<1x3x8x2xf32>, %wa: tensor<8x1x1x2xf32>, %ba: tensor<8xf32>, %out: tensor<1x3x8x8xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %r = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x8x2xf32>, tensor<8x1x1x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8x8xf32>
    pex.yield %r : tensor<1x3x8x8xf32>
  }
  return
}

// -----

// A fully connected layer (one output column) takes eight channels per
// block: each input loaded once for eight products (its weights are read
// once each whatever the block).
// CHECK-LABEL: func.func private @float_dense_k0_conv2d
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c8 {
// CHECK:           scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32)
func.func @float_dense(%x: memref<1x1x1x4xf32>, %w: memref<16x1x1x4xf32>, %b: memref<16xf32>, %y: memref<1x1x1x16xf32>) {
  pex.kernel ins(%x, %w, %b : memref<1x1x1x4xf32>, memref<16x1x1x4xf32>, memref<16xf32>) outs(%y : memref<1x1x1x16xf32>) {
  ^bb0(%xa: tensor<1x1x1x4xf32>, %wa: tensor<16x1x1x4xf32>, %ba: tensor<16xf32>, %out: tensor<1x1x1x16xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %r = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<16x1x1x4xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x16xf32>
    pex.yield %r : tensor<1x1x1x16xf32>
  }
  return
}

// RUN: pex-opt %s -split-input-file --canonicalize | FileCheck %s

// One group is a convolution; the planner's placement stays with it.
// CHECK-LABEL: func.func @one_group
// CHECK:       %[[C:.*]] = tosa.conv2d %arg0, {{.*}} {acc_type = i32, {{.*}}pad = array<i64: 1, 1, 1, 1>, pex.placement = #pex.placement<offset = 64, size = 512, live = [0, 1]>, stride = {{.*}} -> tensor<1x4x4x8xi32>
// CHECK-NOT:   pex.grouped_conv2d
// CHECK:       return %[[C]]
func.func @one_group(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi32> {
  %w = "tosa.const"() {values = dense<1> : tensor<8x3x3x8xi8>} : () -> tensor<8x3x3x8xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, pex.placement = #pex.placement<offset = 64, size = 512, live = [0, 1]>} : (tensor<1x4x4x8xi8>, tensor<8x3x3x8xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x8xi32>
  return %y : tensor<1x4x4x8xi32>
}

// -----

// Two groups stay a grouped convolution.
// CHECK-LABEL: func.func @two_groups
// CHECK:       pex.grouped_conv2d
// CHECK-NOT:   tosa.conv2d
func.func @two_groups(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi32> {
  %w = "tosa.const"() {values = dense<1> : tensor<8x3x3x4xi8>} : () -> tensor<8x3x3x4xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xi8>, tensor<8x3x3x4xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x8xi32>
  return %y : tensor<1x4x4x8xi32>
}

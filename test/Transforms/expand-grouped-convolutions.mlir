// RUN: pex-opt %s -split-input-file --pex-expand-grouped-convolutions | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-expand-grouped-convolutions --pex-lower-groups | FileCheck %s --check-prefix=LOWER

// A grouped convolution alone (4 groups of 4 channels, stride 2) with its
// int8 requantisation: one slice per group, the weights, bias and per-channel
// multipliers and shifts cut along the output channels, each group's int8
// result assembled into the output (no i32 tensor of the whole output).
// CHECK-LABEL: func.func @grouped_alone
// CHECK:       pex.group axis = 3, channels = 16, slices = 4 sliced(%arg0 : tensor<1x6x6x16xi8>) -> (tensor<1x3x3x16xi8>) {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<1x6x6x4xi8>):
// CHECK-NEXT:    %[[W:.*]] = pex.slice %{{.*}}[0] : tensor<16x3x3x4xi8> -> tensor<4x3x3x4xi8>
// CHECK-NEXT:    %[[B:.*]] = pex.slice %{{.*}}[0] : tensor<16xi32> -> tensor<4xi32>
// CHECK-NEXT:    %[[M:.*]] = pex.slice %{{.*}}[0] : tensor<16xi32> -> tensor<4xi32>
// CHECK-NEXT:    %[[S:.*]] = pex.slice %{{.*}}[0] : tensor<16xi8> -> tensor<4xi8>
// CHECK-NEXT:    %[[G:.*]] = pex.grouped_conv2d %[[X]], %[[W]], %[[B]], {{.*}} -> tensor<1x3x3x4xi32>
// CHECK-NEXT:    %[[Q:.*]] = tosa.rescale %[[G]], %[[M]], %[[S]], {{.*}} -> tensor<1x3x3x4xi8>
// CHECK-NEXT:    %[[C:.*]] = tosa.clamp %[[Q]] {{.*}} -> tensor<1x3x3x4xi8>
// CHECK-NEXT:    pex.partial_yield assemble(%[[C]] : tensor<1x3x3x4xi8>)
// Lowered, each group is a convolution of one group.
// LOWER-LABEL: func.func @grouped_alone
// LOWER:       scf.for %{{.*}} = %{{.*}} to %c4
// LOWER:         tosa.conv2d {{.*}} : (tensor<1x6x6x4xi8>, tensor<4x3x3x4xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x4xi32>
// LOWER-NOT:   pex.grouped_conv2d
func.func @grouped_alone(%x: tensor<1x6x6x16xi8>) -> tensor<1x3x3x16xi8> {
  %w = "tosa.const"() {values = dense<2> : tensor<16x3x3x4xi8>} : () -> tensor<16x3x3x4xi8>
  %b = "tosa.const"() {values = dense<-5> : tensor<16xi32>} : () -> tensor<16xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<16xi32>} : () -> tensor<16xi32>
  %s = "tosa.const"() {values = dense<36> : tensor<16xi8>} : () -> tensor<16xi8>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %g = pex.grouped_conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x6x6x16xi8>, tensor<16x3x3x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x16xi32>
  %q = tosa.rescale %g, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x3x3x16xi32>, tensor<16xi32>, tensor<16xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x3x3x16xi8>
  %c = tosa.clamp %q {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x3x3x16xi8>) -> tensor<1x3x3x16xi8>
  return %c : tensor<1x3x3x16xi8>
}

// -----

// A grouped convolution a group already cuts is left to pex-lower-groups.
// CHECK-LABEL: func.func @grouped_in_group
// CHECK:       pex.group axis = 3, channels = 8, slices = 2
// CHECK-NOT:   pex.group
// CHECK:       pex.grouped_conv2d {{.*}} -> tensor<1x4x4x4xf32>
// LOWER-LABEL: func.func @grouped_in_group
// LOWER:       tosa.conv2d {{.*}} -> tensor<1x4x4x4xf32>
// LOWER-NOT:   pex.grouped_conv2d
func.func @grouped_in_group(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x4x4x8xf32>) -> (tensor<1x4x4x8xf32>) {
  ^bb0(%s: tensor<1x4x4x4xf32>):
    %ws = pex.slice %w[0] : tensor<8x1x1x4xf32> -> tensor<4x1x1x4xf32>
    %bs = pex.slice %b[0] : tensor<8xf32> -> tensor<4xf32>
    %g = pex.grouped_conv2d %s, %ws, %bs, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
    pex.partial_yield assemble(%g : tensor<1x4x4x4xf32>)
  }
  return %y : tensor<1x4x4x8xf32>
}

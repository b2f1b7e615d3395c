// RUN: pex-opt %s --pex-partition="alignment=1" | FileCheck %s

// A ResNeXt bottleneck: a 1x1 expansion to 32 channels, a 3x3 convolution in
// 4 groups of 8 channels, a 1x1 projection. The grouped convolution is
// channel-local at a granularity of one group: the chain runs one group per
// slice (4 slices, whatever would be smallest for channels alone), and in a
// slice the grouped convolution has one group's input, weights and bias.
// CHECK-LABEL: func.func @expand_grouped_project
// CHECK-SAME:    pex.peak_before_partition = 4096
// CHECK:       pex.group axis = 3, channels = 32, slices = 4
// CHECK-DAG:     %[[W:.*]] = pex.slice %{{.*}}[0] : tensor<32x3x3x8xi8> -> tensor<8x3x3x8xi8>
// CHECK:         %[[E:.*]] = tosa.clamp {{.*}} -> tensor<1x8x8x8xi8>
// CHECK:         pex.grouped_conv2d %[[E]], %[[W]], {{.*}} : (tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8>, tensor<8xi32>, {{.*}}) -> tensor<1x8x8x8xi32>
func.func @expand_grouped_project(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<32x1x1x8xi8>} : () -> tensor<32x1x1x8xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<32xi32>} : () -> tensor<32xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<32x3x3x8xi8>} : () -> tensor<32x3x3x8xi8>
  %b2 = "tosa.const"() {values = dense<-5> : tensor<32xi32>} : () -> tensor<32xi32>
  %m2 = "tosa.const"() {values = dense<1073741824> : tensor<32xi32>} : () -> tensor<32xi32>
  %s2 = "tosa.const"() {values = dense<36> : tensor<32xi8>} : () -> tensor<32xi8>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x32xi8>} : () -> tensor<8x1x1x32xi8>
  %b3 = "tosa.const"() {values = dense<7> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<32x1x1x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %eq = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %ec = tosa.clamp %eq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x32xi8>) -> tensor<1x8x8x32xi8>
  %g = pex.grouped_conv2d %ec, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<32x3x3x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %gq = tosa.rescale %g, %m2, %s2, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<32xi32>, tensor<32xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %gc = tosa.clamp %gq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x32xi8>) -> tensor<1x8x8x32xi8>
  %p = tosa.conv2d %gc, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<8x1x1x32xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %y = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  return %y : tensor<1x8x8x8xi8>
}

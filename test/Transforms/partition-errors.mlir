// RUN: pex-opt %s -split-input-file --pex-partition="arena-budget=1000 alignment=1" -verify-diagnostics

// One channel per slice still needs the projection's 2048 B accumulator:
// 1000 B cannot be met, and the diagnostic names where the peak is (the
// depthwise convolution of a slice) and the largest tensor live there.
func.func @expand_filter_project(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<96xi32>} : () -> tensor<96xi32>
  %m1 = "tosa.const"() {values = dense<1073741824> : tensor<96xi32>} : () -> tensor<96xi32>
  %s1 = "tosa.const"() {values = dense<33> : tensor<96xi8>} : () -> tensor<96xi8>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x96x1xi8>} : () -> tensor<3x3x96x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x96xi8>} : () -> tensor<8x1x1x96xi8>
  %b3 = "tosa.const"() {values = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<96x1x1x16xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %eq = tosa.rescale %e, %m1, %s1, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<96xi32>, tensor<96xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %ec = tosa.clamp %eq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  // expected-error @+1 {{pex: arena budget of 1000 bytes cannot be met: the peak is 2176 bytes at tosa.depthwise_conv2d, where the largest live tensor is the accumulator of tosa.conv2d (2048 bytes)}}
  %d = tosa.depthwise_conv2d %ec, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<3x3x96x1xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %dc = tosa.clamp %dq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %p = tosa.conv2d %dc, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  return %pq : tensor<1x8x8x8xi8>
}

// -----

// A planned function's schedule is recorded (pex-plan-arena): partitioning it
// again would change what the placements were computed for.
// expected-error @+1 {{the function's arena is already planned (pex-plan-arena): the schedule can no longer change}}
func.func @planned(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> attributes {pex.arena = #pex.arena<size = 0, alignment = 16, peak = 0, lower_bound = 0>} {
  return %x : tensor<1x4x4x4xf32>
}

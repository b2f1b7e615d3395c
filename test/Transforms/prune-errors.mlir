// RUN: pex-opt %s -split-input-file --pex-prune="budget=500" -verify-diagnostics -o /dev/null

// The block of prune.mlir cannot fit 500 B: once every prunable class is at
// min-channels (4), the peak (576 B, at the expansion) has nothing left to
// remove, and pex-prune says so.
func.func @unreachable(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x4xi8> {
  %w0 = "tosa.const"() {values = dense<1> : tensor<16x1x1x8xi8>} : () -> tensor<16x1x1x8xi8>
  %b0 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %m0 = "tosa.const"() {values = dense<[1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824]> : tensor<16xi32>} : () -> tensor<16xi32>
  %s0 = "tosa.const"() {values = dense<33> : tensor<16xi8>} : () -> tensor<16xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<32x1x1x16xi8>} : () -> tensor<32x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<32xi32>} : () -> tensor<32xi32>
  %wd = "tosa.const"() {values = dense<1> : tensor<3x3x32x1xi8>} : () -> tensor<3x3x32x1xi8>
  %bd = "tosa.const"() {values = dense<0> : tensor<32xi32>} : () -> tensor<32xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<16x1x1x32xi8>} : () -> tensor<16x1x1x32xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %w3 = "tosa.const"() {values = dense<1> : tensor<4x1x1x16xi8>} : () -> tensor<4x1x1x16xi8>
  %b3 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<16x1x1x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %r = tosa.rescale %c0, %m0, %s0, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<16xi32>, tensor<16xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  // expected-error @+1 {{pex: memory budget of 500 bytes cannot be met by pruning: the peak of 576 bytes at tosa.conv2d has no channel left to remove (channels already at min-channels)}}
  %c1 = tosa.conv2d %r, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %e = tosa.rescale %c1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %d = tosa.depthwise_conv2d %e, %wd, %bd, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<3x3x32x1xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %c2 = tosa.conv2d %dq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<16x1x1x32xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %p = tosa.rescale %c2, %m, %s, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x8x8x16xi32>
  %rw = tosa.rescale %r, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x8x8x16xi32>
  %sum = tosa.add %rw, %p : (tensor<1x8x8x16xi32>, tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi32>
  %y = tosa.rescale %sum, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  %c3 = tosa.conv2d %y, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x1x1x16xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32>
  %out = tosa.rescale %c3, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x4xi8>
  return %out : tensor<1x8x8x4xi8>
}

// -----

// Pruning cannot take channels out of a grouped convolution's groups: the
// expansion's 32 channels are pinned by it, and nothing else can go.
func.func @grouped_channels_pinned(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8> {
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
  // expected-error @+1 {{pex: memory budget of 500 bytes cannot be met by pruning: the peak of 2560 bytes at tosa.conv2d has no channel left to remove (the model's input; pex.grouped_conv2d keeps whole groups of channels)}}
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

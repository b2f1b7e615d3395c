// RUN: pex-opt %s -split-input-file --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s

// The peak tensor is read by two convolutions: a chain continues into one
// reader only.
// CHECK-LABEL: pex memory report: @two_readers
// CHECK:       {{^}}whole at the peak: the result of tosa.rescale "t" (1024 bytes) is read by tosa.conv2d "a" and tosa.conv2d "b": a chain can continue into one reader only
func.func @two_readers(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x1x1x4xi8>} : () -> tensor<16x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<4x1x1x16xi8>} : () -> tensor<4x1x1x16xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %c = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("t")
  %t = tosa.rescale %c, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("t")
  %a = tosa.conv2d %t, %w2, %b2, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x1x1x16xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32> loc("a")
  %b = tosa.conv2d %t, %w2, %b2, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x1x1x16xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32> loc("b")
  %sum = tosa.add %a, %b : (tensor<1x8x8x4xi32>, tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32> loc("b")
  %y = tosa.rescale %sum, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x4xi8> loc("b")
  return %y : tensor<1x8x8x4xi8>
}

// -----

// A transpose that moves the channels is not channel-local, and it does not
// sum over them either.
// CHECK-LABEL: pex memory report: @not_channel_local
// CHECK:       {{^}}whole at the peak: the result of tosa.rescale "t" (1024 bytes): tosa.transpose "u" is not channel-local and does not sum over the channels of its input
func.func @not_channel_local(%x: tensor<1x8x8x4xi8>) -> tensor<1x16x8x8xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x1x1x4xi8>} : () -> tensor<16x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %c = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("t")
  %t = tosa.rescale %c, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("t")
  %u = tosa.transpose %t {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x16xi8>) -> tensor<1x16x8x8xi8> loc("u")
  return %u : tensor<1x16x8x8xi8>
}

// -----

// A 1x1 convolution to as many channels accumulates into i32: four times
// the int8 tensor it would save.
// CHECK-LABEL: pex memory report: @accumulator_too_large
// CHECK:       {{^}}whole at the peak: the result of tosa.rescale "t" (1024 bytes): splitting it needs an accumulator of 4096 bytes for tosa.conv2d "v", no less than the tensor
func.func @accumulator_too_large(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x16xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x1x1x4xi8>} : () -> tensor<16x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<16x1x1x16xi8>} : () -> tensor<16x1x1x16xi8>
  %c = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("t")
  %t = tosa.rescale %c, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("t")
  %v = tosa.conv2d %t, %w2, %b1, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<16x1x1x16xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("v")
  %y = tosa.rescale %v, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("v")
  return %y : tensor<1x8x8x16xi8>
}

// -----

// The convolution "v" and its residual add both read "t": one kernel reads it
// twice, which a slice of "t" cannot feed.
// CHECK-LABEL: pex memory report: @read_twice_by_one_kernel
// CHECK:       {{^}}whole at the peak: the result of tosa.conv2d "t" (1024 bytes) is read more than once by tosa.conv2d "v", which a slice of it cannot feed
func.func @read_twice_by_one_kernel(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32> {
  %zero = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<1.0> : tensor<16x1x1x8xf32>} : () -> tensor<16x1x1x8xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<16x1x1x16xf32>} : () -> tensor<16x1x1x16xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %t = tosa.conv2d %x, %w1, %b, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x1x1x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32> loc("t")
  %v = tosa.conv2d %t, %w2, %b, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32> loc("v")
  %s = tosa.add %v, %t : (tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> loc("s")
  return %s : tensor<1x4x4x16xf32>
}

// -----

// Two grouped convolutions of different group widths (4 groups of 8, then 2
// of 16): a slice of one group of the first holds half a group of the
// second, so no chain runs through both.
// CHECK-LABEL: pex memory report: @different_group_widths
// CHECK:       {{^}}whole at the peak: the result of tosa.rescale "g8" (2048 bytes): pex.grouped_conv2d "g8" cuts its channels in groups of 8 and pex.grouped_conv2d "g16" in groups of 16: no slice is whole groups of both
func.func @different_group_widths(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<32x1x1x8xi8>} : () -> tensor<32x1x1x8xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<32xi32>} : () -> tensor<32xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<32x3x3x8xi8>} : () -> tensor<32x3x3x8xi8>
  %w3 = "tosa.const"() {values = dense<-2> : tensor<32x3x3x16xi8>} : () -> tensor<32x3x3x16xi8>
  %b2 = "tosa.const"() {values = dense<-5> : tensor<32xi32>} : () -> tensor<32xi32>
  %w4 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x32xi8>} : () -> tensor<8x1x1x32xi8>
  %b4 = "tosa.const"() {values = dense<7> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<32x1x1x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("e")
  %eq = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8> loc("e")
  %g = pex.grouped_conv2d %eq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<32x3x3x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("g8")
  %gq = tosa.rescale %g, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8> loc("g8")
  %h = pex.grouped_conv2d %gq, %w3, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<32x3x3x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("g16")
  %hq = tosa.rescale %h, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8> loc("g16")
  %p = tosa.conv2d %hq, %w4, %b4, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<8x1x1x32xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32> loc("p")
  %y = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8> loc("p")
  return %y : tensor<1x8x8x8xi8>
}

// -----

// A group reading the tensor (attention's heads one per slice, here output
// channels) needs it whole before its first slice.
// CHECK-LABEL: pex memory report: @read_by_group
// CHECK:       {{^}}whole at the peak: the result of tosa.rescale "t" (1024 bytes) is read by pex.group "g", which needs it whole before its first iteration
func.func @read_by_group(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x1x1x4xi8>} : () -> tensor<16x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<4x1x1x16xi8>} : () -> tensor<4x1x1x16xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %c = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("t")
  %t = tosa.rescale %c, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("t")
  %g = pex.group axis = 3, channels = 4, slices = 2 whole(%t : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x4xi8>) {
  ^bb0(%a: tensor<1x8x8x16xi8>):
    %ws = pex.slice %w2[0] : tensor<4x1x1x16xi8> -> tensor<2x1x1x16xi8>
    %bs = pex.slice %b2[0] : tensor<4xi32> -> tensor<2xi32>
    %v = tosa.conv2d %a, %ws, %bs, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<2x1x1x16xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x2xi32> loc("v")
    %r = tosa.rescale %v, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x2xi8> loc("v")
    pex.partial_yield assemble(%r : tensor<1x8x8x2xi8>)
  } loc("g")
  return %g : tensor<1x8x8x4xi8>
}

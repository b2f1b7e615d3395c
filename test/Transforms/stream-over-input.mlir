// RUN: pex-opt %s -split-input-file --pex-stream="arena-io=true alignment=16" --pex-plan-arena="arena-io=true" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-stream="arena-io=true alignment=16" --pex-plan-arena="arena-io=true" --pex-lower-streams | FileCheck %s --check-prefix=LOWERED

// A stride-2 convolution and a depthwise convolution streamed over the
// model input (in the arena): by the time a result row is written, the
// input rows under it have been read for the last time, so the result
// starts at the input's first byte. The arena is the 1024-byte input and
// the convolution's 3-row line buffer (192 B), not 1024 + 512 + 192.
// CHECK-LABEL: func.func @downsample_filter
// CHECK-SAME:    %{{.*}}: tensor<1x16x8x8xi8> {pex.placement = #pex.placement<offset = 0, size = 1024, live = [0, 1]>}
// CHECK-SAME:    pex.arena = #pex.arena<size = 1216,
// CHECK:       pex.stream line_rows = [3]
// CHECK:       } {pex.over_consumed_input = 0 : i64, pex.placements = [#pex.placement<offset = 0, size = 512, live = [0, 2]>]}
// The lowering hands the permission to the result's storage, for
// pex-verify-arena.
// LOWERED-LABEL: func.func @downsample_filter
// LOWERED:       pex.buffer <offset = 0, size = 512, live = [0, 2]> {pex.over_consumed_input = 0 : i64} : tensor<1x8x4x16xi8>
func.func @downsample_filter(%x: tensor<1x16x8x8xi8>) -> tensor<1x8x4x1xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x8xi8>} : () -> tensor<16x3x3x8xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x16x1xi8>} : () -> tensor<3x3x16x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x16x8x8xi8>, tensor<16x3x3x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x4x16xi32>
  %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x4x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x4x16xi8>
  %d = tosa.depthwise_conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x4x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x4x16xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x4x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x4x16xi8>
  %max = tosa.reduce_max %dq {axis = 3 : i32} : (tensor<1x8x4x16xi8>) -> tensor<1x8x4x1xi8>
  return %max : tensor<1x8x4x1xi8>
}

// -----

// A stream reading a slice of its input (a view: its rows do not start at
// the buffer's first byte) does not write its result over the input; the
// stream alone would not lower the peak, so the chain is not streamed.
// CHECK-LABEL: func.func @downsample_filter_slice
// CHECK-NOT:   pex.over_consumed_input
// CHECK:       return
func.func @downsample_filter_slice(%whole: tensor<1x17x8x8xi8>) -> tensor<1x8x4x1xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x8xi8>} : () -> tensor<16x3x3x8xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x16x1xi8>} : () -> tensor<3x3x16x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %start = tosa.const_shape {values = dense<[0, 1, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 16, 8, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %x = tosa.slice %whole, %start, %size : (tensor<1x17x8x8xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x16x8x8xi8>
  %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x16x8x8xi8>, tensor<16x3x3x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x4x16xi32>
  %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x4x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x4x16xi8>
  %d = tosa.depthwise_conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x4x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x4x16xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x4x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x4x16xi8>
  %max = tosa.reduce_max %dq {axis = 3 : i32} : (tensor<1x8x4x16xi8>) -> tensor<1x8x4x1xi8>
  return %max : tensor<1x8x4x1xi8>
}

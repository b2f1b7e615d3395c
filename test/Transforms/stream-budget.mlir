// Under an arena budget, pex-stream adds streams only when the function
// does not fit without them, counting the channel splitting pex-partition
// will add (partial=true, the default): streams cost instructions.
// RUN: pex-opt %s --pex-stream="alignment=1 arena-budget=12288 partial=false" | FileCheck %s --check-prefix=FITS
// RUN: pex-opt %s --pex-stream="alignment=1 arena-budget=8000 partial=false" | FileCheck %s --check-prefix=STREAMED
// RUN: pex-opt %s --pex-stream="alignment=1 arena-budget=8000" | FileCheck %s --check-prefix=SPLIT
// RUN: pex-opt %s --pex-stream="alignment=1 arena-budget=2000" | FileCheck %s --check-prefix=STREAMED

// The whole intermediates peak at 12288 B: that budget needs no stream.
// FITS-LABEL: func.func @expand_filter_project
// FITS-NOT:   pex.stream
// Below it, without channel splitting, the chain streams (3072 B); so it
// does under a budget that neither meets (2000 B), the closest it gets.
// STREAMED-LABEL: func.func @expand_filter_project
// STREAMED:       pex.stream line_rows = [3, 1]
// Channel splitting alone reaches 2176 B: a budget of 8000 B needs no
// stream then.
// SPLIT-LABEL: func.func @expand_filter_project
// SPLIT-NOT:   pex.stream

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
  %d = tosa.depthwise_conv2d %ec, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<3x3x96x1xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %dc = tosa.clamp %dq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %p = tosa.conv2d %dc, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  return %pq : tensor<1x8x8x8xi8>
}


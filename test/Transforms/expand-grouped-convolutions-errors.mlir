// RUN: pex-opt %s -split-input-file --pex-expand-grouped-convolutions -verify-diagnostics

// ShuffleNet's narrowing 1x1 convolution: input groups of 8 channels, output
// groups of 4. A slice of input channels is not the same slice out.
func.func @unequal_groups(%x: tensor<1x4x4x32xf32>) -> tensor<1x4x4x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x1x1x8xf32>} : () -> tensor<16x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{has input groups of 8 channels and output groups of 4: only groups of equal width are supported}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<16x1x1x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// -----

// Row streams have no row-window model of a grouped convolution (pex-stream
// never puts one in a stream); one written into a stream is reported.
func.func @in_stream(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.stream line_rows = [1](%x : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  ^bb0(%xs: tensor<1x4x4x8xf32>):
    // expected-error @+1 {{cannot run in a row stream}}
    %c = pex.grouped_conv2d %xs, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
    pex.yield %c : tensor<1x4x4x8xf32>
  }
  return %y : tensor<1x4x4x8xf32>
}

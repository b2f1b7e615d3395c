// RUN: pex-opt %s -split-input-file --pex-lower-streams -verify-diagnostics

// The line buffers the planner counted are those the lowering makes.
func.func @wrong_line_rows(%x: tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  // expected-error @+1 {{the stream's line buffers differ from its schedule's}}
  %y = pex.stream line_rows = [2](%x : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xf32>):
    %r = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
    %p = tosa.max_pool2d %r {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
    pex.yield %p : tensor<1x6x4x2xf32>
  }
  return %y : tensor<1x6x4x2xf32>
}

// -----

// An operator that does not read rows through a window cannot be streamed.
func.func @not_a_window(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  // expected-error @+1 {{pex: cannot stream this chain: tosa.transpose does not compute rows from a window}}
  %y = pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %r = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    %t = tosa.transpose %r {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.yield %t : tensor<1x4x4x2xf32>
  }
  return %y : tensor<1x4x4x2xf32>
}

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

// -----

// A sum along rows has one row to give and is no window: nothing can
// follow it in a stream.
func.func @reduction_before_the_end(%x: tensor<1x4x4x2xf32>) -> tensor<1x1x4x2xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{pex: cannot stream this chain: tosa.reduce_sum reduces all rows: only a stream's last operator can}}
  %y = pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) -> tensor<1x1x4x2xf32> {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %s = tosa.reduce_sum %xs {axis = 1 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x1x4x2xf32>
    %c = tosa.conv2d %s, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x2xf32>
    pex.yield %c : tensor<1x1x4x2xf32>
  }
  return %y : tensor<1x1x4x2xf32>
}

// -----

// A planned stream whose last operator accumulates has its accumulator's
// storage recorded: the lowering does not invent it.
func.func @unplaced_accumulator(%x: tensor<1x4x4x2xi8>) -> tensor<1x1x1x2xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{pex: the stream's result is placed but not its accumulator}}
  %y = pex.stream line_rows = [1](%x : tensor<1x4x4x2xi8>) -> tensor<1x1x1x2xi8> {
  ^bb0(%xs: tensor<1x4x4x2xi8>):
    %r = tosa.clamp %xs {max_val = 6 : i8, min_val = 0 : i8} : (tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
    %p = tosa.avg_pool2d %r, %zp, %zp {acc_type = i32, kernel = array<i64: 4, 4>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 4, 4>} : (tensor<1x4x4x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x2xi8>
    pex.yield %p : tensor<1x1x1x2xi8>
  } {pex.placements = [#pex.placement<offset = 0, size = 16, live = [0, 1]>]}
  return %y : tensor<1x1x1x2xi8>
}

// -----

// A sum over columns keeps its rows but is no window over them: it does not
// stream.
func.func @column_sum(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x1x2xf32> {
  // expected-error @+1 {{pex: cannot stream this chain: tosa.reduce_sum does not compute rows from a window}}
  %y = pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) -> tensor<1x4x1x2xf32> {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %r = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x1x2xf32>
    pex.yield %s : tensor<1x4x1x2xf32>
  }
  return %y : tensor<1x4x1x2xf32>
}

// -----

// A stage may read the stream's input beside its window only row for row
// (a residual's skip): not broadcast over the channels.
func.func @skip_broadcast(%x: tensor<1x6x4x1xf32>) -> tensor<1x6x4x8xf32> {
  %w1 = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x1xf32>} : () -> tensor<8x1x1x1xf32>
  %w2 = "tosa.const"() {values = dense<0.5> : tensor<3x3x8x1xf32>} : () -> tensor<3x3x8x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{pex: cannot stream this chain: tosa.add reads the stream's input other than row for row}}
  %y = pex.stream line_rows = [3](%x : tensor<1x6x4x1xf32>) -> tensor<1x6x4x8xf32> {
  ^bb0(%xs: tensor<1x6x4x1xf32>):
    %e = tosa.conv2d %xs, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x4x1xf32>, tensor<8x1x1x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x4x8xf32>
    %d = tosa.depthwise_conv2d %e, %w2, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x4x8xf32>, tensor<3x3x8x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x4x8xf32>
    %a = tosa.add %d, %xs : (tensor<1x6x4x8xf32>, tensor<1x6x4x1xf32>) -> tensor<1x6x4x8xf32>
    pex.yield %a : tensor<1x6x4x8xf32>
  }
  return %y : tensor<1x6x4x8xf32>
}

// -----

// A row computed from padding alone (a bottom padding as deep as the
// window) has no window of input rows to stream.
func.func @padding_only_row(%x: tensor<1x6x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x3x3x2xf32>} : () -> tensor<2x3x3x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{pex: cannot stream this chain: tosa.conv2d computes rows from padding alone}}
  %y = pex.stream line_rows = [1](%x : tensor<1x6x4x2xf32>) -> tensor<1x4x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xf32>):
    %r = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
    %c = tosa.conv2d %r, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 3, 1, 1>, stride = array<i64: 2, 1>} : (tensor<1x6x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
    pex.yield %c : tensor<1x4x4x2xf32>
  }
  return %y : tensor<1x4x4x2xf32>
}

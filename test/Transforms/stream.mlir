// RUN: pex-opt %s -split-input-file --pex-stream="alignment=1" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-memory-report="alignment=1" --pex-stream="alignment=1" --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// An inverted residual block without its residual: the expansion to 96
// channels (6144 B at 8x8) never exists in full when the chain runs row by
// row: the depthwise convolution's window keeps 3 rows of it (2304 B) and
// the projection reads the depthwise output one row at a time (768 B).
// CHECK-LABEL: func.func @expand_filter_project
// CHECK:       pex.stream line_rows = [3, 1](%arg0 : tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi8> {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<1x8x8x16xi8>):
// CHECK-NEXT:    tosa.conv2d %[[X]]
// CHECK:         tosa.depthwise_conv2d
// CHECK:         tosa.conv2d
// CHECK:         %[[R:.*]] = tosa.rescale
// CHECK-NEXT:    pex.yield %[[R]] : tensor<1x8x8x8xi8>
// The peak falls from two whole intermediates to the line buffers, and the
// multiply-accumulates are the same.
// REPORT-LABEL: pex memory report: @expand_filter_project
// REPORT:       peak SRAM: 12288 bytes
// REPORT:       MACs: [[MACS:[0-9]+]]
// REPORT-LABEL: pex memory report: @expand_filter_project
// REPORT:       pex.stream
// REPORT-NEXT:    | row: tosa.conv2d
// REPORT:       peak SRAM: 3072 bytes
// REPORT:       MACs: [[MACS]]
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

// -----

// A residual add over the window's own input is one operator (the add is
// fused into the depthwise convolution): a chain of one operator is not
// worth a stream.
// CHECK-LABEL: func.func @residual
// CHECK-NOT:   pex.stream
func.func @residual(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf32>} : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %d = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %a = tosa.add %d, %x : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %a : tensor<1x8x8x16xf32>
}

// -----

// A global average pool ends a stream: it accumulates each row the
// expansion produces (a one-row line buffer and a 4-byte-per-channel
// accumulator) instead of reading the whole 8x8x64 expansion (4096 B).
// CHECK-LABEL: func.func @expand_then_global_pool
// CHECK:       pex.stream line_rows = [1](%arg0 : tensor<1x8x8x16xi8>) -> tensor<1x1x1x64xi8> {
// CHECK:         tosa.conv2d
// CHECK:         %[[POOL:.*]] = tosa.avg_pool2d
// CHECK-NEXT:    pex.yield %[[POOL]] : tensor<1x1x1x64xi8>
// The peak besides the input and output: the expansion, then its row
// (512 B) and the accumulator (256 B).
// REPORT-LABEL: pex memory report: @expand_then_global_pool
// REPORT:       peak SRAM: 4096 bytes
// REPORT-LABEL: pex memory report: @expand_then_global_pool
// REPORT:       pex.stream
// REPORT-NEXT:    | row: tosa.conv2d
// REPORT-NEXT:    | row: tosa.avg_pool2d
// REPORT:       peak SRAM: 768 bytes
func.func @expand_then_global_pool(%x: tensor<1x8x8x16xi8>) -> tensor<1x1x1x64xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<64x1x1x16xi8>} : () -> tensor<64x1x1x16xi8>
  %b = "tosa.const"() {values = dense<3> : tensor<64xi32>} : () -> tensor<64xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %pzp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<64x1x1x16xi8>, tensor<64xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x64xi32>
  %eq = tosa.rescale %e, %m, %s, %zp32, %pzp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x64xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x64xi8>
  %p = tosa.avg_pool2d %eq, %pzp, %pzp {acc_type = i32, kernel = array<i64: 8, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 8, 8>} : (tensor<1x8x8x64xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x64xi8>
  return %p : tensor<1x1x1x64xi8>
}

// -----

// A sum along rows ends a stream and accumulates in the stream's result
// (1x1x8x16 f32, 512 B): only a row of the convolution's output (512 B)
// exists beside it, not the whole 4096 B.
// CHECK-LABEL: func.func @filter_then_sum_rows
// CHECK:       pex.stream line_rows = [1](%arg0 : tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32> {
// CHECK:         tosa.depthwise_conv2d
// CHECK:         %[[SUM:.*]] = tosa.reduce_sum %{{.*}} {axis = 1 : i32}
// CHECK-NEXT:    pex.yield %[[SUM]] : tensor<1x1x8x16xf32>
// REPORT-LABEL: pex memory report: @filter_then_sum_rows
// REPORT:       peak SRAM: 4096 bytes
// REPORT-LABEL: pex memory report: @filter_then_sum_rows
// REPORT:       pex.stream
// REPORT:       peak SRAM: 512 bytes
func.func @filter_then_sum_rows(%x: tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf32>} : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %d = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %s = tosa.reduce_sum %d {axis = 1 : i32} : (tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32>
  return %s : tensor<1x1x8x16xf32>
}

// -----

// A global pool of f16 has no accumulator the row sums can use: it ends no
// stream by accumulating (it would be a window over all rows, which saves
// nothing).
// CHECK-LABEL: func.func @f16_global_pool
// CHECK-NOT:   pex.stream
func.func @f16_global_pool(%x: tensor<1x8x8x16xf16>) -> tensor<1x1x1x16xf16> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf16>} : () -> tensor<3x3x16x1xf16>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf16>} : () -> tensor<16xf16>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf16>} : () -> tensor<1xf16>
  %d = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f16, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf16>, tensor<3x3x16x1xf16>, tensor<16xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x8x8x16xf16>
  %p = tosa.avg_pool2d %d, %zp, %zp {acc_type = f16, kernel = array<i64: 8, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 8, 8>} : (tensor<1x8x8x16xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x1x1x16xf16>
  return %p : tensor<1x1x1x16xf16>
}

// -----

// The model input's rows read from the application (--io=stream) start the
// chain: the stream has no input, and the input exists only as a line
// buffer of the three rows the convolution's window reads (384 B instead
// of 1024 B).
// CHECK-LABEL: func.func @filter_filter_from_rows
// CHECK:       pex.stream line_rows = [3, 3]() -> tensor<1x8x8x16xi8> {
// CHECK-NEXT:    %[[X:.*]] = pex.read_rows
// CHECK-NEXT:    tosa.conv2d %[[X]]
// REPORT-LABEL: pex memory report: @filter_filter_from_rows
// REPORT:       peak SRAM: 2048 bytes
// REPORT-LABEL: pex memory report: @filter_filter_from_rows
// REPORT:       pex.stream
// REPORT-NEXT:    | row: pex.read_rows
// REPORT:       peak SRAM: 768 bytes
func.func @filter_filter_from_rows() -> tensor<1x8x8x16xi8> {
  %e = tensor.empty() : tensor<1x8x8x16xi8>
  %c0 = arith.constant 0 : index
  %x = pex.read_rows %e rows_from %c0 : tensor<1x8x8x16xi8> -> tensor<1x8x8x16xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x16xi8>} : () -> tensor<16x3x3x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x16x1xi8>} : () -> tensor<3x3x16x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  %d = tosa.depthwise_conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  return %dq : tensor<1x8x8x16xi8>
}

// -----

// An inverted residual block streamed skip and all: the residual add, fused
// into the projection, reads the stream's input at its own row, so neither
// the 16 KiB expansion nor its filtered twin exists in full (3 and 1 rows of
// line buffers) and the block's output is assembled row by row.
// CHECK-LABEL: func.func @inverted_residual
// CHECK:       pex.stream line_rows = [3, 1](%arg0 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<1x8x8x16xf32>):
// CHECK:         %[[P:.*]] = tosa.conv2d {{.*}} -> tensor<1x8x8x16xf32>
// CHECK-NEXT:    %[[A:.*]] = tosa.add %[[P]], %[[X]]
// CHECK-NEXT:    pex.yield %[[A]]
// REPORT-LABEL: pex memory report: @inverted_residual
// REPORT:       peak SRAM: 32768 bytes
// REPORT-LABEL: pex memory report: @inverted_residual
// REPORT:       peak SRAM: 8192 bytes
func.func @inverted_residual(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %w1 = "tosa.const"() {values = dense<0.25> : tensor<64x1x1x16xf32>} : () -> tensor<64x1x1x16xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<64xf32>} : () -> tensor<64xf32>
  %w2 = "tosa.const"() {values = dense<0.5> : tensor<3x3x64x1xf32>} : () -> tensor<3x3x64x1xf32>
  %w3 = "tosa.const"() {values = dense<-0.125> : tensor<16x1x1x64xf32>} : () -> tensor<16x1x1x64xf32>
  %b3 = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<64x1x1x16xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x64xf32>
  %ec = tosa.clamp %e {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %d = tosa.depthwise_conv2d %ec, %w2, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x64xf32>, tensor<3x3x64x1xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x64xf32>
  %dc = tosa.clamp %d {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %p = tosa.conv2d %dc, %w3, %b3, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x64xf32>, tensor<16x1x1x64xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %a = tosa.add %p, %x : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %a : tensor<1x8x8x16xf32>
}

// -----

// The model output's rows written to the application (--io=stream) end
// the chain: the stream has no result, and the output exists only as the
// one-row line buffer the projection's rows go out from (the input and the
// output both in rows: 576 B instead of 2048 B).
// CHECK-LABEL: func.func @filter_project_to_rows
// CHECK:       pex.stream line_rows = [3, 1, 1]() {
// CHECK-NEXT:    %[[X:.*]] = pex.read_rows
// CHECK:         tosa.conv2d %{{.*}}, {{.*}} -> tensor<1x8x8x8xi32>
// CHECK-NEXT:    %[[Y:.*]] = tosa.rescale
// CHECK-NEXT:    pex.write_rows %[[Y]] rows_from %{{.*}} : tensor<1x8x8x8xi8>
// CHECK-NEXT:    pex.yield{{$}}
// CHECK-NEXT:  }
// CHECK-NEXT:  return{{$}}
// REPORT-LABEL: pex memory report: @filter_project_to_rows
// REPORT:       3 512 pex.write_rows
// REPORT:       peak SRAM: 2048 bytes
// REPORT-LABEL: pex memory report: @filter_project_to_rows
// REPORT:       pex.stream
// REPORT-NEXT:    | row: pex.read_rows
// REPORT:         | row: pex.write_rows
// REPORT:       peak SRAM: 576 bytes
func.func @filter_project_to_rows() {
  %e = tensor.empty() : tensor<1x8x8x16xi8>
  %c0 = arith.constant 0 : index
  %x = pex.read_rows %e rows_from %c0 : tensor<1x8x8x16xi8> -> tensor<1x8x8x16xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x16xi8>} : () -> tensor<16x3x3x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<8x1x1x16xi8>} : () -> tensor<8x1x1x16xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  %p = tosa.conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<8x1x1x16xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  pex.write_rows %pq rows_from %c0 : tensor<1x8x8x8xi8>
  return
}

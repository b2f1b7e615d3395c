// RUN: pex-opt %s -split-input-file --pex-partition="alignment=1" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-memory-report="alignment=1" --pex-partition="alignment=1" --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MACS

// An inverted residual block without its residual: a 1x1 expansion to 96
// channels, a 3x3 depthwise convolution and a 1x1 projection to 8 channels.
// Unsplit, the two 96-channel tensors (6144 B each) peak at 12288 B. As a
// group, the projection accumulates into 8 x 8 x 8 i32 (2048 B) and each
// slice holds two slices of the 96-channel tensors: the fewer channels per
// slice, the smaller (one channel: 2048 + 2 x 64 = 2176 B).
// CHECK-LABEL: func.func @expand_filter_project
// CHECK-SAME:    pex.peak_before_partition = 12288
// CHECK:       %[[ZERO:.*]] = "tosa.const"() <{values = dense<0> : tensor<8xi32>}>
// CHECK:       pex.group axis = 3, channels = 96, slices = 96 whole(%arg0 : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x8xi8>) {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<1x8x8x16xi8>):
// The body first cuts the constants. The expansion computes one output
// channel: its weights, bias and per-channel multipliers and shifts are cut
// along the output channels; the depthwise convolution is channel-local (its
// weights are cut along C); the projection consumes the slice's input channel (its weights are cut along I) with a zero bias.
// CHECK-DAG:     %[[W1:.*]] = pex.slice %{{.*}}[0] : tensor<96x1x1x16xi8> -> tensor<1x1x1x16xi8>
// CHECK-DAG:     %[[B1:.*]] = pex.slice %{{.*}}[0] : tensor<96xi32> -> tensor<1xi32>
// CHECK-DAG:     %[[M1:.*]] = pex.slice %{{.*}}[0] : tensor<96xi32> -> tensor<1xi32>
// CHECK-DAG:     %[[W2:.*]] = pex.slice %{{.*}}[2] : tensor<3x3x96x1xi8> -> tensor<3x3x1x1xi8>
// CHECK-DAG:     %[[W3:.*]] = pex.slice %{{.*}}[3] : tensor<8x1x1x96xi8> -> tensor<8x1x1x1xi8>
// CHECK:         %[[E:.*]] = tosa.conv2d %[[X]], %[[W1]], %[[B1]], {{.*}} -> tensor<1x8x8x1xi32>
// CHECK:         %[[EQ:.*]] = tosa.rescale %[[E]], %[[M1]], {{.*}} -> tensor<1x8x8x1xi8>
// CHECK:         %[[EC:.*]] = tosa.clamp %[[EQ]] {{.*}} -> tensor<1x8x8x1xi8>
// CHECK:         %[[D:.*]] = tosa.depthwise_conv2d %[[EC]], %[[W2]], {{.*}} -> tensor<1x8x8x1xi32>
// CHECK:         %[[DC:.*]] = tosa.clamp {{.*}} -> tensor<1x8x8x1xi8>
// CHECK:         %[[P:.*]] = tosa.conv2d %[[DC]], %[[W3]], %[[ZERO]], {{.*}} -> tensor<1x8x8x8xi32>
// CHECK:         pex.partial_yield accumulate(%[[P]] : tensor<1x8x8x8xi32>)
// After the last slice: the bias, once, then the projection's rescale.
// CHECK:       } epilogue {
// CHECK-NEXT:  ^bb0(%[[ACC:.*]]: tensor<1x8x8x8xi32>, %{{.*}}: tensor<1x8x8x16xi8>):
// CHECK-NEXT:    %[[BIASED:.*]] = tosa.add %[[ACC]], %{{.*}} : (tensor<1x8x8x8xi32>, tensor<1x1x1x8xi32>) -> tensor<1x8x8x8xi32>
// CHECK-NEXT:    %[[R:.*]] = tosa.rescale %[[BIASED]]
// CHECK-NEXT:    pex.yield %[[R]] : tensor<1x8x8x8xi8>
// The multiply-accumulates are the same before and after.
// MACS-LABEL: pex memory report: @expand_filter_project
// MACS:       peak SRAM: 12288 bytes
// MACS:       MACs: [[MACS:[0-9]+]]
// MACS-LABEL: pex memory report: @expand_filter_project
// MACS:       pex.group
// MACS:       MACs: [[MACS]]
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

// With a 64-channel projection, accumulating it would take 8 x 8 x 64 i32
// (16384 B), more than the 96-channel int8 tensor it saves: the group ends
// before the projection and assembles the depthwise output slice by slice.
// CHECK-LABEL: func.func @wide_projection
// CHECK:       %[[G:.*]] = pex.group axis = 3, channels = 96
// CHECK-NOT:     tosa.conv2d {{.*}} -> tensor<1x8x8x64xi32>
// CHECK:         pex.partial_yield assemble(%{{.*}} : tensor<1x8x8x{{[0-9]+}}xi8>)
// CHECK-NEXT:  }
// CHECK-NEXT:  tosa.conv2d %[[G]], {{.*}} -> tensor<1x8x8x64xi32>
func.func @wide_projection(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x64xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<96xi32>} : () -> tensor<96xi32>
  %m1 = "tosa.const"() {values = dense<1073741824> : tensor<96xi32>} : () -> tensor<96xi32>
  %s1 = "tosa.const"() {values = dense<33> : tensor<96xi8>} : () -> tensor<96xi8>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x96x1xi8>} : () -> tensor<3x3x96x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<64x1x1x96xi8>} : () -> tensor<64x1x1x96xi8>
  %b3 = "tosa.const"() {values = dense<1> : tensor<64xi32>} : () -> tensor<64xi32>
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
  %p = tosa.conv2d %dc, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<64x1x1x96xi8>, tensor<64xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x64xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x64xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x64xi8>
  return %pq : tensor<1x8x8x64xi8>
}

// -----

// A depthwise convolution of a single input channel (TFLite's form of a first
// convolution on a grey image) computes any slice of its output channels
// from the whole input: it starts a group like a convolution, its weights cut
// along the channel multiplier. Unsplit, its 2048-byte output and the next
// depthwise output peak at 4096 B; the group assembles the second one slice
// by slice (2048 + 256 B).
// CHECK-LABEL: func.func @single_channel_stem
// CHECK-SAME:    pex.peak_before_partition = 4096
// CHECK:       pex.group axis = 3, channels = 8, slices = 8 whole(%arg0 : tensor<1x16x16x1xi8>) -> (tensor<1x16x16x8xi8>) {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<1x16x16x1xi8>):
// CHECK:         %[[W0:.*]] = pex.slice %{{.*}}[3] : tensor<3x3x1x8xi8> -> tensor<3x3x1x1xi8>
// CHECK:         %[[D0:.*]] = tosa.depthwise_conv2d %[[X]], %[[W0]], {{.*}} -> tensor<1x16x16x1xi32>
// CHECK:         tosa.depthwise_conv2d {{.*}} -> tensor<1x16x16x1xi32>
// CHECK:         pex.partial_yield assemble(%{{.*}} : tensor<1x16x16x1xi8>)
func.func @single_channel_stem(%x: tensor<1x16x16x1xi8>) -> tensor<1x16x16x4xi8> {
  %w0 = "tosa.const"() {values = dense<1> : tensor<3x3x1x8xi8>} : () -> tensor<3x3x1x8xi8>
  %b0 = "tosa.const"() {values = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>} : () -> tensor<8xi32>
  %w1 = "tosa.const"() {values = dense<2> : tensor<3x3x8x1xi8>} : () -> tensor<3x3x8x1xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %w2 = "tosa.const"() {values = dense<-1> : tensor<4x1x1x8xi8>} : () -> tensor<4x1x1x8xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %d0 = tosa.depthwise_conv2d %x, %w0, %b0, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x16x16x1xi8>, tensor<3x3x1x8xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x16x16x8xi32>
  %q0 = tosa.rescale %d0, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x8xi8>
  %d1 = tosa.depthwise_conv2d %q0, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x16x16x8xi8>, tensor<3x3x8x1xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x16x16x8xi32>
  %q1 = tosa.rescale %d1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x8xi8>
  %p = tosa.conv2d %q1, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x16x16x8xi8>, tensor<4x1x1x8xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x16x16x4xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x4xi8>
  return %pq : tensor<1x16x16x4xi8>
}

// -----

// The producer reads %x whole while the residual add reads its slices: one
// value, two block arguments, each operator given the one it cuts.
// CHECK-LABEL: func.func @producer_reads_whole_residual_reads_slices
// CHECK:       pex.group axis = 3, channels = 8, slices = {{[0-9]+}} whole(%[[X:[0-9]+]] : tensor<1x8x8x8xf32>) sliced(%[[X]] : tensor<1x8x8x8xf32>)
// CHECK-NEXT:  ^bb0(%[[WHOLE:.*]]: tensor<1x8x8x8xf32>, %[[SLICE:.*]]: tensor<1x8x8x1xf32>):
// CHECK:         %[[C:.*]] = tosa.conv2d %[[WHOLE]],
// CHECK:         tosa.add %[[C]], %[[SLICE]]
func.func @producer_reads_whole_residual_reads_slices(%in: tensor<1x8x8x8xf32>) -> tensor<1x1x1x4xf32> {
  %w0 = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %w1 = "tosa.const"() {values = dense<0.25> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %x = tosa.conv2d %in, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  %c = tosa.conv2d %x, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  %s = tosa.add %c, %x : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.avg_pool2d %s, %zp, %zp {acc_type = f32, kernel = array<i64: 8, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x8xf32>
  %y = tosa.conv2d %p, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  return %y : tensor<1x1x1x4xf32>
}

// -----

// A float leaky ReLU, max(x, 0.1 x), reads the convolution's result twice;
// the diamond fuses into the convolution's logical operator, so the chain
// convolution -> leaky ReLU -> max pool runs on channel slices.
// CHECK-LABEL: func.func @leaky_relu_diamond
// CHECK:       pex.group axis = 3, channels = 32
// CHECK:         %[[C:.*]] = tosa.conv2d {{.*}} -> tensor<1x8x8x{{[0-9]+}}xf32>
// CHECK:         %[[M:.*]] = tosa.mul %[[C]]
// CHECK:         %[[L:.*]] = tosa.maximum %[[C]], %[[M]]
// CHECK:         tosa.max_pool2d %[[L]]
func.func @leaky_relu_diamond(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %zero = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1.0> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x32xf32>} : () -> tensor<4x1x1x32xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %alpha = "tosa.const"() {values = dense<0.1> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %c = tosa.conv2d %x, %w1, %b1, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x32xf32>
  %m = tosa.mul %c, %alpha, %shift : (tensor<1x8x8x32xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x8x8x32xf32>
  %l = tosa.maximum %c, %m : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %p = tosa.max_pool2d %l {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x32xf32>) -> tensor<1x4x4x32xf32>
  %y = tosa.conv2d %p, %w2, %b2, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<4x1x1x32xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// x^9 by squaring (x^2, x^4, x^8, x^8 * x) reads the convolution's result at
// both ends of the chain and each square twice: the whole diamond fuses into
// the convolution's logical operator (the squares' edges too, or x^4 would
// sit between two of its members), and the chain runs on channel slices.
// CHECK-LABEL: func.func @power_by_squaring
// CHECK:       pex.group axis = 3, channels = 32
// CHECK:         %[[C:.*]] = tosa.conv2d {{.*}} -> tensor<1x8x8x{{[0-9]+}}xf32>
// CHECK:         %[[S2:.*]] = tosa.mul %[[C]], %[[C]]
// CHECK:         %[[S4:.*]] = tosa.mul %[[S2]], %[[S2]]
// CHECK:         %[[S8:.*]] = tosa.mul %[[S4]], %[[S4]]
// CHECK:         %[[P9:.*]] = tosa.mul %[[S8]], %[[C]]
// CHECK:         tosa.max_pool2d %[[P9]]
func.func @power_by_squaring(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %zero = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w1 = "tosa.const"() {values = dense<1.0> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x32xf32>} : () -> tensor<4x1x1x32xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %c = tosa.conv2d %x, %w1, %b1, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x32xf32>
  %s2 = tosa.mul %c, %c, %shift : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>, tensor<1xi8>) -> tensor<1x8x8x32xf32>
  %s4 = tosa.mul %s2, %s2, %shift : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>, tensor<1xi8>) -> tensor<1x8x8x32xf32>
  %s8 = tosa.mul %s4, %s4, %shift : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>, tensor<1xi8>) -> tensor<1x8x8x32xf32>
  %p9 = tosa.mul %s8, %c, %shift : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>, tensor<1xi8>) -> tensor<1x8x8x32xf32>
  %p = tosa.max_pool2d %p9 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x32xf32>) -> tensor<1x4x4x32xf32>
  %y = tosa.conv2d %p, %w2, %b2, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<4x1x1x32xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A reversal of the rows (torch.flip on H) is channel-local: it runs inside
// the group between the expansion and the projection, on a slice of the
// 96 channels.
// CHECK-LABEL: func.func @expand_flip_rows_project
// CHECK:       pex.group axis = 3, channels = 96
// CHECK:         tosa.reverse %{{.*}} {axis = 1 : i32} : (tensor<1x8x8x1xi8>) -> tensor<1x8x8x1xi8>
// CHECK:         pex.partial_yield accumulate
func.func @expand_flip_rows_project(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi32> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<96xi32>} : () -> tensor<96xi32>
  %m1 = "tosa.const"() {values = dense<1073741824> : tensor<96xi32>} : () -> tensor<96xi32>
  %s1 = "tosa.const"() {values = dense<33> : tensor<96xi8>} : () -> tensor<96xi8>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x96xi8>} : () -> tensor<8x1x1x96xi8>
  %b3 = "tosa.const"() {values = dense<1> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<96x1x1x16xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %eq = tosa.rescale %e, %m1, %s1, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<96xi32>, tensor<96xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %r = tosa.reverse %eq {axis = 1 : i32} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %p = tosa.conv2d %r, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  return %p : tensor<1x8x8x8xi32>
}

// -----

// Reversing the channels couples every output channel to another input
// channel: no group forms across it.
// CHECK-LABEL: func.func @expand_flip_channels_project
// CHECK-NOT:   pex.group
// CHECK:       tosa.reverse %{{.*}} {axis = 3 : i32} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
func.func @expand_flip_channels_project(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi32> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<96xi32>} : () -> tensor<96xi32>
  %m1 = "tosa.const"() {values = dense<1073741824> : tensor<96xi32>} : () -> tensor<96xi32>
  %s1 = "tosa.const"() {values = dense<33> : tensor<96xi8>} : () -> tensor<96xi8>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x96xi8>} : () -> tensor<8x1x1x96xi8>
  %b3 = "tosa.const"() {values = dense<1> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<96x1x1x16xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %eq = tosa.rescale %e, %m1, %s1, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<96xi32>, tensor<96xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %r = tosa.reverse %eq {axis = 3 : i32} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %p = tosa.conv2d %r, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  return %p : tensor<1x8x8x8xi32>
}

// -----

// A transposed convolution produces any slice of its output channels (its
// weights and bias cut along O): a decoder's upsampling to 64 channels, a
// ReLU and a 1x1 projection run as one group, the upsampled map never whole.
// CHECK-LABEL: func.func @upsample_relu_project
// CHECK:       pex.group axis = 3, channels = 64
// CHECK:         tosa.transpose_conv2d {{.*}} -> tensor<1x16x16x{{[0-9]+}}xf32>
// CHECK:         pex.partial_yield accumulate
// MACS-LABEL: pex memory report: @upsample_relu_project
// MACS:       MACs: 589824
// MACS-LABEL: pex memory report: @upsample_relu_project
// MACS:       peak SRAM: 5120 bytes
// MACS:       MACs: 589824
func.func @upsample_relu_project(%x: tensor<1x8x8x32xf32>) -> tensor<1x16x16x4xf32> {
  %w1 = "tosa.const"() {values = dense<0.5> : tensor<64x2x2x32xf32>} : () -> tensor<64x2x2x32xf32>
  %b1 = "tosa.const"() {values = dense<0.25> : tensor<64xf32>} : () -> tensor<64xf32>
  %w2 = "tosa.const"() {values = dense<-0.5> : tensor<4x1x1x64xf32>} : () -> tensor<4x1x1x64xf32>
  %b2 = "tosa.const"() {values = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %u = tosa.transpose_conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, out_pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x32xf32>, tensor<64x2x2x32xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x64xf32>
  %r = tosa.clamp %u {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xf32>
  %p = tosa.conv2d %r, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x16x16x64xf32>, tensor<4x1x1x64xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x4xf32>
  return %p : tensor<1x16x16x4xf32>
}

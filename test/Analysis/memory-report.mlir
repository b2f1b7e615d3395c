// RUN: pex-opt %s -split-input-file --pex-memory-report="arena-io=true alignment=1" -o /dev/null 2>&1 | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOIO

// A chain: input 256 B -> conv -> 512 B -> conv -> 256 B (returned).
// Step 0 holds the input and the first result (768 B); step 1 the first and
// second results (768 B). The int8 convolutions' i32 results are fused into
// their rescales and never stored.
// CHECK-LABEL: pex memory report: @chain
// CHECK:      0          768  tosa.conv2d "conv1"
// CHECK-SAME: <- peak
// CHECK-NEXT: 1          768  tosa.conv2d "conv2"
// CHECK:      peak SRAM: 768 bytes at step 0 (tosa.conv2d "conv1")
// CHECK-NEXT: lower bound: 768 bytes
// CHECK-NEXT: inputs and outputs: 512 bytes (counted)
// CHECK-NEXT: flash (constants): 122 bytes
// CHECK-NEXT: MACs: 4096
// Without the caller's input and output, only the 512 B tensor is in SRAM.
// NOIO-LABEL: pex memory report: @chain
// NOIO:       peak SRAM: 512 bytes at step 0
// NOIO-NEXT:  lower bound: 512 bytes
// NOIO-NEXT:  inputs and outputs: 512 bytes (not counted)
func.func @chain(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<8x1x1x4xi8>} : () -> tensor<8x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<4x1x1x8xi8>} : () -> tensor<4x1x1x8xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<8x1x1x4xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32> loc("conv1")
  %q1 = tosa.rescale %c1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  %r1 = tosa.clamp %q1 {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8>
  %c2 = tosa.conv2d %r1, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<4x1x1x8xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32> loc("conv2")
  %q2 = tosa.rescale %c2, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x4xi8>
  return %q2 : tensor<1x8x8x4xi8>
}

// -----

// Residual: the add (and its second operand's convolution) is one kernel that
// reads the block input x again: x 2048 + a 4096 + out 2048 at step 1.
// CHECK-LABEL: pex memory report: @residual
// CHECK:      0         6144  tosa.conv2d "expand"
// CHECK-NEXT: 1         8192  tosa.conv2d "project"
// CHECK-SAME: <- peak
// CHECK:      peak SRAM: 8192 bytes at step 1
// CHECK-NEXT: lower bound: 8192 bytes
func.func @residual(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %wa = "tosa.const"() {values = dense<1.0> : tensor<16x1x1x8xf32>} : () -> tensor<16x1x1x8xf32>
  %ba = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %wb = "tosa.const"() {values = dense<1.0> : tensor<8x1x1x16xf32>} : () -> tensor<8x1x1x16xf32>
  %bb = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<16x1x1x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32> loc("expand")
  %b = tosa.conv2d %a, %wb, %bb, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<8x1x1x16xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32> loc("project")
  %y = tosa.add %x, %b : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> loc("add")
  return %y : tensor<1x8x8x8xf32>
}

// -----

// Two branches joined by a concat, in the worst order: both wide tensors
// (2048 B each) are live together with the input at step 1.
// CHECK-LABEL: pex memory report: @branches
// CHECK:      0         2304  tosa.conv2d "c1"
// CHECK-NEXT: 1         4352  tosa.conv2d "c2"
// CHECK-NEXT: 2         4224  tosa.conv2d "d1"
// CHECK-NEXT: 3         2304  tosa.conv2d "d2"
// CHECK-NEXT: 4          512  tosa.concat "cat"
// CHECK:      peak SRAM: 4352 bytes at step 1
// CHECK-NEXT: lower bound: 2304 bytes
func.func @branches(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %wc = "tosa.const"() {values = dense<1.0> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %bc = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %wd = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x32xf32>} : () -> tensor<2x1x1x32xf32>
  %bd = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c1 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c1")
  %c2 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c2")
  %d1 = tosa.conv2d %c1, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d1")
  %d2 = tosa.conv2d %c2, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d2")
  %y = tosa.concat %d1, %d2 {axis = 3 : i32} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> loc("cat")
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A convolution with an element-wise epilogue (conv1 + add) writes over the
// other convolution's result, which dies there: step 1 holds 768 B instead
// of 1280 B.
// CHECK-LABEL: pex memory report: @in_place
// CHECK:      0          768  tosa.conv2d "conv1b"
// CHECK-NEXT: 1          768  tosa.conv2d "conv1"
// CHECK-NEXT: 2          768  tosa.conv2d "conv2"
// CHECK:      peak SRAM: 768 bytes at step 0
// CHECK-NEXT: lower bound: 768 bytes
func.func @in_place(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = "tosa.const"() {values = dense<1.0> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv1")
  %r = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv1b")
  %s = tosa.add %y, %r : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> loc("add")
  %z = tosa.conv2d %s, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("conv2")
  return %z : tensor<1x4x4x4xf32>
}

// -----

// A reshape is a view: the clamp reads the convolution's buffer through it.
// The clamp writes the function's output, so it cannot run in place.
// CHECK-LABEL: pex memory report: @reshape_is_a_view
// CHECK:      0          768  tosa.conv2d "conv"
// CHECK-NEXT: 1         1024  tosa.clamp "relu"
// CHECK:      peak SRAM: 1024 bytes at step 1
func.func @reshape_is_a_view(%x: tensor<1x4x4x4xf32>) -> tensor<1x128xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 128]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv")
  %f = tosa.reshape %y, %shape : (tensor<1x4x4x8xf32>, !tosa.shape<2>) -> tensor<1x128xf32>
  %r = tosa.clamp %f {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x128xf32>) -> tensor<1x128xf32> loc("relu")
  return %r : tensor<1x128xf32>
}

// -----

// A group that expands 16 to 96 channels in slices of 32 and accumulates the
// projection in i32: each slice holds x (1024 B), the i32 accumulator
// (6144 B) and a 32-channel int8 slice (2048 B); the epilogue holds the
// accumulator and the int8 result (1536 B).
// CHECK-LABEL: pex memory report: @group
// CHECK:      pex.group
// CHECK-NEXT: 0         9216    | slice: tosa.conv2d "expand"
// CHECK-SAME: <- peak
// CHECK-NEXT: 1         9216    | slice: tosa.conv2d "project"
// CHECK-NEXT: 2         7680    | after: tosa.rescale "requantise"
// CHECK:      peak SRAM: 9216 bytes at step 0
// CHECK-NEXT: lower bound: 9216 bytes
// CHECK:      MACs: 245760
func.func @group(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x24xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<24x1x1x96xi8>} : () -> tensor<24x1x1x96xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<24xi32>} : () -> tensor<24xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = pex.group axis = 3, channels = 96, slices = 3 whole(%x : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x24xi8>) {
  ^bb0(%xw: tensor<1x8x8x16xi8>):
    %w1s = pex.slice %w1[0] : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
    %b1s = pex.slice %b1[0] : tensor<96xi32> -> tensor<32xi32>
    %e = tosa.conv2d %xw, %w1s, %b1s, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("expand")
    %q = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
    %w2s = pex.slice %w2[3] : tensor<24x1x1x96xi8> -> tensor<24x1x1x32xi8>
    %p = tosa.conv2d %q, %w2s, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<24x1x1x32xi8>, tensor<24xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x24xi32> loc("project")
    pex.partial_yield accumulate(%p : tensor<1x8x8x24xi32>)
  } epilogue {
  ^bb0(%acc: tensor<1x8x8x24xi32>, %xw: tensor<1x8x8x16xi8>):
    %r = tosa.rescale %acc, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x24xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x24xi8> loc("requantise")
    pex.yield %r : tensor<1x8x8x24xi8>
  }
  return %y : tensor<1x8x8x24xi8>
}

// -----

// The lower bound is, per operator, the least it needs over all orders: the
// clamp may overwrite the tensor it reads (conv1's result) when the other
// reader, the branch's convolution, runs first, so the clamp needs 512 B, not
// 1024, and the bound is the peak of this order (it read 1024 while the
// schedule peaked at 576).
// NOIO-LABEL: pex memory report: @shared_input
// NOIO:       2          576  tosa.clamp "relu"
// NOIO:       peak SRAM: 576 bytes at step 1 (tosa.conv2d "branch")
// NOIO-NEXT:  lower bound: 576 bytes
func.func @shared_input(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x9xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<8x1x1x4xi8>} : () -> tensor<8x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<1x1x1x8xi8>} : () -> tensor<1x1x1x8xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<8x1x1x4xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32> loc("conv1")
  %t = tosa.rescale %c1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8> loc("conv1")
  %c2 = tosa.conv2d %t, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<1x1x1x8xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x1xi32> loc("branch")
  %a = tosa.rescale %c2, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x1xi8> loc("branch")
  %b = tosa.clamp %t {max_val = 100 : i8, min_val = 0 : i8} : (tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8> loc("relu")
  %y = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x8x8x1xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x9xi8> loc("concat")
  return %y : tensor<1x8x8x9xi8>
}

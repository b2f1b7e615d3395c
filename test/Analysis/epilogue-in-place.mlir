// RUN: pex-opt %s -split-input-file --pex-memory-report="arena-io=true alignment=1" -o /dev/null 2>&1 | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena --pex-tosa-to-kernels --pex-kernels-to-memref --pex-verify-arena | FileCheck %s --check-prefix=ARENA

// A group's epilogue computes its result over an operand that dies there, in
// the memory model (the live bytes of the "after" step) and in the buffers
// bufferization makes (no buffer of its own in the planned arena, whose size
// is the model's peak without the caller's input and output).

// An int8 residual epilogue writes the block's output over its whole input
// %a, which dies there: the epilogue step holds the i32 accumulator (4096 B)
// and one 1024 B buffer for %a and the result, not two. (%a is written over
// the model's input, which it reads element by element: 1024 B at step 0.)
// CHECK-LABEL: pex memory report: @residual_epilogue_in_place
// CHECK:      0         1024  tosa.clamp "relu"
// CHECK:      pex.group
// CHECK-NEXT: 1         7168    | slice: tosa.conv2d "expand"
// CHECK-NEXT: 2         7168    | slice: tosa.conv2d "project"
// CHECK-NEXT: 3         5120    | after: tosa.rescale "requantise"
// CHECK-NEXT: 4         2048  tosa.clamp "relu_out"
// Without the input and output: %a 1024 B, the accumulator 4096 B and a
// 2048 B slice, and nothing else.
// ARENA-LABEL: memref.global "private" @pex_arena : memref<7168xi8>
// ARENA-LABEL: func.func @residual_epilogue_in_place
// ARENA-COUNT-3: memref.view
// ARENA-NOT:     memref.view
func.func @residual_epilogue_in_place(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<16x1x1x96xi8>} : () -> tensor<16x1x1x96xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %a = tosa.clamp %x {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> loc("relu")
  %y = pex.group axis = 3, channels = 96, slices = 3 whole(%a : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x16xi8>) {
  ^bb0(%aw: tensor<1x8x8x16xi8>):
    %w1s = pex.slice %w1[0] : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
    %b1s = pex.slice %b1[0] : tensor<96xi32> -> tensor<32xi32>
    %e = tosa.conv2d %aw, %w1s, %b1s, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("expand")
    %q = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
    %w2s = pex.slice %w2[3] : tensor<16x1x1x96xi8> -> tensor<16x1x1x32xi8>
    %p = tosa.conv2d %q, %w2s, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<16x1x1x32xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("project")
    pex.partial_yield accumulate(%p : tensor<1x8x8x16xi32>)
  } epilogue {
  ^bb0(%acc: tensor<1x8x8x16xi32>, %aw: tensor<1x8x8x16xi8>):
    %r = tosa.rescale %acc, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("requantise")
    %r32 = tosa.rescale %r, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x8x8x16xi32>
    %a32 = tosa.rescale %aw, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x8x8x16xi32>
    %sum = tosa.add %r32, %a32 : (tensor<1x8x8x16xi32>, tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi32>
    %o = tosa.rescale %sum, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
    pex.yield %o : tensor<1x8x8x16xi8>
  }
  %z = tosa.clamp %y {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> loc("relu_out")
  return %z : tensor<1x8x8x16xi8>
}

// -----

// An f32 epilogue writes its result over the accumulator, which dies there:
// after the slices (input 4096 B, accumulator 4096 B, slice 8192 B) the
// epilogue step holds 4096 B.
// CHECK-LABEL: pex memory report: @f32_epilogue_over_accumulator
// CHECK:      pex.group
// CHECK-NEXT: 0        16384    | slice: tosa.conv2d "expand"
// CHECK-NEXT: 1        16384    | slice: tosa.conv2d "project"
// CHECK-NEXT: 2         4096    | after: tosa.clamp "relu6"
// CHECK-NEXT: 3         8192  tosa.clamp "relu_out"
// The accumulator 4096 B and a slice 8192 B, and nothing else.
// ARENA-LABEL: memref.global "private" @pex_arena : memref<12288xi8>
// ARENA-LABEL: func.func @f32_epilogue_over_accumulator
// ARENA-COUNT-2: memref.view
// ARENA-NOT:     memref.view
func.func @f32_epilogue_over_accumulator(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %w1 = "tosa.const"() {values = dense<1.0> : tensor<96x1x1x16xf32>} : () -> tensor<96x1x1x16xf32>
  %b1 = "tosa.const"() {values = dense<0.0> : tensor<96xf32>} : () -> tensor<96xf32>
  %w2 = "tosa.const"() {values = dense<1.0> : tensor<16x1x1x96xf32>} : () -> tensor<16x1x1x96xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.group axis = 3, channels = 96, slices = 3 whole(%x : tensor<1x8x8x16xf32>) -> (tensor<1x8x8x16xf32>) {
  ^bb0(%xw: tensor<1x8x8x16xf32>):
    %w1s = pex.slice %w1[0] : tensor<96x1x1x16xf32> -> tensor<32x1x1x16xf32>
    %b1s = pex.slice %b1[0] : tensor<96xf32> -> tensor<32xf32>
    %e = tosa.conv2d %xw, %w1s, %b1s, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<32x1x1x16xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x32xf32> loc("expand")
    %w2s = pex.slice %w2[3] : tensor<16x1x1x96xf32> -> tensor<16x1x1x32xf32>
    %p = tosa.conv2d %e, %w2s, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xf32>, tensor<16x1x1x32xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32> loc("project")
    pex.partial_yield accumulate(%p : tensor<1x8x8x16xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x8x8x16xf32>, %xw: tensor<1x8x8x16xf32>):
    %r = tosa.clamp %acc {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> loc("relu6")
    pex.yield %r : tensor<1x8x8x16xf32>
  }
  %z = tosa.clamp %y {max_val = 1.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> loc("relu_out")
  return %z : tensor<1x8x8x16xf32>
}

// RUN: pex-opt %s -split-input-file --pex-plan-arena | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true" | FileCheck %s --check-prefix=IO

// Three pools in a chain: the first result (64 B) and the second (16 B) are
// live together at the second pool, so they get distinct offsets; the third
// is the model's output, which the caller holds. Every placement records the
// buffer's exact size and its steps; the function records the arena.
// CHECK-LABEL: func.func @chain
// CHECK-SAME:    pex.arena = #pex.arena<size = 80, alignment = 16, peak = 80, lower_bound = 80>
// CHECK-SAME:    pex.first_fit_size = 80
// CHECK:       tosa.max_pool2d %arg0 {{.*}}pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1]>
// CHECK:       tosa.max_pool2d {{.*}}pex.placement = #pex.placement<offset = 64, size = 16, live = [1, 2]>
// CHECK:       %[[OUT:.*]] = tosa.max_pool2d
// CHECK-NOT:     pex.placement
// CHECK:       return %[[OUT]]
// With the arena holding the input and output, the input's bytes are
// reused once the first pool has read them, and the output's placement is
// a result attribute (bufferization makes it an output parameter).
// IO-LABEL:    func.func @chain
// IO-SAME:       {pex.placement = #pex.placement<offset = 0, size = 256, live = [0, 0]>}
// IO-SAME:       -> (tensor<1x1x1x1xf32> {pex.placement = #pex.placement<offset = [[OUT:[0-9]+]], size = 4, live = [2, 2]>})
// IO-SAME:       pex.arena = #pex.arena<size = 320, alignment = 16, peak = 320, lower_bound = 320>
// IO:          tosa.max_pool2d %arg0 {{.*}}pex.placement = #pex.placement<offset = 256, size = 64, live = [0, 1]>
// IO:          tosa.max_pool2d {{.*}}pex.placement = #pex.placement<offset = 0, size = 16, live = [1, 2]>
// IO:          tosa.max_pool2d {{.*}}pex.placement = #pex.placement<offset = [[OUT]], size = 4, live = [2, 2]>
func.func @chain(%x: tensor<1x8x8x1xf32>) -> tensor<1x1x1x1xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x1xf32>) -> tensor<1x4x4x1xf32>
  %b = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %c = tosa.max_pool2d %b {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  return %c : tensor<1x1x1x1xf32>
}

// -----

// The first pool fuses with the add into one kernel; the add's other operand
// dies there, so the kernel writes its result over it: the two share a
// placement (the same offset), which is how the lowering knows.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME:    pex.arena = #pex.arena<size = 256,
// CHECK:       tosa.max_pool2d %arg0
// CHECK-NOT:     pex.placement
// CHECK-SAME:    -> tensor<1x4x4x4xf32>
// CHECK:       tosa.max_pool2d %arg1 {{.*}}pex.placement = #pex.placement<offset = 0, size = 256, live = [0, 1]>
// CHECK:       tosa.add {{.*}}pex.placement = #pex.placement<offset = 0, size = 256, live = [1, 2]>
func.func @in_place(%x: tensor<1x8x8x4xf32>, %y: tensor<1x8x8x4xf32>) -> tensor<1x2x2x4xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %c = tosa.max_pool2d %y {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %r = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x4xf32>) -> tensor<1x2x2x4xf32>
  return %r : tensor<1x2x2x4xf32>
}

// -----

// A group's buffers: the slice of the expansion's result inside the body
// (on the operation computing it), the i32 accumulator and the int8 result
// (on the group). The slice and the result use the same bytes at different
// times.
// CHECK-LABEL: func.func @group
// CHECK-SAME:    pex.arena = #pex.arena<size = 320,
// CHECK:       pex.group
// CHECK:         tosa.rescale {{.*}}pex.placement = #pex.placement<offset = 256, size = 32, live = [0, 1]>
// CHECK:       } epilogue {
// CHECK:       } {pex.accumulator_placements = [#pex.placement<offset = 0, size = 256, live = [0, 2]>], pex.placements = [#pex.placement<offset = 256, size = 64, live = [2, 3]>]}
func.func @group(%x: tensor<1x4x4x4xi8>) -> tensor<1x2x2x4xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<8x1x1x4xi8>} : () -> tensor<8x1x1x4xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<4x1x1x8xi8>} : () -> tensor<4x1x1x8xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<1x1x1x4xi32>} : () -> tensor<1x1x1x4xi32>
  %zb = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = pex.group axis = 3, channels = 8, slices = 4 whole(%x : tensor<1x4x4x4xi8>) -> (tensor<1x4x4x4xi8>) {
  ^bb0(%xw: tensor<1x4x4x4xi8>):
    %w1s = pex.slice %w1[0] : tensor<8x1x1x4xi8> -> tensor<2x1x1x4xi8>
    %b1s = pex.slice %b1[0] : tensor<8xi32> -> tensor<2xi32>
    %w2s = pex.slice %w2[3] : tensor<4x1x1x8xi8> -> tensor<4x1x1x2xi8>
    %e = tosa.conv2d %xw, %w1s, %b1s, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
    %q = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4x4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x2xi8>
    %p = tosa.conv2d %q, %w2s, %zb, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<4x1x1x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
    pex.partial_yield accumulate(%p : tensor<1x4x4x4xi32>)
  } epilogue {
  ^bb0(%acc: tensor<1x4x4x4xi32>, %xe: tensor<1x4x4x4xi8>):
    %biased = tosa.add %acc, %b2 : (tensor<1x4x4x4xi32>, tensor<1x1x1x4xi32>) -> tensor<1x4x4x4xi32>
    %r = tosa.rescale %biased, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x4xi8>
    pex.yield %r : tensor<1x4x4x4xi8>
  }
  %o = tosa.max_pool2d %y {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x4xi8>) -> tensor<1x2x2x4xi8>
  return %o : tensor<1x2x2x4xi8>
}

// -----

// A function that returns its input: with the arena holding both, the
// output is a copy of its own, made after the last step.
// IO-LABEL:    func.func @returns_input
// IO-SAME:       %arg0: tensor<1x10xi8> {pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 10, live = [0, 0]>}
// IO-SAME:       -> (tensor<1x10xi8> {pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 10, live = [0, 0]>})
// IO-SAME:       pex.arena = #pex.arena<size = 32,
func.func @returns_input(%x: tensor<1x10xi8>) -> tensor<1x10xi8> {
  return %x : tensor<1x10xi8>
}

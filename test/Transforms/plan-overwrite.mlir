// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=16" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=16" --pex-lower-groups --pex-form-kernels | FileCheck %s --check-prefix=KERNEL
// RUN: pex-opt %s -split-input-file --pex-plan-arena="alignment=16" | FileCheck %s --check-prefix=CALLER

// A float model input quantised to int8 (the QuantizeLinear of a PyTorch or
// ONNX Runtime model): the int8 tensor is written over the float input it is
// read from, from its first byte, so the step quantising needs the input's
// 1024 bytes, not 1024 + 256. The permission goes on the operator computing
// the result, then on its storage, for pex-verify-arena.
// CHECK-LABEL: func.func @quantize_input
// CHECK-SAME:    {pex.placement = #pex.placement<offset = 0, size = 1024, live = [0, 0]>}
// CHECK-SAME:    pex.arena = #pex.arena<size = 1024,
// CHECK:       tosa.cast {{.*}}pex.over_consumed_input = 0 : i64, pex.placement = #pex.placement<offset = 0, size = 256, live = [0, 1]>
// KERNEL-LABEL: func.func @quantize_input
// KERNEL:       pex.buffer <offset = 0, size = 256, live = [0, 1]> {pex.over_consumed_input = 0 : i64} : tensor<1x8x8x4xi8>
// Without the input in the arena there is nothing to write over.
// CALLER-LABEL: func.func @quantize_input
// CALLER-NOT:   pex.over_consumed_input
func.func @quantize_input(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xi8> {
  %scale = "tosa.const"() {values = dense<16.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %zp = "tosa.const"() {values = dense<3.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %scaled = tosa.mul %x, %scale, %shift : (tensor<1x8x8x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x8x8x4xf32>
  %shifted = tosa.add %scaled, %zp : (tensor<1x8x8x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x8x8x4xf32>
  %q = tosa.cast %shifted : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xi8>
  %p = tosa.max_pool2d %q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %p : tensor<1x4x4x4xi8>
}

// -----

// The float input is read again after it is quantised: it does not die
// there, and the int8 tensor needs bytes of its own.
// CHECK-LABEL: func.func @input_read_later
// CHECK-NOT:   pex.over_consumed_input
// CHECK:       return
func.func @input_read_later(%x: tensor<1x8x8x4xf32>) -> (tensor<1x4x4x4xi8>, tensor<1x4x4x4xf32>) {
  %q = tosa.cast %x : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xi8>
  %p = tosa.max_pool2d %q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  %f = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  return %p, %f : tensor<1x4x4x4xi8>, tensor<1x4x4x4xf32>
}

// -----

// A widening cast (int8 to int32) writes further than it reads: its result
// has bytes of its own.
// CHECK-LABEL: func.func @widening
// CHECK-NOT:   pex.over_consumed_input
// CHECK:       return
func.func @widening(%x: tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi32> {
  %w = tosa.cast %x : (tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi32>
  %p = tosa.max_pool2d %w {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi32>) -> tensor<1x4x4x4xi32>
  return %p : tensor<1x4x4x4xi32>
}

// -----

// An element-wise operator of the model input's type: in place is for
// buffers the planner owns, so the result is written over the input as a
// buffer of its own at the input's offset (1280 bytes, not 2048);
// pex-form-kernels gives it that buffer, not the argument.
// CHECK-LABEL: func.func @clamp_input
// CHECK-SAME:    pex.arena = #pex.arena<size = 1280,
// CHECK:       tosa.clamp {{.*}}pex.over_consumed_input = 0 : i64, pex.placement = #pex.placement<offset = 0, size = 1024, live = [0, 1]>
// KERNEL-LABEL: func.func @clamp_input
// KERNEL:       %[[OUT:.*]] = pex.buffer <offset = 0, size = 1024, live = [0, 1]> {pex.over_consumed_input = 0 : i64} : tensor<1x8x8x4xf32>
// KERNEL:       pex.kernel ins(%arg0 : tensor<1x8x8x4xf32>) outs(%[[OUT]] : tensor<1x8x8x4xf32>)
func.func @clamp_input(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  return %p : tensor<1x4x4x4xf32>
}

// -----

// The input is also read through a view of its first row (broadcast over
// every row): writing row 0 would overwrite what later rows read, so the
// result gets bytes of its own.
// CHECK-LABEL: func.func @input_also_read_through_view
// CHECK-NOT:   pex.over_consumed_input
// CHECK:       return
func.func @input_also_read_through_view(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xi8> {
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 1, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %row = tosa.slice %x, %start, %size : (tensor<1x8x8x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x4xf32>
  %d = tosa.sub %x, %row : (tensor<1x8x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x8x8x4xf32>
  %q = tosa.cast %d : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xi8>
  %p = tosa.max_pool2d %q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %p : tensor<1x4x4x4xi8>
}

// -----

// An anchor's loops may visit channel blocks out of linear order: a
// convolution's fused requantisation is not written over its float input.
// CHECK-LABEL: func.func @anchor_excluded
// CHECK-NOT:   pex.over_consumed_input
// CHECK:       return
func.func @anchor_excluded(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xi8> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x4xf32>} : () -> tensor<4x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %q = tosa.cast %c : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xi8>
  %p = tosa.max_pool2d %q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %p : tensor<1x4x4x4xi8>
}

// -----

// In a partial-execution group, a slice's float temporary quantised to int8
// as it dies: the int8 temporary is written over it from its first byte
// (the same permission), as on the whole tensors.
// CHECK-LABEL: func.func @temporary_in_group
// CHECK:       %[[C:.*]] = tosa.conv2d {{.*}}pex.placement = #pex.placement<offset = [[OFF:[0-9]+]], size = 512, live = [0, 2]>
// CHECK:       tosa.cast {{.*}}pex.over_consumed_input = [[OFF]] : i64, pex.placement = #pex.placement<offset = [[OFF]], size = 128, live = [2, 3]>
// The same with the input and output outside the arena (temporaries are the
// planner's either way).
// CALLER-LABEL: func.func @temporary_in_group
// CALLER:       tosa.cast {{.*}}pex.over_consumed_input
// KERNEL-LABEL: func.func @temporary_in_group
// KERNEL:       pex.buffer <offset = {{[0-9]+}}, size = 128, live = [2, 3]> {pex.over_consumed_input = {{[0-9]+}} : i64} : tensor<1x8x8x2xi8>
func.func @temporary_in_group(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xi8> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<4x1x1x4xf32>} : () -> tensor<4x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %g = pex.group axis = 3, channels = 4, slices = 2 whole(%x : tensor<1x8x8x4xf32>) -> (tensor<1x4x4x4xi8>) {
  ^bb0(%a: tensor<1x8x8x4xf32>):
    %ws = pex.slice %w[0] : tensor<4x1x1x4xf32> -> tensor<2x1x1x4xf32>
    %bs = pex.slice %b[0] : tensor<4xf32> -> tensor<2xf32>
    %c = tosa.conv2d %a, %ws, %bs, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x2xf32>
    %m = tosa.reduce_max %c {axis = 1 : i32} : (tensor<1x8x8x2xf32>) -> tensor<1x1x8x2xf32>
    %d = tosa.sub %c, %m : (tensor<1x8x8x2xf32>, tensor<1x1x8x2xf32>) -> tensor<1x8x8x2xf32>
    %q = tosa.cast %d : (tensor<1x8x8x2xf32>) -> tensor<1x8x8x2xi8>
    %p = tosa.max_pool2d %q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x2xi8>) -> tensor<1x4x4x2xi8>
    pex.partial_yield assemble(%p : tensor<1x4x4x2xi8>)
  }
  return %g : tensor<1x4x4x4xi8>
}

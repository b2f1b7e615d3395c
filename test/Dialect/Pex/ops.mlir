// RUN: pex-opt %s -split-input-file | pex-opt -split-input-file | FileCheck %s

// A group that expands, filters and projects an int8 activation one slice of
// 32 channels at a time, accumulating the projection in i32.
// CHECK-LABEL: func.func @group_accumulates_projection
// CHECK: pex.group axis = 3, channels = 96, slices = 3 whole(%{{.*}} : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x24xi8>) {
// CHECK: ^bb0(%[[X:.*]]: tensor<1x8x8x16xi8>):
// CHECK: pex.slice %{{.*}}[0] : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
// CHECK: pex.slice %{{.*}}[3] : tensor<24x1x1x96xi8> -> tensor<24x1x1x32xi8>
// CHECK: pex.partial_yield accumulate(%{{.*}} : tensor<1x8x8x24xi32>)
// CHECK: } epilogue {
// CHECK: ^bb0(%{{.*}}: tensor<1x8x8x24xi32>, %{{.*}}: tensor<1x8x8x16xi8>):
// CHECK: pex.yield %{{.*}} : tensor<1x8x8x24xi8>
func.func @group_accumulates_projection(%x: tensor<1x8x8x16xi8>) -> (tensor<1x8x8x24xi8>) {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<24x1x1x96xi8>} : () -> tensor<24x1x1x96xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<24xi32>} : () -> tensor<24xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %mult = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %shift = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = pex.group axis = 3, channels = 96, slices = 3 whole(%x : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x24xi8>) {
  ^bb0(%xw: tensor<1x8x8x16xi8>):
    %w1s = pex.slice %w1[0] : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
    %b1s = pex.slice %b1[0] : tensor<96xi32> -> tensor<32xi32>
    %e = tosa.conv2d %xw, %w1s, %b1s, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
    %q = tosa.rescale %e, %mult, %shift, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
    %w2s = pex.slice %w2[3] : tensor<24x1x1x96xi8> -> tensor<24x1x1x32xi8>
    %p = tosa.conv2d %q, %w2s, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<24x1x1x32xi8>, tensor<24xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x24xi32>
    pex.partial_yield accumulate(%p : tensor<1x8x8x24xi32>)
  } epilogue {
  ^bb0(%acc: tensor<1x8x8x24xi32>, %xw: tensor<1x8x8x16xi8>):
    %r = tosa.rescale %acc, %mult, %shift, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x24xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x24xi8>
    pex.yield %r : tensor<1x8x8x24xi8>
  }
  return %y : tensor<1x8x8x24xi8>
}

// -----

// A group with a remainder slice (10 channels in slices of 4, 4 and 2) that
// assembles its result from slices and has no epilogue.
// CHECK-LABEL: func.func @group_assembles_slices
// CHECK: pex.group axis = 3, channels = 10, slices = 3 sliced(%{{.*}} : tensor<1x4x4x10xf32>) -> (tensor<1x4x4x10xf32>) {
// CHECK: ^bb0(%{{.*}}: tensor<1x4x4x4xf32>):
// CHECK: pex.partial_yield assemble(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK-NOT: epilogue
func.func @group_assembles_slices(%x: tensor<1x4x4x10xf32>) -> (tensor<1x4x4x10xf32>) {
  %y = pex.group axis = 3, channels = 10, slices = 3 sliced(%x : tensor<1x4x4x10xf32>) -> (tensor<1x4x4x10xf32>) {
  ^bb0(%xs: tensor<1x4x4x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    pex.partial_yield assemble(%c : tensor<1x4x4x4xf32>)
  }
  return %y : tensor<1x4x4x10xf32>
}

// -----

// The remainder slice can run first; the default (last) is not printed.
// CHECK-LABEL: func.func @group_remainder_first
// CHECK: pex.group axis = 3, channels = 10, slices = 3, remainder = first sliced(
func.func @group_remainder_first(%x: tensor<1x4x4x10xf32>) -> (tensor<1x4x4x10xf32>) {
  %y = pex.group axis = 3, channels = 10, slices = 3, remainder = first sliced(%x : tensor<1x4x4x10xf32>) -> (tensor<1x4x4x10xf32>) {
  ^bb0(%xs: tensor<1x4x4x4xf32>):
    pex.partial_yield assemble(%xs : tensor<1x4x4x4xf32>)
  }
  return %y : tensor<1x4x4x10xf32>
}

// -----

// A kernel writing into a buffer the planner placed.
// CHECK-LABEL: func.func @kernel_into_placed_buffer
// CHECK: %[[B:.*]] = pex.buffer <offset = 32, size = 64, live = [0, 1]> : tensor<16xf32>
// CHECK: pex.kernel ins(%{{.*}} : tensor<16xf32>) outs(%[[B]] : tensor<16xf32>)
func.func @kernel_into_placed_buffer(%x: tensor<16xf32>) -> tensor<16xf32> {
  %b = pex.buffer <offset = 32, size = 64, live = [0, 1]> : tensor<16xf32>
  %y = pex.kernel ins(%x : tensor<16xf32>) outs(%b : tensor<16xf32>) {
  ^bb0(%xa: tensor<16xf32>, %out: tensor<16xf32>):
    %c = tosa.clamp %xa {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<16xf32>) -> tensor<16xf32>
    pex.yield %c : tensor<16xf32>
  } -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// Without an epilogue, accumulators are results after the assembled ones.
// CHECK-LABEL: func.func @group_returns_accumulator
// CHECK: pex.partial_yield assemble(%{{.*}} : tensor<1x2x2x4xf32>) accumulate(%{{.*}} : tensor<1x2x2x3xf32>)
func.func @group_returns_accumulator(%x: tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x8xf32>} : () -> tensor<3x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y:2 = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    %ws = pex.slice %w[3] : tensor<3x1x1x8xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %c, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>) accumulate(%p : tensor<1x2x2x3xf32>)
  }
  return %y#0, %y#1 : tensor<1x2x2x8xf32>, tensor<1x2x2x3xf32>
}

// -----

// A kernel on tensors: an int8 convolution with its requantisation and clamp.
// CHECK-LABEL: func.func @kernel_on_tensors
// CHECK: %[[R:.*]] = pex.kernel ins(%{{.*}}, %{{.*}} : tensor<1x4x4x8xi8>, tensor<2x1x1x8xi8>) outs(%{{.*}} : tensor<1x4x4x2xi8>) {
// CHECK: ^bb0(%{{.*}}: tensor<1x4x4x8xi8>, %{{.*}}: tensor<2x1x1x8xi8>, %{{.*}}: tensor<1x4x4x2xi8>):
// CHECK: pex.yield %{{.*}} : tensor<1x4x4x2xi8>
// CHECK: } -> tensor<1x4x4x2xi8>
func.func @kernel_on_tensors(%x: tensor<1x4x4x8xi8>, %w: tensor<2x1x1x8xi8>) -> tensor<1x4x4x2xi8> {
  %init = tensor.empty() : tensor<1x4x4x2xi8>
  %r = pex.kernel ins(%x, %w : tensor<1x4x4x8xi8>, tensor<2x1x1x8xi8>) outs(%init : tensor<1x4x4x2xi8>) {
  ^bb0(%xa: tensor<1x4x4x8xi8>, %wa: tensor<2x1x1x8xi8>, %out: tensor<1x4x4x2xi8>):
    %b = "tosa.const"() {values = dense<0> : tensor<2xi32>} : () -> tensor<2xi32>
    %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
    %mult = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
    %shift = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
    %acc = tosa.conv2d %xa, %wa, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xi8>, tensor<2x1x1x8xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
    %q = tosa.rescale %acc, %mult, %shift, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4x4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x2xi8>
    %c = tosa.clamp %q {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
    pex.yield %c : tensor<1x4x4x2xi8>
  } -> tensor<1x4x4x2xi8>
  return %r : tensor<1x4x4x2xi8>
}

// -----

// A kernel on memrefs accumulates into its destination (reads the outs
// argument) and has no results.
// CHECK-LABEL: func.func @kernel_on_memrefs
// CHECK: pex.kernel ins(%{{.*}} : memref<1x2x2x4xi32>) outs(%{{.*}} : memref<1x2x2x4xi32>) {
// CHECK: %[[SUM:.*]] = tosa.add
// CHECK-NEXT: pex.yield %[[SUM]]
// CHECK-NEXT: }{{$}}
func.func @kernel_on_memrefs(%a: memref<1x2x2x4xi32>, %acc: memref<1x2x2x4xi32>) {
  pex.kernel ins(%a : memref<1x2x2x4xi32>) outs(%acc : memref<1x2x2x4xi32>) {
  ^bb0(%x: tensor<1x2x2x4xi32>, %out: tensor<1x2x2x4xi32>):
    %s = tosa.add %out, %x : (tensor<1x2x2x4xi32>, tensor<1x2x2x4xi32>) -> tensor<1x2x2x4xi32>
    pex.yield %s : tensor<1x2x2x4xi32>
  }
  return
}

// -----

// Placement and arena attributes record the planner's decisions.
// CHECK-LABEL: memref.global "private" @pex_arena
// CHECK-SAME: pex.arena = #pex.arena<size = 256, alignment = 16, peak = 200, lower_bound = 240>
// CHECK-LABEL: func.func @placement
// CHECK: pex.placement = #pex.placement<offset = 64, size = 128, live = [2, 5]>
memref.global "private" @pex_arena : memref<256xi8> {alignment = 16 : i64, pex.arena = #pex.arena<size = 256, alignment = 16, peak = 200, lower_bound = 240>}
func.func @placement() -> memref<128xi8> {
  %arena = memref.get_global @pex_arena : memref<256xi8>
  %c64 = arith.constant 64 : index
  %v = memref.view %arena[%c64][] {pex.placement = #pex.placement<offset = 64, size = 128, live = [2, 5]>} : memref<256xi8> to memref<128xi8>
  return %v : memref<128xi8>
}

// -----

// A buffer in the global keeping a state between runs.
// CHECK-LABEL: func.func @placement_in_state
// CHECK: pex.buffer <offset = 0, size = 4, live = [0, 3], state = @h> : tensor<1x4xi8>
func.func @placement_in_state() -> tensor<1x4xi8> {
  %b = pex.buffer <offset = 0, size = 4, live = [0, 3], state = @h> : tensor<1x4xi8>
  return %b : tensor<1x4xi8>
}

// -----

// A stream: the chain at full size, one line buffer per operator but the last.
// CHECK-LABEL: func.func @stream
// CHECK: pex.stream line_rows = [3](%{{.*}} : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
// CHECK: ^bb0(%[[X:.*]]: tensor<1x6x4x2xf32>):
// CHECK: tosa.clamp %[[X]]
// CHECK: tosa.max_pool2d
// CHECK: pex.yield
func.func @stream(%x: tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  %y = pex.stream line_rows = [3](%x : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xf32>):
    %r = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
    %p = tosa.max_pool2d %r {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
    pex.yield %p : tensor<1x6x4x2xf32>
  }
  return %y : tensor<1x6x4x2xf32>
}

// -----

// Shifting rows: on tensors it returns the buffer, on memrefs it updates it.
// CHECK-LABEL: func.func @shift_rows
// CHECK: pex.shift_rows %{{.*}} drop 1 keep 2 : tensor<1x3x4x2xi8> -> tensor<1x3x4x2xi8>
// CHECK: pex.shift_rows %{{.*}} drop 2 keep 1 : memref<1x3x4x2xi8>{{$}}
func.func @shift_rows(%t: tensor<1x3x4x2xi8>, %m: memref<1x3x4x2xi8>) -> tensor<1x3x4x2xi8> {
  %s = pex.shift_rows %t drop 1 keep 2 : tensor<1x3x4x2xi8> -> tensor<1x3x4x2xi8>
  pex.shift_rows %m drop 2 keep 1 : memref<1x3x4x2xi8>
  return %s : tensor<1x3x4x2xi8>
}

// -----

// Reading the application's input rows: on tensors it returns the filled
// buffer, on memrefs it writes it.
// CHECK-LABEL: func.func @read_rows
// CHECK: pex.read_rows %{{.*}} rows_from %{{.*}} : tensor<1x2x4x3xi8> -> tensor<1x2x4x3xi8>
// CHECK: pex.read_rows %{{.*}} rows_from %{{.*}} : memref<1x1x4x3xi8>{{$}}
func.func @read_rows(%t: tensor<1x2x4x3xi8>, %m: memref<1x1x4x3xi8>, %row: index) -> tensor<1x2x4x3xi8> {
  %r = pex.read_rows %t rows_from %row : tensor<1x2x4x3xi8> -> tensor<1x2x4x3xi8>
  pex.read_rows %m rows_from %row : memref<1x1x4x3xi8>
  return %r : tensor<1x2x4x3xi8>
}

// -----

// A stream that reads the model input's rows itself has no input.
// CHECK-LABEL: func.func @stream_reading_rows
// CHECK:       pex.stream line_rows = [1]() -> tensor<1x4x4x2xf32> {
// CHECK-NEXT:    pex.read_rows
func.func @stream_reading_rows() -> tensor<1x4x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %c0 = arith.constant 0 : index
  %y = pex.stream line_rows = [1]() -> tensor<1x4x4x2xf32> {
    %x = pex.read_rows %e rows_from %c0 : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
    %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.yield %c : tensor<1x4x4x2xf32>
  }
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Writing the application's output rows: on tensors and on memrefs alike it
// reads its operand and has no result; an output of rank below 3 is one row.
// CHECK-LABEL: func.func @write_rows
// CHECK: pex.write_rows %{{.*}} rows_from %{{.*}} : tensor<1x2x4x3xi8>{{$}}
// CHECK: pex.write_rows %{{.*}} rows_from %{{.*}} : memref<1x1x4x3xi8>{{$}}
// CHECK: pex.write_rows %{{.*}} rows_from %{{.*}} : tensor<1x10xi8>{{$}}
func.func @write_rows(%t: tensor<1x2x4x3xi8>, %m: memref<1x1x4x3xi8>, %v: tensor<1x10xi8>, %row: index) {
  %c0 = arith.constant 0 : index
  pex.write_rows %t rows_from %row : tensor<1x2x4x3xi8>
  pex.write_rows %m rows_from %row : memref<1x1x4x3xi8>
  pex.write_rows %v rows_from %c0 : tensor<1x10xi8>
  return
}

// -----

// A stream that writes the model output's rows itself has no result.
// CHECK-LABEL: func.func @stream_writing_rows
// CHECK:       pex.stream line_rows = [1](%{{.*}} : tensor<1x4x4x2xf32>) {
// CHECK:         pex.write_rows
// CHECK-NEXT:    pex.yield{{$}}
func.func @stream_writing_rows(%x: tensor<1x4x4x2xf32>) {
  %c0 = arith.constant 0 : index
  pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.write_rows %c rows_from %c0 : tensor<1x4x4x2xf32>
    pex.yield
  }
  return
}

// -----

// A grouped convolution: 4 groups of 8 channels in and out.
// CHECK-LABEL: func.func @grouped_conv2d
// CHECK:         pex.grouped_conv2d %arg0, %arg1, %arg2, %arg3, %arg3 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x8x32xi8>, tensor<32x3x3x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x32xi32>
func.func @grouped_conv2d(%x: tensor<1x8x8x32xi8>, %w: tensor<32x3x3x8xi8>, %b: tensor<32xi32>, %zp: tensor<1xi8>) -> tensor<1x4x4x32xi32> {
  %y = "pex.grouped_conv2d"(%x, %w, %b, %zp, %zp) <{acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}> : (tensor<1x8x8x32xi8>, tensor<32x3x3x8xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x32xi32>
  return %y : tensor<1x4x4x32xi32>
}

// -----

// A view of a constant (an offset reshaped to broadcast over the channels)
// reads flash like the constant: the body may cut it.
// CHECK-LABEL: func.func @group_cuts_view_of_constant
// CHECK: %[[VIEW:.*]] = tosa.reshape
// CHECK: pex.slice %[[VIEW]][3] : tensor<1x1x1x8xf32> -> tensor<1x1x1x4xf32>
func.func @group_cuts_view_of_constant(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %c = "tosa.const"() {values = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %shape = tosa.const_shape {values = dense<[1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %view = tosa.reshape %c, %shape : (tensor<8xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    %o = pex.slice %view[3] : tensor<1x1x1x8xf32> -> tensor<1x1x1x4xf32>
    %a = tosa.add %s, %o : (tensor<1x2x2x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%a : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

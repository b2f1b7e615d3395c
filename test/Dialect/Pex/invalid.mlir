// RUN: pex-opt %s -split-input-file -verify-diagnostics

func.func @more_slices_than_channels(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{has 5 slices of 4 channels; at most one slice per channel}}
  %y = pex.group axis = 3, channels = 4, slices = 5 sliced(%x : tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>) {
  ^bb0(%s: tensor<1x2x2x1xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x1xf32>)
  }
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @empty_last_slice(%x: tensor<1x2x2x10xf32>) -> tensor<1x2x2x10xf32> {
  // expected-error @+1 {{slices = 6 leaves the last slice empty: 10 channels in slices of 2}}
  %y = pex.group axis = 3, channels = 10, slices = 6 sliced(%x : tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>) {
  ^bb0(%s: tensor<1x2x2x2xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x2xf32>)
  }
  return %y : tensor<1x2x2x10xf32>
}

// -----

func.func @sliced_operand_channels(%x: tensor<1x2x2x6xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{sliced operand has 6 channels along axis 3, expected 8}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x6xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @sliced_operand_rank(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{sliced operand of rank 1 has no axis 3}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<8xf32>) -> (tensor<8xf32>) {
  ^bb0(%s: tensor<4xf32>):
    pex.partial_yield assemble(%s : tensor<4xf32>)
  }
  return %y : tensor<8xf32>
}

// -----

func.func @body_arguments(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{body arguments must be the whole operands followed by the sliced operands at slice size 4}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x8xf32>):
    %c = tosa.clamp %s {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
    pex.partial_yield
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @body_terminator(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{body must end in pex.partial_yield}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.yield %s : tensor<1x2x2x4xf32>
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @too_few_results(%x: tensor<1x2x2x8xf32>) {
  // expected-error @+1 {{yields 1 assembled slices but has only 0 results}}
  pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return
}

// -----

func.func @assembled_slice_size(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{assembled value #0 must have 4 channels (the slice size) along axis 3, got 'tensor<1x2x2x8xf32>'}}
  %y = pex.group axis = 3, channels = 8, slices = 2 whole(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%xw: tensor<1x2x2x8xf32>):
    %c = tosa.conv2d %xw, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x8xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x8xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @assembled_result_type(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf16> {
  // expected-error @+1 {{result #0 must be the assembled slices, of type 'tensor<1x2x2x8xf32>'}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf16>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf16>
}

// -----

func.func @accumulator_results(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{without an epilogue, the results after the assembled ones must be the 1 accumulators}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>) accumulate(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @epilogue_arguments(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{epilogue arguments must be the accumulators followed by the whole operands}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x4xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield accumulate(%s : tensor<1x2x2x4xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x8xf32>):
    pex.yield %acc : tensor<1x2x2x8xf32>
  }
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @epilogue_terminator(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{epilogue must end in pex.yield}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x4xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield accumulate(%s : tensor<1x2x2x4xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x4xf32>):
    llvm.unreachable
  }
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @epilogue_results(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x4xf16> {
  // expected-error @+1 {{epilogue must yield the results after the assembled ones}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x4xf16>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield accumulate(%s : tensor<1x2x2x4xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x4xf32>):
    pex.yield %acc : tensor<1x2x2x4xf32>
  }
  return %y : tensor<1x2x2x4xf16>
}

// -----

func.func @body_captures_activation(%x: tensor<1x2x2x8xf32>, %z: tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{captures non-constant value from above; pass activations as operands (captured value of type 'tensor<1x2x2x4xf32>')}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    %a = tosa.add %s, %z : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%a : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

// A view is constant only when what it views is: a reshape of an activation
// must enter through the operands.
func.func @body_captures_view_of_activation(%x: tensor<1x2x2x8xf32>, %z: tensor<2x2x4xf32>) -> tensor<1x2x2x8xf32> {
  %shape = tosa.const_shape {values = dense<[1, 2, 2, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %view = tosa.reshape %z, %shape : (tensor<2x2x4xf32>, !tosa.shape<4>) -> tensor<1x2x2x4xf32>
  // expected-error @+1 {{captures non-constant value from above; pass activations as operands (captured value of type 'tensor<1x2x2x4xf32>')}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    %a = tosa.add %s, %view : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%a : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @epilogue_captures_activation(%x: tensor<1x2x2x8xf32>, %z: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{captures non-constant value from above; pass activations as operands}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x4xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    pex.partial_yield accumulate(%s : tensor<1x2x2x4xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x4xf32>):
    %a = tosa.add %acc, %z : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    pex.yield %a : tensor<1x2x2x4xf32>
  }
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @slice_of_body_value(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %y = pex.group axis = 3, channels = 8, slices = 2 whole(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%xw: tensor<1x2x2x8xf32>):
    // expected-error @+1 {{source must be defined outside the group; activations are cut by the group's sliced operands}}
    %s = pex.slice %xw[3] : tensor<1x2x2x8xf32> -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @slice_dimension_range(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    // expected-error @+1 {{dimension 1 is out of range for 'tensor<8xf32>'}}
    %bs = pex.slice %b[1] : tensor<8xf32> -> tensor<4xf32>
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @slice_source_channels(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %b = "tosa.const"() {values = dense<0.0> : tensor<6xf32>} : () -> tensor<6xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    // expected-error @+1 {{source has 6 elements along dimension 0, but the group has 8 channels}}
    %bs = pex.slice %b[0] : tensor<6xf32> -> tensor<3xf32>
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @slice_result_type(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%s: tensor<1x2x2x4xf32>):
    // expected-error @+1 {{result must be 'tensor<4xf32>' (the slice size along dimension 0)}}
    %bs = pex.slice %b[0] : tensor<8xf32> -> tensor<2xf32>
    pex.partial_yield assemble(%s : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

func.func @slice_outside_group(%b: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects parent op 'pex.group'}}
  %bs = pex.slice %b[0] : tensor<8xf32> -> tensor<4xf32>
  return %bs : tensor<4xf32>
}

// -----

func.func @partial_yield_outside_group() {
  // expected-error @+1 {{expects parent op 'pex.group'}}
  pex.partial_yield
}

// -----

// A kernel has one destination: a second one does not parse.
func.func @kernel_two_destinations(%a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{expected ':'}}
  %r = pex.kernel outs(%a, %b : tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    pex.yield %x : tensor<4xf32>
  } -> tensor<4xf32>
  return
}

// -----

// A placed buffer holds its tensor.
func.func @buffer_larger_than_placement() {
  // expected-error @+1 {{tensor of 64 bytes does not fit its placement of 32 bytes}}
  %b = pex.buffer <offset = 0, size = 32, live = [0, 1]> : tensor<16xf32>
  return
}

// -----

func.func @kernel_dynamic_shape(%a: tensor<?xf32>) {
  // expected-error @+1 {{operands must have static shapes, got 'tensor<?xf32>'}}
  %r = pex.kernel outs(%a : tensor<?xf32>) {
  ^bb0(%x: tensor<?xf32>):
    pex.yield %x : tensor<?xf32>
  } -> tensor<?xf32>
  return
}

// -----

func.func @kernel_mixed_operands(%a: tensor<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{operands must be all tensors or all memrefs, got 'tensor<4xf32>'}}
  pex.kernel ins(%a : tensor<4xf32>) outs(%b : memref<4xf32>) {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    pex.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_tensor_result(%a: tensor<4xf32>) {
  // expected-error @+1 {{on tensors must return the updated destination, of type 'tensor<4xf32>'}}
  pex.kernel outs(%a : tensor<4xf32>) {
  ^bb0(%x: tensor<4xf32>):
    pex.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_memref_result(%a: memref<4xf32>) {
  // expected-error @+1 {{on memrefs has no results}}
  %r = pex.kernel outs(%a : memref<4xf32>) {
  ^bb0(%x: tensor<4xf32>):
    pex.yield %x : tensor<4xf32>
  } -> tensor<4xf32>
  return
}

// -----

func.func @kernel_body_arguments(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{body arguments must be the tensor types of the inputs followed by the destination}}
  pex.kernel ins(%a : memref<4xf32>) outs(%b : memref<4xf32>) {
  ^bb0(%x: tensor<4xf32>):
    pex.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_terminator(%a: memref<4xf32>) {
  // expected-error @+1 {{body must end in pex.yield}}
  pex.kernel outs(%a : memref<4xf32>) {
  ^bb0(%x: tensor<4xf32>):
    llvm.unreachable
  }
  return
}

// -----

func.func @kernel_yield_type(%a: memref<4xf32>) {
  // expected-error @+1 {{body must yield one value of the destination type 'tensor<4xf32>'}}
  pex.kernel outs(%a : memref<4xf32>) {
  ^bb0(%x: tensor<4xf32>):
    %h = tosa.cast %x : (tensor<4xf32>) -> tensor<4xf16>
    pex.yield %h : tensor<4xf16>
  }
  return
}

// -----

// expected-error @+1 {{placement offset must be non-negative, got -16}}
func.func private @placement_offset() attributes {p = #pex.placement<offset = -16, size = 4, live = [0, 1]>}

// -----

// expected-error @+1 {{placement size must be positive, got 0}}
func.func private @placement_size() attributes {p = #pex.placement<offset = 0, size = 0, live = [0, 1]>}

// -----

// expected-error @+1 {{placement lifetime [3, 2] is not a non-empty range of steps}}
func.func private @placement_lifetime() attributes {p = #pex.placement<offset = 0, size = 4, live = [3, 2]>}

// -----

// A buffer in a state's global is the whole global: no offset into it, no pool.
// expected-error @+1 {{a placement in the state @h is at offset 0 of no memory pool}}
func.func private @placement_state_offset() attributes {p = #pex.placement<offset = 4, size = 4, live = [0, 1], state = @h>}

// -----

// expected-error @+1 {{expected 'pool' then 'state', each at most once}}
func.func private @placement_state_first() attributes {p = #pex.placement<offset = 0, size = 4, live = [0, 1], state = @h, pool = "fast">}

// -----

// expected-error @+1 {{a placement in the state @h is at offset 0 of no memory pool}}
func.func private @placement_state_pool() attributes {p = #pex.placement<offset = 0, size = 4, live = [0, 1], pool = "fast", state = @h>}

// -----

// expected-error @+1 {{arena alignment must be a power of two, got 12}}
func.func private @arena_alignment() attributes {a = #pex.arena<size = 64, alignment = 12, peak = 64, lower_bound = 64>}

// -----

// expected-error @+1 {{arena sizes must be non-negative}}
func.func private @arena_negative() attributes {a = #pex.arena<size = -64, alignment = 16, peak = 0, lower_bound = 0>}

// -----

// expected-error @+1 {{arena lower bound 48 is below the peak 64; padding only adds bytes}}
func.func private @arena_lower_bound() attributes {a = #pex.arena<size = 64, alignment = 16, peak = 64, lower_bound = 48>}

// -----

// expected-error @+1 {{arena of 32 bytes is below its lower bound of 64 bytes}}
func.func private @arena_too_small() attributes {a = #pex.arena<size = 32, alignment = 16, peak = 48, lower_bound = 64>}

// -----

func.func @stream_argument_type(%x: tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  // expected-error @+1 {{body must take one argument of the input type 'tensor<1x6x4x2xf32>'}}
  %y = pex.stream line_rows = [](%x : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xi8>):
    pex.yield %x : tensor<1x6x4x2xf32>
  }
  return %y : tensor<1x6x4x2xf32>
}

// -----

func.func @stream_yield_type(%x: tensor<1x6x4x2xf32>) -> tensor<1x3x4x2xf32> {
  // expected-error @+1 {{body must end in pex.yield of one value of the result type 'tensor<1x3x4x2xf32>'}}
  %y = pex.stream line_rows = [](%x : tensor<1x6x4x2xf32>) -> tensor<1x3x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xf32>):
    pex.yield %xs : tensor<1x6x4x2xf32>
  }
  return %y : tensor<1x3x4x2xf32>
}

// -----

func.func @stream_rank(%x: tensor<6x8xf32>) -> tensor<6x8xf32> {
  // expected-error @+1 {{streams NHWC tensors (rank 4), got 'tensor<6x8xf32>'}}
  %y = pex.stream line_rows = [](%x : tensor<6x8xf32>) -> tensor<6x8xf32> {
  ^bb0(%xs: tensor<6x8xf32>):
    pex.yield %xs : tensor<6x8xf32>
  }
  return %y : tensor<6x8xf32>
}

// -----

func.func @stream_empty_line(%x: tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  // expected-error @+1 {{line buffers must hold at least one row}}
  %y = pex.stream line_rows = [0](%x : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32> {
  ^bb0(%xs: tensor<1x6x4x2xf32>):
    pex.yield %xs : tensor<1x6x4x2xf32>
  }
  return %y : tensor<1x6x4x2xf32>
}

// -----

func.func @shift_too_many_rows(%t: tensor<1x3x4x2xi8>) -> tensor<1x3x4x2xi8> {
  // expected-error @+1 {{moves rows [2, 4) of a buffer of 3 rows}}
  %s = pex.shift_rows %t drop 2 keep 2 : tensor<1x3x4x2xi8> -> tensor<1x3x4x2xi8>
  return %s : tensor<1x3x4x2xi8>
}

// -----

func.func @shift_memref_result(%m: memref<1x3x4x2xi8>) {
  // expected-error @+1 {{on memrefs has no result}}
  %s = pex.shift_rows %m drop 1 keep 1 : memref<1x3x4x2xi8> -> tensor<1x3x4x2xi8>
  return
}

// -----

func.func @read_rows_of_vector(%t: tensor<8xi8>, %row: index) -> tensor<8xi8> {
  // expected-error @+1 {{reads rows along dimension 1, got 'tensor<8xi8>'}}
  %r = pex.read_rows %t rows_from %row : tensor<8xi8> -> tensor<8xi8>
  return %r : tensor<8xi8>
}

// -----

func.func @read_rows_tensor_without_result(%t: tensor<1x2x4x3xi8>, %row: index) {
  // expected-error @+1 {{on tensors must return the filled buffer}}
  pex.read_rows %t rows_from %row : tensor<1x2x4x3xi8>
  return
}

// -----

func.func @stream_without_input_or_read() -> tensor<1x4x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  // expected-error @+1 {{without input must take no argument and start with pex.read_rows}}
  %y = pex.stream line_rows = [1]() -> tensor<1x4x4x2xf32> {
    %c = tosa.clamp %e {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.yield %c : tensor<1x4x4x2xf32>
  }
  return %y : tensor<1x4x4x2xf32>
}

// -----

func.func @write_rows_of_vector_not_at_row_0(%t: tensor<1x8xi8>, %row: index) {
  // expected-error @+1 {{writes 'tensor<1x8xi8>' as one row: it must start at row 0}}
  pex.write_rows %t rows_from %row : tensor<1x8xi8>
  return
}

// -----

func.func @stream_without_result_or_write(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{without result must end with pex.write_rows of its last operator's result}}
  pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.yield
  }
  return
}

// -----

func.func @stream_without_result_yielding(%x: tensor<1x4x4x2xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{without result must end in pex.yield of nothing}}
  pex.stream line_rows = [1](%x : tensor<1x4x4x2xf32>) {
  ^bb0(%xs: tensor<1x4x4x2xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
    pex.write_rows %c rows_from %c0 : tensor<1x4x4x2xf32>
    pex.yield %c : tensor<1x4x4x2xf32>
  }
  return
}

// -----

func.func @grouped_conv2d_partial_group(%x: tensor<1x4x4x12xf32>, %w: tensor<12x3x3x8xf32>, %b: tensor<12xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x12xf32> {
  // expected-error @+1 {{input of 12 channels is not a whole number of groups of 8 (the weights' last dimension)}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x12xf32>, tensor<12x3x3x8xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x12xf32>
  return %y : tensor<1x4x4x12xf32>
}

// -----

func.func @grouped_conv2d_outputs_not_in_groups(%x: tensor<1x4x4x12xf32>, %w: tensor<10x3x3x4xf32>, %b: tensor<10xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x10xf32> {
  // expected-error @+1 {{10 output channels do not divide into 3 groups}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x12xf32>, tensor<10x3x3x4xf32>, tensor<10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x10xf32>
  return %y : tensor<1x4x4x10xf32>
}

// -----

func.func @grouped_conv2d_wrong_rows(%x: tensor<1x4x4x12xf32>, %w: tensor<12x3x3x4xf32>, %b: tensor<12xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x12xf32> {
  // expected-error @+1 {{result has 4 rows where the window gives 2}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x12xf32>, tensor<12x3x3x4xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x12xf32>
  return %y : tensor<1x4x4x12xf32>
}

// -----

func.func @grouped_conv2d_bias(%x: tensor<1x4x4x12xf32>, %w: tensor<12x3x3x4xf32>, %b: tensor<4xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x12xf32> {
  // expected-error @+1 {{bias must have 12 elements (or one)}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x12xf32>, tensor<12x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x12xf32>
  return %y : tensor<1x4x4x12xf32>
}

// -----

func.func @grouped_conv2d_accumulator(%x: tensor<1x4x4x12xi8>, %w: tensor<12x3x3x4xi8>, %b: tensor<12xi32>, %zp: tensor<1xi8>) -> tensor<1x4x4x12xi8> {
  // expected-error @+1 {{result and bias must be of the accumulator type 'i32'}}
  %y = pex.grouped_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x12xi8>, tensor<12x3x3x4xi8>, tensor<12xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x12xi8>
  return %y : tensor<1x4x4x12xi8>
}

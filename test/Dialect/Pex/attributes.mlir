// RUN: pex-opt %s -split-input-file -verify-diagnostics

// The pipeline's discardable attributes are the dialect's: each has a kind
// and a place, and an unknown one is an error. (MLIR verifies a dialect's
// attributes once the dialect is loaded: every case here uses a pex
// attribute value, which loads it, as the pipeline's IR always does.)

func.func @placement_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pex.placement' must be a #pex.placement}}
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32, pex.placement = #pex.arena<size = 16, alignment = 16, peak = 16, lower_bound = 16>} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// expected-error @+1 {{'pex.arena' must be a #pex.arena on a function, the arena global or (with memory pools) the module}}
func.func @arena_kind() attributes {pex.arena = #pex.placement<offset = 0, size = 16, live = [0, 1]>} {
  return
}

// -----

func.func @arena_place(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pex.arena' must be a #pex.arena on a function, the arena global or (with memory pools) the module}}
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32, pex.arena = #pex.arena<size = 16, alignment = 16, peak = 16, lower_bound = 16>} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func @unknown(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unknown pex attribute 'pex.placment'}}
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32, pex.placment = #pex.placement<offset = 0, size = 16, live = [0, 1]>} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func @group_placements(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'pex.placements' must be an array of 1 #pex.placement or unit entries}}
  %y = pex.group axis = 3, channels = 4, slices = 2 sliced(%x : tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>) {
  ^bb0(%xs: tensor<1x2x2x2xf32>):
    pex.partial_yield assemble(%xs : tensor<1x2x2x2xf32>)
  } {pex.placements = []}
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @placements_off_group(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pex.accumulator_placements' belongs on a pex.group}}
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32, pex.accumulator_placements = [#pex.placement<offset = 0, size = 16, live = [0, 1]>]} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// expected-error @+1 {{'pex.scale' must be a float}}
func.func @argument_scale(%x: tensor<4xi8> {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>, pex.scale = "0.5"}) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{unknown pex attribute 'pex.output' on a result}}
func.func @output_on_result(%x: tensor<4xi8>) -> (tensor<4xi8> {pex.output, pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>}) {
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{'pex.unsigned' must be a unit attribute}}
func.func @unsigned_kind(%x: tensor<4xi8> {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>, pex.unsigned = true}) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

// -----

// A layer describes a kernel function, not an operation inside one.
func.func @layer_on_operation() -> i32 {
  // expected-error @+1 {{'pex.layer' must be a #pex.layer on a function}}
  %c = arith.constant {pex.layer = #pex.layer<op = "tosa.conv2d", name = "", macs = 1>} 0 : i32
  return %c : i32
}

// -----

// The importers' and the planner's attributes, well formed.
func.func @well_formed(%x: tensor<4xi8> {pex.name = "x", pex.scale = 0.5 : f64, pex.zero_point = -1 : i64, pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>})
    -> (tensor<4xi8> {pex.name = "y", pex.unsigned})
    attributes {pex.arena = #pex.arena<size = 16, alignment = 16, peak = 4, lower_bound = 16>, pex.first_fit_size = 16 : i64, pex.peak_before_partition = 16 : i64, pex.layer = #pex.layer<op = "tosa.conv2d", name = "conv", macs = 8>} {
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{'pex.pools' must be an array of #pex.pool on a function}}
func.func @pools_kind() attributes {pex.pools = [#pex.arena<size = 16, alignment = 16, peak = 16, lower_bound = 16>]} {
  return
}

// -----

// expected-error @+1 {{'pex.pool' must be a #pex.pool on a pool's global}}
func.func @pool_place() attributes {pex.pool = #pex.pool<name = "fast", capacity = 64, size = 16>} {
  return
}

// -----

// expected-error @+1 {{'pex.sections' must be a dictionary of section names on the module}}
module attributes {pex.sections = {pex_arena_fast = 1 : i64}, pex.arena = #pex.arena<size = 16, alignment = 16, peak = 16, lower_bound = 16>} {
}

// -----

// A pool never holds more than its capacity.
// expected-error @+1 {{memory pool 'fast' uses 128 bytes of its 64}}
func.func @pool_over_capacity() attributes {pex.pools = [#pex.pool<name = "fast", capacity = 64, size = 128>]} {
  return
}

// -----

// An operator the planner placed may carry it (a result over an input at
// least as wide)...
func.func @over_consumed_input_placed(%x: tensor<4xf32>) -> tensor<4xi8> {
  %c = tosa.cast %x {pex.over_consumed_input = 0 : i64, pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 1]>} : (tensor<4xf32>) -> tensor<4xi8>
  return %c : tensor<4xi8>
}

// -----

// ...one it did not place may not.
func.func @over_consumed_input_place(%x: tensor<4xf32> {pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 0]>}) -> tensor<4xf32> {
  // expected-error @+1 {{'pex.over_consumed_input' must be an arena offset on a pex.stream, a placed operator or its result's storage}}
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32, pex.over_consumed_input = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// The operands a placed concatenation holds in its result...
func.func @operands_in_result(%a: tensor<1x2x2x2xf32>, %b: tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32> {
  %c = tosa.concat %a, %b {axis = 3 : i32, pex.operands_in_result = array<i64: 0, 1>, pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1]>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  return %c : tensor<1x2x2x4xf32>
}

// -----

// ...are listed once each, in order, and exist.
func.func @operands_in_result_range(%a: tensor<1x2x2x2xf32>, %b: tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'pex.operands_in_result' lists operand 2: positions must be increasing and below 2}}
  %c = tosa.concat %a, %b {axis = 3 : i32, pex.operands_in_result = array<i64: 0, 2>, pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1]>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  return %c : tensor<1x2x2x4xf32>
}

// -----

// The result's storage holds them: the concatenation must be placed.
func.func @operands_in_result_unplaced(%a: tensor<1x2x2x2xf32>, %b: tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'pex.operands_in_result' must be a non-empty array of operand positions on a placed tosa.concat}}
  %c = tosa.concat %a, %b {axis = 3 : i32, pex.operands_in_result = array<i64: 0>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  return %c : tensor<1x2x2x4xf32>
}

// -----

func.func @float32_rounding_place(%x: tensor<4xi8> {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 1]>}) -> tensor<4xi8> {
  // expected-error @+1 {{'pex.float32_rounding' must be a unit attribute on a SINGLE_ROUND tosa.rescale from at most 32 to at most 16 bits}}
  %c = tosa.clamp %x {max_val = 6 : i8, min_val = 0 : i8, pex.float32_rounding = unit} : (tensor<4xi8>) -> tensor<4xi8>
  return %c : tensor<4xi8>
}

// -----

func.func @float32_rounding_double_round(%x: tensor<4xi32> {pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 1]>}) -> tensor<4xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<40> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{'pex.float32_rounding' must be a unit attribute on a SINGLE_ROUND tosa.rescale}}
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true, pex.float32_rounding = unit} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

func.func @divisor_of_integers(%x: tensor<4xi32> {pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 1]>}) -> tensor<4xi32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{'pex.divisor' must be an f32 divisor on a float32 tosa.mul}}
  %y = tosa.mul %x, %x, %shift {pex.divisor = 2.0 : f32} : (tensor<4xi32>, tensor<4xi32>, tensor<1xi8>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

func.func @float32_rounding_wide_multiplier(%x: tensor<4xi32> {pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 1]>}) -> tensor<4xi8> {
  %m = "tosa.const"() <{values = dense<1073741825> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<40> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{'pex.float32_rounding' must be on a rescale whose multipliers have at most 24 significant bits and shifts are 2 to 62}}
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true, pex.float32_rounding = unit} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %y : tensor<4xi8>
}

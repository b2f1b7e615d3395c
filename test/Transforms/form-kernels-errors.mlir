// RUN: pex-opt %s -split-input-file --pex-plan-arena --pex-form-kernels -verify-diagnostics

// A pex.group must first become loops (pex-lower-groups): kernels are formed
// in the blocks of those loops.
func.func @group_not_lowered(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error @+1 {{pex: groups must be lowered (pex-lower-groups) before kernels are formed}}
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x8xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>)
  }
  return %y : tensor<1x2x2x8xf32>
}

// -----

// Shape arithmetic is not a computation of the model: a kernel needs its
// shapes as constants.
func.func @computed_slice_start(%x: tensor<16xf32>) -> tensor<8xf32> {
  %two = tosa.const_shape {values = dense<[2]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %start = tosa.add_shape %two, %two : (!tosa.shape<1>, !tosa.shape<1>) -> !tosa.shape<1>
  %size = tosa.const_shape {values = dense<[8]> : tensor<1xindex>} : () -> !tosa.shape<1>
  // expected-error @+1 {{pex: operand of type '!tosa.shape<1>' must be a compile-time constant (canonicalize folds shape arithmetic)}}
  %s = tosa.slice %x, %start, %size : (tensor<16xf32>, !tosa.shape<1>, !tosa.shape<1>) -> tensor<8xf32>
  return %s : tensor<8xf32>
}


// -----

// Only an operand computed in the function body can be computed in its slice
// of a concatenation's result: the planner never records an argument.
func.func @argument_in_concatenation(%x: tensor<1x2x2x4xf32>) -> (tensor<1x1x1x8xf32>, tensor<1x2x2x4xf32>) {
  %m = tosa.max_pool2d %x {kernel = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  // expected-error @+1 {{pex: internal error: operand 0 of a concatenation holding it is not computed beside it}}
  %c = tosa.concat %x, %m {axis = 3 : i32, pex.operands_in_result = array<i64: 0>, pex.placement = #pex.placement<offset = 0, size = 128, live = [1, 2]>} : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x8xf32>) -> tensor<1x1x1x8xf32>
  return %p, %m : tensor<1x1x1x8xf32>, tensor<1x2x2x4xf32>
}

// RUN: pex-opt %s -split-input-file --pex-form-kernels -verify-diagnostics

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

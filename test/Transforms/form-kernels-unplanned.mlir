// RUN: pex-opt %s --pex-form-kernels -verify-diagnostics

// Kernels are formed into the storage the planner recorded: a function
// pex-plan-arena has not planned cannot be lowered.
// expected-error @+1 {{pex: kernels follow the planned arena: run pex-plan-arena first}}
func.func @not_planned(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<16xf32>) -> tensor<16xf32>
  return %c : tensor<16xf32>
}

// RUN: pex-opt %s -split-input-file --pex-memory-report -verify-diagnostics -o /dev/null

// expected-error @+1 {{pex: dynamic shape 'tensor<?x4xf32>' is not supported; memory is planned statically}}
func.func @dynamic_argument(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

func.func @dynamic_result(%x: tensor<1x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{pex: dynamic shape 'tensor<*xf32>' is not supported; memory is planned statically}}
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @control_flow(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{pex: control flow ('tosa.cond_if') is not supported by the memory model}}
  %y = tosa.cond_if %c (%a = %x) : tensor<i1> (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    tosa.yield %a : tensor<4xf32>
  } else {
  ^bb0(%a: tensor<4xf32>):
    tosa.yield %a : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

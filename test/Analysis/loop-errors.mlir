// RUN: pex-opt %s -split-input-file --pex-memory-report -verify-diagnostics -o /dev/null

// Loops the memory model cannot plan statically are refused with one located
// line (test/Analysis/loop-carried.mlir has one it plans).

func.func @dynamic_bounds(%x: tensor<1x8xf32>, %n: index) -> tensor<1x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{pex: a loop without constant bounds is not supported by the memory model (its buffers are planned statically)}}
  %r = scf.for %t = %c0 to %n step %c1 iter_args(%h = %x) -> (tensor<1x8xf32>) {
    %next = tosa.tanh %h : (tensor<1x8xf32>) -> tensor<1x8xf32>
    scf.yield %next : tensor<1x8xf32>
  }
  return %r : tensor<1x8xf32>
}

// -----

// The next state is computed over the current one, which must be dead by then.
func.func @read_after_update(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %reset = "tosa.const"() {values = dense<0.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %reset, %s = %reset) -> (tensor<1x8xf32>, tensor<1x8xf32>) {
    %next = tosa.add %x, %h : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
    // expected-error @+1 {{pex: this reads loop-carried value #0 after its next value is computed over it (one storage per carried value)}}
    %sum = tosa.mul %next, %h, %shift : (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1xi8>) -> tensor<1x8xf32>
    scf.yield %next, %sum : tensor<1x8xf32>, tensor<1x8xf32>
  }
  return %r#1 : tensor<1x8xf32>
}

// -----

func.func @nested(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %reset = "tosa.const"() {values = dense<0.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %reset) -> (tensor<1x8xf32>) {
    // expected-error @+1 {{pex: a loop inside a loop, group or stream is not supported by the memory model}}
    %inner = scf.for %u = %c0 to %c4 step %c1 iter_args(%g = %reset) -> (tensor<1x8xf32>) {
      %next = tosa.add %x, %g : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
      scf.yield %next : tensor<1x8xf32>
    }
    %next = tosa.add %inner, %h : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
    scf.yield %next : tensor<1x8xf32>
  }
  return %r : tensor<1x8xf32>
}

// -----

func.func @no_carried_value(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-error @+1 {{pex: a loop carrying no tensor is not supported by the memory model}}
  scf.for %t = %c0 to %c4 step %c1 {
    %y = tosa.tanh %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
  }
  return %x : tensor<1x8xf32>
}

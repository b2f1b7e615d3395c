// RUN: pex-opt %s -split-input-file --pex-export-entry-point -verify-diagnostics

// The entry point returns its status; the model's results must already be
// output buffers (pex-bufferize).
// expected-error @+1 {{pex: the model function must return its results through output buffers (run buffer-results-to-out-params first)}}
func.func @model(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}

// -----

// The accessor of an input the arena holds rebuilds the view from constants
// only.
memref.global "private" @pex_arena : memref<32xi8> = uninitialized {alignment = 16 : i64}
func.func @model() {
  %arena = memref.get_global @pex_arena : memref<32xi8>
  %c8 = arith.constant 8 : index
  %offset = arith.addi %c8, %c8 : index
  // expected-error @+1 {{pex: the arena view of the model's "input" must have a constant offset}}
  %in = memref.view %arena[%offset][] {pex.io = "input"} : memref<32xi8> to memref<16xi8>
  return
}

// RUN: pex-opt %s -split-input-file -verify-diagnostics
// Found by pex.fuzz.mlir under ASan (a test module's tensor<16xf32> turned into
// tensor<16xindex>): the pex.buffer verifier asked an index element type for
// its bit width, which it does not have, and pex-opt crashed.

func.func @index_buffer() {
  // expected-error @+1 {{element type must be an integer or a float, got 'index'}}
  %b = pex.buffer <offset = 32, size = 64, live = [0, 1]> : tensor<16xindex>
  return
}

// -----

func.func @complex_buffer() {
  // expected-error @+1 {{element type must be an integer or a float, got 'complex<f32>'}}
  %b = pex.buffer <offset = 0, size = 128, live = [0, 1]> : tensor<16xcomplex<f32>>
  return
}

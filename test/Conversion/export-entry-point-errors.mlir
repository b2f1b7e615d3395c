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

// -----

// The application writes whole rows at one address: a strided window of
// them cannot be handed over.
func.func @model(%row: index, %line: memref<1x3x4x3xi8>) {
  %columns = memref.subview %line[0, 0, 1, 0] [1, 2, 2, 3] [1, 1, 1, 1] : memref<1x3x4x3xi8> to memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>
  // expected-error @+1 {{pex: the application's rows are read into contiguous memory, got 'memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>'}}
  pex.read_rows %columns rows_from %row : memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>
  return
}

// -----

// The application receives whole rows at one address: a strided window of
// them cannot be handed over.
func.func @model(%row: index, %line: memref<1x3x4x3xi8>) {
  %columns = memref.subview %line[0, 0, 1, 0] [1, 2, 2, 3] [1, 1, 1, 1] : memref<1x3x4x3xi8> to memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>
  // expected-error @+1 {{pex: the application's rows are written from contiguous memory, got 'memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>'}}
  pex.write_rows %columns rows_from %row : memref<1x2x2x3xi8, strided<[36, 12, 3, 1], offset: 3>>
  return
}

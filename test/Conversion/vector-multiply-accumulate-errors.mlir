// RUN: pex-opt %s -split-input-file -verify-diagnostics --pex-vector-multiply-accumulate

// A marked loop must be the vector micro-kernel of MicroKernels.h: here
// its lane loop loads one operand where one pixel and one channel need two.
func.func @one_load(%x: memref<32xi8>, %acc: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  // expected-error @+1 {{is not a vector micro-kernel loop}}
  %r = scf.for %v = %c0 to %c2 step %c1 iter_args(%a = %acc) -> (i32) {
    %first = arith.muli %v, %c16 : index
    %s = scf.for %l = %c0 to %c16 step %c1 iter_args(%b = %a) -> (i32) {
      %k = arith.addi %first, %l : index
      %x8 = memref.load %x[%k] : memref<32xi8>
      %x32 = arith.extsi %x8 : i8 to i32
      %p = arith.muli %x32, %x32 : i32
      %n = arith.addi %b, %p : i32
      scf.yield %n : i32
    }
    scf.yield %s : i32
  } {pex.vector_mac = {channels = 1 : i64, pixels = 1 : i64}}
  return %r : i32
}

// -----

func.func @no_channels(%acc: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{needs integer 'pixels' and 'channels' in its 'pex.vector_mac'}}
  %r = scf.for %v = %c0 to %c1 step %c1 iter_args(%a = %acc) -> (i32) {
    scf.yield %a : i32
  } {pex.vector_mac = {pixels = 1 : i64}}
  return %r : i32
}

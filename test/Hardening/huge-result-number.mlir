// MLIR's parser grows a vector to the result number a use names before it
// knows how many results the operation has: `%y#2147483647` (found by
// pex.fuzz.mlir) made pex-opt and pexc run out of memory. Both check result
// numbers against the file's size first and point at the use. (This number
// would cost the unguarded parser megabytes only.)
// RUN: not pex-opt %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not pexc %s -o %t.o 2>&1 | FileCheck %s
// CHECK: huge-result-number.mlir:[[@LINE+5]]:10: error: result number 1000000 of '%y': no operation in a file of {{[0-9]+}} bytes has that many results
// CHECK-NOT: error

func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tosa.clamp %x {max_val = 3.0e+38 : f32, min_val = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %y#1000000 : tensor<4xf32>
}

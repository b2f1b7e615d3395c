// RUN: pexc %s --target=host -q -o %t.o
// RUN: FileCheck %s < %t.h
// RUN: sed 's/xi8/xf32/g; s/-100 : i8/-1.0 : f32/; s/100 : i8/1.0 : f32/' %s > %t.f32.mlir
// RUN: not pexc %t.f32.mlir --target=host -q -o %t.f32.o 2>&1 | FileCheck %s --check-prefix=FLOAT

// An i8 argument or result marked pex.unsigned holds uint8 bytes (a model's
// uint8 input or output): the header types it uint8_t.
// CHECK: /* Input "x": uint8 [1, 8]. */
// CHECK: typedef uint8_t pex_{{.*}}_input_t;
// CHECK: /* Output "y": int8 [1, 8]. */
// CHECK: typedef int8_t pex_{{.*}}_output_t;
// FLOAT: error: pex: the model's input is marked pex.unsigned but holds 'f32', not i8
func.func @unsigned_interface(%x: tensor<1x8xi8> {pex.name = "x", pex.unsigned}) -> (tensor<1x8xi8> {pex.name = "y"}) {
  %0 = tosa.clamp %x {max_val = 100 : i8, min_val = -100 : i8} : (tensor<1x8xi8>) -> tensor<1x8xi8>
  return %0 : tensor<1x8xi8>
}

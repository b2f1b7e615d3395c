// RUN: pex-opt %s --pex-lower-kernels | FileCheck %s
// RUN: pex-opt %s --pex-lower-kernels=rounding-conversion | FileCheck %s --check-prefix=FPU

// Without the option a float-to-int8 cast rounds to nearest, ties to even, in
// software (|x| + 2^23 - 2^23), then saturates and maps NaN to 0.
// CHECK-LABEL: func.func private @quantize_k0_cast
// CHECK-NOT:     llvm.inline_asm
// CHECK:         math.absf
// CHECK:         math.copysign
// CHECK:         arith.fptosi
// CHECK:         arith.cmpf uno

// With it the Arm FPU's VCVTR rounds (FPSCR's reset mode), saturates to the
// i32 range and maps NaN to 0; the i32 is clamped to int8.
// FPU-LABEL: func.func private @quantize_k0_cast
// FPU-NOT:     math.absf
// FPU:         %[[R:.*]] = llvm.inline_asm asm_dialect = att "vcvtr.s32.f32 $0, $1", "=t,t" %{{.*}} : (f32) -> f32
// FPU-NEXT:    %[[I:.*]] = arith.bitcast %[[R]] : f32 to i32
// FPU:         %[[LOW:.*]] = arith.maxsi %c-128_i32, %[[I]] : i32
// FPU:         %[[HIGH:.*]] = arith.minsi %c127_i32, %[[LOW]] : i32
// FPU-NEXT:    arith.trunci %[[HIGH]] : i32 to i8
// FPU-NOT:     arith.fptosi
func.func @quantize(%x: memref<2x8xf32>, %y: memref<2x8xi8>) {
  pex.kernel ins(%x : memref<2x8xf32>) outs(%y : memref<2x8xi8>) {
  ^bb0(%xa: tensor<2x8xf32>, %out: tensor<2x8xi8>):
    %r = tosa.cast %xa : (tensor<2x8xf32>) -> tensor<2x8xi8>
    pex.yield %r : tensor<2x8xi8>
  }
  return
}

// RUN: pex-opt %s --pex-approximate-math=software-sqrt | FileCheck %s
// RUN: pex-opt %s --pex-approximate-math | FileCheck %s --check-prefix=FPU

// Without an FPU, rsqrt(x) is 1 / sqrt(x) and the square root is computed in
// integer arithmetic: the significand (with the implicit bit, 0x800000)
// doubled for an odd exponent, its root found one bit per step over 25
// steps (from 2^24 = 0x1000000 down), the last bit rounding; subnormals
// scaled by 2^24 before and 2^-12 after. No math.sqrt (libm's sqrtf) is left.
// CHECK-LABEL: func.func @inverse_root
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-NOT:     math.sqrt
// CHECK-NOT:     math.rsqrt
// CHECK:         %[[BITS:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK:         arith.ori %{{.*}}, %c8388608_i32 : i32
// CHECK:         %[[DIGITS:.*]]:4 = scf.for %{{.*}} = %c0 to %c25 step %c1 iter_args({{.*}}, {{.*}}, {{.*}}, %{{.*}} = %c16777216_i32) -> (i32, i32, i32, i32)
// CHECK:           arith.cmpi ule
// CHECK:         %[[ROUND:.*]] = arith.andi %[[DIGITS]]#2, %c1_i32 : i32
// CHECK-NEXT:    arith.addi %[[DIGITS]]#2, %[[ROUND]] : i32
// CHECK:         %[[UNO:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK:         %[[KEPT:.*]] = arith.select %{{.*}}, %[[X]], %{{.*}} : f32
// CHECK-NEXT:    %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : f32
// CHECK-NEXT:    %[[ROOT:.*]] = arith.select %[[NEG]], %{{.*}}, %[[KEPT]] : f32
// CHECK-NEXT:    %[[INV:.*]] = arith.divf %{{.*}}, %[[ROOT]] : f32
// CHECK-NEXT:    return %[[INV]] : f32
// CHECK-NOT:     math.sqrt
// With an FPU the root stays one instruction (VSQRT).
// FPU-LABEL: func.func @inverse_root
// FPU:         math.rsqrt
// FPU-NOT:     scf.for
func.func @inverse_root(%x: f32) -> f32 {
  %0 = math.rsqrt %x : f32
  return %0 : f32
}

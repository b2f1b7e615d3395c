// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s --check-prefix=INT
// RUN: pex-opt %s -split-input-file --pex-lower-kernels=rounding-conversion | FileCheck %s --check-prefix=FPU

// A rescale marked pex.float32_rounding (ONNX Runtime's requantisation).
// Without an FPU that rounds conversions: the exact product rounded once,
// and only near a half-integer (or past 2^24) the float32 rounding in
// integers (leading zeros give the product's float32 ulp). With one: the
// value converted, multiplied by the float32 multiplier and converted back
// rounding to nearest (VCVTR); the TOSA rescale's own forms are not used.
// INT-LABEL: func.func private @per_tensor_k0_rescale
// INT:         arith.muli %{{.*}}, %{{.*}} : i64
// INT:         arith.cmpi ule
// INT:         scf.if
// INT:           math.ctlz %{{.*}} : i64
// INT:         } else {
// INT-NOT:     tosa.apply_scale
// INT:         return
// FPU-LABEL: func.func private @per_tensor_k0_rescale
// FPU:         arith.sitofp %{{.*}} : i32 to f32
// FPU:         arith.mulf
// FPU:         llvm.inline_asm {{.*}}"vcvtr.s32.f32 $0, $1"
// FPU-NOT:     scf.if
// FPU-NOT:     arith.muli %{{.*}} : i64
// FPU:         return
func.func @per_tensor(%x: memref<4x2xi32>, %y: memref<4x2xi8>) {
  pex.kernel ins(%x : memref<4x2xi32>) outs(%y : memref<4x2xi8>) {
  ^bb0(%in: tensor<4x2xi32>, %out: tensor<4x2xi8>):
    %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %ozp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m = "tosa.const"() <{values = dense<1460783744> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<41> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true, pex.float32_rounding = unit} : (tensor<4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x2xi8>
    pex.yield %r : tensor<4x2xi8>
  }
  return
}

// -----

// Per channel, the FPU's multipliers come from a float32 table made at
// compile time from the multipliers and shifts (m / 2^s, exact), read at the
// slice's offset.
// FPU:       memref.global "private" constant @multipliers_shifts_float32 : memref<4xf32> = dense<[3.32143769E-4, 2.1588942E-4, 1.250000e-01, 3.000000e+00]>
// FPU-LABEL: func.func private @per_channel_k0_rescale
// FPU:         %[[TABLE:.*]] = memref.get_global @multipliers_shifts_float32 : memref<4xf32>
// FPU:         memref.load %[[TABLE]][%{{.*}}] : memref<4xf32>
// FPU:         arith.mulf
// FPU:         llvm.inline_asm {{.*}}"vcvtr.s32.f32 $0, $1"
// FPU:         return
memref.global "private" constant @multipliers : memref<4xi32> = dense<[1460783744, 1898983424, 1073741824, 1610612736]>
memref.global "private" constant @shifts : memref<4xi8> = dense<[42, 43, 33, 29]>
func.func @per_channel(%x: memref<4x2xi32>, %y: memref<4x2xi8>, %offset: index) {
  %all_m = memref.get_global @multipliers : memref<4xi32>
  %all_s = memref.get_global @shifts : memref<4xi8>
  %m = memref.subview %all_m[%offset] [2] [1] : memref<4xi32> to memref<2xi32, strided<[1], offset: ?>>
  %s = memref.subview %all_s[%offset] [2] [1] : memref<4xi8> to memref<2xi8, strided<[1], offset: ?>>
  pex.kernel ins(%x, %m, %s : memref<4x2xi32>, memref<2xi32, strided<[1], offset: ?>>, memref<2xi8, strided<[1], offset: ?>>) outs(%y : memref<4x2xi8>) {
  ^bb0(%in: tensor<4x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<4x2xi8>):
    %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %ozp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true, pex.float32_rounding = unit} : (tensor<4x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x2xi8>
    pex.yield %r : tensor<4x2xi8>
  }
  return
}

// -----

// Multipliers computed at run time (not constants): m times 2^-s, whose
// float32 bits are (127 - s) << 23.
// FPU-LABEL: func.func private @run_time_multipliers_k0_rescale
// FPU:         %[[EXPONENT:.*]] = arith.subi %c127_i32, %{{.*}} : i32
// FPU:         %[[BITS:.*]] = arith.shli %[[EXPONENT]], %c23_i32 : i32
// FPU:         arith.bitcast %[[BITS]] : i32 to f32
// FPU:         llvm.inline_asm {{.*}}"vcvtr.s32.f32 $0, $1"
// FPU:         return
func.func @run_time_multipliers(%x: memref<4x2xi32>, %m: memref<2xi32>, %s: memref<2xi8>, %y: memref<4x2xi8>) {
  pex.kernel ins(%x, %m, %s : memref<4x2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<4x2xi8>) {
  ^bb0(%in: tensor<4x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<4x2xi8>):
    %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true, pex.float32_rounding = unit} : (tensor<4x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x2xi8>
    pex.yield %r : tensor<4x2xi8>
  }
  return
}

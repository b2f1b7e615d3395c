// RUN: pexc %s --target=cortex-m4 --emit=llvm -q -o - | FileCheck %s

// The DSP assembly blocks of a kernel are calls that return: `willreturn`
// lets LICM hoist the constant loads after a block (a channel's
// requantisation parameters, in a loop over pixels) out of the loop. Without
// it they are loaded again on every iteration (vww_96_int8's partial
// execution: 14.07 M -> 13.91 M estimated cycles).

// CHECK-LABEL: define {{.*}}@pex_pointwise_run_k0_conv2d(
// CHECK:       call { {{.*}} } asm sideeffect "ldr {{.*}} #[[ASM:[0-9]+]]
// CHECK:       attributes #[[ASM]] = { {{.*}}willreturn
func.func @pointwise(%x: tensor<1x16x16x8xi8>) -> tensor<1x16x16x16xi8> {
  %w = "tosa.const"() <{values = dense<3> : tensor<16x1x1x8xi8>}> : () -> tensor<16x1x1x8xi8>
  %b = "tosa.const"() <{values = dense<100> : tensor<16xi32>}> : () -> tensor<16xi32>
  %zp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x16x16x8xi8>, tensor<16x1x1x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x16x16x16xi32>
  %m = "tosa.const"() <{values = dense<1500000000> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<40> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %y = tosa.rescale %acc, %m, %s, %izp, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x16xi8>
  return %y : tensor<1x16x16x16xi8>
}

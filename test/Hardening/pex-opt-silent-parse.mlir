// MLIR 22's TOSA parsers can reject an attribute dictionary with an empty name
// without a diagnostic (found by pex.fuzz.mlir); pex-opt then says the module
// could not be parsed or processed, naming the file, instead of failing silently.
// RUN: not pex-opt %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: pex-opt: error: {{.*}}pex-opt-silent-parse.mlir: cannot parse or process the module (MLIR gave no reason)

func.func @rescale(%x: tensor<4xi32>) -> tensor<4xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %zp32, %zp8 {input_unsigned = false,  = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}

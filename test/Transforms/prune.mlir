// RUN: pex-opt %s --pex-prune="budget=1500 json=%t.json" | FileCheck %s
// RUN: FileCheck %s --input-file=%t.json --check-prefix=MASK
// The pruned function is valid TOSA and compiles into an arena within budget.
// RUN: pex-opt %s --pex-prune="budget=1500" -o %t.pruned.mlir
// RUN: mlir-opt %t.pruned.mlir --tosa-attach-target="profiles=pro_int,pro_fp extensions=doubleround" --tosa-validate -o /dev/null
// RUN: pexc %t.pruned.mlir --target=host -q -o %t.o --report-json=%t.report.json
// RUN: FileCheck %s --input-file=%t.report.json --check-prefix=ARENA
// ARENA: "arena_bytes": {{(1[0-4][0-9][0-9]|[0-9]?[0-9]?[0-9])}},

// A stem convolution (16 channels), an inverted residual block (16 -> 32 ->
// depthwise -> 16, added to the stem's output) and a head. Partial execution
// alone brings the arena from 5120 B to 3136 B. To reach 1500 B, pex-prune
// first takes 21 of the 32 expanded channels (the tensors at the peak), then
// 5 of the 16 channels the stem and the projection share through the
// residual add. All weights are equal here, so the lowest indices go.

// Every operator of the residual class loses the same channels: the stem's
// output filters and its per-channel requantisation, the projection's output
// filters, the add, and the input channels of the expansion and the head.
// CHECK-LABEL: func.func @residual
// CHECK:       tosa.conv2d %arg0, {{.*}} : (tensor<1x8x8x8xi8>, tensor<11x1x1x8xi8>, tensor<11xi32>, {{.*}}) -> tensor<1x8x8x11xi32>
// CHECK:       tosa.rescale {{.*}} : (tensor<1x8x8x11xi32>, tensor<11xi32>, tensor<11xi8>, {{.*}}) -> tensor<1x8x8x11xi8>
// The expanded class keeps 11 of 32 channels in the expansion's output
// filters, the depthwise weights and bias, and the projection's inputs.
// CHECK:       tosa.conv2d {{.*}} : (tensor<1x8x8x11xi8>, tensor<11x1x1x11xi8>, tensor<11xi32>, {{.*}}) -> tensor<1x8x8x11xi32>
// CHECK:       tosa.depthwise_conv2d {{.*}} : (tensor<1x8x8x11xi8>, tensor<3x3x11x1xi8>, tensor<11xi32>, {{.*}}) -> tensor<1x8x8x11xi32>
// CHECK:       tosa.conv2d {{.*}} : (tensor<1x8x8x11xi8>, tensor<11x1x1x11xi8>, tensor<11xi32>, {{.*}}) -> tensor<1x8x8x11xi32>
// CHECK:       tosa.add {{.*}} : (tensor<1x8x8x11xi32>, tensor<1x8x8x11xi32>) -> tensor<1x8x8x11xi32>
// CHECK:       tosa.conv2d {{.*}} : (tensor<1x8x8x11xi8>, tensor<4x1x1x11xi8>, tensor<4xi32>, {{.*}}) -> tensor<1x8x8x4xi32>

// The mask names the operators, in the original numbering of the channels.
// MASK:      "budget_bytes": 1500,
// MASK-NEXT: "function": "residual",
// MASK:      "peak_after_bytes": 1472,
// MASK-NEXT: "peak_before_bytes": 3136,
// MASK-NEXT: "pruned": [
// MASK:        "channel_local": [
// MASK-NEXT:     "expand",
// MASK-NEXT:     "depthwise"
// MASK:        "channels": 32,
// MASK-NEXT:   "consumers": [
// MASK-NEXT:     "project"
// MASK:        "kept": [
// MASK-NEXT:     21,
// MASK:        "producers": [
// MASK-NEXT:     "expand"
// MASK:        "channels": 16,
// MASK-NEXT:   "consumers": [
// MASK-NEXT:     "expand",
// MASK-NEXT:     "head"
// MASK:        "producers": [
// MASK-NEXT:     "stem",
// MASK-NEXT:     "project"
// MASK-NEXT:   ],
// MASK-NEXT:   "removed": [
// MASK-NEXT:     0,
// MASK-NEXT:     1,
// MASK-NEXT:     2,
// MASK-NEXT:     3,
// MASK-NEXT:     4
// MASK-NEXT:   ]
func.func @residual(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x4xi8> {
  %w0 = "tosa.const"() {values = dense<1> : tensor<16x1x1x8xi8>} : () -> tensor<16x1x1x8xi8>
  %b0 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %m0 = "tosa.const"() {values = dense<[1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824]> : tensor<16xi32>} : () -> tensor<16xi32>
  %s0 = "tosa.const"() {values = dense<33> : tensor<16xi8>} : () -> tensor<16xi8>
  %w1 = "tosa.const"() {values = dense<1> : tensor<32x1x1x16xi8>} : () -> tensor<32x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<0> : tensor<32xi32>} : () -> tensor<32xi32>
  %wd = "tosa.const"() {values = dense<1> : tensor<3x3x32x1xi8>} : () -> tensor<3x3x32x1xi8>
  %bd = "tosa.const"() {values = dense<0> : tensor<32xi32>} : () -> tensor<32xi32>
  %w2 = "tosa.const"() {values = dense<1> : tensor<16x1x1x32xi8>} : () -> tensor<16x1x1x32xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %w3 = "tosa.const"() {values = dense<1> : tensor<4x1x1x16xi8>} : () -> tensor<4x1x1x16xi8>
  %b3 = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xi8>, tensor<16x1x1x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("stem")
  %r = tosa.rescale %c0, %m0, %s0, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<16xi32>, tensor<16xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("stem")
  %c1 = tosa.conv2d %r, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("expand")
  %e = tosa.rescale %c1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8> loc("expand")
  %d = tosa.depthwise_conv2d %e, %wd, %bd, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<3x3x32x1xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32> loc("depthwise")
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8> loc("depthwise")
  %c2 = tosa.conv2d %dq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<16x1x1x32xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32> loc("project")
  %p = tosa.rescale %c2, %m, %s, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x8x8x16xi32> loc("project")
  %rw = tosa.rescale %r, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x8x8x16xi32> loc("residual")
  %sum = tosa.add %rw, %p : (tensor<1x8x8x16xi32>, tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi32> loc("residual")
  %y = tosa.rescale %sum, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8> loc("residual")
  %c3 = tosa.conv2d %y, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x1x1x16xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32> loc("head")
  %out = tosa.rescale %c3, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x4xi8> loc("head")
  return %out : tensor<1x8x8x4xi8>
}

// RUN: pex-opt %s -split-input-file --pex-partition="arena-budget=4096 alignment=1" | FileCheck %s --check-prefix=TIGHT
// RUN: pex-opt %s -split-input-file --pex-partition="arena-budget=12288 alignment=1" | FileCheck %s --check-prefix=MET
// RUN: pex-opt %s -split-input-file --pex-partition="arena-budget=3456 alignment=1" | FileCheck %s --check-prefix=EVEN

// The block of partition.mlir peaks at 12288 B unsplit. Under a budget of
// 4096 B the partitioner stops at the fewest slices that meet it: in slices
// of 16 channels the accumulator (2048 B) and two 1024 B slices fit exactly.
// TIGHT-LABEL: func.func @expand_filter_project
// TIGHT:       pex.group axis = 3, channels = 96, slices = 6
// TIGHT:         tosa.conv2d {{.*}} -> tensor<1x8x8x16xi32>
// TIGHT:         pex.partial_yield accumulate(%{{.*}} : tensor<1x8x8x8xi32>)

// Under 3456 B the fewest slices are 9 of 11 channels (2048 + 2 * 704 B); an
// odd width leaves the packed kernels a channel without its pair, so the
// partitioner takes 10 slices of 10 (the last of 6), which fit too.
// EVEN-LABEL: func.func @expand_filter_project
// EVEN:       pex.group axis = 3, channels = 96, slices = 10
// EVEN:         tosa.conv2d {{.*}} -> tensor<1x8x8x10xi32>

// A budget the unsplit program meets forms no group.
// MET-LABEL: func.func @expand_filter_project
// MET-NOT:   pex.group
func.func @expand_filter_project(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<96x1x1x16xi8>} : () -> tensor<96x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<96xi32>} : () -> tensor<96xi32>
  %m1 = "tosa.const"() {values = dense<1073741824> : tensor<96xi32>} : () -> tensor<96xi32>
  %s1 = "tosa.const"() {values = dense<33> : tensor<96xi8>} : () -> tensor<96xi8>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x96x1xi8>} : () -> tensor<3x3x96x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<96xi32>} : () -> tensor<96xi32>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x96xi8>} : () -> tensor<8x1x1x96xi8>
  %b3 = "tosa.const"() {values = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<96x1x1x16xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %eq = tosa.rescale %e, %m1, %s1, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<96xi32>, tensor<96xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %ec = tosa.clamp %eq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %d = tosa.depthwise_conv2d %ec, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<3x3x96x1xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
  %dc = tosa.clamp %dq {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
  %p = tosa.conv2d %dc, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  return %pq : tensor<1x8x8x8xi8>
}

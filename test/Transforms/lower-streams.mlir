// RUN: pex-opt %s -split-input-file --pex-lower-streams | FileCheck %s

// The stream of test/Transforms/stream.mlir carried out: the first rows
// fill the line buffers (straight-line code), the rows whose actions repeat
// are one loop carrying the line buffers and the result, the last row's
// window is clipped by the padding. Every row of every operator is computed
// once: 8 expansion rows (2 + 1 + 5 in the loop), 8 depthwise rows (1 + 1 + 5
// + 1), 8 projection rows.
// CHECK-LABEL: func.func @expand_filter_project
// CHECK-DAG:   %[[LINE0:.*]] = tensor.empty() : tensor<1x3x8x96xi8>
// CHECK-DAG:   %[[LINE1:.*]] = tensor.empty() : tensor<1x1x8x96xi8>
// CHECK-DAG:   %[[OUT:.*]] = tensor.empty() : tensor<1x8x8x8xi8>
// Row 0 of the expansion, into slot 0 of its line buffer.
// CHECK:       %[[IN0:.*]] = tensor.extract_slice %arg0[0, %{{.*}}, 0, 0] [1, 1, 8, 16]
// CHECK:       tosa.conv2d %[[IN0]], {{.*}} -> tensor<1x1x8x96xi32>
// CHECK:       %[[E0:.*]] = tensor.insert_slice %{{.*}} into %[[LINE0]][0, 0, 0, 0] [1, 1, 8, 96]
// CHECK:       %[[E1:.*]] = tensor.insert_slice %{{.*}} into %[[E0]][0, 1, 0, 0] [1, 1, 8, 96]
// Depthwise row 0 reads the two rows there with one padding row above.
// CHECK:       %[[W0:.*]] = tensor.extract_slice %[[E1]][0, 0, 0, 0] [1, 2, 8, 96]
// CHECK:       tosa.depthwise_conv2d %[[W0]], {{.*}}pad = array<i64: 1, 0, 1, 1>{{.*}} -> tensor<1x1x8x96xi32>
// CHECK:       tensor.insert_slice %{{.*}} into %[[OUT]][0, %{{.*}}, 0, 0] [1, 1, 8, 8]
// CHECK:       tosa.depthwise_conv2d {{.*}}pad = array<i64: 0, 0, 1, 1>
// CHECK:       scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x3x8x96xi8>, tensor<1x1x8x96xi8>, tensor<1x8x8x8xi8>) {
// The window moves down a row: the oldest row goes, the new one lands last.
// CHECK:         %[[SHIFTED:.*]] = pex.shift_rows %{{.*}} drop 1 keep 2 : tensor<1x3x8x96xi8>
// CHECK:         tosa.conv2d
// CHECK:         tensor.insert_slice %{{.*}} into %[[SHIFTED]][0, 2, 0, 0] [1, 1, 8, 96]
// CHECK:         tosa.depthwise_conv2d {{.*}}pad = array<i64: 0, 0, 1, 1>
// CHECK:         tosa.conv2d
// CHECK:         scf.yield
// The last depthwise row: two rows and a padding row below.
// CHECK:       pex.shift_rows %{{.*}} drop 1 keep 2
// CHECK:       tosa.depthwise_conv2d {{.*}}pad = array<i64: 0, 1, 1, 1>
// CHECK:       %[[LAST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, %{{.*}}, 0, 0] [1, 1, 8, 8]
// CHECK-NEXT:  return %[[LAST]]
func.func @expand_filter_project(%arg0: tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi8> {
  %0 = "tosa.const"() <{values = dense<1> : tensor<96x1x1x16xi8>}> : () -> tensor<96x1x1x16xi8>
  %1 = "tosa.const"() <{values = dense<3> : tensor<96xi32>}> : () -> tensor<96xi32>
  %2 = "tosa.const"() <{values = dense<1073741824> : tensor<96xi32>}> : () -> tensor<96xi32>
  %3 = "tosa.const"() <{values = dense<33> : tensor<96xi8>}> : () -> tensor<96xi8>
  %4 = "tosa.const"() <{values = dense<2> : tensor<3x3x96x1xi8>}> : () -> tensor<3x3x96x1xi8>
  %5 = "tosa.const"() <{values = dense<0> : tensor<96xi32>}> : () -> tensor<96xi32>
  %6 = "tosa.const"() <{values = dense<-1> : tensor<8x1x1x96xi8>}> : () -> tensor<8x1x1x96xi8>
  %7 = "tosa.const"() <{values = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>}> : () -> tensor<8xi32>
  %8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %9 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %10 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %11 = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
  %12 = pex.stream line_rows = [3, 1](%arg0 : tensor<1x8x8x16xi8>) -> tensor<1x8x8x8xi8> {
  ^bb0(%arg1: tensor<1x8x8x16xi8>):
    %13 = tosa.conv2d %arg1, %0, %1, %8, %8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<96x1x1x16xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
    %14 = tosa.rescale %13, %2, %3, %9, %8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<96xi32>, tensor<96xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
    %15 = tosa.clamp %14 {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
    %16 = tosa.depthwise_conv2d %15, %4, %5, %8, %8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<3x3x96x1xi8>, tensor<96xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x96xi32>
    %17 = tosa.rescale %16, %10, %11, %9, %8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x96xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x96xi8>
    %18 = tosa.clamp %17 {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x96xi8>) -> tensor<1x8x8x96xi8>
    %19 = tosa.conv2d %18, %6, %7, %8, %8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x96xi8>, tensor<8x1x1x96xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
    %20 = tosa.rescale %19, %10, %11, %9, %8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
    pex.yield %20 : tensor<1x8x8x8xi8>
  }
  return %12 : tensor<1x8x8x8xi8>
}


// -----

// A stream ending with a global average pool: each row of the expansion is
// summed over its columns minus the pool's input zero point (a depthwise
// convolution with weights 1) and added to the accumulator in the storage
// placed for it (on the stream); the first row starts it, the other seven are one loop.
// After the last row, the sum is scaled by TOSA's reciprocal of the 64
// values (single rounding, as avg_pool2d) into the result's storage.
// CHECK-LABEL: func.func @expand_then_global_pool
// CHECK:       %[[LINE:.*]] = pex.buffer {{.*}}offset = 0, size = 512{{.*}} : tensor<1x1x8x64xi8>
// CHECK:       tosa.conv2d
// CHECK:       %[[ROW0:.*]] = tensor.insert_slice %{{.*}} into %[[LINE]][0, 0, 0, 0] [1, 1, 8, 64]
// CHECK:       %[[WINDOW0:.*]] = tensor.extract_slice %[[ROW0]][0, 0, 0, 0] [1, 1, 8, 64]
// CHECK:       %[[ONES0:.*]] = "tosa.const"() <{values = dense<1> : tensor<1x8x64x1xi8>}>
// CHECK:       %[[FIRST:.*]] = tosa.depthwise_conv2d %[[WINDOW0]], %[[ONES0]], %{{.*}}, %[[IZP:[^,]*]], %{{.*}} {{.*}}pex.placement = #pex.placement<offset = 512, size = 256{{.*}} -> tensor<1x1x1x64xi32>
// CHECK:       %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[ROW0]], %[[ACC:.*]] = %[[FIRST]])
// CHECK:         tosa.conv2d
// CHECK:         %[[ONES:.*]] = "tosa.const"() <{values = dense<1> : tensor<1x8x64x1xi8>}>
// CHECK:         %[[SUM:.*]] = tosa.depthwise_conv2d %{{.*}}, %[[ONES]], %{{.*}}, %[[IZP]]
// CHECK:         tosa.add %[[ACC]], %[[SUM]] {pex.placement = #pex.placement<offset = 512, size = 256{{.*}} -> tensor<1x1x1x64xi32>
// CHECK:       %[[MULTIPLIER:.*]] = "tosa.const"() <{values = dense<1073741825> : tensor<1xi32>}>
// CHECK:       %[[SHIFT:.*]] = "tosa.const"() <{values = dense<36> : tensor<1xi8>}>
// CHECK:       %[[OUT:.*]] = tosa.rescale %[[LOOP]]#1, %[[MULTIPLIER]], %[[SHIFT]], {{.*}}pex.placement = #pex.placement<offset = 768, size = 64{{.*}}rounding_mode = SINGLE_ROUND
// CHECK-NEXT:  return %[[OUT]]
func.func @expand_then_global_pool(%arg0: tensor<1x8x8x16xi8>) -> tensor<1x1x1x64xi8> {
  %w = "tosa.const"() <{values = dense<1> : tensor<64x1x1x16xi8>}> : () -> tensor<64x1x1x16xi8>
  %b = "tosa.const"() <{values = dense<3> : tensor<64xi32>}> : () -> tensor<64xi32>
  %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %pzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = pex.stream line_rows = [1](%arg0 : tensor<1x8x8x16xi8>) -> tensor<1x1x1x64xi8> {
  ^bb0(%x: tensor<1x8x8x16xi8>):
    %e = tosa.conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<64x1x1x16xi8>, tensor<64xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x64xi32>
    %eq = tosa.rescale %e, %m, %s, %zp32, %pzp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true, pex.placement = #pex.placement<offset = 0, size = 512, live = [0, 1]>} : (tensor<1x8x8x64xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x64xi8>
    %p = tosa.avg_pool2d %eq, %pzp, %pzp {acc_type = i32, kernel = array<i64: 8, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 8, 8>} : (tensor<1x8x8x64xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x64xi8>
    pex.yield %p : tensor<1x1x1x64xi8>
  } {pex.accumulator_placements = [#pex.placement<offset = 512, size = 256, live = [0, 1]>], pex.placements = [#pex.placement<offset = 768, size = 64, live = [0, 1]>]}
  return %0 : tensor<1x1x1x64xi8>
}

// -----

// A sum along rows accumulates in the result's storage: the first row's
// sum starts it, every later row is added to it (six in the loop, the last
// one after it, its window clipped by the padding), and the last sum is the
// stream's result.
// CHECK-LABEL: func.func @filter_then_sum_rows
// CHECK:       %[[FIRST:.*]] = tosa.reduce_sum %{{.*}} {axis = 1 : i32, pex.placement = #pex.placement<offset = 512, size = 512{{.*}} -> tensor<1x1x8x16xf32>
// CHECK:       %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %[[FIRST]])
// CHECK:         tosa.depthwise_conv2d
// CHECK:         %[[ROW:.*]] = tensor.extract_slice
// CHECK:         tosa.add %[[ACC]], %[[ROW]] {pex.placement = #pex.placement<offset = 512, size = 512
// CHECK:       %[[LAST:.*]] = tosa.add %[[LOOP]]#1, %{{.*}} {pex.placement = #pex.placement<offset = 512, size = 512
// CHECK-NEXT:  return %[[LAST]]
func.func @filter_then_sum_rows(%arg0: tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32> {
  %w = "tosa.const"() <{values = dense<5.000000e-01> : tensor<3x3x16x1xf32>}> : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() <{values = dense<0.000000e+00> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = pex.stream line_rows = [1](%arg0 : tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32> {
  ^bb0(%x: tensor<1x8x8x16xf32>):
    %d = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, pex.placement = #pex.placement<offset = 0, size = 512, live = [0, 1]>} : (tensor<1x8x8x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
    %s = tosa.reduce_sum %d {axis = 1 : i32} : (tensor<1x8x8x16xf32>) -> tensor<1x1x8x16xf32>
    pex.yield %s : tensor<1x1x8x16xf32>
  } {pex.placements = [#pex.placement<offset = 512, size = 512, live = [0, 1]>]}
  return %0 : tensor<1x1x8x16xf32>
}

// -----

// A stream without input reads each row of the model input once, into the
// slot of its line buffer where the window needs it: before the loop the
// first rows, in the loop one row at the row the induction variable gives.
// CHECK-LABEL: func.func @filter_filter_from_rows
// CHECK:       %[[LINE0:.*]] = tensor.empty() : tensor<1x3x8x16xi8>
// CHECK:       %[[SLOT0:.*]] = tensor.extract_slice %[[LINE0]][0, 0, 0, 0] [1, 1, 8, 16]
// CHECK:       %[[ROW0:.*]] = pex.read_rows %[[SLOT0]] rows_from %c0{{.*}} : tensor<1x1x8x16xi8> -> tensor<1x1x8x16xi8>
// CHECK:       %[[FILLED0:.*]] = tensor.insert_slice %[[ROW0]] into %[[LINE0]][0, 0, 0, 0] [1, 1, 8, 16]
// CHECK:       %[[SLOT1:.*]] = tensor.extract_slice %[[FILLED0]][0, 1, 0, 0] [1, 1, 8, 16]
// CHECK:       pex.read_rows %[[SLOT1]] rows_from %c1
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[L0:.*]] = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK:         %[[SCALED:.*]] = arith.muli %[[I]], %{{.*}}
// CHECK:         %[[ROW:.*]] = arith.addi %[[SCALED]], %{{.*}}
// CHECK:         %[[SHIFTED:.*]] = pex.shift_rows %[[L0]] drop 1 keep 2 : tensor<1x3x8x16xi8>
// CHECK:         %[[SLOT:.*]] = tensor.extract_slice %[[SHIFTED]][0, 2, 0, 0] [1, 1, 8, 16]
// CHECK:         pex.read_rows %[[SLOT]] rows_from %[[ROW]]
// CHECK:         scf.yield
func.func @filter_filter_from_rows() -> tensor<1x8x8x16xi8> {
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x16xi8>} : () -> tensor<16x3x3x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x16x1xi8>} : () -> tensor<3x3x16x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<16xi32>} : () -> tensor<16xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tensor.empty() : tensor<1x8x8x16xi8>
  %c0 = arith.constant 0 : index
  %y = pex.stream line_rows = [3, 3]() -> tensor<1x8x8x16xi8> {
    %x = pex.read_rows %e rows_from %c0 : tensor<1x8x8x16xi8> -> tensor<1x8x8x16xi8>
    %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
    %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
    %d = tosa.depthwise_conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
    %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
    pex.yield %dq : tensor<1x8x8x16xi8>
  }
  return %y : tensor<1x8x8x16xi8>
}

// -----

// The residual add of a streamed inverted residual reads the row of the
// stream's input that matches the row it computes: in the loop, the input
// row the projection's output row r needs is r, one row behind the rows
// the expansion reads.
// CHECK-LABEL: func.func @inverted_residual
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK:         %[[NEXT:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[ROW:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         tensor.extract_slice %arg0[0, %[[NEXT]], 0, 0] [1, 1, 8, 16]
// CHECK:         tosa.conv2d {{.*}} -> tensor<1x1x8x64xf32>
// CHECK:         tosa.depthwise_conv2d
// CHECK:         %[[SKIP:.*]] = tensor.extract_slice %arg0[0, %[[ROW]], 0, 0] [1, 1, 8, 16]
// CHECK:         %[[P:.*]] = tosa.conv2d {{.*}} -> tensor<1x1x8x16xf32>
// CHECK-NEXT:    tosa.add %[[P]], %[[SKIP]] : (tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>) -> tensor<1x1x8x16xf32>
func.func @inverted_residual(%arg0: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = "tosa.const"() <{values = dense<2.500000e-01> : tensor<64x1x1x16xf32>}> : () -> tensor<64x1x1x16xf32>
  %1 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<64xf32>}> : () -> tensor<64xf32>
  %2 = "tosa.const"() <{values = dense<5.000000e-01> : tensor<3x3x64x1xf32>}> : () -> tensor<3x3x64x1xf32>
  %3 = "tosa.const"() <{values = dense<-1.250000e-01> : tensor<16x1x1x64xf32>}> : () -> tensor<16x1x1x64xf32>
  %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<16xf32>}> : () -> tensor<16xf32>
  %5 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %6 = pex.stream line_rows = [3, 1](%arg0 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  ^bb0(%arg1: tensor<1x8x8x16xf32>):
    %7 = tosa.conv2d %arg1, %0, %1, %5, %5 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<64x1x1x16xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x64xf32>
    %8 = tosa.clamp %7 {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
    %9 = tosa.depthwise_conv2d %8, %2, %1, %5, %5 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x64xf32>, tensor<3x3x64x1xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x64xf32>
    %10 = tosa.clamp %9 {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
    %11 = tosa.conv2d %10, %3, %4, %5, %5 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x64xf32>, tensor<16x1x1x64xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
    %12 = tosa.add %11, %arg1 : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
    pex.yield %12 : tensor<1x8x8x16xf32>
  }
  return %6 : tensor<1x8x8x16xf32>
}

// -----

// A stream without result writes each row of its last operator to the
// application as soon as it is computed, from the operator's one-row line
// buffer: rows 0 and 1 before the loop, one row per iteration at the row the
// induction variable gives, row 7 (the bottom padding's) after it. The
// output never exists whole.
// CHECK-LABEL: func.func @filter_project_to_rows
// CHECK-DAG:   %[[LINE0:.*]] = tensor.empty() : tensor<1x3x8x16xi8>
// CHECK-DAG:   %[[LINE2:.*]] = tensor.empty() : tensor<1x1x8x8xi8>
// CHECK-NOT:   tensor.empty() : tensor<1x8x8x8xi8>
// CHECK:       %[[ROW0:.*]] = tensor.insert_slice %{{.*}} into %[[LINE2]][0, 0, 0, 0] [1, 1, 8, 8]
// CHECK:       %[[OUT0:.*]] = tensor.extract_slice %[[ROW0]][0, 0, 0, 0] [1, 1, 8, 8]
// CHECK:       pex.write_rows %[[OUT0]] rows_from %c0{{.*}} : tensor<1x1x8x8xi8>
// CHECK:       pex.write_rows %{{.*}} rows_from %c1{{.*}} : tensor<1x1x8x8xi8>
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %[[L2:.*]] = %{{.*}}) -> (tensor<1x3x8x16xi8>, tensor<1x1x8x16xi8>, tensor<1x1x8x8xi8>)
// The input row read, three ahead, and the output row written.
// CHECK:         arith.addi %{{.*}}, %c3{{.*}}
// CHECK:         %[[SCALED:.*]] = arith.muli %[[I]], %{{.*}}
// CHECK:         %[[ROW:.*]] = arith.addi %[[SCALED]], %c2{{.*}}
// CHECK:         pex.read_rows
// CHECK:         %[[COMPUTED:.*]] = tensor.insert_slice %{{.*}} into %[[L2]][0, 0, 0, 0] [1, 1, 8, 8]
// CHECK:         %[[OUT:.*]] = tensor.extract_slice %[[COMPUTED]][0, 0, 0, 0] [1, 1, 8, 8]
// CHECK-NEXT:    pex.write_rows %[[OUT]] rows_from %[[ROW]] : tensor<1x1x8x8xi8>
// CHECK-NEXT:    scf.yield
// CHECK:       pex.write_rows %{{.*}} rows_from %c7 : tensor<1x1x8x8xi8>
// CHECK-NEXT:  return{{$}}
func.func @filter_project_to_rows() {
  %e = tensor.empty() : tensor<1x8x8x16xi8>
  %c0 = arith.constant 0 : index
  %w1 = "tosa.const"() {values = dense<1> : tensor<16x3x3x16xi8>} : () -> tensor<16x3x3x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<16xi32>} : () -> tensor<16xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<8x1x1x16xi8>} : () -> tensor<8x1x1x16xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  pex.stream line_rows = [3, 1, 1]() {
    %x = pex.read_rows %e rows_from %c0 : tensor<1x8x8x16xi8> -> tensor<1x8x8x16xi8>
    %c = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
    %cq = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
    %p = tosa.conv2d %cq, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<8x1x1x16xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
    %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
    pex.write_rows %pq rows_from %c0 : tensor<1x8x8x8xi8>
    pex.yield
  }
  return
}

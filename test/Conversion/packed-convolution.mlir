// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s

// An int8 1x1 convolution with constant weights and six output channels, at
// stride 2 (its pixels' rows are not consecutive, which would be read in
// place): five output pixels in a block of three and a block of two, three channel
// pairs. The weights are packed at compile time by channel pair and
// half-step (MicroKernels.h: the word of pair 0, group 0, half-step 0 holds
// w0[0], w1[0], w0[2], w1[2]), aligned for word loads; the input zero point
// (3) is folded into the biases at compile time (10 - 3 * 36, 20 + 3 * 36,
// ...). Each block's receptive fields go to an int16 buffer on the stack,
// allocated once in the entry block, four inputs at a time (loops marked
// pex.im2col); every channel pair then runs the marked dot-product loop over
// the buffer's groups from its folded biases (marked `unrolled`: two groups
// are at most MicroKernels.h's kMaxStraightGroups), and the accumulators go
// straight to the output.
// CHECK-DAG:   memref.global "private" constant @weights_pairs1 : memref<3x2x2x1x4xi8> = dense<{{\[\[\[\[\[}}1, -1, 3, -3]], {{\[\[}}2, -2, 4, -4]]], {{.*}} {alignment = 4 : i64}
// CHECK-DAG:   memref.global "private" constant @weights_bias_folded_zp3_0 : memref<6xi32> = dense<[-98, 128, -270, 28, 26, 12]> {alignment = 4 : i64}
// CHECK-LABEL: func.func private @pointwise_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x1x9x8xi8>, %[[Y:.*]]: memref<1x1x5x6xi32>)
// CHECK-DAG:     %[[REST:.*]] = memref.alloca() {alignment = 4 : i64} : memref<2x2x2x2xi16>
// CHECK-DAG:     %[[BLOCK:.*]] = memref.alloca() {alignment = 4 : i64} : memref<2x2x3x2xi16>
// CHECK-DAG:     %[[BIASES:.*]] = memref.get_global @weights_bias_folded_zp3_0
// CHECK-DAG:     %[[WEIGHTS:.*]] = memref.get_global @weights_pairs1
// CHECK:         scf.for %[[J:.*]] = %c0 to %c2 step %c1 {
// CHECK-COUNT-4:   memref.load %[[X]][%c0, %c0, %c0, %{{.*}}] : memref<1x1x9x8xi8>
// CHECK:           memref.store %{{.*}}, %[[BLOCK]][%[[J]], %c1, %c0, %c1] : memref<2x2x3x2xi16>
// CHECK-NEXT:    } {pex.im2col}
// CHECK:         } {pex.im2col}
// CHECK:         } {pex.im2col}
// CHECK:         scf.for %[[PAIR:.*]] = %c0 to %c3 step %c1 {
// CHECK:           %[[B0:.*]] = memref.load %[[BIASES]]
// CHECK:           %[[B1:.*]] = memref.load %[[BIASES]]
// CHECK:           %[[ACC:.*]]:6 = scf.for %[[G:.*]] = %c0 to %c2 step %c1 iter_args({{.*}} = %[[B0]], {{.*}} = %[[B1]], {{.*}} = %[[B0]], {{.*}} = %[[B1]], {{.*}} = %[[B0]], {{.*}} = %[[B1]])
// CHECK:             memref.load %[[BLOCK]][%[[G]], %c0, %c0, %c0] : memref<2x2x3x2xi16>
// CHECK:             memref.load %[[WEIGHTS]][%[[PAIR]], %[[G]], %c0, %c0, %c0] : memref<3x2x2x1x4xi8>
// CHECK:           } {pex.mac = {input = "im2col", pairs = 1 : i64, pixels = 3 : i64, unrolled}}
// CHECK:           memref.store %[[ACC]]#0, %[[Y]][%c0, %c0, %c0, %{{.*}}]
// CHECK:           memref.store %[[ACC]]#5, %[[Y]][%c0, %c0, %c2, %{{.*}}]
// CHECK:         } {pex.im2col}
// CHECK:         } {pex.im2col}
// CHECK:         scf.for
// CHECK:           scf.for {{.*}} iter_args
// CHECK:             memref.load %[[REST]]
// CHECK:           } {pex.mac = {input = "im2col", pairs = 1 : i64, pixels = 2 : i64, unrolled}}
// CHECK-NOT:     tosa.conv2d
memref.global "private" constant @weights : memref<6x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[-1, -2, -3, -4, -5, -6, -7, -8]]], [[[9, 10, 11, 12, 13, 14, 15, 16]]], [[[0, 1, 0, 1, 0, 1, 0, 1]]], [[[1, 1, 1, 1, 1, 1, 1, 1]]], [[[2, 2, 2, 2, 2, 2, 2, 2]]]]>
memref.global "private" constant @bias : memref<6xi32> = dense<[10, 20, 30, 40, 50, 60]>
func.func @pointwise(%x: memref<1x1x9x8xi8>, %y: memref<1x1x5x6xi32>) {
  %w = memref.get_global @weights : memref<6x1x1x8xi8>
  %b = memref.get_global @bias : memref<6xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x9x8xi8>, memref<6x1x1x8xi8>, memref<6xi32>) outs(%y : memref<1x1x5x6xi32>) {
  ^bb0(%xa: tensor<1x1x9x8xi8>, %wa: tensor<6x1x1x8xi8>, %ba: tensor<6xi32>, %out: tensor<1x1x5x6xi32>):
    %xzp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<1x1x9x8xi8>, tensor<6x1x1x8xi8>, tensor<6xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x5x6xi32>
    pex.yield %c : tensor<1x1x5x6xi32>
  }
  return
}

// -----

// With few output channels (two), a 1x1 convolution reads each pixel's
// inputs in place, a row of an [N * H * W, C] view (stride 2: row 10 oh +
// 2 ow), two pixels per block: copying them to the buffer would cost about
// what sharing them saves.
// CHECK-LABEL: func.func private @narrow_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x3x5x8xi8>, %[[Y:.*]]: memref<1x2x3x2xi32>)
// CHECK-NOT:     memref.alloca
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1, 2], [3]] : memref<1x3x5x8xi8> into memref<15x8xi8>
// CHECK:         scf.for %[[FIRST:.*]] = %c0 to %c6 step %c2 {
// CHECK:           %[[OH:.*]] = arith.divui %[[FIRST]], %c3 : index
// CHECK:           %[[OW:.*]] = arith.remui %[[FIRST]], %c3 : index
// CHECK:           %[[IW:.*]] = arith.muli %[[OW]], %c2 : index
// CHECK:           %[[IH:.*]] = arith.muli %[[OH]], %c10 : index
// CHECK:           %[[ROW:.*]] = arith.addi %[[IH]], %[[IW]] : index
// CHECK:           scf.for %[[G:.*]] = %c0 to %c2 step %c1 iter_args
// CHECK:             %[[K:.*]] = arith.muli %[[G]], %c4 : index
// CHECK:             memref.load %[[ROWS]][%[[ROW]], %[[K]]] : memref<15x8xi8>
// CHECK:           } {pex.mac = {input = "rows", pairs = 1 : i64, pixels = 2 : i64}}
memref.global "private" constant @narrow_weights : memref<2x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[-1, -2, -3, -4, -5, -6, -7, -8]]]]>
memref.global "private" constant @narrow_bias : memref<2xi32> = dense<[10, 20]>
func.func @narrow(%x: memref<1x3x5x8xi8>, %y: memref<1x2x3x2xi32>) {
  %w = memref.get_global @narrow_weights : memref<2x1x1x8xi8>
  %b = memref.get_global @narrow_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x3x5x8xi8>, memref<2x1x1x8xi8>, memref<2xi32>) outs(%y : memref<1x2x3x2xi32>) {
  ^bb0(%xa: tensor<1x3x5x8xi8>, %wa: tensor<2x1x1x8xi8>, %ba: tensor<2xi32>, %out: tensor<1x2x3x2xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x3x5x8xi8>, tensor<2x1x1x8xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x2xi32>
    pex.yield %c : tensor<1x2x3x2xi32>
  }
  return
}

// -----

// A fully connected layer (one output whose window is the whole input)
// reads its input row in place, through a [N, K] view: no buffer. Two
// channel pairs share each input word (pairs = 2).
// CHECK:       memref.global "private" constant @fc_pairs2 : memref<1x2x2x2x4xi8>
// CHECK-LABEL: func.func private @fully_connected_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x1x1x8xi8>, %[[Y:.*]]: memref<1x1x1x4xi32>)
// CHECK-NOT:     memref.alloca
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : memref<1x1x1x8xi8> into memref<1x8xi8>
// CHECK:         %[[ACC:.*]]:4 = scf.for %[[G:.*]] = %c0 to %c2 step %c1 iter_args
// CHECK:           %[[K:.*]] = arith.muli %[[G]], %c4 : index
// CHECK:           memref.load %[[ROWS]][%c0, %[[K]]] : memref<1x8xi8>
// CHECK:         } {pex.mac = {input = "rows", pairs = 2 : i64, pixels = 1 : i64}}
// CHECK-COUNT-4: memref.store %[[ACC]]#{{[0-3]}}, %[[Y]]
memref.global "private" constant @fc : memref<4x1x1x8xi8> = dense<1>
memref.global "private" constant @fc_bias : memref<4xi32> = dense<[1, 2, 3, 4]>
func.func @fully_connected(%x: memref<1x1x1x8xi8>, %y: memref<1x1x1x4xi32>) {
  %w = memref.get_global @fc : memref<4x1x1x8xi8>
  %b = memref.get_global @fc_bias : memref<4xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x1x8xi8>, memref<4x1x1x8xi8>, memref<4xi32>) outs(%y : memref<1x1x1x4xi32>) {
  ^bb0(%xa: tensor<1x1x1x8xi8>, %wa: tensor<4x1x1x8xi8>, %ba: tensor<4xi32>, %out: tensor<1x1x1x4xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xi8>, tensor<4x1x1x8xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x4xi32>
    pex.yield %c : tensor<1x1x1x4xi32>
  }
  return
}

// -----

// A slice of the output channels (a group loop's, at offset 2i): the packed
// weights (slices of two channels from 0 on) are read at block offset / 2,
// the folded biases (2 + 4 * 2 ... for the input zero point -1) at the
// offset itself.
// CHECK-DAG:   memref.global "private" constant @sliced_pairs1_slices2 : memref<2x1x2x1x4xi8>
// CHECK-DAG:   memref.global "private" constant @sliced_sliced_bias_folded_zpm1_0 : memref<4xi32> = dense<[9, 10, 11, 12]>
// CHECK-LABEL: func.func private @slice_k0_conv2d
// CHECK-SAME:    (%{{.*}}: memref<1x1x1x4xi8>, %[[I:.*]]: index, %{{.*}}: memref<1x1x1x2xi32>)
// CHECK:         %[[OFFSET:.*]] = arith.muli %[[I]], %c2 : index
// CHECK-DAG:     %[[BIASES:.*]] = memref.get_global @sliced_sliced_bias_folded_zpm1_0
// CHECK-DAG:     %[[WEIGHTS:.*]] = memref.get_global @sliced_pairs1_slices2
// CHECK-DAG:     %[[PAIR:.*]] = arith.divui %[[OFFSET]], %c2 : index
// CHECK:         memref.load %[[BIASES]][%[[OFFSET]]] : memref<4xi32>
// CHECK:         memref.load %[[WEIGHTS]][%[[PAIR]], %c0, %c0, %c0, %c0]
memref.global "private" constant @sliced : memref<4x1x1x4xi8> = dense<2>
memref.global "private" constant @sliced_bias : memref<4xi32> = dense<[1, 2, 3, 4]>
func.func @slice(%x: memref<1x1x1x4xi8>, %y: memref<1x1x1x2xi32>, %i: index) {
  %c2 = arith.constant 2 : index
  %off = arith.muli %i, %c2 : index
  %all = memref.get_global @sliced : memref<4x1x1x4xi8>
  %w = memref.subview %all[%off, 0, 0, 0] [2, 1, 1, 4] [1, 1, 1, 1] : memref<4x1x1x4xi8> to memref<2x1x1x4xi8, strided<[4, 4, 4, 1], offset: ?>>
  %allb = memref.get_global @sliced_bias : memref<4xi32>
  %b = memref.subview %allb[%off] [2] [1] : memref<4xi32> to memref<2xi32, strided<[1], offset: ?>>
  pex.kernel ins(%x, %w, %b : memref<1x1x1x4xi8>, memref<2x1x1x4xi8, strided<[4, 4, 4, 1], offset: ?>>, memref<2xi32, strided<[1], offset: ?>>) outs(%y : memref<1x1x1x2xi32>) {
  ^bb0(%xa: tensor<1x1x1x4xi8>, %wa: tensor<2x1x1x4xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x1x2xi32>):
    %zp = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x2xi32>
    pex.yield %c : tensor<1x1x1x2xi32>
  }
  return
}

// -----

// With few output channels, an unpadded convolution whose kernel rows are
// runs of whole words (3 taps by 4 channels) reads its input in place too,
// through an [N * H, W * C] view: a receptive field is three runs of 12
// inputs from (row oh, column 4 ow), one per kernel row, and the marked
// loop covers one run (three groups) in a loop over the runs, the packed
// weights read from group 3 run on; its attribute gives the bytes from a
// run to the next (a row of the view, 20). One output channel: singles,
// three pixels per block.
// CHECK-LABEL: func.func private @runs_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x5x4xi8>, %[[Y:.*]]: memref<1x2x3x1xi32>)
// CHECK-NOT:     memref.alloca
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1], [2, 3]] : memref<1x4x5x4xi8> into memref<4x20xi8>
// CHECK:         %[[WEIGHTS:.*]] = memref.get_global @runs_weights_singles : memref<1x9x4xi8>
// CHECK:         scf.for %[[FIRST:.*]] = %c0 to %c6 step %c3 {
// CHECK:           %[[OH:.*]] = arith.divui %[[FIRST]], %c3 : index
// CHECK:           %[[OW:.*]] = arith.remui %[[FIRST]], %c3 : index
// CHECK:           %[[COLUMN:.*]] = arith.muli %[[OW]], %c4 : index
// CHECK:           %[[ACC:.*]]:3 = scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args
// CHECK:             %[[FIRSTGROUP:.*]] = arith.muli %[[KH]], %c3 : index
// CHECK:             %[[RUNACC:.*]]:3 = scf.for %[[G:.*]] = %c0 to %c3 step %c1 iter_args
// CHECK:               %[[GROUP:.*]] = arith.addi %[[FIRSTGROUP]], %[[G]] : index
// CHECK:               %[[K:.*]] = arith.muli %[[G]], %c4 : index
// CHECK:               %[[AT:.*]] = arith.addi %[[COLUMN]], %[[K]] : index
// CHECK:               %[[ROW:.*]] = arith.addi %[[OH]], %[[KH]] : index
// CHECK:               memref.load %[[ROWS]][%[[ROW]], %[[AT]]] : memref<4x20xi8>
// CHECK:               memref.load %[[WEIGHTS]][%c0, %[[GROUP]], %c0] : memref<1x9x4xi8>
// CHECK:             } {pex.mac = {input = "rows", pairs = 0 : i64, pixels = 3 : i64, run_stride = 20 : i64}}
// CHECK:             scf.yield %[[RUNACC]]#0, %[[RUNACC]]#1, %[[RUNACC]]#2
// CHECK:           memref.store %[[ACC]]#0, %[[Y]][%c0, %[[OH]], %[[OW]], %c0]
memref.global "private" constant @runs_weights : memref<1x3x3x4xi8> = dense<1>
memref.global "private" constant @runs_bias : memref<1xi32> = dense<7>
func.func @runs(%x: memref<1x4x5x4xi8>, %y: memref<1x2x3x1xi32>) {
  %w = memref.get_global @runs_weights : memref<1x3x3x4xi8>
  %b = memref.get_global @runs_bias : memref<1xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x5x4xi8>, memref<1x3x3x4xi8>, memref<1xi32>) outs(%y : memref<1x2x3x1xi32>) {
  ^bb0(%xa: tensor<1x4x5x4xi8>, %wa: tensor<1x3x3x4xi8>, %ba: tensor<1xi32>, %out: tensor<1x2x3x1xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x5x4xi8>, tensor<1x3x3x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x1xi32>
    pex.yield %c : tensor<1x2x3x1xi32>
  }
  return
}

// -----

// Three input channels do not fill words: each kernel row (3 taps by 3
// channels, 9 consecutive bytes of an input row) is copied as a run, its two
// whole words by the marked loop from an [N, H, W * C] view, its last byte
// alone into the groups after all rows' words (group 6: the rows' bytes 8,
// 17 and 26). The packed weights follow that order: group 2 holds inputs 9
// to 12 (row 1's first word), group 6 inputs 8, 17, 26 and a zero.
// CHECK-DAG:   memref.global "private" constant @image_weights_pairs1_runs : memref<1x7x2x1x4xi8> = dense<{{\[\[\[\[\[}}0, 100, 2, 102]], {{\[\[}}1, 101, 3, 103]]], {{\[\[\[}}4, 104, 6, 106]], {{\[\[}}5, 105, 7, 107]]], {{\[\[\[}}9, 109, 11, 111]], {{.*}}, {{\[\[\[}}8, 108, 26, 126]], {{\[\[}}17, 117, 0, 0]]]]]> {alignment = 4 : i64}
// CHECK-LABEL: func.func private @image_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x5x5x3xi8>,
// CHECK-DAG:     %[[BUFFER:.*]] = memref.alloca() {alignment = 4 : i64} : memref<7x2x3x2xi16>
// CHECK-DAG:     %[[ROWS:.*]] = memref.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : memref<1x5x5x3xi8> into memref<1x5x15xi8>
// CHECK-DAG:     memref.get_global @image_weights_pairs1_runs : memref<1x7x2x1x4xi8>
// CHECK:         scf.if
// CHECK:           %[[START:.*]] = arith.muli %{{.*}}, %c3 : index
// CHECK:           scf.for %[[WORD:.*]] = %c0 to %c2 step %c1 {
// CHECK:             memref.load %[[ROWS]]
// CHECK:             memref.store %{{.*}}, %[[BUFFER]][%[[WORD]], %c0, %c0, %c0]
// CHECK:           } {pex.im2col}
// CHECK:           %[[LAST:.*]] = arith.addi %[[START]], %c8 : index
// CHECK:           memref.load %[[ROWS]][%c0, %{{.*}}, %[[LAST]]]
// CHECK:           memref.store %{{.*}}, %[[BUFFER]][%c6, %c0, %c0, %c0]
// CHECK:           scf.for %[[WORD1:.*]] = %c0 to %c2 step %c1 {
// CHECK:             %[[GROUP1:.*]] = arith.addi %[[WORD1]], %c2 : index
// CHECK:             memref.store %{{.*}}, %[[BUFFER]][%[[GROUP1]], %c0, %c0, %c0]
// CHECK:           } {pex.im2col}
// CHECK:           memref.store %{{.*}}, %[[BUFFER]][%c6, %c1, %c0, %c0]
// CHECK:         } else {
memref.global "private" constant @image_weights : memref<2x3x3x3xi8> = dense<[[[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[9, 10, 11], [12, 13, 14], [15, 16, 17]], [[18, 19, 20], [21, 22, 23], [24, 25, 26]]], [[[100, 101, 102], [103, 104, 105], [106, 107, 108]], [[109, 110, 111], [112, 113, 114], [115, 116, 117]], [[118, 119, 120], [121, 122, 123], [124, 125, 126]]]]>
memref.global "private" constant @image_bias : memref<2xi32> = dense<7>
func.func @image(%x: memref<1x5x5x3xi8>, %y: memref<1x3x3x2xi32>) {
  %w = memref.get_global @image_weights : memref<2x3x3x3xi8>
  %b = memref.get_global @image_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x5x5x3xi8>, memref<2x3x3x3xi8>, memref<2xi32>) outs(%y : memref<1x3x3x2xi32>) {
  ^bb0(%xa: tensor<1x5x5x3xi8>, %wa: tensor<2x3x3x3xi8>, %ba: tensor<2xi32>, %out: tensor<1x3x3x2xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x5x5x3xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x2xi32>
    pex.yield %c : tensor<1x3x3x2xi32>
  }
  return
}

// -----

// One output channel of a padded convolution (a first layer's slice in a
// group loop) would fill the buffer for its own products alone: the
// blocked-window kernel reads the input in place, a kernel row's taps as
// one run of (kw, c).
// CHECK-LABEL: func.func private @one_channel_k0_conv2d
// CHECK-NOT:     memref.alloca
// CHECK-NOT:     pex.mac
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x4x4x3xi8> into memref<1x4x12xi8>
// CHECK-NOT:     pex.mac
// CHECK:         memref.load %[[ROWS]]
// CHECK-NOT:     pex.mac
memref.global "private" constant @one_weights : memref<1x3x3x3xi8> = dense<1>
memref.global "private" constant @one_bias : memref<1xi32> = dense<7>
func.func @one_channel(%x: memref<1x4x4x3xi8>, %y: memref<1x2x2x1xi32>) {
  %w = memref.get_global @one_weights : memref<1x3x3x3xi8>
  %b = memref.get_global @one_bias : memref<1xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x4x3xi8>, memref<1x3x3x3xi8>, memref<1xi32>) outs(%y : memref<1x2x2x1xi32>) {
  ^bb0(%xa: tensor<1x4x4x3xi8>, %wa: tensor<1x3x3x3xi8>, %ba: tensor<1xi32>, %out: tensor<1x2x2x1xi32>):
    %zp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xi8>, tensor<1x3x3x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x1xi32>
    pex.yield %c : tensor<1x2x2x1xi32>
  }
  return
}

// -----

// One output channel of a 1x1 convolution at stride 1 (a partial-execution
// slice): a block's pixels read consecutive rows, recorded as the rows'
// stride for the micro-kernel (one pointer for all), four pixels per block;
// the output width (4) is a multiple of the block, so a block is one row
// of adjacent columns: one division per block, not one per pixel.
// CHECK-LABEL: func.func private @consecutive_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x2x4x8xi8>, %[[Y:.*]]: memref<1x2x4x1xi32>)
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1, 2], [3]] : memref<1x2x4x8xi8> into memref<8x8xi8>
// CHECK:         scf.for %[[FIRST:.*]] = %c0 to %c8 step %c4 {
// CHECK-NEXT:      %[[OH:.*]] = arith.divui %[[FIRST]], %c4 : index
// CHECK-NEXT:      %[[OW:.*]] = arith.remui %[[FIRST]], %c4 : index
// CHECK-NOT:       arith.divui
// CHECK:           %[[OW3:.*]] = arith.addi %[[OW]], %c3 : index
// CHECK-NOT:       arith.divui
// CHECK:           } {pex.mac = {input = "rows", pairs = 0 : i64, pixel_stride = 8 : i64, pixels = 4 : i64, unrolled}}
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[OH]], %[[OW]], %{{.*}}]
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[OH]], %[[OW3]], %{{.*}}]
memref.global "private" constant @consecutive_weights : memref<1x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]]]>
memref.global "private" constant @consecutive_bias : memref<1xi32> = dense<3>
func.func @consecutive(%x: memref<1x2x4x8xi8>, %y: memref<1x2x4x1xi32>) {
  %w = memref.get_global @consecutive_weights : memref<1x1x1x8xi8>
  %b = memref.get_global @consecutive_bias : memref<1xi32>
  pex.kernel ins(%x, %w, %b : memref<1x2x4x8xi8>, memref<1x1x1x8xi8>, memref<1xi32>) outs(%y : memref<1x2x4x1xi32>) {
  ^bb0(%xa: tensor<1x2x4x8xi8>, %wa: tensor<1x1x1x8xi8>, %ba: tensor<1xi32>, %out: tensor<1x2x4x1xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x8xi8>, tensor<1x1x1x8xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x4x1xi32>
    pex.yield %c : tensor<1x2x4x1xi32>
  }
  return
}

// -----

// Two channel pairs of a 1x1 convolution at stride 1 over a shallow input
// (depth 8): the rows are read in place (not through the buffer), three
// pixels per block with the rows' stride recorded for the micro-kernel.
// CHECK-LABEL: func.func private @consecutive_pairs_k0_conv2d
// CHECK-NOT:     memref.alloca
// CHECK:         memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<1x2x3x8xi8> into memref<6x8xi8>
// CHECK:         scf.for %{{.*}} = %c0 to %c6 step %c3 {
// CHECK:           } {pex.mac = {input = "rows", pairs = 1 : i64, pixel_stride = 8 : i64, pixels = 3 : i64, unrolled}}
memref.global "private" constant @pairs_weights : memref<4x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[-1, -2, -3, -4, -5, -6, -7, -8]]], [[[2, 2, 2, 2, 2, 2, 2, 2]]], [[[3, 1, 3, 1, 3, 1, 3, 1]]]]>
memref.global "private" constant @pairs_bias : memref<4xi32> = dense<[1, 2, 3, 4]>
func.func @consecutive_pairs(%x: memref<1x2x3x8xi8>, %y: memref<1x2x3x4xi32>) {
  %w = memref.get_global @pairs_weights : memref<4x1x1x8xi8>
  %b = memref.get_global @pairs_bias : memref<4xi32>
  pex.kernel ins(%x, %w, %b : memref<1x2x3x8xi8>, memref<4x1x1x8xi8>, memref<4xi32>) outs(%y : memref<1x2x3x4xi32>) {
  ^bb0(%xa: tensor<1x2x3x8xi8>, %wa: tensor<4x1x1x8xi8>, %ba: tensor<4xi32>, %out: tensor<1x2x3x4xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x3x8xi8>, tensor<4x1x1x8xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x4xi32>
    pex.yield %c : tensor<1x2x3x4xi32>
  }
  return
}

// -----

// A slice of the input channels (an accumulating group's, four channels at
// offset 4i) adding its products to the accumulator: the weights are
// regrouped at compile time as slices of all output channels (slice s's
// channel o is row 2s + o: [1, 2, 3, 4], [-1, ..], [5, 6, 7, 8], [-5, ..])
// and packed like output-channel slices, read at block i; each slice's
// biases fold the input zero point (-1) over its own inputs (5 + 10, 7 - 10,
// 5 + 26, 7 - 26), read from row 2i.
// CHECK-DAG:   memref.global "private" constant @proj_pairs1_inputs4 : memref<2x1x2x1x4xi8> = dense<{{\[\[\[\[\[}}1, -1, 3, -3]], {{\[\[}}2, -2, 4, -4]]]], {{\[\[\[\[}}5, -5, 7, -7]], {{\[\[}}6, -6, 8, -8]]]]]>
// CHECK-DAG:   memref.global "private" constant @proj_inputs4_proj_bias_zpm1 : memref<4xi32> = dense<[15, -3, 31, -19]>
// CHECK-LABEL: func.func private @input_slice_k0_conv2d
// CHECK-SAME:    (%{{.*}}: memref<1x1x3x4xi8>, %[[I:.*]]: index, %[[ACC:.*]]: memref<1x1x3x2xi32>)
// CHECK-DAG:     %[[OFFSET:.*]] = arith.muli %[[I]], %c4 : index
// CHECK-DAG:     %[[BIASES:.*]] = memref.get_global @proj_inputs4_proj_bias_zpm1
// CHECK-DAG:     %[[WEIGHTS:.*]] = memref.get_global @proj_pairs1_inputs4
// CHECK-DAG:     %[[SLICE:.*]] = arith.divui %[[OFFSET]], %c4 : index
// CHECK-DAG:     %[[ROW:.*]] = arith.muli %[[SLICE]], %c2 : index
// CHECK:         memref.load %[[BIASES]][%[[ROW]]] : memref<4xi32>
// CHECK:         memref.load %[[WEIGHTS]][%[[SLICE]], %c0, %c0, %c0, %c0]
// CHECK:         memref.load %[[ACC]]
// CHECK:         memref.store %{{.*}}, %[[ACC]]
memref.global "private" constant @proj : memref<2x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[-1, -2, -3, -4, -5, -6, -7, -8]]]]>
memref.global "private" constant @proj_bias : memref<2xi32> = dense<[5, 7]>
func.func @input_slice(%x: memref<1x1x3x4xi8>, %acc: memref<1x1x3x2xi32>, %i: index) {
  %c4 = arith.constant 4 : index
  %off = arith.muli %i, %c4 : index
  %all = memref.get_global @proj : memref<2x1x1x8xi8>
  %w = memref.subview %all[0, 0, 0, %off] [2, 1, 1, 4] [1, 1, 1, 1] : memref<2x1x1x8xi8> to memref<2x1x1x4xi8, strided<[8, 8, 8, 1], offset: ?>>
  %b = memref.get_global @proj_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x3x4xi8>, memref<2x1x1x4xi8, strided<[8, 8, 8, 1], offset: ?>>, memref<2xi32>) outs(%acc : memref<1x1x3x2xi32>) {
  ^bb0(%xa: tensor<1x1x3x4xi8>, %wa: tensor<2x1x1x4xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x3x2xi32>):
    %zp = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x2xi32>
    %sum = tosa.add %out, %c : (tensor<1x1x3x2xi32>, tensor<1x1x3x2xi32>) -> tensor<1x1x3x2xi32>
    pex.yield %sum : tensor<1x1x3x2xi32>
  }
  return
}

// -----

// A slice of fewer input channels than a group of four (PackedConvolution.cpp:
// kMinInputSliceDepth) keeps the generic kernel: no packed weights.
// CHECK-NOT:   memref.global {{.*}}_inputs
// CHECK-LABEL: func.func private @narrow_input_slice_k0_conv2d
// CHECK:         memref.get_global @narrow_proj :
// CHECK-NOT:     pex.mac
memref.global "private" constant @narrow_proj : memref<2x1x1x8xi8> = dense<1>
memref.global "private" constant @narrow_proj_bias : memref<2xi32> = dense<0>
func.func @narrow_input_slice(%x: memref<1x1x3x2xi8>, %acc: memref<1x1x3x2xi32>, %i: index) {
  %c2 = arith.constant 2 : index
  %off = arith.muli %i, %c2 : index
  %all = memref.get_global @narrow_proj : memref<2x1x1x8xi8>
  %w = memref.subview %all[0, 0, 0, %off] [2, 1, 1, 2] [1, 1, 1, 1] : memref<2x1x1x8xi8> to memref<2x1x1x2xi8, strided<[8, 8, 8, 1], offset: ?>>
  %b = memref.get_global @narrow_proj_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x3x2xi8>, memref<2x1x1x2xi8, strided<[8, 8, 8, 1], offset: ?>>, memref<2xi32>) outs(%acc : memref<1x1x3x2xi32>) {
  ^bb0(%xa: tensor<1x1x3x2xi8>, %wa: tensor<2x1x1x2xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x3x2xi32>):
    %zp = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x2xi32>
    %sum = tosa.add %out, %c : (tensor<1x1x3x2xi32>, tensor<1x1x3x2xi32>) -> tensor<1x1x3x2xi32>
    pex.yield %sum : tensor<1x1x3x2xi32>
  }
  return
}

// -----

// A 1x1 convolution too deep for the buffer to hold one pixel's inputs
// (1040 int8 inputs: 2080 bytes extended, above 2048) reads its rows in
// place, two pixels by a channel pair, instead of falling back to the
// generic kernel.
// CHECK-LABEL: func.func private @deep_pointwise_k0_conv2d
// CHECK-NOT:     memref.alloca
// CHECK:         } {pex.mac = {input = "rows", pairs = 1 : i64, pixel_stride = 1040 : i64, pixels = 2 : i64}}
memref.global "private" constant @deep_weights : memref<14x1x1x1040xi8> = dense<1>
memref.global "private" constant @deep_bias : memref<14xi32> = dense<0>
func.func @deep_pointwise(%x: memref<1x1x3x1040xi8>, %y: memref<1x1x3x14xi32>) {
  %w = memref.get_global @deep_weights : memref<14x1x1x1040xi8>
  %b = memref.get_global @deep_bias : memref<14xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x3x1040xi8>, memref<14x1x1x1040xi8>, memref<14xi32>) outs(%y : memref<1x1x3x14xi32>) {
  ^bb0(%xa: tensor<1x1x3x1040xi8>, %wa: tensor<14x1x1x1040xi8>, %ba: tensor<14xi32>, %out: tensor<1x1x3x14xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x1040xi8>, tensor<14x1x1x1040xi8>, tensor<14xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x14xi32>
    pex.yield %c : tensor<1x1x3x14xi32>
  }
  return
}

// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// An int8 convolution with its fused rescale and clamp. The kernel becomes a
// private function of its own, never inlined, called where it was with the
// kernel's operands in order. Output channels are the outer loop (the bias
// is loaded once per channel); the interior is computed three columns at a
// time (one channel per block: an odd channel count), each accumulator starting at the bias and carried in registers
// through the kernel rows and, per row, one run over the consecutive bytes
// of its (kw, ic) taps, read through views merging those dimensions; the
// rescale (immediate multiplier and shift) and both clamps are applied to
// each scalar, and each result is stored once: the i32 accumulator is never
// stored. (The weights are arguments, not constants: no packing.)
// CHECK-LABEL: func.func @conv_rescale_clamp
// CHECK-SAME:    (%[[X0:.*]]: memref<1x4x4x2xi8>, %[[W0:.*]]: memref<3x1x1x2xi8>, %[[B0:.*]]: memref<3xi32>, %[[Y0:.*]]: memref<1x4x4x3xi8>)
// CHECK-NEXT:    call @conv_rescale_clamp_k0_conv2d(%[[X0]], %[[W0]], %[[B0]], %[[Y0]])
// CHECK-NEXT:    return
// CHECK-LABEL: func.func private @conv_rescale_clamp_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x2xi8>, %[[W:.*]]: memref<3x1x1x2xi8>, %[[B:.*]]: memref<3xi32>, %[[Y:.*]]: memref<1x4x4x3xi8>) attributes {passthrough = ["noinline"], pex.layer = #pex.layer<op = "tosa.conv2d", name = "", macs = 96>}
// CHECK-NOT:   pex.kernel
// CHECK:         %[[XR:.*]] = memref.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : memref<1x4x4x2xi8> into memref<1x4x8xi8>
// CHECK:         %[[WR:.*]] = memref.collapse_shape %[[W]] {{\[}}[0], [1], [2, 3]] : memref<3x1x1x2xi8> into memref<3x1x2xi8>
// CHECK:       scf.for %[[N:.*]] = %{{.*}} to %c1{{(_[0-9]+)?}} step
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %c3{{(_[0-9]+)?}} step
// CHECK-NEXT:      %[[BIAS:.*]] = memref.load %[[B]][%[[C]]] : memref<3xi32>
// CHECK:           scf.for %[[H:.*]] = %{{.*}} to %c4{{(_[0-9]+)?}} step
// CHECK:             scf.for %[[WO:.*]] = %{{.*}} to %c3{{(_[0-9]+)?}} step %c3
// CHECK:               %[[ACC:.*]]:3 = scf.for %[[KH:.*]] = {{.*}} iter_args(%[[A0:.*]] = %[[BIAS]], %[[B0:.*]] = %[[BIAS]], %[[C0:.*]] = %[[BIAS]]) -> (i32, i32, i32) {
// CHECK:                 %[[ACC1:.*]]:3 = scf.for %[[R:.*]] = %{{.*}} to %c2{{(_[0-9]+)?}} step %{{.*}} iter_args(%[[A1:.*]] = %[[A0]], %[[B1:.*]] = %[[B0]], %[[C1:.*]] = %[[C0]]) -> (i32, i32, i32) {
// CHECK:                   %[[XV:.*]] = memref.load %[[XR]][%[[N]], %{{.*}}, %{{.*}}] : memref<1x4x8xi8>
// CHECK:                   %[[WV:.*]] = memref.load %[[WR]][%[[C]], %[[KH]], %{{.*}}] : memref<3x1x2xi8>
// CHECK-NEXT:              %[[XE:.*]] = arith.extsi %[[XV]] : i8 to i32
// CHECK-NEXT:              %[[WE:.*]] = arith.extsi %[[WV]] : i8 to i32
// CHECK-NEXT:              %[[P:.*]] = arith.muli %[[XE]], %[[WE]] : i32
// CHECK-NEXT:              %[[SUM:.*]] = arith.addi %[[A1]], %[[P]] : i32
// CHECK:                   scf.yield %[[SUM]], %{{.*}}, %{{.*}} : i32, i32, i32
// CHECK:                 scf.yield %[[ACC1]]#0, %[[ACC1]]#1, %[[ACC1]]#2 : i32, i32, i32
// CHECK-NOT:           memref.store
// CHECK-DAG:           %[[MUL:.*]] = arith.constant 1073741824 : i32
// CHECK-DAG:           %[[SHIFT:.*]] = arith.constant 20 : i8
// CHECK:               %[[SCALED:.*]] = tosa.apply_scale %[[ACC]]#0, %[[MUL]], %[[SHIFT]] {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
// CHECK:               arith.maxsi %{{.*}}, %[[SCALED]] : i32
// CHECK:               %[[Q:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK:               %[[LO:.*]] = arith.maxsi %{{.*}}, %[[Q]] : i8
// CHECK:               %[[HI:.*]] = arith.minsi %{{.*}}, %[[LO]] : i8
// CHECK-NEXT:          memref.store %[[HI]], %[[Y]][%[[N]], %[[H]], %[[WO]], %[[C]]] : memref<1x4x4x3xi8>
// CHECK:               tosa.apply_scale %[[ACC]]#1
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[N]], %[[H]], %{{.*}}, %[[C]]] : memref<1x4x4x3xi8>
// CHECK:               tosa.apply_scale %[[ACC]]#2
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[N]], %[[H]], %{{.*}}, %[[C]]] : memref<1x4x4x3xi8>
// The fourth column is a block of one.
// CHECK:             scf.for {{.*}} iter_args(%{{.*}} = %[[BIAS]]) -> (i32) {
// CHECK:             memref.store %{{.*}}, %[[Y]][%[[N]], %[[H]], %c3{{.*}}, %[[C]]] : memref<1x4x4x3xi8>
// CHECK-NOT:   memref.store
// CHECK-NOT:   tosa.conv2d
// CHECK-NOT:   tosa.rescale
// CHECK:       return
func.func @conv_rescale_clamp(%x: memref<1x4x4x2xi8>, %w: memref<3x1x1x2xi8>, %b: memref<3xi32>, %y: memref<1x4x4x3xi8>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x2xi8>, memref<3x1x1x2xi8>, memref<3xi32>) outs(%y : memref<1x4x4x3xi8>) {
  ^bb0(%xa: tensor<1x4x4x2xi8>, %wa: tensor<3x1x1x2xi8>, %ba: tensor<3xi32>, %out: tensor<1x4x4x3xi8>):
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<20> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %c = tosa.conv2d %xa, %wa, %ba, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
    %r = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
    %cl = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x3xi8>) -> tensor<1x4x4x3xi8>
    pex.yield %cl : tensor<1x4x4x3xi8>
  }
  return
}

// -----

// An interior block is two output channels by two columns: per input of
// the run, two input loads and two weight loads feed four
// multiply-accumulates, whose accumulators start at the two biases.
// CHECK-LABEL: func.func private @conv_blocks_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x2x4x3xi8>, %[[W:.*]]: memref<2x1x1x3xi8>, %[[B:.*]]: memref<2xi32>, %[[Y:.*]]: memref<1x2x4x2xi32>)
// CHECK:         %[[XR:.*]] = memref.collapse_shape %[[X]]
// CHECK:         %[[WR:.*]] = memref.collapse_shape %[[W]]
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %c2{{(_[0-9]+)?}} step %c2
// CHECK-NEXT:      %[[B0:.*]] = memref.load %[[B]][%[[C]]] : memref<2xi32>
// CHECK:           %[[C1:.*]] = arith.addi %[[C]], %{{.*}} : index
// CHECK-NEXT:      %[[B1:.*]] = memref.load %[[B]][%[[C1]]] : memref<2xi32>
// CHECK:           scf.for %[[H:.*]] =
// CHECK:             scf.for %[[WO:.*]] = %{{.*}} to %c4{{(_[0-9]+)?}} step %c2
// CHECK:               %[[ACC:.*]]:4 = scf.for {{.*}} iter_args({{.*}} = %[[B0]], {{.*}} = %[[B1]], {{.*}} = %[[B0]], {{.*}} = %[[B1]]) -> (i32, i32, i32, i32)
// CHECK:                 scf.for %[[R:[^ ]*]] = %{{.*}} to %c3
// CHECK-COUNT-2:           memref.load %[[XR]][{{.*}}] : memref<1x2x12xi8>
// CHECK-COUNT-2:           memref.load %[[WR]][{{.*}}] : memref<2x1x3xi8>
// CHECK-COUNT-4:           arith.muli {{.*}} : i32
// CHECK-NOT:               memref.load
// CHECK:                   scf.yield {{.*}} : i32, i32, i32, i32
func.func @conv_blocks(%x: memref<1x2x4x3xi8>, %w: memref<2x1x1x3xi8>, %b: memref<2xi32>, %y: memref<1x2x4x2xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x2x4x3xi8>, memref<2x1x1x3xi8>, memref<2xi32>) outs(%y : memref<1x2x4x2xi32>) {
  ^bb0(%xa: tensor<1x2x4x3xi8>, %wa: tensor<2x1x1x3xi8>, %ba: tensor<2xi32>, %out: tensor<1x2x4x2xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x3xi8>, tensor<2x1x1x3xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x4x2xi32>
    pex.yield %c : tensor<1x2x4x2xi32>
  }
  return
}

// -----

// The input zero point is folded into the bias once per channel block:
// bias - input_zp * sum(w), the weights (arguments, not constants) summed by
// a reduction before the pixel loops. The interior's multiply-accumulates
// then read the input as it is, without subtracting the zero point.
// CHECK-LABEL: func.func private @conv_input_zero_point_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x1x2x3xi8>, %[[W:.*]]: memref<2x1x1x3xi8>, %[[B:.*]]: memref<2xi32>, %[[Y:.*]]: memref<1x1x2x2xi32>)
// CHECK:         scf.for %[[C:[^ ]*]] = %{{.*}} to %c2{{(_[0-9]+)?}} step %c2
// CHECK:           %[[SUMS:.*]]:2 = scf.for
// CHECK:                 memref.load %[[W]]
// CHECK-NEXT:            arith.extsi
// CHECK-NEXT:            arith.addi
// CHECK:           %[[B0:.*]] = memref.load %[[B]][%[[C]]] : memref<2xi32>
// CHECK:           %[[B1:.*]] = memref.load %[[B]][%{{.*}}] : memref<2xi32>
// CHECK:           %[[ZP:.*]] = arith.constant -128 : i32
// CHECK-NEXT:      %[[T0:.*]] = arith.muli %[[SUMS]]#0, %[[ZP]] : i32
// CHECK-NEXT:      %[[CB0:.*]] = arith.subi %[[B0]], %[[T0]] : i32
// CHECK:           %[[T1:.*]] = arith.muli %[[SUMS]]#1, %{{.*}} : i32
// CHECK-NEXT:      %[[CB1:.*]] = arith.subi %[[B1]], %[[T1]] : i32
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for {{.*}} iter_args({{.*}} = %[[CB0]], {{.*}} = %[[CB1]], {{.*}} = %[[CB0]], {{.*}} = %[[CB1]])
// CHECK-NOT:             arith.subi {{.*}} : i32
// CHECK:                 scf.yield {{.*}} : i32, i32, i32, i32
func.func @conv_input_zero_point(%x: memref<1x1x2x3xi8>, %w: memref<2x1x1x3xi8>, %b: memref<2xi32>, %y: memref<1x1x2x2xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x1x2x3xi8>, memref<2x1x1x3xi8>, memref<2xi32>) outs(%y : memref<1x1x2x2xi32>) {
  ^bb0(%xa: tensor<1x1x2x3xi8>, %wa: tensor<2x1x1x3xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x2x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x3xi8>, tensor<2x1x1x3xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x2x2xi32>
    pex.yield %c : tensor<1x1x2x2xi32>
  }
  return
}

// -----

// A padded 3x3 convolution over 4x4 with an input zero point. The border
// rows (0 and 3) and columns (0 and 3) are emitted one by one with the
// kernel taps inside the input as constant bounds: row 0 reads kernel rows
// 1 and 2, column 0 kernel columns 1 and 2 (a run of two inputs). They start
// from the bias and subtract the zero point from the input (padding holds it
// and adds nothing); only the interior (rows and columns 1 and 2, one block
// of two columns: fewer than a whole block of three) starts from the corrected bias and reads the input as it is. No
// tap is checked.
// CHECK-LABEL: func.func private @conv_padded_border_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x1xi8>, %[[W:.*]]: memref<1x3x3x1xi8>, %[[B:.*]]: memref<1xi32>, %[[Y:.*]]: memref<1x4x4x1xi32>)
// CHECK-NOT:     scf.if
// CHECK:         %[[XR:.*]] = memref.collapse_shape %[[X]]
// CHECK:         scf.for %{{.*}} =
// CHECK:         scf.for %[[C:[^ ]*]] =
// CHECK:           scf.for {{.*}} to %c3{{.*}} iter_args
// CHECK:             scf.for {{.*}} to %c3{{.*}} iter_args
// CHECK:           %[[FULL:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK:             %[[B0:.*]] = memref.load %[[B]]
// CHECK:             scf.for %[[KH0:[^ ]*]] = %{{.*}} to %c2{{.*}} iter_args({{.*}} = %[[B0]], {{.*}} = %[[B0]])
// CHECK:               arith.addi %[[KH0]], %c1{{.*}} : index
// CHECK:               scf.for {{.*}} to %c3
// CHECK:                 arith.subi %{{.*}}, %c-128_i32
// CHECK:             memref.store %{{.*}}, %[[Y]][%{{.*}}, %c0{{.*}}, %c1{{.*}}, %[[C]]]
// CHECK:           %[[B00:.*]] = memref.load %[[B]]
// CHECK:           scf.for {{.*}} to %c2{{.*}} iter_args({{.*}} = %[[B00]])
// CHECK:             scf.for {{.*}} to %c2
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %c0{{.*}}, %c0{{.*}}, %[[C]]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %c0{{.*}}, %c3{{.*}}, %[[C]]]
// CHECK:           scf.for %[[H:[^ ]*]] = %c1{{.*}} to %c3{{.*}} step %c1
// CHECK:               scf.for {{.*}} to %c3{{.*}} iter_args({{.*}} = %[[FULL]], {{.*}} = %[[FULL]])
// CHECK:                 scf.for {{.*}} to %c3{{.*}} iter_args
// CHECK-NOT:               arith.subi %{{.*}}, %c-128_i32
// CHECK:               memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[H]], %c1{{.*}}, %[[C]]]
// CHECK:             %[[BL:.*]] = memref.load %[[B]]
// CHECK:             scf.for {{.*}} to %c3{{.*}} iter_args({{.*}} = %[[BL]])
// CHECK:               scf.for {{.*}} to %c2
// CHECK:                 memref.load %[[XR]]
// CHECK:                 arith.subi %{{.*}}, %c-128_i32
// CHECK:             memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[H]], %c0{{.*}}, %[[C]]]
// CHECK:             memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[H]], %c3{{.*}}, %[[C]]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %c3{{.*}}, %{{.*}}, %[[C]]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %c3{{.*}}, %c0{{.*}}, %[[C]]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%{{.*}}, %c3{{.*}}, %c3{{.*}}, %[[C]]]
func.func @conv_padded_border(%x: memref<1x4x4x1xi8>, %w: memref<1x3x3x1xi8>, %b: memref<1xi32>, %y: memref<1x4x4x1xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x1xi8>, memref<1x3x3x1xi8>, memref<1xi32>) outs(%y : memref<1x4x4x1xi32>) {
  ^bb0(%xa: tensor<1x4x4x1xi8>, %wa: tensor<1x3x3x1xi8>, %ba: tensor<1xi32>, %out: tensor<1x4x4x1xi32>):
    %zp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xi8>, tensor<1x3x3x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x1xi32>
    pex.yield %c : tensor<1x4x4x1xi32>
  }
  return
}

// -----

// A window overhanging the input by more than eight columns (19 wide over
// 10, padded by 9 on each side) would take a copy of the code per border
// column: there, each output computes its channel block with each tap
// checked once for both channels, and inside, each input load feeds both
// channels' multiply-accumulates (input less its zero point, plain bias).
// CHECK-LABEL: func.func private @conv_wide_border_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x1x10x4xi8>, %[[W:.*]]: memref<2x1x19x4xi8>, %[[B:.*]]: memref<2xi32>, %[[Y:.*]]: memref<1x1x10x2xi32>)
// CHECK:         scf.for %[[C:[^ ]*]] = %{{.*}} to %c2{{(_[0-9]+)?}} step %c2
// CHECK:             scf.for %{{.*}} = %{{.*}} to %c10
// CHECK:               %[[B0:.*]] = memref.load %[[B]][%[[C]]] : memref<2xi32>
// CHECK:               %[[B1:.*]] = memref.load %[[B]][%{{.*}}] : memref<2xi32>
// CHECK:               %[[ACC:.*]]:2 = scf.for {{.*}} iter_args({{.*}} = %[[B0]], {{.*}} = %[[B1]]) -> (i32, i32)
// CHECK:                 scf.for
// CHECK:                   scf.if %{{.*}} -> (i32, i32) {
// CHECK:                     scf.for %[[IC:[^ ]*]] =
// CHECK-NEXT:                  %[[XV:.*]] = memref.load %[[X]][{{.*}}, %[[IC]]]
// CHECK-NOT:                   memref.load %[[X]]
// CHECK-COUNT-2:               memref.load %[[W]][{{.*}}, %[[IC]]]
// CHECK:                       scf.yield {{.*}} : i32, i32
// CHECK:               memref.store %[[ACC]]#0, %[[Y]]
// CHECK:               memref.store %[[ACC]]#1, %[[Y]]
func.func @conv_wide_border(%x: memref<1x1x10x4xi8>, %w: memref<2x1x19x4xi8>, %b: memref<2xi32>, %y: memref<1x1x10x2xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x1x10x4xi8>, memref<2x1x19x4xi8>, memref<2xi32>) outs(%y : memref<1x1x10x2xi32>) {
  ^bb0(%xa: tensor<1x1x10x4xi8>, %wa: tensor<2x1x19x4xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x10x2xi32>):
    %zp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 9, 9>, stride = array<i64: 1, 1>} : (tensor<1x1x10x4xi8>, tensor<2x1x19x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x10x2xi32>
    pex.yield %c : tensor<1x1x10x2xi32>
  }
  return
}

// -----

// A depthwise interior block is one channel over four columns: each weight
// load feeds four multiply-accumulates.
// CHECK-LABEL: func.func private @depthwise_columns_k0_depthwise_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x3x6x2xi8>, %[[W:.*]]: memref<3x3x2x1xi8>, %[[B:.*]]: memref<2xi32>, %[[Y:.*]]: memref<1x1x4x2xi32>)
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %c2{{(_[0-9]+)?}} step %c1
// CHECK:               scf.for %[[WO:.*]] = %{{.*}} to %c4{{(_[0-9]+)?}} step %c4
// CHECK:                 %[[ACC:.*]]:4 = scf.for
// CHECK:                   scf.for
// CHECK:                     memref.load %[[W]][{{.*}}, %[[C]], %{{.*}}] : memref<3x3x2x1xi8>
// CHECK-COUNT-4:             memref.load %[[X]][{{.*}}, %[[C]]] : memref<1x3x6x2xi8>
// CHECK-NOT:                 memref.load
// CHECK:                     scf.yield {{.*}} : i32, i32, i32, i32
// CHECK-COUNT-4:         memref.store %[[ACC]]#{{[0-3]}}, %[[Y]]
func.func @depthwise_columns(%x: memref<1x3x6x2xi8>, %w: memref<3x3x2x1xi8>, %b: memref<2xi32>, %y: memref<1x1x4x2xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x3x6x2xi8>, memref<3x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x1x4x2xi32>) {
  ^bb0(%xa: tensor<1x3x6x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x4x2xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x6x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x4x2xi32>
    pex.yield %c : tensor<1x1x4x2xi32>
  }
  return
}

// -----

// A map one column wide (a KH x 1 filter over time) is computed as a row:
// an interior block is one channel over adjacent outputs along H (three for
// a row of more than five taps), each weight load feeding three
// multiply-accumulates; the rest and the three border outputs at each end
// follow.
// CHECK-LABEL: func.func private @depthwise_column_k0_depthwise_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x11x1x3xi8>, %[[W:.*]]: memref<7x1x3x1xi8>, %[[B:.*]]: memref<3xi32>, %[[Y:.*]]: memref<1x11x1x3xi32>)
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %c3{{(_[0-9]+)?}} step %c1
// CHECK:             scf.for %[[T:.*]] = %c3{{(_[0-9]+)?}} to %c6{{(_[0-9]+)?}} step %c3
// CHECK:               %[[ACC:.*]]:3 = scf.for
// CHECK:                 scf.for
// CHECK:                   memref.load %[[W]][%{{.*}}, %{{.*}}, %[[C]], %{{.*}}] : memref<7x1x3x1xi8>
// CHECK-COUNT-3:           memref.load %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %[[C]]] : memref<1x11x1x3xi8>
// CHECK-NOT:               memref.load
// CHECK:                   scf.yield {{.*}} : i32, i32, i32
// CHECK:             memref.store %[[ACC]]#0, %[[Y]][%{{.*}}, %[[T]], %{{.*}}, %[[C]]]
// CHECK-COUNT-2:     memref.store %[[ACC]]#{{[12]}}, %[[Y]]
func.func @depthwise_column(%x: memref<1x11x1x3xi8>, %w: memref<7x1x3x1xi8>, %b: memref<3xi32>, %y: memref<1x11x1x3xi32>) {
  pex.kernel ins(%x, %w, %b : memref<1x11x1x3xi8>, memref<7x1x3x1xi8>, memref<3xi32>) outs(%y : memref<1x11x1x3xi32>) {
  ^bb0(%xa: tensor<1x11x1x3xi8>, %wa: tensor<7x1x3x1xi8>, %ba: tensor<3xi32>, %out: tensor<1x11x1x3xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 3, 3, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x11x1x3xi8>, tensor<7x1x3x1xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x11x1x3xi32>
    pex.yield %c : tensor<1x11x1x3xi32>
  }
  return
}

// -----

// A rescale whose shifts are all in [33, 62] (read through the constant
// global its operand views) is one 64-bit multiply-accumulate of the value
// and the multiplier onto a (high word, low word) addend, then a 32-bit
// shift of the high word: no tosa.apply_scale and no 64-bit variable shift.
// The rounding 2^(shift - 1) is a multiple of 2^32, in the high word: with
// the output zero point (-128) times 2^(shift - 32) folded in, a table made
// at compile time holds it per channel (33: 1 - 256, 40: 128 - 32768).
// Double rounding's 2^30, less 2^31 for a negative value, is the low word
// 2^30 | (value & 2^31) and the high word plus value >> 31 (arithmetic). The zero point is not
// added again.
// CHECK:       memref.global "private" constant @shifts_roundingm128 : memref<2xi32> = dense<[-255, -32640]> {alignment = 4 : i64}
// CHECK-LABEL: func.func private @rescale_high_word_k0_rescale
// CHECK:         %[[V:.*]] = memref.load %{{.*}} : memref<3x2xi32>
// CHECK:         %[[S:.*]] = memref.load %{{.*}} : memref<2xi8>
// CHECK:         %[[TABLE:.*]] = memref.get_global @shifts_roundingm128 : memref<2xi32>
// CHECK:         %[[ROUND:.*]] = memref.load %[[TABLE]]
// CHECK:         %[[WIDE:.*]] = arith.extsi %[[V]] : i32 to i64
// CHECK:         %[[S32:.*]] = arith.extui %[[S]] : i8 to i32
// CHECK:         %[[PRODUCT:.*]] = arith.muli %[[WIDE]], %{{.*}} : i64
// CHECK:         %[[REST:.*]] = arith.subi %[[S32]], %c32_i32 : i32
// CHECK:         %[[SIGN:.*]] = arith.shrsi %[[V]], %c31_i32 : i32
// CHECK-NEXT:    %[[HIGH:.*]] = arith.addi %[[ROUND]], %[[SIGN]] : i32
// CHECK:         %[[SIGNBIT:.*]] = arith.andi %[[V]], %c-2147483648_i32 : i32
// CHECK-NEXT:    %[[LOW:.*]] = arith.ori %c1073741824_i32, %[[SIGNBIT]] : i32
// CHECK-NEXT:    %[[HIGH64:.*]] = arith.extui %[[HIGH]] : i32 to i64
// CHECK:         %[[HIGHPART:.*]] = arith.shli %[[HIGH64]], %{{.*}} : i64
// CHECK-NEXT:    %[[LOW64:.*]] = arith.extui %[[LOW]] : i32 to i64
// CHECK-NEXT:    %[[ADDEND:.*]] = arith.ori %[[HIGHPART]], %[[LOW64]] : i64
// CHECK-NEXT:    %[[SUM:.*]] = arith.addi %[[PRODUCT]], %[[ADDEND]] : i64
// CHECK:         %[[TOP:.*]] = arith.shrsi %[[SUM]], %{{.*}} : i64
// CHECK-NEXT:    %[[TOP32:.*]] = arith.trunci %[[TOP]] : i64 to i32
// CHECK-NEXT:    %[[RESULT:.*]] = arith.shrsi %[[TOP32]], %[[REST]] : i32
// CHECK-NOT:     arith.addi %[[RESULT]]
// CHECK:         arith.maxsi %{{.*}}, %[[RESULT]] : i32
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
memref.global "private" constant @shifts : memref<2xi8> = dense<[33, 40]>
memref.global "private" constant @multipliers : memref<2xi32> = dense<[1073741824, 1500000000]>
func.func @rescale_high_word(%x: memref<3x2xi32>, %y: memref<3x2xi8>) {
  %m = memref.get_global @multipliers : memref<2xi32>
  %s = memref.get_global @shifts : memref<2xi8>
  pex.kernel ins(%x, %m, %s : memref<3x2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<3x2xi8>) {
  ^bb0(%in: tensor<3x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<3x2xi8>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zp8 = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<3x2xi8>
    pex.yield %r : tensor<3x2xi8>
  }
  return
}

// -----

// A slice of the shifts (a group loop's channel slice, at an offset known
// only at run time) holds some of the global's values: all in [33, 62], so
// the high-word shift applies too, its rounding table read at the slice's
// offset plus the channel (single rounding: no low word).
// CHECK:       memref.global "private" constant @shifts_rounding0 : memref<4xi32> = dense<[1, 128, 4, 8]>
// CHECK-LABEL: func.func private @rescale_high_word_slice_k0_rescale
// CHECK-SAME:    (%{{.*}}: memref<3x2xi32>, %{{.*}}: memref<2xi32>, %[[OFFSET:.*]]: index, %{{.*}}: memref<3x2xi8>)
// CHECK:         scf.for
// CHECK:           scf.for %[[C:[^ ]*]] =
// CHECK:             %[[AT:.*]] = arith.addi %{{.*}}, %[[OFFSET]] : index
// CHECK:             %[[TABLE:.*]] = memref.get_global @shifts_rounding0 : memref<4xi32>
// CHECK:             %[[INDEX:.*]] = arith.addi %[[AT]], %[[C]] : index
// CHECK:             memref.load %[[TABLE]][%[[INDEX]]] : memref<4xi32>
// CHECK:             arith.shrsi %{{.*}}, %c32_i64{{.*}} : i64
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
memref.global "private" constant @shifts : memref<4xi8> = dense<[33, 40, 35, 36]>
func.func @rescale_high_word_slice(%x: memref<3x2xi32>, %m: memref<2xi32>, %y: memref<3x2xi8>, %offset: index) {
  %all = memref.get_global @shifts : memref<4xi8>
  %s = memref.subview %all[%offset] [2] [1] : memref<4xi8> to memref<2xi8, strided<[1], offset: ?>>
  pex.kernel ins(%x, %m, %s : memref<3x2xi32>, memref<2xi32>, memref<2xi8, strided<[1], offset: ?>>) outs(%y : memref<3x2xi8>) {
  ^bb0(%in: tensor<3x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<3x2xi8>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<3x2xi8>
    pex.yield %r : tensor<3x2xi8>
  }
  return
}

// -----

// A shift of 32: the rounding 2^31 is in the low word, so it is added to the
// 64-bit product before the high word is taken (shifted by shift - 32).
// CHECK-LABEL: func.func private @rescale_high_word_32_k0_rescale
// CHECK:         %[[PRODUCT:.*]] = arith.muli %{{.*}}, %{{.*}} : i64
// CHECK:         %[[REST:.*]] = arith.subi %{{.*}}, %c32_i32 : i32
// CHECK:         %[[ROUND:.*]] = arith.shli %{{.*}}, %{{.*}} : i64
// CHECK-NEXT:    %[[SUM:.*]] = arith.addi %[[PRODUCT]], %[[ROUND]] : i64
// CHECK:         %[[HIGH:.*]] = arith.shrsi %[[SUM]], %c32_i64 : i64
// CHECK-NOT:     arith.addi %{{.*}} : i32
// CHECK:         arith.shrsi %{{.*}}, %[[REST]] : i32
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
memref.global "private" constant @shifts : memref<2xi8> = dense<[32, 40]>
func.func @rescale_high_word_32(%x: memref<3x2xi32>, %m: memref<2xi32>, %y: memref<3x2xi32>) {
  %s = memref.get_global @shifts : memref<2xi8>
  pex.kernel ins(%x, %m, %s : memref<3x2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<3x2xi32>) {
  ^bb0(%in: tensor<3x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<3x2xi32>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<3x2xi32>
    pex.yield %r : tensor<3x2xi32>
  }
  return
}

// -----

// One shift below 32: the general tosa.apply_scale (lowered later by
// tosa-to-arith), for shifts known only at run time as well.
// CHECK-LABEL: func.func private @rescale_low_shift_k0_rescale
// CHECK:         tosa.apply_scale
// CHECK-NOT:     %c32_i64
// CHECK:         return
memref.global "private" constant @shifts : memref<2xi8> = dense<[33, 20]>
func.func @rescale_low_shift(%x: memref<3x2xi32>, %m: memref<2xi32>, %y: memref<3x2xi8>) {
  %s = memref.get_global @shifts : memref<2xi8>
  pex.kernel ins(%x, %m, %s : memref<3x2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<3x2xi8>) {
  ^bb0(%in: tensor<3x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<3x2xi8>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<3x2xi8>
    pex.yield %r : tensor<3x2xi8>
  }
  return
}

// -----

// Per-channel shifts mostly in [33, 62] but one below 32 (a scale of at least
// one half): each element branches on its channel's shift, the high word's
// sequence for most, the general tosa.apply_scale for the others (with the
// output zero point added there: the table has no entry for them).
// CHECK:       memref.global "private" constant @mixed_shifts_roundingm5 : memref<2xi32> = dense<[0, -1152]>
// CHECK-LABEL: func.func private @rescale_mixed_shifts_k0_rescale
// CHECK:         %[[S:.*]] = memref.load %{{.*}} : memref<2xi8>
// CHECK:         %[[S32:.*]] = arith.extui %[[S]] : i8 to i32
// CHECK:         %[[HIGH:.*]] = arith.cmpi uge, %[[S32]], %c33_i32 : i32
// CHECK-NEXT:    %[[R:.*]] = scf.if %[[HIGH]] -> (i32) {
// CHECK:           arith.shrsi %{{.*}}, %c32_i64{{.*}} : i64
// CHECK-NOT:       tosa.apply_scale
// CHECK:         } else {
// CHECK:           %[[GENERAL:.*]] = tosa.apply_scale
// CHECK:           arith.addi %[[GENERAL]], %c-5_i32 : i32
// CHECK:         }
// CHECK:         arith.maxsi %{{.*}}, %[[R]] : i32
memref.global "private" constant @mixed_shifts : memref<2xi8> = dense<[31, 40]>
func.func @rescale_mixed_shifts(%x: memref<3x2xi32>, %m: memref<2xi32>, %y: memref<3x2xi8>) {
  %s = memref.get_global @mixed_shifts : memref<2xi8>
  pex.kernel ins(%x, %m, %s : memref<3x2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<3x2xi8>) {
  ^bb0(%in: tensor<3x2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<3x2xi8>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zp8 = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<3x2xi8>
    pex.yield %r : tensor<3x2xi8>
  }
  return
}

// -----

// A convolution's outputs are bounded (here |bias| + 4 * 255 * 255 < 2^30):
// its requantisation with double rounding doubles the accumulator v and
// takes the high word of (2 v) * multiplier + (term + (v >> 31)) * 2^32 +
// 2^31 (one SMMLAR on Arm), shifted by shift - 31. The terms 2^(shift - 32)
// + zp * 2^(shift - 31), the output zero point -128 folded in, are a table
// made at compile time (33: 2 - 512, 40: 256 - 65536).
// CHECK:       memref.global "private" constant @requantized_shifts_doubled_roundingm128 : memref<2xi32> = dense<[-510, -65280]>
// CHECK-LABEL: func.func private @conv_requantize_doubled_k0_conv2d
// CHECK:         %[[TABLE:.*]] = memref.get_global @requantized_shifts_doubled_roundingm128 : memref<2xi32>
// CHECK:         %[[TERM:.*]] = memref.load %[[TABLE]]
// CHECK:         %[[REST:.*]] = arith.subi %{{.*}}, %c31_i32{{(_[0-9]+)?}} : i32
// CHECK:         %[[SIGN:.*]] = arith.shrsi %[[V:.*]], %c31_i32{{(_[0-9]+)?}} : i32
// CHECK-NEXT:    %[[ADDEND:.*]] = arith.addi %[[TERM]], %[[SIGN]] : i32
// CHECK:         %[[DOUBLED:.*]] = arith.shli %[[V]], %c1_i32{{(_[0-9]+)?}} : i32
// CHECK-NEXT:    %[[WIDE:.*]] = arith.extsi %[[DOUBLED]] : i32 to i64
// CHECK:         %[[PRODUCT:.*]] = arith.muli %[[WIDE]], %{{.*}} : i64
// CHECK-NEXT:    %[[ADDEND64:.*]] = arith.extui %[[ADDEND]] : i32 to i64
// CHECK:         %[[HIGHPART:.*]] = arith.shli %[[ADDEND64]], %{{.*}} : i64
// CHECK-NEXT:    %[[SUM:.*]] = arith.addi %[[PRODUCT]], %[[HIGHPART]] : i64
// CHECK:         %[[ROUNDED:.*]] = arith.addi %[[SUM]], %c2147483648_i64{{(_[0-9]+)?}} : i64
// CHECK:         %[[TOP:.*]] = arith.shrui %[[ROUNDED]], %{{.*}} : i64
// CHECK-NEXT:    %[[TOP32:.*]] = arith.trunci %[[TOP]] : i64 to i32
// CHECK-NEXT:    %[[RESULT:.*]] = arith.shrsi %[[TOP32]], %[[REST]] : i32
// CHECK-NOT:     arith.addi %[[RESULT]]
// CHECK:         arith.maxsi %{{.*}}, %[[RESULT]] : i32
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
memref.global "private" constant @requantized_shifts : memref<2xi8> = dense<[33, 40]>
memref.global "private" constant @requantized_biases : memref<2xi32> = dense<[100, -100]>
func.func @conv_requantize_doubled(%x: memref<1x2x2x4xi8>, %w: memref<2x1x1x4xi8>, %m: memref<2xi32>, %y: memref<1x2x2x2xi8>) {
  %b = memref.get_global @requantized_biases : memref<2xi32>
  %s = memref.get_global @requantized_shifts : memref<2xi8>
  pex.kernel ins(%x, %w, %b, %m, %s : memref<1x2x2x4xi8>, memref<2x1x1x4xi8>, memref<2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<1x2x2x2xi8>) {
  ^bb0(%xa: tensor<1x2x2x4xi8>, %wa: tensor<2x1x1x4xi8>, %ba: tensor<2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<1x2x2x2xi8>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zpy = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
    %r = tosa.rescale %c, %ma, %sa, %zp32, %zpy {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x2xi8>
    pex.yield %r : tensor<1x2x2x2xi8>
  }
  return
}

// -----

// A bias of 2^30 leaves no bound below 2^30 on the outputs: the accumulator
// cannot be doubled, the requantisation keeps the (high, low) pair.
// CHECK:       memref.global "private" constant @wide_shifts_roundingm128
// CHECK-LABEL: func.func private @conv_requantize_large_bias_k0_conv2d
// CHECK-NOT:     arith.shli %{{.*}}, %c1_i32{{(_[0-9]+)?}} : i32
// CHECK:         arith.andi %{{.*}}, %c-2147483648_i32{{(_[0-9]+)?}} : i32
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
memref.global "private" constant @wide_shifts : memref<2xi8> = dense<[33, 40]>
memref.global "private" constant @wide_biases : memref<2xi32> = dense<[1073741824, 0]>
func.func @conv_requantize_large_bias(%x: memref<1x2x2x4xi8>, %w: memref<2x1x1x4xi8>, %m: memref<2xi32>, %y: memref<1x2x2x2xi8>) {
  %b = memref.get_global @wide_biases : memref<2xi32>
  %s = memref.get_global @wide_shifts : memref<2xi8>
  pex.kernel ins(%x, %w, %b, %m, %s : memref<1x2x2x4xi8>, memref<2x1x1x4xi8>, memref<2xi32>, memref<2xi32>, memref<2xi8>) outs(%y : memref<1x2x2x2xi8>) {
  ^bb0(%xa: tensor<1x2x2x4xi8>, %wa: tensor<2x1x1x4xi8>, %ba: tensor<2xi32>, %ma: tensor<2xi32>, %sa: tensor<2xi8>, %out: tensor<1x2x2x2xi8>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zpy = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
    %r = tosa.rescale %c, %ma, %sa, %zp32, %zpy {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x2xi8>
    pex.yield %r : tensor<1x2x2x2xi8>
  }
  return
}

// -----

// A residual add as TFLite's converter writes it: each int8 input scaled to
// i32 by 2^20, rescaled (shift 32, then 31), summed, and requantised. The
// bounds pass along the chain (rescale, add): the shift-32 rescale and the
// final one take the doubled form, each constant multiplier and its value
// behind empty assembly statements (so LLVM keeps the product a signed
// 32x32 multiply-accumulate).
// CHECK-LABEL: func.func private @residual_add_bounds_k0_rescale
// CHECK:         %[[M32:.*]] = llvm.inline_asm {{.*}}"", "=r,0" %c1978563233_i32 : (i32) -> i32
// CHECK-NEXT:    %[[V32:.*]] = llvm.inline_asm {{.*}}"", "=r,0" %{{.*}} : (i32) -> i32
// CHECK:         %[[D32:.*]] = arith.shli %[[V32]], %c1_i32{{(_[0-9]+)?}} : i32
// CHECK-NEXT:    %[[W32:.*]] = arith.extsi %[[D32]] : i32 to i64
// CHECK-NEXT:    %[[MW32:.*]] = arith.extsi %[[M32]] : i32 to i64
// CHECK-NEXT:    arith.muli %[[W32]], %[[MW32]] : i64
// CHECK:         arith.addi %{{.*}}, %c2147483648_i64{{(_[0-9]+)?}} : i64
// CHECK:         tosa.apply_scale
// CHECK:         %[[SUM:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK:         %[[MOUT:.*]] = llvm.inline_asm {{.*}}"", "=r,0" %c2082202057_i32 : (i32) -> i32
// CHECK-NEXT:    %[[VOUT:.*]] = llvm.inline_asm {{.*}}"", "=r,0" %[[SUM]] : (i32) -> i32
// CHECK:         %[[DOUT:.*]] = arith.shli %[[VOUT]], %c1_i32{{(_[0-9]+)?}} : i32
// CHECK-NEXT:    %[[WOUT:.*]] = arith.extsi %[[DOUT]] : i32 to i64
// CHECK-NEXT:    %[[MWOUT:.*]] = arith.extsi %[[MOUT]] : i32 to i64
// CHECK-NEXT:    arith.muli %[[WOUT]], %[[MWOUT]] : i64
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
func.func @residual_add_bounds(%a: memref<4x2xi8>, %b: memref<4x2xi8>, %y: memref<4x2xi8>) {
  pex.kernel ins(%a, %b : memref<4x2xi8>, memref<4x2xi8>) outs(%y : memref<4x2xi8>) {
  ^bb0(%ia: tensor<4x2xi8>, %ib: tensor<4x2xi8>, %out: tensor<4x2xi8>):
    %zpa = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zpy = "tosa.const"() <{values = dense<5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %m20 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s20 = "tosa.const"() <{values = dense<10> : tensor<1xi8>}> : () -> tensor<1xi8>
    %ma = "tosa.const"() <{values = dense<1978563233> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sa = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %mb = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sb = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
    %my = "tosa.const"() <{values = dense<2082202057> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sy = "tosa.const"() <{values = dense<50> : tensor<1xi8>}> : () -> tensor<1xi8>
    %a1 = tosa.rescale %ia, %m20, %s20, %zpa, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<4x2xi32>
    %a2 = tosa.rescale %a1, %ma, %sa, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<4x2xi32>
    %b1 = tosa.rescale %ib, %m20, %s20, %zpa, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<4x2xi32>
    %b2 = tosa.rescale %b1, %mb, %sb, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<4x2xi32>
    %sum = tosa.add %a2, %b2 : (tensor<4x2xi32>, tensor<4x2xi32>) -> tensor<4x2xi32>
    %r = tosa.rescale %sum, %my, %sy, %zp32, %zpy {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x2xi8>
    pex.yield %r : tensor<4x2xi8>
  }
  return
}

// -----

// The same shift-32 rescale of an i32 kernel input: nothing bounds it, so it
// keeps the 64-bit rounding (no doubling; the constant multiplier and the
// value hidden all the same).
// CHECK-LABEL: func.func private @rescale_32_unbounded_k0_rescale
// CHECK:         llvm.inline_asm {{.*}}"", "=r,0" %c1978563233_i32 : (i32) -> i32
// CHECK-NEXT:    llvm.inline_asm {{.*}}"", "=r,0" %{{.*}} : (i32) -> i32
// CHECK-NOT:     arith.shli %{{.*}}, %c1_i32{{(_[0-9]+)?}} : i32
// CHECK:         %[[PRODUCT:.*]] = arith.muli %{{.*}}, %{{.*}} : i64
// CHECK:         arith.shrsi %{{.*}}, %c32_i64 : i64
// CHECK-NOT:     tosa.apply_scale
// CHECK:         return
func.func @rescale_32_unbounded(%x: memref<4x2xi32>, %y: memref<4x2xi32>) {
  pex.kernel ins(%x : memref<4x2xi32>) outs(%y : memref<4x2xi32>) {
  ^bb0(%in: tensor<4x2xi32>, %out: tensor<4x2xi32>):
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %ma = "tosa.const"() <{values = dense<1978563233> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sa = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.rescale %in, %ma, %sa, %zp32, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<4x2xi32>
    pex.yield %r : tensor<4x2xi32>
  }
  return
}

// -----

// A chain that reads each value twice (48 doublings of a rescaled int8): the
// final rescale asks for its input's bound, and each value is bounded once
// (along every path, 2^48 times); past 2^31 there is no bound, so no
// doubled form.
// CHECK-LABEL: func.func private @doubling_chain_k0_rescale
// CHECK-NOT:     arith.shli %{{.*}}, %c1_i32{{(_[0-9]+)?}} : i32
// CHECK:         return
func.func @doubling_chain(%x: memref<4xi8>, %y: memref<4xi8>) {
  pex.kernel ins(%x : memref<4xi8>) outs(%y : memref<4xi8>) {
  ^bb0(%in: tensor<4xi8>, %out: tensor<4xi8>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %one = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s30 = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
    %s40 = "tosa.const"() <{values = dense<40> : tensor<1xi8>}> : () -> tensor<1xi8>
    %x1 = tosa.rescale %in, %one, %s30, %zp, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<4xi32>
    %d0 = tosa.add %x1, %x1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d1 = tosa.add %d0, %d0 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d2 = tosa.add %d1, %d1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d3 = tosa.add %d2, %d2 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d4 = tosa.add %d3, %d3 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d5 = tosa.add %d4, %d4 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d6 = tosa.add %d5, %d5 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d7 = tosa.add %d6, %d6 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d8 = tosa.add %d7, %d7 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d9 = tosa.add %d8, %d8 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d10 = tosa.add %d9, %d9 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d11 = tosa.add %d10, %d10 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d12 = tosa.add %d11, %d11 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d13 = tosa.add %d12, %d12 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d14 = tosa.add %d13, %d13 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d15 = tosa.add %d14, %d14 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d16 = tosa.add %d15, %d15 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d17 = tosa.add %d16, %d16 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d18 = tosa.add %d17, %d17 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d19 = tosa.add %d18, %d18 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d20 = tosa.add %d19, %d19 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d21 = tosa.add %d20, %d20 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d22 = tosa.add %d21, %d21 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d23 = tosa.add %d22, %d22 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d24 = tosa.add %d23, %d23 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d25 = tosa.add %d24, %d24 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d26 = tosa.add %d25, %d25 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d27 = tosa.add %d26, %d26 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d28 = tosa.add %d27, %d27 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d29 = tosa.add %d28, %d28 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d30 = tosa.add %d29, %d29 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d31 = tosa.add %d30, %d30 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d32 = tosa.add %d31, %d31 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d33 = tosa.add %d32, %d32 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d34 = tosa.add %d33, %d33 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d35 = tosa.add %d34, %d34 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d36 = tosa.add %d35, %d35 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d37 = tosa.add %d36, %d36 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d38 = tosa.add %d37, %d37 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d39 = tosa.add %d38, %d38 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d40 = tosa.add %d39, %d39 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d41 = tosa.add %d40, %d40 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d42 = tosa.add %d41, %d41 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d43 = tosa.add %d42, %d42 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d44 = tosa.add %d43, %d43 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d45 = tosa.add %d44, %d44 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d46 = tosa.add %d45, %d45 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %d47 = tosa.add %d46, %d46 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %r = tosa.rescale %d47, %one, %s40, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
    pex.yield %r : tensor<4xi8>
  }
  return
}

// -----

// A kernel without an anchor loops over its output. A chain of element-wise
// operators is evaluated in registers: one load, one store.
// CHECK-LABEL: func.func private @elementwise_chain_k0_negate
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %c4 step
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[X]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[V]] : f32
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[LO:.*]] = arith.maximumf %[[N]], %[[ZERO]] : f32
// CHECK-NEXT:    %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT:    %[[HI:.*]] = arith.minimumf %[[LO]], %[[SIX]] : f32
// CHECK-NEXT:    memref.store %[[HI]], %[[Y]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  return
func.func @elementwise_chain(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %n = tosa.negate %in, %zp, %zp : (tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4xf32>
    %c = tosa.clamp %n {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %c : tensor<4xf32>
  }
  return
}

// -----

// Reading the destination argument reads its previous contents: an
// accumulator updated in place loads and stores the same element.
// CHECK-LABEL: func.func private @accumulate_in_place_k0_add
// CHECK-SAME:    (%[[P:.*]]: memref<2x3xi32>, %[[ACC:.*]]: memref<2x3xi32>)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %c2 step
// CHECK-NEXT:    scf.for %[[J:.*]] = %{{.*}} to %c3 step
// CHECK-NEXT:      %[[OLD:.*]] = memref.load %[[ACC]][%[[I]], %[[J]]] : memref<2x3xi32>
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[P]][%[[I]], %[[J]]] : memref<2x3xi32>
// CHECK-NEXT:      %[[SUM:.*]] = arith.addi %[[OLD]], %[[V]] : i32
// CHECK-NEXT:      memref.store %[[SUM]], %[[ACC]][%[[I]], %[[J]]] : memref<2x3xi32>
func.func @accumulate_in_place(%p: memref<2x3xi32>, %acc: memref<2x3xi32>) {
  pex.kernel ins(%p : memref<2x3xi32>) outs(%acc : memref<2x3xi32>) {
  ^bb0(%in: tensor<2x3xi32>, %out: tensor<2x3xi32>):
    %s = tosa.add %out, %in : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
    pex.yield %s : tensor<2x3xi32>
  }
  return
}

// -----

// A broadcast operand is read at index 0 along its dimension of size one.
// CHECK-LABEL: func.func private @broadcast_k0_add
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<1x3xf32>, %[[Y:.*]]: memref<2x3xf32>)
// CHECK:       scf.for %[[I:.*]] =
// CHECK-NEXT:    scf.for %[[J:.*]] =
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT:      %[[BV:.*]] = memref.load %[[B]][%[[ZERO]], %[[J]]] : memref<1x3xf32>
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[V]], %[[BV]] : f32
// CHECK-NEXT:      memref.store %[[SUM]], %[[Y]][%[[I]], %[[J]]] : memref<2x3xf32>
func.func @broadcast(%x: memref<2x3xf32>, %b: memref<1x3xf32>, %y: memref<2x3xf32>) {
  pex.kernel ins(%x, %b : memref<2x3xf32>, memref<1x3xf32>) outs(%y : memref<2x3xf32>) {
  ^bb0(%in: tensor<2x3xf32>, %bias: tensor<1x3xf32>, %out: tensor<2x3xf32>):
    %s = tosa.add %in, %bias : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
    pex.yield %s : tensor<2x3xf32>
  }
  return
}

// -----

// A kernel that only fills its output with a constant (a one-element
// accumulator's zero, after its tile folded away) stores that constant.
// CHECK-LABEL: func.func private @fill_constant_k0_copy
// CHECK-SAME:    (%[[OUT:.*]]: memref<1x1x1x1xi32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:         memref.store %[[ZERO]], %[[OUT]]
func.func @fill_constant(%out: memref<1x1x1x1xi32>) {
  pex.kernel outs(%out : memref<1x1x1x1xi32>) {
  ^bb0(%o: tensor<1x1x1x1xi32>):
    %zero = "tosa.const"() <{values = dense<0> : tensor<1x1x1x1xi32>}> : () -> tensor<1x1x1x1xi32>
    pex.yield %zero : tensor<1x1x1x1xi32>
  }
  return
}

// -----

// reverse reads the mirrored index along its axis (size - 1 - i); the fused
// clamp is applied to the element read.
// CHECK-LABEL: func.func private @reverse_columns_k0_reverse
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[Y:.*]]: memref<2x3xf32>)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %c2 step
// CHECK-NEXT:    scf.for %[[J:.*]] = %{{.*}} to %c3 step
// CHECK:           %[[MIRROR:.*]] = arith.subi %c2{{.*}}, %[[J]] : index
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[X]][%[[I]], %[[MIRROR]]] : memref<2x3xf32>
// CHECK:           arith.maximumf %[[V]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%[[I]], %[[J]]] : memref<2x3xf32>
func.func @reverse_columns(%x: memref<2x3xf32>, %y: memref<2x3xf32>) {
  pex.kernel ins(%x : memref<2x3xf32>) outs(%y : memref<2x3xf32>) {
  ^bb0(%in: tensor<2x3xf32>, %out: tensor<2x3xf32>):
    %r = tosa.reverse %in {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %c = tosa.clamp %r {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    pex.yield %c : tensor<2x3xf32>
  }
  return
}

// -----

// resize (bilinear, x2 with half-pixel centres: scale 4/2, offset -1): per
// output row and column the input position (a floor division) and the
// remainder that weighs the next one, both clamped to the input; four loads
// blended in float.
// CHECK-LABEL: func.func private @resize_bilinear_k0_resize
// CHECK-SAME:    (%[[X:.*]]: memref<1x2x2x1xf32>, %[[Y:.*]]: memref<1x4x4x1xf32>)
// CHECK-COUNT-2: arith.floordivsi
// CHECK-COUNT-4: memref.load %[[X]]
// CHECK:         arith.sitofp
// CHECK:         arith.divf
// CHECK-COUNT-6: arith.mulf
// CHECK:         memref.store %{{.*}}, %[[Y]]
func.func @resize_bilinear(%x: memref<1x2x2x1xf32>, %y: memref<1x4x4x1xf32>) {
  pex.kernel ins(%x : memref<1x2x2x1xf32>) outs(%y : memref<1x4x4x1xf32>) {
  ^bb0(%in: tensor<1x2x2x1xf32>, %out: tensor<1x4x4x1xf32>):
    %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %r = tosa.resize %in, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x2x2x1xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x4x4x1xf32>
    pex.yield %r : tensor<1x4x4x1xf32>
  }
  return
}

// -----

// resize (nearest): the next row from half a row on (2 * remainder >=
// scale_n), one load.
// CHECK-LABEL: func.func private @resize_nearest_k0_resize
// CHECK-SAME:    (%[[X:.*]]: memref<1x2x2x1xi8>, %[[Y:.*]]: memref<1x3x3x1xi8>)
// CHECK:         arith.cmpi sge
// CHECK:         arith.select
// CHECK:         arith.cmpi sge
// CHECK:         arith.select
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[X]]
// CHECK-NEXT:    memref.store %[[V]], %[[Y]]
func.func @resize_nearest(%x: memref<1x2x2x1xi8>, %y: memref<1x3x3x1xi8>) {
  pex.kernel ins(%x : memref<1x2x2x1xi8>) outs(%y : memref<1x3x3x1xi8>) {
  ^bb0(%in: tensor<1x2x2x1xi8>, %out: tensor<1x3x3x1xi8>):
    %scale = tosa.const_shape {values = dense<[6, 4, 6, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-3> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %r = tosa.resize %in, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x2x2x1xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x3x3x1xi8>
    pex.yield %r : tensor<1x3x3x1xi8>
  }
  return
}

// -----

// resize (bilinear, i8 to i32): TOSA's integer form, weights in 1/scale_n
// units (scale_n - remainder and remainder), the sum not rescaled.
// CHECK-LABEL: func.func private @resize_bilinear_i32_k0_resize
// CHECK-SAME:    (%[[X:.*]]: memref<1x2x2x1xi8>, %[[Y:.*]]: memref<1x4x4x1xi32>)
// CHECK-COUNT-4: memref.load %[[X]]
// CHECK:         %[[DY:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:         %[[DX:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:         arith.subi %c4_i32{{.*}}, %[[DY]] : i32
// CHECK:         arith.subi %c4_i32{{.*}}, %[[DX]] : i32
// CHECK-COUNT-4: arith.extsi {{.*}} : i8 to i32
// CHECK:         memref.store %{{.*}}, %[[Y]]
func.func @resize_bilinear_i32(%x: memref<1x2x2x1xi8>, %y: memref<1x4x4x1xi32>) {
  pex.kernel ins(%x : memref<1x2x2x1xi8>) outs(%y : memref<1x4x4x1xi32>) {
  ^bb0(%in: tensor<1x2x2x1xi8>, %out: tensor<1x4x4x1xi32>):
    %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %r = tosa.resize %in, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x2x2x1xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x4x4x1xi32>
    pex.yield %r : tensor<1x4x4x1xi32>
  }
  return
}

// -----

// transpose_conv2d (stride 2, 3x3, out_pad -1 before): per output row and
// column the phase and base of its taps (floor division by the stride) and
// their range, then loops over the row taps, the column taps and the input
// channels, the block of two output channels starting from their biases and
// sharing each input load: no zero-inserted input is read.
// CHECK-LABEL: func.func private @transpose_conv_k0_transpose_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x3xf32>, %[[W:.*]]: memref<2x3x3x3xf32>, %[[B:.*]]: memref<2xf32>, %[[Y:.*]]: memref<1x7x7x2xf32>)
// CHECK-COUNT-2: arith.floordivsi
// CHECK:         %[[BIAS0:.*]] = memref.load %[[B]]
// CHECK:         %[[BIAS1:.*]] = memref.load %[[B]]
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[BIAS0]], %{{.*}} = %[[BIAS1]]) -> (f32, f32)
// CHECK:           scf.for {{.*}} -> (f32, f32)
// CHECK:             scf.for {{.*}} to %c3{{.*}} -> (f32, f32)
// CHECK-NEXT:          %[[V:.*]] = memref.load %[[X]]
// CHECK-NEXT:          %[[W0:.*]] = memref.load %[[W]]
// CHECK-NEXT:          %[[W1:.*]] = memref.load %[[W]]
// CHECK-NEXT:          arith.mulf %[[V]], %[[W0]]
// CHECK-NEXT:          arith.addf
// CHECK-NEXT:          arith.mulf %[[V]], %[[W1]]
// CHECK-COUNT-2: memref.store %{{.*}}, %[[Y]]
func.func @transpose_conv(%x: memref<1x4x4x3xf32>, %w: memref<2x3x3x3xf32>, %b: memref<2xf32>, %y: memref<1x7x7x2xf32>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x3xf32>, memref<2x3x3x3xf32>, memref<2xf32>) outs(%y : memref<1x7x7x2xf32>) {
  ^bb0(%in: tensor<1x4x4x3xf32>, %weights: tensor<2x3x3x3xf32>, %bias: tensor<2xf32>, %out: tensor<1x7x7x2xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %r = tosa.transpose_conv2d %in, %weights, %bias, %zp, %zp {acc_type = f32, out_pad = array<i64: -1, -1, -1, -1>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x7x7x2xf32>
    pex.yield %r : tensor<1x7x7x2xf32>
  }
  return
}

// -----

// transpose_conv2d int8: i32 products of the input less its zero point and
// the weights, the rescale fused after the accumulation.
// CHECK-LABEL: func.func private @transpose_conv_int8_k0_transpose_conv2d
// CHECK:         arith.extsi {{.*}} : i8 to i32
// CHECK:         arith.subi %{{.*}}, %c-5_i32
// CHECK:         arith.extsi {{.*}} : i8 to i32
// CHECK:         arith.muli
// CHECK:         arith.addi
// CHECK:         arith.trunci {{.*}} to i8
func.func @transpose_conv_int8(%x: memref<1x2x2x4xi8>, %w: memref<3x2x2x4xi8>, %b: memref<3xi32>, %y: memref<1x4x4x3xi8>) {
  pex.kernel ins(%x, %w, %b : memref<1x2x2x4xi8>, memref<3x2x2x4xi8>, memref<3xi32>) outs(%y : memref<1x4x4x3xi8>) {
  ^bb0(%in: tensor<1x2x2x4xi8>, %weights: tensor<3x2x2x4xi8>, %bias: tensor<3xi32>, %out: tensor<1x4x4x3xi8>):
    %izp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %acc = tosa.transpose_conv2d %in, %weights, %bias, %izp, %wzp {acc_type = i32, out_pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x4xi8>, tensor<3x2x2x4xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<38> : tensor<1xi8>}> : () -> tensor<1xi8>
    %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %r = tosa.rescale %acc, %m, %s, %z32, %wzp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
    pex.yield %r : tensor<1x4x4x3xi8>
  }
  return
}

// -----

// gather (an embedding lookup): per output row the index is read once and
// clamped into the table (no read outside it, whatever the id), then the
// row's channels are copied.
// CHECK-LABEL: func.func private @embedding_rows_k0_gather
// CHECK-SAME:    (%[[TABLE:.*]]: memref<1x20x8xi8>, %[[IDS:.*]]: memref<1x6xi32>, %[[Y:.*]]: memref<1x6x8xi8>)
// CHECK:       scf.for %[[N:.*]] = %{{.*}} to %c1 step
// CHECK-NEXT:    scf.for %[[W:.*]] = %{{.*}} to %c6 step
// CHECK-NEXT:      %[[ID:.*]] = memref.load %[[IDS]][%[[N]], %[[W]]]
// CHECK:           %[[LOW:.*]] = arith.maxsi %{{.*}}, %[[ID]] : i32
// CHECK:           %[[ROW:.*]] = arith.minsi %c19_i32, %[[LOW]] : i32
// CHECK-NEXT:      %[[AT:.*]] = arith.index_cast %[[ROW]] : i32 to index
// CHECK:           scf.for %[[C:.*]] = %{{.*}} to %c8 step
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[TABLE]][%[[N]], %[[AT]], %[[C]]]
// CHECK-NEXT:        memref.store %[[V]], %[[Y]][%[[N]], %[[W]], %[[C]]]
func.func @embedding_rows(%table: memref<1x20x8xi8>, %ids: memref<1x6xi32>, %y: memref<1x6x8xi8>) {
  pex.kernel ins(%table, %ids : memref<1x20x8xi8>, memref<1x6xi32>) outs(%y : memref<1x6x8xi8>) {
  ^bb0(%t: tensor<1x20x8xi8>, %i: tensor<1x6xi32>, %out: tensor<1x6x8xi8>):
    %g = tosa.gather %t, %i : (tensor<1x20x8xi8>, tensor<1x6xi32>) -> tensor<1x6x8xi8>
    pex.yield %g : tensor<1x6x8xi8>
  }
  return
}

// -----

// reduce_product multiplies along its axis, in order, from 1.
// CHECK-LABEL: func.func private @product_of_rows_k0_reduce_product
// CHECK-SAME:    (%[[X:.*]]: memref<1x3x4xf32>, %[[Y:.*]]: memref<1x1x4xf32>)
// CHECK:         %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %c3 step %{{.*}} iter_args(%[[ACC:.*]] = %[[ONE]]) -> (f32)
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[X]][%{{.*}}, %[[R]], %{{.*}}] : memref<1x3x4xf32>
// CHECK-NEXT:      %[[P:.*]] = arith.mulf %[[ACC]], %[[V]] : f32
// CHECK-NEXT:      scf.yield %[[P]] : f32
func.func @product_of_rows(%x: memref<1x3x4xf32>, %y: memref<1x1x4xf32>) {
  pex.kernel ins(%x : memref<1x3x4xf32>) outs(%y : memref<1x1x4xf32>) {
  ^bb0(%in: tensor<1x3x4xf32>, %out: tensor<1x1x4xf32>):
    %p = tosa.reduce_product %in {axis = 1 : i32} : (tensor<1x3x4xf32>) -> tensor<1x1x4xf32>
    pex.yield %p : tensor<1x1x4xf32>
  }
  return
}

// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-lower-kernels --pex-dual-multiply-accumulate --canonicalize --cse | FileCheck %s --check-prefix=DSP

// A convolution over a single input channel (an image) is filtered plane by
// plane (PlanarFilter.cpp). The input rows are converted to int16 once into
// a rolling buffer of 2 KH - 1 = 5 rows whose padding (the first column,
// the rows above and below the image) holds the input zero point (-128):
// input row r (counted from the top padding) goes to buffer row r mod 3
// and, below row 2, to row r mod 3 + 3 as well, so an output row reads
// three consecutive buffer rows from oh mod 3 on. The loops converting a
// row are marked pex.gather; each output row is the marked pex.planar loop
// (nine taps, from the folded bias 100 + 128 * 45 = 5860 added in the
// epilogue loop) into an int32 row of six.
// CHECK-DAG:   memref.global "private" constant @image_weights_image_bias_folded_zpm128_0 : memref<1xi32> = dense<5860>
// CHECK-LABEL: func.func private @image_k0_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x6x1xi8>, %[[Y:.*]]: memref<1x4x6x1xi32>)
// CHECK-DAG:     %[[ZP:.*]] = arith.constant -128 : i16
// CHECK-DAG:     %[[ROWS:.*]] = memref.alloca() {alignment = 4 : i64} : memref<5x12xi16>
// CHECK-DAG:     %[[ACCS:.*]] = memref.alloca() {alignment = 4 : i64} : memref<6xi32>
// CHECK:         memref.store %[[ZP]], %[[ROWS]][%{{.*}}, %{{.*}}] : memref<5x12xi16>
// CHECK:         memref.store %[[ZP]], %[[ROWS]][%c0, %{{.*}}] : memref<5x12xi16>
// CHECK:         memref.store %[[ZP]], %[[ROWS]][%c3, %{{.*}}] : memref<5x12xi16>
// CHECK:         scf.for %[[IW:.*]] = %c0 to %c6 step %c1 {
// CHECK:           memref.load %[[X]][%c0, %c0, %[[IW]], %c0]
// CHECK:           memref.store %{{.*}}, %[[ROWS]][%c1, %{{.*}}]
// CHECK:           memref.store %{{.*}}, %[[ROWS]][%c4, %{{.*}}]
// CHECK:         } {pex.gather}
// CHECK:         scf.for %[[OH:.*]] = %c0 to %c4 step %c1 {
// CHECK:           scf.if
// CHECK:             } {pex.gather}
// CHECK:           } else {
// CHECK:           %[[BASE:.*]] = arith.remui %[[OH]], %c3 : index
// CHECK:           scf.for %[[OW:.*]] = %c0 to %c6 step %c1 {
// CHECK:             memref.load %[[ROWS]][%[[BASE]], %[[OW]]] : memref<5x12xi16>
// CHECK-COUNT-8:     memref.load %[[ROWS]]
// CHECK:             memref.store %{{.*}}, %[[ACCS]][%[[OW]]] : memref<6xi32>
// CHECK:           } {pex.planar = {kernel_h = 3 : i64, kernel_w = 3 : i64, stride = 1 : i64}}
// CHECK:           scf.for %[[E:.*]] = %c0 to %c6 step %c1 {
// CHECK:             memref.load %[[ACCS]][%[[E]]] : memref<6xi32>
// CHECK:             memref.store %{{.*}}, %[[Y]][%c0, %[[OH]], %[[E]], %c0]

// On DSP targets the rows convert four inputs per word (SXTB16 and PKHBT /
// PKHTB put them back in order), stored to the row and its copy, the rest
// a byte at a time; an output row computes two outputs per iteration from
// two words of each buffer row (24 bytes apart), the kernel rows' weights
// held as the lane pairs [w0, w1] and [w1, w2] (six registers).
// DSP-LABEL: func.func private @image_k0_conv2d
// DSP:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $4, [$0], #4\0Asxtb16 $5, $4\0Asxtb16 $4, $4, ror #8\0Apkhbt $6, $5, $4, lsl #16\0Apkhtb $4, $4, $5, asr #16\0Astr $4, [$1, #4]\0Astr $6, [$1], #8\0Astr $4, [$2, #4]\0Astr $6, [$2], #8\0Asubs $3, #1\0Abne 1b\0Aldrsb $4, [$0, #0]\0Astrh $4, [$1], #2\0Astrh $4, [$2], #2\0Aldrsb $4, [$0, #1]\0Astrh $4, [$1], #2\0Astrh $4, [$2], #2\0A"
// DSP:         scf.for
// DSP:           llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $5, [$0, #0]\0Aldr $6, [$0, #4]\0Asmuad $3, $5, $10\0Asmlabt $3, $6, $11, $3\0Asmultb $4, $5, $10\0Asmlad $4, $6, $11, $4\0Aldr $5, [$0, #24]\0Aldr $6, [$0, #28]\0Asmlad $3, $5, $12, $3\0Asmlabt $3, $6, $13, $3\0Asmlatb $4, $5, $12, $4\0Asmlad $4, $6, $13, $4\0Aldr $5, [$0, #48]\0Aldr $6, [$0, #52]\0Asmlad $3, $5, $14, $3\0Asmlabt $3, $6, $15, $3\0Asmlatb $4, $5, $14, $4\0Asmlad $4, $6, $15, $4\0Aadd $0, $0, #4\0Astr $4, [$1, #4]\0Astr $3, [$1], #8\0Asubs $2, #1\0Abne 1b\0A", "=r,=r,=r,=&r,=&r,=&r,=&r,0,1,2,r,r,r,r,r,r,~{cc},~{memory}"
// DSP-NOT:     pex.planar
// DSP-NOT:     pex.gather
memref.global "private" constant @image_weights : memref<1x3x3x1xi8> = dense<[[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]]>
memref.global "private" constant @image_bias : memref<1xi32> = dense<100>
func.func @image(%x: memref<1x4x6x1xi8>, %y: memref<1x4x6x1xi32>) {
  %w = memref.get_global @image_weights : memref<1x3x3x1xi8>
  %b = memref.get_global @image_bias : memref<1xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x6x1xi8>, memref<1x3x3x1xi8>, memref<1xi32>) outs(%y : memref<1x4x6x1xi32>) {
  ^bb0(%xa: tensor<1x4x6x1xi8>, %wa: tensor<1x3x3x1xi8>, %ba: tensor<1xi32>, %out: tensor<1x4x6x1xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x1xi8>, tensor<1x3x3x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x6x1xi32>
    pex.yield %c : tensor<1x4x6x1xi32>
  }
  return
}

// -----

// A depthwise convolution larger than 3x3 over a single input channel, with
// a channel multiplier of two, is the same planar filter: each copy is a
// plane ([KH, KW, 1, M] weights), stored at its output channel. A 5x5
// kernel keeps a rolling buffer of nine rows (14 columns: 28 bytes). The
// planes share the converted rows: per output row, the two fresh input rows
// (stride 2) are converted once, then each plane filters them.
// CHECK-LABEL: func.func private @copies_k0_depthwise_conv2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x9x9x1xi8>, %[[Y:.*]]: memref<1x3x3x2xi32>)
// CHECK:         memref.alloca() {alignment = 4 : i64} : memref<9x14xi16>
// CHECK:         scf.for %[[OH:.*]] = %c0 to %c3 step %c1 {
// CHECK-COUNT-2:   } {pex.gather}
// CHECK:           scf.for %[[PLANE:.*]] = %c0 to %c2 step %c1 {
// CHECK-NOT:         pex.gather
// CHECK:             } {pex.planar = {kernel_h = 5 : i64, kernel_w = 5 : i64, stride = 2 : i64}}
// CHECK:             memref.store %{{.*}}, %[[Y]][%c0, %[[OH]], %{{.*}}, %[[PLANE]]]

// On DSP targets a kernel other than 3x3 takes its weights from a table on
// the stack, three words of lane pairs per kernel row ([w0, w1], [w2, w3],
// [w4, 0]), filled before each output row; two outputs per iteration at
// stride 2 share every input word: per kernel row the first weight word
// and the first two input words, then a weight word and one more input word
// for each pair of taps, one SMLAD per output; the row pointer moves on by
// two outputs (8 bytes).
// DSP-LABEL: func.func private @copies_k0_depthwise_conv2d
// DSP-DAG:     %[[TABLE:.*]] = memref.alloca() {alignment = 4 : i64} : memref<15xi32>
// DSP:         memref.store %{{.*}}, %[[TABLE]][%c0] : memref<15xi32>
// DSP-COUNT-14:  memref.store %{{.*}}, %[[TABLE]]
// DSP:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $7, [$12, #0]\0Aldr $5, [$0, #0]\0Aldr $6, [$0, #4]\0Asmuad $3, $5, $7\0Asmuad $4, $6, $7\0Aldr $7, [$12, #4]\0Aldr $5, [$0, #8]\0Asmlad $3, $6, $7, $3\0Asmlad $4, $5, $7, $4\0Aldr $7, [$12, #8]\0Aldr $6, [$0, #12]\0Asmlad $3, $5, $7, $3\0Asmlad $4, $6, $7, $4\0Aldr $7, [$12, #12]\0Aldr $5, [$0, #28]\0Aldr $6, [$0, #32]\0A{{.*}}add $0, $0, #8\0Astr $4, [$1, #4]\0Astr $3, [$1], #8\0Asubs $2, #1\0Abne 1b\0A"
// DSP-NOT:     pex.planar
memref.global "private" constant @copies_weights : memref<5x5x1x2xi8> = dense<1>
memref.global "private" constant @copies_bias : memref<2xi32> = dense<[100, 200]>
func.func @copies(%x: memref<1x9x9x1xi8>, %y: memref<1x3x3x2xi32>) {
  %w = memref.get_global @copies_weights : memref<5x5x1x2xi8>
  %b = memref.get_global @copies_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x9x9x1xi8>, memref<5x5x1x2xi8>, memref<2xi32>) outs(%y : memref<1x3x3x2xi32>) {
  ^bb0(%xa: tensor<1x9x9x1xi8>, %wa: tensor<5x5x1x2xi8>, %ba: tensor<2xi32>, %out: tensor<1x3x3x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x9x9x1xi8>, tensor<5x5x1x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x2xi32>
    pex.yield %c : tensor<1x3x3x2xi32>
  }
  return
}

// -----

// The same filter over a 201-column image would need nine buffer rows of
// 206 int16 columns (3.7 KB of stack, more than the 2 KiB a kernel may
// take): the depthwise emitter reads the input in place instead.
// CHECK-LABEL: func.func private @wide_k0_depthwise_conv2d
// CHECK-NOT:     memref.alloca
// CHECK-NOT:     pex.planar
// CHECK:         return
memref.global "private" constant @wide_weights : memref<5x5x1x2xi8> = dense<1>
memref.global "private" constant @wide_bias : memref<2xi32> = dense<[100, 200]>
func.func @wide(%x: memref<1x9x201x1xi8>, %y: memref<1x3x99x2xi32>) {
  %w = memref.get_global @wide_weights : memref<5x5x1x2xi8>
  %b = memref.get_global @wide_bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x9x201x1xi8>, memref<5x5x1x2xi8>, memref<2xi32>) outs(%y : memref<1x3x99x2xi32>) {
  ^bb0(%xa: tensor<1x9x201x1xi8>, %wa: tensor<5x5x1x2xi8>, %ba: tensor<2xi32>, %out: tensor<1x3x99x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x9x201x1xi8>, tensor<5x5x1x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x99x2xi32>
    pex.yield %c : tensor<1x3x99x2xi32>
  }
  return
}

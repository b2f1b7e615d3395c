// RUN: pex-opt %s -split-input-file --pex-lower-kernels --pex-dual-multiply-accumulate --canonicalize --cse | FileCheck %s

// On DSP targets the packed convolution's marked loops become Cortex-M4
// assembly (MicroKernelsDsp.cpp); a 1x1 convolution at stride 2 through the
// buffer. Filling a pixel's column of the int16
// buffer: per word of four inputs, SXTB16 and SXTB16 ROR #8 give the two
// half-steps' words, stored 12 bytes apart (three pixels per half-step),
// two words per iteration. The dot product of three pixels by a channel
// pair: per half-step, the weight word then the three pixels' words back to
// back, the weight word split into the two channels' lanes, six SMLADs; two
// groups per iteration (seven iterations for this depth of 56). No loop of
// the generic form is left.
// CHECK-LABEL: func.func private @pointwise_k0_conv2d
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $3, [$0], #4\0Aldr $5, [$0], #4\0Asxtb16 $4, $3\0Asxtb16 $3, $3, ror #8\0Astr $3, [$1, #12]\0Astr $4, [$1], #24\0Asxtb16 $6, $5\0Asxtb16 $5, $5, ror #8\0Astr $5, [$1, #12]\0Astr $6, [$1], #24\0Asubs $2, #1\0Abne 1b\0A", "=r,=r,=r,=&r,=&r,=&r,=&r,0,1,2,~{cc},~{memory}"
// CHECK:         scf.for
// CHECK:           %[[MAC:.*]] = llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $10, [$7], #4\0Aldr $11, [$6], #4\0Aldr $12, [$6], #4\0Aldr $13, [$6], #4\0Asxtb16 $9, $10\0Asxtb16 $10, $10, ror #8\0Asmlad $0, $11, $9, $0\0Asmlad $2, $12, $9, $2\0Asmlad $4, $13, $9, $4\0Asmlad $1, $11, $10, $1\0Asmlad $3, $12, $10, $3\0Asmlad $5, $13, $10, $5\0A{{.*}}subs $8, #1\0Abne 1b\0A", "=r,=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,8,~{cc},~{memory}"
// CHECK:           %[[ACC0:.*]] = llvm.extractvalue %[[MAC]][0]
// CHECK:           memref.store %[[ACC0]]
// CHECK-NOT:     pex.mac
// CHECK-NOT:     pex.im2col
memref.global "private" constant @weights : memref<6x1x1x56xi8> = dense<3>
memref.global "private" constant @bias : memref<6xi32> = dense<[10, 20, 30, 40, 50, 60]>
func.func @pointwise(%x: memref<1x1x5x56xi8>, %y: memref<1x1x3x6xi32>) {
  %w = memref.get_global @weights : memref<6x1x1x56xi8>
  %b = memref.get_global @bias : memref<6xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x5x56xi8>, memref<6x1x1x56xi8>, memref<6xi32>) outs(%y : memref<1x1x3x6xi32>) {
  ^bb0(%xa: tensor<1x1x5x56xi8>, %wa: tensor<6x1x1x56xi8>, %ba: tensor<6xi32>, %out: tensor<1x1x3x6xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<1x1x5x56xi8>, tensor<6x1x1x56xi8>, tensor<6xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x6xi32>
    pex.yield %c : tensor<1x1x3x6xi32>
  }
  return
}

// -----

// Through the buffer with at most twelve groups (MicroKernels.h:
// kMaxStraightGroups; here two), the groups are unrolled whole: the half-steps
// one after the other, no label, no counter, no branch.
// CHECK-LABEL: func.func private @shallow_k0_conv2d
// CHECK:         scf.for
// CHECK:           llvm.inline_asm has_side_effects asm_dialect = att "ldr $9, [$7], #4\0Aldr $10, [$6], #4\0Aldr $11, [$6], #4\0Aldr $12, [$6], #4\0Asxtb16 $8, $9\0Asxtb16 $9, $9, ror #8\0Asmlad $0, $10, $8, $0\0Asmlad $2, $11, $8, $2\0Asmlad $4, $12, $8, $4\0Asmlad $1, $10, $9, $1\0Asmlad $3, $11, $9, $3\0Asmlad $5, $12, $9, $5\0A{{[^"]*}}smlad $5, $12, $9, $5\0A", "=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,~{cc},~{memory}"
// CHECK-NOT:     pex.mac
memref.global "private" constant @shallow_weights : memref<6x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[-1, -2, -3, -4, -5, -6, -7, -8]]], [[[9, 10, 11, 12, 13, 14, 15, 16]]], [[[0, 1, 0, 1, 0, 1, 0, 1]]], [[[1, 1, 1, 1, 1, 1, 1, 1]]], [[[2, 2, 2, 2, 2, 2, 2, 2]]]]>
memref.global "private" constant @shallow_bias : memref<6xi32> = dense<[10, 20, 30, 40, 50, 60]>
func.func @shallow(%x: memref<1x1x5x8xi8>, %y: memref<1x1x3x6xi32>) {
  %w = memref.get_global @shallow_weights : memref<6x1x1x8xi8>
  %b = memref.get_global @shallow_bias : memref<6xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x5x8xi8>, memref<6x1x1x8xi8>, memref<6xi32>) outs(%y : memref<1x1x3x6xi32>) {
  ^bb0(%xa: tensor<1x1x5x8xi8>, %wa: tensor<6x1x1x8xi8>, %ba: tensor<6xi32>, %out: tensor<1x1x3x6xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<1x1x5x8xi8>, tensor<6x1x1x8xi8>, tensor<6xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x6xi32>
    pex.yield %c : tensor<1x1x3x6xi32>
  }
  return
}

// -----

// Inputs read in place, two pixels (a pointer each) by a channel pair: per
// group the weight word and both pixels' words back to back, each pixel's
// word extended once per half-step (SXTB16, then SXTB16 ROR #8), four SMLADs
// per half-step.
// CHECK-LABEL: func.func private @narrow_k0_conv2d
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $10, [$6], #4\0Aldr $11, [$4], #4\0Aldr $12, [$5], #4\0Asxtb16 $8, $10\0Asxtb16 $10, $10, ror #8\0Asxtb16 $9, $11\0Asmlad $0, $9, $8, $0\0Asmlad $1, $9, $10, $1\0Asxtb16 $9, $12\0Asmlad $2, $9, $8, $2\0Asmlad $3, $9, $10, $3\0Aldr $10, [$6], #4\0Asxtb16 $8, $10\0Asxtb16 $10, $10, ror #8\0Asxtb16 $9, $11, ror #8\0Asmlad $0, $9, $8, $0\0Asmlad $1, $9, $10, $1\0Asxtb16 $9, $12, ror #8\0Asmlad $2, $9, $8, $2\0Asmlad $3, $9, $10, $3\0A{{.*}}subs $7, #1\0Abne 1b\0A", "=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,~{cc},~{memory}"
// CHECK-NOT:     pex.mac
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

// One channel of a 1x1 convolution at stride 1, four pixels whose rows are
// consecutive (8 bytes apart): one input pointer, stepped by pixel 0's load;
// the others are offsets from it (8 p - 4). Per group the weight word, then
// the four pixels' words back to back; the two groups unrolled (no label,
// no counter).
// CHECK-LABEL: func.func private @consecutive_k0_conv2d
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "ldr $8, [$5], #4\0Aldr $9, [$4], #4\0Aldr $10, [$4, #4]\0Aldr $11, [$4, #12]\0Aldr $12, [$4, #20]\0Asxtb16 $6, $8\0Asxtb16 $8, $8, ror #8\0Asxtb16 $7, $9\0Asmlad $0, $7, $6, $0\0Asxtb16 $9, $9, ror #8\0Asmlad $0, $9, $8, $0\0A{{[^"]*}}smlad $3, $12, $8, $3\0A", "=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,~{cc},~{memory}"
// CHECK-NOT:     pex.mac
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

// Channel pairs over consecutive rows of two groups: the groups are
// unrolled whole (no counter, no branch), and the three pixels' words come
// from one pointer: pixel 0's load steps it, the others are offsets (8 p -
// 4) from it; each half-step extends a pixel's word once for both channels.
// CHECK-LABEL: func.func private @consecutive_pairs_k0_conv2d
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "ldr $10, [$7], #4\0Aldr $11, [$6], #4\0Aldr $12, [$6, #4]\0Aldr $13, [$6, #12]\0Asxtb16 $8, $10\0Asxtb16 $10, $10, ror #8\0Asxtb16 $9, $11\0Asmlad $0, $9, $8, $0\0Asmlad $1, $9, $10, $1\0A{{.*}}smlad $5, $9, $10, $5\0A", "=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,~{cc},~{memory}"
// CHECK-NOT:     pex.mac
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

// A kernel row of an image's three channels (3 taps, 9 bytes) is copied as
// a run of two words (PackedConvolution.cpp: FieldOrder): the copy of so few
// words is straight-line code, no label, no counter, no branch.
// CHECK-LABEL: func.func private @image_k0_conv2d
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "ldr $2, [$0], #4\0Aldr $4, [$0], #4\0Asxtb16 $3, $2\0Asxtb16 $2, $2, ror #8\0Astr $2, [$1, #12]\0Astr $3, [$1], #24\0Asxtb16 $5, $4\0Asxtb16 $4, $4, ror #8\0Astr $4, [$1, #12]\0Astr $5, [$1], #24\0A", "=r,=r,=&r,=&r,=&r,=&r,0,1,~{cc},~{memory}"
// CHECK-NOT:     pex.im2col
memref.global "private" constant @image_weights : memref<2x3x3x3xi8> = dense<1>
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

// Deeper than twelve groups (here 16), the groups are not unrolled whole but
// eight per iteration: the counter starts at two, and one iteration holds
// sixteen half-steps (each ending in the last pair-by-pixel SMLAD).
// CHECK-LABEL: func.func private @deep_k0_conv2d
// CHECK-DAG:     %[[ITERATIONS:.*]] = arith.constant 2 : i32
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0A{{([^"]*smlad \$5, \$13, \$10, \$5\\0A){16}s}}ubs $8, #1\0Abne 1b\0A", "{{[^"]*}}" {{.*}}, %[[ITERATIONS]] :
memref.global "private" constant @deep_weights : memref<4x1x1x64xi8> = dense<3>
memref.global "private" constant @deep_bias : memref<4xi32> = dense<[10, 20, 30, 40]>
func.func @deep(%x: memref<1x1x5x64xi8>, %y: memref<1x1x3x4xi32>) {
  %w = memref.get_global @deep_weights : memref<4x1x1x64xi8>
  %b = memref.get_global @deep_bias : memref<4xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x5x64xi8>, memref<4x1x1x64xi8>, memref<4xi32>) outs(%y : memref<1x1x3x4xi32>) {
  ^bb0(%xa: tensor<1x1x5x64xi8>, %wa: tensor<4x1x1x64xi8>, %ba: tensor<4xi32>, %out: tensor<1x1x3x4xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<1x1x5x64xi8>, tensor<4x1x1x64xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x4xi32>
    pex.yield %c : tensor<1x1x3x4xi32>
  }
  return
}

// -----

// Three channels of an unpadded 3x3 convolution over eight: each receptive
// field is read in place as three runs (its kernel rows, 24 bytes, 40 apart).
// The loop over the runs and the marked loop over a run's six groups are one
// assembly block: an iteration per run, its groups unrolled, then each of the
// three pixel pointers steps from the run's end to the next run's start
// (40 - 24 bytes). No loop over the runs is left around the block.
// CHECK-LABEL: func.func private @runs_k0_conv2d
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK-NOT:     scf.for
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldr $10, [$6], #4\0Aldr $11, [$3], #4\0Aldr $12, [$4], #4\0Aldr $13, [$5], #4\0A{{.*}}smlad $2, $13, $10, $2\0Aadd $3, $3, #16\0Aadd $4, $4, #16\0Aadd $5, $5, #16\0Asubs $7, #1\0Abne 1b\0A", "=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,~{cc},~{memory}"
// CHECK-NOT:     scf.for
// CHECK:         memref.store
// CHECK-NOT:     pex.mac
memref.global "private" constant @runs_weights : memref<3x3x3x8xi8> = dense<1>
memref.global "private" constant @runs_bias : memref<3xi32> = dense<[1, 2, 3]>
func.func @runs(%x: memref<1x5x5x8xi8>, %y: memref<1x3x3x3xi32>) {
  %w = memref.get_global @runs_weights : memref<3x3x3x8xi8>
  %b = memref.get_global @runs_bias : memref<3xi32>
  pex.kernel ins(%x, %w, %b : memref<1x5x5x8xi8>, memref<3x3x3x8xi8>, memref<3xi32>) outs(%y : memref<1x3x3x3xi32>) {
  ^bb0(%xa: tensor<1x5x5x8xi8>, %wa: tensor<3x3x3x8xi8>, %ba: tensor<3xi32>, %out: tensor<1x3x3x3xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x5x5x8xi8>, tensor<3x3x3x8xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x3xi32>
    pex.yield %c : tensor<1x3x3x3xi32>
  }
  return
}

// -----

// A line buffer's word copy: 70 words from byte 140 of the buffer to its
// start, two blocks of eight words per iteration (LDM and STM with
// write-back, registers in ascending order, r7 left out), four iterations,
// then the last six words by a shorter list. No loop is left.
// CHECK-LABEL: func.func @shift
// CHECK:         %[[BASE:.*]] = llvm.inttoptr
// CHECK:         %[[SOURCE:.*]] = llvm.getelementptr %[[BASE]][140]
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "1:\0Aldmia $0!, {r4, r5, r6, r8, r9, r10, r11, r12}\0Astmia $1!, {r4, r5, r6, r8, r9, r10, r11, r12}\0Aldmia $0!, {r4, r5, r6, r8, r9, r10, r11, r12}\0Astmia $1!, {r4, r5, r6, r8, r9, r10, r11, r12}\0Asubs $2, #1\0Abne 1b\0Aldmia $0!, {r4, r5, r6, r8, r9, r10}\0Astmia $1!, {r4, r5, r6, r8, r9, r10}\0A", "=r,=r,=r,0,1,2,~{r4},~{r5},~{r6},~{r8},~{r9},~{r10},~{r11},~{r12},~{cc},~{memory}" %[[SOURCE]], %[[BASE]], %{{.*}}
// CHECK-NOT:     scf.for
// CHECK-NOT:     pex.copy
func.func @shift(%arena: memref<4096xi8>) {
  %c64 = arith.constant 64 : index
  %line = memref.view %arena[%c64][] : memref<4096xi8> to memref<1x3x5x28xi8>
  pex.shift_rows %line drop 1 keep 2 : memref<1x3x5x28xi8>
  return
}

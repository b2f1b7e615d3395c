// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// A 16x8 convolution (int16 input, int8 weights, TOSA's i48 accumulator and
// bias): the generic emitter sums in i64 from the sign-extended i48 bias, and
// the fused rescale takes the i64 sum whole (scale32 = false: x * m + 2^(s-1)
// >> s in i64), then saturates to int16.
// CHECK-LABEL: func.func private @conv16x8_k0_conv2d
// CHECK:         %[[BIAS:.*]] = memref.load {{.*}} : memref<3xi48>
// CHECK:         arith.extsi %[[BIAS]] : i48 to i64
// CHECK:         %[[X:.*]] = arith.extsi {{.*}} : i16 to i64
// CHECK:         %[[W:.*]] = arith.extsi {{.*}} : i8 to i64
// CHECK:         %[[P:.*]] = arith.muli %[[X]], %[[W]] : i64
// CHECK:         arith.addi {{.*}}, %[[P]] : i64
// CHECK-NOT:     arith.trunci {{.*}} : i64 to i32
// CHECK:         %[[M:.*]] = arith.muli %{{[0-9]+}}#0, %{{.*}} : i64
// CHECK-NEXT:    %[[R:.*]] = arith.addi %[[M]], %{{.*}} : i64
// CHECK-NEXT:    arith.shrsi %[[R]], %{{.*}} : i64
// CHECK:         arith.trunci {{.*}} : i64 to i16
// CHECK:         memref.store {{.*}} : memref<1x4x4x3xi16>
func.func @conv16x8(%x: memref<1x4x4x2xi16>, %w: memref<3x1x1x2xi8>, %b: memref<3xi48>, %y: memref<1x4x4x3xi16>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x2xi16>, memref<3x1x1x2xi8>, memref<3xi48>) outs(%y : memref<1x4x4x3xi16>) {
  ^bb0(%xa: tensor<1x4x4x2xi16>, %wa: tensor<3x1x1x2xi8>, %ba: tensor<3xi48>, %out: tensor<1x4x4x3xi16>):
    %zp16 = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp48 = "tosa.const"() <{values = dense<0> : tensor<1xi48>}> : () -> tensor<1xi48>
    %m = "tosa.const"() <{values = dense<16384> : tensor<1xi16>}> : () -> tensor<1xi16>
    %s = "tosa.const"() <{values = dense<20> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp16, %zp8 {acc_type = i48, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi16>, tensor<3x1x1x2xi8>, tensor<3xi48>, tensor<1xi16>, tensor<1xi8>) -> tensor<1x4x4x3xi48>
    %r = tosa.rescale %c, %m, %s, %zp48, %zp16 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = false} : (tensor<1x4x4x3xi48>, tensor<1xi16>, tensor<1xi8>, tensor<1xi48>, tensor<1xi16>) -> tensor<1x4x4x3xi16>
    pex.yield %r : tensor<1x4x4x3xi16>
  }
  return
}

// -----

// Unfused, the i64 sum is stored in the convolution's i48 result.
// CHECK-LABEL: func.func private @conv16x8_alone_k0_conv2d
// CHECK:         %[[S:.*]] = arith.trunci {{.*}} : i64 to i48
// CHECK:         memref.store %[[S]], {{.*}} : memref<1x2x2x1xi48>
func.func @conv16x8_alone(%x: memref<1x2x2x1xi16>, %w: memref<1x1x1x1xi8>, %b: memref<1xi48>, %y: memref<1x2x2x1xi48>) {
  pex.kernel ins(%x, %w, %b : memref<1x2x2x1xi16>, memref<1x1x1x1xi8>, memref<1xi48>) outs(%y : memref<1x2x2x1xi48>) {
  ^bb0(%xa: tensor<1x2x2x1xi16>, %wa: tensor<1x1x1x1xi8>, %ba: tensor<1xi48>, %out: tensor<1x2x2x1xi48>):
    %zp16 = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp16, %zp8 {acc_type = i48, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xi16>, tensor<1x1x1x1xi8>, tensor<1xi48>, tensor<1xi16>, tensor<1xi8>) -> tensor<1x2x2x1xi48>
    pex.yield %c : tensor<1x2x2x1xi48>
  }
  return
}

// -----

// A 16-bit table (TFLite Micro's int16 SOFTMAX): the upper nine bits of x +
// 2^15 index two neighbouring entries of the 513, the lower seven interpolate
// them in i32, (base << 7) + (next - base) * fraction.
// CHECK-LABEL: func.func private @table16_k0_table
// CHECK:         %[[X:.*]] = arith.extsi {{.*}} : i16 to i32
// CHECK:         %[[OFFSET:.*]] = arith.addi %[[X]], %{{.*}} : i32
// CHECK:         %[[POSITION:.*]] = arith.shrui %[[OFFSET]], %{{.*}} : i32
// CHECK:         %[[FRACTION:.*]] = arith.andi %[[OFFSET]], %{{.*}} : i32
// CHECK:         %[[BASE:.*]] = memref.load {{.*}} : memref<513xi16>
// CHECK:         %[[NEXT_POSITION:.*]] = arith.addi %[[POSITION]], %{{.*}} : i32
// CHECK:         %[[NEXT:.*]] = memref.load {{.*}} : memref<513xi16>
// CHECK:         %[[SLOPE:.*]] = arith.subi
// CHECK:         %[[HIGH:.*]] = arith.shli
// CHECK:         %[[STEP:.*]] = arith.muli %[[SLOPE]], %[[FRACTION]] : i32
// CHECK:         arith.addi %[[HIGH]], %[[STEP]] : i32
func.func @table16(%x: memref<4xi16>, %t: memref<513xi16>, %y: memref<4xi32>) {
  pex.kernel ins(%x, %t : memref<4xi16>, memref<513xi16>) outs(%y : memref<4xi32>) {
  ^bb0(%in: tensor<4xi16>, %ta: tensor<513xi16>, %out: tensor<4xi32>):
    %r = tosa.table %in, %ta : (tensor<4xi16>, tensor<513xi16>) -> tensor<4xi32>
    pex.yield %r : tensor<4xi32>
  }
  return
}

// -----

// SoftmaxInt16's normalisation of a row's sum: its leading zeros (math.ctlz)
// and the sum shifted left by them less one.
// CHECK-LABEL: func.func private @normalize_k0_clz
// CHECK:         %[[ZEROS:.*]] = math.ctlz %{{.*}} : i32
// CHECK:         %[[SHIFT:.*]] = arith.subi %[[ZEROS]], %{{.*}} : i32
// CHECK:         arith.shli %{{.*}}, %[[SHIFT]] : i32
func.func @normalize(%x: memref<4xi32>, %y: memref<4xi32>) {
  pex.kernel ins(%x : memref<4xi32>) outs(%y : memref<4xi32>) {
  ^bb0(%in: tensor<4xi32>, %out: tensor<4xi32>):
    %one = "tosa.const"() <{values = dense<1> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zeros = tosa.clz %in : (tensor<4xi32>) -> tensor<4xi32>
    %shift = tosa.sub %zeros, %one : (tensor<4xi32>, tensor<1xi32>) -> tensor<4xi32>
    %r = tosa.logical_left_shift %in, %shift : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    pex.yield %r : tensor<4xi32>
  }
  return
}

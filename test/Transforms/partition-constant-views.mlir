// RUN: pex-opt %s --pex-partition="alignment=1" | FileCheck %s
// RUN: %python -c "import random; random.seed(7); open('%t.in', 'wb').write(bytes(random.randrange(256) for _ in range(1024 + 32)))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.split
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.whole --no-partial
// RUN: cmp %t.split %t.whole

// One per-channel offset read at two ranks: reshaped for the channel-local
// add of an inverted residual, and whole by an add over a vector (an ONNX
// initializer shared by two nodes). The normaliser leaves the reshape (the
// constant is also read whole), so the group cuts a view of a constant; it
// reads flash like the constant itself and may be captured. The split
// program's bytes equal the unsplit one's.
// CHECK-LABEL: func.func @shared_offset
// CHECK:       %[[C:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<1x32xi8>}>
// CHECK:       %[[VIEW:.*]] = tosa.reshape %[[C]]
// CHECK:       pex.group axis = 3, channels = 32
// CHECK:         %[[SLICE:.*]] = pex.slice %[[VIEW]][3] : tensor<1x1x1x32xi8> -> tensor<1x1x1x{{[0-9]+}}xi8>
// CHECK:         tosa.add %{{.*}}, %[[SLICE]]
// CHECK:       tosa.add %{{.*}}, %[[C]] : (tensor<1x32xi8>, tensor<1x32xi8>) -> tensor<1x32xi8>
func.func @shared_offset(%x: tensor<1x8x8x16xi8>, %v: tensor<1x32xi8>) -> (tensor<1x8x8x8xi8>, tensor<1x32xi8>) {
  %w1 = "tosa.const"() {values = dense<1> : tensor<32x1x1x16xi8>} : () -> tensor<32x1x1x16xi8>
  %b1 = "tosa.const"() {values = dense<3> : tensor<32xi32>} : () -> tensor<32xi32>
  %w2 = "tosa.const"() {values = dense<2> : tensor<3x3x32x1xi8>} : () -> tensor<3x3x32x1xi8>
  %b2 = "tosa.const"() {values = dense<0> : tensor<32xi32>} : () -> tensor<32xi32>
  %w3 = "tosa.const"() {values = dense<-1> : tensor<8x1x1x32xi8>} : () -> tensor<8x1x1x32xi8>
  %b3 = "tosa.const"() {values = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>} : () -> tensor<8xi32>
  %c = "tosa.const"() {values = dense<[[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16, 17, -18, 19, -20, 21, -22, 23, -24, 25, -26, 27, -28, 29, -30, 31, -32]]> : tensor<1x32xi8>} : () -> tensor<1x32xi8>
  %rank4 = tosa.const_shape {values = dense<[1, 1, 1, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<36> : tensor<1xi8>} : () -> tensor<1xi8>
  %e = tosa.conv2d %x, %w1, %b1, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %eq = tosa.rescale %e, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %offset = tosa.reshape %c, %rank4 : (tensor<1x32xi8>, !tosa.shape<4>) -> tensor<1x1x1x32xi8>
  %shifted = tosa.add %eq, %offset : (tensor<1x8x8x32xi8>, tensor<1x1x1x32xi8>) -> tensor<1x8x8x32xi8>
  %d = tosa.depthwise_conv2d %shifted, %w2, %b2, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<3x3x32x1xi8>, tensor<32xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
  %dq = tosa.rescale %d, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x32xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x32xi8>
  %p = tosa.conv2d %dq, %w3, %b3, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x32xi8>, tensor<8x1x1x32xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  %pq = tosa.rescale %p, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
  %biased = tosa.add %v, %c : (tensor<1x32xi8>, tensor<1x32xi8>) -> tensor<1x32xi8>
  return %pq, %biased : tensor<1x8x8x8xi8>, tensor<1x32xi8>
}

// RUN: pex-opt %s -split-input-file --pex-plan-arena --pex-lower-groups --pex-form-kernels | FileCheck %s

// An int8 convolution with its rescale and clamp is one logical operator: one
// kernel writing a new empty tensor. The weights and bias (more than one
// element) are kernel inputs, as arith constants outside; the single-element
// zero points, multiplier and shift are immediates cloned into the body, and
// no tosa.const is left outside the kernel.
// CHECK-LABEL: func.func @conv_rescale_clamp
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4x4x2xi8>)
// CHECK-NOT:   tosa.const
// CHECK-DAG:   %[[W:.*]] = arith.constant dense<1> : tensor<3x1x1x2xi8>
// CHECK-DAG:   %[[B:.*]] = arith.constant dense<0> : tensor<3xi32>
// CHECK:       %[[INIT:.*]] = tensor.empty() : tensor<1x4x4x3xi8>
// CHECK:       %[[K:.*]] = pex.kernel ins(%[[X]], %[[W]], %[[B]] : tensor<1x4x4x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>) outs(%[[INIT]] : tensor<1x4x4x3xi8>) {
// CHECK-NEXT:  ^bb0(%[[XA:.*]]: tensor<1x4x4x2xi8>, %[[WA:.*]]: tensor<3x1x1x2xi8>, %[[BA:.*]]: tensor<3xi32>, %{{.*}}: tensor<1x4x4x3xi8>):
// CHECK-DAG:     %[[ZP8:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK-DAG:     %[[M:.*]] = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}>
// CHECK-DAG:     %[[S:.*]] = "tosa.const"() <{values = dense<33> : tensor<1xi8>}>
// CHECK-DAG:     %[[ZP32:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi32>}>
// CHECK:         %[[C:.*]] = tosa.conv2d %[[XA]], %[[WA]], %[[BA]], %[[ZP8]], %[[ZP8]]
// CHECK-NEXT:    %[[R:.*]] = tosa.rescale %[[C]], %[[M]], %[[S]], %[[ZP32]], %[[ZP8]]
// CHECK-NEXT:    %[[Y:.*]] = tosa.clamp %[[R]]
// CHECK-NEXT:    pex.yield %[[Y]] : tensor<1x4x4x3xi8>
// CHECK-NEXT:  } -> tensor<1x4x4x3xi8>
// CHECK-NOT:   tosa.
// CHECK:       return %[[K]] : tensor<1x4x4x3xi8>
func.func @conv_rescale_clamp(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x4x3xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<3x1x1x2xi8>} : () -> tensor<3x1x1x2xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<3xi32>} : () -> tensor<3xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
  %r = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4x4x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
  %y = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x3xi8>) -> tensor<1x4x4x3xi8>
  return %y : tensor<1x4x4x3xi8>
}

// -----

// In place: %a is read by two element-wise operators only (the product with
// the input, fused into the add) and dies at the add, so the planner placed
// the add's result at %a's offset: that kernel's destination is %a itself.
// The negate does not overwrite its operand: it is the function's input. The
// pooling computes the caller's output.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4x4x3xf32>)
// CHECK:       %[[E0:.*]] = pex.buffer <offset = 0, size = 192, live = [0, 1]> : tensor<1x4x4x3xf32>
// CHECK:       %[[A:.*]] = pex.kernel ins(%[[X]] : tensor<1x4x4x3xf32>) outs(%[[E0]] : tensor<1x4x4x3xf32>)
// CHECK:         tosa.negate
// CHECK-NOT:   pex.buffer
// CHECK:       %[[S:.*]] = pex.kernel ins(%[[X]] : tensor<1x4x4x3xf32>) outs(%[[A]] : tensor<1x4x4x3xf32>) {
// CHECK-NEXT:  ^bb0(%[[IN:.*]]: tensor<1x4x4x3xf32>, %[[OUT:.*]]: tensor<1x4x4x3xf32>):
// CHECK:         %[[C:.*]] = tosa.mul %[[OUT]], %[[IN]]
// CHECK-NEXT:    %[[SUM:.*]] = tosa.add %[[OUT]], %[[C]]
// CHECK-NEXT:    pex.yield %[[SUM]]
// CHECK:       %[[E1:.*]] = tensor.empty() : tensor<1x2x2x3xf32>
// CHECK:       %[[Y:.*]] = pex.kernel ins(%[[S]] : tensor<1x4x4x3xf32>) outs(%[[E1]] : tensor<1x2x2x3xf32>)
// CHECK:         tosa.max_pool2d
// CHECK:       return %[[Y]]
func.func @in_place(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.mul %a, %x, %shift : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>, tensor<1xi8>) -> tensor<1x4x4x3xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %y = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  return %y : tensor<1x2x2x3xf32>
}

// -----

// Not in place: %a is still read after the add (by the second pooling), so
// the add's kernel reads it as an input and writes a buffer of its own.
// CHECK-LABEL: func.func @operand_used_later
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:         tosa.negate
// CHECK:       %[[E:.*]] = pex.buffer <{{.*}}> : tensor<1x4x4x3xf32>
// CHECK:       pex.kernel ins(%[[A]] : tensor<1x4x4x3xf32>) outs(%[[E]] : tensor<1x4x4x3xf32>)
// CHECK:         tosa.add
func.func @operand_used_later(%x: tensor<1x4x4x3xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %c = tosa.clamp %a {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %y = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %z = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  return %y, %z : tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>
}

// -----

// Not in place: the add's result is the function's result (the caller's
// buffer), so it cannot be written over %a.
// CHECK-LABEL: func.func @result_is_returned
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:         tosa.negate
// CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x4x4x3xf32>
// CHECK:       %[[S:.*]] = pex.kernel ins(%[[A]], %{{.*}} : tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) outs(%[[E]] : tensor<1x4x4x3xf32>)
// CHECK:         tosa.add
// CHECK:       return %[[S]]
func.func @result_is_returned(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.mul %a, %x, %shift : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>, tensor<1xi8>) -> tensor<1x4x4x3xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %s : tensor<1x4x4x3xf32>
}

// -----

// Nor through a reshape: the reshape is a view of the caller's buffer.
// CHECK-LABEL: func.func @result_is_returned_reshaped
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:         tosa.negate
// CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x4x4x3xf32>
// CHECK:       %[[S:.*]] = pex.kernel ins(%[[A]], %{{.*}} : tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) outs(%[[E]] : tensor<1x4x4x3xf32>)
// CHECK:         tosa.add
// CHECK:       tensor.collapse_shape %[[S]]
func.func @result_is_returned_reshaped(%x: tensor<1x4x4x3xf32>) -> tensor<48xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.mul %a, %x, %shift : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>, tensor<1xi8>) -> tensor<1x4x4x3xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %shape = tosa.const_shape {values = dense<[48]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %r = tosa.reshape %s, %shape : (tensor<1x4x4x3xf32>, !tosa.shape<1>) -> tensor<48xf32>
  return %r : tensor<48xf32>
}

// -----

// Not in place: the fused convolution (the anchor) also reads %a, at other
// indices than the element being written.
// CHECK-LABEL: func.func @anchor_reads_operand
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:         tosa.negate
// CHECK:       %[[E:.*]] = pex.buffer <{{.*}}> : tensor<1x4x4x3xf32>
// CHECK:       pex.kernel ins(%[[A]], %{{.*}}, %{{.*}} : tensor<1x4x4x3xf32>, tensor<3x1x1x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<1x4x4x3xf32>) {
// CHECK-NEXT:  ^bb0(%[[AA:[^:]*]]: tensor<1x4x4x3xf32>,
// CHECK:         %[[C:.*]] = tosa.conv2d %[[AA]],
// CHECK-NEXT:    tosa.add %[[AA]], %[[C]]
func.func @anchor_reads_operand(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x3xf32>} : () -> tensor<3x1x1x3xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %c = tosa.conv2d %a, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<3x1x1x3xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %s = tosa.add %a, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %y = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  return %y : tensor<1x2x2x3xf32>
}

// -----

// An int8 residual add of two convolutions: the add fuses with the first
// branch; the second branch cannot fuse (one anchor per kernel), so it is
// stored where it is smallest, as int8 after its first rescale, and its
// widening rescale moves into the add's kernel.
// CHECK-LABEL: func.func @residual_add_tail
// CHECK:       %[[B:.*]] = pex.kernel ins(%{{.*}}, %{{.*}}, %{{.*}} : {{.*}}) outs(%{{.*}} : tensor<1x4x4x4xi8>) {
// CHECK:         %[[C2:.*]] = tosa.conv2d
// CHECK-NEXT:    %[[R2:.*]] = tosa.rescale %[[C2]], {{.*}} -> tensor<1x4x4x4xi8>
// CHECK-NEXT:    pex.yield %[[R2]] : tensor<1x4x4x4xi8>
// CHECK:       pex.kernel ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[B]] : tensor<1x4x4x4xi8>, tensor<4x1x1x4xi8>, tensor<4xi32>, tensor<1x4x4x4xi8>) outs(%{{.*}} : tensor<1x4x4x4xi8>) {
// CHECK-NEXT:  ^bb0({{.*}}, %[[BA:[^:]*]]: tensor<1x4x4x4xi8>, %{{[^:]*}}: tensor<1x4x4x4xi8>):
// CHECK:         %[[C1:.*]] = tosa.conv2d
// CHECK-NEXT:    %[[R1:.*]] = tosa.rescale %[[C1]], {{.*}} -> tensor<1x4x4x4xi8>
// CHECK-NEXT:    %[[W1:.*]] = tosa.rescale %[[R1]], {{.*}} -> tensor<1x4x4x4xi32>
// CHECK-NEXT:    %[[W2:.*]] = tosa.rescale %[[BA]], {{.*}} -> tensor<1x4x4x4xi32>
// CHECK-NEXT:    %[[SUM:.*]] = tosa.add %[[W1]], %[[W2]]
// CHECK-NEXT:    %[[Y:.*]] = tosa.rescale %[[SUM]], {{.*}} -> tensor<1x4x4x4xi8>
// CHECK-NEXT:    pex.yield %[[Y]]
func.func @residual_add_tail(%x: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<4x1x1x4xi8>} : () -> tensor<4x1x1x4xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %c1 = tosa.conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xi8>, tensor<4x1x1x4xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
  %r1 = tosa.rescale %c1, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x4xi8>
  %w1 = tosa.rescale %r1, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4x4x4xi32>
  %c2 = tosa.conv2d %x, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xi8>, tensor<4x1x1x4xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
  %r2 = tosa.rescale %c2, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x4xi8>
  %w2 = tosa.rescale %r2, %m, %s, %zp8, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4x4x4xi32>
  %sum = tosa.add %w1, %w2 : (tensor<1x4x4x4xi32>, tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  %y = tosa.rescale %sum, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// A reshape between ranks other than one is a collapse to one dimension and
// an expansion: views, outside any kernel.
// CHECK-LABEL: func.func @reshape
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2, 3]] : tensor<1x2x2x4xf32> into tensor<16xf32>
// CHECK-NEXT:  %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 4] : tensor<16xf32> into tensor<4x4xf32>
// CHECK-NEXT:  return %[[R]]
func.func @reshape(%x: tensor<1x2x2x4xf32>) -> tensor<4x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x2x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %a, %shape : (tensor<1x2x2x4xf32>, !tosa.shape<2>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// To or from rank one, a reshape is a single collapse or expansion; a slice
// with constant bounds is an extract_slice. The element-wise operator after
// the views reads them as a kernel input; it does not write over a view.
// CHECK-LABEL: func.func @slice_between_reshapes
// CHECK:       %[[A:.*]] = pex.kernel
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2, 3]] : tensor<1x2x2x4xf32> into tensor<16xf32>
// CHECK-NEXT:  %[[S:.*]] = tensor.extract_slice %[[FLAT]][4] [8] [1] : tensor<16xf32> to tensor<8xf32>
// CHECK-NEXT:  %[[R:.*]] = tensor.expand_shape %[[S]] {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK-NEXT:  %[[E:.*]] = pex.buffer <{{.*}}> : tensor<1x8xf32>
// CHECK-NEXT:  %[[C:.*]] = pex.kernel ins(%[[R]] : tensor<1x8xf32>) outs(%[[E]] : tensor<1x8xf32>)
// CHECK:         tosa.clamp
// CHECK:       pex.kernel ins(%[[C]] : tensor<1x8xf32>)
// CHECK:         tosa.reduce_max
// CHECK-NOT:   tosa.reshape
// CHECK-NOT:   tosa.slice
// CHECK-NOT:   tosa.const_shape
func.func @slice_between_reshapes(%x: tensor<1x2x2x4xf32>) -> tensor<1x1xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x2x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  %shape = tosa.const_shape {values = dense<[16]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %f = tosa.reshape %a, %shape : (tensor<1x2x2x4xf32>, !tosa.shape<1>) -> tensor<16xf32>
  %start = tosa.const_shape {values = dense<[4]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %size = tosa.const_shape {values = dense<[8]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %s = tosa.slice %f, %start, %size : (tensor<16xf32>, !tosa.shape<1>, !tosa.shape<1>) -> tensor<8xf32>
  %shape2 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %s, %shape2 : (tensor<8xf32>, !tosa.shape<2>) -> tensor<1x8xf32>
  %c = tosa.clamp %r {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = tosa.reduce_max %c {axis = 1 : i32} : (tensor<1x8xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// Constants outside kernels become arith constants: a reshape of weights
// (a view of flash) is a collapse and expansion of the arith constant, fed to
// the kernel as an input. An unused constant and the shapes disappear.
// CHECK-LABEL: func.func @reshaped_weights
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x2x2xf32>)
// CHECK-NOT:   dense<2.0
// CHECK-DAG:   %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<3x8xf32>
// CHECK-DAG:   %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-DAG:   %[[WF:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1]] : tensor<3x8xf32> into tensor<24xf32>
// CHECK-DAG:   %[[W4:.*]] = tensor.expand_shape %[[WF]] {{\[}}[0, 1, 2, 3]] output_shape [3, 1, 1, 8]
// CHECK-DAG:   %[[XF:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<8xf32>
// CHECK-DAG:   %[[X4:.*]] = tensor.expand_shape %[[XF]] {{\[}}[0, 1, 2, 3]] output_shape [1, 1, 1, 8]
// CHECK:       pex.kernel ins(%[[X4]], %[[W4]], %[[B]] : tensor<1x1x1x8xf32>, tensor<3x1x1x8xf32>, tensor<3xf32>)
// CHECK-NOT:   tosa.const_shape
// CHECK-NOT:   dense<2.0
func.func @reshaped_weights(%x: tensor<1x2x2x2xf32>) -> tensor<1x1x1x3xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x8xf32>} : () -> tensor<3x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %unused = "tosa.const"() {values = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %wshape = tosa.const_shape {values = dense<[3, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %w4 = tosa.reshape %w, %wshape : (tensor<3x8xf32>, !tosa.shape<4>) -> tensor<3x1x1x8xf32>
  %xshape = tosa.const_shape {values = dense<[1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %x4 = tosa.reshape %x, %xshape : (tensor<1x2x2x2xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
  %y = tosa.conv2d %x4, %w4, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<3x1x1x8xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x3xf32>
  return %y : tensor<1x1x1x3xf32>
}

// -----

// The loops pex-lower-groups makes are partitioned too: the accumulator's
// zero tile is a kernel before the loop, into the accumulator's planned
// buffer; in the loop, the convolution of each slice and its addition to the
// accumulator are one kernel that writes the loop-carried accumulator in
// place (the planner placed the sum where the accumulator is); the
// epilogue's clamp after the loop is a kernel of its own, writing the
// caller's output.
// CHECK-LABEL: func.func @group_loop
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x2x8xf32>)
// CHECK:       %[[ACCBUF:.*]] = pex.buffer <offset = 0, size = 48, live = [0, 1]> : tensor<1x2x2x3xf32>
// CHECK:       %[[ZERO:.*]] = pex.kernel outs(%[[ACCBUF]] : tensor<1x2x2x3xf32>)
// CHECK:         tosa.tile
// CHECK:       %[[LOOP:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (tensor<1x2x2x3xf32>) {
// CHECK:         %[[XS:.*]] = tensor.extract_slice %[[X]]
// CHECK:         %[[WS:.*]] = tensor.extract_slice
// CHECK:         %[[K:.*]] = pex.kernel ins(%[[XS]], %[[WS]], %{{.*}} : tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>) outs(%[[ACC]] : tensor<1x2x2x3xf32>) {
// CHECK-NEXT:    ^bb0(%{{.*}}: tensor<1x2x2x4xf32>, %{{.*}}: tensor<3x1x1x4xf32>, %{{.*}}: tensor<3xf32>, %[[OUT:.*]]: tensor<1x2x2x3xf32>):
// CHECK:           %[[P:.*]] = tosa.conv2d
// CHECK-NEXT:      %[[SUM:.*]] = tosa.add %[[OUT]], %[[P]]
// CHECK-NEXT:      pex.yield %[[SUM]]
// CHECK:         scf.yield %[[K]] : tensor<1x2x2x3xf32>
// CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x2x2x3xf32>
// CHECK:       pex.kernel ins(%[[LOOP]] : tensor<1x2x2x3xf32>) outs(%[[E]] : tensor<1x2x2x3xf32>)
// CHECK:         tosa.clamp
func.func @group_loop(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x3xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x8xf32>} : () -> tensor<3x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %ws = pex.slice %w[3] : tensor<3x1x1x8xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %xs, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield accumulate(%p : tensor<1x2x2x3xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x3xf32>):
    %c = tosa.clamp %acc {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
    pex.yield %c : tensor<1x2x2x3xf32>
  }
  return %y : tensor<1x2x2x3xf32>
}

// -----

// A returned slice is not a view: the model's output is a contiguous buffer
// of its own, so a kernel copies the slice into it.
// CHECK-LABEL: func.func @returned_slice
// CHECK:       %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT:  %[[S:.*]] = pex.kernel ins(%arg0 : tensor<2x8xf32>) outs(%[[E]] : tensor<2x4xf32>)
// CHECK:         tosa.slice
// CHECK:       return %[[S]]
// CHECK-NOT:   tensor.extract_slice
func.func @returned_slice(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %start = tosa.const_shape {values = dense<[0, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[2, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s = tosa.slice %x, %start, %size : (tensor<2x8xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}

// -----

// An element-wise operator reading a slice that is already an extract_slice
// forms its own kernel: the slice is not a computation to fuse, and the
// unrelated negate stays whole.
// CHECK-LABEL: func.func @extract_slice_operand
// CHECK:       %[[N:.*]] = pex.kernel ins(%arg0 : tensor<1x2x2x4xf32>)
// CHECK:         tosa.negate
// CHECK:       %[[S:.*]] = tensor.extract_slice %arg0
// CHECK:       %[[C:.*]] = pex.kernel ins(%[[S]] : tensor<1x2x2x2xf32>)
// CHECK:         tosa.clamp
// CHECK:       return %[[N]], %[[C]]
func.func @extract_slice_operand(%x: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x2xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.negate %x, %zp, %zp : (tensor<1x2x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  %s = tensor.extract_slice %x[0, 0, 0, 2] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x2x2x4xf32> to tensor<1x2x2x2xf32>
  %c = tosa.clamp %s {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %a, %c : tensor<1x2x2x4xf32>, tensor<1x2x2x2xf32>
}

// -----

// A result assembled slice by slice dies at an element-wise operator, which
// the planner placed over it: the kernel writes over the assembled tensor
// (found through the slice inserted last).
// CHECK-LABEL: func.func @in_place_over_assembled
// CHECK:       %[[ASSEMBLED:.*]] = pex.buffer <offset = 0, size = 160, live = [0, 1]> : tensor<1x2x2x10xf32>
// CHECK:       %[[LOOP:.*]] = scf.for
// CHECK:       %[[LAST:.*]] = tensor.insert_slice %{{.*}} into %[[LOOP]]
// CHECK-NOT:   pex.buffer
// CHECK:       pex.kernel outs(%[[LAST]] : tensor<1x2x2x10xf32>)
// CHECK:         tosa.negate
func.func @in_place_over_assembled(%x: tensor<1x2x2x10xf32>) -> tensor<1x1x1x10xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.group axis = 3, channels = 10, slices = 3 sliced(%x : tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>)
  }
  %n = tosa.negate %y, %zp, %zp : (tensor<1x2x2x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x10xf32>
  %r = tosa.max_pool2d %n {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x10xf32>) -> tensor<1x1x1x10xf32>
  return %r : tensor<1x1x1x10xf32>
}

// -----

// A reshape to or from rank 0 (one element) is a collapse or an expansion
// without reassociation: views, as every reshape.
// CHECK-LABEL: func.func @rank_zero
// CHECK:       %[[S:.*]] = tensor.collapse_shape %arg0 [] : tensor<1xf32> into tensor<f32>
// CHECK:       tensor.expand_shape %[[S]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
func.func @rank_zero(%x: tensor<1xf32>) -> tensor<1x1xf32> {
  %s0 = tosa.const_shape {values = dense<> : tensor<0xindex>} : () -> !tosa.shape<0>
  %s2 = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %x, %s0 : (tensor<1xf32>, !tosa.shape<0>) -> tensor<f32>
  %z = tosa.reshape %y, %s2 : (tensor<f32>, !tosa.shape<2>) -> tensor<1x1xf32>
  return %z : tensor<1x1xf32>
}

// -----

// The application's input rows are read into the storage the planner
// placed; an element-wise operator the plan writes over them takes that
// storage as its destination (one buffer, not a second one at the same
// offset).
// CHECK-LABEL: func.func @read_rows_then_in_place
// CHECK:       %[[BUF:.*]] = pex.buffer <offset = 0, size = 128, live = [0, 1]> : tensor<1x4x4x8xi8>
// CHECK-NEXT:  %[[X:.*]] = pex.read_rows %[[BUF]] rows_from %{{.*}} : tensor<1x4x4x8xi8> -> tensor<1x4x4x8xi8>
// CHECK-NOT:   pex.buffer
// CHECK:       pex.kernel outs(%[[X]] : tensor<1x4x4x8xi8>)
// CHECK:         tosa.clamp
func.func @read_rows_then_in_place(%w: tensor<3x1x1x8xi8>) -> tensor<1x4x4x3xi32> {
  %e = tensor.empty() : tensor<1x4x4x8xi8>
  %c0 = arith.constant 0 : index
  %x = pex.read_rows %e rows_from %c0 : tensor<1x4x4x8xi8> -> tensor<1x4x4x8xi8>
  %r = tosa.clamp %x {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<3xi32>} : () -> tensor<3xi32>
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %r, %w, %b, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xi8>, tensor<3x1x1x8xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
  return %c : tensor<1x4x4x3xi32>
}

// -----

// An element-wise operator reading a reshape of an activation that dies
// there (a softmax on [1, heads, T, T] of scores computed on [heads, T, T])
// is written over it through the reshape: the same bytes in the same order.
// The planner gives both one placement and the kernel's destination is the
// reshaped storage, not a buffer of its own.
// CHECK-LABEL: func.func @over_a_reshape
// CHECK:       %[[E:.*]] = pex.kernel
// CHECK:         tosa.exp
// CHECK:       } -> tensor<2x8x8xf32> {pex.placement = #pex.placement<offset = 0, size = 512, live = [0, 1]>}
// CHECK-NEXT:  %[[FLAT:.*]] = tensor.collapse_shape %[[E]]
// CHECK-NEXT:  %[[VIEW:.*]] = tensor.expand_shape %[[FLAT]] {{.*}} into tensor<1x2x8x8xf32>
// CHECK-NEXT:  pex.kernel outs(%[[VIEW]] : tensor<1x2x8x8xf32>) {
// CHECK:         tosa.tanh
// CHECK:       } -> tensor<1x2x8x8xf32> {pex.placement = #pex.placement<offset = 0, size = 512, live = [1, 2]>}
func.func @over_a_reshape(%x: tensor<2x8x8xf32>) -> tensor<1x2x8x1xf32> {
  %shape = tosa.const_shape {values = dense<[1, 2, 8, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %e = tosa.exp %x : (tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %r = tosa.reshape %e, %shape : (tensor<2x8x8xf32>, !tosa.shape<4>) -> tensor<1x2x8x8xf32>
  %t = tosa.tanh %r : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %s = tosa.reduce_sum %t {axis = 3 : i32} : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x1xf32>
  return %s : tensor<1x2x8x1xf32>
}

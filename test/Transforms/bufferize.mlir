// RUN: pex-opt %s -split-input-file --pex-bufferize | FileCheck %s

// The function's result becomes an output parameter (identity layout, marked
// pex.output for the arena planner), and the kernel that computed it into a
// fresh tensor writes the caller's buffer: no allocation, no copy. The kernel
// takes memrefs and has no result; its body stays at tensor level. Constant
// inputs are read from globals.
// CHECK:       memref.global "private" constant @[[WG:.*]] : memref<3x1x1x2xf32> = dense<1.000000e+00>
// CHECK-LABEL: func.func @result_is_output_parameter
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x4x4x2xf32>, %[[OUT:[^:]*]]: memref<1x4x4x3xf32> {pex.output}) {
// CHECK-NOT:   memref.alloc
// CHECK:       %[[W:.*]] = memref.get_global @[[WG]] : memref<3x1x1x2xf32>
// CHECK:       pex.kernel ins(%[[X]], %[[W]], %{{.*}} : memref<1x4x4x2xf32>, memref<3x1x1x2xf32>, memref<3xf32>) outs(%[[OUT]] : memref<1x4x4x3xf32>) {
// CHECK-NEXT:  ^bb0(%[[XA:.*]]: tensor<1x4x4x2xf32>, %{{.*}}: tensor<3x1x1x2xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<1x4x4x3xf32>):
// CHECK:         %[[C:.*]] = tosa.conv2d %[[XA]]
// CHECK-NEXT:    pex.yield %[[C]] : tensor<1x4x4x3xf32>
// CHECK-NEXT:  }
// CHECK-NOT:   memref.copy
// CHECK-NEXT:  return{{$}}
func.func @result_is_output_parameter(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %w = arith.constant dense<1.0> : tensor<3x1x1x2xf32>
  %b = arith.constant dense<0.0> : tensor<3xf32>
  %e = tensor.empty() : tensor<1x4x4x3xf32>
  %y = pex.kernel ins(%x, %w, %b : tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>) outs(%e : tensor<1x4x4x3xf32>) {
  ^bb0(%xa: tensor<1x4x4x2xf32>, %wa: tensor<3x1x1x2xf32>, %ba: tensor<3xf32>, %out: tensor<1x4x4x3xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
    pex.yield %c : tensor<1x4x4x3xf32>
  } -> tensor<1x4x4x3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

// An intermediate tensor is one allocation (an activation buffer for the
// arena planner). The in-place kernel, whose destination is that tensor,
// updates the same buffer rather than a copy of it; the last kernel writes
// the output parameter.
// CHECK-LABEL: func.func @intermediate_and_in_place
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x4x4x3xf32>, %[[OUT:[^:]*]]: memref<1x2x2x3xf32> {pex.output}) {
// CHECK-NEXT:  %[[A:.*]] = memref.alloc() {{.*}}: memref<1x4x4x3xf32>
// CHECK-NEXT:  pex.kernel ins(%[[X]] : memref<1x4x4x3xf32>) outs(%[[A]] : memref<1x4x4x3xf32>) {
// CHECK:         tosa.negate
// CHECK-NOT:   memref.alloc
// CHECK-NOT:   memref.copy
// CHECK:       pex.kernel outs(%[[A]] : memref<1x4x4x3xf32>) {
// CHECK:         tosa.add
// CHECK-NOT:   memref.alloc
// CHECK:       pex.kernel ins(%[[A]] : memref<1x4x4x3xf32>) outs(%[[OUT]] : memref<1x2x2x3xf32>) {
// CHECK:         tosa.max_pool2d
// CHECK-NOT:   memref.copy
// CHECK:       return{{$}}
func.func @intermediate_and_in_place(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> {
  %e0 = tensor.empty() : tensor<1x4x4x3xf32>
  %a = pex.kernel ins(%x : tensor<1x4x4x3xf32>) outs(%e0 : tensor<1x4x4x3xf32>) {
  ^bb0(%in: tensor<1x4x4x3xf32>, %out: tensor<1x4x4x3xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %n = tosa.negate %in, %zp, %zp : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
    pex.yield %n : tensor<1x4x4x3xf32>
  } -> tensor<1x4x4x3xf32>
  %s = pex.kernel outs(%a : tensor<1x4x4x3xf32>) {
  ^bb0(%out: tensor<1x4x4x3xf32>):
    %c = tosa.clamp %out {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
    %sum = tosa.add %out, %c : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
    pex.yield %sum : tensor<1x4x4x3xf32>
  } -> tensor<1x4x4x3xf32>
  %e1 = tensor.empty() : tensor<1x2x2x3xf32>
  %y = pex.kernel ins(%s : tensor<1x4x4x3xf32>) outs(%e1 : tensor<1x2x2x3xf32>) {
  ^bb0(%in: tensor<1x4x4x3xf32>, %out: tensor<1x2x2x3xf32>):
    %p = tosa.max_pool2d %in {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
    pex.yield %p : tensor<1x2x2x3xf32>
  } -> tensor<1x2x2x3xf32>
  return %y : tensor<1x2x2x3xf32>
}

// -----

// Reshapes are views. A result that is a reshape of a kernel's fresh tensor
// is computed in place: the kernel writes a view of the output parameter
// with its own shape.
// CHECK-LABEL: func.func @result_through_reshape
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x2x2x4xf32>, %[[OUT:[^:]*]]: memref<4x4xf32> {pex.output}) {
// CHECK-NEXT:  %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1]] : memref<4x4xf32> into memref<16xf32>
// CHECK-NEXT:  %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1, 2, 3]] output_shape [1, 2, 2, 4] : memref<16xf32> into memref<1x2x2x4xf32>
// CHECK-NEXT:  pex.kernel ins(%[[X]] : memref<1x2x2x4xf32>) outs(%[[VIEW]] : memref<1x2x2x4xf32>) {
// CHECK-NOT:   memref.alloc
// CHECK-NOT:   memref.copy
// CHECK:       return{{$}}
func.func @result_through_reshape(%x: tensor<1x2x2x4xf32>) -> tensor<4x4xf32> {
  %e = tensor.empty() : tensor<1x2x2x4xf32>
  %a = pex.kernel ins(%x : tensor<1x2x2x4xf32>) outs(%e : tensor<1x2x2x4xf32>) {
  ^bb0(%in: tensor<1x2x2x4xf32>, %out: tensor<1x2x2x4xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %n = tosa.negate %in, %zp, %zp : (tensor<1x2x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
    pex.yield %n : tensor<1x2x2x4xf32>
  } -> tensor<1x2x2x4xf32>
  %flat = tensor.collapse_shape %a [[0, 1, 2, 3]] : tensor<1x2x2x4xf32> into tensor<16xf32>
  %r = tensor.expand_shape %flat [[0, 1]] output_shape [4, 4] : tensor<16xf32> into tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// A reshape of an input and a slice of a constant are views read by the
// kernel: no allocation and no copy.
// CHECK-LABEL: func.func @input_views
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x2x2x2xf32>, %[[OUT:[^:]*]]: memref<1x1x1x3xf32> {pex.output}) {
// CHECK-DAG:   %[[W:.*]] = memref.get_global @{{.*}} : memref<6x1x1x8xf32>
// CHECK-DAG:   %[[XF:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]] : memref<1x2x2x2xf32> into memref<8xf32>
// CHECK-DAG:   %[[X4:.*]] = memref.expand_shape %[[XF]] {{\[}}[0, 1, 2, 3]] output_shape [1, 1, 1, 8] : memref<8xf32> into memref<1x1x1x8xf32>
// CHECK-DAG:   %[[WS:.*]] = memref.subview %[[W]][3, 0, 0, 0] [3, 1, 1, 8] [1, 1, 1, 1] : memref<6x1x1x8xf32> to memref<3x1x1x8xf32, strided<[8, 8, 8, 1], offset: 24>>
// CHECK:       pex.kernel ins(%[[X4]], %[[WS]] : memref<1x1x1x8xf32>, memref<3x1x1x8xf32, strided<[8, 8, 8, 1], offset: 24>>) outs(%[[OUT]] : memref<1x1x1x3xf32>)
// CHECK-NOT:   memref.alloc
// CHECK-NOT:   memref.copy
func.func @input_views(%x: tensor<1x2x2x2xf32>) -> tensor<1x1x1x3xf32> {
  %w = arith.constant dense<1.0> : tensor<6x1x1x8xf32>
  %ws = tensor.extract_slice %w[3, 0, 0, 0] [3, 1, 1, 8] [1, 1, 1, 1] : tensor<6x1x1x8xf32> to tensor<3x1x1x8xf32>
  %xf = tensor.collapse_shape %x [[0, 1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<8xf32>
  %x4 = tensor.expand_shape %xf [[0, 1, 2, 3]] output_shape [1, 1, 1, 8] : tensor<8xf32> into tensor<1x1x1x8xf32>
  %e = tensor.empty() : tensor<1x1x1x3xf32>
  %y = pex.kernel ins(%x4, %ws : tensor<1x1x1x8xf32>, tensor<3x1x1x8xf32>) outs(%e : tensor<1x1x1x3xf32>) {
  ^bb0(%xa: tensor<1x1x1x8xf32>, %wa: tensor<3x1x1x8xf32>, %out: tensor<1x1x1x3xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %c = tosa.conv2d %xa, %wa, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<3x1x1x8xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x3xf32>
    pex.yield %c : tensor<1x1x1x3xf32>
  } -> tensor<1x1x1x3xf32>
  return %y : tensor<1x1x1x3xf32>
}

// -----

// A result assembled slice by slice in a loop (pex-lower-groups) is computed
// in the output parameter: the loop carries a view of it, and every slice's
// kernel, the remainder's too, writes its subview directly (the empty tensors
// of the slices are eliminated). No buffer is allocated.
// CHECK-LABEL: func.func @assembled_in_loop
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x2x2x8xf32>, %[[OUT:[^:]*]]: memref<1x2x2x8xf32> {pex.output}) {
// CHECK-NOT:   memref.alloc
// CHECK:       %[[FLAT:.*]] = memref.collapse_shape %[[OUT]]
// CHECK-NEXT:  %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{.*}} into memref<1x2x2x8xf32>
// CHECK:       %[[LOOP:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[VIEW]]) -> (memref<1x2x2x8xf32>) {
// CHECK:         %[[OFF:.*]] = arith.muli %[[I]]
// CHECK:         %[[XS:.*]] = memref.subview %[[X]][0, 0, 0, %[[OFF]]] [1, 2, 2, 3] [1, 1, 1, 1]
// CHECK:         %[[YS:.*]] = memref.subview %[[ACC]][0, 0, 0, %[[OFF]]] [1, 2, 2, 3] [1, 1, 1, 1]
// CHECK:         pex.kernel ins(%[[XS]] : {{.*}}) outs(%[[YS]] : memref<1x2x2x3xf32, strided<[32, 16, 8, 1], offset: ?>>)
// CHECK:         scf.yield %[[ACC]] : memref<1x2x2x8xf32>
// CHECK:       %[[XR:.*]] = memref.subview %[[X]][0, 0, 0, 6] [1, 2, 2, 2] [1, 1, 1, 1]
// CHECK:       %[[YR:.*]] = memref.subview %[[LOOP]][0, 0, 0, 6] [1, 2, 2, 2] [1, 1, 1, 1]
// CHECK:       pex.kernel ins(%[[XR]] : {{.*}}) outs(%[[YR]] : memref<1x2x2x2xf32, strided<[32, 16, 8, 1], offset: 6>>)
// CHECK-NOT:   memref.alloc
// CHECK:       return{{$}}
func.func @assembled_in_loop(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %e = tensor.empty() : tensor<1x2x2x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %loop = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %e) -> (tensor<1x2x2x8xf32>) {
    %off = arith.muli %i, %c3 : index
    %xs = tensor.extract_slice %x[0, 0, 0, %off] [1, 2, 2, 3] [1, 1, 1, 1] : tensor<1x2x2x8xf32> to tensor<1x2x2x3xf32>
    %es = tensor.empty() : tensor<1x2x2x3xf32>
    %ys = pex.kernel ins(%xs : tensor<1x2x2x3xf32>) outs(%es : tensor<1x2x2x3xf32>) {
    ^bb0(%in: tensor<1x2x2x3xf32>, %out: tensor<1x2x2x3xf32>):
      %c = tosa.clamp %in {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
      pex.yield %c : tensor<1x2x2x3xf32>
    } -> tensor<1x2x2x3xf32>
    %ins = tensor.insert_slice %ys into %acc[0, 0, 0, %off] [1, 2, 2, 3] [1, 1, 1, 1] : tensor<1x2x2x3xf32> into tensor<1x2x2x8xf32>
    scf.yield %ins : tensor<1x2x2x8xf32>
  }
  %xr = tensor.extract_slice %x[0, 0, 0, 6] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x2x2x8xf32> to tensor<1x2x2x2xf32>
  %er = tensor.empty() : tensor<1x2x2x2xf32>
  %yr = pex.kernel ins(%xr : tensor<1x2x2x2xf32>) outs(%er : tensor<1x2x2x2xf32>) {
  ^bb0(%in: tensor<1x2x2x2xf32>, %out: tensor<1x2x2x2xf32>):
    %c = tosa.clamp %in {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    pex.yield %c : tensor<1x2x2x2xf32>
  } -> tensor<1x2x2x2xf32>
  %y = tensor.insert_slice %yr into %loop[0, 0, 0, 6] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x2x2x2xf32> into tensor<1x2x2x8xf32>
  return %y : tensor<1x2x2x8xf32>
}

// -----

// Every result is an output parameter, in order, each marked pex.output; a
// result that another kernel also reads is read from the output parameter.
// CHECK-LABEL: func.func @two_results
// CHECK-SAME:    (%[[X:[^:]*]]: memref<1x4xf32>, %[[OUT0:[^:]*]]: memref<1x4xf32> {pex.output}, %[[OUT1:[^:]*]]: memref<1x4xf32> {pex.output}) {
// CHECK-NEXT:  pex.kernel ins(%[[X]] : memref<1x4xf32>) outs(%[[OUT0]] : memref<1x4xf32>)
// CHECK:       pex.kernel ins(%[[OUT0]] : memref<1x4xf32>) outs(%[[OUT1]] : memref<1x4xf32>)
// CHECK-NOT:   memref.alloc
// CHECK-NOT:   memref.copy
// CHECK:       return{{$}}
func.func @two_results(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %e0 = tensor.empty() : tensor<1x4xf32>
  %a = pex.kernel ins(%x : tensor<1x4xf32>) outs(%e0 : tensor<1x4xf32>) {
  ^bb0(%in: tensor<1x4xf32>, %out: tensor<1x4xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %n = tosa.negate %in, %zp, %zp : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
    pex.yield %n : tensor<1x4xf32>
  } -> tensor<1x4xf32>
  %e1 = tensor.empty() : tensor<1x4xf32>
  %b = pex.kernel ins(%a : tensor<1x4xf32>) outs(%e1 : tensor<1x4xf32>) {
  ^bb0(%in: tensor<1x4xf32>, %out: tensor<1x4xf32>):
    %c = tosa.clamp %in {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    pex.yield %c : tensor<1x4xf32>
  } -> tensor<1x4xf32>
  return %a, %b : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// A result that no kernel computes (the input itself) must be copied; the
// copy is a loop nest of loads and stores, not memref.copy (a library call).
// CHECK-LABEL: func.func @copy_input_to_output
// CHECK-SAME:    (%[[X:[^:]*]]: memref<2x4xf32>, %[[OUT:[^:]*]]: memref<2x4xf32> {pex.output}) {
// CHECK-NOT:   memref.copy
// CHECK-DAG:   %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:   %[[C4:.*]] = arith.constant 4 : index
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %[[C2]] step
// CHECK-NEXT:    scf.for %[[J:.*]] = %{{.*}} to %[[C4]] step
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J]]] : memref<2x4xf32>
// CHECK-NEXT:      memref.store %[[V]], %[[OUT]][%[[I]], %[[J]]] : memref<2x4xf32>
// CHECK-NOT:   memref.copy
// CHECK:       return{{$}}
func.func @copy_input_to_output(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}

// -----

// A constant result is copied out of its global the same way.
// CHECK:       memref.global "private" constant @[[G:.*]] : memref<2xf32> = dense<[1.000000e+00, 2.000000e+00]>
// CHECK-LABEL: func.func @constant_result
// CHECK-SAME:    (%[[OUT:[^:]*]]: memref<2xf32> {pex.output}) {
// CHECK:       %[[C:.*]] = memref.get_global @[[G]] : memref<2xf32>
// CHECK:       scf.for %[[I:.*]] =
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[C]][%[[I]]] : memref<2xf32>
// CHECK-NEXT:    memref.store %[[V]], %[[OUT]][%[[I]]] : memref<2xf32>
// CHECK-NOT:   memref.copy
func.func @constant_result() -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

// A kernel already on memrefs (no result) is left as it is: its tensor body
// is not taken for an operation left unbufferized.
// CHECK-LABEL: func.func @already_bufferized
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>) {
// CHECK-NEXT:  pex.kernel ins(%[[X]] : memref<4xf32>) outs(%[[Y]] : memref<4xf32>) {
// CHECK-NEXT:  ^bb0(%[[IN:.*]]: tensor<4xf32>, %{{.*}}: tensor<4xf32>):
// CHECK-NEXT:    %[[C:.*]] = tosa.clamp %[[IN]]
// CHECK-NEXT:    pex.yield %[[C]] : tensor<4xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  return{{$}}
func.func @already_bufferized(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %c = tosa.clamp %in {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %c : tensor<4xf32>
  }
  return
}

// -----

// A scalar result (a model's single score) is the one element of the
// caller's rank-0 buffer: the kernel writes a [1, 1] view of it, expanded
// through one dimension with no reassociation.
// CHECK-LABEL: func.func @scalar_result
// CHECK-SAME:    (%{{[^:]*}}: memref<1x4xf32>, %[[OUT:[^:]*]]: memref<f32> {pex.output}) {
// CHECK-NOT:   memref.alloc
// CHECK:       %[[FLAT:.*]] = memref.expand_shape %[[OUT]] [] output_shape [1] : memref<f32> into memref<1xf32>
// CHECK:       %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [1, 1] : memref<1xf32> into memref<1x1xf32>
// CHECK:       pex.kernel ins(%{{.*}} : memref<1x4xf32>) outs(%[[VIEW]] : memref<1x1xf32>)
// CHECK-NOT:   memref.copy
func.func @scalar_result(%x: tensor<1x4xf32>) -> tensor<f32> {
  %e = tensor.empty() : tensor<1x1xf32>
  %s = pex.kernel ins(%x : tensor<1x4xf32>) outs(%e : tensor<1x1xf32>) {
  ^bb0(%xa: tensor<1x4xf32>, %out: tensor<1x1xf32>):
    %r = tosa.reduce_sum %xa {axis = 1 : i32} : (tensor<1x4xf32>) -> tensor<1x1xf32>
    pex.yield %r : tensor<1x1xf32>
  } -> tensor<1x1xf32>
  %flat = tensor.collapse_shape %s [[0, 1]] : tensor<1x1xf32> into tensor<1xf32>
  %scalar = tensor.collapse_shape %flat [] : tensor<1xf32> into tensor<f32>
  return %scalar : tensor<f32>
}

// RUN: pex-opt %s -split-input-file --pex-read-input-rows -verify-diagnostics | FileCheck %s

// The input argument becomes one read of all its rows, into a buffer the
// planner places like any other; the function loses the argument.
// CHECK-LABEL: func.func @image() -> tensor<1x4x4x2xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x4x4x2xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : index
// CHECK:         %[[X:.*]] = pex.read_rows %[[E]] rows_from %[[ZERO]] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
// CHECK:         tosa.clamp %[[X]]
func.func @image(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// A flat input only reshaped to NHWC (audio features) is read in the rows
// of the NHWC tensor: the same bytes in the same order.
// CHECK-LABEL: func.func @flat_features() -> tensor<1x49x10x1xi8>
// CHECK-NOT:     tosa.reshape
// CHECK:         %[[X:.*]] = pex.read_rows %{{.*}} rows_from %{{.*}} : tensor<1x49x10x1xi8> -> tensor<1x49x10x1xi8>
// CHECK:         tosa.clamp %[[X]]
func.func @flat_features(%x: tensor<1x490xi8>) -> tensor<1x49x10x1xi8> {
  %shape = tosa.const_shape {values = dense<[1, 49, 10, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %x, %shape : (tensor<1x490xi8>, !tosa.shape<4>) -> tensor<1x49x10x1xi8>
  %y = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x49x10x1xi8>) -> tensor<1x49x10x1xi8>
  return %y : tensor<1x49x10x1xi8>
}

// -----

// expected-error @+1 {{pex: reading the input row by row (--io=stream) needs a model with one input, this one has 2}}
func.func @two_inputs(%x: tensor<1x4x4x2xf32>, %y: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %z = tosa.add %x, %y : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}

// -----

// expected-error @+1 {{pex: reading the input row by row (--io=stream) needs a static input of rank 2 or more, got 'tensor<16xf32>'}}
func.func @vector(%x: tensor<16xf32>) -> tensor<16xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// expected-error @+1 {{pex: the model returns its input, which --io=stream never holds in full}}
func.func @identity(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  return %x : tensor<1x4x4x2xf32>
}

// -----

// Functions other than the model's are left alone.
// CHECK-LABEL: func.func private @helper(%{{.*}}: tensor<1x4x4x2xf32>)
// CHECK-NOT:     pex.read_rows
func.func private @helper(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  return %x : tensor<1x4x4x2xf32>
}

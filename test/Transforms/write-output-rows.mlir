// RUN: pex-opt %s -split-input-file --allow-unregistered-dialect --pex-write-output-rows -verify-diagnostics | FileCheck %s

// The result becomes one write of all its rows at the end, of a buffer the
// planner places like any other; the function returns nothing.
// CHECK-LABEL: func.func @image(%{{.*}}: tensor<1x4x4x2xf32>) {
// CHECK:         %[[Y:.*]] = tosa.clamp
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : index
// CHECK:         pex.write_rows %[[Y]] rows_from %[[ZERO]] : tensor<1x4x4x2xf32>
// CHECK-NEXT:    return{{$}}
func.func @image(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// A classifier's [1, N] output is one row.
// CHECK-LABEL: func.func @scores(%{{.*}}: tensor<1x1x1x10xi8>) {
// CHECK:         pex.write_rows %{{.*}} rows_from %{{.*}} : tensor<1x10xi8>
func.func @scores(%x: tensor<1x1x1x10xi8>) -> tensor<1x10xi8> {
  %shape = tosa.const_shape {values = dense<[1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %x, %shape : (tensor<1x1x1x10xi8>, !tosa.shape<2>) -> tensor<1x10xi8>
  %y = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x10xi8>) -> tensor<1x10xi8>
  return %y : tensor<1x10xi8>
}

// -----

// expected-error @+1 {{pex: writing the output row by row (--io=stream) needs a model with one output, this one has 2}}
func.func @two_outputs(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y, %x : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}

// -----

func.func @identity(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  // expected-error @+1 {{pex: the model returns its input, which --io=stream never holds in full}}
  return %x : tensor<1x4x4x2xf32>
}

// -----

// The rows' count and size must be known when the entry point is made.
func.func @dynamic_output(%x: tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32>
  // expected-error @+1 {{pex: writing the output row by row (--io=stream) needs a static output, got 'tensor<?x4x4x2xf32>'}}
  return %y : tensor<?x4x4x2xf32>
}

// -----

// The output must not be needed after it is handed over: a stream writes
// each row as it computes it and keeps none.
func.func @output_read_again(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-error @+1 {{pex: this reads the model's output, which --io=stream hands to the application row by row and does not keep}}
  "test.sink"(%y) : (tensor<1x4x4x2xf32>) -> ()
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Functions other than the model's are left alone.
// CHECK-LABEL: func.func private @helper(%{{.*}}: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NOT:     pex.write_rows
func.func private @helper(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// RUN: pex-opt %s -split-input-file --pex-reorder="arena-io=true alignment=1" --pex-memory-report="arena-io=true alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: pex-opt %s -split-input-file --pex-reorder="arena-io=true alignment=1" | FileCheck %s
// An exact search has nothing to say.
// RUN: pex-opt %s -split-input-file --pex-reorder="arena-io=true alignment=1" -o /dev/null 2>&1 | count 0

// Running each branch to its narrow result before starting the other keeps
// only one wide tensor live: the peak drops from 4352 B to 2432 B.
// REPORT-LABEL: pex memory report: @branches
// REPORT:      0         2304  tosa.conv2d "c1"
// REPORT-NEXT: 1         2432  tosa.conv2d "d1"
// REPORT-NEXT: 2         2432  tosa.conv2d "c2"
// REPORT-NEXT: 3         2304  tosa.conv2d "d2"
// REPORT-NEXT: 4          512  tosa.concat "cat"
// REPORT:      peak SRAM: 2432 bytes at step 1
// CHECK-LABEL: func.func @branches
// CHECK:       %[[C1:.*]] = tosa.conv2d %arg0
// CHECK-NEXT:  %[[D1:.*]] = tosa.conv2d %[[C1]]
// CHECK-NEXT:  %[[C2:.*]] = tosa.conv2d %arg0
// CHECK-NEXT:  %[[D2:.*]] = tosa.conv2d %[[C2]]
// CHECK-NEXT:  tosa.concat %[[D1]], %[[D2]]
func.func @branches(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %wc = "tosa.const"() {values = dense<1.0> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %bc = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c1 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c1")
  %c2 = tosa.conv2d %x, %wc, %bc, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32> loc("c2")
  // Constants defined late are hoisted so the reordered convolutions see them.
  %wd = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x32xf32>} : () -> tensor<2x1x1x32xf32>
  %bd = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %d1 = tosa.conv2d %c1, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d1")
  %d2 = tosa.conv2d %c2, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x32xf32>, tensor<2x1x1x32xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("d2")
  %y = tosa.concat %d1, %d2 {axis = 3 : i32} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> loc("cat")
  return %y : tensor<1x4x4x4xf32>
}

// -----

// An order that is already optimal is kept, and the views it reads (a
// reshape) stay before their users.
// REPORT-LABEL: pex memory report: @keeps_optimal_order
// REPORT: peak SRAM: 1024 bytes at step 1
// CHECK-LABEL: func.func @keeps_optimal_order
// CHECK:       %[[Y:.*]] = tosa.conv2d
// CHECK-NEXT:  %[[F:.*]] = tosa.reshape %[[Y]]
// CHECK-NEXT:  tosa.clamp %[[F]]
func.func @keeps_optimal_order(%x: tensor<1x4x4x4xf32>) -> tensor<1x128xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 128]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv")
  %f = tosa.reshape %y, %shape : (tensor<1x4x4x8xf32>, !tosa.shape<2>) -> tensor<1x128xf32>
  %r = tosa.clamp %f {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x128xf32>) -> tensor<1x128xf32> loc("relu")
  return %r : tensor<1x128xf32>
}

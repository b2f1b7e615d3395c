// RUN: pex-opt %s --pex-partition="alignment=1" | FileCheck %s
// RUN: pex-opt %s --pex-partition="alignment=1 beam-width=1" | FileCheck %s --check-prefix=GREEDY
// RUN: pex-opt %s --pex-partition="alignment=1" --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=PEAK
// RUN: pex-opt %s --pex-partition="alignment=1 beam-width=1" --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=GREEDY-PEAK

// A CRNN's convolutional front (conv 1 -> 8 channels, pool, conv 8 -> 16
// channels, pool) before a transpose, which no group crosses. The greedy
// search first takes the longest chain lowering the peak (conv, pool, conv
// accumulating its input slices); the second convolution, a consumer now,
// can no longer produce slices of its own pooled result, and its 20480 B
// result beside the 10240 B pool peaks at 30720 B. The beam search keeps
// other plans too and finds two assembled groups, each convolution producing
// the slices its pool reads: 10240 B pooled + 10240 B assembled + a 1280 B
// slice (the first group needs only 4 slices for that peak).
// PEAK:        peak SRAM: 21760 bytes
// GREEDY-PEAK: peak SRAM: 30720 bytes at step 4 (tosa.max_pool2d)
// CHECK-LABEL: func.func @conv_pool_conv_pool
// CHECK-SAME:    pex.peak_before_partition = 51200
// CHECK:       pex.group axis = 3, channels = 8, slices = 4 whole(%arg0 : tensor<1x32x40x1xf32>) -> (tensor<1x16x20x8xf32>)
// CHECK:         tosa.conv2d
// CHECK:         tosa.max_pool2d
// CHECK:         pex.partial_yield assemble
// CHECK:       pex.group axis = 3, channels = 16, slices = 16 whole(%{{.*}} : tensor<1x16x20x8xf32>) -> (tensor<1x8x20x16xf32>)
// CHECK:         tosa.conv2d
// CHECK:         tosa.max_pool2d
// CHECK:         pex.partial_yield assemble
// CHECK:       tosa.transpose

// GREEDY-LABEL: func.func @conv_pool_conv_pool
// GREEDY:       pex.group axis = 3, channels = 8, slices = {{[0-9]+}} whole(%arg0 : tensor<1x32x40x1xf32>) -> (tensor<1x16x20x16xf32>)
// GREEDY:         pex.partial_yield accumulate
// GREEDY-NOT:   pex.group
// GREEDY:       tosa.max_pool2d
func.func @conv_pool_conv_pool(%x: tensor<1x32x40x1xf32>) -> tensor<1x160x16xf32> {
  %w1 = "tosa.const"() <{values = dense<0.5> : tensor<8x3x3x1xf32>}> : () -> tensor<8x3x3x1xf32>
  %b1 = "tosa.const"() <{values = dense<0.25> : tensor<8xf32>}> : () -> tensor<8xf32>
  %w2 = "tosa.const"() <{values = dense<-0.5> : tensor<16x3x3x8xf32>}> : () -> tensor<16x3x3x8xf32>
  %b2 = "tosa.const"() <{values = dense<0.125> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x32x40x1xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x40x8xf32>
  %r1 = tosa.clamp %c1 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x32x40x8xf32>) -> tensor<1x32x40x8xf32>
  %p1 = tosa.max_pool2d %r1 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x32x40x8xf32>) -> tensor<1x16x20x8xf32>
  %c2 = tosa.conv2d %p1, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x16x20x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x20x16xf32>
  %r2 = tosa.clamp %c2 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x16x20x16xf32>) -> tensor<1x16x20x16xf32>
  %p2 = tosa.max_pool2d %r2 {kernel = array<i64: 2, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 1>} : (tensor<1x16x20x16xf32>) -> tensor<1x8x20x16xf32>
  %shape = tosa.const_shape {values = dense<[8, 320]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %flat = tosa.reshape %p2, %shape : (tensor<1x8x20x16xf32>, !tosa.shape<2>) -> tensor<8x320xf32>
  %t = tosa.transpose %flat {perms = array<i32: 1, 0>} : (tensor<8x320xf32>) -> tensor<320x8xf32>
  %shape2 = tosa.const_shape {values = dense<[1, 160, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %y = tosa.reshape %t, %shape2 : (tensor<320x8xf32>, !tosa.shape<3>) -> tensor<1x160x16xf32>
  return %y : tensor<1x160x16xf32>
}

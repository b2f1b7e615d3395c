// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=16" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=16" --pex-form-kernels | FileCheck %s --check-prefix=KERNEL
// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=16" --pex-form-kernels --pex-bufferize | FileCheck %s --check-prefix=MEMREF
// RUN: pex-opt %s -split-input-file --pex-memory-report="arena-io=true alignment=16" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// A fire module (SqueezeNet): two convolutions of one input concatenated.
// Each is computed in its slice of the concatenation's result, which exists
// from the first of them: 1024 (input) + 4096 (result) bytes at the peak,
// where the copies took 2048 + 2048 + 4096. The concatenation records the
// operands it holds; pex-form-kernels creates its storage before the first
// and inserts each into its slice where it is computed (bufferization then
// makes the kernels write there).
// CHECK-LABEL: func.func @fire
// CHECK-SAME:    pex.arena = #pex.arena<size = 5120,
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 0, 1>, pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 4096, live = [0, 3]>
// KERNEL-LABEL: func.func @fire
// KERNEL:       %[[RESULT:.*]] = pex.buffer <offset = {{[0-9]+}}, size = 4096, live = [0, 3]> : tensor<1x8x8x16xf32>
// KERNEL:       %[[EMPTY:.*]] = tensor.empty() : tensor<1x8x8x8xf32>
// KERNEL:       %[[A:.*]] = pex.kernel {{.*}} outs(%[[EMPTY]] : tensor<1x8x8x8xf32>)
// KERNEL:       %[[INTO:.*]] = tensor.insert_slice %[[A]] into %[[RESULT]][0, 0, 0, 0] [1, 8, 8, 8] [1, 1, 1, 1]
// KERNEL:       %[[B:.*]] = pex.kernel
// KERNEL:       %[[CAT:.*]] = tensor.insert_slice %[[B]] into %[[INTO]][0, 0, 0, 8] [1, 8, 8, 8] [1, 1, 1, 1]
// KERNEL-NOT:   tosa.concat
// KERNEL:       pex.kernel ins(%[[CAT]] : tensor<1x8x8x16xf32>)
// Bufferized, each expansion's kernel writes into its slice of the result,
// and nothing is copied.
// MEMREF-LABEL: func.func @fire
// MEMREF:       %[[RESULT:.*]] = memref.alloc() {pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 4096, live = [0, 3]>} : memref<1x8x8x16xf32>
// MEMREF:       %[[A:.*]] = memref.subview %[[RESULT]][0, 0, 0, 0] [1, 8, 8, 8] [1, 1, 1, 1]
// MEMREF:       pex.kernel {{.*}} outs(%[[A]] : memref<1x8x8x8xf32, strided<[1024, 128, 16, 1]>>)
// MEMREF-NOT:   scf.for
// MEMREF:       %[[B:.*]] = memref.subview %[[RESULT]][0, 0, 0, 8] [1, 8, 8, 8] [1, 1, 1, 1]
// MEMREF:       pex.kernel {{.*}} outs(%[[B]] : memref<1x8x8x8xf32, strided<[1024, 128, 16, 1], offset: 8>>)
// MEMREF-NOT:   scf.for
// MEMREF:       pex.kernel ins(%[[RESULT]] : memref<1x8x8x16xf32>)
// REPORT-LABEL: pex memory report: @fire
// REPORT:       peak SRAM: 5120 bytes
func.func @fire(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x16xf32> {
  %w1 = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %w3 = "tosa.const"() {values = dense<0.25> : tensor<8x3x3x4xf32>} : () -> tensor<8x3x3x4xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %w1, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  %b = tosa.conv2d %x, %w3, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x16xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  return %p : tensor<1x4x4x16xf32>
}

// -----

// An operand read early by another operator too (a U-Net's skip, pooled and
// concatenated with what is upsampled from the pooled tensor): computed in
// the result, it would hold the result's storage from its step on, a higher
// peak, so it keeps its own storage and is copied; the other operand is
// computed in its slice.
// CHECK-LABEL: func.func @skip
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 1>,
// KERNEL-LABEL: func.func @skip
// KERNEL:       %[[RESULT:.*]] = pex.buffer <offset = {{[0-9]+}}, size = 512, live = [2, 4]>
// KERNEL:       %[[B:.*]] = pex.kernel
// KERNEL:       tosa.tile
// KERNEL:       %[[INTO:.*]] = tensor.insert_slice %[[B]] into %[[RESULT]][0, 0, 0, 4] [1, 4, 4, 4] [1, 1, 1, 1]
// KERNEL:       tensor.insert_slice %{{.*}} into %[[INTO]][0, 0, 0, 0] [1, 4, 4, 4] [1, 1, 1, 1]
func.func @skip(%x: tensor<1x8x8x4xf32>) -> tensor<1x2x2x8xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %d = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x4xf32>) -> tensor<1x2x2x4xf32>
  %multiples = tosa.const_shape {values = dense<[1, 2, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %b = tosa.tile %d, %multiples : (tensor<1x2x2x4xf32>, !tosa.shape<4>) -> tensor<1x4x4x4xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  return %p : tensor<1x2x2x8xf32>
}

// -----

// Computed in the result, the early operand would keep the result's storage
// alive across the large tensor computed between the two: that raises the
// peak, so both are copied.
// CHECK-LABEL: func.func @raises_peak
// CHECK-NOT:   pex.operands_in_result
// CHECK:       return
// KERNEL-LABEL: func.func @raises_peak
// KERNEL-NOT:   pex.buffer {{.*}}size = 2304
// KERNEL:       pex.kernel
// KERNEL:       tosa.concat
func.func @raises_peak(%x: tensor<1x8x8x4xf32>) -> tensor<1x2x2x36xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<32x1x1x4xf32>} : () -> tensor<32x1x1x4xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %t = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<32x1x1x4xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x32xf32>
  %b = tosa.max_pool2d %t {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x32xf32>) -> tensor<1x4x4x32xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x4x4x4xf32>, tensor<1x4x4x32xf32>) -> tensor<1x4x4x36xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x36xf32>) -> tensor<1x2x2x36xf32>
  return %p : tensor<1x2x2x36xf32>
}

// -----

// An operand with another use, even one that reads nothing (a view no
// operator reads), keeps its own storage: its kernel's destination is not the
// concatenation's slice.
// CHECK-LABEL: func.func @unread_view
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 1>,
// KERNEL-LABEL: func.func @unread_view
// KERNEL:       tensor.insert_slice
func.func @unread_view(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x8xf32> {
  %shape = tosa.const_shape {values = dense<[1, 256]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %a = tosa.max_pool2d %x {kernel = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %unread = tosa.reshape %a, %shape : (tensor<1x8x8x4xf32>, !tosa.shape<2>) -> tensor<1x256xf32>
  %b = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}

// -----

// A nearest upsampling as the importers write it (a tile of rank 6 between
// reshapes) is computed in its slice of the concatenation's result: the tile
// writes the result expanded like the reshape, where its slice has the
// tile's shape (a strided view once bufferized), and nothing is copied.
// CHECK-LABEL: func.func @upsampled
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 0, 1>,
// KERNEL-LABEL: func.func @upsampled
// KERNEL:       %[[RESULT:.*]] = pex.buffer {{.*}} : tensor<1x8x8x8xf32>
// KERNEL:       %[[TILE:.*]] = pex.kernel
// KERNEL:       tosa.tile
// KERNEL:       %[[EXPANDED:.*]] = tensor.expand_shape %[[RESULT]] {{\[}}[0], [1, 2], [3, 4], [5]] output_shape [1, 4, 2, 4, 2, 8] : tensor<1x8x8x8xf32> into tensor<1x4x2x4x2x8xf32>
// KERNEL:       %[[INTO:.*]] = tensor.insert_slice %[[TILE]] into %[[EXPANDED]][0, 0, 0, 0, 0, 0] [1, 4, 2, 4, 2, 4] [1, 1, 1, 1, 1, 1]
// KERNEL:       %[[COLLAPSED:.*]] = tensor.collapse_shape %[[INTO]] {{\[}}[0], [1, 2], [3, 4], [5]] : tensor<1x4x2x4x2x8xf32> into tensor<1x8x8x8xf32>
// KERNEL:       %[[POOLED:.*]] = pex.kernel
// KERNEL:       tensor.insert_slice %[[POOLED]] into %[[COLLAPSED]][0, 0, 0, 4] [1, 8, 8, 4] [1, 1, 1, 1]
// KERNEL-NOT:   tosa.concat
// KERNEL-NOT:   tosa.reshape
// KERNEL:       return
// MEMREF-LABEL: func.func @upsampled
// MEMREF:       %[[RESULT:.*]] = memref.alloc() {{.*}} : memref<1x8x8x8xf32>
// MEMREF:       %[[EXPANDED:.*]] = memref.expand_shape %[[RESULT]]
// MEMREF:       %[[SLICE:.*]] = memref.subview %[[EXPANDED]][0, 0, 0, 0, 0, 0] [1, 4, 2, 4, 2, 4] [1, 1, 1, 1, 1, 1]
// MEMREF:       pex.kernel {{.*}} outs(%[[SLICE]] : memref<1x4x2x4x2x4xf32, strided<[512, 128, 64, 16, 8, 1]>>)
// MEMREF-NOT:   scf.for
// MEMREF:       %[[COLLAPSED:.*]] = memref.collapse_shape %[[EXPANDED]]
// MEMREF-NOT:   scf.for
// MEMREF:       pex.kernel ins(%[[COLLAPSED]] : memref<1x8x8x8xf32>)
// REPORT-LABEL: pex memory report: @upsampled
// REPORT:       peak SRAM: 3328 bytes
func.func @upsampled(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x8xf32> {
  %spread = tosa.const_shape {values = dense<[1, 4, 1, 4, 1, 4]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %multiples = tosa.const_shape {values = dense<[1, 1, 2, 1, 2, 1]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %nhwc = tosa.const_shape {values = dense<[1, 8, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %s = tosa.reshape %a, %spread : (tensor<1x4x4x4xf32>, !tosa.shape<6>) -> tensor<1x4x1x4x1x4xf32>
  %t = tosa.tile %s, %multiples : (tensor<1x4x1x4x1x4xf32>, !tosa.shape<6>) -> tensor<1x4x2x4x2x4xf32>
  %u = tosa.reshape %t, %nhwc : (tensor<1x4x2x4x2x4xf32>, !tosa.shape<4>) -> tensor<1x8x8x4xf32>
  %b = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.concat %u, %b {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}

// -----

// A reshape moving elements across the concatenation axis (a detection
// head's [H, W, anchors x values] read as [cells x anchors, values]) has no
// slice of the computed value's shape: the operand is copied.
// CHECK-LABEL: func.func @across_axis
// CHECK-NOT:   pex.operands_in_result = array<i64: 0
// CHECK:       return
func.func @across_axis(%x: tensor<1x4x4x6xf32>, %y: tensor<1x8x2xf32>) -> tensor<1x56x2xf32> {
  %rows = tosa.const_shape {values = dense<[1, 48, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %a = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  %r = tosa.reshape %a, %rows : (tensor<1x4x4x6xf32>, !tosa.shape<3>) -> tensor<1x48x2xf32>
  %c = tosa.concat %r, %y {axis = 1 : i32} : (tensor<1x48x2xf32>, tensor<1x8x2xf32>) -> tensor<1x56x2xf32>
  %n = tosa.abs %c : (tensor<1x56x2xf32>) -> tensor<1x56x2xf32>
  return %n : tensor<1x56x2xf32>
}

// -----

// Three branches of one input (an Inception block). Any one of them computed
// in the result alone would hold the whole result beside the input and the
// other branches' own storage (7168 bytes); computed there together, they
// take the input and the result alone (5120 bytes, where the copies took
// 6144 at the concatenation).
// CHECK-LABEL: func.func @branches
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 0, 1, 2>,
// REPORT-LABEL: pex memory report: @branches
// REPORT:       peak SRAM: 5120 bytes
func.func @branches(%x: tensor<1x8x8x8xf32>) -> tensor<1x4x4x12xf32> {
  %w0 = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %w1 = "tosa.const"() {values = dense<0.25> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %w2 = "tosa.const"() {values = dense<0.125> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %w0, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %b = tosa.conv2d %x, %w1, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.conv2d %x, %w2, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %cat = tosa.concat %a, %b, %c {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x12xf32>
  %p = tosa.max_pool2d %cat {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x12xf32>) -> tensor<1x4x4x12xf32>
  return %p : tensor<1x4x4x12xf32>
}

// -----

// An operand read by another operator too (YOLOv8's C2f block concatenates
// each bottleneck's output, which the next bottleneck reads) is computed in
// its slice when that reader runs before the next operand is: the reader
// reads the slice through a strided view (bufferization allocates nothing
// unplanned, `memref.alloc() :`, for it).
// CHECK-LABEL: func.func @read_in_slice
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 0, 1>,
// MEMREF-LABEL: func.func @read_in_slice
// MEMREF:       %[[RESULT:.*]] = memref.alloc() {{.*}} : memref<1x8x8x8xf32>
// MEMREF:       %[[FIRST:.*]] = memref.subview %[[RESULT]][0, 0, 0, 0] [1, 8, 8, 4] [1, 1, 1, 1]
// MEMREF:       pex.kernel ins(%{{.*}} : memref<1x8x8x4xf32>) outs(%[[FIRST]] : memref<1x8x8x4xf32, strided<[512, 64, 8, 1]>>)
// MEMREF:       pex.kernel ins(%[[FIRST]] : memref<1x8x8x4xf32, strided<[512, 64, 8, 1]>>)
// MEMREF-NOT:   memref.alloc() :
// MEMREF:       %[[SECOND:.*]] = memref.subview %[[RESULT]][0, 0, 0, 4] [1, 8, 8, 4] [1, 1, 1, 1]
// MEMREF:       pex.kernel ins(%{{.*}} : memref<1x8x8x4xf32>) outs(%[[SECOND]] : memref<1x8x8x4xf32, strided<[512, 64, 8, 1], offset: 4>>)
// MEMREF-NOT:   memref.alloc() :
// MEMREF:       return
func.func @read_in_slice(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x8xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %t = tosa.max_pool2d %a {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %b = tosa.max_pool2d %t {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}

// -----

// The other reader of an operand computes the next operand (a GhostNet
// module: a cheap operator of the first half makes the second): it would
// write into the result while reading it, so the first half is copied.
// CHECK-LABEL: func.func @reader_computes_next
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 1>,
func.func @reader_computes_next(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x8xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %b = tosa.max_pool2d %a {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}

// -----

// A concatenation holding a reshaped operand is read last by an element-wise
// add fused into a convolution, which writes its result over it in place:
// the convolution's kernel writes into the concatenation's storage (collapsed
// back from the expansion the tile was written in), no buffer of its own.
// CHECK-LABEL: func.func @upsampled_added
// CHECK:       tosa.concat {{.*}}pex.operands_in_result = array<i64: 0, 1>,
// MEMREF-LABEL: func.func @upsampled_added
// MEMREF:       %[[COLLAPSED:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4], [5]]
// MEMREF-NOT:   memref.alloc()
// MEMREF:       outs(%[[COLLAPSED]] : memref<1x8x8x8xf32>)
func.func @upsampled_added(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x8xf32> {
  %spread = tosa.const_shape {values = dense<[1, 4, 1, 4, 1, 4]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %multiples = tosa.const_shape {values = dense<[1, 1, 2, 1, 2, 1]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %nhwc = tosa.const_shape {values = dense<[1, 8, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x4xf32>} : () -> tensor<8x1x1x4xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %s = tosa.reshape %a, %spread : (tensor<1x4x4x4xf32>, !tosa.shape<6>) -> tensor<1x4x1x4x1x4xf32>
  %t = tosa.tile %s, %multiples : (tensor<1x4x1x4x1x4xf32>, !tosa.shape<6>) -> tensor<1x4x2x4x2x4xf32>
  %u = tosa.reshape %t, %nhwc : (tensor<1x4x2x4x2x4xf32>, !tosa.shape<4>) -> tensor<1x8x8x4xf32>
  %b = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c = tosa.concat %u, %b {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
  %z = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  %sum = tosa.add %z, %c : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %p = tosa.max_pool2d %sum {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %p : tensor<1x4x4x8xf32>
}

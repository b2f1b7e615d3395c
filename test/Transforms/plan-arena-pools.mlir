// RUN: pex-opt %s -split-input-file --pex-plan-arena="pools=fast:256,slow:1024" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="pools=fast:128,slow:1024" | FileCheck %s --check-prefix=SMALL
// RUN: pex-opt %s -split-input-file --pex-plan-arena | FileCheck %s --check-prefix=NOPOOL
// RUN: not pex-opt %s -split-input-file --pex-plan-arena="pools=fast:256,slow:256" 2>&1 | FileCheck %s --check-prefix=PEAK
// RUN: not pex-opt %s -split-input-file --pex-plan-arena="pools=fast:512,slow:256" 2>&1 | FileCheck %s --check-prefix=ROOM
// RUN: not pex-opt %s -split-input-file --pex-plan-arena="pools=fast" 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not pex-opt %s -split-input-file --pex-plan-arena="pools=a:64,a:64" 2>&1 | FileCheck %s --check-prefix=TWICE

// The pool's input (256 B) is read by every multiply-accumulate of the
// convolution (18 accesses per byte); the convolution's result (512 B) is
// written once and read once by the last pool (2 per byte). Both are live at
// the convolution. The fast pool gets the hot buffer, the slow pool the
// other; each placement names its pool and its offset is into that pool,
// and the function records the pools' use and an arena of their sum.
// CHECK-LABEL: func.func @hot
// CHECK-SAME:    pex.arena = #pex.arena<size = 768, alignment = 16, peak = 768, lower_bound = 768>
// CHECK-SAME:    pex.pools = [#pex.pool<name = "fast", capacity = 256, size = 256>, #pex.pool<name = "slow", capacity = 1024, size = 512>]
// CHECK:       tosa.max_pool2d %arg0 {{.*}}pex.placement = #pex.placement<offset = 0, size = 256, live = [0, 1], pool = "fast">
// CHECK:       tosa.conv2d {{.*}}pex.placement = #pex.placement<offset = 0, size = 512, live = [1, 2], pool = "slow">

// A buffer goes to a pool only if it fits there beside the buffers already
// placed: with 128 B, the fast pool holds nothing and the slow pool both,
// at distinct offsets.
// SMALL-LABEL: func.func @hot
// SMALL-SAME:    pex.pools = [#pex.pool<name = "fast", capacity = 128, size = 0>, #pex.pool<name = "slow", capacity = 1024, size = 768>]
// SMALL:       tosa.max_pool2d %arg0 {{.*}}pex.placement = #pex.placement<offset = 512, size = 256, live = [0, 1], pool = "slow">
// SMALL:       tosa.conv2d {{.*}}pex.placement = #pex.placement<offset = 0, size = 512, live = [1, 2], pool = "slow">

// Without pools, placements and the function's attributes are as they were.
// NOPOOL-LABEL: func.func @hot
// NOPOOL-NOT:     pex.pools
// NOPOOL-SAME:    pex.arena = #pex.arena<size = 768,
// NOPOOL:       tosa.max_pool2d %arg0 {{.*}}pex.placement = #pex.placement<offset = 512, size = 256, live = [0, 1]>, stride
// NOPOOL-NOT:   pool =

// The buffers live at the convolution take 768 bytes, more than the pools
// together: the error names that step.
// PEAK: error: pex: memory pools of 512 bytes in total cannot hold the buffers: those live at tosa.conv2d take 768 bytes{{$}}

// The pools together could hold the peak, but the convolution's result fits
// in neither beside what is there: said too.
// ROOM: error: pex: memory pools of 768 bytes in total cannot hold the buffers: those live at tosa.conv2d take 768 bytes, and no pool has room left for a buffer of 512 bytes

// SPEC: error: pex: memory pool 'fast': no size (expected NAME:BYTES[:SECTION])
// TWICE: error: pex: memory pool 'a' is given twice
func.func @hot(%x: tensor<1x8x8x4xf32>) -> tensor<1x2x2x8xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<8x3x3x4xf32>} : () -> tensor<8x3x3x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %c = tosa.conv2d %a, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
  %r = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  return %r : tensor<1x2x2x8xf32>
}

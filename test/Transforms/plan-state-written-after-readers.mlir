// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=4" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-reorder="arena-io=true alignment=4" | FileCheck %s --check-prefix=REORDER
// RUN: pex-opt %s -split-input-file --pex-partition="arena-io=true alignment=4" --pex-reorder="arena-io=true alignment=4" --pex-plan-arena="arena-io=true alignment=4" | FileCheck %s --check-prefix=PARTITION

// A state's new value that shifts the value before the run along an axis (an
// SVDF's memory: its three newer steps, then the newest): the concatenation's
// forward loop reads each element before a write reaches it, so it computes
// the new value in the state's global, once the other reader of the value
// before the run has run. The body lists the concatenation first: the plan
// carries the order out (the widening, then the concatenation), and the
// arena holds the input, the widened steps and the sum alone (160 B; 192
// with the new value in it, @shift_backwards).
// CHECK-LABEL: func.func @shift
// CHECK-SAME:    tensor<1x4x8xi8> {pex.placement = #pex.placement<offset = 0, size = 32, live = [{{[0-9]+}}, {{[0-9]+}}], state = @s>, pex.variable = @s})
// CHECK-SAME:    pex.arena = #pex.arena<size = 160,
// CHECK:         tosa.cast %arg1
// CHECK:         tosa.concat {{.*}}state = @s>
// REORDER-LABEL: func.func @shift
// REORDER:         tosa.cast %arg1
// REORDER:         tosa.concat
func.func @shift(%x: tensor<1x1x8xi8>, %old: tensor<1x4x8xi8> {pex.variable = @s}) -> (tensor<1x1x8xi32>, tensor<1x4x8xi8> {pex.variable = @s}) {
  %start = tosa.const_shape {values = dense<[0, 1, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %older = tosa.slice %old, %start, %size : (tensor<1x4x8xi8>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x3x8xi8>
  %new = tosa.concat %older, %x {axis = 1 : i32} : (tensor<1x3x8xi8>, tensor<1x1x8xi8>) -> tensor<1x4x8xi8>
  %wide = tosa.cast %old : (tensor<1x4x8xi8>) -> tensor<1x4x8xi32>
  %sum = tosa.reduce_sum %wide {axis = 1 : i32} : (tensor<1x4x8xi32>) -> tensor<1x1x8xi32>
  return %sum, %new : tensor<1x1x8xi32>, tensor<1x4x8xi8>
}

// -----

// The newest step first, then the older ones: each element would be read
// after the write of the one before it, so the new value is computed in the
// arena and copied into the global at the run's end.
// CHECK-LABEL: func.func @shift_backwards
// CHECK-NOT:     state = @s
// CHECK-SAME:    pex.arena = #pex.arena<size = 192,
// CHECK:         return
func.func @shift_backwards(%x: tensor<1x1x8xi8>, %old: tensor<1x4x8xi8> {pex.variable = @s}) -> (tensor<1x1x8xi32>, tensor<1x4x8xi8> {pex.variable = @s}) {
  %start = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %older = tosa.slice %old, %start, %size : (tensor<1x4x8xi8>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x3x8xi8>
  %new = tosa.concat %x, %older {axis = 1 : i32} : (tensor<1x1x8xi8>, tensor<1x3x8xi8>) -> tensor<1x4x8xi8>
  %wide = tosa.cast %old : (tensor<1x4x8xi8>) -> tensor<1x4x8xi32>
  %sum = tosa.reduce_sum %wide {axis = 1 : i32} : (tensor<1x4x8xi32>) -> tensor<1x1x8xi32>
  return %sum, %new : tensor<1x1x8xi32>, tensor<1x4x8xi8>
}

// -----

// A reader of the value before the run that needs the new value too cannot
// run before it: the new value stays in the arena.
// CHECK-LABEL: func.func @reader_of_both
// CHECK-NOT:     state = @s
// CHECK:         return
func.func @reader_of_both(%x: tensor<1x1x8xi8>, %old: tensor<1x4x8xi8> {pex.variable = @s}) -> (tensor<1x4x8xi8>, tensor<1x4x8xi8> {pex.variable = @s}) {
  %start = tosa.const_shape {values = dense<[0, 1, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %older = tosa.slice %old, %start, %size : (tensor<1x4x8xi8>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x3x8xi8>
  %new = tosa.concat %older, %x {axis = 1 : i32} : (tensor<1x3x8xi8>, tensor<1x1x8xi8>) -> tensor<1x4x8xi8>
  %change = tosa.sub %new, %old : (tensor<1x4x8xi8>, tensor<1x4x8xi8>) -> tensor<1x4x8xi8>
  return %change, %new : tensor<1x4x8xi8>, tensor<1x4x8xi8>
}

// -----

// A streaming model's window (TensorFlow's converter: the kept frames, then
// the newest) and the window's newest frames kept for the next run: the
// slice reads the window, not the value before the run, so it writes the
// global once the window is assembled; the arena holds the input, the
// window and the widened window.
// CHECK-LABEL: func.func @window
// CHECK-SAME:    tensor<1x2x8xi8> {pex.placement = #pex.placement<offset = 0, size = 16, live = [{{[0-9]+}}, {{[0-9]+}}], state = @s>, pex.variable = @s})
// CHECK-SAME:    pex.arena = #pex.arena<size = 128,
// CHECK:         tosa.concat
// CHECK:         tosa.slice {{.*}}state = @s>
func.func @window(%x: tensor<1x1x8xi8>, %old: tensor<1x2x8xi8> {pex.variable = @s}) -> (tensor<1x1x8xi32>, tensor<1x2x8xi8> {pex.variable = @s}) {
  %window = tosa.concat %old, %x {axis = 1 : i32} : (tensor<1x2x8xi8>, tensor<1x1x8xi8>) -> tensor<1x3x8xi8>
  %start = tosa.const_shape {values = dense<[0, 1, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 2, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %kept = tosa.slice %window, %start, %size : (tensor<1x3x8xi8>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x2x8xi8>
  %wide = tosa.cast %window : (tensor<1x3x8xi8>) -> tensor<1x3x8xi32>
  %sum = tosa.reduce_sum %wide {axis = 1 : i32} : (tensor<1x3x8xi32>) -> tensor<1x1x8xi32>
  return %sum, %kept : tensor<1x1x8xi32>, tensor<1x2x8xi8>
}

// -----

// A leaky integrator: the new value reads the value before the run element
// by element where it writes, so it is computed over it in the global, after
// the value's other reader.
// CHECK-LABEL: func.func @integrator
// CHECK-SAME:    tensor<1x8xi8> {pex.placement = #pex.placement<offset = 0, size = 8, live = [{{[0-9]+}}, {{[0-9]+}}], state = @s>, pex.variable = @s})
// CHECK:         tosa.reduce_max
// CHECK:         tosa.add {{.*}}state = @s>
func.func @integrator(%x: tensor<1x8xi8>, %old: tensor<1x8xi8> {pex.variable = @s}) -> (tensor<1x1xi8>, tensor<1x8xi8> {pex.variable = @s}) {
  %new = tosa.add %old, %x : (tensor<1x8xi8>, tensor<1x8xi8>) -> tensor<1x8xi8>
  %peak = tosa.reduce_max %old {axis = 1 : i32} : (tensor<1x8xi8>) -> tensor<1x1xi8>
  return %peak, %new : tensor<1x1xi8>, tensor<1x8xi8>
}

// -----

// The same through reshapes (a GRU's new h, computed on [1, 16] from the
// value before the run reshaped from [1, 1, 16], and returned reshaped back):
// the same bytes in the same order, so the new value is still computed over
// the value before the run in the global.
// CHECK-LABEL: func.func @integrator_through_reshapes
// CHECK-SAME:    tensor<1x1x8xi8> {pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 8, live = [{{[0-9]+}}, {{[0-9]+}}], state = @s>, pex.variable = @s})
// CHECK:         tosa.reduce_max
// CHECK:         tosa.add {{.*}}state = @s>
func.func @integrator_through_reshapes(%x: tensor<1x8xi8>, %old: tensor<1x1x8xi8> {pex.variable = @s}) -> (tensor<1x1x1xi8>, tensor<1x1x8xi8> {pex.variable = @s}) {
  %flat_shape = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %state_shape = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %flat = tosa.reshape %old, %flat_shape : (tensor<1x1x8xi8>, !tosa.shape<2>) -> tensor<1x8xi8>
  %new = tosa.add %flat, %x : (tensor<1x8xi8>, tensor<1x8xi8>) -> tensor<1x8xi8>
  %new_state = tosa.reshape %new, %state_shape : (tensor<1x8xi8>, !tosa.shape<3>) -> tensor<1x1x8xi8>
  %peak = tosa.reduce_max %old {axis = 2 : i32} : (tensor<1x1x8xi8>) -> tensor<1x1x1xi8>
  return %peak, %new_state : tensor<1x1x1xi8>, tensor<1x1x8xi8>
}

// -----

// The shifted state's newest step is a convolution's, which could run on
// slices of channels with the concatenation: the concatenation stays an
// operator of its own that writes the state's global (a group assembles its
// result in storage of its own), and the group reads the kept steps instead.
// PARTITION-LABEL: func.func @conv_into_state
// PARTITION:         pex.group
// PARTITION-SAME:      sliced(%arg1
// PARTITION:         tosa.concat {{.*}}state = @s>
func.func @conv_into_state(%x: tensor<1x1x1x64xi8>, %old: tensor<1x4x1x256xi8> {pex.variable = @s}) -> (tensor<1x1x1x256xi32>, tensor<1x4x1x256xi8> {pex.variable = @s}) {
  %w = "tosa.const"() <{values = dense<1> : tensor<256x1x1x64xi8>}> : () -> tensor<256x1x1x64xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<256xi32>}> : () -> tensor<256xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %conv = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x64xi8>, tensor<256x1x1x64xi8>, tensor<256xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x256xi32>
  %narrow = tosa.cast %conv : (tensor<1x1x1x256xi32>) -> tensor<1x1x1x256xi8>
  %start = tosa.const_shape {values = dense<[0, 1, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 3, 1, 256]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %older = tosa.slice %old, %start, %size : (tensor<1x4x1x256xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x1x256xi8>
  %new = tosa.concat %older, %narrow {axis = 1 : i32} : (tensor<1x3x1x256xi8>, tensor<1x1x1x256xi8>) -> tensor<1x4x1x256xi8>
  %wide = tosa.cast %old : (tensor<1x4x1x256xi8>) -> tensor<1x4x1x256xi32>
  %sum = tosa.reduce_sum %wide {axis = 1 : i32} : (tensor<1x4x1x256xi32>) -> tensor<1x1x1x256xi32>
  return %sum, %new : tensor<1x1x1x256xi32>, tensor<1x4x1x256xi8>
}

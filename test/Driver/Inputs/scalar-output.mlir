func.func @scalar(%x: tensor<1x4xf32>) -> tensor<f32> {
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x4xf32>) -> tensor<1x1xf32>
  %shape = tosa.const_shape {values = dense<> : tensor<0xindex>} : () -> !tosa.shape<0>
  %r = tosa.reshape %s, %shape : (tensor<1x1xf32>, !tosa.shape<0>) -> tensor<f32>
  return %r : tensor<f32>
}

func.func @centre(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<1x5xf32>) -> tensor<1x1xf32>
  %y = tosa.sub %x, %m : (tensor<1x5xf32>, tensor<1x1xf32>) -> tensor<1x5xf32>
  return %y : tensor<1x5xf32>
}

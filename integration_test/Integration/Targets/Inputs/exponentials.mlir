func.func @exponentials(%arg0: tensor<1024xf32>) -> (tensor<1024xf32>, tensor<1024xf32>) {
  %0 = tosa.exp %arg0 : (tensor<1024xf32>) -> tensor<1024xf32>
  %1 = tosa.sigmoid %arg0 : (tensor<1024xf32>) -> tensor<1024xf32>
  return %0, %1 : tensor<1024xf32>, tensor<1024xf32>
}

func.func @square_roots(%arg0: tensor<40xf32>) -> (tensor<40xf32>, tensor<40xf32>) {
  %0 = tosa.rsqrt %arg0 : (tensor<40xf32>) -> tensor<40xf32>
  %1 = tosa.reciprocal %0 : (tensor<40xf32>) -> tensor<40xf32>
  return %0, %1 : tensor<40xf32>, tensor<40xf32>
}

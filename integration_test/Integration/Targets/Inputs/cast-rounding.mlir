func.func @cast_rounding(%arg0: tensor<48xf32>) -> (tensor<48xi8>, tensor<48xi16>, tensor<48xi32>) {
  %0 = tosa.cast %arg0 : (tensor<48xf32>) -> tensor<48xi8>
  %1 = tosa.cast %arg0 : (tensor<48xf32>) -> tensor<48xi16>
  %2 = tosa.cast %arg0 : (tensor<48xf32>) -> tensor<48xi32>
  return %0, %1, %2 : tensor<48xi8>, tensor<48xi16>, tensor<48xi32>
}

func.func @max_pools(%arg0: tensor<1x9x8x8xi8>) -> tensor<1x23x8x8xi8> {
  %0 = tosa.max_pool2d %arg0 {kernel = array<i64: 5, 5>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>} : (tensor<1x9x8x8xi8>) -> tensor<1x9x8x8xi8>
  %1 = tosa.max_pool2d %0 {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x9x8x8xi8>) -> tensor<1x9x8x8xi8>
  %2 = tosa.max_pool2d %arg0 {kernel = array<i64: 3, 2>, pad = array<i64: 1, 1, 0, 1>, stride = array<i64: 2, 1>} : (tensor<1x9x8x8xi8>) -> tensor<1x5x8x8xi8>
  %3 = tosa.concat %0, %1, %2 {axis = 1 : i32} : (tensor<1x9x8x8xi8>, tensor<1x9x8x8xi8>, tensor<1x5x8x8xi8>) -> tensor<1x23x8x8xi8>
  return %3 : tensor<1x23x8x8xi8>
}

func.func @argmax(%x: tensor<1x16xf32>) -> tensor<1xi32> {
  %y = tosa.argmax %x {axis = 1 : i32} : (tensor<1x16xf32>) -> tensor<1xi32>
  return %y : tensor<1xi32>
}

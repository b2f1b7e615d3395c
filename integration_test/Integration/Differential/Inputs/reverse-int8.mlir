// tosa.reverse of the rows.
func.func @reverse_int8(%x: tensor<1x5x6x3xi8>) -> tensor<1x5x6x3xi8> {
  %r = tosa.reverse %x {axis = 1 : i32} : (tensor<1x5x6x3xi8>) -> tensor<1x5x6x3xi8>
  return %r : tensor<1x5x6x3xi8>
}

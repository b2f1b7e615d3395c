func.func @relu(%x: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8> {
  %y = tosa.clamp %x {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

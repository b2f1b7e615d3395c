// A model whose input is a vector: it has no rows to hand over.
func.func @vector_relu(%x: tensor<16xf32>) -> tensor<16xf32> {
  %y = tosa.clamp %x {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}

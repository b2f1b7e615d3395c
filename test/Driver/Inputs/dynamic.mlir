func.func @dynamic(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

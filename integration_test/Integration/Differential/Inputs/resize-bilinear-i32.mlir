// TOSA's integer bilinear resize (rows 5 -> 9 at scale 4/2, columns 6 -> 8 at
// 3/2 from offset 1/3): the unscaled i32 sum. Offsets are not negative:
// upstream MLIR 22 divides a negative coordinate truncating (TOSA floors), so
// it would not be a reference there.
func.func @resize_bilinear_i32(%x: tensor<1x5x6x3xi8>) -> tensor<1x9x8x3xi32> {
  %scale = tosa.const_shape {values = dense<[4, 2, 3, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<[0, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %b = tosa.resize %x, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x5x6x3xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x9x8x3xi32>
  return %b : tensor<1x9x8x3xi32>
}

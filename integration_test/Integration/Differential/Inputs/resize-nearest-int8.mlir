// TOSA's nearest resize at non-integer scales (7/5 rows, 3/2 columns) with
// offsets and borders.
func.func @resize_nearest_int8(%x: tensor<1x5x6x3xi8>) -> tensor<1x7x9x3xi8> {
  %scale = tosa.const_shape {values = dense<[14, 10, 3, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<[-2, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<[2, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %n = tosa.resize %x, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x5x6x3xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x7x9x3xi8>
  return %n : tensor<1x7x9x3xi8>
}

// PyTorch's per-tensor int8 requantisation (qnnpack's: one multiplier and
// shift for the layer, single rounding) after 1x1 convolutions: y0 with
// shift 38, y1 with a multiplier of 2^30 at shift 33 (one value in eight
// exactly halfway). The constant multiplier is hidden from LLVM so that the
// product stays a signed 32x32 multiply-accumulate.
module {
  func.func @requantize(%arg0: tensor<1x8x8x16xi8> {pex.name = "x"}) -> (tensor<1x8x8x16xi8> {pex.name = "y"}) {
%w = "tosa.const"() <{values = dense<[[[[4, 1, 1, 3, 0, 2, 3, -3, -5, -3, -3, 3, 4, -5, -1, 3]]], [[[-7, 5, -7, -1, 5, -4, -3, -5, 3, -5, 8, -2, -1, 0, 1, 0]]], [[[0, 16, 10, 9, 6, 4, -6, 16, -2, -10, 11, -12, 12, 3, -14, -16]]], [[[-15, -119, -92, 3, 120, -9, 78, 106, 82, 33, -16, 3, -60, -1, -31, -65]]], [[[126, -125, -104, -79, 120, 49, 97, -77, 56, -34, -3, -128, 30, 84, 41, -89]]], [[[8, -60, 119, 97, -81, 2, 112, 88, 53, 35, -118, 61, -7, -105, -66, 10]]], [[[58, 1, 28, 95, 47, -36, 36, 25, -101, -113, 41, -29, 25, -46, -71, -90]]], [[[-31, 80, -26, -31, 19, 122, -28, 23, -16, 26, -14, 35, 12, 45, 116, -90]]]]> : tensor<8x1x1x16xi8>}> : () -> tensor<8x1x1x16xi8>
    %b = "tosa.const"() <{values = dense<[4, -12, 1000, -2000, 12345, -1, 7, 65536]> : tensor<8xi32>}> : () -> tensor<8xi32>
    %zx = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zw = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c0 = tosa.conv2d %arg0, %w, %b, %zx, %zw {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<8x1x1x16xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
    %c1 = tosa.conv2d %arg0, %w, %b, %zx, %zw {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<8x1x1x16xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
    %m0 = "tosa.const"() <{values = dense<1500000000> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s0 = "tosa.const"() <{values = dense<38> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m1 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s1 = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
    %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %zy = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %y0 = tosa.rescale %c0, %m0, %s0, %z32, %zy {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
    %y1 = tosa.rescale %c1, %m1, %s1, %z32, %zy {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x8x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x8xi8>
    %y = tosa.concat %y0, %y1 {axis = 3 : i32} : (tensor<1x8x8x8xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x16xi8>
    return %y : tensor<1x8x8x16xi8>
  }
}

// TFLite's residual adds (each int8 input times 2^20, rescaled with shift 32
// or 31 and more, summed, requantised) with the input rows reversed as the
// second operand, each add with its own input zero point (as its own
// tensors have): the bounds passed along the chain let the shift-32 and the
// output rescales take the doubled form. v0: multipliers 2^30 (every
// odd value halfway at the second rounding, of both signs); v1 and v2:
// TFLite-like multipliers, output zero points folded (v1) and not (v2).
module {
  func.func @residual(%x: tensor<1x16x16x16xi8> {pex.name = "x"}) -> (tensor<1x16x16x48xi8> {pex.name = "y"}) {
    %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %m20 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s20 = "tosa.const"() <{values = dense<10> : tensor<1xi8>}> : () -> tensor<1xi8>
    %xr = tosa.reverse %x {axis = 1 : i32} : (tensor<1x16x16x16xi8>) -> tensor<1x16x16x16xi8>
    %zx0 = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %xa0 = tosa.rescale %x, %m20, %s20, %zx0, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %xb0 = tosa.rescale %xr, %m20, %s20, %zx0, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %ma0 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sa0 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %mb0 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sb0 = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
    %my0 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sy0 = "tosa.const"() <{values = dense<44> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zy0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %a0 = tosa.rescale %xa0, %ma0, %sa0, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %b0 = tosa.rescale %xb0, %mb0, %sb0, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %s0 = tosa.add %a0, %b0 : (tensor<1x16x16x16xi32>, tensor<1x16x16x16xi32>) -> tensor<1x16x16x16xi32>
    %y0 = tosa.rescale %s0, %my0, %sy0, %z32, %zy0 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x16xi8>
    %zx1 = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %xa1 = tosa.rescale %x, %m20, %s20, %zx1, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %xb1 = tosa.rescale %xr, %m20, %s20, %zx1, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %ma1 = "tosa.const"() <{values = dense<1978563233> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sa1 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %mb1 = "tosa.const"() <{values = dense<2020467255> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sb1 = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
    %my1 = "tosa.const"() <{values = dense<2082202057> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sy1 = "tosa.const"() <{values = dense<50> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zy1 = "tosa.const"() <{values = dense<5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %a1 = tosa.rescale %xa1, %ma1, %sa1, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %b1 = tosa.rescale %xb1, %mb1, %sb1, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %s1 = tosa.add %a1, %b1 : (tensor<1x16x16x16xi32>, tensor<1x16x16x16xi32>) -> tensor<1x16x16x16xi32>
    %y1 = tosa.rescale %s1, %my1, %sy1, %z32, %zy1 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x16xi8>
    %zx2 = "tosa.const"() <{values = dense<100> : tensor<1xi8>}> : () -> tensor<1xi8>
    %xa2 = tosa.rescale %x, %m20, %s20, %zx2, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %xb2 = tosa.rescale %xr, %m20, %s20, %zx2, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %ma2 = "tosa.const"() <{values = dense<1297941441> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sa2 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %mb2 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sb2 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
    %my2 = "tosa.const"() <{values = dense<1500000000> : tensor<1xi32>}> : () -> tensor<1xi32>
    %sy2 = "tosa.const"() <{values = dense<62> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zy2 = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %a2 = tosa.rescale %xa2, %ma2, %sa2, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %b2 = tosa.rescale %xb2, %mb2, %sb2, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x16x16x16xi32>
    %s2 = tosa.add %a2, %b2 : (tensor<1x16x16x16xi32>, tensor<1x16x16x16xi32>) -> tensor<1x16x16x16xi32>
    %y2 = tosa.rescale %s2, %my2, %sy2, %z32, %zy2 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x16x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x16x16xi8>
    %y = tosa.concat %y0, %y1, %y2 {axis = 3 : i32} : (tensor<1x16x16x16xi8>, tensor<1x16x16x16xi8>, tensor<1x16x16x16xi8>) -> tensor<1x16x16x48xi8>
    return %y : tensor<1x16x16x48xi8>
  }
}

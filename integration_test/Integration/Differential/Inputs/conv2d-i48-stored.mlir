module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int], extensions = [doubleround]>} {
  func.func @conv_i48_stored(%arg0: tensor<1x4x4x2xi16>) -> tensor<1x4x4x6xi16> {
    %w = "tosa.const"() <{values = dense<[[[[100, -50]]], [[[-127, 127]]], [[[3, 90]]]]> : tensor<3x1x1x2xi8>}> : () -> tensor<3x1x1x2xi8>
    %b = "tosa.const"() <{values = dense<[1000, -2000, 300000]> : tensor<3xi48>}> : () -> tensor<3xi48>
    %zp16 = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp48 = "tosa.const"() <{values = dense<0> : tensor<1xi48>}> : () -> tensor<1xi48>
    %c = tosa.conv2d %arg0, %w, %b, %zp16, %zp8 {acc_type = i48, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi16>, tensor<3x1x1x2xi8>, tensor<3xi48>, tensor<1xi16>, tensor<1xi8>) -> tensor<1x4x4x3xi48>
    %m1 = "tosa.const"() <{values = dense<16384> : tensor<1xi16>}> : () -> tensor<1xi16>
    %s1 = "tosa.const"() <{values = dense<22> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m2 = "tosa.const"() <{values = dense<30000> : tensor<1xi16>}> : () -> tensor<1xi16>
    %s2 = "tosa.const"() <{values = dense<24> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r1 = tosa.rescale %c, %m1, %s1, %zp48, %zp16 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = false} : (tensor<1x4x4x3xi48>, tensor<1xi16>, tensor<1xi8>, tensor<1xi48>, tensor<1xi16>) -> tensor<1x4x4x3xi16>
    %r2 = tosa.rescale %c, %m2, %s2, %zp48, %zp16 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = false} : (tensor<1x4x4x3xi48>, tensor<1xi16>, tensor<1xi8>, tensor<1xi48>, tensor<1xi16>) -> tensor<1x4x4x3xi16>
    %o = tosa.concat %r1, %r2 {axis = 3 : i32} : (tensor<1x4x4x3xi16>, tensor<1x4x4x3xi16>) -> tensor<1x4x4x6xi16>
    return %o : tensor<1x4x4x6xi16>
  }
}

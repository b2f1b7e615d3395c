// RUN: pex-opt %s --pex-partition | FileCheck %s
// RUN: pexc %s --target=host -q -o %t.o

// An int8 convolution dequantised to float, then a leaky ReLU in float and a
// global average pool (an imported ONNX QDQ graph). Inside the group, the
// epilogue does not write its f32 result over the i32 accumulator: a kernel
// writes over an operand of its own type only, and the partitioner predicts
// the group the memory model then measures (before, it predicted an
// in-place epilogue over the same-sized accumulator and the kernel could not
// be formed).
// CHECK: pex.group
// CHECK-NOT: error
module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int, pro_fp], extensions = [doubleround]>} {
  func.func @t(%arg0: tensor<1x6x6x2xf32> {pex.name = "x"}) -> (tensor<1x1x1x4xf32> {pex.name = "y"}) {
    %0 = "tosa.const"() <{values = dense<254.99998474121094> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("xq"("t.onnx":0:0))
    %1 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc("xq"("t.onnx":0:0))
    %2 = tosa.mul %arg0, %0, %1 : (tensor<1x6x6x2xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x6x6x2xf32> loc("xq"("t.onnx":0:0))
    %3 = "tosa.const"() <{values = dense<-128.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("xq"("t.onnx":0:0))
    %4 = tosa.add %2, %3 : (tensor<1x6x6x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x6x6x2xf32> loc("xq"("t.onnx":0:0))
    %5 = tosa.cast %4 : (tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xi8> loc("xq"("t.onnx":0:0))
    %6 = "tosa.const"() <{values = dense<"0xF9D0035E41EC73C68954A5C252E97225C00D964A88A05DCE41A056F40A7A51A3D5E2F4E767FCB49E017BC340867640989039C8CB000B6C9EC7ED3A1FA9F5D34778DDEC1D0446CB6A"> : tensor<4x3x3x2xi8>}> : () -> tensor<4x3x3x2xi8> loc("conv/acc"("t.onnx":3:0))
    %7 = "tosa.const"() <{values = dense<0> : tensor<4xi32>}> : () -> tensor<4xi32> loc("conv/acc"("t.onnx":3:0))
    %8 = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8> loc("conv/acc"("t.onnx":3:0))
    %9 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc("conv/acc"("t.onnx":3:0))
    %10 = tosa.conv2d %5, %6, %7, %8, %9 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x6x2xi8>, tensor<4x3x3x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x6x6x4xi32> loc("conv/acc"("t.onnx":3:0))
    %11 = "tosa.const"() <{values = dense<1077952640> : tensor<1xi32>}> : () -> tensor<1xi32> loc("conv"("t.onnx":3:0))
    %12 = "tosa.const"() <{values = dense<39> : tensor<1xi8>}> : () -> tensor<1xi8> loc("conv"("t.onnx":3:0))
    %13 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32> loc("conv"("t.onnx":3:0))
    %14 = "tosa.const"() <{values = dense<-10> : tensor<1xi8>}> : () -> tensor<1xi8> loc("conv"("t.onnx":3:0))
    %15 = tosa.rescale %10, %11, %12, %13, %14 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x6x6x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6x6x4xi8> loc("conv"("t.onnx":3:0))
    %16 = tosa.cast %15 : (tensor<1x6x6x4xi8>) -> tensor<1x6x6x4xf32> loc("cd/float"("t.onnx":6:0))
    %17 = "tosa.const"() <{values = dense<-10.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("cd/float"("t.onnx":6:0))
    %18 = tosa.sub %16, %17 : (tensor<1x6x6x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x6x6x4xf32> loc("cd/float"("t.onnx":6:0))
    %19 = "tosa.const"() <{values = dense<0.019999999552965164> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("cd/float"("t.onnx":6:0))
    %20 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc("cd/float"("t.onnx":6:0))
    %21 = tosa.mul %18, %19, %20 : (tensor<1x6x6x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x6x6x4xf32> loc("cd/float"("t.onnx":6:0))
    %22 = "tosa.const"() <{values = dense<0.10000000149011612> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("leaky"("t.onnx":6:0))
    %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc("leaky"("t.onnx":6:0))
    %24 = tosa.mul %21, %22, %23 : (tensor<1x6x6x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x6x6x4xf32> loc("leaky"("t.onnx":6:0))
    %25 = tosa.maximum %21, %24 : (tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32> loc("leaky"("t.onnx":6:0))
    %26 = tosa.reduce_sum %25 {axis = 1 : i32} : (tensor<1x6x6x4xf32>) -> tensor<1x1x6x4xf32> loc("y"("t.onnx":7:0))
    %27 = tosa.reduce_sum %26 {axis = 2 : i32} : (tensor<1x1x6x4xf32>) -> tensor<1x1x1x4xf32> loc("y"("t.onnx":7:0))
    %28 = "tosa.const"() <{values = dense<0.02777777798473835> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32> loc("y"("t.onnx":7:0))
    %29 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc("y"("t.onnx":7:0))
    %30 = tosa.mul %27, %28, %29 : (tensor<1x1x1x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x1x1x4xf32> loc("y"("t.onnx":7:0))
    return %30 : tensor<1x1x1x4xf32>
  }
}

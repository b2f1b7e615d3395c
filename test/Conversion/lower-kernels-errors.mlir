// RUN: pex-opt %s -split-input-file --pex-lower-kernels -verify-diagnostics

// A kernel on tensors (with a result) has not been bufferized.
func.func @not_bufferized(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{pex: kernels must be bufferized before they are lowered}}
  %y = pex.kernel ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %c = tosa.clamp %in {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %c : tensor<4xf32>
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Constants of more than one element are kernel inputs (memrefs), not immediates.
func.func @large_constant(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    // expected-error @+1 {{'tosa.const' op is a constant of more than one element inside a kernel; pass it as a kernel input}}
    %k = "tosa.const"() <{values = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
    %s = tosa.add %in, %k : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    pex.yield %s : tensor<4xf32>
  }
  return
}

// -----

// An operator without a KernelEmitterOpInterface model.
func.func @no_codegen(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    // expected-error @+1 {{pex: no code generation for 'tosa.sin'}}
    %s = tosa.sin %in : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %s : tensor<4xf32>
  }
  return
}

// -----

// One loop nest per kernel: a second non-element-wise operator is an error.
func.func @two_anchors(%x: memref<1x4x4x1xf32>, %y: memref<1x1x1x1xf32>) {
  pex.kernel ins(%x : memref<1x4x4x1xf32>) outs(%y : memref<1x1x1x1xf32>) {
  ^bb0(%in: tensor<1x4x4x1xf32>, %out: tensor<1x1x1x1xf32>):
    %a = tosa.max_pool2d %in {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
    // expected-error @+1 {{pex: a kernel has one anchor, found 'tosa.max_pool2d' and 'tosa.max_pool2d'}}
    %b = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
    pex.yield %b : tensor<1x1x1x1xf32>
  }
  return
}

// -----

// Half-precision convolutions accumulate in f16, which Pex does not support.
func.func @conv_acc(%x: memref<1x2x2x2xf16>, %w: memref<3x1x1x2xf16>, %b: memref<3xf16>, %y: memref<1x2x2x3xf16>) {
  pex.kernel ins(%x, %w, %b : memref<1x2x2x2xf16>, memref<3x1x1x2xf16>, memref<3xf16>) outs(%y : memref<1x2x2x3xf16>) {
  ^bb0(%xa: tensor<1x2x2x2xf16>, %wa: tensor<3x1x1x2xf16>, %ba: tensor<3xf16>, %out: tensor<1x2x2x3xf16>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf16>}> : () -> tensor<1xf16>
    // expected-error @+1 {{'tosa.conv2d' op accumulator type 'f16' is not supported; Pex accumulates in i32, i48 or f32}}
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f16, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf16>, tensor<3x1x1x2xf16>, tensor<3xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x2x2x3xf16>
    pex.yield %c : tensor<1x2x2x3xf16>
  }
  return
}

// -----

// Zero points must be immediates in the body, not kernel inputs.
func.func @conv_zp(%x: memref<1x2x2x2xi8>, %w: memref<3x1x1x2xi8>, %b: memref<3xi32>, %zp: memref<1xi8>, %y: memref<1x2x2x3xi32>) {
  pex.kernel ins(%x, %w, %b, %zp : memref<1x2x2x2xi8>, memref<3x1x1x2xi8>, memref<3xi32>, memref<1xi8>) outs(%y : memref<1x2x2x3xi32>) {
  ^bb0(%xa: tensor<1x2x2x2xi8>, %wa: tensor<3x1x1x2xi8>, %ba: tensor<3xi32>, %zpa: tensor<1xi8>, %out: tensor<1x2x2x3xi32>):
    // expected-error @+1 {{'tosa.conv2d' op needs compile-time zero points}}
    %c = tosa.conv2d %xa, %wa, %ba, %zpa, %zpa {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x3xi32>
    pex.yield %c : tensor<1x2x2x3xi32>
  }
  return
}

// -----

// An integer multiplication needs its shift as an immediate.
func.func @mul_shift(%x: memref<4xi32>, %s: memref<1xi8>, %y: memref<4xi32>) {
  pex.kernel ins(%x, %s : memref<4xi32>, memref<1xi8>) outs(%y : memref<4xi32>) {
  ^bb0(%in: tensor<4xi32>, %sh: tensor<1xi8>, %out: tensor<4xi32>):
    // expected-error @+1 {{'tosa.mul' op needs a compile-time shift}}
    %r = tosa.mul %in, %in, %sh : (tensor<4xi32>, tensor<4xi32>, tensor<1xi8>) -> tensor<4xi32>
    pex.yield %r : tensor<4xi32>
  }
  return
}

// -----

func.func @rescale_zp(%x: memref<4xi32>, %zp: memref<1xi32>, %y: memref<4xi8>) {
  pex.kernel ins(%x, %zp : memref<4xi32>, memref<1xi32>) outs(%y : memref<4xi8>) {
  ^bb0(%in: tensor<4xi32>, %zpa: tensor<1xi32>, %out: tensor<4xi8>):
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    // expected-error @+1 {{'tosa.rescale' op needs compile-time zero points}}
    %r = tosa.rescale %in, %m, %s, %zpa, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
    pex.yield %r : tensor<4xi8>
  }
  return
}

// -----

func.func @negate_zp(%x: memref<4xi8>, %zp: memref<1xi8>, %y: memref<4xi8>) {
  pex.kernel ins(%x, %zp : memref<4xi8>, memref<1xi8>) outs(%y : memref<4xi8>) {
  ^bb0(%in: tensor<4xi8>, %zpa: tensor<1xi8>, %out: tensor<4xi8>):
    // expected-error @+1 {{'tosa.negate' op needs compile-time zero points}}
    %r = tosa.negate %in, %zpa, %zpa : (tensor<4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<4xi8>
    pex.yield %r : tensor<4xi8>
  }
  return
}

// -----

func.func @exp_int(%x: memref<4xi32>, %y: memref<4xi32>) {
  pex.kernel ins(%x : memref<4xi32>) outs(%y : memref<4xi32>) {
  ^bb0(%in: tensor<4xi32>, %out: tensor<4xi32>):
    // expected-error @+1 {{'tosa.exp' op is only supported on floats}}
    %r = tosa.exp %in : (tensor<4xi32>) -> tensor<4xi32>
    pex.yield %r : tensor<4xi32>
  }
  return
}

// -----

func.func @sigmoid_int(%x: memref<4xi32>, %y: memref<4xi32>) {
  pex.kernel ins(%x : memref<4xi32>) outs(%y : memref<4xi32>) {
  ^bb0(%in: tensor<4xi32>, %out: tensor<4xi32>):
    // expected-error @+1 {{'tosa.sigmoid' op is only supported on floats}}
    %r = tosa.sigmoid %in : (tensor<4xi32>) -> tensor<4xi32>
    pex.yield %r : tensor<4xi32>
  }
  return
}

// -----

func.func @avg_zp(%x: memref<1x2x2x1xi8>, %zp: memref<1xi8>, %y: memref<1x1x1x1xi8>) {
  pex.kernel ins(%x, %zp : memref<1x2x2x1xi8>, memref<1xi8>) outs(%y : memref<1x1x1x1xi8>) {
  ^bb0(%in: tensor<1x2x2x1xi8>, %zpa: tensor<1xi8>, %out: tensor<1x1x1x1xi8>):
    // expected-error @+1 {{'tosa.avg_pool2d' op needs compile-time zero points}}
    %r = tosa.avg_pool2d %in, %zpa, %zpa {acc_type = i32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x1xi8>
    pex.yield %r : tensor<1x1x1x1xi8>
  }
  return
}

// -----

func.func @depthwise_zp(%x: memref<1x2x2x2xi8>, %w: memref<1x1x2x1xi8>, %b: memref<2xi32>, %zp: memref<1xi8>, %y: memref<1x2x2x2xi32>) {
  pex.kernel ins(%x, %w, %b, %zp : memref<1x2x2x2xi8>, memref<1x1x2x1xi8>, memref<2xi32>, memref<1xi8>) outs(%y : memref<1x2x2x2xi32>) {
  ^bb0(%xa: tensor<1x2x2x2xi8>, %wa: tensor<1x1x2x1xi8>, %ba: tensor<2xi32>, %zpa: tensor<1xi8>, %out: tensor<1x2x2x2xi32>):
    // expected-error @+1 {{'tosa.depthwise_conv2d' op needs compile-time zero points}}
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %zpa, %zpa {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xi8>, tensor<1x1x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
    pex.yield %c : tensor<1x2x2x2xi32>
  }
  return
}

// -----

func.func @depthwise_acc(%x: memref<1x2x2x2xf16>, %w: memref<1x1x2x1xf16>, %b: memref<2xf16>, %y: memref<1x2x2x2xf16>) {
  pex.kernel ins(%x, %w, %b : memref<1x2x2x2xf16>, memref<1x1x2x1xf16>, memref<2xf16>) outs(%y : memref<1x2x2x2xf16>) {
  ^bb0(%xa: tensor<1x2x2x2xf16>, %wa: tensor<1x1x2x1xf16>, %ba: tensor<2xf16>, %out: tensor<1x2x2x2xf16>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf16>}> : () -> tensor<1xf16>
    // expected-error @+1 {{'tosa.depthwise_conv2d' op accumulator type 'f16' is not supported; Pex accumulates in i32, i48 or f32}}
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f16, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf16>, tensor<1x1x2x1xf16>, tensor<2xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x2x2x2xf16>
    pex.yield %c : tensor<1x2x2x2xf16>
  }
  return
}

// -----

func.func @matmul_zp(%a: memref<1x2x3xi8>, %b: memref<1x3x4xi8>, %zp: memref<1xi8>, %y: memref<1x2x4xi32>) {
  pex.kernel ins(%a, %b, %zp : memref<1x2x3xi8>, memref<1x3x4xi8>, memref<1xi8>) outs(%y : memref<1x2x4xi32>) {
  ^bb0(%aa: tensor<1x2x3xi8>, %ba: tensor<1x3x4xi8>, %zpa: tensor<1xi8>, %out: tensor<1x2x4xi32>):
    // expected-error @+1 {{'tosa.matmul' op needs compile-time zero points}}
    %c = tosa.matmul %aa, %ba, %zpa, %zpa : (tensor<1x2x3xi8>, tensor<1x3x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x4xi32>
    pex.yield %c : tensor<1x2x4xi32>
  }
  return
}

// -----

// TOSA's verifier accepts a convolution whose weights expect more input
// channels than the input has; the kernel would read past the input.
func.func @conv_channel_mismatch(%x: memref<1x4x4x2xf32>, %w: memref<3x1x1x8xf32>, %y: memref<1x4x4x3xf32>) {
  pex.kernel ins(%x, %w : memref<1x4x4x2xf32>, memref<3x1x1x8xf32>) outs(%y : memref<1x4x4x3xf32>) {
  ^bb0(%in: tensor<1x4x4x2xf32>, %weights: tensor<3x1x1x8xf32>, %out: tensor<1x4x4x3xf32>):
    %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    // expected-error @+1 {{pex: the weights have 8 input channels but the input has 2}}
    %c = tosa.conv2d %in, %weights, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x8xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
    pex.yield %c : tensor<1x4x4x3xf32>
  }
  return
}

// -----

func.func @depthwise_channel_mismatch(%x: memref<1x4x4x2xf32>, %w: memref<3x3x4x1xf32>, %y: memref<1x4x4x4xf32>) {
  pex.kernel ins(%x, %w : memref<1x4x4x2xf32>, memref<3x3x4x1xf32>) outs(%y : memref<1x4x4x4xf32>) {
  ^bb0(%in: tensor<1x4x4x2xf32>, %weights: tensor<3x3x4x1xf32>, %out: tensor<1x4x4x4xf32>):
    %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    // expected-error @+1 {{pex: the weights have 4 input channels but the input has 2}}
    %c = tosa.depthwise_conv2d %in, %weights, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
    pex.yield %c : tensor<1x4x4x4xf32>
  }
  return
}

// -----

func.func @transpose_conv_channel_mismatch(%x: memref<1x4x4x2xf32>, %w: memref<3x2x2x8xf32>, %y: memref<1x8x8x3xf32>) {
  pex.kernel ins(%x, %w : memref<1x4x4x2xf32>, memref<3x2x2x8xf32>) outs(%y : memref<1x8x8x3xf32>) {
  ^bb0(%in: tensor<1x4x4x2xf32>, %weights: tensor<3x2x2x8xf32>, %out: tensor<1x8x8x3xf32>):
    %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    // expected-error @+1 {{pex: the weights have 8 input channels but the input has 2}}
    %c = tosa.transpose_conv2d %in, %weights, %b, %zp, %zp {acc_type = f32, out_pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>, tensor<3x2x2x8xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x3xf32>
    pex.yield %c : tensor<1x8x8x3xf32>
  }
  return
}

// -----

// TOSA's integer bilinear resize returns the unscaled i32 sum; an i8 result
// would need a rounding TOSA does not define.
func.func @resize_bilinear_to_i8(%x: memref<1x2x2x1xi8>, %y: memref<1x4x4x1xi8>) {
  pex.kernel ins(%x : memref<1x2x2x1xi8>) outs(%y : memref<1x4x4x1xi8>) {
  ^bb0(%in: tensor<1x2x2x1xi8>, %out: tensor<1x4x4x1xi8>):
    %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
    // expected-error @+1 {{'tosa.resize' op integer bilinear resize from 'i8' to 'i8' is not supported (TOSA's integer form is i8 to i32)}}
    %r = tosa.resize %in, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x2x2x1xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x4x4x1xi8>
    pex.yield %r : tensor<1x4x4x1xi8>
  }
  return
}

// -----

// A scale above TOSA's 2^11 would wrap the integer weights' products.
func.func @resize_scale_too_large(%x: memref<1x2x2x1xi8>, %y: memref<1x4x4x1xi32>) {
  pex.kernel ins(%x : memref<1x2x2x1xi8>) outs(%y : memref<1x4x4x1xi32>) {
  ^bb0(%in: tensor<1x2x2x1xi8>, %out: tensor<1x4x4x1xi32>):
    %scale = tosa.const_shape {values = dense<[8192, 4096, 8192, 4096]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-2048> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<2048> : tensor<2xindex>} : () -> !tosa.shape<2>
    // expected-error @+1 {{'tosa.resize' op scale 8192 is outside TOSA's [1, 2048]}}
    %r = tosa.resize %in, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x2x2x1xi8>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x4x4x1xi32>
    pex.yield %r : tensor<1x4x4x1xi32>
  }
  return
}

// -----

// int16 values times squared weights of up to 2^11 overflow i32.
func.func @resize_bilinear_i16(%x: memref<1x2x2x1xi16>, %y: memref<1x4x4x1xi32>) {
  pex.kernel ins(%x : memref<1x2x2x1xi16>) outs(%y : memref<1x4x4x1xi32>) {
  ^bb0(%in: tensor<1x2x2x1xi16>, %out: tensor<1x4x4x1xi32>):
    %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
    %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
    // expected-error @+1 {{'tosa.resize' op integer bilinear resize from 'i16' to 'i32' is not supported (TOSA's integer form is i8 to i32)}}
    %r = tosa.resize %in, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x2x2x1xi16>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x4x4x1xi32>
    pex.yield %r : tensor<1x4x4x1xi32>
  }
  return
}

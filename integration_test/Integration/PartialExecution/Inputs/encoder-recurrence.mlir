func.func @encoder_recurrence(%input: tensor<1x1x4x8xf32>) -> tensor<1x4x8xf32> {
  %we = "tosa.const"() {values = dense<0.25> : tensor<256x1x1x8xf32>} : () -> tensor<256x1x1x8xf32>
  %be = "tosa.const"() {values = dense<0.0> : tensor<256xf32>} : () -> tensor<256xf32>
  %wp = "tosa.const"() {values = dense<0.125> : tensor<8x1x1x256xf32>} : () -> tensor<8x1x1x256xf32>
  %bp = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %expand = tosa.conv2d %input, %we, %be, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x8xf32>, tensor<256x1x1x8xf32>, tensor<256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x256xf32>
  %relu = tosa.clamp %expand {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x4x256xf32>) -> tensor<1x1x4x256xf32>
  %project = tosa.conv2d %relu, %wp, %bp, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x256xf32>, tensor<8x1x1x256xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x8xf32>
  %seqshape = tosa.const_shape {values = dense<[1, 4, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %x = tosa.reshape %project, %seqshape : (tensor<1x1x4x8xf32>, !tosa.shape<3>) -> tensor<1x4x8xf32>
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %reset = "tosa.const"() {values = dense<0.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %shape4 = tosa.const_shape {values = dense<[1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape2 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %shape3 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %empty = tensor.empty() : tensor<1x4x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %reset, %y = %empty) -> (tensor<1x8xf32>, tensor<1x4x8xf32>) {
    %row = tensor.extract_slice %x[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x4x8xf32> to tensor<1x1x8xf32>
    %in = tosa.reshape %row, %shape4 : (tensor<1x1x8xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
    %conv = tosa.conv2d %in, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x8xf32>
    %flat = tosa.reshape %conv, %shape2 : (tensor<1x1x1x8xf32>, !tosa.shape<2>) -> tensor<1x8xf32>
    %next = tosa.add %flat, %h : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
    %out = tosa.reshape %next, %shape3 : (tensor<1x8xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
    %y2 = tensor.insert_slice %out into %y[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x1x8xf32> into tensor<1x4x8xf32>
    scf.yield %next, %y2 : tensor<1x8xf32>, tensor<1x4x8xf32>
  }
  return %r#1 : tensor<1x4x8xf32>
}

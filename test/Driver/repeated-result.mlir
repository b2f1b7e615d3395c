// A value returned twice (an ONNX model listing one output twice): each
// output parameter gets the value (the second a copy); pexc crashed in
// bufferization before.
// RUN: %python -c "open('%t.in', 'wb').write(bytes([1, 255, 3, 128, 5, 6, 127, 8]))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out
// RUN: %python -c "import sys; d = open('%t.out', 'rb').read(); expected = bytes([1, 1, 3, 128, 5, 6, 127, 8]); sys.exit(d != expected * 2)"

func.func @repeated(%x: tensor<1x8xi8>) -> (tensor<1x8xi8>, tensor<1x8xi8>) {
  %y = tosa.abs %x : (tensor<1x8xi8>) -> tensor<1x8xi8>
  return %y, %y : tensor<1x8xi8>, tensor<1x8xi8>
}

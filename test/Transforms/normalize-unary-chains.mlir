// RUN: pex-opt %s -split-input-file --pex-normalize-tosa --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// An int8 tensor dequantized, scaled, offset and quantized again (a QDQ
// round trip) is one table of the chain's 256 results: 2q + 0.5 rounds to
// the even 2q (ties to even), saturated to [-128, 127].
// CHECK-LABEL: func.func @round_trip
// CHECK-SAME:    (%[[X:.*]]: tensor<2x8xi8>)
// CHECK:         %[[T:.*]] = "tosa.const"() <{values = dense<[-128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -126, -124, -122, -120, -118, -116, -114, -112, -110, -108, -106, -104, -102, -100, -98, -96, -94, -92, -90, -88, -86, -84, -82, -80, -78, -76, -74, -72, -70, -68, -66, -64, -62, -60, -58, -56, -54, -52, -50, -48, -46, -44, -42, -40, -38, -36, -34, -32, -30, -28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127]> : tensor<256xi8>}>
// CHECK-NEXT:    %[[Y:.*]] = tosa.table %[[X]], %[[T]] : (tensor<2x8xi8>, tensor<256xi8>) -> tensor<2x8xi8>
// CHECK-NEXT:    return %[[Y]]
func.func @round_trip(%x: tensor<2x8xi8>) -> tensor<2x8xi8> {
  %two = "tosa.const"() <{values = dense<2.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %half = "tosa.const"() <{values = dense<0.5> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.cast %x : (tensor<2x8xi8>) -> tensor<2x8xf32>
  %1 = tosa.mul %0, %two, %shift : (tensor<2x8xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<2x8xf32>
  %2 = tosa.add %1, %half : (tensor<2x8xf32>, tensor<1x1xf32>) -> tensor<2x8xf32>
  %3 = tosa.cast %2 : (tensor<2x8xf32>) -> tensor<2x8xi8>
  return %3 : tensor<2x8xi8>
}

// -----

// Two round trips with a table between them (a GELU between two QDQ pairs):
// one table from the first int8 tensor.
// CHECK-LABEL: func.func @through_a_table
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi8>)
// CHECK:         %[[Y:.*]] = tosa.table %[[X]], %{{.*}} : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
// CHECK-NEXT:    return %[[Y]]
func.func @through_a_table(%x: tensor<4xi8>) -> tensor<4xi8> {
  %s = "tosa.const"() <{values = dense<0.25> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<3.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %table = "tosa.const"() <{values = dense<[-128, -121, -114, -107, -100, -93, -86, -79, -72, -65, -58, -51, -44, -37, -30, -23, -16, -9, -2, 5, 12, 19, 26, 33, 40, 47, 54, 61, 68, 75, 82, 89, 96, 103, 110, 117, 124, -125, -118, -111, -104, -97, -90, -83, -76, -69, -62, -55, -48, -41, -34, -27, -20, -13, -6, 1, 8, 15, 22, 29, 36, 43, 50, 57, 64, 71, 78, 85, 92, 99, 106, 113, 120, 127, -122, -115, -108, -101, -94, -87, -80, -73, -66, -59, -52, -45, -38, -31, -24, -17, -10, -3, 4, 11, 18, 25, 32, 39, 46, 53, 60, 67, 74, 81, 88, 95, 102, 109, 116, 123, -126, -119, -112, -105, -98, -91, -84, -77, -70, -63, -56, -49, -42, -35, -28, -21, -14, -7, 0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98, 105, 112, 119, 126, -123, -116, -109, -102, -95, -88, -81, -74, -67, -60, -53, -46, -39, -32, -25, -18, -11, -4, 3, 10, 17, 24, 31, 38, 45, 52, 59, 66, 73, 80, 87, 94, 101, 108, 115, 122, -127, -120, -113, -106, -99, -92, -85, -78, -71, -64, -57, -50, -43, -36, -29, -22, -15, -8, -1, 6, 13, 20, 27, 34, 41, 48, 55, 62, 69, 76, 83, 90, 97, 104, 111, 118, 125, -124, -117, -110, -103, -96, -89, -82, -75, -68, -61, -54, -47, -40, -33, -26, -19, -12, -5, 2, 9, 16, 23, 30, 37, 44, 51, 58, 65, 72, 79, 86, 93, 100, 107, 114, 121]> : tensor<256xi8>}> : () -> tensor<256xi8>
  %0 = tosa.cast %x : (tensor<4xi8>) -> tensor<4xf32>
  %1 = tosa.sub %0, %zp : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %2 = tosa.mul %1, %s, %shift : (tensor<4xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<4xf32>
  %3 = tosa.cast %2 : (tensor<4xf32>) -> tensor<4xi8>
  %4 = tosa.table %3, %table : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
  %5 = tosa.cast %4 : (tensor<4xi8>) -> tensor<4xf32>
  %6 = tosa.maximum %5, %zp : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %7 = tosa.cast %6 : (tensor<4xf32>) -> tensor<4xi8>
  return %7 : tensor<4xi8>
}

// -----

// An intermediate read elsewhere stays: only the chain after it is folded
// (from the int8 tensor %2, read twice, the clamp and cast are not worth a
// table: a lone integer clamp stays as well).
// CHECK-LABEL: func.func @shared_intermediate
// CHECK:         tosa.cast %{{.*}} : (tensor<4xf32>) -> tensor<4xi8>
// CHECK:         tosa.clamp
// CHECK-NOT:     tosa.table
func.func @shared_intermediate(%x: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xi8>) {
  %s = "tosa.const"() <{values = dense<0.25> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.cast %x : (tensor<4xi8>) -> tensor<4xf32>
  %1 = tosa.mul %0, %s, %shift : (tensor<4xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<4xf32>
  %2 = tosa.cast %1 : (tensor<4xf32>) -> tensor<4xi8>
  %3 = tosa.clamp %2 {max_val = 100 : i8, min_val = -100 : i8} : (tensor<4xi8>) -> tensor<4xi8>
  return %1, %3 : tensor<4xf32>, tensor<4xi8>
}

// -----

// Per-channel constants (not one value for every element) and functions the
// generated code approximates (exp) are not evaluated here: no table.
// CHECK-LABEL: func.func @not_foldable
// CHECK-NOT:     tosa.table
// CHECK:         tosa.exp
func.func @not_foldable(%x: tensor<1x4xi8>) -> (tensor<1x4xi8>, tensor<1x4xi8>) {
  %s = "tosa.const"() <{values = dense<[[0.25, 0.5, 1.0, 2.0]]> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.cast %x : (tensor<1x4xi8>) -> tensor<1x4xf32>
  %1 = tosa.mul %0, %s, %shift : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1xi8>) -> tensor<1x4xf32>
  %2 = tosa.cast %1 : (tensor<1x4xf32>) -> tensor<1x4xi8>
  %3 = tosa.cast %x : (tensor<1x4xi8>) -> tensor<1x4xf32>
  %4 = tosa.exp %3 : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %5 = tosa.cast %4 : (tensor<1x4xf32>) -> tensor<1x4xi8>
  return %2, %5 : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// A table given at run time (an argument) ends the chain: the round trip
// after it becomes a table of its result (this crashed while the run-time
// table was taken for a constant).
// CHECK-LABEL: func.func @table_at_run_time
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi8>, %[[T:.*]]: tensor<256xi8>)
// CHECK:         %[[LOOKED_UP:.*]] = tosa.table %[[X]], %[[T]]
// CHECK:         %[[Y:.*]] = tosa.table %[[LOOKED_UP]], %{{.*}} : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
// CHECK-NEXT:    return %[[Y]]
func.func @table_at_run_time(%x: tensor<4xi8>, %t: tensor<256xi8>) -> tensor<4xi8> {
  %s = "tosa.const"() <{values = dense<0.5> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.table %x, %t : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
  %1 = tosa.cast %0 : (tensor<4xi8>) -> tensor<4xf32>
  %2 = tosa.mul %1, %s, %shift : (tensor<4xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<4xf32>
  %3 = tosa.cast %2 : (tensor<4xf32>) -> tensor<4xi8>
  return %3 : tensor<4xi8>
}

// -----

// The same table read after a round trip: the chain stops at the table, the
// round trip before it is folded (one table of the dequantized, scaled and
// requantized value), the run-time table stays.
// CHECK-LABEL: func.func @round_trip_before_table_at_run_time
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi8>, %[[T:.*]]: tensor<256xi8>)
// CHECK:         %[[FOLDED:.*]] = tosa.table %[[X]], %{{.*}} : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
// CHECK-NEXT:    %[[Y:.*]] = tosa.table %[[FOLDED]], %[[T]]
// CHECK-NEXT:    return %[[Y]]
func.func @round_trip_before_table_at_run_time(%x: tensor<4xi8>, %t: tensor<256xi8>) -> tensor<4xi8> {
  %s = "tosa.const"() <{values = dense<0.5> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.cast %x : (tensor<4xi8>) -> tensor<4xf32>
  %1 = tosa.mul %0, %s, %shift : (tensor<4xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<4xf32>
  %2 = tosa.cast %1 : (tensor<4xf32>) -> tensor<4xi8>
  %3 = tosa.table %2, %t : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
  return %3 : tensor<4xi8>
}

// -----

// ONNX's round trip (dequantized, scaled, QuantizeLinear): the quotient by
// the pex.divisor, not the product by its reciprocal (they part at q = -55,
// -15, 15, 55), converted to int16, and the exact rescale adding the zero
// point.
// CHECK-LABEL: func.func @divided_round_trip
// CHECK-SAME:    (%[[X:.*]]: tensor<8xi8>)
// CHECK:         %[[T:.*]] = "tosa.const"() <{values = dense<[-128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -126, -125, -124, -122, -121, -120, -119, -117, -116, -115, -113, -112, -111, -109, -108, -107, -106, -104, -103, -102, -100, -99, -98, -97, -95, -94, -93, -91, -90, -89, -87, -86, -85, -83, -82, -81, -80, -78, -77, -76, -74, -73, -72, -70, -69, -68, -67, -65, -64, -63, -61, -60, -59, -57, -56, -55, -54, -52, -51, -50, -48, -47, -46, -44, -43, -42, -41, -39, -38, -37, -35, -34, -33, -31, -30, -29, -28, -26, -25, -24, -22, -21, -20, -18, -17, -16, -15, -13, -12, -11, -9, -8, -7, -5, -4, -3, -2, 0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 20, 22, 23, 24, 26, 27, 28, 30, 31, 32, 33, 35, 36, 37, 39, 40, 41, 43, 44, 45, 46, 48, 49, 50, 52, 53, 54, 56, 57, 58, 59, 61, 62, 63, 65, 66, 67, 69, 70, 71, 72, 74, 75, 76, 78, 79, 80, 82, 83, 84, 85, 87, 88, 89, 91, 92, 93, 95, 96, 97, 99, 100, 101, 102, 104, 105, 106, 108, 109, 110, 111, 113, 114, 115, 117, 118, 119, 121, 122, 123, 124, 126, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127]> : tensor<256xi8>}>
// CHECK-NEXT:    %[[Y:.*]] = tosa.table %[[X]], %[[T]] : (tensor<8xi8>, tensor<256xi8>) -> tensor<8xi8>
// CHECK-NEXT:    return %[[Y]]
func.func @divided_round_trip(%x: tensor<8xi8>) -> tensor<8xi8> {
  %scale = "tosa.const"() <{values = dense<0.13> : tensor<1xf32>}> : () -> tensor<1xf32>
  %inverse = "tosa.const"() <{values = dense<10.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
  %ozp = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.cast %x : (tensor<8xi8>) -> tensor<8xf32>
  %1 = tosa.mul %0, %scale, %shift : (tensor<8xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<8xf32>
  %2 = tosa.mul %1, %inverse, %shift {pex.divisor = 0.1 : f32} : (tensor<8xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<8xf32>
  %3 = tosa.cast %2 : (tensor<8xf32>) -> tensor<8xi16>
  %4 = tosa.rescale %3, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<8xi16>, tensor<1xi32>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<8xi8>
  return %4 : tensor<8xi8>
}

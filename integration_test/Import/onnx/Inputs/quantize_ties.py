"""Writes PREFIX.onnx (a float input quantised by QuantizeLinear, scale 0.02 and an odd
uint8 zero point, returned as uint8) and PREFIX.in: values whose quotient by the scale is
a half-integer in float32, and the next float32 above each."""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

COUNT, SCALE, ZERO_POINT = 200, np.float32(0.02), 37


def main(prefix: str) -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2 * COUNT])
    y = helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 2 * COUNT])
    parameters = [numpy_helper.from_array(np.array(SCALE, np.float32), "s"),
                  numpy_helper.from_array(np.array(ZERO_POINT, np.uint8), "z")]
    graph = helper.make_graph([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])],
                              "quantize_ties", [x], [y], parameters)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              prefix + ".onnx")
    halves = np.arange(-COUNT // 2, COUNT // 2) + 0.5
    ties = (halves * SCALE).astype(np.float32)
    ties = ties[ties / SCALE == halves.astype(np.float32)]  # float32 quotient: a half
    above = np.nextafter(ties, np.float32(np.inf))
    np.concatenate([ties, above, np.zeros(2 * COUNT - 2 * ties.size)]).astype(
        np.float32).tofile(prefix + ".in")


if __name__ == "__main__":
    main(sys.argv[1])

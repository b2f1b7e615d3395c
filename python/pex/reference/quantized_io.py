"""python3 -m pex.reference.quantized_io {float-input,check} ...: checks `--quantized-io`
builds against the model's float interface.

- `float-input MODEL INT8.in -o FLOAT.in`: the float input whose quantisation by the
  model is INT8.in: (q - zero point) * scale, in float32.
- `check MODEL INT.out FLOAT.out`: the quantised output of a `--quantized-io` build
  against the float output of the default build of the same model on FLOAT.in: the float
  values are the quantised ones dequantised, so quantising them again must give the same
  integers. Prints `identical` or `DIFFERENT (...)` and exits 1 unless they agree.

The parameters are those `pex.importers.load_graph(..., quantized_io=True)` puts on the
interface, as the C header shows them.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES
from pex.importers import load_graph


def _interface(model: str):
    graph = load_graph(model, quantized_io=True)
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise ModelError("one input and one output expected")
    return graph.inputs[0], graph.outputs[0]


def float_input(model: str, quantized: bytes) -> bytes:
    x, _ = _interface(model)
    q = np.frombuffer(quantized, NUMPY_TYPES[x.dtype]).astype(np.float32)
    return ((q - np.float32(x.zero_point())) * np.float32(x.scale())).astype(np.float32) \
        .tobytes()


def check(model: str, quantized: bytes, floats: bytes) -> tuple[bool, str]:
    _, y = _interface(model)
    actual = np.frombuffer(quantized, NUMPY_TYPES[y.dtype]).astype(np.int64)
    values = np.frombuffer(floats, np.float32).astype(np.float64)
    if actual.size != values.size:
        return False, f"DIFFERENT sizes ({actual.size} and {values.size} elements)"
    requantized = np.rint(values / y.scale()).astype(np.int64) + y.zero_point()
    moved = int(np.count_nonzero(actual != requantized))
    return (True, "identical") if moved == 0 else \
        (False, f"DIFFERENT ({moved} of {actual.size} values)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-quantized-io", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    to_float = commands.add_parser("float-input")
    to_float.add_argument("model")
    to_float.add_argument("input")
    to_float.add_argument("-o", "--output", required=True)
    compare = commands.add_parser("check")
    compare.add_argument("model")
    compare.add_argument("quantized")
    compare.add_argument("floats")
    args = parser.parse_args(argv)
    try:
        if args.command == "float-input":
            with open(args.input, "rb") as file:
                data = float_input(args.model, file.read())
            with open(args.output, "wb") as file:
                file.write(data)
            return 0
        with open(args.quantized, "rb") as a, open(args.floats, "rb") as b:
            ok, message = check(args.model, a.read(), b.read())
    except (ModelError, OSError, ValueError) as error:
        print(f"pex-quantized-io: error: {args.model}: {error}", file=sys.stderr)
        return 1
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

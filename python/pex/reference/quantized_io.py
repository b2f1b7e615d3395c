"""python3 -m pex.reference.quantized_io {float-input,check} ...: checks `--quantized-io`
builds against the model's float interface.

- `float-input MODEL INT8.in -o FLOAT.in`: the float input whose quantisation by the
  model is INT8.in: (q - zero point) * scale, in float32.
- `check MODEL INT.out FLOAT.out`: the quantised output of a `--quantized-io` build
  against the float output of the default build of the same model on FLOAT.in: the float
  values are the quantised ones dequantised, so quantising them again must give the same
  integers. Prints `identical` or `DIFFERENT (...)` and exits 1 unless they agree.

Files hold the tensors one after another, batch after batch, as pexc's `--run` reads
and writes them; a tensor that is not float in the default build is copied (input) or
compared byte for byte (output).

The parameters are those `pex.importers.load_graph(..., quantized_io=True)` puts on the
interface, as the C header shows them.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from pex.errors import ModelError
from pex.importers import load_graph


def _interfaces(model: str) -> tuple[list, list, list, list]:
    """The inputs and outputs of the `--quantized-io` build, and which of them stand for a
    float tensor of the default build (the others cross both builds unchanged)."""
    default = load_graph(model)
    quantized = load_graph(model, quantized_io=True)
    was_float = lambda tensors: [t.dtype == "f32" for t in tensors]  # noqa: E731
    return (quantized.inputs, was_float(default.inputs), quantized.outputs,
            was_float(default.outputs))


def _split(data: bytes, tensors, itemsizes: list[int], what: str) -> list[list[bytes]]:
    """`data` cut into batches of the tensors one after another (the harness's layout)."""
    sizes = [t.num_elements * size for t, size in zip(tensors, itemsizes)]
    batch = sum(sizes)
    if batch == 0 or len(data) % batch:
        raise ModelError(f"{what} holds {len(data)} bytes, not a whole number of batches "
                         f"of {batch}")
    batches = []
    for start in range(0, len(data), batch):
        parts, offset = [], start
        for size in sizes:
            parts.append(data[offset:offset + size])
            offset += size
        batches.append(parts)
    return batches


def _itemsize(tensor) -> int:
    return np.dtype(tensor.numpy_type).itemsize


def float_input(model: str, quantized: bytes) -> bytes:
    inputs, was_float, _, _ = _interfaces(model)
    out = bytearray()
    for batch in _split(quantized, inputs, [_itemsize(x) for x in inputs], "the input"):
        for x, converted, data in zip(inputs, was_float, batch):
            if not converted:
                out += data
                continue
            q = np.frombuffer(data, x.numpy_type).astype(np.float32)
            out += ((q - np.float32(x.zero_point())) * np.float32(x.scale())) \
                .astype(np.float32).tobytes()
    return bytes(out)


def check(model: str, quantized: bytes, floats: bytes) -> tuple[bool, str]:
    _, _, outputs, was_float = _interfaces(model)
    default_sizes = [4 if converted else _itemsize(y) for y, converted in zip(outputs, was_float)]
    try:
        actual = _split(quantized, outputs, [_itemsize(y) for y in outputs], "the output")
        expected = _split(floats, outputs, default_sizes, "the float output")
    except ModelError as error:
        return False, f"DIFFERENT sizes ({error})"
    if len(actual) != len(expected):
        return False, f"DIFFERENT sizes ({len(actual)} and {len(expected)} batches)"
    moved = total = 0
    for got_batch, want_batch in zip(actual, expected):
        for y, converted, got, want in zip(outputs, was_float, got_batch, want_batch):
            values = np.frombuffer(got, y.numpy_type).astype(np.int64)
            total += values.size
            if not converted:
                moved += int(np.count_nonzero(
                    values != np.frombuffer(want, y.numpy_type).astype(np.int64)))
                continue
            reals = np.frombuffer(want, np.float32).astype(np.float64)
            requantized = np.rint(reals / y.scale()).astype(np.int64) + y.zero_point()
            moved += int(np.count_nonzero(values != requantized))
    return (True, "identical") if moved == 0 else \
        (False, f"DIFFERENT ({moved} of {total} values)")


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

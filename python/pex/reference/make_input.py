"""python3 -m pex.reference.make_input MODEL -o FILE [--count K] [--quantized-io]
[--state INPUT=OUTPUT ...]: the
reference input bytes of a model (.tflite, .onnx or TOSA .mlir), as raw bytes for `pexc
--run` (several inputs: each one's, one after another). With --count K, K inputs back to
back (K runs, e.g. of a model that keeps state between runs): input k is the reference
input with its elements rotated by k places. With --quantized-io or --state, the input of
`pexc` with the same options."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from pex.errors import ModelError
from pex.importers import import_model
from pex.importers.quantized_interface import add_quantized_io_argument
from pex.importers.state_interface import add_state_argument, parse_states
from pex.reference.inputs import reference_input
from pex.reference.mlir_runner import public_function


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-make-input", description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--count", type=int, default=1, help="inputs back to back")
    add_quantized_io_argument(parser)
    add_state_argument(parser)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    try:
        if args.model.endswith(".mlir"):
            with open(args.model) as f:
                text = f.read()
        else:
            text = import_model(args.model, quantized_io=args.quantized_io,
                                states=parse_states(args.state))
        firsts = [reference_input(tensor.shape, tensor.dtype).reshape(-1)
                  for tensor in public_function(text).arguments]
        with open(args.output, "wb") as f:
            for k in range(args.count):
                for first in firsts:  # several inputs: one after another
                    f.write(np.roll(first, -k).tobytes())
    except (ModelError, OSError, ValueError) as error:
        print(f"pex-make-input: error: {args.model}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

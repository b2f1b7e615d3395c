"""python3 -m pex.reference.make_input MODEL -o FILE: the reference input bytes
of a model (.tflite, .onnx or TOSA .mlir), as raw bytes for `pexc --run`."""

from __future__ import annotations

import argparse
import sys

from pex.errors import ModelError
from pex.importers import import_model
from pex.reference.inputs import reference_input
from pex.reference.mlir_runner import public_function


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-make-input", description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    try:
        if args.model.endswith(".mlir"):
            with open(args.model) as f:
                text = f.read()
        else:
            text = import_model(args.model)
        (tensor,) = public_function(text).arguments
        reference_input(tensor.shape, tensor.dtype).tofile(args.output)
    except (ModelError, OSError, ValueError) as error:
        print(f"pex-make-input: error: {args.model}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

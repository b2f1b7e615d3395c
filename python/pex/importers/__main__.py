"""pex-import MODEL [-o OUT.mlir] [--input-shape=[NAME:]DIMS ...] [--quantized-io]
[--state=INPUT=OUTPUT ...]: prints a model as TOSA MLIR.

stdout carries only MLIR; any failure is one line on stderr,
`pex-import: error: MODEL: message`, and exit status 1. Decisions the importer takes on
its own (a dynamic batch dimension fixed to 1) are notes on stderr when it succeeds.
"""

from __future__ import annotations

import argparse
import sys

from pex.errors import ModelError
from pex.importers import import_model
from pex.importers.input_shapes import add_input_shape_argument, parse_input_shapes
from pex.importers.quantized_interface import add_quantized_io_argument
from pex.importers.state_interface import add_state_argument, parse_states

PROGRAM = "pex-import"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".tflite or .onnx file")
    parser.add_argument("-o", "--output", help="write the MLIR here instead of stdout")
    add_input_shape_argument(parser)
    add_quantized_io_argument(parser)
    add_state_argument(parser)
    args = parser.parse_args(argv)
    notes: list[str] = []
    try:
        mlir = import_model(args.model, parse_input_shapes(args.input_shape), notes,
                            args.quantized_io, parse_states(args.state))
        error_line = None
    except ModelError as error:
        error_line = str(error)
    except Exception as error:  # a bug or an unforeseen malformed input: still one line
        error_line = f"internal error: {type(error).__name__}: {error}"
    if error_line is not None:  # one line: notes about a model that failed are moot
        # Names from a corrupt file may hold newlines and control bytes: shown escaped.
        error_line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in error_line)
        print(f"{PROGRAM}: error: {args.model}: {error_line}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"{PROGRAM}: note: {args.model}: {note}", file=sys.stderr)
    if args.output:
        with open(args.output, "w") as out:
            out.write(mlir)
    else:
        sys.stdout.write(mlir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""pex-import MODEL [-o OUT.mlir]: prints a model as TOSA MLIR.

stdout carries only MLIR; any failure is one line on stderr,
`pex-import: error: MODEL: message`, and exit status 1.
"""

from __future__ import annotations

import argparse
import sys

from pex.errors import ModelError
from pex.importers import import_model

PROGRAM = "pex-import"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".tflite or .onnx file")
    parser.add_argument("-o", "--output", help="write the MLIR here instead of stdout")
    args = parser.parse_args(argv)
    try:
        mlir = import_model(args.model)
    except ModelError as error:
        print(f"{PROGRAM}: error: {args.model}: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug or an unforeseen malformed input: still one line
        print(f"{PROGRAM}: error: {args.model}: internal error: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "w") as out:
            out.write(mlir)
    else:
        sys.stdout.write(mlir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

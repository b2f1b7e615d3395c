"""python3 -m pex.testmodels NAME -o OUT | --list: writes one test model (.tflite or .onnx)."""

from __future__ import annotations

import argparse
import sys

from pex.testmodels import (GRAPHS, MALFORMED, SHAPE_ARITHMETIC, STYLED, onnx_models,
                            tflite_conv_stack, tflite_model, tflite_operators, tflite_recurrent)


def main(argv: list[str] | None = None) -> int:
    names = (sorted(GRAPHS) + sorted(STYLED) + sorted(SHAPE_ARITHMETIC) + sorted(MALFORMED)
             + sorted(onnx_models.MODELS) + sorted(tflite_operators.MODELS)
             + sorted(tflite_operators.REFUSED) + sorted(tflite_recurrent.MODELS)
             + sorted(tflite_recurrent.REFUSED) + sorted(tflite_conv_stack.MODELS))
    # Models written whole by their own function (not through a pex.graph.Graph).
    writers = {**onnx_models.MODELS, **tflite_operators.MODELS, **tflite_operators.REFUSED,
               **tflite_recurrent.MODELS, **tflite_recurrent.REFUSED,
               **tflite_conv_stack.MODELS}
    parser = argparse.ArgumentParser(prog="pex-testmodels", description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", choices=names, metavar="NAME")
    parser.add_argument("-o", "--output", help="file to write")
    parser.add_argument("--list", action="store_true", help="print the model names")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        print("\n".join(names))
        return 0
    if not args.output:
        parser.error("-o is required")
    with open(args.output, "wb") as file:
        make = writers.get(args.name)
        file.write(make() if make else tflite_model(args.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())

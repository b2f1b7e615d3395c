"""python3 -m pex.ideal MODEL [--input-shape=[NAME:]DIMS ...] [--quantized-io] [--json]
[--steps] [--beam N]: the ideal peaks of a .tflite or .onnx model, without and with
channel-split partial execution, and their peak steps."""

from __future__ import annotations

import argparse
import json
import sys

from pex.errors import ModelError
from pex.ideal import DEFAULT_BEAM, compute_ideals
from pex.ideal.report import format_text, to_json
from pex.importers import load_graph
from pex.importers.input_shapes import add_input_shape_argument, parse_input_shapes
from pex.importers.quantized_interface import add_quantized_io_argument


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-ideal", description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".tflite or .onnx file")
    add_input_shape_argument(parser)
    add_quantized_io_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--steps", action="store_true",
                        help="also print every step of the channel-split schedule")
    parser.add_argument("--beam", type=int, default=DEFAULT_BEAM,
                        help="sets of executed operators kept per size before the search "
                             f"is no longer exact (default {DEFAULT_BEAM})")
    args = parser.parse_args(argv)
    try:
        ideals = compute_ideals(
            load_graph(args.model, parse_input_shapes(args.input_shape),
                       quantized_io=args.quantized_io), args.beam)
    except ModelError as error:
        print(f"pex-ideal: error: {args.model}: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_json(ideals, args.steps), indent=2))
    else:
        print(format_text(ideals, args.steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())

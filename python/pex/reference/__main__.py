"""python3 -m pex.reference [--models DIR] [MODEL ...] [--file F.tflite ...]: the reference
check as a table.

MODEL names a real model of the models folder; --file adds any other .tflite. Exits 1
when a model's top-1 class differs from Arm NN's or its output bytes differ from
TFLite Micro's.
"""

from __future__ import annotations

import argparse
import os
import sys

from pex.reference.check import MODELS, check_model, format_table

DEFAULT_MODELS_DIR = os.path.join(os.path.dirname(__file__), *[os.pardir] * 4, "shared", "models")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-reference", description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=os.path.normpath(DEFAULT_MODELS_DIR),
                        help="folder holding mlperf-tiny/ and tflite-micro/")
    parser.add_argument("names", nargs="*", choices=[[]] + list(MODELS), metavar="MODEL",
                        help=f"any of {', '.join(MODELS)} (default: all)")
    parser.add_argument("--file", action="append", default=[], help="another .tflite to check")
    args = parser.parse_args(argv)
    names = args.names or ([] if args.file else list(MODELS))
    paths = [os.path.join(args.models, MODELS[name]) for name in names] + args.file
    reports = [check_model(path) for path in paths]
    print(format_table(reports))
    return 0 if all(r.passed for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())

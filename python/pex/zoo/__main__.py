"""python3 -m pex.zoo ARCH [--width W] [--resolution R] [--dtype int8|f32] [--seed S]
[-o OUT.mlir] | --list: prints a generated network as TOSA MLIR."""

from __future__ import annotations

import argparse
import sys

from pex.tosa import emit_module
from pex.zoo import ARCHITECTURES, zoo_graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-zoo", description=__doc__.splitlines()[0])
    parser.add_argument("arch", nargs="?", choices=sorted(ARCHITECTURES), metavar="ARCH")
    parser.add_argument("--list", action="store_true", help="print the architectures")
    parser.add_argument("--width", type=float, help="channel multiplier (MobileNets, MCUNet)")
    parser.add_argument("--resolution", type=int, help="input height and width (image nets)")
    parser.add_argument("--classes", type=int, help="number of output classes")
    parser.add_argument("--kernel", type=int, choices=(3, 5, 7), default=3, help="MCUNet kernel")
    parser.add_argument("--expansion", type=int, choices=(3, 4, 6), default=6,
                        help="MCUNet expansion ratio")
    parser.add_argument("--dtype", choices=("int8", "f32"), default="int8")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", help="write the MLIR here instead of stdout")
    args = parser.parse_args(argv)
    if args.list or not args.arch:
        print("\n".join(sorted(ARCHITECTURES)))
        return 0
    options = {"kernel": args.kernel, "expansion": args.expansion} if args.arch == "mcunet" else {}
    graph = zoo_graph(args.arch, args.width, args.resolution, args.dtype, args.seed,
                      classes=args.classes, **options)
    mlir = emit_module(graph)
    if args.output:
        with open(args.output, "w") as out:
            out.write(mlir)
    else:
        sys.stdout.write(mlir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

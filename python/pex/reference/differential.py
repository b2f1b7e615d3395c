"""python3 -m pex.reference.differential MODEL [--pexc-arg ARG ...]: runs a model
compiled by pexc on the host and the same TOSA lowered by upstream MLIR passes
(mlir-runner) on the reference input, and compares the output bytes.

Integer outputs must be identical; float outputs may differ by --rtol (relative to
the largest magnitude of the reference output), because Pex approximates exp/tanh
with polynomials where upstream calls libm. Prints one line:
  identical | within tolerance (max abs diff D) | DIFFERENT (max abs diff D)
and exits 1 unless the outputs agree."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from pex.importers import import_model
from pex.reference.compare_outputs import compare
from pex.reference.inputs import reference_input
from pex.reference.mlir_runner import public_function, run as run_upstream


def pack_inputs(mlir: str) -> str:
    """A model with several inputs of one element type, rewritten to take them
    concatenated and flattened in one input (pexc's C entry point takes one):
    each original argument becomes a tosa.slice and tosa.reshape of it."""
    signature = public_function(mlir)
    if len(signature.arguments) == 1:
        return mlir
    dtypes = {argument.dtype for argument in signature.arguments}
    if len(dtypes) != 1:
        raise ValueError("inputs of different element types cannot be packed")
    (dtype,) = dtypes
    sizes = [int(np.prod(argument.shape)) for argument in signature.arguments]
    packed = f"tensor<{sum(sizes)}x{dtype}>"
    header = re.compile(r"(func\.func @" + re.escape(signature.name) + r")\((.*?)\)( -> )")
    match = header.search(mlir)
    names = re.findall(r"(%[\w]+): tensor<", match.group(2))
    lines, offset = [], 0
    for name, argument, size in zip(names, signature.arguments, sizes):
        flat, shape = f"tensor<{size}x{dtype}>", argument.type
        dims = ", ".join(str(d) for d in argument.shape)
        lines += [
            f"    {name}_start = tosa.const_shape {{values = dense<[{offset}]> : tensor<1xindex>}} : () -> !tosa.shape<1>",
            f"    {name}_size = tosa.const_shape {{values = dense<[{size}]> : tensor<1xindex>}} : () -> !tosa.shape<1>",
            f"    {name}_flat = tosa.slice %packed, {name}_start, {name}_size : ({packed}, !tosa.shape<1>, !tosa.shape<1>) -> {flat}",
            f"    {name}_shape = tosa.const_shape {{values = dense<[{dims}]> : tensor<{len(argument.shape)}xindex>}} : () -> !tosa.shape<{len(argument.shape)}>",
            f"    {name} = tosa.reshape {name}_flat, {name}_shape : ({flat}, !tosa.shape<{len(argument.shape)}>) -> {shape}",
        ]
        offset += size
    start = match.end()
    body = mlir.index("\n", start)  # the signature line ends with the body's "{"
    return (mlir[:match.start()] + f"{match.group(1)}(%packed: {packed}){match.group(3)}"
            + mlir[start:body] + "\n" + "\n".join(lines) + mlir[body:])


def run_pexc(pexc: str, mlir: str, input_bytes: bytes, extra: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        model, inp, out = (os.path.join(work, n) for n in ("model.mlir", "in.bin", "out.bin"))
        with open(model, "w") as f:
            f.write(mlir)
        with open(inp, "wb") as f:
            f.write(input_bytes)
        subprocess.run([pexc, model, "--target=host", "-q", "-o", os.path.join(work, "m.o"),
                        f"--run={inp}", f"--output={out}", *extra], check=True)
        with open(out, "rb") as f:
            return f.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-differential", description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--pexc", default=os.path.join(os.environ.get("PEX_BIN_DIR", ""), "pexc"))
    parser.add_argument("--pexc-arg", action="append", default=[], help="extra pexc option")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args(argv)

    mlir = open(args.model).read() if args.model.endswith(".mlir") else import_model(args.model)
    mlir = pack_inputs(mlir)
    signature = public_function(mlir)
    (argument,) = signature.arguments
    (result,) = signature.results
    input_bytes = reference_input(argument.shape, argument.dtype).tobytes()
    try:
        ours = run_pexc(args.pexc, mlir, input_bytes, args.pexc_arg)
    except subprocess.CalledProcessError as error:
        print(f"pex-differential: error: pexc failed with exit code {error.returncode}")
        return 1
    reference = run_upstream(mlir, input_bytes)
    ok, message = compare(ours, reference, result.dtype, args.rtol)
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

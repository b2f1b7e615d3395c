"""python3 -m pex.reference.operator_check NAME ... [--target T | --mlir-runner]
[--armnn NAME ...]: the operator models of `pex.testmodels.tflite_operators` and
`tflite_recurrent` (and the conv stack of `tflite_conv_stack`, the graphs and shape-arithmetic
models of `pex.testmodels`; several inputs are read from one file, concatenated in order)
compiled by pexc, run on the reference input and compared with TFLite Micro's arithmetic
(`pex.reference.tflm_interpreter`).

Integer outputs must be identical; float outputs may differ by 1e-4 of the reference's
largest magnitude (pexc approximates exp and log with polynomials). A target other than
the host also reports whether its bytes equal the host's. --mlir-runner runs the imported
TOSA lowered by upstream MLIR instead (host): an executor independent of pexc. Models named by --armnn also run on Arm NN (CpuRef), compared
with the same reference: Arm NN computes int8 in float, so 1 LSB is possible there.
Prints a table; exits 1 when the executor disagrees with the reference (or a target with
the host).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES
from pex.importers.tflite import read_tflite
from pex.reference import armnn, mlir_runner, tflm_interpreter
from pex.reference.compare_outputs import compare_values
from pex.reference.inputs import reference_input
from pex.testmodels import (GRAPHS, SHAPE_ARITHMETIC, STYLED, tflite_conv_stack,
                            tflite_model, tflite_operators, tflite_recurrent)
from pex.tosa import emit_module

# The importer tests' graphs (pex.testmodels: the older builtins, e.g. ADD, CONV_2D, RELU)
# are one-operator models too, and its shape-arithmetic models one RESHAPE each.
MODELS = {**{name: (lambda name=name: tflite_model(name))
             for name in [*GRAPHS, *STYLED, *SHAPE_ARITHMETIC]},
          **tflite_operators.MODELS, **tflite_recurrent.MODELS, **tflite_conv_stack.MODELS}
FLOAT_RTOL = 1e-4
PEX_BIN = os.environ.get("PEX_BIN_DIR", str(Path(__file__).resolve().parents[3] / "build" / "bin"))


def _difference(actual: np.ndarray, reference: np.ndarray) -> tuple[bool, str]:
    """(within tolerance, what to print): integers exact, floats within FLOAT_RTOL."""
    if np.issubdtype(reference.dtype, np.integer):
        lsb = int(np.max(np.abs(actual.astype(np.int64) - reference.astype(np.int64)),
                         initial=0))
        return lsb == 0, "equal" if lsb == 0 else f"{lsb} LSB"
    ok, message = compare_values(actual, reference, FLOAT_RTOL)
    return ok, "equal" if np.array_equal(actual, reference) else message


def _run_pexc(module: str, input_bytes: bytes, target: str, folder: str) -> bytes:
    """pexc on the imported module (the importer ran in this process already)."""
    paths = {name: os.path.join(folder, name) for name in ("m.mlir", "in", "out", "m.o")}
    Path(paths["m.mlir"]).write_text(module)
    Path(paths["in"]).write_bytes(input_bytes)
    result = subprocess.run([os.path.join(PEX_BIN, "pexc"), paths["m.mlir"],
                             f"--target={target}", f"--run={paths['in']}",
                             f"--output={paths['out']}", "-o", paths["m.o"], "--quiet"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip()
                           else f"pexc exited with {result.returncode}")
    return Path(paths["out"]).read_bytes()


def check(name: str, target: str, with_armnn: bool, upstream: bool = False) -> tuple[bool, str]:
    """(pexc agrees, the table row) for one model."""
    model = MODELS[name]()
    graph = read_tflite(model, f"{name}.tflite")
    (out,) = graph.outputs
    data = [reference_input(x.shape, x.dtype) for x in graph.inputs]
    input_bytes = b"".join(array.tobytes() for array in data)
    reference = tflm_interpreter.run(graph, data)[0].reshape(-1)
    module = emit_module(graph)
    cells = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            raw = (mlir_runner.run(module, input_bytes) if upstream
                   else _run_pexc(module, input_bytes, target, folder))
            agrees, shown = _difference(np.frombuffer(raw, NUMPY_TYPES[out.dtype]), reference)
            cells.append(shown)
            if target != "host":
                same = raw == _run_pexc(module, input_bytes, "host", folder)
                agrees = agrees and same
                cells.append("yes" if same else "NO")
        except RuntimeError as error:
            agrees = False
            cells.append(f"FAILED: {error}")
    if with_armnn:
        try:
            armnn_raw = armnn.run_tflite(model, input_bytes)
            cells.append(_difference(np.frombuffer(armnn_raw, NUMPY_TYPES[out.dtype]),
                                     reference)[1])
        except RuntimeError:
            cells.append("refused")
    else:
        cells.append("not run")
    return agrees, f"| {name} | {out.dtype} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-operator-check", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", choices=sorted(MODELS), metavar="NAME")
    parser.add_argument("--target", default="host")
    parser.add_argument("--mlir-runner", action="store_true",
                        help="run the imported TOSA with upstream MLIR instead of pexc (host)")
    parser.add_argument("--armnn", action="append", default=[], choices=sorted(MODELS),
                        metavar="NAME", help="a model Arm NN (CpuRef) also runs")
    args = parser.parse_args(argv)
    if args.mlir_runner and args.target != "host":
        parser.error("--mlir-runner runs on the host")
    executor = "mlir-runner" if args.mlir_runner else f"pexc ({args.target})"
    host_column = " bytes == host |" if args.target != "host" else ""
    print(f"| model | type | {executor} vs TFLM reference |{host_column} "
          f"Arm NN vs TFLM reference |")
    print("|---|---|---|" + ("---|" if host_column else "") + "---|")
    failures = 0
    for name in args.names:
        try:
            agrees, row = check(name, args.target, name in args.armnn, args.mlir_runner)
        except (ModelError, ValueError) as error:
            agrees, row = False, f"| {name} | - | ERROR: {error} |"
        failures += not agrees
        print(row, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""python3 -m pex.corpus.onnx_check OUT_DIR [--seed S] [--skip-big] [--only GLOB]: the ONNX
corpus (`pex.corpus.onnx_models`) through the whole tool chain, one table row per model.

Each model is imported (with its `--input-shape` arguments), its TOSA validated with
plain `mlir-opt --tosa-validate`, compiled and run with `pexc --target=host --io=arena` on
its input and compared with its reference: float outputs within the model's tolerance of
PyTorch's (or the ONNX evaluator's) output; int8 outputs as `pex.reference.onnx_check`
compares them (identical to ONNX Runtime's arithmetic, or, where its float32
requantisation and TOSA's rescale round differently by 1 at some values, equal to the
graph evaluated with TOSA's rounding). The arena is pexc's `arena_bytes` (input and output included). Exits 1 unless
every model passes every step.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from pex.corpus import CorpusModel
from pex.corpus.onnx_models import generate
from pex.errors import ModelError
from pex.importers import load_graph
from pex.importers.input_shapes import parse_input_shapes
from pex.reference.compare_outputs import compare_values
from pex.reference.mlir_runner import LLVM_BIN
from pex.tosa import emit_module

PEX_BIN = os.environ.get("PEX_BIN_DIR", str(Path(__file__).resolve().parents[3] / "build" / "bin"))


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def compare_output(model: CorpusModel, actual: bytes) -> tuple[bool, str]:
    """PyTorch's float outputs within the model's tolerance; outputs the evaluator gives
    as `pex.reference.onnx_check.judge` judges them (ONNX Runtime's int8 arithmetic, or
    TOSA's rounding where the two round differently)."""
    if model.reference == "pytorch":
        ok, message = compare_values(np.frombuffer(actual, np.float32),
                                     np.frombuffer(model.expected, np.float32),
                                     model.tolerance)
    else:
        import onnx
        from pex.reference.onnx_check import judge
        shapes = parse_input_shapes([a.split("=", 1)[1] for a in model.pexc_args
                                     if a.startswith("--input-shape=")])
        ok, message = judge(onnx.load(str(model.path)), model.input, actual, shapes,
                            model.tolerance)
    return ok, ("yes: " if ok else "NO: ") + message


def check(model: CorpusModel, folder: Path) -> dict:
    stem = folder / Path(model.path).stem
    row = {"model": model.name, "operators": "-", "imported": False, "valid": False,
           "equal": False, "result": "-", "arena_bytes": None, "error": ""}
    shapes = parse_input_shapes([a.split("=", 1)[1] for a in model.pexc_args
                                 if a.startswith("--input-shape=")])
    try:
        graph = load_graph(str(model.path), shapes)
        row["operators"] = ", ".join(sorted({op.kind for op in graph.ops}))
        Path(f"{stem}.mlir").write_text(emit_module(graph))
        row["imported"] = True
    except ModelError as error:
        row["error"] = str(error)
        return row
    validated = subprocess.run([os.path.join(LLVM_BIN, "mlir-opt"), "--allow-unregistered-dialect", "--tosa-validate",
                                f"{stem}.mlir", "-o", os.devnull], capture_output=True, text=True)
    row["valid"] = validated.returncode == 0
    Path(f"{stem}.in").write_bytes(model.input)
    compiled = subprocess.run([os.path.join(PEX_BIN, "pexc"), str(model.path), "--target=host",
                               "--io=arena", "--quiet", f"--run={stem}.in",
                               f"--output={stem}.out", f"--report-json={stem}.json",
                               "-o", f"{stem}.o", *model.pexc_args],
                              capture_output=True, text=True)
    if not row["valid"]:
        row["error"] = _last_line(validated)
    elif compiled.returncode:
        row["error"] = _last_line(compiled)
    if compiled.returncode == 0:
        row["equal"], row["result"] = compare_output(model, Path(f"{stem}.out").read_bytes())
        row["arena_bytes"] = json.loads(Path(f"{stem}.json").read_text())["arena_bytes"]
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-onnx-corpus", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the models and every run's files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-big", action="store_true",
                        help="leave out the models whose name ends in _big")
    parser.add_argument("--only", help="only the models whose name matches this glob")
    args = parser.parse_args(argv)
    models = [m for m in generate(args.out, args.seed)
              if not (args.skip_big and m.name.endswith("_big"))
              and (not args.only or fnmatch.fnmatch(m.name, args.only))]
    print("| model | operators | imported | valid TOSA | host output == reference | "
          "arena_bytes |")
    print("|---|---|---|---|---|---|")
    rows = []
    for model in models:
        row = check(model, Path(model.path).parent)
        rows.append(row)
        cells = [row["model"], row["operators"]] + [
            "yes" if row[key] else "NO" for key in ("imported", "valid")] + [row["result"]]
        arena = f"{row['arena_bytes']:,}" if row["arena_bytes"] is not None else "-"
        print("| " + " | ".join(cells + [arena]) + " |"
              + (f"  {row['error']}" if row["error"] else ""), flush=True)
    passed = all(row["imported"] and row["valid"] and row["equal"] for row in rows)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""python3 -m pex.corpus.tflite_check OUT_DIR [--seed S] [--skip-big]: the TFLite corpus
(`pex.corpus.tflite_models`) through the whole tool chain, one table row per model.

Each model is imported, its TOSA validated with plain `mlir-opt --tosa-validate`,
compiled and run with `pexc --target=host --io=arena` on its input and compared byte for
byte with TFLite Micro's output; the arena is pexc's `arena_bytes`. Exits 1 unless every
model passes every step.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from pex.corpus import CorpusModel
from pex.corpus.tflite_models import generate
from pex.errors import ModelError
from pex.importers import import_model
from pex.importers.tflite import schema
from pex.reference.mlir_runner import LLVM_BIN

PEX_BIN = os.environ.get("PEX_BIN_DIR", str(Path(__file__).resolve().parents[3] / "build" / "bin"))


def _run(command: list[str]) -> tuple[bool, str]:
    result = subprocess.run(command, capture_output=True, text=True)
    lines = result.stderr.strip().splitlines()
    return result.returncode == 0, lines[-1] if lines else ""


def check(model: CorpusModel, folder: Path) -> dict:
    stem = folder / Path(model.path).stem
    row = {"model": model.name, "operators": 0, "imported": False, "valid": False,
           "equal": False, "arena_bytes": None, "error": ""}
    try:
        row["operators"] = len(schema.Model.root(Path(model.path).read_bytes())
                               .subgraphs[0].operators)
        Path(f"{stem}.mlir").write_text(import_model(str(model.path)))
        row["imported"] = True
    except ModelError as error:
        row["error"] = str(error)
        return row
    row["valid"], message = _run([os.path.join(LLVM_BIN, "mlir-opt"), "--allow-unregistered-dialect", "--tosa-validate",
                                  f"{stem}.mlir", "-o", os.devnull])
    Path(f"{stem}.in").write_bytes(model.input)
    compiled, pexc_message = _run([os.path.join(PEX_BIN, "pexc"), str(model.path),
                                   "--target=host", "--io=arena", "--quiet",
                                   f"--run={stem}.in", f"--output={stem}.out",
                                   f"--report-json={stem}.json", "-o", f"{stem}.o",
                                   *model.pexc_args])
    row["error"] = message if not row["valid"] else "" if compiled else pexc_message
    if compiled:
        row["equal"] = Path(f"{stem}.out").read_bytes() == model.expected
        row["arena_bytes"] = json.loads(Path(f"{stem}.json").read_text())["arena_bytes"]
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-tflite-corpus", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the models and every run's files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-big", action="store_true",
                        help="leave out the models whose name ends in _big")
    args = parser.parse_args(argv)
    models = [m for m in generate(args.out, args.seed)
              if not (args.skip_big and m.name.endswith("_big"))]
    print("| model | operators | imported | valid TOSA | host output == TFLM | arena_bytes |")
    print("|---|---|---|---|---|---|")
    rows = [check(model, Path(model.path).parent) for model in models]
    for row in rows:
        cells = [row["model"], str(row["operators"])] + [
            "yes" if row[key] else "NO" for key in ("imported", "valid", "equal")]
        arena = f"{row['arena_bytes']:,}" if row["arena_bytes"] is not None else "-"
        print("| " + " | ".join(cells + [arena]) + " |"
              + (f"  {row['error']}" if row["error"] else ""))
    passed = all(row["imported"] and row["valid"] and row["equal"] for row in rows)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""python3 -m pex.corpus [--out DIR] [--seed S] [--only GLOB] [--skip-big]
[--targets host,cortex-m4] [--json FILE] [--no-generators]: runs the corpus.

Calls each generator module's generate(out_dir, seed), adds the models of the shared
models folder (named shared/<stem>), and for every model: imports it, validates the TOSA
with plain `mlir-opt --tosa-validate`, compiles and runs it with `pexc --io=arena` on the
host (compared with the reference output) and on a Cortex-M4 in QEMU (compared with the
host's bytes), and computes the independent channel-split ideal (`pex.ideal`). Prints one
table row per model, then each failure; exits 1 when any model fails its import,
validation, a comparison or `arena <= ideal + 512 B`.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pex.corpus.runner import (REPOSITORY, Tools, corpus_entry, format_table, print_failures,
                               run_entry, shared_entries, table_row)
from pex.errors import ModelError

GENERATORS = ("pex.corpus.onnx_models", "pex.corpus.tflite_models")
TARGETS = ("host", "cortex-m4")


def _models_dir() -> Path | None:
    found = subprocess.run([str(REPOSITORY / "scripts" / "models-dir.sh")],
                           capture_output=True, text=True).stdout.strip()
    return Path(found) if found else None


def _generated(out: Path, seed: int) -> tuple[list, list[str]]:
    """The generators' models, and a line for each generator that is missing or failed."""
    entries, notes = [], []
    for module_name in GENERATORS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            notes.append(f"note: {module_name}: not present, skipped")
            continue
        try:
            models = module.generate(out / "models", seed)
        except Exception as error:  # a generator's bug must not hide the other models
            notes.append(f"error: {module_name}.generate: {type(error).__name__}: {error}")
            continue
        entries.extend(corpus_entry(model) for model in models)
    return entries, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "build" / "corpus",
                        help="generated models and every run's files (default build/corpus)")
    parser.add_argument("--seed", type=int, default=0, help="the generators' seed")
    parser.add_argument("--only", help="run only the models whose name matches this glob "
                                       "(e.g. 'shared/*', 'onnx/mobilenet*')")
    parser.add_argument("--skip-big", action="store_true",
                        help="leave out models of more than 50 M multiply-accumulates or "
                             "named ..._big")
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help="comma-separated, of host and cortex-m4 (default both)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--no-generators", action="store_true",
                        help="only the shared models")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2),
                        help="models run at once (default 2)")
    parser.add_argument("--pexc", default=os.path.join(
        os.environ.get("PEX_BIN_DIR") or REPOSITORY / "build" / "bin", "pexc"))
    parser.add_argument("--mlir-opt", default="/usr/lib/llvm-22/bin/mlir-opt")
    args = parser.parse_args(argv)
    targets = [t for t in args.targets.split(",") if t]
    if not targets or any(t not in TARGETS for t in targets):
        parser.error(f"--targets: a comma-separated list of {', '.join(TARGETS)}")
    # The host run is what the Cortex-M4 bytes are compared with.
    targets.sort(key=TARGETS.index)

    entries, notes = ([], []) if args.no_generators else _generated(args.out, args.seed)
    models_dir = _models_dir()
    if models_dir:
        try:
            entries.extend(shared_entries(models_dir))
        except (ModelError, OSError) as error:
            print(f"pex-corpus: error: {models_dir}: {error}", file=sys.stderr)
            return 1
    else:
        notes.append("note: no shared models folder (scripts/models-dir.sh found none)")
    if args.only:
        entries = [e for e in entries if fnmatch.fnmatchcase(e.name, args.only)]
    for note in notes:
        print(note, file=sys.stderr)
    if not entries:
        print("pex-corpus: error: no model to run", file=sys.stderr)
        return 1

    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPOSITORY / "python"), os.environ.get("PYTHONPATH")]))
    tools = Tools(sys.executable, args.pexc, args.mlir_opt)

    def run(entry):
        row = run_entry(tools, entry, args.out / "runs" / entry.name.replace("/", "__"),
                        targets, args.skip_big)
        print(table_row(row), file=sys.stderr, flush=True)  # progress
        return row

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(run, entries))
    print(format_table(rows))
    failed = print_failures(rows)
    generator_errors = [n for n in notes if n.startswith("error:")]
    for line in generator_errors:
        print(f"FAILED {line.removeprefix('error: ')}")
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in rows], indent=2) + "\n")
    skipped = sum(bool(r.skipped) for r in rows)
    print(f"{len(rows) - failed - skipped} of {len(rows)} models passed"
          + (f", {skipped} skipped" if skipped else "")
          + (f"; {len(generator_errors)} generator(s) failed" if generator_errors else ""))
    return 1 if failed or generator_errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""python3 -m pex.fuzz: mutate real model files and import them; every run must end in a
clean one-line located error or in TOSA that pexc compiles (or refuses cleanly).

    PYTHONPATH=python /usr/bin/python3 -m pex.fuzz [--seed S] [--executions N]
        [--quiet-stop K] [--work DIR] [--models DIR | --no-shared-models] [--seeds DIR ...]
        [--pexc PATH | --no-pexc] [--case N]

Case N of seed S draws everything from random.Random(f"{S}:{N}"): the seed file, the
mutation family (bytes, flatbuffer fields or ONNX protobuf) and its values, so
`--seed S --case N` replays one case. The importer runs in a fork under --timeout and an
address-space limit (--memory-limit); its resident growth must stay under
--growth-base + --growth-per-byte x the file size. A model it imports goes through
`pexc --target=host` when its TOSA differs from every compiled one in more than constant
values. Findings are deduplicated by kind and message (numbers and names blanked); each
distinct one's file and description are saved under WORK/findings. Exit status 1 when
there are findings.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import random
import re
import shutil
import sys
from pathlib import Path

from pex.errors import ModelError
from pex.fuzz import byte_mutations, execution, onnx_mutations, seeds, tflite_mutations


def _signature(mlir: str) -> str:
    """The TOSA with constant values and locations blanked: what pexc's outcome depends
    on, apart from the numbers inside tensors."""
    text = re.sub(r"dense<[^>]*>", "dense<>", mlir)
    text = re.sub(r"loc\([^)]*\)", "", text)
    return hashlib.sha256(text.encode()).hexdigest()


def _normalized(message: str) -> str:
    message = re.sub(r"'[^']*'", "'_'", message)
    message = re.sub(r"\"[^\"]*\"", "\"_\"", message)
    return re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", message)


def _preload() -> None:
    """Imports every importer and emitter module now: a forked importer imports what its
    parent has not from the source tree as it is then, which may be mid-edit."""
    import importlib
    import pkgutil

    import pex.importers
    import pex.tosa
    for package in (pex.importers, pex.tosa):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


class Fuzzer:
    def __init__(self, args) -> None:
        _preload()
        self.args = args
        self.files = seeds.collect(args.seeds, not args.no_shared_models, args.max_seed_bytes,
                                   args.models)
        self.by_format = {ext: [f for f in self.files if f[0].endswith(ext)]
                          for ext in (".tflite", ".onnx")}
        self.fields: dict[str, list] = {}
        self.work = Path(args.work)
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "findings").mkdir(exist_ok=True)
        self.outcomes: collections.Counter = collections.Counter()
        self.families: collections.Counter = collections.Counter()
        self.findings: dict[tuple[str, str], list] = {}
        self.compiled: set[str] = set()
        self.max_growth = (0, "")

    def mutant(self, case: int) -> tuple[str, bytes, str, str]:
        """(seed name, mutated bytes, mutation family, description) of case `case`."""
        rng = random.Random(f"{self.args.seed}:{case}")
        name, data = rng.choice(self.files)
        ext = Path(name).suffix
        families = ["bytes", "splice", "tflite" if ext == ".tflite" else "onnx"]
        family = rng.choices(families, [3, 1, 6])[0]
        if family in ("tflite", "onnx") and not self._structured(name, data):
            family = "bytes"  # a seed that is already malformed has no fields to rewrite
        if family == "bytes":
            mutant, what = rng.choice(byte_mutations.MUTATIONS)(data, rng)
        elif family == "splice":
            mutant, what = byte_mutations.splice(data, rng, rng.choice(self.by_format[ext])[1])
        elif family == "tflite":
            mutant, what = tflite_mutations.mutate(data, rng, self.fields[name])
        else:
            mutant, what = onnx_mutations.mutate(data, rng)
        return name, mutant, family, what

    def _structured(self, name: str, data: bytes) -> bool:
        """Whether the seed parses, so that its structure can be mutated."""
        if name not in self.fields:
            try:
                if name.endswith(".tflite"):
                    self.fields[name] = tflite_mutations.fields(data)
                else:
                    self.fields[name] = onnx_mutations.parses(data)
            except ModelError:
                self.fields[name] = []
        return bool(self.fields[name])

    def run_case(self, case: int) -> list[execution.Outcome]:
        name, data, family, what = self.mutant(case)
        self.families[family] += 1
        case_dir = self.work / "case"
        case_dir.mkdir(exist_ok=True)
        model = case_dir / f"model{Path(name).suffix}"
        model.write_bytes(data)
        mlir = case_dir / "model.mlir"
        mlir.unlink(missing_ok=True)
        outcomes = [execution.run_importer(
            model, mlir, self.args.timeout, self.args.memory_limit,
            self.args.growth_base + self.args.growth_per_byte * len(data))]
        if outcomes[0].growth_bytes > self.max_growth[0]:
            self.max_growth = (outcomes[0].growth_bytes, f"case {case} ({name}, {len(data)} B)")
        if outcomes[0].kind == execution.OK and self.args.pexc:
            signature = _signature(mlir.read_text())
            if signature not in self.compiled:
                self.compiled.add(signature)
                outcomes.append(execution.run_pexc(self.args.pexc, mlir, self.args.pexc_timeout,
                                                   self.args.memory_limit))
        for outcome in outcomes:
            self.outcomes[outcome.kind] += 1
            if outcome.kind not in execution.NOT_FINDINGS:
                self._record(case, name, family, what, model, outcome)
        return outcomes

    def _record(self, case, name, family, what, model: Path, outcome) -> None:
        key = (outcome.kind, _normalized(outcome.message))
        seen = self.findings.setdefault(key, [])
        seen.append(case)
        if len(seen) > 1:
            return
        stem = self.work / "findings" / f"{outcome.kind}-{len(self.findings):03d}"
        shutil.copyfile(model, stem.with_suffix(model.suffix))
        stem.with_suffix(".txt").write_text(
            f"kind: {outcome.kind}\nmessage: {outcome.message}\nseed file: {name}\n"
            f"replay: python3 -m pex.fuzz --seed {self.args.seed} --case {case}\n"
            f"mutation ({family}): {what}\n")
        print(f"case {case}: {outcome.kind}: {name}: {what}\n    {outcome.message}",
              flush=True)

    def summary(self, executions: int, seconds: float) -> str:
        lines = [f"{executions} executions in {seconds:.0f} s over {len(self.files)} seed "
                 f"files; mutations: " + ", ".join(f"{k} {v}" for k, v in
                                                    sorted(self.families.items())),
                 "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())),
                 f"largest importer growth: {self.max_growth[0] >> 20} MiB, "
                 f"{self.max_growth[1]}",
                 f"distinct findings: {len(self.findings)}"]
        by_kind = collections.Counter(kind for kind, _ in self.findings)
        lines += [f"  {kind}: {count}" for kind, count in sorted(by_kind.items())]
        return "\n".join(lines)


def _default_pexc() -> str | None:
    root = Path(__file__).resolve().parents[3]
    for directory in (os.environ.get("PEX_BIN_DIR"), root / "build" / "bin"):
        if directory and (Path(directory) / "pexc").is_file():
            return str(Path(directory) / "pexc")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--executions", type=int, default=1000,
                        help="importer runs at most (default 1000)")
    parser.add_argument("--quiet-stop", type=int, default=0, metavar="K",
                        help="stop once K executions in a row found nothing new")
    parser.add_argument("--case", type=int, help="run only this case, printing its outcome")
    parser.add_argument("--work", default="/tmp/pex-fuzz", help="working and findings directory")
    parser.add_argument("--models", type=Path, default=seeds.SHARED_MODELS,
                        help="the shared real models (default %(default)s)")
    parser.add_argument("--no-shared-models", action="store_true")
    parser.add_argument("--seeds", type=Path, action="append", default=[],
                        help="another directory of .tflite/.onnx seed files")
    parser.add_argument("--max-seed-bytes", type=int, default=1 << 20)
    parser.add_argument("--pexc", default=_default_pexc(),
                        help="pexc for imported mutants (default: $PEX_BIN_DIR/pexc)")
    parser.add_argument("--no-pexc", dest="pexc", action="store_const", const=None)
    parser.add_argument("--timeout", type=float, default=30.0, help="per import, seconds")
    parser.add_argument("--pexc-timeout", type=float, default=120.0)
    parser.add_argument("--memory-limit", type=int, default=2 << 30,
                        help="address space of each run, bytes (default 2 GiB)")
    parser.add_argument("--growth-base", type=int, default=192 << 20)
    parser.add_argument("--growth-per-byte", type=int, default=64)
    args = parser.parse_args(argv)

    fuzzer = Fuzzer(args)
    if args.case is not None:
        name, _, family, what = fuzzer.mutant(args.case)
        print(f"case {args.case}: {name}: {family}: {what}")
        for outcome in fuzzer.run_case(args.case):
            print(f"  {outcome.kind}: {outcome.message} ({outcome.seconds:.2f} s)")
        return 0
    return execution.run_campaign(fuzzer, args.executions, args.quiet_stop, None,
                                  report_every=500)


if __name__ == "__main__":
    sys.exit(main())

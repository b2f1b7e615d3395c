"""python3 -m pex.fuzz.mlir: mutate TOSA modules and compile them with pex-opt's default
pipeline (--pex-compile) and pexc; every run must end in success or in an error located
in the module, never a crash, an assertion, a sanitizer report or a hang.

    PYTHONPATH=python /usr/bin/python3 -m pex.fuzz.mlir [--bin DIR] [--seed S]
        [--executions N] [--minutes M] [--quiet-stop K] [--work DIR] [--case N]

Seeds: the TOSA functions of test/**/*.mlir (one per `// -----` part) and the TOSA the
importers make of the test models and of the shared models up to --max-seed-bytes. Case N
of seed S applies one to three mutations drawn from random.Random(f"mlir:{S}:{N}") (so
`--case N` replays it). pex-opt runs every mutant; pexc (Cortex-M4 object) every mutant
pex-opt compiles and a quarter of the others. With tools built with -DPEX_SANITIZE=ON
(--bin build-sanitize/bin) ASan and UBSan reports are findings too. Findings are
deduplicated by kind and message (numbers and names blanked) and saved under
WORK/findings. Exit status 1 when there are findings.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import sys
from pathlib import Path

from pex.fuzz import execution, mlir_mutations
from pex.fuzz.__main__ import _normalized
from pex.fuzz.seeds import SHARED_MODELS

_ROOT = Path(__file__).resolve().parents[3]


def _test_seeds() -> list[tuple[str, str]]:
    """The parts of test/**/*.mlir with a TOSA operation, without their comment lines."""
    seeds = []
    for path in sorted((_ROOT / "test").rglob("*.mlir")):
        for index, part in enumerate(path.read_text().split("// -----")):
            text = "".join(line for line in part.splitlines(keepends=True)
                           if not line.lstrip().startswith("//"))
            if "tosa." in text:
                seeds.append((f"{path.relative_to(_ROOT)}#{index}", text))
    return seeds


def _imported_seeds(cache: Path, models: Path | None, max_bytes: int) -> list[tuple[str, str]]:
    """TOSA of the test models and the shared models, imported once into `cache`."""
    from pex import testmodels
    from pex.importers.__main__ import main as import_model
    cache.mkdir(parents=True, exist_ok=True)
    files = [(f"{name}.tflite", lambda name=name: testmodels.tflite_model(name))
             for name in sorted(testmodels.GRAPHS)]
    if models and models.is_dir():
        files += [(p.name, p.read_bytes) for p in sorted(models.rglob("*.tflite"))]
    seeds = []
    for name, read in files:
        mlir = cache / f"{name}.mlir"
        if not mlir.exists():
            model = cache / name
            model.write_bytes(read())
            if import_model([str(model), "-o", str(mlir)]) != 0:
                continue
        if mlir.stat().st_size <= max_bytes:
            seeds.append((name, mlir.read_text()))
    return seeds


class MlirFuzzer:
    def __init__(self, args) -> None:
        self.args = args
        self.work = Path(args.work)
        (self.work / "findings").mkdir(parents=True, exist_ok=True)
        self.seeds = _test_seeds() + _imported_seeds(self.work / "seeds", args.models,
                                                     args.max_seed_bytes)
        self.pex_opt = str(Path(args.bin) / "pex-opt")
        self.pexc = str(Path(args.bin) / "pexc")
        self.sanitized = execution.is_sanitized(self.pexc)
        self.outcomes: collections.Counter = collections.Counter()
        self.mutations: collections.Counter = collections.Counter()
        self.findings: dict[tuple[str, str], list[int]] = {}

    def mutant(self, case: int) -> tuple[str, str, list[str]]:
        """(seed name, mutated text, what was done) of case `case`."""
        rng = random.Random(f"mlir:{self.args.seed}:{case}")
        name, text = rng.choice(self.seeds)
        done = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            if not text.strip():  # nothing left to mutate
                break
            mutation = rng.choice(mlir_mutations.MUTATIONS)
            text, what = mutation(text, rng, rng.choice(self.seeds)[1])
            self.mutations[mutation.__name__] += 1
            done.append(what)
        return name, text, done

    def run_case(self, case: int) -> list[execution.Outcome]:
        name, text, done = self.mutant(case)
        rng = random.Random(f"mlir-pexc:{self.args.seed}:{case}")
        case_dir = self.work / "case"
        case_dir.mkdir(exist_ok=True)
        module = case_dir / "model.mlir"
        module.write_text(text)
        def run(command: list[str]) -> execution.Outcome:
            outcome = execution.run_tool(command, self.args.timeout, self.args.memory_limit,
                                         self.sanitized)
            if outcome.kind.endswith("-timeout"):  # on a loaded machine: confirm it
                outcome = execution.run_tool(command, 2 * self.args.timeout,
                                             self.args.memory_limit, self.sanitized)
            return outcome

        outcomes = [run([self.pex_opt, "--pex-compile", str(module), "-o", "/dev/null"])]
        if outcomes[0].kind == execution.OK or rng.random() < 0.25:
            outcomes.append(run([self.pexc, str(module), "-q", "-o",
                                 str(case_dir / "model.o")]))
        for outcome in outcomes:
            self.outcomes[outcome.kind] += 1
            if outcome.kind not in (execution.OK, execution.CLEAN_ERROR,
                                    execution.PEXC_UNAVAILABLE):
                self._record(case, name, done, module, outcome)
        return outcomes

    def _record(self, case: int, name: str, done: list[str], module: Path, outcome) -> None:
        key = (outcome.kind, _normalized(outcome.message))
        seen = self.findings.setdefault(key, [])
        seen.append(case)
        if len(seen) > 1:
            return
        stem = self.work / "findings" / f"{outcome.kind}-{len(self.findings):03d}"
        shutil.copyfile(module, stem.with_suffix(".mlir"))
        stem.with_suffix(".txt").write_text(
            f"kind: {outcome.kind}\nmessage: {outcome.message}\nseed: {name}\n"
            f"replay: python3 -m pex.fuzz.mlir --seed {self.args.seed} --case {case}\n"
            f"mutations: {'; '.join(done)}\n")
        print(f"case {case}: {outcome.kind}: {name}: {'; '.join(done)}\n    {outcome.message}",
              flush=True)

    def summary(self, executions: int, seconds: float) -> str:
        lines = [f"{executions} executions in {seconds:.0f} s over {len(self.seeds)} seeds"
                 f"{' (sanitized tools)' if self.sanitized else ''}; mutations: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(self.mutations.items())),
                 "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())),
                 f"distinct findings: {len(self.findings)}"]
        by_kind = collections.Counter(kind for kind, _ in self.findings)
        lines += [f"  {kind}: {count}" for kind, count in sorted(by_kind.items())]
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-fuzz-mlir", description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("PEX_BIN_DIR", _ROOT / "build" / "bin"),
                        help="directory of pex-opt and pexc (default $PEX_BIN_DIR or "
                             "build/bin)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=0, help="stop after this long")
    parser.add_argument("--quiet-stop", type=int, default=0, metavar="K",
                        help="stop once K executions in a row found nothing new")
    parser.add_argument("--case", type=int, help="run only this case, printing its outcome")
    parser.add_argument("--work", default="/tmp/pex-fuzz-mlir")
    parser.add_argument("--models", type=Path, default=SHARED_MODELS)
    parser.add_argument("--no-shared-models", dest="models", action="store_const",
                        const=None)
    parser.add_argument("--max-seed-bytes", type=int, default=1 << 20)
    parser.add_argument("--timeout", type=float, default=60.0, help="per tool run, seconds")
    parser.add_argument("--memory-limit", type=int, default=2 << 30)
    args = parser.parse_args(argv)

    fuzzer = MlirFuzzer(args)
    if args.case is not None:
        name, _, done = fuzzer.mutant(args.case)
        print(f"case {args.case}: {name}: {'; '.join(done)}")
        for outcome in fuzzer.run_case(args.case):
            print(f"  {outcome.kind}: {outcome.message} ({outcome.seconds:.2f} s)")
        return 0
    return execution.run_campaign(fuzzer, args.executions, args.quiet_stop, args.minutes,
                                  report_every=200)


if __name__ == "__main__":
    sys.exit(main())

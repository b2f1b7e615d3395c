"""The corpus run: each model imported, its TOSA validated, compiled and run on the host
and on a Cortex-M4 (QEMU), compared with its reference, and its arena compared with the
independent channel-split ideal (`pex.ideal`). One table row per model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from pex.corpus import CorpusModel
from pex.errors import ModelError
from pex.graph import Graph
from pex.importers import load_graph
from pex.reference.check import CENTRED_INPUTS
from pex.reference.compare_outputs import compare
from pex.reference.inputs import reference_input

# How far above the channel-split ideal the arena may be: alignment and the runtime's
# bookkeeping, not a lost chain.
IDEAL_SLACK_BYTES = 512
# --skip-big leaves out models above this many multiply-accumulates (minutes in QEMU), and
# those a generator names "..._big".
BIG_MACS = 50_000_000
TIMEOUT_SECONDS = 1800
REPOSITORY = Path(__file__).resolve().parents[3]


@dataclass
class Tools:
    python: str
    pexc: str
    mlir_opt: str


@dataclass
class Outcome:
    ok: bool | None  # None: not run, or nothing to compare with
    detail: str = ""

    def cell(self) -> str:
        return {True: "yes", False: "NO", None: "-"}[self.ok]


@dataclass
class Entry:
    """A model to run, from a generator (CorpusModel) or the shared models folder."""

    name: str
    path: Path
    style: str  # frontend / what produced the reference or the model
    input: bytes | None  # None when the graph cannot be read to build it
    check: Callable[[bytes], Outcome] | None  # None: no reference output
    pexc_args: list[str] = field(default_factory=list)
    tflm_arena: int | None = None


def corpus_entry(model: CorpusModel) -> Entry:
    frontend = model.name.split("/")[0]

    def check(actual: bytes) -> Outcome:
        if frontend == "onnx":
            from pex.corpus.onnx_check import compare_output
            ok, message = compare_output(model, actual)
        else:
            ok, message = compare(actual, model.expected, model.dtype, model.tolerance)
        return Outcome(ok, message)
    return Entry(model.name, Path(model.path), f"{frontend}/{model.reference}", model.input,
                 check, list(model.pexc_args))


# --- The shared models and their README figures ------------------------------------------

def _table(readme: str, first_header: str) -> list[dict[str, str]]:
    """The rows of the Markdown table whose first header cell is `first_header`."""
    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.strip().strip("|").split("|")]

    lines = readme.splitlines()
    for start, line in enumerate(lines):
        header = cells(line)
        if header[0] == first_header:
            rows = []
            for row in lines[start + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(header, cells(row))))
            return rows
    raise ModelError(f"no table headed '{first_header}' in the models README")


def _readme_check(cell: str) -> Callable[[bytes], Outcome] | None:
    """The README's output: int8 bytes in hex, or "f32 [v, ...]" printed to some decimals,
    possibly only the first values of "(N B)"."""
    cell = cell.strip()
    if re.fullmatch(r"[0-9a-f]+", cell):
        expected = bytes.fromhex(cell)
        return lambda actual: Outcome(actual == expected, "identical" if actual == expected
                                      else f"DIFFERENT: {actual.hex()}, README {cell}")
    match = re.fullmatch(r"f32 \[(.*?)\](?: \((\d+) B\))?", cell)
    if not match:
        return None
    printed = [v.strip() for v in match.group(1).split(",") if v.strip() != "..."]
    values = np.array([float(v) for v in printed])
    decimals = max(len(v.partition(".")[2]) for v in printed)
    tolerance = 0.5 * 10.0 ** -decimals
    size = int(match.group(2)) if match.group(2) else 4 * len(printed)

    def check(actual: bytes) -> Outcome:
        if len(actual) != size:
            return Outcome(False, f"DIFFERENT sizes: {len(actual)} B, README {size} B")
        head = np.frombuffer(actual, np.float32)[:values.size].astype(np.float64)
        diff = float(np.max(np.abs(head - values)))
        shown = ", ".join(f"{v:.{decimals}f}" for v in head)
        if diff <= tolerance:
            return Outcome(True, f"equal to {decimals} decimals")
        return Outcome(False, f"DIFFERENT: [{shown}], README [{', '.join(printed)}]")
    return check


def _model_input(graph: Graph, name: str) -> bytes:
    """The README's input, as the reference check builds it (which float models take the
    centred rule is its finding: the one that reproduces the printed outputs)."""
    return b"".join(reference_input(x.shape, x.dtype, name in CENTRED_INPUTS).tobytes()
                    for x in graph.inputs)


def shared_entries(models_dir: Path) -> list[Entry]:
    readme = (models_dir / "README.md").read_text()
    figures = {row["model"]: row for row in _table(readme, "model")}
    entries = []
    for row in _table(readme, "file"):
        path = models_dir / row["file"]
        name = path.stem
        figure = figures.get(name, {})
        head = figure.get("TFLM head", "")
        try:
            model_input = _model_input(load_graph(str(path)), name)
        except (ModelError, ValueError):
            model_input = None  # the import step reports why
        output = figure.get("TFLM output bytes (hex)", "")
        entries.append(Entry(f"shared/{name}", path, f"tflite/{path.parent.name}", model_input,
                             _readme_check(output),
                             tflm_arena=int(head) if head.isdigit() else None))
    return entries


# --- One model ---------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    style: str
    operators: str = "-"
    macs: int | None = None
    imported: Outcome = field(default_factory=lambda: Outcome(None))
    valid: Outcome = field(default_factory=lambda: Outcome(None))
    host: Outcome = field(default_factory=lambda: Outcome(None))
    m4: Outcome = field(default_factory=lambda: Outcome(None))
    arena_bytes: int | None = None
    tflm_arena: int | None = None
    ideal: int | None = None
    ideal_exact: bool = True
    ideal_error: str = ""
    bound: Outcome = field(default_factory=lambda: Outcome(None))
    instructions: int | None = None
    skipped: str = ""

    def failures(self) -> list[str]:
        if self.skipped:
            return []
        steps = [("import", self.imported), ("TOSA validation", self.valid),
                 ("host vs reference", self.host), ("M4 vs host", self.m4),
                 (f"arena <= ideal + {IDEAL_SLACK_BYTES}", self.bound)]
        failed = [f"{what}: {outcome.detail}" for what, outcome in steps if outcome.ok is False]
        if self.ideal_error:
            failed.append(f"ideal: {self.ideal_error}")
        return failed

    def to_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if not isinstance(v, Outcome)}
        data.update({k: {"ok": v.ok, "detail": v.detail} for k, v in self.__dict__.items()
                     if isinstance(v, Outcome)})
        return data


def error_line(stderr: str, returncode: int) -> str:
    """The tool's first error line, from the word naming the tool or file on."""
    for line in stderr.splitlines():
        if match := re.search(r"(\S+: )?error: .*", line):
            return match.group(0).strip()
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"exit status {returncode}"


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([str(c) for c in command], capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, **kwargs)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 1, "", f"error: timed out after "
                                                            f"{TIMEOUT_SECONDS} s")


def multiply_accumulates(graph: Graph) -> int:
    total = 0
    for op in graph.ops:
        if op.kind == "conv2d":
            total += op.output.num_elements * int(np.prod(op.inputs[1].shape[1:]))
        elif op.kind == "depthwise_conv2d":
            total += op.output.num_elements * int(np.prod(op.inputs[1].shape[:2]))
        elif op.kind == "fully_connected":
            total += op.output.num_elements * op.inputs[1].shape[-1]
    return total


def _pexc(tools: Tools, entry: Entry, target: str, work: Path
          ) -> tuple[Outcome, bytes | None, dict | None]:
    output, report = work / f"{target}.bin", work / f"{target}.json"
    for stale in (output, report):
        stale.unlink(missing_ok=True)
    result = _run([tools.pexc, entry.path, "--io=arena", f"--target={target}",
                   f"--run={work / 'input.bin'}", f"--output={output}",
                   f"--report-json={report}", "-o", work / f"{target}.o", "-q",
                   *entry.pexc_args])
    if result.returncode != 0 and "flash budget exceeded" in result.stderr:
        # Not a defect: the model's weights are larger than the emulated board's flash.
        return Outcome(None, f"pexc --target={target}: the model does not fit the "
                             "target's flash"), None, None
    if result.returncode != 0 or not output.exists():
        return Outcome(False, f"pexc --target={target}: "
                              f"{error_line(result.stderr, result.returncode)}"), None, None
    return Outcome(True), output.read_bytes(), json.loads(report.read_text())


def run_entry(tools: Tools, entry: Entry, work: Path, targets: list[str],
              skip_big: bool) -> Row:
    work.mkdir(parents=True, exist_ok=True)
    row = Row(entry.name, entry.style, tflm_arena=entry.tflm_arena)
    try:
        graph = load_graph(str(entry.path))
        row.operators = ", ".join(sorted({op.kind for op in graph.ops}))
        row.macs = multiply_accumulates(graph)
    except ModelError:
        graph = None  # the import step reports why
    if skip_big and (entry.name.endswith("_big") or (row.macs or 0) > BIG_MACS):
        row.skipped = (f"{(row.macs or 0) / 1e6:.0f} M MACs" if row.macs else "a big model") \
            + " (--skip-big)"
        return row

    mlir = work / "model.mlir"
    shapes = [a for a in entry.pexc_args if a.startswith("--input-shape")]
    result = _run([tools.python, "-m", "pex.importers", entry.path, "-o", mlir, *shapes])
    row.imported = Outcome(result.returncode == 0, error_line(result.stderr, result.returncode)
                           if result.returncode else "")
    if row.imported.ok:
        # Plain validation: the module must carry its own tosa.target_env.
        result = _run([tools.mlir_opt, "--allow-unregistered-dialect", "--tosa-validate", mlir, "-o", "/dev/null"])
        row.valid = Outcome(result.returncode == 0, error_line(result.stderr, result.returncode)
                            if result.returncode else "")

    result = _run([tools.python, "-m", "pex.ideal", entry.path, "--json", *shapes])
    if result.returncode == 0:
        ideal = json.loads(result.stdout)["channel_split_ideal"]
        row.ideal, row.ideal_exact = ideal["bytes"], ideal["exact"]
    else:
        row.ideal_error = error_line(result.stderr, result.returncode)

    if entry.input is None or not row.imported.ok:
        return row
    (work / "input.bin").write_bytes(entry.input)
    outputs, reports = {}, {}
    for target in targets:
        outcome, outputs[target], reports[target] = _pexc(tools, entry, target, work)
        if target == "host":
            row.host = outcome
            if outcome.ok:
                row.host = (entry.check(outputs[target]) if entry.check
                            else Outcome(None, "no reference output"))
        else:
            row.m4 = outcome
            if outcome.ok:
                if outputs.get("host") is None:
                    row.m4 = Outcome(None, "no host output to compare with")
                elif outputs[target] != outputs["host"]:
                    row.m4 = Outcome(False, "the Cortex-M4 output bytes differ from the host's")
            if reports[target]:
                row.instructions = reports[target].get("instructions")
    report = reports.get("cortex-m4") or reports.get("host")
    if report:
        row.arena_bytes = report["arena_bytes"]
    if row.arena_bytes is not None and row.ideal is not None:
        bound = row.ideal + IDEAL_SLACK_BYTES
        within = row.arena_bytes <= bound
        row.bound = Outcome(within, "" if within else
                            f"arena {row.arena_bytes} B > ideal {row.ideal} B + "
                            f"{IDEAL_SLACK_BYTES} (by {row.arena_bytes - bound} B)")
    return row


# --- The table ---------------------------------------------------------------------------

COLUMNS = ("model", "frontend/style", "operators", "imported", "valid TOSA",
           "host == reference", "M4 == host", "arena_bytes", "TFLM arena",
           "channel-split ideal", f"arena <= ideal + {IDEAL_SLACK_BYTES}", "M4 instructions")


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def table_row(row: Row) -> str:
    if row.skipped:
        cells = [row.name, row.style, row.operators, f"skipped: {row.skipped}"] + [""] * 8
    else:
        host = "n/a" if row.host.ok is None and row.host.detail else row.host.cell()
        ideal = _number(row.ideal) + ("" if row.ideal_exact else " (beam)")
        cells = [row.name, row.style, row.operators, row.imported.cell(), row.valid.cell(),
                 host, row.m4.cell(), _number(row.arena_bytes), _number(row.tflm_arena),
                 ideal if not row.ideal_error else "error", row.bound.cell(),
                 _number(row.instructions)]
    return "| " + " | ".join(cells) + " |"


def format_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return "\n".join(lines + [table_row(r) for r in rows])


def print_failures(rows: list[Row], out=sys.stdout) -> int:
    failed = 0
    for row in rows:
        for failure in row.failures():
            print(f"FAILED {row.name}: {failure}", file=out)
        failed += bool(row.failures())
    return failed

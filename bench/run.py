#!/usr/bin/python3
"""Pex benchmark: peak SRAM, flash, speed and compile time of real and zoo models.

    /usr/bin/python3 bench/run.py [--quick] [--only REGEX] [--out DIR]

Needs a built compiler (scripts/build.sh). For every real model of the shared
models folder (scripts/models-dir.sh; skipped when there is none) and the zoo
set (MobileNetV2 0.35 at 96/144/224, MobileNetV2 1.0 at 224, MCUNet-style at
128, DS-CNN, the MLPerf Tiny anomaly-detection autoencoder), it compiles with
build/bin/pexc for the Cortex-M4 once without running (the compile time),
then again in four configurations (default = partial execution + reordering,
--no-partial, --no-reorder, and io-arena = default + --io=arena, the arena
holding the input and output as TFLite Micro's does) and runs each one in QEMU
on the reference input (python3 -m pex.reference.make_input), which counts its
instructions and estimates its Cortex-M4 cycles (the plugin's model of the
TRM's timings, runtime/README.md). It checks every run's output against
the run without partial execution (int8: identical bytes; f32: within 1e-5 of
the largest magnitude), the output without partial execution against upstream
MLIR executing the same TOSA (mlir-runner), and for the real models against
TensorFlow Lite Micro's published output. A configuration whose output is
wrong has its figures withheld (shown as WRONG) and the command exits 1.

It prints the tables and writes build/bench/results.{md,csv,json}, every
pexc report (build/bench/reports/), and a memory picture per model
(build/bench/pictures/NAME.svg: --no-partial beside the default).
--quick leaves out the two 224x224 MobileNetV2s. The compiler is copied at
the start (build/bench/compiler: pexc, pex-opt, python/, runtime/), so a
rebuild while the benchmark runs cannot mix two compilers in one table
(--no-snapshot runs build/bin directly). docs/results.md explains the columns.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import memory_picture  # noqa: E402

PYTHON = "/usr/bin/python3"
TARGET = "cortex-m4"

# (name, path under the models folder); the name is the models README's
REAL_MODELS = [
    ("kws_ref_model", "mlperf-tiny/kws_ref_model.tflite"),
    ("vww_96_int8", "mlperf-tiny/vww_96_int8.tflite"),
    ("resnet8_int8", "mlperf-tiny/resnet8_int8.tflite"),
    ("person_detect", "tflite-micro/person_detect.tflite"),
    ("vww_96_float", "mlperf-tiny/vww_96_float.tflite"),
    ("kws_ref_model_float32", "mlperf-tiny/kws_ref_model_float32.tflite"),
    ("keyword_spotting_on_off_v3", "mltk/keyword_spotting_on_off_v3.tflite"),
    ("fingerprint_signature_generator", "mltk/fingerprint_signature_generator.tflite"),
    ("rock_paper_scissors", "mltk/rock_paper_scissors.tflite"),
    ("anomaly_detection", "mltk/anomaly_detection.tflite"),
]
# (name, python3 -m pex.zoo arguments, left out by --quick)
ZOO_MODELS = [
    ("mobilenet_v2_0.35_96", ["mobilenet_v2", "--width", "0.35", "--resolution", "96"], False),
    ("mobilenet_v2_0.35_144", ["mobilenet_v2", "--width", "0.35", "--resolution", "144"], False),
    ("mobilenet_v2_0.35_224", ["mobilenet_v2", "--width", "0.35", "--resolution", "224"], True),
    ("mobilenet_v2_1.0_224", ["mobilenet_v2", "--width", "1.0", "--resolution", "224"], True),
    ("mcunet_128", ["mcunet", "--resolution", "128"], False),
    ("ds_cnn", ["ds_cnn"], False),
    ("ad_autoencoder", ["ad_autoencoder"], False),
]
# label, pexc flags
CONFIGS = [
    ("default", []),
    ("no-partial", ["--no-partial"]),
    ("no-reorder", ["--no-reorder"]),
    # The arena holds the model's input and output (TFLite Micro's layout); the
    # input's bytes are reused once consumed. io_bytes is 0, arena_bytes is all.
    ("io-arena", ["--io=arena"]),
]
FLOAT_RTOL = 1e-5
PEXC_TIMEOUT = 1800


# The compiler the benchmark runs: a snapshot of build/bin with the python
# package, the runtime and the instruction-count plugin in pexc's installed
# layout (bin/, share/pex/, lib/), so that every row is measured with the same
# compiler even when build/ is rebuilt while the benchmark runs.
COMPILER = {"prefix": ROOT, "pexc": os.path.join(ROOT, "build", "bin", "pexc"),
            "pex-opt": os.path.join(ROOT, "build", "bin", "pex-opt"),
            "python": os.path.join(ROOT, "python")}


def snapshot_compiler(work: str) -> None:
    import shutil

    prefix = os.path.join(work, "compiler")
    if os.path.exists(prefix):
        shutil.rmtree(prefix)
    os.makedirs(os.path.join(prefix, "bin"))
    os.makedirs(os.path.join(prefix, "lib"))
    for tool in ("pexc", "pex-opt"):
        shutil.copy2(os.path.join(ROOT, "build", "bin", tool), os.path.join(prefix, "bin", tool))
    plugin = os.path.join(ROOT, "build", "lib", "libpex-insn-count.so")
    if os.path.exists(plugin):
        shutil.copy2(plugin, os.path.join(prefix, "lib"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(os.path.join(ROOT, "python"), os.path.join(prefix, "share", "pex", "python"),
                    ignore=ignore)
    shutil.copytree(os.path.join(ROOT, "runtime"), os.path.join(prefix, "share", "pex", "runtime"),
                    ignore=ignore)
    COMPILER.update(prefix=prefix, pexc=os.path.join(prefix, "bin", "pexc"),
                    **{"pex-opt": os.path.join(prefix, "bin", "pex-opt")},
                    python=os.path.join(prefix, "share", "pex", "python"))
    sys.path.insert(0, COMPILER["python"])


def python_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = COMPILER["python"] + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_command(command: list[str], timeout: float = PEXC_TIMEOUT,
                env: dict | None = None) -> tuple[int, str, float]:
    """(exit status, stderr + stdout tail, wall seconds). Retries twice when the
    executable is being replaced (a concurrent rebuild): status 126/127 or
    'Text file busy'."""
    for attempt in range(3):
        start = time.perf_counter()
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return -1, f"timed out after {timeout} s", time.perf_counter() - start
        except OSError as error:  # ETXTBSY, EACCES while the linker writes it
            if attempt < 2:
                time.sleep(5)
                continue
            return -1, str(error), time.perf_counter() - start
        seconds = time.perf_counter() - start
        message = (result.stderr + result.stdout)[-2000:]
        if result.returncode in (126, 127) or "Text file busy" in message:
            if attempt < 2:
                time.sleep(5)
                continue
        return result.returncode, message, seconds
    return -1, "unreachable", 0.0


# --- reference figures of the models folder's README -----------------------

def _number(cell: str) -> int | None:
    cell = cell.strip().replace(",", "")
    return int(cell) if re.fullmatch(r"\d+", cell) else None


# The benchmarks of the README's table of the fastest published Cortex-M4
# results, by the model they run.
PUBLISHED_BENCHMARKS = {"KWS": "kws_ref_model", "VWW": "vww_96_int8", "IC": "resnet8_int8",
                        "AD": "ad_autoencoder"}


def read_published_bests(models_dir: str | None) -> dict:
    """{model: (result, cycles)} from the README's table of the fastest published
    results ("| KWS (kws_ref_model) | X-CUBE-AI ... | 43.19 | 5.18 M |")."""
    bests: dict[str, tuple[str, int]] = {}
    path = os.path.join(models_dir, "README.md") if models_dir else None
    if not path or not os.path.exists(path):
        return bests
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 4:
                continue
            model = PUBLISHED_BENCHMARKS.get(cells[0].split(" ")[0])
            match = re.fullmatch(r"(\d+(?:\.\d+)?) M", cells[3])
            if model and match:
                bests[model] = (cells[1], round(float(match.group(1)) * 1e6))
    return bests


def read_tflm_figures(models_dir: str | None) -> dict:
    """{model: {column: value}} from the Markdown tables of README.md."""
    figures: dict[str, dict] = {}
    if not models_dir:
        return figures
    path = os.path.join(models_dir, "README.md")
    if not os.path.exists(path):
        return figures
    header = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("|"):
                header = None
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            if header is None:
                header = cells
                continue
            if set(cells[0]) <= set("-: "):
                continue
            row = figures.setdefault(cells[0], {})
            for key, cell in zip(header[1:], cells[1:]):
                row[key] = _number(cell)
    return figures


# --- one model ----------------------------------------------------------------

class Model:
    def __init__(self, name: str, kind: str, source: str, zoo_args: list[str] | None = None):
        self.name, self.kind, self.source, self.zoo_args = name, kind, source, zoo_args
        self.path = source  # the file pexc compiles
        self.dtype = "?"
        self.out_dtype = "?"
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.reports: dict[str, dict] = {}
        self.outputs: dict[str, bytes] = {}
        self.wrong: set[str] = set()
        self.compile_seconds: float | None = None
        self.seconds = 0.0
        self.checks: dict[str, str] = {}


def prepare(model: Model, work: str) -> str | None:
    """Generates the zoo model and the reference input; returns the TOSA text."""
    from pex.importers import import_model
    from pex.reference.mlir_runner import public_function

    if model.zoo_args is not None:
        model.path = os.path.join(work, "models", model.name + ".mlir")
        status, message, _ = run_command(
            [PYTHON, "-m", "pex.zoo", *model.zoo_args, "-o", model.path], env=python_env())
        if status != 0:
            model.failures.append(f"pex.zoo {' '.join(model.zoo_args)} failed: {message}")
            return None
    model.input = os.path.join(work, "inputs", model.name + ".bin")
    status, message, _ = run_command(
        [PYTHON, "-m", "pex.reference.make_input", model.path, "-o", model.input],
        env=python_env())
    if status != 0:
        model.failures.append(f"make_input failed: {message}")
        return None
    if model.path.endswith(".mlir"):
        with open(model.path) as f:
            text = f.read()
    else:
        text = import_model(model.path)
    signature = public_function(text)
    model.dtype = signature.arguments[0].dtype
    model.out_dtype = signature.results[0].dtype
    return text


def pexc(model: Model, work: str, label: str, flags: list[str], run: bool) -> tuple[dict | None, float]:
    stem = os.path.join(work, "reports", f"{model.name}.{label}")
    command = [COMPILER["pexc"], model.path, f"--target={TARGET}",
               "-q", "-o", os.path.join(work, "objects", f"{model.name}.{label}.o"),
               f"--report-json={stem}.json", *flags]
    if run:
        command += [f"--run={model.input}", f"--output={stem}.out"]
    if os.path.exists(stem + ".json"):
        os.remove(stem + ".json")
    status, message, seconds = run_command(command)
    what = f"pexc {' '.join(flags) or '(default)'}{' --run' if run else ''}"
    if status != 0:
        model.failures.append(f"{what}: exit {status}: {message.strip()}")
        return None, seconds
    with open(stem + ".json") as f:
        report = json.load(f)
    if run:
        if report.get("status", 0) != 0:
            model.failures.append(f"{what}: the program returned status {report['status']}")
            return None, seconds
        if "instructions" not in report:
            model.failures.append(f"{what}: no instruction count in the report")
        if "--io=arena" in flags and report.get("io_bytes") != 0:
            model.failures.append(f"{what}: io_bytes is {report.get('io_bytes')}, not 0")
        with open(stem + ".out", "rb") as f:
            model.outputs[label] = f.read()
    return report, seconds


def check_outputs(model: Model, tosa: str | None) -> None:
    from pex.reference.check import TFLM_OUTPUTS, _matches_tflm
    from pex.reference.compare_outputs import compare
    from pex.reference import mlir_runner
    import numpy as np

    reference = model.outputs.get("no-partial")
    if reference is None:
        model.wrong.update(model.outputs)
        return
    for label, output in model.outputs.items():
        if label == "no-partial":
            continue
        ok, message = compare(output, reference, model.out_dtype, FLOAT_RTOL)
        model.checks[f"{label} vs no-partial"] = message
        if not ok:
            model.wrong.add(label)
            model.failures.append(f"{label}: output differs from --no-partial: {message}")
    # Upstream MLIR on the same TOSA: an executor that shares nothing with pexc's
    # code generation.
    if tosa is not None:
        try:
            with open(model.input, "rb") as f:
                upstream = mlir_runner.run(tosa, f.read())
            ok, message = compare(reference, upstream, model.out_dtype, FLOAT_RTOL)
            model.checks["no-partial vs upstream MLIR"] = message
            if not ok:
                model.wrong.update(model.outputs)
                model.failures.append(f"no-partial: output differs from upstream MLIR: {message}")
        except Exception as error:  # noqa: BLE001 - reported, not fatal
            model.checks["no-partial vs upstream MLIR"] = f"not run ({error})"[:200]
            model.notes.append(f"upstream MLIR reference not run: {str(error)[:200]}")
    if model.name in TFLM_OUTPUTS:
        # Float outputs as the README prints them: the leading values, rounded.
        values = np.frombuffer(reference, np.float32 if model.out_dtype == "f32" else np.int8)
        ok = _matches_tflm(model.name, values, reference)
        model.checks["no-partial vs TFLM"] = "identical" if ok else "DIFFERENT"
        if not ok:
            model.wrong.update(model.outputs)
            model.failures.append("no-partial: output differs from TensorFlow Lite Micro's")


def bench_model(model: Model, work: str) -> None:
    start = time.perf_counter()
    tosa = prepare(model, work)
    if model.failures:
        model.seconds = time.perf_counter() - start
        return
    # Compile time: the whole pipeline (import to object file), no run.
    report, seconds = pexc(model, work, "compile", [], run=False)
    if report is not None:
        model.compile_seconds = seconds
    for label, flags in CONFIGS:
        report, _ = pexc(model, work, label, flags, run=True)
        if report is not None:
            model.reports[label] = report
    compiled = model.reports.get("default")
    if report is not None and compiled is not None:
        with open(os.path.join(work, "reports", f"{model.name}.compile.json")) as f:
            only = json.load(f)
        if only["arena_bytes"] != compiled["arena_bytes"]:
            model.failures.append("the arena differs between two compilations of the same model")
    check_outputs(model, tosa)
    if "default" in model.reports and "no-partial" in model.reports:
        picture = os.path.join(work, "pictures", model.name + ".svg")
        with open(picture, "w") as f:
            f.write(memory_picture.render(
                [model.reports["no-partial"], model.reports["default"]],
                ["reordering only (--no-partial)", "partial execution + reordering (default)"],
                f"Arena of {model.name} on {TARGET}"))
    model.seconds = time.perf_counter() - start


# --- tables -------------------------------------------------------------------

def figures(model: Model, tflm: dict, best: tuple[str, int] | None) -> dict:
    """One row of every figure, None where unknown or withheld."""
    def report(label):
        return None if label in model.wrong else model.reports.get(label)

    default = report("default")
    # io_bytes and the baseline of the caller-held configurations (io-arena's are 0
    # and the baseline with the input and output in the arena).
    any_report = next((r for label, r in model.reports.items() if label != "io-arena"), None)
    io = any_report["io_bytes"] if any_report else None

    def peak(label):
        r = report(label)
        return r["arena_bytes"] + r["io_bytes"] if r else None

    def get(label, key):
        r = report(label)
        return r.get(key) if r else None

    def instructions(label):
        return get(label, "instructions")

    def cycles(label):
        return get(label, "estimated_cycles")

    io_arena = report("io-arena")

    row = {
        "model": model.name,
        "source": model.kind,
        "dtype": {"i8": "int8", "f32": "f32"}.get(model.dtype, model.dtype),
        "io_bytes": io,
        "baseline": any_report["baseline_arena_bytes"] + io if any_report else None,
        "reorder_only": peak("no-partial"),
        "partial_only": peak("no-reorder"),
        "partial_reorder": peak("default"),
        "lower_bound": default["lower_bound_bytes"] + io if default else None,
        # The compiled program whose arena holds the input and output (io_bytes 0).
        "io_arena": io_arena["arena_bytes"] + io_arena["io_bytes"] if io_arena else None,
        "arena_bytes": default["arena_bytes"] if default else None,
        "arena_bytes_no_partial": get("no-partial", "arena_bytes"),
        "first_fit_arena_bytes": default["first_fit_arena_bytes"] if default else None,
        "tflm_head": tflm.get("TFLM head"),
        "tflm_ideal": tflm.get("ideal"),
        "channel_split_ideal": tflm.get("channel-split ideal"),
        "tflm_arena_used_m4": tflm.get("arena_used (M4)"),
        "flash_bytes": default["flash_bytes"] if default else None,
        "flash_bytes_no_partial": get("no-partial", "flash_bytes"),
        "flash_bytes_io_arena": get("io-arena", "flash_bytes"),
        "macs": any_report["macs"] if any_report else None,
        "instructions_no_partial": instructions("no-partial"),
        "instructions_partial": instructions("default"),
        "instructions_no_reorder": instructions("no-reorder"),
        "instructions_io_arena": instructions("io-arena"),
        "tflm_reference_instructions": tflm.get("reference kernels"),
        "tflm_cmsis_nn_instructions": tflm.get("CMSIS-NN kernels"),
        # Cortex-M4 cycles by the plugin's model of the TRM's timings: estimates.
        "estimated_cycles_no_partial": cycles("no-partial"),
        "estimated_cycles_partial": cycles("default"),
        "estimated_cycles_io_arena": cycles("io-arena"),
        "published_best": best[0] if best else None,
        "published_best_cycles": best[1] if best else None,
        "stack_bytes": default.get("stack_bytes") if default else None,
        "stack_bytes_no_partial": get("no-partial", "stack_bytes"),
        "stack_bytes_io_arena": get("io-arena", "stack_bytes"),
        "ram_bytes": get("default", "ram_bytes"),
        "ram_bytes_io_arena": get("io-arena", "ram_bytes"),
        "compile_seconds": round(model.compile_seconds, 2) if model.compile_seconds else None,
        "bench_seconds": round(model.seconds, 1),
        "checks": model.checks,
        "wrong_configurations": sorted(model.wrong),
        "failures": model.failures,
        "notes": model.notes,
    }
    a, b = row["instructions_partial"], row["instructions_no_partial"]
    row["partial_overhead_percent"] = round(100.0 * (a - b) / b, 2) if a and b else None
    a, b = row["estimated_cycles_partial"], row["estimated_cycles_no_partial"]
    row["partial_overhead_cycles_percent"] = round(100.0 * (a - b) / b, 2) if a and b else None
    macs = row["macs"]
    row["macs_per_cycle"] = round(macs / a, 3) if a and macs else None
    c, a = row["instructions_io_arena"], row["instructions_partial"]
    row["io_arena_instructions_percent"] = round(100.0 * (c - a) / a, 2) if a and c else None
    for key in ("reorder_only", "partial_only", "partial_reorder", "lower_bound", "io_arena"):
        value, base = row[key], row["baseline"]
        row[key + "_ratio"] = round(value / base, 3) if value and base else None
    return row


def _n(value) -> str:
    return "" if value is None else f"{value:,}"


def _with_ratio(row: dict, key: str, wrong: bool) -> str:
    if wrong:
        return "WRONG"
    value, ratio = row[key], row.get(key + "_ratio")
    if value is None:
        return "n/a"
    return f"{value:,} ({ratio:.2f})" if ratio is not None else f"{value:,}"


def _check_cell(row: dict) -> str:
    if row["wrong_configurations"] or row["failures"]:
        return "FAIL (see below)"
    checks = row["checks"]
    parts = []
    others = [k for k in checks if k.endswith("vs no-partial")]
    if others:
        states = {checks[k].split(" (")[0] for k in others}
        parts.append(f"{len(others) + 1} configs " + "/".join(sorted(states)))
    if "no-partial vs upstream MLIR" in checks:
        parts.append("= MLIR" if not checks["no-partial vs upstream MLIR"].startswith("not")
                     else "MLIR not run")
    if "no-partial vs TFLM" in checks:
        parts.append("= TFLM")
    return ", ".join(parts)


def markdown(rows: list[dict], models: list[Model]) -> str:
    def cell(row, model, key, label):
        return "WRONG" if label in model.wrong else _n(row[key])

    lines = ["### Peak SRAM (bytes) = arena + model input and output; (ratio to the naive baseline)",
             "",
             "| model | type | naive baseline | reordering only | partial only | partial + reordering "
             "| lower bound | arena holds I/O (compiled) | TFLM arena | TFLM ideal "
             "| channel-split ideal |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row, model in zip(rows, models):
        lines.append(
            f"| {row['model']} | {row['dtype']} | {_n(row['baseline'])} "
            f"| {_with_ratio(row, 'reorder_only', 'no-partial' in model.wrong)} "
            f"| {_with_ratio(row, 'partial_only', 'no-reorder' in model.wrong)} "
            f"| **{_with_ratio(row, 'partial_reorder', 'default' in model.wrong)}** "
            f"| {_with_ratio(row, 'lower_bound', 'default' in model.wrong)} "
            f"| {_with_ratio(row, 'io_arena', 'io-arena' in model.wrong)} "
            f"| {_n(row['tflm_head'])} | {_n(row['tflm_ideal'])} "
            f"| {_n(row['channel_split_ideal'])} |")
    lines += ["",
              "### Without and with partial execution (--no-partial, default; the caller holds "
              f"the input and output), {TARGET}, QEMU",
              "",
              "| model | flash B without | flash B with | arena B without | arena B with "
              "| I/O B (caller) | stack B without | stack B with | instr. without | instr. with "
              "| overhead | est. cycles without | est. cycles with | overhead |",
              "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row, model in zip(rows, models):
        overhead = row["partial_overhead_percent"]
        cycle_overhead = row["partial_overhead_cycles_percent"]
        lines.append(
            f"| {row['model']} "
            f"| {cell(row, model, 'flash_bytes_no_partial', 'no-partial')} "
            f"| {cell(row, model, 'flash_bytes', 'default')} "
            f"| {cell(row, model, 'arena_bytes_no_partial', 'no-partial')} "
            f"| {cell(row, model, 'arena_bytes', 'default')} "
            f"| {_n(row['io_bytes'])} "
            f"| {cell(row, model, 'stack_bytes_no_partial', 'no-partial')} "
            f"| {cell(row, model, 'stack_bytes', 'default')} "
            f"| {cell(row, model, 'instructions_no_partial', 'no-partial')} "
            f"| {cell(row, model, 'instructions_partial', 'default')} "
            f"| {'' if overhead is None else f'{overhead:+.2f} %'} "
            f"| {cell(row, model, 'estimated_cycles_no_partial', 'no-partial')} "
            f"| {cell(row, model, 'estimated_cycles_partial', 'default')} "
            f"| {'' if cycle_overhead is None else f'{cycle_overhead:+.2f} %'} |")
    lines += ["",
              f"### Speed (executed instructions on {TARGET}, QEMU; estimated cycles), RAM and "
              "compile time",
              "",
              "| model | MACs | instr. | instr. I/O in arena | TFLM reference | TFLM CMSIS-NN "
              "| est. cycles | MACs / cycle | fastest published cycles "
              "| stack B | stack B I/O in arena | RAM B I/O in arena | compile s | output check |",
              "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for row, model in zip(rows, models):
        seconds = row["compile_seconds"]
        delta = row["io_arena_instructions_percent"]
        io_instructions = cell(row, model, "instructions_io_arena", "io-arena")
        if delta is not None and io_instructions != "WRONG":
            io_instructions += f" ({delta:+.2f} %)"
        published = (f"{_n(row['published_best_cycles'])} ({row['published_best'].split(',')[0]})"
                     if row["published_best_cycles"] else "")
        lines.append(
            f"| {row['model']} | {_n(row['macs'])} "
            f"| {cell(row, model, 'instructions_partial', 'default')} "
            f"| {io_instructions} "
            f"| {_n(row['tflm_reference_instructions'])} | {_n(row['tflm_cmsis_nn_instructions'])} "
            f"| {cell(row, model, 'estimated_cycles_partial', 'default')} "
            f"| {'' if row['macs_per_cycle'] is None else row['macs_per_cycle']} "
            f"| {published} "
            f"| {cell(row, model, 'stack_bytes', 'default')} "
            f"| {cell(row, model, 'stack_bytes_io_arena', 'io-arena')} "
            f"| {cell(row, model, 'ram_bytes_io_arena', 'io-arena')} "
            f"| {'' if seconds is None else f'{seconds:.2f}'} "
            f"| {_check_cell(row)} |")
    problems = [(m.name, f) for m in models for f in m.failures]
    notes = [(m.name, n) for m in models for n in m.notes]
    if problems or notes:
        lines += ["", "### Failures and notes", ""]
        lines += [f"- **{name}**: {text}" for name, text in problems]
        lines += [f"- {name}: {text}" for name, text in notes]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = [
    "model", "source", "dtype", "io_bytes", "baseline", "reorder_only", "reorder_only_ratio",
    "partial_only", "partial_only_ratio", "partial_reorder", "partial_reorder_ratio",
    "lower_bound", "lower_bound_ratio", "io_arena", "io_arena_ratio", "arena_bytes",
    "arena_bytes_no_partial", "first_fit_arena_bytes", "tflm_head",
    "tflm_ideal", "channel_split_ideal", "tflm_arena_used_m4", "flash_bytes",
    "flash_bytes_no_partial", "flash_bytes_io_arena", "macs",
    "instructions_no_partial", "instructions_partial", "partial_overhead_percent",
    "instructions_no_reorder", "instructions_io_arena", "io_arena_instructions_percent",
    "tflm_reference_instructions", "tflm_cmsis_nn_instructions",
    "estimated_cycles_no_partial", "estimated_cycles_partial", "partial_overhead_cycles_percent",
    "estimated_cycles_io_arena", "macs_per_cycle", "published_best", "published_best_cycles",
    "stack_bytes", "stack_bytes_no_partial", "stack_bytes_io_arena", "ram_bytes",
    "ram_bytes_io_arena", "compile_seconds", "bench_seconds", "output_check",
]


def git_state() -> tuple[str, bool]:
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no",
                                "--", "lib", "include", "tools", "runtime", "python"],
                               capture_output=True, text=True).stdout.strip()
        return commit, bool(dirty)
    except OSError:
        return "unknown", False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="leave out the 224x224 MobileNetV2s")
    parser.add_argument("--only", help="only the models whose name matches this regex")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"),
                        help="output folder (default build/bench)")
    parser.add_argument("--models-dir", help="the real models (default: scripts/models-dir.sh)")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="run build/bin/pexc itself instead of a copy taken at the start")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    pexc_path = os.path.join(ROOT, "build", "bin", "pexc")
    if not os.path.exists(pexc_path):
        print(f"bench: error: {pexc_path} is missing: run scripts/build.sh", file=sys.stderr)
        return 1
    work = os.path.abspath(args.out)
    for sub in ("models", "inputs", "reports", "objects", "pictures"):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    built = datetime.datetime.fromtimestamp(os.path.getmtime(pexc_path)).strftime("%Y-%m-%d %H:%M")
    commit, dirty = git_state()
    if args.no_snapshot:
        sys.path.insert(0, COMPILER["python"])
    else:
        snapshot_compiler(work)

    models_dir = args.models_dir
    if models_dir is None:
        models_dir = subprocess.run([os.path.join(ROOT, "scripts", "models-dir.sh")],
                                    capture_output=True, text=True).stdout.strip() or None
    models: list[Model] = []
    if models_dir and os.path.isdir(models_dir):
        for name, relative in REAL_MODELS:
            path = os.path.join(models_dir, relative)
            if os.path.exists(path):
                models.append(Model(name, "real", path))
            else:
                print(f"bench: {path} is missing; skipped", file=sys.stderr)
    else:
        print("bench: no shared models folder; only the zoo models", file=sys.stderr)
    for name, zoo_args, big in ZOO_MODELS:
        if args.quick and big:
            continue
        models.append(Model(name, "zoo", "pex.zoo " + " ".join(zoo_args), zoo_args))
    if args.only:
        models = [m for m in models if re.search(args.only, m.name)]
    tflm = read_tflm_figures(models_dir)
    bests = read_published_bests(models_dir)

    for model in models:
        print(f"bench: {model.name} ...", end="", flush=True, file=sys.stderr)
        bench_model(model, work)
        status = "FAILED" if model.failures else "ok"
        print(f" {status} ({model.seconds:.1f} s)", file=sys.stderr)

    rows = [figures(m, tflm.get(m.name, {}), bests.get(m.name)) for m in models]
    total = time.perf_counter() - start
    header = (f"Pex benchmark, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit "
              f"{commit}{' (work tree: uncommitted compiler changes)' if dirty else ''}, "
              f"pexc built {built}, target {TARGET}, "
              f"{os.cpu_count()} cores ({platform.machine()}), "
              f"{'--quick, ' if args.quick else ''}total {total:.0f} s")
    text = f"{header}\n\n{markdown(rows, models)}"
    print(text)
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(work, "results.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "output_check": _check_cell(row)})
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"header": header, "commit": commit, "compiler_modified": dirty,
                   "target": TARGET, "total_seconds": round(total, 1), "quick": args.quick,
                   "peak_sram": "arena_bytes + io_bytes (the model's input and output)",
                   "io_arena": "arena_bytes of pexc --io=arena (the arena holds the input "
                               "and output; io_bytes 0)",
                   "models": rows}, f, indent=1)
    print(f"bench: wrote {work}/results.md, results.csv, results.json, pictures/", file=sys.stderr)
    return 1 if any(m.failures for m in models) else 0


if __name__ == "__main__":
    sys.exit(main())

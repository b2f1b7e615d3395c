#!/usr/bin/python3
"""Pex fuzzer: random zoo models and the per-operator test models through pexc
under every option combination, checked against four oracles.

    PYTHONPATH=python /usr/bin/python3 bench/fuzz.py [--seed S] [--minutes M]
        [--arch A ...] [--dtype int8|f32] [--testmodels] [--pexc PATH]
        [--work DIR] [--keep]

What it varies (all drawn from random.Random(f"{seed}:{case}"), so a seed and
a case number name one configuration, independent of timing):

- zoo mode (default): the architecture (mobilenet_v1/v2, mcunet, ds_cnn,
  resnet8), --width, --resolution (32..96, odd ones too, image nets only),
  --classes (1..100 or the default), mcunet's --kernel 3|5|7 and --expansion
  3|4|6, --dtype int8|f32, the zoo's weight --seed, and the input bytes (the
  reference input of pex.reference.make_input, or seeded random bytes);
- the pexc options: the default and --no-partial always, then a sample of
  --no-reorder, --io=arena, --io=stream, --arena=external, --stream and their
  combinations, one to
  three --sram-budget=B values (B drawn between the default's lower bound and
  the arena --no-partial needs, the exact default size, the exact
  peak + I/O, and below the lower bound), sometimes a budget with --io=arena,
  sometimes --target=cortex-m4, -m7, -m33 or -m0plus (QEMU; models under
  3 MB of flash and 20 M MACs), sometimes forced
  slice counts (`pex-opt --canonicalize --pex-normalize-tosa --pex-reorder
  --pex-partition=slices=N`, pexc's order of these passes, then
  `pexc --no-partial`);
- --arch random: random_network(seed) graphs instead of the zoo: chains of
  convolutions with any channel count (1..40), kernels 1..7, 1x3, 3x1, 2x2,
  strides 1-2, depthwise convolutions, max/average pooling (SAME or VALID),
  padding, concatenation, residual add and mul, leaky ReLU and logistic, and a
  head (none, pooled dense + softmax, dense, mean, flatten + dense) on a
  random 1xHxWxC input (H, W 3..40; C 1..8); reproduce one with
  `bench/fuzz.py --emit-random SEED --dtype D -o model.mlir`;
- --testmodels: every model of `python3 -m pex.testmodels --list` under every
  option combination above (the deliberately broken models only for oracle 1).

Oracles (a violation is a finding):
1. crash: pexc (or pex-opt) must succeed or fail with exit status 1 and a
   one-line `error:` diagnostic; a signal, "Assertion", "Segmentation",
   "internal:", "LLVM ERROR", "Stack dump", any other exit status, a nonzero
   run status or a timeout is a finding ("crash", "bad-exit", "timeout",
   "run-status"); a clean error on a configuration that must compile is
   "unexpected-error"; an error whose diagnostic spans several lines is
   "multiline-diagnostic".
2. mismatch: every variant's output against the default's (int8 and other
   integers: identical bytes; f32: max |a-b| <= 1e-5 * max |default|; an f32
   difference up to 1e-4 is reported as "f32-tolerance", the rounding of a
   different summation order through a deep network, not as a mismatch).
3. differential: `python3 -m pex.reference.differential MODEL --pexc PEXC`
   (default options vs upstream MLIR lowering run with mlir-runner) must print
   "identical" or "within tolerance".
4. report: in --report-json, the planner's cost is the planned arena:
   schedule_peak_bytes (the aligned peak reordering and partitioning
   minimised) == schedule.peak_bytes == the largest step's live_bytes ==
   arena_lower_bound_bytes == arena_bytes ("cost-vs-arena" otherwise);
   lower_bound_bytes <= schedule_peak_bytes; arena_peak_bytes (exact) <=
   arena_bytes; every
   arena_buffers entry inside the arena and no two buffers live at the same
   step sharing a byte; macs the same in every variant; io_bytes == 0 with
   --io=arena; with --sram-budget=B, success implies arena_bytes + io_bytes
   <= B, and a budget at least the default's arena + I/O must not fail
   ("budget-regression").

Output: one line per case, then a table of runs per architecture and option
set with their outcomes, then every distinct finding (deduplicated by kind,
option set and the diagnostic with numbers blanked) with a reproducer: the
case directory (kept under --work, default /tmp/fuzz/work-SEED) holds
model.mlir, in.bin and repro.sh, which regenerates the model and reruns the
failing command. Directories of cases without findings are removed unless
--keep. Re-run one case exactly with `--seed S --case N --minutes 0`.
Exit status 1 when there are findings.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3"
ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
TIMEOUT = 600
FLOAT_RTOL = 1e-5

CRASH_PATTERNS = ("Assertion", "Segmentation", "internal:", "LLVM ERROR",
                  "Stack dump", "PLEASE submit", "Aborted", "UNREACHABLE",
                  "Traceback")

ARCHS = {
    # arch: (widths, uses resolution)
    "mobilenet_v1": ([0.1, 0.125, 0.2, 0.25, 0.35, 0.5], True),
    "mobilenet_v2": ([0.1, 0.2, 0.25, 0.35, 0.5], True),
    "mcunet": ([0.2, 0.25, 0.35, 0.5, 0.75], True),
    "ds_cnn": ([0.1, 0.25, 0.5, 1.0], False),
    "resnet8": ([0.25, 0.5, 1.0], False),
}
# name: pexc flags (besides --target and the I/O files)
VARIANTS = {
    "default": [],
    "no-partial": ["--no-partial"],
    "no-reorder": ["--no-reorder"],
    "no-partial+no-reorder": ["--no-partial", "--no-reorder"],
    "io-arena": ["--io=arena"],
    "arena-ext": ["--arena=external"],
    "io-arena+arena-ext": ["--io=arena", "--arena=external"],
    "io-arena+no-partial": ["--io=arena", "--no-partial"],
    "io-arena+no-reorder": ["--io=arena", "--no-reorder"],
    "io-arena+no-partial+no-reorder": ["--io=arena", "--no-partial", "--no-reorder"],
    "stream": ["--stream"],
    "io-arena+stream": ["--io=arena", "--stream"],
    "stream+no-partial": ["--stream", "--no-partial"],
    "io-stream": ["--io=stream"],
    "io-stream+stream": ["--io=stream", "--stream"],
}
BROKEN_TESTMODELS = {"bad_magic", "dynamic_shape", "truncated", "unsupported_operator",
                     "onnx_dynamic_shape", "onnx_truncated", "onnx_unsupported",
                     # refused by design (test/Import/onnx/*-error.test)
                     "onnx_ceil_mode", "onnx_clip_range", "onnx_computed_weights", "onnx_conv1d",
                     "onnx_gemm_trans_a", "onnx_grouped_conv", "onnx_int8_input",
                     "onnx_lone_batch_norm", "onnx_avg_pool_dilations", "onnx_softmax_axis"}


MULTI_INPUT_TESTMODELS = {"add_int8", "concat_int8", "mul_int8"}


# --- random networks ------------------------------------------------------
def random_network(seed: int, dtype: str) -> str:
    """A random small network as TOSA MLIR: convolutions (odd channel counts,
    kernels 1..7 and 1xK/Kx1, strides 1-2), depthwise convolutions, pooling,
    padding, concatenation, residual adds and multiplies, leaky ReLU and logistic,
    then one of several heads. Built with the zoo's NetworkBuilder; int8 is
    calibrated and quantised as the zoo does."""
    import math

    from pex.graph import Graph
    from pex.tosa import emit_module
    from pex.zoo.builder import NetworkBuilder
    from pex.zoo.quantize import quantize

    rng = random.Random(f"net:{seed}")
    h, w = rng.randint(3, 40), rng.randint(3, 40)
    b = NetworkBuilder("randnet", (1, h, w, rng.choice([1, 1, 2, 3, 4, 5, 8])), seed)
    act = lambda: rng.choice(["NONE", "RELU", "RELU6"])  # noqa: E731
    x = b.input
    seen = [x]
    for _ in range(rng.randint(1, 9)):
        kind = rng.choice(["conv", "conv", "conv", "depthwise", "depthwise", "pool", "add",
                           "concat", "pad", "unary", "mul"])
        if kind == "conv":
            kernel = rng.choice([1, 1, 3, 3, 5, 7, (1, 3), (3, 1), (2, 2)])
            x = b.conv(x, rng.randint(1, 40), kernel, rng.choice([1, 1, 2]), act())
        elif kind == "depthwise":
            x = b.depthwise(x, rng.choice([3, 3, 5, 7]), rng.choice([1, 1, 2]), act())
        elif kind == "pool":
            k = rng.choice([2, 3])
            stride = rng.choice([1, 2])
            if rng.random() < 0.5:
                window, (oh, ow) = b._window(x, (k, k), stride)
            else:
                if x.shape[1] < k or x.shape[2] < k:
                    continue
                window = dict(stride=(stride, stride), pad=(0, 0, 0, 0))
                oh, ow = (x.shape[1] - k) // stride + 1, (x.shape[2] - k) // stride + 1
            x = b._emit(rng.choice(["max_pool2d", "avg_pool2d"]), [x],
                        (1, oh, ow, x.shape[3]), "pool", kernel=(k, k), activation="NONE",
                        **window)
        elif kind == "add":
            same = [t for t in seen[:-1] if t.shape == x.shape]
            other = rng.choice(same) if same else b.conv(x, x.shape[3], 1, 1, act())
            x = b.add(other, x, rng.choice(["NONE", "RELU"]))
        elif kind == "mul":
            same = [t for t in seen[:-1] if t.shape == x.shape]
            other = rng.choice(same) if same else b.depthwise(x, 3, 1, "RELU6")
            x = b._emit("mul", [x, other], x.shape, "mul", activation="NONE")
        elif kind == "concat":
            y = b.conv(x, rng.randint(1, 24), rng.choice([1, 3]), 1, act(), name="branch")
            parts = [x, y] if rng.random() < 0.5 else [y, x]
            x = b._emit("concat", parts, (*x.shape[:3], x.shape[3] + y.shape[3]), "concat",
                        axis=3, activation="NONE")
        elif kind == "pad":
            pads = ((0, 0), (rng.randint(0, 2), rng.randint(0, 2)),
                    (rng.randint(0, 2), rng.randint(0, 2)), (0, 0))
            shape = tuple(d + lo + hi for d, (lo, hi) in zip(x.shape, pads))
            x = b._emit("pad", [x], shape, "pad", pads=pads)
        elif kind == "unary":
            if rng.random() < 0.5:
                x = b._emit("leaky_relu", [x], x.shape, "leaky", alpha=rng.choice([0.1, 0.2]))
            else:
                x = b._emit("logistic", [x], x.shape, "logistic")
        seen.append(x)
    head = rng.choice(["none", "classifier", "classifier", "dense", "mean", "flatten-dense"])
    classes = rng.randint(1, 20)
    if head == "classifier":
        x = b.softmax(b.dense(b.global_average_pool(x), classes))
    elif head == "dense":
        x = b.dense(b.global_average_pool(x), classes)
    elif head == "mean":
        x = b._emit("mean", [x], (1, 1, 1, x.shape[3]), "mean", axes=(1, 2), keep_dims=True)
    elif head == "flatten-dense" and math.prod(x.shape) <= 4096:
        flat = b._emit("reshape", [x], (1, math.prod(x.shape)), "flatten")
        x = b.dense(flat, classes)
    graph = b.graph(x)
    if dtype == "int8":
        calibration = np.random.default_rng(seed + 1).uniform(0, 1, graph.inputs[0].shape)
        graph = quantize(graph, calibration)
    assert isinstance(graph, Graph)
    return emit_module(graph)


class Run:
    """One pexc (or pex-opt) invocation and its outcome."""

    def __init__(self, variant: str, argv: list[str], rc: int | None, stderr: str,
                 elapsed: float, out: str | None, report: dict | None):
        self.variant, self.argv, self.rc, self.stderr = variant, argv, rc, stderr
        self.elapsed, self.out, self.report = elapsed, out, report
        self.outcome = classify(rc, stderr)


def classify(rc: int | None, stderr: str) -> str:
    if rc is None:
        return "timeout"
    if any(p in stderr for p in CRASH_PATTERNS) or rc < 0 or rc >= 128:
        return "crash"
    if rc == 0:
        return "ok"
    lines = [line for line in stderr.splitlines() if line.strip()]
    if rc == 1 and lines and "error:" in lines[0]:
        # MLIR echoes the source line and a caret under a file location: allowed.
        extra = [ln for ln in lines[1:] if ln.strip() != "^"]
        if len(extra) > 1 or any("note: see current operation" in ln for ln in lines):
            return "error-multiline"
        return "error"
    if rc == 1 and not lines:
        return "bad-exit"
    return "run-status" if rc > 1 and not lines else "bad-exit"


def normalise(message: str) -> str:
    """A diagnostic with paths, numbers and SSA names blanked, for deduplication."""
    line = next((ln for ln in message.splitlines() if ln.strip()), "")
    line = re.sub(r"\S*/", "", line)
    line = re.sub(r"%\w+", "%_", line)
    return re.sub(r"\d+", "N", line)[:200]


def read_output_dtype(header: str) -> str:
    with open(header) as f:
        text = f.read()
    match = re.search(r"typedef (\w+) pex_\w+_output_t;", text)
    ctype = match.group(1) if match else "int8_t"
    return {"float": "f32", "int8_t": "i8", "int32_t": "i32", "int64_t": "i64"}.get(ctype, "i8")


def compare(a: bytes, b: bytes, dtype: str) -> tuple[bool, str]:
    if a == b:
        return True, "identical"
    kind = {"f32": np.float32, "i8": np.int8, "i32": np.int32, "i64": np.int64}[dtype]
    x, y = np.frombuffer(a, kind), np.frombuffer(b, kind)
    if x.shape != y.shape:
        return False, f"DIFFERENT sizes ({x.size} and {y.size} elements)"
    diff = float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64)), initial=0.0))
    scale = float(np.max(np.abs(y.astype(np.float64)), initial=0.0)) or 1.0
    if dtype == "f32" and diff <= FLOAT_RTOL * scale:
        return True, f"within tolerance (max abs diff {diff:.3g})"
    differing = int(np.sum(x != y))
    return False, f"DIFFERENT (max abs diff {diff:.3g}, {differing}/{x.size} elements)"


def compare_scaled(a_path: str, b_path: str) -> float:
    """max |a - b| / max |b| of two f32 outputs."""
    a, b = np.fromfile(a_path, np.float32), np.fromfile(b_path, np.float32)
    if a.shape != b.shape:
        return float("inf")
    scale = float(np.max(np.abs(b), initial=0.0)) or 1.0
    return float(np.max(np.abs(a.astype(np.float64) - b), initial=0.0)) / scale


class Case:
    """One model and all the runs on it."""

    def __init__(self, fuzzer: "Fuzzer", number: int, label: str, family: str, directory: str):
        self.fuzzer, self.number, self.label, self.family = fuzzer, number, label, family
        self.dir = directory
        self.runs: dict[str, Run] = {}
        self.findings: list[dict] = []
        self.setup: list[str] = []  # shell commands that recreate model.* and in.bin
        self.model = ""
        self.dtype = "i8"

    def finding(self, kind: str, variant: str, detail: str, command: list[str] | str):
        cmd = command if isinstance(command, str) else " ".join(shlex.quote(c) for c in command)
        self.findings.append({"kind": kind, "variant": variant, "detail": detail.strip(),
                              "command": cmd, "case": self.label, "dir": self.dir,
                              "family": self.family})

    def pexc(self, variant: str, flags: list[str], target: str = "host",
             model: str | None = None, expect_ok: bool = True) -> Run:
        stem = re.sub(r"[^\w.+-]", "_", variant)
        out = os.path.join(self.dir, f"{stem}.bin")
        obj = os.path.join(self.dir, f"{stem}.o")
        report = os.path.join(self.dir, f"{stem}.json")
        for path in (out, report):
            if os.path.exists(path):
                os.remove(path)
        argv = [self.fuzzer.pexc, model or self.model, f"--target={target}", "-q", "-o", obj,
                f"--run={os.path.join(self.dir, 'in.bin')}", f"--output={out}",
                f"--report-json={report}"] + flags
        run = self.fuzzer.execute(variant, argv, out, report)
        self.runs[variant] = run
        self.fuzzer.count(self.family, variant, run.outcome)
        self.check_outcome(run, expect_ok)
        if run.outcome == "ok":
            self.check_report(run)
            if os.path.exists(obj):
                os.remove(obj)
        return run

    def check_outcome(self, run: Run, expect_ok: bool):
        argv = [os.path.basename(a) if a == self.fuzzer.pexc else a for a in run.argv]
        if run.outcome in ("crash", "bad-exit", "timeout", "run-status"):
            self.finding(run.outcome, run.variant,
                         f"exit {run.rc}: " + "\n".join(run.stderr.splitlines()[:6]), argv)
        elif run.outcome == "error-multiline":
            self.finding("multiline-diagnostic", run.variant,
                         "\n".join(run.stderr.splitlines()[:3]), argv)
        if run.outcome.startswith("error") and expect_ok:
            self.finding("unexpected-error", run.variant, run.stderr.splitlines()[0], argv)

    def check_report(self, run: Run):
        r = run.report
        argv = [os.path.basename(a) if a == self.fuzzer.pexc else a for a in run.argv]
        if r is None:
            self.finding("report", run.variant, "no report written", argv)
            return
        problems = []
        peak, cost = r.get("arena_peak_bytes"), r.get("schedule_peak_bytes")
        alb, size, lb = r.get("arena_lower_bound_bytes"), r.get("arena_bytes"), r.get("lower_bound_bytes")
        sched = r.get("schedule", {})
        if sched.get("peak_bytes") != cost:
            problems.append(f"schedule.peak_bytes {sched.get('peak_bytes')} != {cost}")
        steps = sched.get("steps", [])
        if steps and max(s["live_bytes"] for s in steps) != sched.get("peak_bytes"):
            problems.append("largest step live_bytes != schedule.peak_bytes")
        if not (cost == alb == size):
            self.finding("cost-vs-arena", run.variant,
                         f"planner cost {cost}, arena lower bound {alb}, arena {size}", argv)
        if peak > size:
            problems.append(f"exact peak {peak} > arena {size}")
        if lb > cost:
            problems.append(f"lower_bound_bytes {lb} > schedule_peak_bytes {cost}")
        if "--io=arena" in run.argv and r.get("io_bytes") != 0:
            problems.append(f"io_bytes {r.get('io_bytes')} with --io=arena")
        if r.get("status", 0) != 0:
            problems.append(f"run status {r.get('status')}")
        buffers = r.get("arena_buffers", [])
        for b in buffers:
            if b["offset"] < 0 or b["offset"] + b["bytes"] > size:
                problems.append(f"buffer {b} outside the arena of {size} bytes")
        ordered = sorted(buffers, key=lambda b: b["first"])
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if b["first"] > a["last"]:
                    break
                # A stream's result planned over its input's consumed rows.
                planned = (a.get("over_consumed_input") == b["offset"]
                           or b.get("over_consumed_input") == a["offset"])
                if (a["offset"] < b["offset"] + b["bytes"] and b["offset"] < a["offset"] + a["bytes"]
                        and not planned):
                    problems.append(f"buffers overlap while both live: {a} and {b}")
        budget = next((int(a.split("=")[1]) for a in run.argv if a.startswith("--sram-budget=")), 0)
        if budget:
            used = size + (0 if "--io=arena" in run.argv else r.get("io_bytes", 0))
            if used > budget:
                problems.append(f"--sram-budget={budget} succeeded but arena_bytes {size} + "
                                f"io_bytes {r.get('io_bytes')} = {used} > {budget}")
        for p in problems[:4]:
            self.finding("report", run.variant, p, argv)

    def compare_to_default(self, run: Run):
        base = self.runs.get("default")
        if run.outcome != "ok" or not base or base.outcome != "ok" or run is base:
            return
        if not (run.out and os.path.exists(run.out) and base.out and os.path.exists(base.out)):
            self.finding("mismatch", run.variant, "missing output file", run.argv)
            return
        with open(run.out, "rb") as fa, open(base.out, "rb") as fb:
            ok, message = compare(fa.read(), fb.read(), self.dtype)
        if not ok:
            argv = [os.path.basename(a) if a == self.fuzzer.pexc else a for a in run.argv]
            # f32 beyond 1e-5 but within 1e-4 of the largest magnitude: a different
            # summation order through a deep network (reported apart, not a mismatch).
            kind = "mismatch"
            if self.dtype == "f32" and compare_scaled(run.out, base.out) <= 10 * FLOAT_RTOL:
                kind = "f32-tolerance"
            self.finding(kind, run.variant,
                         f"output vs default: {message}",
                         " ".join(shlex.quote(a) for a in argv)
                         + f" && {PYTHON} -m pex.reference.compare_outputs {run.out} {base.out}"
                         f" --dtype {self.dtype}")
        if run.report and base.report and run.report.get("macs") != base.report.get("macs"):
            self.finding("report", run.variant,
                         f"macs {run.report.get('macs')} != default's {base.report.get('macs')}",
                         run.argv)

    def run_variants(self, rng: random.Random, full: bool, budgets: int):
        """default, no-partial, a sample (or all) of the others, budgets, targets, slices."""
        base = self.pexc("default", [])
        if base.outcome != "ok":
            return
        self.dtype = read_output_dtype(os.path.join(self.dir, "default.h"))
        nopart = self.pexc("no-partial", ["--no-partial"])
        self.compare_to_default(nopart)
        others = [v for v in VARIANTS if v not in ("default", "no-partial")]
        chosen = others if full else rng.sample(others, rng.randint(3, 5))
        for v in chosen:
            self.compare_to_default(self.pexc(v, VARIANTS[v]))
        # Budgets: caller-held I/O.
        r = base.report
        io = r["io_bytes"]
        lo = r["lower_bound_bytes"] + io
        mid = r["arena_bytes"] + io
        hi = (nopart.report["arena_bytes"] + nopart.report["io_bytes"]) if nopart.report else mid
        candidates = [("between", lambda: rng.randint(lo, max(lo, hi))),
                      ("default-size", lambda: mid),
                      ("peak+io", lambda: r["arena_peak_bytes"] + io),
                      ("lower-bound", lambda: lo),
                      ("below", lambda: rng.randint(max(1, lo // 2), max(1, lo - 1))),
                      ("above-default", lambda: rng.randint(mid, max(mid, hi)))]
        picks = candidates if full else rng.sample(candidates, budgets)
        for what, value in picks:
            b = value()
            run = self.pexc(f"budget-{what}={b}", [f"--sram-budget={b}"], expect_ok=False)
            self.compare_to_default(run)
            if run.outcome.startswith("error") and b >= mid:
                self.finding("budget-regression", run.variant,
                             f"budget {b} >= default arena + io {mid} but: "
                             + run.stderr.splitlines()[0], run.argv)
        if full or rng.random() < 0.4:
            ioa = self.runs.get("io-arena") or self.pexc("io-arena", VARIANTS["io-arena"])
            self.compare_to_default(ioa)
            if ioa.outcome == "ok":
                a = ioa.report
                b = rng.randint(a["lower_bound_bytes"], max(a["lower_bound_bytes"],
                                                          nopart.report["arena_bytes"] + io)
                                if nopart.report else a["arena_bytes"])
                run = self.pexc(f"io-arena+budget={b}", ["--io=arena", f"--sram-budget={b}"],
                                expect_ok=False)
                self.compare_to_default(run)
                if run.outcome.startswith("error") and b >= a["arena_bytes"]:
                    self.finding("budget-regression", run.variant,
                                 f"budget {b} >= default io-arena arena {a['arena_bytes']} but: "
                                 + run.stderr.splitlines()[0], run.argv)
        # Cortex-M in QEMU, for small models (the boards have 4 MB of flash).
        if r["macs"] < 20_000_000 and r["flash_bytes"] < 3_000_000 and (full or rng.random() < 0.3):
            for target in (["cortex-m4", "cortex-m0plus"] if full else
                           [rng.choice(["cortex-m4", "cortex-m0plus", "cortex-m7", "cortex-m33"])]):
                flags = rng.choice([[], ["--io=arena"], ["--no-partial"], ["--stream"],
                                    ["--io=stream", "--stream"]])
                name = target + ("+" + "+".join(f.strip("-") for f in flags) if flags else "")
                self.compare_to_default(self.pexc(name, flags, target=target))
        # Forced slice counts.
        if self.model.endswith(".mlir") and (full or rng.random() < 0.35):
            n = rng.randint(2, 9)
            groups = os.path.join(self.dir, f"slices{n}.mlir")
            # pexc's passes before partitioning: normalised first, a slice
            # of a group's result (computing rows nobody reads) is folded
            # into its producer, as it is in every other variant.
            argv = [self.fuzzer.pex_opt, self.model, "--canonicalize",
                    "--pex-normalize-tosa", "--pex-reorder",
                    f"--pex-partition=slices={n}", "-o", groups]
            run = self.fuzzer.execute(f"pex-opt slices={n}", argv, None, None)
            self.fuzzer.count(self.family, "slices", run.outcome)
            self.check_outcome(run, expect_ok=False)
            if run.outcome == "ok":
                self.compare_to_default(self.pexc(f"slices={n}", ["--no-partial"], model=groups))
        # Upstream MLIR.
        if full or rng.random() < 0.5:
            self.differential()

    def differential(self):
        argv = [PYTHON, "-m", "pex.reference.differential", self.model, "--pexc", self.fuzzer.pexc]
        start = time.time()
        try:
            proc = subprocess.run(argv, env=ENV, capture_output=True, text=True, timeout=TIMEOUT)
            text, rc = proc.stdout.strip() + proc.stderr.strip(), proc.returncode
        except subprocess.TimeoutExpired:
            text, rc = "timeout", None
        outcome = "ok" if rc == 0 and (text.startswith("identical")
                                       or text.startswith("within tolerance")) else "fail"
        self.fuzzer.count(self.family, "differential", outcome)
        self.fuzzer.log(f"    differential {outcome} {text.splitlines()[0] if text else ''} "
                        f"({time.time() - start:.1f}s)")
        if outcome != "ok":
            self.finding("differential", "default", text[:400], argv)

    def write_repro(self):
        lines = ["#!/bin/sh", "# Reproducer written by bench/fuzz.py", "set -x",
                 f"cd {shlex.quote(self.dir)}", f"export PYTHONPATH={shlex.quote(ENV['PYTHONPATH'])}"]
        lines += self.setup
        for f in self.findings:
            lines.append(f"# {f['kind']} ({f['variant']}): {f['detail'].splitlines()[0] if f['detail'] else ''}")
            lines.append(f["command"])
        with open(os.path.join(self.dir, "repro.sh"), "w") as out:
            out.write("\n".join(lines) + "\n")


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.pexc = os.path.abspath(args.pexc)
        self.pex_opt = os.path.join(os.path.dirname(self.pexc), "pex-opt")
        self.work = args.work or f"/tmp/fuzz/work-{args.seed}"
        os.makedirs(self.work, exist_ok=True)
        self.table = collections.defaultdict(collections.Counter)  # (family, variant) -> outcomes
        self.findings: list[dict] = []
        self.cases = 0
        self.logfile = open(os.path.join(self.work, "log.txt"), "a")

    def log(self, text: str):
        print(text, flush=True)
        self.logfile.write(text + "\n")
        self.logfile.flush()

    def count(self, family: str, variant: str, outcome: str):
        key = re.sub(r"=\d+$", "", variant)
        key = re.sub(r"^slices$", "pex-opt slices", key)
        self.table[(family, key)][outcome] += 1

    def execute(self, variant, argv, out, report) -> Run:
        start = time.time()
        try:
            proc = subprocess.run(argv, env=ENV, capture_output=True, text=True, timeout=TIMEOUT)
            rc, stderr = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired as e:
            rc, stderr = None, (e.stderr or b"").decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        elapsed = time.time() - start
        data = None
        if report and os.path.exists(report):
            try:
                with open(report) as f:
                    data = json.load(f)
            except ValueError:
                data = None
        run = Run(variant, argv, rc, stderr, elapsed, out, data)
        first = normalise(stderr) if run.outcome != "ok" else ""
        self.log(f"    {variant:34s} {run.outcome:16s} {elapsed:6.1f}s {first[:100]}")
        return run

    # --- zoo cases -------------------------------------------------------
    def zoo_case(self, number: int):
        rng = random.Random(f"{self.args.seed}:{number}")
        archs = self.args.arch or sorted(ARCHS)
        arch = rng.choice(archs)
        if arch == "random":
            return self.random_case(number, rng)
        widths, has_resolution = ARCHS[arch]
        zoo = [arch, "--width", str(rng.choice(widths))]
        if has_resolution:
            resolution = rng.choice([rng.randint(32, 96), rng.choice([32, 40, 48, 56, 64, 80, 96])])
            zoo += ["--resolution", str(resolution)]
        if rng.random() < 0.5:
            zoo += ["--classes", str(rng.choice([1, 2, 3, 5, 7, 10, 12, 17, 33, 100]))]
        if arch == "mcunet":
            zoo += ["--kernel", str(rng.choice([3, 5, 7])), "--expansion", str(rng.choice([3, 4, 6]))]
        dtype = self.args.dtype or rng.choice(["int8", "f32"])
        zoo += ["--dtype", dtype, "--seed", str(rng.randint(0, 1000))]
        label = f"#{number} " + " ".join(zoo)
        directory = os.path.join(self.work, f"case{number:04d}")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        case = Case(self, number, label, arch, directory)
        self.log(f"case {label}")
        case.model = os.path.join(directory, "model.mlir")
        gen = [PYTHON, "-m", "pex.zoo"] + zoo + ["-o", case.model]
        subprocess.run(gen, env=ENV, check=True)
        case.setup.append(" ".join(shlex.quote(c) for c in gen))
        self.make_input(case, rng, dtype)
        case.run_variants(rng, full=False, budgets=rng.randint(1, 3))
        self.finish(case)

    def random_case(self, number: int, rng: random.Random):
        dtype = self.args.dtype or rng.choice(["int8", "f32"])
        seed = rng.randint(0, 100000)
        label = f"#{number} random --net-seed {seed} --dtype {dtype}"
        directory = os.path.join(self.work, f"case{number:04d}")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        case = Case(self, number, label, "random", directory)
        self.log(f"case {label}")
        case.model = os.path.join(directory, "model.mlir")
        gen = [PYTHON, os.path.abspath(__file__), "--emit-random", str(seed), "--dtype", dtype,
               "-o", case.model]
        proc = subprocess.run(gen, env=ENV, capture_output=True, text=True)
        case.setup.append(" ".join(shlex.quote(c) for c in gen))
        if proc.returncode != 0:
            self.log(f"    generator failed: {proc.stderr.strip().splitlines()[-1:]}")
            self.count("random", "generator", "error")
            shutil.rmtree(directory, ignore_errors=True)
            self.cases += 1
            return
        self.make_input(case, rng, dtype)
        case.run_variants(rng, full=False, budgets=rng.randint(1, 3))
        self.finish(case)

    def make_input(self, case: Case, rng: random.Random | None, dtype: str = "int8") -> bool:
        """The reference input, or (zoo cases, 30%) seeded random input bytes."""
        path = os.path.join(case.dir, "in.bin")
        cmd = [PYTHON, "-m", "pex.reference.make_input", case.model, "-o", path]
        proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
        case.setup.append(" ".join(shlex.quote(c) for c in cmd))
        if proc.returncode != 0:
            return False
        if rng is not None and rng.random() < 0.3:
            size = os.path.getsize(path)
            seed = rng.randint(0, 2**31)
            gen = np.random.default_rng(seed)
            if dtype == "f32":
                data = gen.uniform(-1, 1, size // 4).astype(np.float32).tobytes()
                code = f"np.random.default_rng({seed}).uniform(-1, 1, {size // 4}).astype(np.float32)"
            else:
                data = gen.integers(-128, 128, size, dtype=np.int8).tobytes()
                code = f"np.random.default_rng({seed}).integers(-128, 128, {size}, dtype=np.int8)"
            with open(path, "wb") as out:
                out.write(data)
            case.setup.append(f"{PYTHON} -c 'import numpy as np; {code}.tofile(\"in.bin\")'")
        return True

    # --- test models ------------------------------------------------------
    def testmodel_case(self, number: int, name: str):
        rng = random.Random(f"{self.args.seed}:tm:{name}")
        directory = os.path.join(self.work, f"tm-{name}")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        family = "onnx" if name.startswith("onnx") else "tflite"
        case = Case(self, number, f"testmodel {name}", family, directory)
        self.log(f"case {case.label}")
        # Named after the test model: a file named model.* hits the PEX_MODEL_* header clash.
        case.model = os.path.join(directory, name + (".onnx" if family == "onnx" else ".tflite"))
        gen = [PYTHON, "-m", "pex.testmodels", name, "-o", case.model]
        proc = subprocess.run(gen, env=ENV, capture_output=True, text=True)
        case.setup.append(" ".join(shlex.quote(c) for c in gen))
        if proc.returncode != 0:
            case.finding("generator", "-", proc.stderr[-300:], case.setup[-1])
        if name in BROKEN_TESTMODELS:
            # Only oracle 1: a clean one-line error.
            with open(os.path.join(directory, "in.bin"), "wb") as out:
                out.write(b"\0" * 64)
            for v in ("default", "no-partial", "io-arena"):
                run = case.pexc(v, VARIANTS[v], expect_ok=False)
                if run.outcome == "ok":
                    case.finding("accepted-broken-model", v, "compiled a broken model", run.argv)
            self.finish(case)
            return
        if name in MULTI_INPUT_TESTMODELS:
            # pexc takes one input: pack them as the differential script does.
            packed = os.path.join(directory, name + ".mlir")
            code = ("import sys; from pex.importers import import_model; "
                    "from pex.reference.differential import pack_inputs; "
                    "open(sys.argv[2], 'w').write(pack_inputs(import_model(sys.argv[1])))")
            cmd = [PYTHON, "-c", code, case.model, packed]
            subprocess.run(cmd, env=ENV, check=True)
            case.setup.append(" ".join(shlex.quote(c) for c in cmd))
            case.model = packed
        if not self.make_input(case, None):  # the reference input
            case.finding("make-input", "-", "make_input failed", case.setup[-1])
        case.run_variants(rng, full=True, budgets=0)
        self.finish(case)

    def finish(self, case: Case):
        self.cases += 1
        if case.findings:
            case.write_repro()
            for f in case.findings:
                self.log(f"  FINDING {f['kind']} [{f['variant']}] {f['detail'].splitlines()[0][:160]}")
            self.findings += case.findings
        elif not self.args.keep:
            shutil.rmtree(case.dir, ignore_errors=True)

    def summary(self):
        variants = sorted({v for (_, v) in self.table})
        families = sorted({f for (f, _) in self.table})
        outcomes = sorted({o for c in self.table.values() for o in c})
        print(f"\n== {self.cases} cases, seed {self.args.seed}, pexc {self.pexc}")
        print(f"{'family':14s} {'variant':32s} " + " ".join(f"{o:>16s}" for o in outcomes))
        for fam in families:
            for v in variants:
                c = self.table.get((fam, v))
                if c:
                    print(f"{fam:14s} {v:32s} " + " ".join(f"{c[o]:16d}" for o in outcomes))
        groups = collections.OrderedDict()
        for f in self.findings:
            vkey = re.sub(r"=\d+", "", f["variant"])
            key = (f["kind"], vkey, normalise(f["detail"]))
            groups.setdefault(key, []).append(f)
        print(f"\n== {len(self.findings)} findings, {len(groups)} distinct")
        for (kind, variant, detail), items in groups.items():
            first = items[0]
            print(f"\n[{kind}] {variant} x{len(items)}: {first['detail'][:300]}")
            print(f"  case: {first['case']}")
            print(f"  repro: sh {first['dir']}/repro.sh   # {first['command'][:300]}")
        with open(os.path.join(self.work, "findings.json"), "w") as out:
            json.dump(self.findings, out, indent=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="stop starting zoo cases after this long (0: one case)")
    parser.add_argument("--case", type=int, default=0, help="first case number")
    parser.add_argument("--arch", action="append", choices=sorted(ARCHS) + ["random"],
                        help="repeatable; 'random': random_network() graphs (default: the zoo)")
    parser.add_argument("--emit-random", type=int, metavar="SEED",
                        help="print random_network(SEED, --dtype) as TOSA MLIR to -o and exit")
    parser.add_argument("-o", dest="output")
    parser.add_argument("--dtype", choices=["int8", "f32"])
    parser.add_argument("--testmodels", action="store_true",
                        help="run the per-operator test models instead of zoo cases")
    parser.add_argument("--only", help="with --testmodels: regex of names")
    parser.add_argument("--pexc", default=os.path.join(ROOT, "build", "bin", "pexc"))
    parser.add_argument("--work")
    parser.add_argument("--keep", action="store_true", help="keep case directories without findings")
    args = parser.parse_args()
    if args.emit_random is not None:
        sys.path.insert(0, os.path.join(ROOT, "python"))
        text = random_network(args.emit_random, args.dtype or "int8")
        with open(args.output, "w") if args.output else sys.stdout as out:
            out.write(text)
        return 0
    fuzzer = Fuzzer(args)
    start = time.time()
    try:
        if args.testmodels:
            names = subprocess.run([PYTHON, "-m", "pex.testmodels", "--list"], env=ENV,
                                   capture_output=True, text=True, check=True).stdout.split()
            for i, name in enumerate(names):
                if args.only and not re.search(args.only, name):
                    continue
                fuzzer.testmodel_case(i, name)
        else:
            number = args.case
            while True:
                fuzzer.zoo_case(number)
                number += 1
                if time.time() - start >= args.minutes * 60:
                    break
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    fuzzer.summary()
    return 1 if fuzzer.findings else 0


if __name__ == "__main__":
    sys.exit(main())

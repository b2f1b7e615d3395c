#!/usr/bin/python3
"""Scaling of the reordering pass (issue 4: "reordering a 200-op graph
finishes in under 2 s").

    /usr/bin/python3 bench/reorder_scaling.py [--sizes 50,100,200,400] [--out DIR]

Generates f32 TOSA graphs of about 50/100/200/400 operators in three shapes
and times `build/bin/pex-opt --pex-reorder` on each:

- chain: a stem convolution, then residual blocks x -> {wide 1x1 conv + relu
  -> narrow 1x1 conv; shortcut 1x1 conv} -> add. Written with the shortcut
  first, so the search can move it after the wide branch. Few executed-unit
  sets per layer: the search is exact.
- branches-6: stages of 6 parallel branches (wide conv + relu -> narrow conv)
  joined by a concat, written breadth first (all wide convolutions, then all
  narrow ones), the worst order. At most 141 sets per layer: exact.
- branches-16: the same with 16 branches per stage: up to 5,196,627 sets per
  layer, far above the search's 4,096 (max-states), so it falls back to its
  bounded beam.

Columns: TOSA operators (not constants), units (what the search orders: the
logical operators of docs/memory-model.md, i.e. the steps of the memory report),
seconds (wall time of the pex-reorder pass itself from --mlir-timing, and of
the whole pex-opt call: parse, pass, print), peak before and after (from
--pex-memory-report, input and output counted), the memory report's lower
bound (the largest working set of one unit: no order is below it), whether
the search was exact (the largest number of executed-unit sets in one layer,
counted here from the graph's structure, is at most max-states, 4,096), and
whether the order found is optimal (exact, or its peak equals the lower bound).

The table is printed and written to build/bench/reorder_scaling.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEX_OPT = os.path.join(ROOT, "build", "bin", "pex-opt")
MAX_STATES = 4096
H = W = 8


class Graph:
    """Writes a TOSA function; keeps the unit structure for counting states."""

    def __init__(self, name: str, channels: int):
        self.name = name
        self.lines: list[str] = []
        self.constants: dict[str, str] = {}
        self.counter = 0
        self.ops = 0
        self.input_channels = channels

    @staticmethod
    def tensor(channels: int) -> str:
        return f"tensor<1x{H}x{W}x{channels}xf32>"

    def value(self) -> str:
        self.counter += 1
        return f"%v{self.counter}"

    def const(self, key: str, type_: str, value: str = "1.0e-2") -> str:
        if key not in self.constants:
            name = f"%c_{len(self.constants)}"
            self.constants[key] = name
            self.lines.insert(len(self.constants) - 1,
                              f'  {name} = "tosa.const"() {{values = dense<{value}> : {type_}}} '
                              f': () -> {type_}')
        return self.constants[key]

    def conv(self, x: str, cin: int, cout: int, label: str) -> str:
        w = self.const(f"w{cout}x{cin}", f"tensor<{cout}x1x1x{cin}xf32>")
        b = self.const(f"b{cout}", f"tensor<{cout}xf32>", "0.0")
        zp = self.const("zp", "tensor<1xf32>", "0.0")
        y = self.value()
        self.lines.append(
            f"  {y} = tosa.conv2d {x}, {w}, {b}, {zp}, {zp} {{acc_type = f32, dilation = "
            f"array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}} : "
            f"({self.tensor(cin)}, tensor<{cout}x1x1x{cin}xf32>, tensor<{cout}xf32>, "
            f"tensor<1xf32>, tensor<1xf32>) -> {self.tensor(cout)} loc(\"{label}\")")
        self.ops += 1
        return y

    def relu(self, x: str, channels: int, label: str) -> str:
        y = self.value()
        self.lines.append(f"  {y} = tosa.clamp {x} {{max_val = 3.4e38 : f32, min_val = 0.0 : f32}} "
                          f": ({self.tensor(channels)}) -> {self.tensor(channels)} loc(\"{label}\")")
        self.ops += 1
        return y

    def add(self, a: str, b: str, channels: int, label: str) -> str:
        y = self.value()
        t = self.tensor(channels)
        self.lines.append(f"  {y} = tosa.add {a}, {b} : ({t}, {t}) -> {t} loc(\"{label}\")")
        self.ops += 1
        return y

    def concat(self, values: list[tuple[str, int]], label: str) -> tuple[str, int]:
        y = self.value()
        total = sum(c for _, c in values)
        self.lines.append(
            f"  {y} = tosa.concat {', '.join(v for v, _ in values)} {{axis = 3 : i32}} : "
            f"({', '.join(self.tensor(c) for _, c in values)}) -> {self.tensor(total)} "
            f"loc(\"{label}\")")
        self.ops += 1
        return y, total

    def text(self, result: str, channels: int) -> str:
        body = "\n".join(self.lines)
        return (f"func.func @{self.name}(%x: {self.tensor(self.input_channels)}) -> "
                f"{self.tensor(channels)} {{\n{body}\n  return {result} : "
                f"{self.tensor(channels)}\n}}\n")


def _poly_mul(a: list[int], b: list[int]) -> list[int]:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def chain(target_ops: int) -> tuple[str, int, int]:
    """(MLIR, units, largest layer of executed-unit sets)."""
    c = 16
    g = Graph("chain", c)
    x = g.conv("%x", c, c, "stem")
    units = 1
    block = 0
    while g.ops + 5 <= target_ops:
        s = g.conv(x, c, c, f"shortcut_{block}")
        a = g.relu(g.conv(x, c, 4 * c, f"expand_{block}"), 4 * c, f"relu_{block}")
        b = g.conv(a, 4 * c, c, f"project_{block}")
        x = g.add(s, b, c, f"add_{block}")
        units += 3  # shortcut, expand (+ relu), project (+ add)
        block += 1
    # Within a block the shortcut runs before, between or after the other two:
    # at most 2 executed-unit sets of one size.
    return g.text(x, c), units, 2 if block else 1


def branches(target_ops: int, fan: int) -> tuple[str, int, int]:
    c = 16
    g = Graph(f"branches_{fan}", c)
    x, channels = "%x", c
    units, stage = 0, 0
    while g.ops + 3 * fan + 1 <= target_ops or stage == 0:
        wide = []
        for i in range(fan):  # breadth first: every wide tensor live at once
            width = 32 + 16 * (i % 4)
            wide.append((g.relu(g.conv(x, channels, width, f"s{stage}_wide_{i}"), width,
                                f"s{stage}_relu_{i}"), width))
        narrow = [(g.conv(v, width, 4, f"s{stage}_narrow_{i}"), 4)
                  for i, (v, width) in enumerate(wide)]
        x, channels = g.concat(narrow, f"s{stage}_concat")
        units += 2 * fan + 1
        stage += 1
    # Executed-unit sets of a stage by size: every branch has run 0, 1 or 2 of
    # its units, (1 + z + z^2)^fan; stages follow each other.
    layer = [1]
    for _ in range(fan):
        layer = _poly_mul(layer, [1, 1, 1])
    return g.text(x, channels), units, max(layer)


def run(command: list[str]) -> tuple[str, float]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr[-1500:]}")
    return result.stderr, seconds


def memory_report(path: str, passes: list[str]) -> tuple[int, int, int]:
    """(peak bytes, lower bound, steps) of the memory report after `passes`."""
    text, _ = run([PEX_OPT, path, *passes, "--pex-memory-report", "-o", os.devnull])
    peak = int(re.search(r"peak SRAM: (\d+) bytes", text).group(1))
    bound = int(re.search(r"lower bound: (\d+) bytes", text).group(1))
    steps = len(re.findall(r"^\s+\d+\s+\d+\s+\S", text, re.M))
    return peak, bound, steps


def pass_seconds(timing: str) -> float | None:
    """Wall time of the pex-reorder pass in an --mlir-timing report."""
    for line in timing.splitlines():
        if re.search(r"\bReorder|pex-reorder", line):
            match = re.search(r"([\d.]+)\s*\(\s*[\d.]+%\)", line)
            if match:
                return float(match.group(1))
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,400")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args(argv)
    if not os.path.exists(PEX_OPT):
        print(f"reorder_scaling: error: {PEX_OPT} is missing: run scripts/build.sh",
              file=sys.stderr)
        return 1
    folder = os.path.join(args.out, "reorder")
    os.makedirs(folder, exist_ok=True)
    shapes = [("chain", chain), ("branches-6", lambda n: branches(n, 6)),
              ("branches-16", lambda n: branches(n, 16))]
    rows = []
    for shape, make in shapes:
        for size in [int(s) for s in args.sizes.split(",")]:
            text, units, widest = make(size)
            ops = len(re.findall(r"= tosa\.(?!const)", text))
            path = os.path.join(folder, f"{shape}_{size}.mlir")
            with open(path, "w") as f:
                f.write(text)
            before, bound, steps = memory_report(path, [])
            after, _, _ = memory_report(path, ["--pex-reorder"])
            timing, total = run([PEX_OPT, path, "--pex-reorder", "--mlir-timing",
                                 "-o", os.devnull])
            exact = ("yes" if widest <= MAX_STATES else "no (beam)") if steps == units else "?"
            optimal = ("yes" if exact == "yes" or after == bound else
                       f"unknown (<= {100.0 * (after - bound) / bound:.0f} % above)")
            rows.append({"graph": shape, "operators": ops, "units": steps,
                         "pass_seconds": pass_seconds(timing), "pex_opt_seconds": round(total, 3),
                         "peak_before": before, "peak_after": after, "lower_bound": bound,
                         "largest_layer": widest, "exact": exact, "optimal": optimal})
            print(f"reorder_scaling: {shape} {ops} operators: {total:.2f} s", file=sys.stderr)
    lines = ["| graph | TOSA operators | units | pex-reorder s | pex-opt s | peak before B "
             "| peak after B | lower bound B | largest layer of sets | exact search | optimal |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|"]
    for r in rows:
        seconds = "?" if r["pass_seconds"] is None else f"{r['pass_seconds']:.4f}"
        lines.append(f"| {r['graph']} | {r['operators']} | {r['units']} | {seconds} "
                     f"| {r['pex_opt_seconds']:.3f} | {r['peak_before']:,} | {r['peak_after']:,} "
                     f"| {r['lower_bound']:,} | {r['largest_layer']:,} | {r['exact']} "
                     f"| {r['optimal']} |")
    table = "\n".join(lines) + "\n"
    print(table)
    with open(os.path.join(args.out, "reorder_scaling.md"), "w") as f:
        f.write(table)
    with open(os.path.join(args.out, "reorder_scaling.json"), "w") as f:
        json.dump({"max_states": MAX_STATES, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

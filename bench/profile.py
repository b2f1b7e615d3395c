#!/usr/bin/python3
"""Where a model's Cortex-M4 cycles go: estimated cycles per kernel and per operator kind.

    /usr/bin/python3 bench/profile.py MODEL [--pexc-arg ARG ...] [--top N] [--keep DIR]

Compiles MODEL (.tflite, .onnx or TOSA .mlir) with build/bin/pexc for the
Cortex-M4, links it with the run harness as `pexc --run` does, runs it once in
QEMU on the reference input (python3 -m pex.reference.make_input) with the
instruction-count plugin's cycle model and per-block profile
(runtime/README.md), and attributes every block's instructions and estimated
cycles to the function holding it: each kernel is its own function
(pex_NAME_run_kN_KIND), so the table is per kernel, then summed per operator
kind, with the multiply-accumulates of convolutions and matrix products
(each kernel's count per call from its layer attribute, pexc
--emit=llvm-dialect, times the calls the profile counted at its entry: a
partial-execution slice's or a stream row's kernel runs once per call) and
MACs per estimated cycle. The whole run is counted (the harness's reading of the input and
writing of the output included); the model's share is the kernels' and the
entry function's. Cycles are an estimate (zero wait states).
"""

from __future__ import annotations

import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
PYTHON = "/usr/bin/python3"
CLANG = "clang-22"
LLD = "ld.lld-22"
NM = "llvm-nm-22"
QEMU = "qemu-system-arm"
NEWLIB = "/usr/lib/arm-none-eabi/lib/thumb/v7e-m+fp/hard"
CFLAGS = ["--target=thumbv7em-none-eabihf", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16",
          "-mfloat-abi=hard", "-ffreestanding", "-O2"]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"profile.py: {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result


def libgcc_dir() -> str:
    root = "/usr/lib/gcc/arm-none-eabi"
    (version,) = os.listdir(root)
    return os.path.join(root, version, "thumb/v7e-m+fp/hard")


def build_image(model: str, work: str, pexc_args: list[str]) -> str:
    obj = os.path.join(work, "model.o")
    run([os.path.join(BUILD, "bin", "pexc"), model, "--target=cortex-m4", "-q", "-o", obj,
         *pexc_args])
    runtime = os.path.join(ROOT, "runtime")
    for source, header in (("harness.c", True), ("cortex-m/startup.c", False)):
        extra = ["-include", os.path.join(work, "model.h")] if header else []
        run([CLANG, *CFLAGS, *extra, "-c", os.path.join(runtime, source), "-o",
             os.path.join(work, os.path.basename(source) + ".o")])
    elf = os.path.join(work, "model.elf")
    run([LLD, "-L", os.path.join(runtime, "cortex-m"), "-L", NEWLIB, "-L", libgcc_dir(),
         "-T", os.path.join(runtime, "cortex-m", "mps2-an386.ld"),
         os.path.join(work, "startup.c.o"), os.path.join(work, "harness.c.o"), obj,
         "--start-group", "-lc_nano", "-lgcc", "--end-group", "-o", elf])
    return elf


def functions(elf: str) -> tuple[list[int], list[str]]:
    """Text symbols sorted by address (the Thumb bit cleared)."""
    symbols = []
    for line in run([NM, "--defined-only", elf]).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT":
            symbols.append((int(parts[0], 16) & ~1, parts[2]))
    symbols.sort()
    return [a for a, _ in symbols], [n for _, n in symbols]


def profile(elf: str, work: str, model: str) -> list[tuple[int, int, int, int]]:
    data = os.path.join(work, "input.bin")
    run([PYTHON, "-m", "pex.reference.make_input", model, "-o", data],
        env={**os.environ, "PYTHONPATH": os.path.join(ROOT, "python")})
    blocks = os.path.join(work, "blocks.txt")
    plugin = os.path.join(BUILD, "lib", "libpex-insn-count.so")
    addresses, names = functions(elf)
    marker = {n: a for a, n in zip(addresses, names)}
    run([QEMU, "-M", "mps2-an386", "-display", "none", "-serial", "null", "-monitor", "none",
         "-semihosting-config", "enable=on,target=native", "-kernel", elf,
         "-append", f"{data} {os.path.join(work, 'output.bin')}",
         "-plugin", f"{plugin},begin={marker['pex_count_begin']:#x},"
         f"end={marker['pex_count_end']:#x},timing=cortex-m4,profile={blocks}",
         "-d", "plugin", "-D", os.path.join(work, "insns.log")], timeout=600)
    rows = []
    with open(blocks) as f:
        for line in f:
            address, instructions, executions, cycles = line.split()
            rows.append((int(address, 16), int(instructions), int(executions), int(cycles)))
    return rows


_LAYER = re.compile(r"llvm\.func \w+ @(\w+)\(.*?pex\.layer = #pex\.layer<[^\n]*?macs = (\d+)>")


def kernel_macs(model: str, pexc_args: list[str]) -> dict[str, int]:
    """{kernel function: multiply-accumulates of one call} from the kernels'
    layer attributes (pexc --emit=llvm-dialect); a kernel runs once per call
    of a partial-execution slice or a stream's row."""
    text = run([os.path.join(BUILD, "bin", "pexc"), model, "--target=cortex-m4", "-q",
                "--emit=llvm-dialect", *pexc_args]).stdout
    return {name: int(macs) for name, macs in _LAYER.findall(text) if int(macs)}


def kind_of(function: str) -> str:
    match = re.search(r"_run_k\d+_(.+)$", function)
    if match:
        return match.group(1)
    return "model entry" if function.endswith("_run") else f"outside the model ({function})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--pexc-arg", action="append", default=[], help="extra pexc option")
    parser.add_argument("--top", type=int, default=25, help="kernels listed (default 25)")
    parser.add_argument("--keep", help="keep the image and the block profile in this folder")
    args = parser.parse_args(argv)

    work = args.keep or tempfile.mkdtemp(prefix="pex-profile-")
    os.makedirs(work, exist_ok=True)
    elf = build_image(os.path.abspath(args.model), work, args.pexc_arg)
    addresses, names = functions(elf)
    per_function: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    calls: dict[str, int] = collections.Counter()
    for address, instructions, executions, cycles in profile(elf, work, args.model):
        at = bisect.bisect_right(addresses, address) - 1
        name = names[at] if at >= 0 else "?"
        per_function[name][0] += instructions * executions
        per_function[name][1] += cycles
        if at >= 0 and address == addresses[at]:
            calls[name] += executions
    total_cycles = sum(c for _, c in per_function.values())
    macs_per_call = kernel_macs(os.path.abspath(args.model), args.pexc_arg)

    def macs_of(name: str) -> int:
        return macs_per_call.get(name, 0) * calls[name]

    def rate(macs: int, cycles: int) -> str:
        return f"{macs / cycles:.2f}" if macs and cycles else ""

    print(f"{'kernel':<48} {'instructions':>13} {'est. cycles':>12} {'share':>6} "
          f"{'MACs':>11} {'MACs/cycle':>10}")
    ranked = sorted(per_function.items(), key=lambda item: -item[1][1])
    for name, (instructions, cycles) in ranked[:args.top]:
        macs = macs_of(name)
        print(f"{name:<48} {instructions:>13,} {cycles:>12,} {100 * cycles / total_cycles:>5.1f}% "
              f"{macs or '':>11} {rate(macs, cycles):>10}")
    per_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    for name, (instructions, cycles) in per_function.items():
        entry = per_kind[kind_of(name)]
        entry[0] += 1
        entry[1] += instructions
        entry[2] += cycles
        entry[3] += macs_of(name)
    print(f"\n{'operator kind':<48} {'kernels':>7} {'instructions':>13} {'est. cycles':>12} "
          f"{'share':>6} {'MACs':>11} {'MACs/cycle':>10}")
    for kind, (count, instructions, cycles, macs) in sorted(per_kind.items(),
                                                            key=lambda i: -i[1][2]):
        print(f"{kind:<48} {count:>7} {instructions:>13,} {cycles:>12,} "
              f"{100 * cycles / total_cycles:>5.1f}% {macs or '':>11} {rate(macs, cycles):>10}")
    if not args.keep:
        subprocess.run(["rm", "-rf", work])
    return 0


if __name__ == "__main__":
    sys.exit(main())

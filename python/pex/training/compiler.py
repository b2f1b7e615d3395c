"""pexc and pex-opt from Python: compile, prune, run batches on the host and in QEMU.

Tools come from $PEX_BIN_DIR (set by lit), else <repository>/build/bin. Batches use
runtime/harness.c's batch mode through `pexc --run`: an input file of k inputs gives
an output file of k outputs (host, or Cortex-M under QEMU with the same harness).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class CompilerError(Exception):
    """A compiler diagnostic: the tool's own error line(s)."""


class PexcError(CompilerError):
    """pexc failed on a model (a compiler defect for every model the loop makes: pexc
    compiles any function pex-prune emits); the co-design run stops with the message."""


def tool(name: str) -> str:
    directory = os.environ.get("PEX_BIN_DIR") or os.path.join(REPOSITORY, "build", "bin")
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        raise CompilerError(f"{path} not found (build with scripts/build.sh, or set "
                            f"PEX_BIN_DIR)")
    return path


def _run(argv: list[str], timeout: int = 1800,
         error: type[CompilerError] = CompilerError) -> subprocess.CompletedProcess:
    for attempt in range(30):
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
            break
        except (PermissionError, FileNotFoundError, OSError) as error:
            # The tool is being rebuilt (the linker replaces it): wait for it.
            if attempt == 29:
                raise CompilerError(f"cannot run {argv[0]}: {error}") from None
            time.sleep(2)
    if result.returncode != 0:
        lines = [l for l in (result.stderr + result.stdout).splitlines() if l.strip()]
        errors = [l for l in lines if "error" in l] or lines[-3:]
        raise error("\n".join(errors))
    return result


def compile_model(mlir: str, output: str, target: str = "host", partial: bool = True,
                  budget: int | None = None, run: tuple[str, str] | None = None) -> dict:
    """pexc MLIR --target -o OUTPUT --report-json; returns the report."""
    report = os.path.splitext(output)[0] + ".report.json"
    argv = [tool("pexc"), mlir, f"--target={target}", "-q", "-o", output,
            f"--report-json={report}"]
    if not partial:
        argv.append("--no-partial")
    if budget:
        argv.append(f"--sram-budget={budget}")
    if run:
        argv += [f"--run={run[0]}", f"--output={run[1]}"]
    _run(argv, error=PexcError)
    with open(report) as f:
        return json.load(f)


def prune(mlir: str, budget: int, output: str, mask_path: str) -> dict:
    """pex-opt --canonicalize --pex-prune at `budget` arena bytes; the pruned TOSA (with
    its operator names) goes to OUTPUT; returns the mask.

    Canonicalisation first, as pexc does before partitioning: on the imported function
    as it is, the Flatten's reshape pair before the classifier pins the head's channels
    and keeps pex-prune's partition from grouping the head, so pex-prune would stop at
    a peak pexc's own plan does not have."""
    _run([tool("pex-opt"), mlir, "--canonicalize",
          f"--pex-prune=budget={budget} json={mask_path}", "--mlir-print-debuginfo",
          "-o", output])
    with open(mask_path) as f:
        return json.load(f)


def canonical(mlir: str, output: str) -> str:
    """The function as pex-prune sees it (canonicalised, operator names printed)."""
    _run([tool("pex-opt"), mlir, "--canonicalize", "--mlir-print-debuginfo", "-o", output])
    return output


def run_batch(mlir: str, inputs: bytes, output_bytes: int, target: str = "host",
              partial: bool = True, work: str | None = None) -> tuple[bytes, dict]:
    """Compiles MLIR for `target` and runs every input of the batch through the compiled
    code (harness batch mode; QEMU for Cortex-M). Returns (outputs, pexc report)."""
    with tempfile.TemporaryDirectory(dir=work) as directory:
        in_path = os.path.join(directory, "in.bin")
        out_path = os.path.join(directory, "out.bin")
        with open(in_path, "wb") as f:
            f.write(inputs)
        report = compile_model(mlir, os.path.join(directory, "model.o"), target, partial,
                               run=(in_path, out_path))
        with open(out_path, "rb") as f:
            outputs = f.read()
    if report.get("status", 0) != 0:
        raise PexcError(f"the compiled model returned status {report['status']}")
    if len(outputs) % output_bytes or not outputs:
        raise PexcError(f"{len(outputs)} output bytes for a batch")
    return outputs, report

"""Running one mutant: the importer in a forked child under a time and address-space limit
(the fuzzer imports the importers once; a fork costs milliseconds where a new interpreter
costs half a second), then, for a file it imports, pexc on the TOSA it printed. Each run
is classified; kinds other than OK and the clean errors are findings."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

OK = "ok"
CLEAN_ERROR = "error"
PEXC_OK = "pexc-ok"
PEXC_ERROR = "pexc-error"
PEXC_UNAVAILABLE = "pexc-unavailable"  # could not be started: not a finding
NOT_FINDINGS = (OK, CLEAN_ERROR, PEXC_OK, PEXC_ERROR, PEXC_UNAVAILABLE)
_PEXC_ATTEMPTS = 5

_ERROR_LINE = re.compile(r"pex-import: error: (?P<file>\S+): (?P<message>.+)")
_PEXC_CRASH = ("Assertion", "Segmentation", "LLVM ERROR", "Stack dump", "PLEASE submit",
               "Aborted", "UNREACHABLE", "Traceback", "internal:")
# pexc reporting an invalid imported module: the importer wrote TOSA it should not have.
_INVALID_TOSA = re.compile(r"error: .*('tosa\.|failed to verify|expected |custom op )")


@dataclass
class Outcome:
    kind: str
    message: str  # the error line, or what went wrong
    seconds: float
    growth_bytes: int = 0  # the forked importer's peak resident memory


def run_importer(model: Path, mlir: Path, timeout: float, memory_limit: int,
                 growth_limit: int) -> Outcome:
    """`python3 -m pex.importers MODEL -o MLIR`, in a fork of this process."""
    from pex.importers.__main__ import main
    stderr = model.with_suffix(".stderr")
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
            fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 2)
            status = main([str(model), "-o", str(mlir)])
        except BaseException:  # what would reach the user as a traceback
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(status)
    status, usage = _wait(pid, start + timeout)
    seconds = time.monotonic() - start
    if status is None:
        return Outcome("timeout", f"no result after {timeout:.0f} s", seconds)
    # A forked child's peak resident set counts the pages it touched, not the parent's.
    growth = usage.ru_maxrss * 1024
    text = stderr.read_text(errors="replace")
    kind, message = _classify_import(status, text, model)
    if kind in (OK, CLEAN_ERROR) and growth > growth_limit:
        kind, message = "memory", f"{growth >> 20} MiB resident for a " \
                                  f"{model.stat().st_size}-byte file ({message})"
    return Outcome(kind, message, seconds, growth)


def _wait(pid: int, deadline: float):
    """(wait status, rusage) of the child, or (None, None) after killing it at `deadline`."""
    delay = 0.001
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            return None, None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _classify_import(status: int, text: str, model: Path) -> tuple[str, str]:
    lines = text.splitlines()
    first = lines[0] if lines else ""
    if os.WIFSIGNALED(status):
        return "crash", f"signal {os.WTERMSIG(status)}: {first}"
    code = os.WEXITSTATUS(status)
    if "Traceback" in text:
        return "traceback", lines[-1] if lines else ""
    if "MemoryError" in text:
        return "memory", first
    if code == 0:
        return OK, ""
    match = _ERROR_LINE.fullmatch(first)
    if code != 1:
        return "bad-exit", f"exit status {code}: {first}"
    if not match or match["file"] != str(model):
        return "unlocated-error", first
    errors = [line for line in lines if "error:" in line]
    if len(errors) != 1 or len(lines) != 1:
        return "multiline-error", " | ".join(lines[:3])
    message = match["message"]
    if message.startswith("internal error:"):
        return "internal-error", message
    if "cannot import it (" in message:  # the ONNX reader's catch-all: unforeseen
        return "unforeseen-exception", message
    return CLEAN_ERROR, message


def _limit_memory(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_pexc(pexc: str, mlir: Path, timeout: float, memory_limit: int) -> Outcome:
    """`pexc MLIR --target=host`: the imported TOSA must compile or be refused cleanly."""
    start = time.monotonic()
    command = [pexc, str(mlir), "--target=host", "-q", "-o", str(mlir.with_suffix(".o"))]
    for attempt in range(_PEXC_ATTEMPTS):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    preexec_fn=_limit_memory(memory_limit), errors="replace")
            break
        except subprocess.TimeoutExpired:
            return Outcome("pexc-timeout", f"no result after {timeout:.0f} s",
                           time.monotonic() - start)
        except OSError as error:  # pexc being rebuilt: wait for it
            if attempt == _PEXC_ATTEMPTS - 1:
                return Outcome(PEXC_UNAVAILABLE, str(error), time.monotonic() - start)
            time.sleep(30)
    seconds = time.monotonic() - start
    text = result.stdout + result.stderr
    lines = text.splitlines()
    first = next((line for line in lines if "error" in line), lines[0] if lines else "")
    if result.returncode < 0:
        return Outcome("pexc-crash", f"signal {-result.returncode}: {first}", seconds)
    if any(pattern in text for pattern in _PEXC_CRASH):
        pattern = next(p for p in _PEXC_CRASH if p in text)
        return Outcome("pexc-crash", f"{pattern}: {first}", seconds)
    if result.returncode == 0:
        return Outcome(PEXC_OK, "", seconds)
    if result.returncode != 1:
        return Outcome("pexc-bad-exit", f"exit status {result.returncode}: {first}", seconds)
    if _INVALID_TOSA.search(first):
        return Outcome("invalid-tosa", first, seconds)
    return Outcome(PEXC_ERROR, first, seconds)


# A compiler's diagnostic at a position of its input ("FILE:LINE:COL: error: ..."), at
# an operation with a name location ("<unknown>:0: error: loc("conv"): ..."), or pexc's
# about the whole file ("pexc: error: FILE: ...").
_LOCATED_ERROR = re.compile(r"\S+:\d+:\d+: error: .+|<unknown>:0: error: loc\(.+|"
                            r"pex(?:c|-opt): error: \S+: .+")
_SANITIZER_REPORT = re.compile(r"ERROR: (?:Address|Leak)Sanitizer|runtime error: ")
_SANITIZER_LINE = re.compile(r"SUMMARY: .*|\S+:\d+:\d+: runtime error: .*")
# A stack frame ("#5 0x55... [in ]FUNCTION (BINARY+0x...)" or "... FUNCTION FILE:LINE:COL").
_FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ (?:in )?(.+?)(?: \(\S+\)| \S+:\d+(?::\d+)?)?$")
_NOT_PEX = ("libMLIR", "libLLVM", "libc.so", "interceptor", "llvm::sys::", "syscall",
            "__sanitizer", "__asan", "__ubsan", "__libc_start", "_start", "main ")
# pexc, pex-opt: ASan reserves terabytes of address space, so a sanitized tool's memory is
# limited by ASan (resident set, largest allocation) instead of RLIMIT_AS.
SANITIZER_ENVIRONMENT = {
    "ASAN_OPTIONS": "abort_on_error=1:hard_rss_limit_mb={mb}:malloc_limit_mb={mb}",
    "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1:abort_on_error=1",
}


def _crash_site(lines: list[str]) -> str:
    """The innermost frame of a crash's stack in Pex's code: what tells two crashes
    apart when their first line ("Stack dump:", "SEGV ... in syscall") does not."""
    for line in lines:
        match = _FRAME.search(line)
        if match and not any(word in line for word in _NOT_PEX):
            return match.group(1)
    return ""


def is_sanitized(tool: str) -> bool:
    """Whether `tool` was built with AddressSanitizer (-DPEX_SANITIZE=ON)."""
    return b"__asan_init" in Path(tool).read_bytes()


def run_tool(command: list[str], timeout: float, memory_limit: int,
             sanitized: bool) -> Outcome:
    """pex-opt or pexc on a mutated module: it must succeed or print a located error and
    exit with status 1. Kinds are prefixed with the tool's name."""
    tool = Path(command[0]).name
    environment = dict(os.environ)
    if sanitized:
        for name, options in SANITIZER_ENVIRONMENT.items():
            environment[name] = options.format(mb=memory_limit >> 20)
    start = time.monotonic()
    for attempt in range(_PEXC_ATTEMPTS):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    env=environment, errors="replace",
                                    preexec_fn=None if sanitized
                                    else _limit_memory(memory_limit))
            break
        except subprocess.TimeoutExpired:
            return Outcome(f"{tool}-timeout", f"no result after {timeout:.0f} s",
                           time.monotonic() - start)
        except OSError as error:  # the tool being rebuilt: wait for it
            if attempt == _PEXC_ATTEMPTS - 1:
                return Outcome(PEXC_UNAVAILABLE, str(error), time.monotonic() - start)
            time.sleep(30)
    seconds = time.monotonic() - start
    lines = result.stderr.splitlines()
    first_error = next((line for line in lines if "error" in line), lines[0] if lines else "")
    if _SANITIZER_REPORT.search(result.stderr):
        summary = next((m.group() for m in map(_SANITIZER_LINE.search, lines) if m), first_error)
        kind = "memory" if "rss limit" in result.stderr or "malloc limit" in result.stderr \
            else "sanitizer"
        return Outcome(f"{tool}-{kind}", f"{summary} at {_crash_site(lines)}", seconds)
    if result.returncode < 0 or any(p in result.stderr for p in _PEXC_CRASH):
        pattern = next((p for p in _PEXC_CRASH if p in result.stderr), "")
        detail = next((line for line in lines if pattern and pattern in line), first_error)
        if result.returncode < 0:
            detail = f"signal {-result.returncode}: {detail}"
        return Outcome(f"{tool}-crash", f"{detail} at {_crash_site(lines)}", seconds)
    if result.returncode == 0:
        return Outcome(OK, "", seconds)
    if result.returncode != 1:
        return Outcome(f"{tool}-bad-exit", f"exit status {result.returncode}: {first_error}",
                       seconds)
    if not lines:
        return Outcome(f"{tool}-silent-error", "exit status 1 and no message", seconds)
    if not _LOCATED_ERROR.fullmatch(first_error):
        return Outcome(f"{tool}-unlocated-error", first_error, seconds)
    return Outcome(CLEAN_ERROR, first_error.split(": error: ", 1)[1], seconds)


def run_campaign(fuzzer, executions: int, quiet_stop: int | None, minutes: float | None,
                 report_every: int) -> int:
    """Runs `fuzzer`'s cases 0, 1, ... until `executions`, `minutes` or `quiet_stop` cases
    in a row without a new finding, printing progress every `report_every` cases and the
    summary at the end (also after Ctrl-C or SIGTERM). Returns the exit status: 1 when
    anything was found."""
    start = time.monotonic()
    last_new, done = 0, 0
    # SIGTERM ends a long run with its summary, as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for case in range(executions):
            if minutes and time.monotonic() - start > minutes * 60:
                break
            before = len(fuzzer.findings)
            fuzzer.run_case(case)
            done = case + 1
            if len(fuzzer.findings) > before:
                last_new = done
            if quiet_stop and done - last_new >= quiet_stop:
                break
            if done % report_every == 0:
                print(f"[{done} executions, {time.monotonic() - start:.0f} s, "
                      f"{len(fuzzer.findings)} distinct findings]", flush=True)
    except KeyboardInterrupt:
        print(f"stopped during case {done}", flush=True)
    print(fuzzer.summary(done, time.monotonic() - start))
    return 1 if fuzzer.findings else 0

#!/usr/bin/env bash
# Installs what Pex needs, builds it and runs both lit suites -- test/ (fast
# compiler tests) and integration_test/ (QEMU, real models, corpora,
# training) -- then the fast suite and the shared models again with pexc and
# pex-opt built with ASan and UBSan, and prints "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PEX_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh" pex-opt pexc pex-insn-count
# The same compiler with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize="$build-sanitize"
PEX_BUILD_DIR="$sanitize" PEX_SANITIZE=ON "$root/scripts/build.sh" pex-opt pexc pex-insn-count \
  pex-fuzz-mlir

lit=(/usr/lib/llvm-22/bin/lit -sv --time-tests)
status=0
"${lit[@]}" --output "$build/test/results.json" "$build/test" "$build/integration_test" || status=$?
# The fast suite, the shared models and the fuzzers' smoke runs again, with
# the sanitized pexc and pex-opt (the suites configured in build-sanitize/ run
# its tools). Any report fails the run, even one from a pexc whose failure a
# test expected.
reports="$sanitize/sanitizer-reports"
rm -rf "$reports"
"${lit[@]}" --output "$sanitize/test/results.json" "$sanitize/test" \
  "$sanitize/integration_test/Models" "$sanitize/integration_test/Corpus/shared-models.test" \
  "$sanitize/integration_test/Hardening/import-fuzz-smoke.test" \
  "$sanitize/integration_test/Hardening/fuzz-mlir-smoke.test" \
  || status=$?
if [ -n "$(ls -A "$reports" 2>/dev/null)" ]; then
  echo "sanitizer reports in $reports:"
  cat "$reports"/*
  status=1
fi
/usr/bin/python3 - "$build/test/results.json" "$sanitize/test/results.json" <<'PY'
import json, sys
tests = [t for path in sys.argv[1:] for t in json.load(open(path))["tests"]]
passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
failed = sum(t["code"] in ("FAIL", "XPASS", "TIMEOUT", "UNRESOLVED") for t in tests)
print(f"{passed} passed, {failed} failed")
PY
exit $status

#!/usr/bin/env bash
# Installs what Pex needs, builds it and runs both lit suites -- test/ (fast
# compiler tests) and integration_test/ (QEMU, real models, corpora,
# training) -- then prints "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PEX_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh" pex-opt pexc pex-insn-count

results="$build/test/results.json"
status=0
/usr/lib/llvm-22/bin/lit -sv --time-tests --output "$results" "$build/test" "$build/integration_test" || status=$?
/usr/bin/python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
failed = sum(t["code"] in ("FAIL", "XPASS", "TIMEOUT", "UNRESOLVED") for t in tests)
print(f"{passed} passed, {failed} failed")
PY
exit $status

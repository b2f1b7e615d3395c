# Checks numeric fields of a "pex-run: ..." report line against bounds:
#   check-report.py REPORT_FILE FIELD=MIN..MAX [FIELD=MIN..MAX ...]
# (either bound may be empty). Prints the line; exits 1 when a check fails.
import re
import sys

text = open(sys.argv[1]).read()
line = next((l for l in text.splitlines() if l.startswith("pex-run: status=")), None)
if line is None:
    sys.exit(f"no report line in {sys.argv[1]!r}: {text!r}")
print(line)
fields = dict(re.findall(r"(\w+)=(-?\d+)", line))
ok = True
for spec in sys.argv[2:]:
    name, bounds = spec.split("=", 1)
    lo, hi = bounds.split("..")
    value = int(fields.get(name, "-1"))
    if name not in fields or (lo and value < int(lo)) or (hi and value > int(hi)):
        print(f"FAIL: {name}={fields.get(name)} not in [{lo}, {hi}]")
        ok = False
sys.exit(0 if ok else 1)

"""Prints, for each pexc report given, "MODEL: bound B >= measured M" when the compile-time
stack bound covers the stack the QEMU run painted, and "MODEL: bound B < measured M" (exit
status 1) when it does not."""

import json
import sys

status = 0
for path in sys.argv[1:]:
    report = json.load(open(path))
    bound, measured = report.get("stack_bound_bytes"), report.get("stack_bytes")
    holds = bound is not None and measured is not None and bound >= measured
    status |= not holds
    print(f"{report['model']}: bound {bound} {'>=' if holds else '<'} measured {measured}")
sys.exit(status)

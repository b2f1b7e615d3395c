"""Checks a --profile report (profile.test): its layers add up to the run.

    check_profile.py REPORT.json

Prints "ok" when the layers' instructions and estimated cycles sum to the
run's and their MACs to the model's, and one layer ran once per channel
slice (more than one call); otherwise what differs, with exit status 1.
"""
import json
import sys

report = json.load(open(sys.argv[1]))
layers = report["layers"]
problems = []
for key, total in (("instructions", report["instructions"]),
                   ("estimated_cycles", report["estimated_cycles"]),
                   ("macs", report["macs"])):
    summed = sum(layer[key] for layer in layers)
    if summed != total:
        problems.append(f"{key}: layers sum to {summed}, the report has {total}")
if not any(layer["calls"] > 1 for layer in layers):
    problems.append("no kernel ran more than once: no partial-execution loop profiled")
print("\n".join(problems) or "ok")
sys.exit(1 if problems else 0)

"""Checks the pools of memory-pools.test's report and header: each within
capacity; the fast pool full, in that no buffer of the slow pool could join
it (at some step of its lifetime the fast pool's live bytes and its own
exceed the capacity); the fast pool's bytes accessed more per byte than the
slow pool's; header macros that agree with the report."""

import json
import re
import sys

report = json.load(open(sys.argv[1]))
header = open(sys.argv[2]).read()
fast, slow = report["pools"]
assert (fast["name"], slow["name"]) == ("fast", "slow"), report["pools"]
for pool in report["pools"]:
    assert 0 < pool["used_bytes"] <= pool["capacity_bytes"], pool


def aligned(size):
    return (size + 15) // 16 * 16


placed = report["arena_buffers"]
in_fast = [b for b in placed if b["pool"] == "fast"]
for buffer in (b for b in placed if b["pool"] == "slow"):
    most = max(sum(aligned(f["bytes"]) for f in in_fast
                   if f["first"] <= step <= f["last"])
               for step in range(buffer["first"], buffer["last"] + 1))
    assert most + aligned(buffer["bytes"]) > fast["capacity_bytes"], buffer
assert slow["section"] == ".bss.slow" and fast["section"] is None
assert report["arena_bytes"] == fast["used_bytes"] + slow["used_bytes"]


def accesses_per_byte(pool):
    buffers = pool["buffers"]
    accesses = sum(b["accesses_per_byte"] * b["bytes"] for b in buffers)
    return accesses / sum(b["bytes"] for b in buffers)


assert accesses_per_byte(fast) > accesses_per_byte(slow), report["pools"]
assert {b["pool"] for b in placed} == {"fast", "slow"}
for pool in report["pools"]:
    macro = r"#define PEX_\w+_POOL_%s_BYTES (\d+)" % pool["name"].upper()
    match = re.search(macro, header)
    assert match and int(match.group(1)) == pool["used_bytes"], macro
for pool in report["pools"]:
    print("%s: %d of %d B, %.1f accesses/B" % (
        pool["name"], pool["used_bytes"], pool["capacity_bytes"],
        accesses_per_byte(pool)))

# Writes N pseudo-random bytes (fixed seed) to a file: gen-input.py N PATH [FIRST]
# FIRST, if given, overrides the first byte (e.g. 127 to make the fake model fail).
import random
import sys

n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20240601)
data = bytearray(rng.randrange(256) for _ in range(n))
if len(sys.argv) > 3:
    data[0] = int(sys.argv[3]) & 0xFF
with open(path, "wb") as f:
    f.write(data)

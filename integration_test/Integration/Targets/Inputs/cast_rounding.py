"""Writes the cast test's input (ties, saturation, NaN, infinities) or checks
its output bytes against TOSA's cast: round to nearest, ties to even,
saturate, NaN to 0."""
import sys
import numpy as np

values = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, -0.49999997,
                   126.5, 127.5, -127.5, -128.5, -129.0, 128.0, 1e10, -1e10,
                   np.inf, -np.inf, np.nan, -np.nan, 32767.5, -32768.5, 40000.0,
                   2147483520.0, -2147483648.0, 3e9, 8388607.5, -8388609.0,
                   1.0000001, 3.5, 4.5, -3.5, -4.5, 1e-30, -1e-30, 0.0, -0.0,
                   99.5, 100.5, -99.5, -100.5, 7.25, -7.75, 16777216.0,
                   0.75, -0.25, 12345.5, -12346.5], dtype=np.float32)


def cast(bits):
    rounded = np.rint(np.nan_to_num(values, nan=0.0, posinf=np.inf, neginf=-np.inf))
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    clipped = np.clip(rounded.astype(np.float64), low, high)
    return clipped.astype({8: np.int8, 16: np.int16, 32: np.int32}[bits])


if sys.argv[1] == "input":
    values.tofile(sys.argv[2])
else:
    expected = b"".join(cast(bits).tobytes() for bits in (8, 16, 32))
    actual = open(sys.argv[2], "rb").read()
    if actual != expected:
        sys.exit("casts differ from TOSA's")
    print("as TOSA")

"""Writes the square-root test's input (subnormals, zeros, infinities, NaN,
negative numbers, exact squares, the largest float) or checks an output:
the reciprocal square roots (1 / sqrt(x), the square root correctly
rounded) and their reciprocals, bit for bit (any NaN for any NaN: hosts and
FPUs make different default NaNs)."""
import sys
import numpy as np

values = np.array([1e-45, 3e-42, 1.1754942e-38, 1.1754944e-38, 0.0, -0.0, np.inf,
                   -np.inf, np.nan, -1.0, -1e-45, 1.0, 2.0, 4.0, 9.0, 0.25, 0.5,
                   3.4028235e38, 1.0000001, 0.99999994, 2.0000002, 1e-10, 123456.79,
                   7.0, 1e30, 3.0, 5.0, 0.1, 16777215.0, 16777216.0, 1e-38, 6.2e-39,
                   255.0, 65025.0, 2.25, 1e20, 42.0, 0.7, 8e-43, 1e37],
                  dtype=np.float32)


def expected():
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.float32(1.0) / np.sqrt(values)
        return np.concatenate([inverse, np.float32(1.0) / inverse])


if sys.argv[1] == "input":
    values.tofile(sys.argv[2])
else:
    want, got = expected(), np.fromfile(sys.argv[2], dtype=np.float32)
    same = (want.view(np.uint32) == got.view(np.uint32)) | (np.isnan(want) & np.isnan(got))
    if got.shape != want.shape or not same.all():
        sys.exit(f"square roots differ at {np.flatnonzero(~same).tolist()}")
    print("correctly rounded")

"""python3 -m pex.reference.compare_outputs A B --dtype DTYPE [--rtol R]: compares two
raw output files. Integers must be identical; floats may differ by R relative to the
largest magnitude of B (a different summation order, e.g. a convolution's input
channels accumulated slice by slice). Prints identical | within tolerance | DIFFERENT
and exits 1 unless they agree."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from pex.graph import NUMPY_TYPES


def compare_values(actual: np.ndarray, reference: np.ndarray,
                   rtol: float) -> tuple[bool, str]:
    """Floating-point agreement: max |actual - reference| <= rtol * max |reference| over
    the finite values; an infinity (a log of 0) or a NaN must be the reference's too."""
    if actual.shape != reference.shape:
        return False, f"DIFFERENT sizes ({actual.size} and {reference.size} elements)"
    actual, reference = actual.astype(np.float64), reference.astype(np.float64)
    scale = float(np.max(np.abs(reference[np.isfinite(reference)]), initial=0.0)) or 1.0
    same = (actual == reference) | (np.isnan(actual) & np.isnan(reference))
    actual, reference = actual[~same], reference[~same]
    diff = float(np.max(np.abs(actual - reference), initial=0.0))
    if np.all(np.isfinite(actual)) and diff <= rtol * scale:
        return True, f"within tolerance (max abs diff {diff:.3g})"
    return False, f"DIFFERENT (max abs diff {diff:.3g})"


def compare(a: bytes, b: bytes, dtype: str, rtol: float) -> tuple[bool, str]:
    if a == b:
        return True, "identical"
    numpy_type = NUMPY_TYPES[dtype]
    # Integers have no tolerance: bytes that differ are different values.
    tolerance = rtol if np.issubdtype(numpy_type, np.floating) else 0.0
    return compare_values(np.frombuffer(a, numpy_type), np.frombuffer(b, numpy_type),
                          tolerance)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-compare", description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--dtype", required=True, choices=sorted(NUMPY_TYPES))
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args(argv)
    with open(args.a, "rb") as fa, open(args.b, "rb") as fb:
        ok, message = compare(fa.read(), fb.read(), args.dtype, args.rtol)
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

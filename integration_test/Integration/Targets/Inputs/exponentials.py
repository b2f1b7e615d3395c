"""Writes the exponentials test's input (NaN, infinities, zeros, the clamp
limits, values next to every boundary where k = floor(x log2(e) + 1/2)
changes, random values) or checks an output: exp(x) and sigmoid(x) = 1 / (1 +
exp(-x)), bit for bit, against MLIR's exp approximation computed here in
IEEE single precision, as upstream writes it: with floor's check for
magnitudes of 2^23 and k's lower clamp, which Pex leaves out as dead (any NaN
for any NaN: hosts and FPUs make different default NaNs)."""
import sys
import numpy as np

f32 = np.float32


def inputs() -> np.ndarray:
    edges = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 88.8, 88.79, 88.81, 88.72, -87.8,
                      -87.79, -87.81, 1e30, -1e30, -104.0, 1e-30, -1e-30, 0.5, -0.5,
                      0.34657359, -0.34657359, 127.5, -126.2, 1e-45], dtype=f32)
    n = np.arange(-127, 129, dtype=np.float64)
    boundaries = ((n - 0.5) / np.log2(np.e)).astype(f32)
    near = np.concatenate([np.nextafter(boundaries, f32(-np.inf)), boundaries,
                           np.nextafter(boundaries, f32(np.inf))])
    rng = np.random.default_rng(7)
    rest = 1024 - len(edges) - len(near)
    return np.concatenate([edges, near, rng.uniform(-100, 100, rest // 2).astype(f32),
                           rng.normal(0, 4, rest - rest // 2).astype(f32)])


def exp(x: np.ndarray) -> np.ndarray:
    nan = np.isnan(x)
    x = np.where(nan | (x >= f32(-87.8)), x, f32(-87.8))
    x = np.where(nan | (x <= f32(88.8)), x, f32(88.8))
    t = x * f32(1.44269502) + f32(0.5)
    with np.errstate(invalid="ignore"):
        truncated = np.trunc(t)
    floor = np.where(truncated > t, truncated - f32(1.0), truncated)
    floor = np.where(nan | (np.abs(t) >= f32(2.0**23)), t, floor)
    k = np.where(nan | (floor >= f32(-127.0)), floor, f32(-127.0))
    k = np.where(nan | (k <= f32(127.0)), k, f32(127.0))
    r = k * f32(-0.693359375) + x
    r = k * f32(2.12194442e-4) + r
    p = r * f32(1.98756912e-4) + f32(0.00139819994)
    for c in (0.00833345205, 0.0416657962, 0.166666657, 0.5):
        p = p * r + f32(c)
    e = p * (r * r) + r + f32(1.0)
    scale = ((np.where(nan, 0, k).astype(np.int32) + 127) << 23).view(f32)
    return np.where(nan, f32(np.nan), e * scale).astype(f32)


values = inputs()
if sys.argv[1] == "input":
    values.tofile(sys.argv[2])
else:
    with np.errstate(over="ignore", invalid="ignore"):
        want = np.concatenate([exp(values), f32(1.0) / (f32(1.0) + exp(-values))])
    got = np.fromfile(sys.argv[2], dtype=f32)
    same = (want.view(np.uint32) == got.view(np.uint32)) | (np.isnan(want) & np.isnan(got))
    if got.shape != want.shape or not same.all():
        sys.exit(f"exponentials differ at {np.flatnonzero(~same).tolist()[:20]}")
    print("same bits as MLIR's approximation")

"""Writes PREFIX.mlir (a per-channel rescale marked pex.float32_rounding), PREFIX.in (int32
accumulators, most of them where the float32 product rounds onto a half-integer) and
PREFIX.expected (ONNX Runtime's saturate(round_half_even(fl(fl(acc) * m)) + zp))."""

import sys

import numpy as np

ROWS, ZERO_POINT = 128, 3
# Typical requantisation multipliers, one whose products are often exact halves, and a
# tiny one for accumulators beyond 2^24 (which float32 rounds before the product).
MULTIPLIERS = np.array([0.0123456, 3.7e-4, 0.375, 1.3 * 2.0 ** -20], np.float32)


def rounded(acc, multiplier):
    return np.rint(acc.astype(np.float32) * multiplier).astype(np.int64)


def column(rng, multiplier):
    reach = int(300 / float(multiplier))
    acc = np.arange(-reach, reach) if reach < 1 << 22 else \
        rng.integers(-reach, reach, 1 << 22, dtype=np.int64)
    product = acc.astype(np.float32) * multiplier
    on_half = np.abs(product - np.floor(product)) == 0.5
    exact = acc * np.float64(multiplier)  # exact: 24 + 31 bits
    near = acc[on_half & (exact != np.floor(exact) + 0.5)]
    ties = acc[on_half & (exact == np.floor(exact) + 0.5)]
    big = rng.integers(1 << 24, 1 << 31, 16, dtype=np.int64) * rng.choice([-1, 1], 16)
    chosen = np.concatenate([near[:64], ties[:16], big if multiplier < 1e-5 else [],
                             rng.integers(-reach, reach, ROWS, dtype=np.int64)])
    return chosen[:ROWS]


def main(prefix: str) -> None:
    rng = np.random.default_rng(5)
    acc = np.stack([column(rng, m) for m in MULTIPLIERS], axis=1).astype(np.int32)
    expected = np.clip(rounded(acc, MULTIPLIERS) + ZERO_POINT, -128, 127).astype(np.int8)
    mantissas, exponents = np.frexp(MULTIPLIERS.astype(np.float64))
    significands = (mantissas * (1 << 31)).astype(np.int64)
    shifts = 31 - exponents.astype(np.int64)
    rescale = ("tosa.rescale %arg0, %m, %s, %zi, %zo {input_unsigned = false, "
               "output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, "
               "scale32 = true, pex.float32_rounding = unit}")
    channels = len(MULTIPLIERS)
    with open(prefix + ".mlir", "w") as file:
        file.write(f"""module {{
  func.func @requantize(%arg0: tensor<{ROWS}x{channels}xi32> {{pex.name = "acc"}}) -> (tensor<{ROWS}x{channels}xi8> {{pex.name = "y"}}) {{
    %m = "tosa.const"() <{{values = dense<{list(significands)}> : tensor<{channels}xi32>}}> : () -> tensor<{channels}xi32>
    %s = "tosa.const"() <{{values = dense<{list(shifts)}> : tensor<{channels}xi8>}}> : () -> tensor<{channels}xi8>
    %zi = "tosa.const"() <{{values = dense<0> : tensor<1xi32>}}> : () -> tensor<1xi32>
    %zo = "tosa.const"() <{{values = dense<{ZERO_POINT}> : tensor<1xi8>}}> : () -> tensor<1xi8>
    %0 = {rescale} : (tensor<{ROWS}x{channels}xi32>, tensor<{channels}xi32>, tensor<{channels}xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<{ROWS}x{channels}xi8>
    return %0 : tensor<{ROWS}x{channels}xi8>
  }}
}}
""")
    acc.tofile(prefix + ".in")
    expected.tofile(prefix + ".expected")
    # Per channel, how many of them a rescale rounding the exact product once gets wrong.
    once = (acc.astype(np.int64) * significands + (np.int64(1) << (shifts - 1))) >> shifts
    once = np.clip(once + ZERO_POINT, -128, 127)
    print("rounded once, differ:", *np.count_nonzero(once != expected, axis=0))


if __name__ == "__main__":
    main(sys.argv[1])

"""python3 -m pex.reference.arithmetic: evidence for the claims importers.md makes.

1. A DOUBLE_ROUND rescale equals TFLite's MultiplyByQuantizedMultiplier (random real
   multipliers in [2^-25, 2^5) and inputs that fit after the left shift, plus every
   input in [-1000, 1000) for multipliers with many trailing zero bits).
2. The float softmax the importer emits for int8 differs from TFLite Micro's fixed-point
   kernel by at most 1 LSB (random rows over several input scales).
3. The int16 SOFTMAX's tables as `pex.tflm_reference` transcribes LUTPopulate<int16_t>
   (which both the importer and the reference read, so no execution test sees them)
   are the functions they tabulate: each entry within 1 LSB of 32768 exp(x) over
   [-10, 0] and of 32768 / (1 + x) over [0, 1] (LUTPopulate's midpoint bias moves an
   entry by at most 1).
4. gemmlowp's fixed-point logarithm as `pex.fixedpoint` transcribes it (the int8
   LOG_SOFTMAX's, which the importer and the reference share) is the logarithm: within
   4 ulps of Q5.26 (6e-8) on 65,536 sums over [1, 4096].
"""

from __future__ import annotations

import numpy as np

from pex.fixedpoint import log_x_for_x_greater_than_or_equal_to_1
from pex.quantization import multiply_by_quantized_multiplier, quantize_multiplier, tosa_apply_scale
from pex.tflm_reference import SOFTMAX_EXP_LUT, SOFTMAX_RECIPROCAL_LUT, softmax_int8


def rescale_differences(rng) -> tuple[int, int]:
    cases = differences = 0
    reals = list(np.exp(rng.uniform(-25 * np.log(2), 5 * np.log(2), 2000)))
    reals += [0.25, 0.375, 0.5, 0.75, 1.0, 1.5, 3.0]
    for real in reals:
        multiplier, shift = quantize_multiplier(float(real))
        limit = 2 ** (30 - max(shift, 0))
        x = np.concatenate([rng.integers(-limit, limit, 2000), np.arange(-1000, 1000)])
        differences += int(np.count_nonzero(multiply_by_quantized_multiplier(x, multiplier, shift)
                                            != tosa_apply_scale(x, multiplier, 31 - shift)))
        cases += x.size
    return cases, differences


def softmax_difference(rng) -> tuple[int, int, int]:
    rows = worst = differing = 0
    for scale in (0.02, 0.05, 0.1, 0.15, 0.3):
        x = rng.integers(-128, 128, (2000, 10))
        tflm = softmax_int8(x, scale, 1.0).astype(np.int64)
        shifted = (x - x.max(axis=-1, keepdims=True)).astype(np.float32) * np.float32(scale)
        exps = np.exp(shifted)
        probabilities = exps * (np.float32(1) / exps.sum(axis=-1, keepdims=True))
        ours = np.clip(np.rint(probabilities * np.float32(256) - np.float32(128)), -128, 127)
        worst = max(worst, int(np.abs(ours - tflm).max()))
        differing += int(np.count_nonzero(ours != tflm))
        rows += x.shape[0]
    return rows, worst, differing


def softmax_int16_table_errors() -> tuple[int, int]:
    """The largest |entry - round(32768 f(x))| of the exp and the 1 / (1 + x) tables."""
    steps = np.arange(SOFTMAX_EXP_LUT.size) / (SOFTMAX_EXP_LUT.size - 1)
    exact = (np.round(32768 * np.exp(10 * steps - 10)), np.round(32768 / (1 + steps)))
    return tuple(int(np.abs(table - np.minimum(values, 32767)).max())
                 for table, values in zip((SOFTMAX_EXP_LUT, SOFTMAX_RECIPROCAL_LUT), exact))


def log_error_ulps() -> float:
    """The largest |log_x(S) - 2^26 ln(S / 2^19)| over 65,536 Q12.19 sums in [1, 4096]."""
    sums = (1 << 19) + np.arange(65536, dtype=np.int64) * 32760
    exact = np.log(sums / 2.0 ** 19) * 2.0 ** 26
    return float(np.abs(log_x_for_x_greater_than_or_equal_to_1(sums, 12, 5) - exact).max())


def main() -> None:
    rng = np.random.default_rng(0)
    cases, differences = rescale_differences(rng)
    print(f"rescale vs MultiplyByQuantizedMultiplier: {cases} cases, {differences} differ")
    rows, worst, differing = softmax_difference(rng)
    print(f"float softmax vs TFLite Micro int8: {rows} rows, max difference {worst} LSB, "
          f"{differing} of {rows * 10} outputs differ")
    exp_error, reciprocal_error = softmax_int16_table_errors()
    print(f"int16 softmax tables vs 32768 f(x): exp {exp_error} LSB, 1 / (1 + x) "
          f"{reciprocal_error} LSB")
    print(f"fixed-point log vs log on 65536 sums: {log_error_ulps():.1f} ulps of Q5.26")


if __name__ == "__main__":
    main()

"""python3 -m pex.reference.int16_activation_check [--target T]: the integer sigmoid and
tanh of the int8 LSTM and of 16x8 LOGISTIC and TANH (`pex.tosa.int16_functions`' TOSA)
compiled by pexc and run on all 65,536 int16 inputs, compared with TFLite Micro's int16
Logistic and Tanh (`pex.reference.tflm_lstm`).

An LSTM's int8 output resolves only about 1/256 of these Q0.15 values' last bit, so a
model's output can hide a one-off in them, and a one-operator model's input covers a few
hundred of the 65,536; this checks them exhaustively: the gates' sigmoid, the cell gate's
tanh (Q3.12 input) and the cell tanh for cell scales 2^-15 (a rounding right shift of
3 x), 2^-11 (6 x) and 2^-9 (24 x); and with LogisticPrepare's and TanhPrepare's
parameters for input scales that are no power of two (a multiplier and a rounding right
shift), as 16x8 LOGISTIC and TANH take them. Also the int8 LOG_SOFTMAX's fixed-point
logarithm of a row's sum of exps (`pex.tosa.fixed_point`), on 65,536 sums over its whole
range: a model's rows give a few. Prints a table; exits 1 when any value differs (or, on
a target other than the host, the target's bytes differ from the host's).
"""

from __future__ import annotations

import argparse
import sys
import tempfile

import numpy as np

from pex.fixedpoint import log_x_for_x_greater_than_or_equal_to_1
from pex.graph import NUMPY_TYPES
from pex.reference.operator_check import _run_pexc
from pex.reference.tflm_lstm import logistic_int16, tanh_int16
from pex.tflm_reference import int16_activation_parameters, tanh_parameters
from pex.tosa import int16_functions
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.fixed_point import FixedPointBuilder
from pex.tosa.emitter import module_text
from pex.tosa.text import TensorType

ALL_INT16 = np.arange(-32768, 32768, dtype=np.int64)
# (name, the lowering, TFLite Micro's function)
# The input scales of the 16x8 LOGISTIC and TANH test models, and one whose multiplier
# takes no doubling (a shift of 0).
_GENERAL_SCALES = (1 / 4000, 1 / 3000, 2.0)
FUNCTIONS = [
    ("sigmoid", lambda b, x: int16_functions.logistic_int16(b, x),
     lambda x: logistic_int16(x, 0, 0)),
    *[(f"tanh, scale 2^{power}",
       lambda b, x, p=power: int16_functions.tanh_int16(b, x, tanh_parameters(p)),
       lambda x, p=power: tanh_int16(x, *tanh_parameters(p)))
      for power in (-12, -15, -11, -9)],
    *[(f"{name}, scale {scale:.3g} {int16_activation_parameters(scale, tanh)}",
       lambda b, x, s=scale, t=tanh, f=lowering: f(b, x, int16_activation_parameters(s, t)),
       lambda x, s=scale, t=tanh, f=reference: f(x, *int16_activation_parameters(s, t)))
      for name, tanh, lowering, reference in (
          ("sigmoid", False, int16_functions.logistic_int16, logistic_int16),
          ("tanh", True, int16_functions.tanh_int16, tanh_int16))
      for scale in _GENERAL_SCALES],
]
# The int8 LOG_SOFTMAX's row logarithm (Q12.19 in, Q5.26 out) of 65,536 sums of exps
# evenly over [1, 4096] (the rows TFLite Micro's Q12 sum holds): int32 results.
_LOG_SUM_STEP = 32760
WIDE_FUNCTIONS = [
    ("log of sums of exps 1 ... 4096 (Q12)",
     lambda b, x: FixedPointBuilder(b, 2).log_x_for_x_greater_than_or_equal_to_1(
         _log_sums(b, x), 12, 5),
     lambda x: log_x_for_x_greater_than_or_equal_to_1((1 << 19) + (x + 32768) * _LOG_SUM_STEP,
                                                      12, 5)),
]


def _log_sums(b: FunctionBuilder, x: Value) -> Value:
    """2^19 (1.0 in Q12.19) + (x + 32768) x 32760 for int32 x."""
    fixed = FixedPointBuilder(b, 2)
    return fixed.binary("add", b.mul(fixed.binary("add", x, fixed.constant(32768)),
                                     fixed.constant(_LOG_SUM_STEP), x.shape),
                        fixed.constant(1 << 19))


def _module(lowering, dtype: str) -> str:
    """int16 [1, 65536] -> the lowering (on int32) -> `dtype`."""
    b = FunctionBuilder()
    x = Value("%arg0", TensorType((1, ALL_INT16.size), "i16"))
    b.uses_type(x.type)
    result = lowering(b, b.cast(x, "i32"))
    if dtype != "i32":
        result = b.cast(result, dtype)
    return module_text(b, "activation", [f"{x.name}: {x.type}"], [result], [str(result.type)])


def check(target: str) -> tuple[bool, list[str]]:
    rows, agrees = [], True
    data = ALL_INT16.astype(np.int16).tobytes()
    with tempfile.TemporaryDirectory() as folder:
        for (name, lowering, reference), dtype in (
                [(f, "i16") for f in FUNCTIONS] + [(f, "i32") for f in WIDE_FUNCTIONS]):
            module = _module(lowering, dtype)
            raw = _run_pexc(module, data, target, folder)
            expected = reference(ALL_INT16)
            differing = int(np.count_nonzero(np.frombuffer(raw, NUMPY_TYPES[dtype])
                                             != expected))
            cells = [f"{differing} differ" if differing else "equal"]
            ok = differing == 0
            if target != "host":
                same = raw == _run_pexc(module, data, "host", folder)
                ok = ok and same
                cells.append("yes" if same else "NO")
            agrees = agrees and ok
            rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return agrees, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-int16-activation-check",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="host")
    args = parser.parse_args(argv)
    host_column = " bytes == host |" if args.target != "host" else ""
    print(f"| function | pexc ({args.target}) vs TFLM, 65,536 inputs |{host_column}")
    print("|---|---|" + ("---|" if host_column else ""))
    agrees, rows = check(args.target)
    print("\n".join(rows))
    return 0 if agrees else 1


if __name__ == "__main__":
    sys.exit(main())

"""`--input-shape` arguments: `DIMS` for a model's only input, `NAME:DIMS` for a named one,
DIMS being sizes joined by 'x' in the model's own layout (e.g. 1x3x48x192, NCHW for ONNX)."""

from __future__ import annotations

from pex.errors import ModelError


def parse_input_shapes(arguments: list[str]) -> dict[str | None, tuple[int, ...]]:
    """{input name (None: the only input): dims}."""
    shapes: dict[str | None, tuple[int, ...]] = {}
    for argument in arguments:
        name, _, dims = argument.rpartition(":")
        try:
            shape = tuple(int(d) for d in dims.split("x"))
        except ValueError:
            shape = ()
        if not shape or any(d < 1 for d in shape):
            raise ModelError(f"--input-shape={argument}: expected [NAME:]DIMS with positive "
                             f"sizes joined by 'x', e.g. 1x3x96x96")
        key = name or None
        if key in shapes:
            raise ModelError(f"--input-shape given twice for "
                             f"{repr(key) if key else 'the input'}")
        shapes[key] = shape
    if None in shapes and len(shapes) > 1:
        raise ModelError("--input-shape without a name is for a model with one input; name "
                         "every input (NAME:DIMS) when giving several")
    return shapes


def add_input_shape_argument(parser) -> None:
    """`--input-shape`, as every command that reads a model takes it."""
    parser.add_argument("--input-shape", action="append", default=[], metavar="[NAME:]DIMS",
                        help="static shape of an input with dynamic dimensions, in the "
                             "model's layout (NCHW for ONNX), e.g. 1x3x96x96; repeat with "
                             "NAME: for several inputs")

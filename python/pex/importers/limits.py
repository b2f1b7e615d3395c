"""How large a tensor the importers accept, checked before anything of that size exists.

A Cortex-M target has at most a few MiB of SRAM and tens of MiB of flash, and the host
target compiles the same models, so no tensor of a model Pex can compile comes near
MAX_TENSOR_BYTES. A corrupt file (a 10^9-element shape, a dimension past 2^31) is
refused here instead of making the importer, or pexc after it, allocate gigabytes.
"""

from __future__ import annotations

import math

from pex.errors import ModelError

MAX_TENSOR_BYTES = 1 << 26  # 64 MiB


def check_shape(what: str, shape, itemsize: int) -> None:
    """Refuses a negative dimension or a tensor over MAX_TENSOR_BYTES (dims as Python
    integers: numpy's int64 products wrap around)."""
    dims = [int(d) for d in shape]
    if any(d < 0 for d in dims):
        raise ModelError(f"{what} has a negative dimension in its shape {dims}")
    size = math.prod(dims) * itemsize
    if size > MAX_TENSOR_BYTES:
        raise ModelError(f"{what} of shape {dims} would take {size} bytes, more than any "
                         f"target holds (limit {MAX_TENSOR_BYTES})")

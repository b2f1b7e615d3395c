"""The model zoo: generated networks with deterministic weights, float or int8.

`zoo_graph(arch, ...)` builds the float network from a seed and, for int8, quantises it
with activation ranges calibrated on a seeded random input (uniform in [0, 1), like an
image scaled by 1/255).
"""

from __future__ import annotations

import numpy as np

from pex.graph import Graph
from pex.zoo.architectures import ARCHITECTURES, build
from pex.zoo.quantize import quantize


def zoo_graph(arch: str, width: float | None = None, resolution: int | None = None,
              dtype: str = "int8", seed: int = 0, **options) -> Graph:
    graph = build(arch, width, resolution, seed=seed, **options)
    if dtype == "f32":
        return graph
    calibration = np.random.default_rng(seed + 1).uniform(0, 1, graph.inputs[0].shape)
    return quantize(graph, calibration)


__all__ = ["ARCHITECTURES", "zoo_graph"]

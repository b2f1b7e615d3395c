"""Prints what the graph checks say of one-op slice graphs: neither importer builds a
slice whose bounds or output disagree (both derive the output from the bounds), so the
check that would catch one is tested on graphs made here."""

from pex.errors import ModelError
from pex.graph import Graph, Op, Tensor
from pex.importers.graph_checks import check_graph

CASES = {
    "fits": ((0, 1, 1, 0), (1, 3, 2, 3), (1, 3, 2, 3)),
    "past-the-end": ((0, 1, 0, 0), (1, 4, 4, 3), (1, 4, 4, 3)),
    "other-output": ((0, 0, 0, 0), (1, 2, 2, 3), (1, 2, 3, 3)),
}

for name, (begin, size, out_shape) in CASES.items():
    x = Tensor("x", (1, 4, 4, 3), "f32")
    y = Tensor("y", out_shape, "f32")
    try:
        check_graph(Graph(name, [x], [y], [Op("slice", [x], [y], dict(begin=begin, size=size))]))
        print(f"{name}: accepted")
    except ModelError as error:
        print(f"{name}: {error}")

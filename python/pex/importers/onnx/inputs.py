"""The static shapes of a model's inputs: symbolic dimensions resolved from
`--input-shape`, or, for a leading batch dimension, fixed to 1 (with a note)."""

from __future__ import annotations

from pex.errors import ModelError


def _describe(dim) -> str:
    return f" ('{dim.dim_param}')" if dim.dim_param else ""


def input_shapes(inputs: list, given: dict, notes: list[str]) -> dict[str, tuple[int, ...]]:
    """{input name: static ONNX shape} for the graph inputs `inputs` (ValueInfoProtos)."""
    names = [value.name for value in inputs]
    if None in given and len(names) != 1:
        raise ModelError(f"--input-shape without a name, but the model has {len(names)} "
                         f"inputs ({', '.join(repr(n) for n in names)}): use NAME:DIMS")
    unknown = [name for name in given if name is not None and name not in names]
    if unknown:
        raise ModelError(f"--input-shape names '{unknown[0]}', which is not an input of the "
                         f"model (inputs: {', '.join(repr(n) for n in names)})")
    shapes = {}
    for value in inputs:
        tensor_type = value.type.tensor_type
        if not tensor_type.HasField("shape"):
            raise ModelError(f"input '{value.name}' has no shape; give it with "
                             f"--input-shape={value.name}:DIMS")
        dims = list(tensor_type.shape.dim)
        override = given.get(value.name, given.get(None) if len(names) == 1 else None)
        if override is not None and len(override) != len(dims):
            raise ModelError(f"input '{value.name}' has rank {len(dims)}, --input-shape gives "
                             f"{len(override)} dimensions")
        shape = []
        for index, dim in enumerate(dims):
            static = dim.dim_value if dim.HasField("dim_value") and dim.dim_value > 0 else None
            if override is not None:
                if static is not None and static != override[index]:
                    raise ModelError(f"input '{value.name}' dimension {index} is {static} in "
                                     f"the model, --input-shape gives {override[index]}")
                shape.append(override[index])
            elif static is not None:
                shape.append(static)
            elif index == 0:
                notes.append(f"input '{value.name}' dimension 0{_describe(dim)} fixed to 1")
                shape.append(1)
            else:
                raise ModelError(f"input '{value.name}' dimension {index}{_describe(dim)} is "
                                 f"dynamic; give the input's shape with "
                                 f"--input-shape={value.name}:DIMS")
        shapes[value.name] = tuple(shape)
    return shapes

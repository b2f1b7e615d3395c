"""Every supported ONNX operator: (domain, op_type) -> handler(reader, node, attrs).

Where an operator has an int8 form (QDQ patterns), the `quantized` handler runs first
and returns False when the node is not part of such a pattern; the float handler then
imports it.
"""

from __future__ import annotations

from pex.importers.onnx import (convolution, einsum, elementwise, logical, loop,
                                normalization, pooling, quantized, recurrent, resize, scan,
                                scatter, selection, shape_ops)


def _int8_first(int8_handler, float_handler):
    def handle(r, node, attrs) -> None:
        if not int8_handler(r, node, attrs):
            float_handler(r, node, attrs)
    return handle


_FLOAT = {**convolution.OPERATORS, **elementwise.OPERATORS, **logical.OPERATORS,
          **normalization.OPERATORS, **pooling.OPERATORS, **recurrent.OPERATORS,
          **resize.OPERATORS, **shape_ops.OPERATORS, **scan.OPERATORS,
          **selection.OPERATORS, **einsum.OPERATORS, **loop.OPERATORS,
          **scatter.OPERATORS}

OPERATORS = {("", op_type): handler for op_type, handler in _FLOAT.items()}
OPERATORS.update({("", op_type): _int8_first(handler, _FLOAT[op_type])
                  for op_type, handler in quantized.INT8_FORMS.items()})
OPERATORS.update({("", op_type): handler for op_type, handler in quantized.OPERATORS.items()})
OPERATORS.update({("com.microsoft", op_type): handler
                  for op_type, handler in quantized.MICROSOFT_OPERATORS.items()})

"""pex-prune's channel mask, applied to the torch model.

pex-prune names operators by their locations, which the ONNX importer sets to the
ONNX output tensor names (a convolution folded with its BatchNormalization is named
after the BN's output). `OnnxNames` resolves every such name in the exported ONNX
file to the torch modules that carry its parameters:

  Conv node -> its weight initializer -> the nn.Conv2d owning that parameter
               (+ the nn.BatchNorm2d whose scale feeds the BN node folded into it)
  Gemm node -> its weight initializer -> the nn.Linear
  Relu/Clip/Add/pools/Flatten -> no parameters

Initializers are matched to parameters by their state-dict name and, whatever the
name, by their values (exactly equal arrays), so a renamed initializer still resolves
and a wrong name cannot resolve silently.

`apply_mask` removes, per pruned class, the removed channels from the producers'
output filters (and BN), from channel-local depthwise convolutions (filters, BN,
groups) and from the consumers' input channels (convolutions; a linear layer after
global pooling). Then `compare_shapes` checks the pruned model's imported int8 TOSA
against pex-prune's output, and `masked_equivalence` checks that the pruned model
computes what the unpruned one computes with those channels forced to zero.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


class MaskError(Exception):
    pass


@dataclass
class Entry:
    """What an imported operator name stands for in torch."""

    op_type: str  # the ONNX operator (Conv, Gemm, Relu, Clip, Add, ...)
    module: nn.Module | None = None  # nn.Conv2d or nn.Linear
    module_name: str = ""
    bn: nn.BatchNorm2d | None = None
    bn_name: str = ""
    flatten_of_pool: bool = False  # Gemm reading Flatten(GlobalAveragePool(x))

    @property
    def depthwise(self) -> bool:
        return (isinstance(self.module, nn.Conv2d) and self.module.groups > 1
                and self.module.groups == self.module.in_channels == self.module.out_channels)


class OnnxNames:
    def __init__(self, net: nn.Module, onnx_path: str) -> None:
        import onnx
        from onnx import numpy_helper
        model = onnx.load(onnx_path)
        self.initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        modules = dict(net.named_modules())
        self.parameters: dict[str, tuple[nn.Module, str]] = {}
        for module_name, module in modules.items():
            for pname, param in module.named_parameters(recurse=False):
                self.parameters[f"{module_name}.{pname}" if module_name else pname] = (module,
                                                                                        module_name)
        self._by_value: dict[bytes, list[str]] = {}
        for name, param in net.named_parameters():
            key = param.detach().cpu().numpy().astype(np.float32).tobytes()
            self._by_value.setdefault(key, []).append(name)
        self.state = {k: v.detach().cpu().numpy() for k, v in net.named_parameters()}

        consumers: dict[str, list] = {}
        producer: dict[str, object] = {}
        for node in model.graph.node:
            for name in node.input:
                consumers.setdefault(name, []).append(node)
            for name in node.output:
                producer[name] = node
        self.entries: dict[str, Entry] = {}
        for node in model.graph.node:
            if node.op_type in ("Constant", "BatchNormalization"):
                continue
            name = node.output[0]
            entry = Entry(node.op_type)
            if node.op_type == "Conv":
                entry.module, entry.module_name = self._module(node.input[1], nn.Conv2d)
                followers = consumers.get(name, [])
                if len(followers) == 1 and followers[0].op_type == "BatchNormalization":
                    bn_node = followers[0]
                    entry.bn, entry.bn_name = self._module(bn_node.input[1], nn.BatchNorm2d)
                    name = bn_node.output[0]  # the importer names the folded conv so
            elif node.op_type == "Gemm":
                entry.module, entry.module_name = self._module(node.input[1], nn.Linear)
                flatten = producer.get(node.input[0])
                entry.flatten_of_pool = (
                    flatten is not None and flatten.op_type == "Flatten"
                    and getattr(producer.get(flatten.input[0]), "op_type", "") == "GlobalAveragePool")
            self.entries[name] = entry

    def _module(self, initializer: str, kind: type) -> tuple[nn.Module, str]:
        """The module owning the parameter exported as `initializer`, checked by value."""
        data = self.initializers.get(initializer)
        if data is None:
            raise MaskError(f"ONNX initializer '{initializer}' not found")
        candidates = self._by_value.get(data.astype(np.float32).tobytes(), [])
        if initializer in self.parameters and initializer in candidates:
            pname = initializer
        elif len(candidates) == 1:
            pname = candidates[0]
        else:
            raise MaskError(f"ONNX initializer '{initializer}' matches "
                            f"{len(candidates)} parameters of the torch model by value")
        module, module_name = self.parameters[pname]
        if not isinstance(module, kind):
            raise MaskError(f"'{initializer}' belongs to {module_name} "
                            f"({type(module).__name__}), not a {kind.__name__}")
        return module, module_name

    def __getitem__(self, name: str) -> Entry:
        if name not in self.entries:
            raise MaskError(f"operator '{name}' of the mask is not in the ONNX export")
        return self.entries[name]


# ---- Removing channels from modules -------------------------------------------

def _index(kept) -> torch.Tensor:
    return torch.as_tensor(list(kept), dtype=torch.long)


def _set(module: nn.Module, name: str, value: torch.Tensor) -> None:
    old = getattr(module, name)
    if isinstance(old, nn.Parameter):
        setattr(module, name, nn.Parameter(value.clone(), requires_grad=old.requires_grad))
    else:
        setattr(module, name, value.clone())


def prune_bn(bn: nn.BatchNorm2d, kept) -> None:
    index = _index(kept)
    for name in ("weight", "bias", "running_mean", "running_var"):
        if getattr(bn, name) is not None:
            _set(bn, name, getattr(bn, name).data[index])
    bn.num_features = len(kept)


def prune_conv_outputs(conv: nn.Conv2d, kept) -> None:
    _set(conv, "weight", conv.weight.data[_index(kept)])
    if conv.bias is not None:
        _set(conv, "bias", conv.bias.data[_index(kept)])
    conv.out_channels = len(kept)


def prune_conv_inputs(conv: nn.Conv2d, kept) -> None:
    if conv.groups != 1:
        raise MaskError("input channels of a grouped convolution")
    _set(conv, "weight", conv.weight.data[:, _index(kept)])
    conv.in_channels = len(kept)


def prune_depthwise(conv: nn.Conv2d, kept) -> None:
    prune_conv_outputs(conv, kept)
    conv.in_channels = conv.groups = len(kept)


def prune_linear_inputs(linear: nn.Linear, kept) -> None:
    _set(linear, "weight", linear.weight.data[:, _index(kept)])
    linear.in_features = len(kept)


# ---- The mask -------------------------------------------------------------------

@dataclass
class Action:
    """One change to one module: what `apply_mask` does, also for the report."""

    what: str  # "outputs", "depthwise", "inputs", "linear-inputs"
    entry: Entry
    kept: list[int]
    channels: int

    def describe(self) -> str:
        bn = f" + {self.entry.bn_name}" if self.entry.bn is not None and self.what in (
            "outputs", "depthwise") else ""
        return f"{self.entry.module_name}{bn}: {self.what} {self.channels} -> {len(self.kept)}"


def plan(mask: dict, names: OnnxNames) -> list[Action]:
    """What the mask removes from which module; checks every name and channel count."""
    actions: list[Action] = []
    seen: dict[tuple[int, str], str] = {}
    for cls in mask["pruned"]:
        channels, kept = cls["channels"], list(cls["kept"])
        if sorted(kept + list(cls["removed"])) != list(range(channels)):
            raise MaskError(f"class of {cls['producers']}: kept and removed channels do not "
                            f"partition 0..{channels - 1}")
        producers = set(cls["producers"])
        for name in cls["producers"]:
            entry = names[name]
            if entry.op_type != "Conv" or entry.depthwise:
                raise MaskError(f"producer '{name}' is not a convolution ({entry.op_type})")
            actions.append(Action("outputs", entry, kept, channels))
        for name in cls["channel_local"]:
            entry = names[name]
            if name in producers:
                continue  # the producer's own rescale/activation: its outputs are pruned
            if entry.op_type == "Conv":
                if not entry.depthwise:
                    raise MaskError(f"channel-local '{name}' is a full convolution")
                actions.append(Action("depthwise", entry, kept, channels))
            elif entry.module is not None:
                raise MaskError(f"channel-local '{name}' ({entry.op_type}) has parameters")
        for name in cls["consumers"]:
            entry = names[name]
            if entry.op_type == "Conv" and not entry.depthwise:
                actions.append(Action("inputs", entry, kept, channels))
            elif entry.op_type == "Gemm" and entry.flatten_of_pool:
                actions.append(Action("linear-inputs", entry, kept, channels))
            else:
                raise MaskError(f"consumer '{name}' ({entry.op_type}) cannot lose input channels")
    for action in actions:
        module = action.entry.module
        side = "in" if action.what in ("inputs", "linear-inputs") else "out"
        key = (id(module), side)
        if key in seen:
            raise MaskError(f"{action.entry.module_name}: {side}put channels pruned twice "
                            f"({seen[key]})")
        seen[key] = action.what
        have = {"outputs": getattr(module, "out_channels", None),
                "depthwise": getattr(module, "out_channels", None),
                "inputs": getattr(module, "in_channels", None),
                "linear-inputs": getattr(module, "in_features", None)}[action.what]
        if have != action.channels:
            raise MaskError(f"{action.entry.module_name} has {have} {side}put channels, the "
                            f"mask's class has {action.channels}")
    return actions


def apply_mask(net: nn.Module, mask: dict, onnx_path: str) -> list[Action]:
    """Removes the mask's channels from `net` (exported as `onnx_path`), in place."""
    actions = plan(mask, OnnxNames(net, onnx_path))
    for action in actions:
        module, bn = action.entry.module, action.entry.bn
        if action.what == "outputs":
            prune_conv_outputs(module, action.kept)
        elif action.what == "depthwise":
            prune_depthwise(module, action.kept)
        elif action.what == "inputs":
            prune_conv_inputs(module, action.kept)
        else:
            prune_linear_inputs(module, action.kept)
        if bn is not None and action.what in ("outputs", "depthwise"):
            prune_bn(bn, action.kept)
    return actions


def masked_copy(net: nn.Module, mask: dict, onnx_path: str) -> nn.Module:
    """A copy of the unpruned `net` whose removed channels are forced to zero (the
    producers' and depthwise filters and BN scale/shift of those channels are zero)."""
    masked = copy.deepcopy(net)
    for action in plan(mask, OnnxNames(masked, onnx_path)):
        if action.what not in ("outputs", "depthwise"):
            continue
        removed = sorted(set(range(action.channels)) - set(action.kept))
        with torch.no_grad():
            action.entry.module.weight[removed] = 0
            if action.entry.module.bias is not None:
                action.entry.module.bias[removed] = 0
            if action.entry.bn is not None:
                action.entry.bn.weight[removed] = 0
                action.entry.bn.bias[removed] = 0
    return masked


def masked_equivalence(original: nn.Module, pruned: nn.Module, mask: dict, onnx_path: str,
                       inputs: torch.Tensor) -> float:
    """Largest |pruned(x) - masked original(x)|: ~1e-6 when the mask went where it should."""
    masked = masked_copy(original, mask, onnx_path).eval()
    pruned_mode = pruned.training
    pruned.eval()
    with torch.no_grad():
        diff = (masked(inputs) - pruned(inputs)).abs().max().item()
    pruned.train(pruned_mode)
    return diff


# ---- Shapes of TOSA functions ---------------------------------------------------------

_LOC_ALIAS = re.compile(r'^(#loc\d+) = loc\((.*)\)$', re.M)
_NAME = re.compile(r'^"((?:[^"\\]|\\.)*)"')
_OP = re.compile(r'=\s*"?(tosa\.[a-z_0-9]+)"?')
_TYPE = re.compile(r'tensor<([0-9x]+)x(?:[a-z]+[0-9]*)>|tensor<([a-z]+[0-9]*)>')
_SKIP = {"tosa.const", "tosa.const_shape", "tosa.rescale", "tosa.clamp"}


def _shapes(signature: str) -> list[tuple[int, ...]]:
    return [tuple(int(d) for d in m.group(1).split("x")) if m.group(1) else ()
            for m in _TYPE.finditer(signature)]


def tosa_shapes(mlir: str) -> list[tuple[str, str, list]]:
    """(operator, location name, operand and result shapes) of every TOSA operation that
    is not a constant, rescale or clamp, in order, plus the function's signature."""
    aliases = {}
    for alias, body in _LOC_ALIAS.findall(mlir):
        aliases[alias] = body
    ops = []
    for line in mlir.splitlines():
        line = line.strip()
        if line.startswith("func.func"):
            ops.append(("func", "", _shapes(line.split("(", 1)[1])))
            continue
        match = _OP.search(line)
        if not match or match.group(1) in _SKIP:
            continue
        loc = ""
        at = line.rfind(" loc(")
        if at >= 0:
            body = line[at + 5:-1]
            body = aliases.get(body, body)
            name = _NAME.match(body)
            loc = name.group(1) if name else ""
            line = line[:at]
        signature = line[line.rfind(" : ") + 3:] if " : " in line else ""
        ops.append((match.group(1), loc, _shapes(signature)))
    return ops


def compare_shapes(expected_mlir: str, actual_mlir: str) -> int:
    """Raises MaskError at the first operation whose shapes (or name) differ; returns the
    number of operations compared."""
    expected, actual = tosa_shapes(expected_mlir), tosa_shapes(actual_mlir)
    for index, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            raise MaskError(f"operation {index}: pex-prune has {e[0]} '{e[1]}' {e[2]}, the "
                            f"pruned torch model imports as {a[0]} '{a[1]}' {a[2]}")
    if len(expected) != len(actual):
        raise MaskError(f"pex-prune's function has {len(expected)} operations, the pruned "
                        f"torch model's {len(actual)}")
    if not any(e[1] for e in expected):
        raise MaskError("pex-prune's output has no operator names (print it with "
                        "--mlir-print-debuginfo)")
    return len(expected)

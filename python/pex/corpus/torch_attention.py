"""Small attention networks written in PyTorch the way published MCU-sized ones are, for
`onnx_models` to export with torch.onnx.export.

- `keyword_transformer`: the Keyword Transformer (Berg et al., "Keyword Transformer: A
  Self-Attention Model for Keyword Spotting"), scaled down: each of 49 frames of 10 MFCCs
  a token (Linear), a learned class token and positions, post-norm encoder layers
  (`nn.TransformerEncoderLayer`: multi-head self-attention, a GELU MLP), the class token's
  output through Linear. Exported at the default opset, where LayerNorm is decomposed
  (ReduceMean, Pow, Sqrt, Div) and GELU is Erf.
- `vit_tiny`: a Vision Transformer (Dosovitskiy et al.) on 32x32 images: 4x4 patches
  embedded by a strided Conv2d, flattened into 64 tokens, pre-norm encoder layers, a final
  LayerNorm, the mean over tokens, Linear. Exported at opset 17 (LayerNormalization).
"""

from __future__ import annotations


def keyword_transformer(classes: int = 12, frames: int = 49, features: int = 10,
                        width: int = 32, heads: int = 2, depth: int = 2, mlp: int = 64):
    import torch
    from torch import nn

    class KeywordTransformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Linear(features, width)
            self.cls = nn.Parameter(0.1 * torch.randn(1, 1, width))
            self.positions = nn.Parameter(0.1 * torch.randn(1, frames + 1, width))
            layer = nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0,
                                               activation="gelu", batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
            self.head = nn.Linear(width, classes)

        def forward(self, x):
            tokens = self.embed(x)
            tokens = torch.cat([self.cls.expand(x.shape[0], -1, -1), tokens], dim=1)
            tokens = self.encoder(tokens + self.positions)
            return self.head(tokens[:, 0])

    return KeywordTransformer(), (1, frames, features)


def vit_tiny(classes: int = 10, resolution: int = 32, patch: int = 4, width: int = 32,
             heads: int = 2, depth: int = 2, mlp: int = 64):
    import torch
    from torch import nn

    class VisionTransformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.patches = nn.Conv2d(3, width, patch, stride=patch)
            self.positions = nn.Parameter(
                0.1 * torch.randn(1, (resolution // patch) ** 2, width))
            layer = nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0,
                                               activation="gelu", batch_first=True,
                                               norm_first=True)
            self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, classes)

        def forward(self, x):
            tokens = self.patches(x).flatten(2).transpose(1, 2)
            tokens = self.norm(self.encoder(tokens + self.positions))
            return self.head(tokens.mean(dim=1))

    return VisionTransformer(), (1, 3, resolution, resolution)


# name -> (constructor, opset for torch.onnx.export; None: its default)
NETWORKS = {"keyword_transformer": (keyword_transformer, None), "vit_tiny": (vit_tiny, 17)}

"""Fashion-MNIST from Debian's dataset-fashion-mnist package, as uint8 images.

Images are kept as uint8 [N, R, R] at the model's resolution R: the 28x28 originals,
or bilinearly upsampled and rounded back to whole grey levels, so that the float model
(x = u8 / 255) and the int8 model (q = u8 - 128: input scale 1/255, zero point -128)
see exactly the same picture.
"""

from __future__ import annotations

import gzip
import os

import numpy as np

DATASET_DIR = os.environ.get("PEX_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")


def _read_idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:  # unsigned byte
        raise ValueError(f"{path}: not an idx file of unsigned bytes")
    rank = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(split: str, resolution: int = 28) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 [N, R, R], labels int64 [N]) of 'train' (60000) or 't10k' (10000)."""
    images = _read_idx(os.path.join(DATASET_DIR, f"{split}-images-idx3-ubyte.gz"))
    labels = _read_idx(os.path.join(DATASET_DIR, f"{split}-labels-idx1-ubyte.gz"))
    return resize(images, resolution), labels.astype(np.int64)


def resize(images: np.ndarray, resolution: int) -> np.ndarray:
    if resolution == images.shape[-1]:
        return images
    import torch
    import torch.nn.functional as F
    out = []
    for start in range(0, len(images), 4096):
        x = torch.from_numpy(images[start:start + 4096].astype(np.float32))[:, None]
        y = F.interpolate(x, size=(resolution, resolution), mode="bilinear",
                          align_corners=False)
        out.append(np.clip(np.round(y[:, 0].numpy()), 0, 255).astype(np.uint8))
    return np.concatenate(out)


def to_float(images: np.ndarray):
    """The torch model's input: [N, 1, R, R] float32 in [0, 1]."""
    import torch
    return torch.from_numpy(images.astype(np.float32) / 255.0)[:, None]


def to_int8_bytes(images: np.ndarray) -> bytes:
    """The compiled model's input for a batch: k x R*R int8 bytes (NHWC with C = 1)."""
    return (images.astype(np.int16) - 128).astype(np.int8).tobytes()

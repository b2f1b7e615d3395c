"""Deterministic training and evaluation of the float model on 2 CPU threads.

Seeds: torch.manual_seed(seed) before building a model; each epoch's order is a
numpy permutation seeded by (seed, epoch); torch.use_deterministic_algorithms.
Optimiser: AdamW with a cosine learning rate over all steps of the run; batch 128;
augmentation: a random horizontal flip per image (drawn from the same seeded
generator).
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch
from torch import nn

from pex.training import data


def setup(threads: int = 2) -> None:
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def train(net: nn.Module, images: np.ndarray, labels: np.ndarray, epochs: float,
          lr: float = 3e-3, seed: int = 0, batch: int = 128, weight_decay: float = 1e-4,
          log=None) -> float:
    """Trains in place for `epochs` (a fraction trains on part of one epoch); returns
    the seconds it took."""
    start = time.time()
    steps_per_epoch = math.ceil(len(images) / batch)
    total = max(1, int(round(epochs * steps_per_epoch)))
    if epochs <= 0:
        return 0.0
    net.to(memory_format=torch.channels_last)  # several times faster on CPU
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * min(step, total) / total)))
    loss_fn = nn.CrossEntropyLoss()
    x_all, y_all = data.to_float(images), torch.from_numpy(labels)
    net.train()
    step, epoch = 0, 0
    while step < total:
        rng = np.random.default_rng([seed, epoch])
        order = rng.permutation(len(images))
        flips = rng.random(len(images)) < 0.5
        running, seen = 0.0, 0
        for first in range(0, len(order), batch):
            if step >= total:
                break
            index = order[first:first + batch]
            x = x_all[index]
            flip = torch.from_numpy(flips[index])
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
            x = x.contiguous(memory_format=torch.channels_last)
            loss = loss_fn(net(x), y_all[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            running += loss.item() * len(index)
            seen += len(index)
            step += 1
        if log:
            log(f"    epoch {epoch + 1}: loss {running / max(seen, 1):.4f} "
                f"({time.time() - start:.0f} s)")
        epoch += 1
    net.eval()
    return time.time() - start


def predict(net: nn.Module, images: np.ndarray, batch: int = 1000) -> np.ndarray:
    net.eval()
    out = []
    with torch.no_grad():
        for first in range(0, len(images), batch):
            out.append(net(data.to_float(images[first:first + batch])).argmax(1).numpy())
    return np.concatenate(out)


def accuracy(net: nn.Module, images: np.ndarray, labels: np.ndarray) -> float:
    return float((predict(net, images) == labels).mean())

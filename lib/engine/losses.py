"""Losses. Classification compares softmax(logits) with the one-hot target by cross-entropy or by
mean squared error (the lecture's section 7: MSE goes flat where the loss is large)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .settings import LOSSES


def make_loss(name: str, task: str):
    """Return loss(output, target) -> scalar for `task` ("classification" or "regression")."""
    if name not in LOSSES:
        raise ValueError(f"loss: unknown value {name!r}; allowed: {', '.join(LOSSES)}")
    if task == "regression":
        return F.mse_loss  # regression always uses squared error; CE has no meaning here
    return F.cross_entropy if name == "ce" else softmax_mse


def softmax_mse(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over samples of Σ_k (softmax(y)_k − ŷ_k)², ŷ the one-hot target."""
    p = torch.softmax(logits, dim=-1)
    one_hot = F.one_hot(target, logits.shape[-1]).to(p.dtype)
    return ((p - one_hot) ** 2).sum(-1).mean()


def accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    return float((output.argmax(-1) == target).float().mean())

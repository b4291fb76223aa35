"""Models: an MLP builder, and the two-parameter toys whose error surfaces the pages draw.

Initialisation uses an explicit torch.Generator, never the global RNG: Streamlit serves every
student from threads of one process, and a global seed would leak between them.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .settings import ACTIVATIONS

ACTIVATION_LAYERS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
                     "linear": nn.Identity}
# Gains for Xavier-uniform initialisation (torch.nn.init.calculate_gain; gelu behaves like relu).
GAINS = {"tanh": 5 / 3, "relu": math.sqrt(2), "gelu": math.sqrt(2), "sigmoid": 1.0, "linear": 1.0}


def make_mlp(n_in: int, n_out: int, depth: int = 2, width: int = 16, activation: str = "tanh",
             batch_norm: bool = False, seed: int = 0) -> nn.Sequential:
    """depth hidden layers of `width` units: Linear → [BatchNorm1d] → activation, then a Linear head.

    The Linear weights depend only on the seed and the layer shapes, so a run with batch norm
    switched on starts from the same weights as one without (BatchNorm1d starts at γ=1, β=0).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation: unknown value {activation!r}; allowed: {', '.join(ACTIVATIONS)}")
    if depth < 0 or width < 1:
        raise ValueError(f"depth/width: need depth ≥ 0 and width ≥ 1, got {depth}, {width}")
    gen = torch.Generator().manual_seed(seed)
    layers, fan_in = [], n_in
    for _ in range(depth):
        layers.append(init_linear(nn.Linear(fan_in, width), GAINS[activation], gen))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(ACTIVATION_LAYERS[activation]())
        fan_in = width
    layers.append(init_linear(nn.Linear(fan_in, n_out), 1.0, gen))
    return nn.Sequential(*layers)


def init_linear(layer: nn.Linear, gain: float, gen: torch.Generator) -> nn.Linear:
    with torch.no_grad():
        nn.init.xavier_uniform_(layer.weight, gain=gain, generator=gen)
        layer.bias.zero_()
    return layer


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# -- two-parameter error surfaces ------------------------------------------------------------------
# Each takes w = (w1, w2) as a tensor (..., 2) and returns the loss (...). They are plain functions so
# pages can evaluate them on a grid for contour plots and autograd can differentiate them.

def toy_w1w2(w: torch.Tensor, x: float = 1.0, y_hat: float = 1.0) -> torch.Tensor:
    """The lecture's network y = w1·w2·x with one training pair: L = (ŷ − w1·w2·x)².

    Critical points: the saddle at (0, 0) and the minima on the hyperbola w1·w2 = ŷ/x.
    """
    return (y_hat - w[..., 0] * w[..., 1] * x) ** 2


def elongated_valley(w: torch.Tensor, a: float = 0.05, b: float = 2.0) -> torch.Tensor:
    """A convex bowl that is far steeper along w2 than along w1 (condition number b/a)."""
    return 0.5 * (a * w[..., 0] ** 2 + b * w[..., 1] ** 2)


def local_min_plateau(w: torch.Tensor) -> torch.Tensor:
    """A surface with a shallow local minimum, a plateau, and a deeper global minimum along w1."""
    w1, w2 = w[..., 0], w[..., 1]
    profile = (0.05 * (w1 - 2.0) ** 2 - 0.6 * torch.exp(-((w1 - 2.5) ** 2) / 0.5)
               - 0.25 * torch.exp(-((w1 + 1.5) ** 2) / 0.3))
    return profile + 0.5 * w2 ** 2


def rosenbrock(w: torch.Tensor, a: float = 1.0, b: float = 10.0) -> torch.Tensor:
    return (a - w[..., 0]) ** 2 + b * (w[..., 1] - w[..., 0] ** 2) ** 2


SURFACES = {"toy_w1w2": toy_w1w2, "elongated_valley": elongated_valley,
            "local_min_plateau": local_min_plateau, "rosenbrock": rosenbrock}


def surface_grid(fn, lo=(-2.0, -2.0), hi=(2.0, 2.0), steps: int = 80):
    """Evaluate a surface on a grid: returns (w1 values, w2 values, loss[steps, steps])."""
    g1 = torch.linspace(lo[0], hi[0], steps)
    g2 = torch.linspace(lo[1], hi[1], steps)
    mesh = torch.stack(torch.meshgrid(g1, g2, indexing="xy"), -1)
    with torch.no_grad():
        return g1, g2, fn(mesh)

"""Gradient descent with momentum on a small error surface, in the lecture's notation.

    m^0 = 0
    m^(i+1) = λ·m^i − η·g^i          (g^i = ∇L(θ^i))
    θ^(i+1) = θ^i + m^(i+1)

so the movement is a weighted sum of all past gradients,

    m^i = −Σ_{k=0}^{i−1} λ^(i−k−1) · η · g^k,

and λ = 0 is plain gradient descent. (torch.optim.SGD with momentum=λ takes the same steps for a
constant learning rate: its buffer b^i = Σ λ^(i−k−1) g^k and it moves by −η·b^i.)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .models import local_min_plateau

MAX_STEPS = 2000      # a path is at most this long; the page's sliders stay far below
ESCAPE = 1e3          # a position this far out counts as divergence and ends the path


def surface(w: torch.Tensor) -> torch.Tensor:
    """The page's 2-D error surface: a shallow local minimum near w1 ≈ −1.26, a nearly flat
    stretch (plateau), and the global minimum near w1 ≈ 2.48 (lib.models.local_min_plateau)."""
    return local_min_plateau(w)


def curve(x: torch.Tensor) -> torch.Tensor:
    """The 1-D loss curve: the same surface along w2 = 0."""
    return local_min_plateau(torch.stack([x, torch.zeros_like(x)], -1))


@dataclass
class Path:
    """A descent: positions θ^0 … θ^n, gradients g^0 … g^(n−1), movements m^1 … m^n, losses."""
    theta: np.ndarray     # (n+1, d)
    grads: np.ndarray     # (n, d)
    moves: np.ndarray     # (n, d): moves[i-1] is m^i
    losses: np.ndarray    # (n+1,)
    diverged: bool = False

    @property
    def steps(self) -> int:
        return len(self.grads)


def descend(fn, start, lr: float, lam: float, steps: int) -> Path:
    """Gradient descent with momentum λ (λ = 0: plain GD) from `start` for `steps` updates.

    fn maps a tensor (..., d) to the loss; start is a sequence of d numbers. Computed in float64.
    A path that leaves |θ| < ESCAPE or turns non-finite stops early with diverged=True.
    """
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr: must be a positive number, got {lr!r}")
    if not 0 <= lam < 1:
        raise ValueError(f"momentum: must lie in [0, 1), got {lam!r}")
    steps = int(min(max(steps, 0), MAX_STEPS))
    theta = torch.tensor(start, dtype=torch.float64).reshape(-1)
    m = torch.zeros_like(theta)
    thetas, grads, moves = [theta.clone()], [], []
    diverged = False
    for _ in range(steps):
        p = theta.clone().requires_grad_(True)
        loss = fn(p)
        (g,) = torch.autograd.grad(loss, p)
        m = lam * m - lr * g
        theta = theta + m
        if not torch.isfinite(theta).all() or float(theta.abs().max()) > ESCAPE:
            diverged = True
            break
        grads.append(g)
        moves.append(m.clone())
        thetas.append(theta.clone())
    with torch.no_grad():
        losses = [float(fn(th)) for th in thetas]
    d = len(thetas[0])
    stack = lambda xs: torch.stack(xs).numpy() if xs else np.zeros((0, d))  # noqa: E731
    return Path(stack(thetas), stack(grads), stack(moves), np.array(losses), diverged)


def weights(i: int, lr: float, lam: float) -> np.ndarray:
    """The factor of each past gradient g^k (k = 0 … i−1) in m^i: −η·λ^(i−k−1)."""
    k = np.arange(i)
    return -lr * lam ** (i - k - 1.0)


def terms(path: Path, i: int, lr: float, lam: float) -> np.ndarray:
    """m^i split into its terms: row k is −η·λ^(i−k−1)·g^k; the rows sum to m^i."""
    if not 0 <= i <= path.steps:
        raise ValueError(f"i: must lie in 0 … {path.steps}, got {i}")
    return weights(i, lr, lam)[:, None] * path.grads[:i]


def movement(path: Path, i: int) -> np.ndarray:
    """The actual m^i of the path (θ^i − θ^(i−1)); m^0 = 0."""
    if i == 0:
        return np.zeros(path.theta.shape[1])
    return path.moves[i - 1]


def settled_at(path: Path, tol: float = 1e-3) -> int | None:
    """The first step after which the position stays within tol (per coordinate) of where it ends."""
    if path.steps == 0:
        return None
    far = np.abs(path.theta - path.theta[-1]).max(1) > tol
    moving = np.nonzero(far)[0]
    return int(moving[-1] + 1) if len(moving) else 0

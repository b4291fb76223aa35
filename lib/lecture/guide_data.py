"""Lecture section 1's overfitting and mismatch demos: one-dimensional regression, fitted in < 1 s.

The true function is even, f(x) = cos(2.5x), observed with noise on x ∈ [−1, 1]. Because it is
even, mirroring a point (x, y) → (−x, y) is a correct data augmentation (the 1-D cousin of
flipping an image). A mismatched test set draws x from [1, 2], where no training point lies.

Model families, from flexible to constrained: an MLP, polynomials of degree 12 and 4, a line.
Every fit is full-batch Adam for a fixed number of steps from a seeded start: same seed, same
numbers, and the train/test loss is recorded along the way.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..engine.models import make_mlp

X_RANGE = (-1.0, 1.0)
SHIFTED_RANGE = (1.0, 2.0)
NOISE = 0.25
FAMILIES = ("mlp", "poly12", "poly4", "line")
AUGMENTATIONS = ("none", "mirror", "jitter")
N_CHOICES = (5, 10, 20, 50, 100, 200)   # training-set sizes the overfitting demo offers
DEFAULT_N = 10                           # … and the one it opens with
MISMATCH_NS = (10, 30, 100, 300)         # the training-set sizes the mismatch demo compares
MAX_TRAIN = 400      # training points a student can ask for (before augmentation)
MAX_STEPS = 1500
RECORD_EVERY = 10


def truth(x):
    return np.cos(2.5 * np.asarray(x, dtype=float))


def sample(n: int, seed: int, lo: float = X_RANGE[0], hi: float = X_RANGE[1],
           noise: float = NOISE) -> tuple[np.ndarray, np.ndarray]:
    """n points with x uniform on [lo, hi] and y = f(x) + noise."""
    if n < 1:
        raise ValueError(f"N: need at least 1 point, got {n}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, n)
    return x, truth(x) + noise * rng.standard_normal(n)


def augment(x: np.ndarray, y: np.ndarray, kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """mirror: add (−x, y), valid because f is even. jitter: add (x + small shift, y), valid
    because f barely changes over the shift. none: as is."""
    if kind not in AUGMENTATIONS:
        raise ValueError(f"augmentation: unknown value {kind!r}; allowed: {', '.join(AUGMENTATIONS)}")
    if kind == "mirror":
        return np.r_[x, -x], np.r_[y, y]
    if kind == "jitter":
        rng = np.random.default_rng(seed + 10_000)
        shifted = np.clip(x + 0.04 * rng.standard_normal(len(x)), *X_RANGE)
        return np.r_[x, shifted], np.r_[y, y]
    return x, y


class Polynomial(nn.Module):
    """y = Σ_k w_k P_k(x) with Legendre polynomials P_k: well conditioned on [−1, 1]."""

    def __init__(self, degree: int, gen: torch.Generator):
        super().__init__()
        self.degree = degree
        self.weight = nn.Parameter(0.1 * torch.randn(degree + 1, generator=gen))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        p = [torch.ones_like(x), x]
        for k in range(1, self.degree):  # Bonnet's recursion
            p.append(((2 * k + 1) * x * p[k] - k * p[k - 1]) / (k + 1))
        return torch.stack(p[:self.degree + 1], -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (n, 1)
        return self.features(x[:, 0]) @ self.weight[:, None]


def make_model(family: str, seed: int = 0) -> nn.Module:
    if family not in FAMILIES:
        raise ValueError(f"model: unknown value {family!r}; allowed: {', '.join(FAMILIES)}")
    gen = torch.Generator().manual_seed(seed)
    if family == "mlp":
        return make_mlp(1, 1, depth=2, width=32, activation="tanh", seed=seed)
    return Polynomial({"poly12": 12, "poly4": 4, "line": 1}[family], gen)


def n_params(family: str) -> int:
    return sum(p.numel() for p in make_model(family).parameters())


@dataclass
class Fit:
    steps: list          # recorded update numbers
    train_loss: list     # MSE on the (augmented) training set
    test_loss: list      # MSE on the test set
    grid_x: np.ndarray   # where the fitted function is drawn
    grid_y: np.ndarray
    model: nn.Module

    def predict(self, x) -> np.ndarray:
        with torch.no_grad():
            xt = torch.tensor(np.asarray(x, dtype=float), dtype=torch.float32)[:, None]
            return self.model(xt)[:, 0].numpy().astype(float)


def fit(x, y, x_test, y_test, family: str, steps: int = 800, lr: float = 0.02, seed: int = 0,
        grid=(X_RANGE[0], X_RANGE[1])) -> Fit:
    """Full-batch Adam on the MSE for `steps` updates; records losses every RECORD_EVERY."""
    steps = int(steps)
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps: need 1 … {MAX_STEPS}, got {steps}")
    if len(x) > 2 * MAX_TRAIN or len(x) < 1:
        raise ValueError(f"N: need 1 … {MAX_TRAIN} training points, got {len(x)}")
    model = make_model(family, seed)
    xt = torch.tensor(np.asarray(x), dtype=torch.float32)[:, None]
    yt = torch.tensor(np.asarray(y), dtype=torch.float32)[:, None]
    xs = torch.tensor(np.asarray(x_test), dtype=torch.float32)[:, None]
    ys = torch.tensor(np.asarray(y_test), dtype=torch.float32)[:, None]
    # foreach: one fused update for all tensors, 3× faster on these tiny models, same numbers
    opt = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    rec_steps, train_l, test_l = [], [], []

    def record(step):
        with torch.no_grad():
            rec_steps.append(step)
            train_l.append(float(((model(xt) - yt) ** 2).mean()))
            test_l.append(float(((model(xs) - ys) ** 2).mean()))

    record(0)
    for step in range(1, steps + 1):
        opt.zero_grad(set_to_none=True)
        loss = ((model(xt) - yt) ** 2).mean()
        loss.backward()
        opt.step()
        if step % RECORD_EVERY == 0 or step == steps:
            record(step)
    gx = np.linspace(grid[0], grid[1], 200)
    out = Fit(rec_steps, train_l, test_l, gx, None, model)
    out.grid_y = out.predict(gx)
    return out


def overfit_demo(n: int, family: str, augmentation: str, seed: int = 0, steps: int = 600):
    """Train on n noisy points (augmented) and test on 200 fresh points from the same range."""
    if not 2 <= n <= MAX_TRAIN:
        raise ValueError(f"N: need 2 … {MAX_TRAIN} training points, got {n}")
    x, y = sample(n, seed)
    xa, ya = augment(x, y, augmentation, seed)
    x_test, y_test = sample(200, seed + 1)
    return (x, y), (xa, ya), (x_test, y_test), fit(xa, ya, x_test, y_test, family, steps, seed=seed)


def shifted_test(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The mismatch demo's test set: 200 points with x on [1, 2], where no training point lies."""
    return sample(200, seed + 2, *SHIFTED_RANGE)


def mismatch_demo(ns, family: str = "mlp", seed: int = 0, steps: int = 500) -> list[dict]:
    """For each N: final train loss, test loss on the training range, test loss on [1, 2]."""
    x_same, y_same = sample(200, seed + 1)
    x_shift, y_shift = shifted_test(seed)
    rows = []
    for n in ns:
        if not 2 <= n <= MAX_TRAIN:
            raise ValueError(f"N: need 2 … {MAX_TRAIN} training points, got {n}")
        x, y = sample(int(n), seed)
        f = fit(x, y, x_shift, y_shift, family, steps, seed=seed, grid=(X_RANGE[0], SHIFTED_RANGE[1]))
        rows.append({"n": int(n), "train": f.train_loss[-1], "same": mse(f.predict(x_same), y_same),
                     "shifted": f.test_loss[-1],
                     "grid_x": f.grid_x, "grid_y": f.grid_y})
    return rows


def noise_floor() -> float:
    """The smallest expected test MSE any model can reach: the noise variance."""
    return NOISE ** 2


def mse(a, b) -> float:
    return float(np.mean((np.asarray(a) - np.asarray(b)) ** 2))


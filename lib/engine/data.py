"""Datasets: small, generated on the fly from a seed (same seed, same data), no download.

2-D classification: moons, circles, spiral, xor, gaussians. Regression: reg1d (a noisy sine-like
curve), reg2d (a smooth bump surface) and waves (a wavy surface over
standard-normal inputs). One real dataset that works offline: the 8×8
handwritten digits that ship inside scikit-learn.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from .settings import DATASETS, REGRESSION_DATASETS, n_test


@dataclass(frozen=True)
class Dataset:
    x_train: torch.Tensor
    y_train: torch.Tensor  # class index (long) for classification, (n, 1) float for regression
    x_test: torch.Tensor
    y_test: torch.Tensor
    task: str              # "classification" or "regression"
    n_classes: int         # 0 for regression

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.n_classes if self.task == "classification" else 1


def make_dataset(name: str, n_samples: int = 400, noise: float = 0.2, test_fraction: float = 0.3,
                 seed: int = 0) -> Dataset:
    if name not in DATASETS:
        raise ValueError(f"dataset: unknown value {name!r}; allowed: {', '.join(DATASETS)}")
    if n_samples < 4:
        raise ValueError(f"n_samples: need at least 4 points, got {n_samples}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: must lie in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    if name == "digits":
        x, y = digits(n_samples, rng)
    else:
        x, y = GENERATORS[name](n_samples, noise, rng)
    return split(x, y, test_fraction, rng, regression=name in REGRESSION_DATASETS)


def split(x: np.ndarray, y: np.ndarray, test_fraction: float, rng, regression: bool) -> Dataset:
    order = rng.permutation(len(x))
    k = n_test(len(x), test_fraction)
    test, train = order[:k], order[k:]
    xt = torch.tensor(x, dtype=torch.float32)
    if regression:
        yt = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
        n_classes, task = 0, "regression"
    else:
        yt = torch.tensor(y, dtype=torch.long)
        n_classes, task = int(y.max()) + 1, "classification"
    return Dataset(xt[train], yt[train], xt[test], yt[test], task, n_classes)


# -- 2-D classification (inputs roughly in [-1.5, 1.5]²) -----------------------------------------
def moons(n, noise, rng):
    half = n // 2
    t1, t2 = rng.uniform(0, np.pi, half), rng.uniform(0, np.pi, n - half)
    upper = np.stack([np.cos(t1), np.sin(t1)], 1)
    lower = np.stack([1 - np.cos(t2), 0.5 - np.sin(t2)], 1)
    x = np.concatenate([upper, lower]) - [0.5, 0.25]
    y = np.r_[np.zeros(half), np.ones(n - half)]
    return x + noise * 0.5 * rng.standard_normal(x.shape), y


def circles(n, noise, rng):
    y = rng.integers(0, 2, n)
    radius = np.where(y == 0, 1.2, 0.5) + noise * 0.3 * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1), y


def spiral(n, noise, rng):
    y = rng.integers(0, 2, n)
    t = rng.uniform(0.25, 1, n)
    angle = 3.5 * np.pi * t + np.pi * y
    x = 1.4 * t[:, None] * np.stack([np.cos(angle), np.sin(angle)], 1)
    return x + noise * 0.15 * rng.standard_normal(x.shape), y


def xor(n, noise, rng):
    x = rng.uniform(-1.2, 1.2, (n, 2))
    x += np.sign(x) * 0.1  # a small margin around the axes
    y = (x[:, 0] * x[:, 1] < 0).astype(int)
    return x + noise * 0.3 * rng.standard_normal(x.shape), y


def gaussians(n, noise, rng):
    y = rng.integers(0, 2, n)
    centers = np.where(y[:, None] == 0, [-0.7, -0.7], [0.7, 0.7])
    return centers + (0.2 + noise) * 0.6 * rng.standard_normal((n, 2)), y


# -- regression ----------------------------------------------------------------------------------
def reg1d(n, noise, rng):
    x = rng.uniform(-1.5, 1.5, (n, 1))
    y = np.sin(2.5 * x[:, 0]) + 0.3 * x[:, 0]
    return x, y + noise * 0.5 * rng.standard_normal(n)


def reg2d(n, noise, rng):
    x = rng.uniform(-1.5, 1.5, (n, 2))
    y = np.sin(1.5 * x[:, 0]) * np.cos(1.5 * x[:, 1]) + 0.5 * np.exp(-np.sum(x ** 2, 1))
    return x, y + noise * 0.3 * rng.standard_normal(n)


def waves(n, noise, rng):
    """Standard-normal inputs, target 3·sin(2x₁)·cos(2x₂): a wavy surface that a 2×64 tanh net
    fits only by sharpening, which is what makes the edge of stability show (lib/lecture/presets.py)."""
    x = rng.standard_normal((n, 2))
    y = 3.0 * np.sin(2 * x[:, 0]) * np.cos(2 * x[:, 1])
    return x, y + noise * 0.3 * rng.standard_normal(n)


GENERATORS = {"moons": moons, "circles": circles, "spiral": spiral, "xor": xor,
              "gaussians": gaussians, "reg1d": reg1d, "reg2d": reg2d, "waves": waves}


# -- the real one --------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _digits_arrays():
    # scikit-learn ships the 1,797 images inside the package: no network at run time.
    from sklearn.datasets import load_digits
    bunch = load_digits()
    return (bunch.data / 16.0).astype(np.float32), bunch.target.astype(int)


def digits(n, rng):
    x, y = _digits_arrays()
    pick = rng.choice(len(x), size=min(n, len(x)), replace=False)
    return x[pick], y[pick]


# -- label noise -------------------------------------------------------------------------------
def relabel(data: Dataset, fraction: float, seed: int) -> Dataset:
    """The same data with round(fraction · n_train) training labels changed to a different, random
    class: the labelling mistakes real datasets carry. The test labels stay clean, so test accuracy
    still measures the true task. Same seed, same labels."""
    if data.task != "classification":
        raise ValueError("label_noise: only classification data has labels to corrupt")
    if not 0 <= fraction <= 1:
        raise ValueError(f"label_noise: must lie in [0, 1], got {fraction}")
    n = len(data.y_train)
    gen = torch.Generator().manual_seed(seed + 7919)  # apart from the split's and the model's seeds
    pick = torch.randperm(n, generator=gen)[: int(round(fraction * n))]
    # adding 1 … n_classes−1 (mod n_classes) always lands on another class, each equally likely
    shift = torch.randint(1, data.n_classes, (len(pick),), generator=gen)
    y = data.y_train.clone()
    y[pick] = (y[pick] + shift) % data.n_classes
    return Dataset(data.x_train, y, data.x_test, data.y_test, data.task, data.n_classes)


# -- charts --------------------------------------------------------------------------------------
def grid(x: torch.Tensor, steps: int = 60, margin: float = 0.3):
    """A steps×steps grid over the bounding box of 2-D inputs, for decision-region charts."""
    lo = x.min(0).values - margin
    hi = x.max(0).values + margin
    g0 = torch.linspace(float(lo[0]), float(hi[0]), steps)
    g1 = torch.linspace(float(lo[1]), float(hi[1]), steps)
    mesh = torch.stack(torch.meshgrid(g0, g1, indexing="xy"), -1).reshape(-1, 2)
    return g0, g1, mesh

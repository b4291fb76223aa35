"""Optimizers on a 2-parameter error surface, written out by hand in the lecture's notation.

    θ_i ← θ_i − η^t / σ_i^t · g_i^t                (m_i^t instead of g_i^t for Adam)

gd       σ = 1
adagrad  σ_i^t = sqrt( 1/(t+1) · Σ_{k=0..t} (g_i^k)² )     the lecture's root mean square
rmsprop  σ_i^0 = |g_i^0|,  (σ_i^t)² = α (σ_i^{t−1})² + (1−α) (g_i^t)²
adam     m = β1 m + (1−β1) g,  v = β2 v + (1−β2) g²,  bias-corrected m̂, v̂;  σ = sqrt(v̂) + ε

Note the lecture's Adagrad averages the squared gradients (torch.optim.Adagrad sums them): with
the mean, σ shrinks again after a long stretch of small gradients, η/σ grows, and the iterate
bursts sideways — the lecture's "late blow-up", cured by a decaying η^t = η / sqrt(t+1).
Each update is recorded: position, loss, gradient, σ and the effective step η/σ per parameter.
"""
from __future__ import annotations

import math

import numpy as np
import torch

RULES = ("gd", "adagrad", "rmsprop", "adam")
MAX_UPDATES = 20_000  # a student cannot run a surface simulation forever
ESCAPE = 1e6          # |θ| beyond this counts as divergence


def surface_grad(fn, w: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and gradient of a surface function at w, by autograd in float64."""
    x = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    loss = fn(x)
    (g,) = torch.autograd.grad(loss, x)
    return float(loss.detach()), g.numpy().copy()


class SurfaceRun:
    def __init__(self, rule: str, fn, start, lr: float, alpha: float = 0.9,
                 betas: tuple = (0.9, 0.999), eps: float = 1e-8, decay: bool = False):
        if rule not in RULES:
            raise ValueError(f"rule: unknown value {rule!r}; allowed: {', '.join(RULES)}")
        if not lr > 0:
            raise ValueError(f"lr: learning rate must be positive, got {lr!r}")
        if not 0 <= alpha < 1 or not all(0 <= b < 1 for b in betas):
            raise ValueError("alpha/betas: must lie in [0, 1)")
        self.rule, self.fn, self.lr, self.alpha = rule, fn, lr, alpha
        self.betas, self.eps, self.decay = betas, eps, decay
        self.w = np.asarray(start, dtype=np.float64).copy()
        self.t = 0                      # updates taken
        self.sum_sq = np.zeros(2)       # adagrad: Σ g²
        self.sigma_sq = None            # rmsprop: σ²
        self.m = np.zeros(2)            # adam
        self.v = np.zeros(2)
        self.stopped = False
        loss, _ = surface_grad(fn, self.w)
        self.path = [self.w.copy()]     # positions θ^0, θ^1, …
        self.losses = [loss]            # L(θ^t)
        self.grads: list[np.ndarray] = []   # g^t, one per update
        self.sigmas: list[np.ndarray] = []  # σ^t per parameter
        self.steps: list[np.ndarray] = []   # effective step η^t/σ_i^t per parameter

    def eta(self, t: int) -> float:
        return self.lr / math.sqrt(t + 1) if self.decay else self.lr

    def step(self) -> bool:
        """One update; returns False when the run cannot go on (diverged or at the limit)."""
        if self.stopped or self.t >= MAX_UPDATES:
            return False
        _, g = surface_grad(self.fn, self.w)
        t, eta = self.t, self.eta(self.t)
        direction = g
        if self.rule == "gd":
            sigma = np.ones(2)
        elif self.rule == "adagrad":
            self.sum_sq += g * g
            sigma = np.sqrt(self.sum_sq / (t + 1))
        elif self.rule == "rmsprop":
            self.sigma_sq = g * g if self.sigma_sq is None else (
                self.alpha * self.sigma_sq + (1 - self.alpha) * g * g)
            sigma = np.sqrt(self.sigma_sq)
        else:
            b1, b2 = self.betas
            self.m = b1 * self.m + (1 - b1) * g
            self.v = b2 * self.v + (1 - b2) * g * g
            direction = self.m / (1 - b1 ** (t + 1))
            sigma = np.sqrt(self.v / (1 - b2 ** (t + 1))) + self.eps
        if self.rule in ("adagrad", "rmsprop"):
            sigma = sigma + self.eps  # a zero gradient would divide by zero
        self.w = self.w - eta / sigma * direction
        self.t += 1
        loss, _ = surface_grad(self.fn, self.w)
        self.path.append(self.w.copy())
        self.losses.append(loss)
        self.grads.append(g)
        self.sigmas.append(sigma)
        self.steps.append(eta / sigma)
        if not (np.all(np.isfinite(self.w)) and np.abs(self.w).max() < ESCAPE):
            self.stopped = True
        return not self.stopped

    def advance(self, n: int) -> int:
        taken = 0
        while taken < n and self.step():
            taken += 1
        return taken

    def grad_norms(self) -> list[float]:
        return [float(np.linalg.norm(g)) for g in self.grads]


def sideways_burst(run: SurfaceRun, axis: int = 1) -> tuple[int, float]:
    """The update with the largest |move| along `axis` after the first tenth of the run: (t, size)."""
    moves = np.abs(np.diff(np.asarray(run.path)[:, axis]))
    if len(moves) == 0:
        return 0, 0.0
    skip = len(moves) // 10
    t = int(np.argmax(moves[skip:]) + skip)
    return t + 1, float(moves[t])

"""Optimizers on a 2-parameter error surface, written out by hand in the lecture's notation, and
the learning-rate page's own setup (its valley, start, η choices) so that tests run exactly it.

    θ_i^{t+1} = θ_i^t − η^t / σ_i^t · g_i^t        (m̂_i^t instead of g_i^t for Adam)

gd       σ = 1
adagrad  σ_i^t = sqrt( 1/(t+1) · Σ_{k=0..t} (g_i^k)² )     the lecture's root mean square
rmsprop  σ_i^0 = |g_i^0|,  (σ_i^t)² = α (σ_i^{t−1})² + (1−α) (g_i^t)²
adam     m = β1 m + (1−β1) g,  v = β2 v + (1−β2) g²,  bias-corrected m̂, v̂;  σ = sqrt(v̂) + ε

How torch.optim writes the same rules (tests/test_learning_rate.py checks each on this valley):
- torch.optim.Adagrad divides by the root of the *sum*, sqrt(Σ_{k≤t} g²) = sqrt(t+1)·σ^t. So
  torch's Adagrad with a constant lr = η takes exactly the lecture's steps with the decaying
  η^t = η/sqrt(t+1); the lecture's rule with a constant η is torch's with lr_t = η·sqrt(t+1).
  With the mean, σ shrinks again after a long stretch of small gradients, η/σ grows, and the
  iterate bursts sideways: the lecture's "late blow-up", cured by that decay.
- torch.optim.RMSprop starts its average at 0 instead of at (g⁰)²: its v^t = (σ^t)² − α^{t+1}(g⁰)²,
  so its first steps are larger (the first by 1/sqrt(1−α)); seeded with v = (g⁰)² it is this rule.
Each update is recorded: position, loss, gradient, σ and the effective step η/σ per parameter.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import torch

from ..engine.optim import schedule_lr

RULES = ("gd", "adagrad", "rmsprop", "adam")
MAX_UPDATES = 20_000  # a student cannot run a surface simulation forever
ESCAPE = 1e6          # |θ| beyond this counts as divergence

# -- the learning-rate page's valley and settings ---------------------------------------------------
A, B = 0.05, 2.0      # curvature of the valley's floor along w1 (flat) and across it, along w2 (steep)
K = 2.0               # how soon the walls straighten out: the slope across the valley never exceeds B/K
START = (-1.8, 0.6)
LIMIT = 3000          # updates per simulation on the page
GD_LRS = (0.05, 0.3, 0.9, 1.2, 1.5)   # gradient descent's choices: crawl … bounce for good
GD_LR = 1.2           # the page opens bouncing: above 2/B, so GD cannot settle on the floor
CRAWL_LR = 0.05       # the smallest choice: no bouncing, a crawl along the floor
AD_LRS = (0.01, 0.03, 0.1, 0.3)
AD_LR = 0.1           # Adagrad / RMSProp / Adam, and the late-burst demonstration
ALPHA = 0.9           # RMSProp's α
STALL_FROM = 50       # the caption reads the bouncing run from this update on …
READ_AT = 200         # … to this one, and the crawl at this update


def log_cosh(x: torch.Tensor) -> torch.Tensor:
    """ln cosh x, exact near 0 (as 2·sinh²(x/2) = cosh x − 1) and without overflow far out."""
    near = torch.log1p(2 * torch.sinh(x.clamp(-20, 20) / 2) ** 2)
    return torch.where(x.abs() < 20, near, x.abs() - math.log(2))


def valley(w: torch.Tensor) -> torch.Tensor:
    """The page's error surface: convex, L = A/2·w1² + B/K²·ln cosh(K·w2).

    Near the floor it is the quadratic ½(A·w1² + B·w2²), 40 times steeper across than along;
    further up, the walls straighten out (slope → B/K), as a network's loss does away from a
    minimum. So gradient descent with η > 2/B cannot settle on the floor but, instead of flying
    off as on a quadratic, bounces from wall to wall for good: the loss stops falling while the
    gradient stays large — the lecture's picture of a stalled training run.
    """
    return 0.5 * A * w[..., 0] ** 2 + B / K ** 2 * log_cosh(K * w[..., 1])


def valley_loss_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
    """`valley` and its gradient (A·w1, B/K·tanh(K·w2)) in closed form, in numpy: the same numbers
    as autograd (tests/test_learning_rate.py) at a hundredth of the cost, so the page's runs of
    thousands of updates take a fraction of a second."""
    x = K * w[1]
    near = math.log1p(2 * math.sinh(max(-20.0, min(20.0, x)) / 2) ** 2)
    log_cosh_x = near if abs(x) < 20 else abs(x) - math.log(2)
    loss = 0.5 * A * w[0] ** 2 + B / K ** 2 * log_cosh_x
    return float(loss), np.array([A * w[0], B / K * math.tanh(x)])


def surface_grad(fn, w: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and gradient of a surface function at w: by autograd in float64, or in closed form
    for the page's valley."""
    if fn is valley:
        return valley_loss_grad(w)
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
        loss, self._g = surface_grad(fn, self.w)   # the gradient is kept for the next update
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
        g = self._g
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
        loss, self._g = surface_grad(self.fn, self.w)
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


# -- the page's simulations and what its text reads from them ---------------------------------------
def page_runs(gd_lr: float = GD_LR, ad_lr: float = AD_LR, alpha: float = ALPHA) -> dict:
    """The page's four simulations from START on the valley (not yet advanced)."""
    return {r: SurfaceRun(r, valley, START, gd_lr if r == "gd" else ad_lr, alpha=alpha) for r in RULES}


def adagrad_pair(lr: float = AD_LR, n: int = LIMIT) -> dict:
    """Adagrad on the valley for n updates, with a fixed (key False) and a decaying (True) η."""
    runs = {decay: SurfaceRun("adagrad", valley, START, lr, decay=decay) for decay in (False, True)}
    for run in runs.values():
        run.advance(n)
    return runs


def bounce(run: SurfaceRun, since: int, until: int) -> dict:
    """Fixed-η gradient descent between updates `since` and `until`: the loss at `until`, the share
    of the loss that still fell, the smallest ‖g‖, the share of updates on which w2 changed sign
    (jumped from one wall to the other) and the lowest |w2| (how high on the walls it stayed)."""
    losses, w2 = run.losses, np.asarray(run.path)[since:until + 1, 1]
    return {"loss": losses[until], "fell": 1 - losses[until] / losses[since],
            "g_min": min(run.grad_norms()[since:until]),
            "flips": float(np.mean(w2[1:] * w2[:-1] < 0)), "height": float(np.abs(w2).min())}


def crawl(run: SurfaceRun, at: int) -> dict:
    """How far a run has come along the floor by update `at` (share of the way from w1⁰ to 0), and
    the update from which |w2| stays below 1 % of its start (it has reached the floor)."""
    path = np.asarray(run.path)
    share = 1 - abs(path[at, 0]) / abs(path[0, 0])
    off_floor = np.nonzero(np.abs(path[:, 1]) >= 0.01 * abs(path[0, 1]))[0]
    floor = int(off_floor[-1] + 1) if len(off_floor) else 0
    return {"share": float(share), "floor": floor}


@lru_cache(maxsize=1)
def fixed_lr_readout(since: int = STALL_FROM, until: int = READ_AT) -> dict:
    """The numbers the page's caption on a fixed η quotes: gradient descent bouncing at GD_LR
    (from `since` to `until`), crawling at CRAWL_LR, and the adaptive methods at AD_LR."""
    runs = page_runs()
    high, low = runs.pop("gd"), SurfaceRun("gd", valley, START, CRAWL_LR)
    for run in (high, low, *runs.values()):
        run.advance(until)
    stall, slow = bounce(high, since, until), crawl(low, until)
    return {"hi": GD_LR, "lo": CRAWL_LR, "ad": AD_LR, "limit": 2 / B, "since": since, "until": until,
            "loss": stall["loss"], "fell": stall["fell"], "g": stall["g_min"],
            "floor": slow["floor"], "share": slow["share"],
            "ad_share": min(crawl(r, until)["share"] for r in runs.values())}


# -- the page's animation, and the series its charts draw -------------------------------------------
def advance_all(runs: dict, n: int) -> bool:
    """Up to n more updates of each run, never past LIMIT; whether any run can still go on."""
    for run in runs.values():
        run.advance(min(n, LIMIT - run.t))
    return any(run.t < LIMIT and not run.stopped for run in runs.values())


def series(run: SurfaceRun) -> dict[str, np.ndarray]:
    """A run's records as arrays over updates: "loss" (t = 0 … T), "grad" ‖g‖, and per parameter
    "sigma" and "step" η/σ (t = 0 … T−1, shape (T, 2))."""
    return {"loss": np.asarray(run.losses, dtype=float),
            "grad": np.asarray(run.grad_norms(), dtype=float),
            "sigma": np.asarray(run.sigmas, dtype=float).reshape(-1, 2),
            "step": np.asarray(run.steps, dtype=float).reshape(-1, 2)}


# -- section 3: the schedules it draws --------------------------------------------------------------
SCHEDULE_ETA, SCHEDULE_WARMUP, SCHEDULE_DECAY, SCHEDULE_UPDATES = 0.01, 100, 2000, 2500
SCHEDULES_SHOWN = {"constant": {}, "exponential": {"gamma": 0.5, "decay_steps": 500},
                   "warmup_linear": {"warmup": SCHEDULE_WARMUP, "decay_steps": SCHEDULE_DECAY},
                   "warmup_cosine": {"warmup": SCHEDULE_WARMUP, "decay_steps": SCHEDULE_DECAY},
                   "transformer": {"warmup": SCHEDULE_WARMUP, "d_model": 64}}


@lru_cache(maxsize=1)
def schedule_curves(every: int = 5) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """η^t of each schedule the page shows, at t = 1, 1 + every, …: {name: (t, η)}. The
    Transformer's formula has no η of its own: it is scaled so that its peak is η as well."""
    t = np.arange(1, SCHEDULE_UPDATES + 1, every)
    out = {}
    for name, kw in SCHEDULES_SHOWN.items():
        eta = SCHEDULE_ETA
        if name == "transformer":
            eta = SCHEDULE_ETA / (kw["d_model"] ** -0.5 * kw["warmup"] ** -0.5)
        out[name] = (t, np.array([schedule_lr(name, int(s), eta, **kw) for s in t]))
    return out

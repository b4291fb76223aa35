"""Gradient descent with momentum on a small error surface, in the lecture's notation, and the
momentum page's own setup (its surface, start and sliders) so that tests run exactly it.

    m^0 = 0
    m^i = λ·m^(i−1) − η·g^(i−1)        (g^(i−1) = ∇L(θ^(i−1)))
    θ^i = θ^(i−1) + m^i

so the movement is a weighted sum of all past gradients,

    m^i = −Σ_{k=0}^{i−1} λ^(i−k−1) · η · g^k,

and λ = 0 is plain gradient descent.

torch.optim.SGD(momentum=λ) (and the optimizers page) writes the same rule with a buffer of raw
gradients, b^i = λ·b^(i−1) + g^(i−1), θ^i = θ^(i−1) − η·b^i. With a constant η, m^i = −η·b^i at
every step, so the two take identical steps (tests/test_momentum.py checks it against torch). They
part only when η changes during training: the lecture's m keeps each old gradient scaled by the η
of its own step, torch rescales the whole buffer by the current η.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from ..engine.models import local_min_plateau

MAX_STEPS = 2000      # a path is at most this long; the page's sliders stay far below
ESCAPE = 1e3          # a position this far out counts as divergence and ends the path

# -- the momentum page's settings: its sliders (default, lowest, highest, step) and its paths --------
LR = (0.1, 0.01, 1.0, 0.01)       # η
LAM = (0.9, 0.0, 0.99, 0.01)      # λ
W1 = (-3.0, -4.0, 0.0, 0.1)       # the start's w1; w2 starts at W2_START on the 2-D surface
W2_START = 1.0
STEPS = 300                       # length of each path on the page
SETTLED = 1e-4                    # ‖g‖ below this at the end: the path has stopped


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


# -- what the page reads from its paths ---------------------------------------------------------------
@lru_cache(maxsize=1)
def critical_points(lo: float = -4.0, hi: float = 5.0, n: int = 9001) -> dict:
    """The curve's critical points, by a sign change of its slope on a fine grid: the shallow
    local minimum, the small bump (local maximum) right of it, and the deeper global minimum."""
    x = torch.linspace(lo, hi, n, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(curve(x).sum(), x)
    x, g = x.detach().numpy(), g.numpy()
    found = [float(x[i] - g[i] * (x[i + 1] - x[i]) / (g[i + 1] - g[i]))
             for i in range(n - 1) if g[i] * g[i + 1] < 0]
    local, bump, best = found   # the surface is built to have exactly these three
    return {"local": local, "bump": bump, "global": best}


def in_local_basin(w1: float) -> bool:
    """Left of the bump every descent that stops, stops in the local minimum."""
    return w1 < critical_points()["bump"]


def stopped(path: Path) -> bool:
    return not path.diverged and path.steps > 0 and float(np.linalg.norm(path.grads[-1])) < SETTLED


def verdict(gd: Path, gdm: Path) -> str:
    """What the page says about GD vs GD + momentum on the 2-D surface:
    "diverged", "through" (GD stopped in the local minimum, momentum went on past the bump to a
    lower loss), "both_stuck" (both stopped in the local minimum) or "other"."""
    if gd.diverged or gdm.diverged:
        return "diverged"
    gd_local, gdm_local = in_local_basin(gd.theta[-1, 0]), in_local_basin(gdm.theta[-1, 0])
    if stopped(gd) and gd_local and not gdm_local and gdm.losses[-1] < gd.losses[-1]:
        return "through"
    if stopped(gd) and stopped(gdm) and gd_local and gdm_local:
        return "both_stuck"
    return "other"


def smallest_lam_through(lr: float, w1: float, above: float) -> float | None:
    """The smallest λ on the page's slider above `above` with which the ball with momentum ends
    past the bump (not diverged) after STEPS updates from (w1, W2_START); None if there is none.
    All candidates descend at once, one row each (the same arithmetic as `descend`)."""
    _, _, hi, step = LAM
    lams = np.round(np.arange(round(above + step, 2), hi + step / 2, step), 2)
    if len(lams) == 0:
        return None
    lam = torch.tensor(lams, dtype=torch.float64)[:, None]
    theta = torch.tensor([[w1, W2_START]], dtype=torch.float64).repeat(len(lams), 1)
    m = torch.zeros_like(theta)
    alive = torch.ones(len(lams), dtype=torch.bool)
    for _ in range(STEPS):
        p = theta.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(surface(p).sum(), p)
        m = lam * m - lr * g
        theta = torch.where(alive[:, None], theta + m, theta)
        alive &= torch.isfinite(theta).all(1) & (theta.abs().max(1).values <= ESCAPE)
    bump = critical_points()["bump"]
    through = (alive & (theta[:, 0] > bump)).numpy()
    return float(lams[np.argmax(through)]) if through.any() else None


# -- the page's first section: its paths, the curve it draws, and m split into its terms ------------
X_RANGE = (-4.0, 5.0)      # the curve's and the surface's w1 axis
W2_RANGE = (-1.5, 1.5)     # the surface's w2 axis
SHOWN_TERMS = 30           # bars of m's decomposition (older terms weigh less than λ^30)


@lru_cache(maxsize=64)
def page_paths(lr: float, lam: float, w1: float) -> dict:
    """(GD, GD + momentum) from the same start, STEPS updates each: "1d" on the curve from w1,
    "2d" on the surface from (w1, W2_START). Read-only: cached and shared."""
    out = {}
    for name, fn, start in (("1d", curve, (w1,)), ("2d", surface, (w1, W2_START))):
        out[name] = (descend(fn, start, lr, 0.0, STEPS), descend(fn, start, lr, lam, STEPS))
    return out


@lru_cache(maxsize=1)
def curve_points(n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    """The 1-D curve on n points over X_RANGE: (x, loss)."""
    x = torch.linspace(*X_RANGE, n, dtype=torch.float64)
    return x.numpy(), curve(x).numpy()


@dataclass
class Decomposition:
    """m^i of a 1-D path split into its last `shown` terms: the weights ηλ^(i−k−1) and the terms
    −ηλ^(i−k−1)·g^k at k = ks, the sum of all i terms, and the path's actual m^i."""
    ks: np.ndarray
    weights: np.ndarray
    terms: np.ndarray
    total: float
    actual: float


def decomposition(path: Path, i: int, lr: float, lam: float, shown: int = SHOWN_TERMS) -> Decomposition:
    i = min(max(i, 0), path.steps)
    ks = np.arange(max(0, i - shown), i)
    every = terms(path, i, lr, lam)[:, 0]
    return Decomposition(ks=ks, weights=-weights(i, lr, lam)[ks], terms=every[ks],
                         total=float(every.sum()), actual=float(movement(path, i)[0]))


@lru_cache(maxsize=64)
def verdict_words(lr: float, lam: float, w1: float) -> tuple[str, dict]:
    """What the page says about its 2-D paths: (the verdict's kind, the numbers it quotes).
    When both stop in the local minimum it names the smallest λ that gets through ("both_stuck"),
    or says that none on the slider does ("no_lam")."""
    gd, gdm = page_paths(lr, lam, w1)["2d"]
    kind = verdict(gd, gdm)
    if kind == "both_stuck":
        better = smallest_lam_through(lr, w1, lam)
        if better is None:
            return "no_lam", {"x": gdm.theta[-1, 0], "hi": LAM[2]}
        return "both_stuck", {"x": gdm.theta[-1, 0], "lam": better}
    return kind, {"gd": gd.theta[-1, 0], "gdm": gdm.theta[-1, 0], "lgd": gd.losses[-1],
                  "lgdm": gdm.losses[-1]}

"""Lecture section 8: why a training set can be "bad", checked by simulation.

The task is one-dimensional, like the lecture's example: an input x takes one of V integer values
(think "number of edges in the picture"), and the label says which side of a true cut x* it lies
on, with a share `noise` of labels flipped. A hypothesis is a threshold classifier h_c(x) = [x ≥ c];
the class H is a finite set of cuts c. The "all data" loss L_all(h) is exact (the distribution is
finite); a training set is N points drawn i.i.d. from it.

A training set is bad when some h in H has |L_train(h) − L_all(h)| > ε. Hoeffding's inequality and
a union bound over H give P(bad) ≤ |H| · 2 · exp(−2Nε²) (lib.lecture.theory.bad_sample_bound).

A training set of N points is summarised by its counts per (value, label) cell: a multinomial
draw. The 0-1 loss of every threshold then follows from cumulative sums, so thousands of training
sets cost milliseconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_TRIALS = 5000      # training sets per N
MAX_N = 5000           # points per training set
MAX_NS = 40            # N values in one sweep


@dataclass(frozen=True)
class ThresholdTask:
    values: int = 128    # x ∈ {0, …, values − 1}, uniform
    cut: int = 45        # true rule: y = 1 when x ≥ cut (before label noise)
    noise: float = 0.1   # share of flipped labels

    def cells(self) -> np.ndarray:
        """P(x = v, y = label) as an array (values, 2)."""
        if not 0 <= self.noise <= 0.5:
            raise ValueError(f"noise: need 0 ≤ noise ≤ 0.5, got {self.noise}")
        if not 0 <= self.cut <= self.values:
            raise ValueError(f"cut: need 0 ≤ cut ≤ {self.values}, got {self.cut}")
        v = np.arange(self.values)
        p1 = np.where(v >= self.cut, 1 - self.noise, self.noise)
        return np.stack([1 - p1, p1], 1) / self.values


def hypothesis_class(size: int, values: int = 128) -> np.ndarray:
    """|H| = size cuts spread evenly over 0 … values (sizes 2^j + 1 give nested classes)."""
    if size < 1:
        raise ValueError(f"|H|: need at least 1 hypothesis, got {size}")
    size = min(size, values + 1)
    if size == 1:
        return np.array([values // 2])
    return np.unique(np.round(np.linspace(0, values, size)).astype(int))


def threshold_losses(counts: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """0-1 loss of h_c for each cut, from (…, values, 2) masses or counts (normalised by their sum).

    h_c errs on label-1 points below c and on label-0 points at or above c."""
    counts = np.asarray(counts, dtype=float)
    zeros = np.zeros(counts.shape[:-2] + (1,))
    ones_below = np.concatenate([zeros, np.cumsum(counts[..., 1], -1)], -1)      # (…, V+1)
    zeros_below = np.concatenate([zeros, np.cumsum(counts[..., 0], -1)], -1)
    total = counts.sum((-2, -1))[..., None]
    errors = ones_below + (zeros_below[..., -1:] - zeros_below)
    return (errors / total)[..., cuts]


def all_losses(task: ThresholdTask, cuts: np.ndarray) -> np.ndarray:
    """L_all(h) for every h in H: exact, from the distribution."""
    return threshold_losses(task.cells(), cuts)


@dataclass
class Trial:
    n: int
    trials: int
    bad_share: float           # share of training sets with some |L_train − L_all| > ε
    bound: float               # |H| · 2 · exp(−2Nε²), unclipped
    worst_gap: np.ndarray      # per training set: max over H of |L_train − L_all|
    picked_loss: np.ndarray    # per training set: L_all(h_train), h_train = argmin L_train
    best_loss: float           # min over H of L_all (h_all)

    @property
    def std_error(self) -> float:
        p = self.bad_share
        return math.sqrt(max(p * (1 - p), 0.25 / self.trials) / self.trials)


def _check(n: int, trials: int, eps: float) -> None:
    if not 1 <= n <= MAX_N:
        raise ValueError(f"N: need 1 ≤ N ≤ {MAX_N}, got {n}")
    if not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials: need 1 ≤ trials ≤ {MAX_TRIALS}, got {trials}")
    if eps <= 0:
        raise ValueError(f"eps: need ε > 0, got {eps}")


def _stream(seed: int, n: int) -> np.random.Generator:
    return np.random.default_rng([seed, n])  # each N has its own stream: a sweep's points agree


def _draw(cells: np.ndarray, cuts: np.ndarray, full: np.ndarray, n: int, sets: int,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`sets` training sets of n points: per set, max over H of |L_train − L_all|, and
    L_all(h_train). numpy draws a multinomial sample after sample, so drawing in pieces from
    one generator gives the same sets as drawing them at once."""
    counts = rng.multinomial(n, cells.ravel(), size=sets).reshape(sets, *cells.shape)
    train = threshold_losses(counts, cuts)                       # (sets, |H|)
    return np.abs(train - full).max(1), full[train.argmin(1)]


def _trial(n: int, eps: float, cuts: np.ndarray, full: np.ndarray, worst: np.ndarray,
           picked: np.ndarray) -> Trial:
    from .theory import bad_sample_bound
    return Trial(n=n, trials=len(worst), bad_share=float((worst > eps).mean()),
                 bound=bad_sample_bound(len(cuts), n, eps), worst_gap=worst,
                 picked_loss=picked, best_loss=float(full.min()))


def simulate(task: ThresholdTask, cuts: np.ndarray, n: int, eps: float, trials: int,
             seed: int = 0) -> Trial:
    """Draw `trials` training sets of n points; how often is one bad?"""
    _check(n, trials, eps)
    cells = task.cells()
    full = threshold_losses(cells, cuts)                         # (|H|,)
    worst, picked = _draw(cells, cuts, full, n, trials, _stream(seed, n))
    return _trial(n, eps, cuts, full, worst, picked)


class Sweep:
    """simulate() for each N of `ns`, as work that can stop and resume: `advance(sets)` draws
    that many more training sets, so a page shows its progress and a Stop lands at once. Each
    N uses its own random stream, drawn in pieces: a finished sweep equals simulate() at every
    N, however it was cut up."""

    def __init__(self, task: ThresholdTask, size: int, ns, eps: float, trials: int, seed: int = 0):
        self.ns = [int(n) for n in ns]
        if not 1 <= len(self.ns) <= MAX_NS:
            raise ValueError(f"N values: need 1 … {MAX_NS}, got {len(self.ns)}")
        for n in self.ns:
            _check(n, trials, eps)
        self.eps, self.trials, self.seed = eps, trials, seed
        self.cuts = hypothesis_class(size, task.values)
        self.cells = task.cells()
        self.full = threshold_losses(self.cells, self.cuts)
        self.done: list[Trial] = []          # one per finished N, in the order of ns
        self._rng: np.random.Generator | None = None
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []   # the current N's sets so far
        self._drawn = 0

    @property
    def total_sets(self) -> int:
        return len(self.ns) * self.trials

    @property
    def sets_drawn(self) -> int:
        return len(self.done) * self.trials + self._drawn

    @property
    def finished(self) -> bool:
        return len(self.done) == len(self.ns)

    def bounds(self) -> list[float]:
        """The bound |H|·2·exp(−2Nε²) at each N of the sweep (unclipped)."""
        from .theory import bad_sample_bound
        return [bad_sample_bound(len(self.cuts), n, self.eps) for n in self.ns]

    def advance(self, sets: int) -> bool:
        """Draw up to `sets` more training sets (across N values); False once every N is done."""
        left = int(sets)
        while left > 0 and not self.finished:
            n = self.ns[len(self.done)]
            if self._rng is None:
                self._rng = _stream(self.seed, n)
            k = min(left, self.trials - self._drawn)
            self._parts.append(_draw(self.cells, self.cuts, self.full, n, k, self._rng))
            self._drawn += k
            left -= k
            if self._drawn == self.trials:
                worst = np.concatenate([w for w, _ in self._parts])
                picked = np.concatenate([p for _, p in self._parts])
                self.done.append(_trial(n, self.eps, self.cuts, self.full, worst, picked))
                self._rng, self._parts, self._drawn = None, [], 0
        return not self.finished


def under_bound(trial: Trial, slack: float = 3.0) -> bool:
    """Is the simulated share of bad sets at most the bound (clipped at 1), allowing `slack`
    standard errors of sampling noise?"""
    return trial.bad_share <= min(1.0, trial.bound) + slack * trial.std_error


def good_sets_pick_well(trial: Trial, eps: float) -> bool:
    """On every good training set, L_all(h_train) − L_all(h_all) ≤ 2ε (the lecture's argument)."""
    good = trial.worst_gap <= eps
    return bool(np.all(trial.picked_loss[good] - trial.best_loss <= 2 * eps + 1e-12))


def sweep(task: ThresholdTask, cuts: np.ndarray, ns, eps: float, trials: int, seed: int = 0,
          progress=None) -> list[Trial]:
    """simulate() for each N; progress(i, total) is called after each (for a progress bar)."""
    ns = [int(n) for n in ns]
    if not 1 <= len(ns) <= MAX_NS:
        raise ValueError(f"N values: need 1 … {MAX_NS}, got {len(ns)}")
    out = []
    for i, n in enumerate(ns):
        out.append(simulate(task, cuts, n, eps, trials, seed))
        if progress:
            progress(i + 1, len(ns))
    return out


def n_grid(lo: int, hi: int, count: int = 12) -> list[int]:
    """About `count` N values between lo and hi, spaced evenly on a log scale."""
    lo, hi = max(1, int(lo)), min(MAX_N, int(hi))
    if hi <= lo:
        return [lo]
    return sorted({int(round(v)) for v in np.geomspace(lo, hi, min(count, MAX_NS))})


def tradeoff(task: ThresholdTask, sizes, eps: float, delta: float) -> list[dict]:
    """For each |H|: the best loss the class can reach, and the N the bound asks for."""
    from .theory import samples_needed
    rows = []
    for size in sizes:
        cuts = hypothesis_class(size, task.values)
        rows.append({"size": len(cuts), "best_loss": float(all_losses(task, cuts).min()),
                     "n_needed": samples_needed(len(cuts), eps, delta)})
    return rows


NESTED_SIZES = (2, 3, 5, 9, 17, 33, 65, 129)  # 2^j + 1 cuts over 0 … 128: each class holds the last


# -- the overfitting page's setup (pages/08_overfitting.py and its claim tests use these) --------
TASK = ThresholdTask()                      # 128 integer inputs, true cut 45, 10 % flipped labels
TRIALS = (200, 500, 1000, 2000, MAX_TRIALS)  # choices: training sets per N
N_MAXES = (100, 300, 1000, 3000, 5000)      # choices: the largest N of the sweep
SIM_DEFAULTS = dict(size=17, eps=0.1, trials=1000, n_max=1000, seed=0)
GRID_LO, GRID_COUNT = 5, 14                 # the sweep's N values: n_grid(GRID_LO, n_max, GRID_COUNT)
TRADEOFF_NS = (10, 40, 400)                 # the trade-off chart: little, some and plenty of data
TRADEOFF_TRIALS, TRADEOFF_SEED = 400, 0
TRADEOFF_EPS, TRADEOFF_DELTA = 0.1, 0.05


def page_sweep(size: int, eps: float, trials: int, n_max: int, seed: int) -> Sweep:
    """The page's simulation for its controls: n_grid(GRID_LO, n_max, GRID_COUNT) values of N."""
    return Sweep(TASK, size, n_grid(GRID_LO, n_max, GRID_COUNT), eps, trials, seed)


def bound_curve(h_size: int, n: int, eps: float, needed: int, points: int = 200):
    """The bound |H|·2·exp(−2Nε²) over N from 1 to twice the N it asks for (and past the N
    chosen): (N values, bounds), evenly spaced on a log axis."""
    from .theory import bad_sample_bound
    top = max(2 * needed, int(n), 10)
    ns = np.unique(np.geomspace(1, top, points).round().astype(int))
    return ns, np.array([bad_sample_bound(int(h_size), int(x), float(eps)) for x in ns])


def picked_losses(task: ThresholdTask, sizes, ns, trials: int, seed: int = 0) -> list[dict]:
    """Mean L_all(h_train) over `trials` training sets, for each class size and N: the real cost
    of training on N points with that class (eps does not enter: only the picked h matters)."""
    rows = []
    for size in sizes:
        cuts = hypothesis_class(size, task.values)
        for n in ns:
            trial = simulate(task, cuts, int(n), 1.0, trials, seed)
            rows.append({"size": len(cuts), "n": int(n), "loss": float(trial.picked_loss.mean())})
    return rows


def tradeoff_shape(rows: list[dict], n: int) -> dict:
    """What the trade-off chart shows at one N: the best class, and the simplest and largest ones."""
    at_n = sorted((r for r in rows if r["n"] == n), key=lambda r: r["size"])
    if not at_n:
        raise ValueError(f"N: no rows for N = {n}")
    best = min(at_n, key=lambda r: r["loss"])
    worst = max(at_n, key=lambda r: r["loss"])
    return {"n": n, "best_size": best["size"], "best_loss": best["loss"],
            "worst_size": worst["size"], "worst_loss": worst["loss"],
            "smallest_size": at_n[0]["size"], "smallest_loss": at_n[0]["loss"],
            "largest_size": at_n[-1]["size"], "largest_loss": at_n[-1]["loss"]}

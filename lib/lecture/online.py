"""Online learning where Adam fails: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond"
(ICLR 2018), section 5's synthetic experiment.

At time t = 1, 2, 3, … the learner picks x_t ∈ [−1, 1] and then pays f_t(x_t), with

    f_t(x) = 1010·x   when t mod 101 = 1,   else   −10·x.

Over each period of 101 steps the gradients sum to 1010 − 100·10 = +10 > 0, so the best fixed
point is x* = −1; the rare large gradient is the informative one. Adam (β1 = 0.9, β2 = 0.99)
drifts to +1, the worst point: its v follows the recent gradients, so after the large gradient
has faded the 100 small ones each get a large step. AMSGrad divides by the largest v seen so far,
so the small gradients' steps stay small and x heads to −1.

Two versions of both rules, chosen by `version`:

    paper  Reddi et al.'s Algorithms 1–2 (Adam's φ, ψ and AMSGrad), which leave out bias
           correction:  x ← Π(x − α_t · m_t / (√v_t + ε)),  AMSGrad with v̂_t = max(v̂_{t−1}, v_t)
    torch  torch.optim.Adam(amsgrad=…): m̂ = m_t/(1 − β1^t); AMSGrad keeps v_max = max(v_max, v_t)
           of the *uncorrected* v and divides it by (1 − β2^t) of the current t.

Both use the step size α_t = α/√t and projection onto [−1, 1] (the paper's setting).
Regret R_T = Σ f_t(x_t) − min_{x∈[−1,1]} Σ f_t(x); a learner that always plays +1 has average
regret R_t/t = 20/101 exactly at the end of every period (it pays 2·10 more than x* per period).

The record is bounded: one point per period (the mean x over it and R_t/t at its end), in a
lib.history.History, so a run of 200,000 steps keeps at most `cap` points.
"""
from __future__ import annotations

import math

import numpy as np

from ..engine.history import History

RULES = ("adam", "amsgrad")
VERSIONS = ("paper", "torch")
PERIOD, BIG, SMALL = 101, 1010.0, -10.0
MAX_T = 200_000
# a learner that always plays +1 pays (BIG + (PERIOD − 1)·SMALL)·(1 − (−1)) more than x* per period
WORST_AVG_REGRET = 2 * (BIG + (PERIOD - 1) * SMALL) / PERIOD   # = 20/101

# the optimizers page's setup (pages/09_optimizers.py and its claim tests use these)
PAGE_T = MAX_T                # steps of one run on the page
PAGE_LRS = (0.3, 0.5, 1.0)    # the step sizes α a student can choose
PAGE_LR = 0.5


def gradient(t: int) -> float:
    """f_t'(x) (f_t is linear, so this is also its coefficient)."""
    return BIG if t % PERIOD == 1 else SMALL


def coefficient_sum(T: int) -> float:
    """Σ_{t=1..T} f_t'(x), in closed form: the number of big steps is ⌈T/101⌉ (t = 1, 102, …)."""
    big = (T + PERIOD - 1) // PERIOD
    return big * BIG + (T - big) * SMALL


class OnlineRun:
    def __init__(self, rule: str, lr: float = PAGE_LR, betas: tuple = (0.9, 0.99), eps: float = 1e-8,
                 x0: float = 0.0, version: str = "paper", cap: int = 2000):
        if rule not in RULES:
            raise ValueError(f"rule: unknown value {rule!r}; allowed: {', '.join(RULES)}")
        if version not in VERSIONS:
            raise ValueError(f"version: unknown value {version!r}; allowed: {', '.join(VERSIONS)}")
        if not lr > 0:
            raise ValueError(f"lr: learning rate must be positive, got {lr!r}")
        if not all(0 <= b < 1 for b in betas):
            raise ValueError("betas: must lie in [0, 1)")
        self.rule, self.lr, self.betas, self.eps, self.version = rule, lr, betas, eps, version
        self.x = min(1.0, max(-1.0, x0))
        self.t = 0                 # losses paid so far
        self.m = self.v = self.v_max = 0.0
        self.paid = 0.0            # Σ f_t(x_t)
        self.regret = 0.0          # R_t
        self.period_x: float | None = None   # mean x over the last complete period
        self.last_above = 0        # the last period end with R_t/t ≥ WORST_AVG_REGRET
        self.history = History(("t", "x", "avg_regret"), cap)
        self._x_sum = 0.0

    @property
    def avg_regret(self) -> float | None:
        return self.regret / self.t if self.t else None

    def below_worst_since(self) -> int | None:
        """The period end since which R_t/t has stayed below always-+1's 20/101 (None: not yet)."""
        if self.t < PERIOD or self.last_above == self.t - self.t % PERIOD:
            return None
        return self.last_above + PERIOD

    def step(self) -> None:
        if self.t >= MAX_T:
            return
        self.t += 1
        t, g = self.t, gradient(self.t)
        self.paid += g * self.x
        self.regret = self.paid + abs(coefficient_sum(t))  # min over x∈[−1,1] of s·x is −|s|
        self._x_sum += self.x
        b1, b2 = self.betas
        self.m = b1 * self.m + (1 - b1) * g
        self.v = b2 * self.v + (1 - b2) * g * g
        self.v_max = max(self.v_max, self.v)
        m, second = self.m, (self.v_max if self.rule == "amsgrad" else self.v)
        if self.version == "torch":
            m, second = m / (1 - b1 ** t), second / (1 - b2 ** t)
        self.x = min(1.0, max(-1.0, self.x - self.lr / math.sqrt(t) * m / (math.sqrt(second) + self.eps)))
        if t % PERIOD == 0:
            self.period_x, self._x_sum = self._x_sum / PERIOD, 0.0
            if self.regret / t >= WORST_AVG_REGRET:
                self.last_above = t
            self.history.add(t=t, x=self.period_x, avg_regret=self.regret / t)

    def advance(self, n: int) -> None:
        for _ in range(max(0, min(n, MAX_T - self.t))):
            self.step()


def learners(lr: float = PAGE_LR, version: str = VERSIONS[0]) -> dict[str, OnlineRun]:
    """The page's two learners, Adam and AMSGrad, on the same sequence of losses."""
    return {rule: OnlineRun(rule, lr, version=version) for rule in RULES}


def advance_all(runs: dict[str, OnlineRun], n: int, horizon: int = PAGE_T) -> bool:
    """n more steps for each learner, up to `horizon`; False once every one has reached it."""
    if not 1 <= horizon <= MAX_T:
        raise ValueError(f"horizon: need 1 … {MAX_T} steps, got {horizon}")
    for run in runs.values():
        run.advance(max(0, min(n, horizon - run.t)))
    return any(run.t < horizon for run in runs.values())


# the page's picture of online versus offline learning: a few training points, one of them the
# example an online learner sees at this step
PICTURE_POINTS, PICTURE_NOW = 40, 17


def picture_points(n: int = PICTURE_POINTS, seed: int = 0):
    """n points in the plane (numpy array (n, 2)), the same every time."""
    return np.random.default_rng(seed).normal(size=(n, 2))

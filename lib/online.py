"""Online learning where Adam fails: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond"
(ICLR 2018), section 5's synthetic experiment.

At time t = 1, 2, 3, … the learner picks x_t ∈ [−1, 1] and then pays f_t(x_t), with

    f_t(x) = 1010·x   when t mod 101 = 1,   else   −10·x.

Over each period of 101 steps the gradients sum to 1010 − 100·10 = +10 > 0, so the best fixed
point is x* = −1; the rare large gradient is the informative one. Adam (β1 = 0.9, β2 = 0.99)
forgets it within a few dozen steps — its σ shrinks back and the 100 small gradients push
x to +1, the worst point. AMSGrad keeps the largest v̂ seen so far, so the rare gradient keeps
the steps towards +1 small and x heads to −1.

Both use the step size α_t = α/√t and projection onto [−1, 1] (the paper's setting).
Regret R_T = Σ f_t(x_t) − min_{x∈[−1,1]} Σ f_t(x); the average regret R_T/T goes to 0 only for
a learner that converges to x*.
"""
from __future__ import annotations

import math

RULES = ("adam", "amsgrad")
PERIOD, BIG, SMALL = 101, 1010.0, -10.0
MAX_T = 200_000


def gradient(t: int) -> float:
    """f_t'(x) (f_t is linear, so this is also its coefficient)."""
    return BIG if t % PERIOD == 1 else SMALL


def coefficient_sum(T: int) -> float:
    """Σ_{t=1..T} f_t'(x), in closed form: the number of big steps is ⌈T/101⌉ (t = 1, 102, …)."""
    big = (T + PERIOD - 1) // PERIOD
    return big * BIG + (T - big) * SMALL


class OnlineRun:
    def __init__(self, rule: str, lr: float = 0.1, betas: tuple = (0.9, 0.99), eps: float = 1e-8,
                 x0: float = 0.0):
        if rule not in RULES:
            raise ValueError(f"rule: unknown value {rule!r}; allowed: {', '.join(RULES)}")
        if not lr > 0:
            raise ValueError(f"lr: learning rate must be positive, got {lr!r}")
        if not all(0 <= b < 1 for b in betas):
            raise ValueError("betas: must lie in [0, 1)")
        self.rule, self.lr, self.betas, self.eps = rule, lr, betas, eps
        self.x = min(1.0, max(-1.0, x0))
        self.t = 0                 # losses paid so far
        self.m = self.v = self.v_max = 0.0
        self.paid = 0.0            # Σ f_t(x_t)
        self.xs: list[float] = []  # x_t before f_t is revealed
        self.avg_regret: list[float] = []  # R_t / t

    def step(self) -> None:
        if self.t >= MAX_T:
            return
        self.t += 1
        t, g = self.t, gradient(self.t)
        self.xs.append(self.x)
        self.paid += g * self.x
        s = coefficient_sum(t)
        self.avg_regret.append((self.paid + abs(s)) / t)  # min over x∈[−1,1] of s·x is −|s|
        b1, b2 = self.betas
        self.m = b1 * self.m + (1 - b1) * g
        self.v = b2 * self.v + (1 - b2) * g * g
        self.v_max = max(self.v_max, self.v)
        denom = math.sqrt(self.v_max if self.rule == "amsgrad" else self.v) + self.eps
        self.x = min(1.0, max(-1.0, self.x - self.lr / math.sqrt(t) * self.m / denom))

    def advance(self, n: int) -> None:
        for _ in range(n):
            self.step()

"""Closed-form results from the lecture."""
from __future__ import annotations

import math


def bad_sample_bound(h_size: int, n: int, eps: float) -> float:
    """P(the training set is bad) ≤ |H| · 2 · exp(−2 N ε²)  (Hoeffding plus a union bound over H).

    A training set is bad when some h in H has |L_train(h) − L_all(h)| > ε, for a loss in [0, 1].
    The bound can exceed 1, when it says nothing; it is returned as is.
    """
    if h_size < 1:
        raise ValueError(f"h_size: need |H| ≥ 1, got {h_size}")
    if n < 0:
        raise ValueError(f"n: need N ≥ 0, got {n}")
    if eps <= 0:
        raise ValueError(f"eps: need ε > 0, got {eps}")
    return h_size * 2.0 * math.exp(-2.0 * n * eps * eps)


def samples_needed(h_size: int, eps: float, delta: float) -> int:
    """Smallest N with |H| · 2 · exp(−2 N ε²) ≤ δ: N ≥ log(2|H|/δ) / (2ε²)."""
    if not 0 < delta < 1:
        raise ValueError(f"delta: need 0 < δ < 1, got {delta}")
    return max(0, math.ceil(math.log(2 * h_size / delta) / (2 * eps * eps)))

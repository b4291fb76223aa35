"""Claims of the overfitting page (lecture section 8), each run on the page's own setup (lib.lecture.overfit)."""
from functools import lru_cache

import numpy as np
import pytest

from claims import claim
from lib.lecture import overfit
from lib.lecture.overfit import (NESTED_SIZES, SIM_DEFAULTS, TASK, TRADEOFF_DELTA, TRADEOFF_EPS,
                                 TRADEOFF_NS, TRADEOFF_TRIALS, good_sets_pick_well, hypothesis_class,
                                 picked_losses, simulate, tradeoff, tradeoff_shape, under_bound)
from lib.lecture.theory import bad_sample_bound, samples_needed

SEEDS = range(5)


@claim("overfitting", 1)
@claim("overfitting", sentence="of.s1.text")
@claim("overfitting", sentence="of.vacuous")    # "more data, or a simpler model, is needed"
def test_the_bound_falls_with_n_and_grows_with_h_over_the_pages_ranges():
    # the page's inputs: |H| 1 … 1e9, N 1 … 1e6, ε 0.001 … 0.5
    for eps in (0.001, 0.01, 0.1, 0.5):
        for h in (1, 10, 10**4, 10**9):
            ns = [1, 10, 100, 1000, 10**4, 10**6]
            values = [bad_sample_bound(h, n, eps) for n in ns]
            assert all(b < a for a, b in zip(values, values[1:]) if a > 0), (eps, h)
            # doubling |H| doubles the bound: it grows with the model's complexity
            assert bad_sample_bound(2 * h, 1000, eps) == pytest.approx(2 * bad_sample_bound(h, 1000, eps))
        needed = [samples_needed(h, eps, 0.05) for h in (1, 10, 10**4, 10**9)]
        assert all(a < b for a, b in zip(needed, needed[1:]))


def page_sweep(size: int, eps: float, seed: int):
    """The page's own simulation (lib.lecture.overfit.page_sweep) for one setting, the default
    number of sets and largest N, run to its end."""
    s = overfit.page_sweep(size, eps, SIM_DEFAULTS["trials"], SIM_DEFAULTS["n_max"], seed)
    while s.advance(s.total_sets):
        pass
    return s.done


# the page's default simulation over seeds 0–4, and the corners of its |H| and ε controls
CASES = ([(SIM_DEFAULTS["size"], SIM_DEFAULTS["eps"], s) for s in SEEDS]
         + [(size, eps, 0) for size in (NESTED_SIZES[0], NESTED_SIZES[-1]) for eps in (0.02, 0.3)])


@claim("overfitting", 2)
@claim("overfitting", sentence="of.sim_summary")
@pytest.mark.parametrize("size,eps,seed", CASES)
def test_the_simulated_share_of_bad_sets_stays_under_the_bound(size, eps, seed):
    for trial in page_sweep(size, eps, seed):
        assert under_bound(trial)                       # what the page's summary checks
        assert trial.bad_share <= min(1.0, trial.bound)  # and without any allowance for noise
        if trial.bound < 1:                             # where the bound says something: a margin
            assert trial.bad_share <= trial.bound / 2, trial.n
        assert good_sets_pick_well(trial, eps), trial.n


@claim("overfitting", sentence="of.useful")
@pytest.mark.parametrize("size", NESTED_SIZES)
def test_with_the_n_the_bound_asks_for_bad_sets_are_rarer_than_delta(size):
    cuts = hypothesis_class(size, TASK.values)
    n = samples_needed(len(cuts), TRADEOFF_EPS, TRADEOFF_DELTA)
    trial = simulate(TASK, cuts, n, TRADEOFF_EPS, 2000, seed=0)
    assert trial.bad_share + 3 * trial.std_error <= TRADEOFF_DELTA


@claim("overfitting", sentence="of.s3.title")
def test_a_larger_class_reaches_a_lower_best_loss_but_the_bound_asks_for_more_data():
    rows = tradeoff(TASK, NESTED_SIZES, TRADEOFF_EPS, TRADEOFF_DELTA)
    best = [r["best_loss"] for r in rows]
    needed = [r["n_needed"] for r in rows]
    assert all(b <= a + 1e-12 for a, b in zip(best, best[1:]))
    assert best[0] - best[-1] > 0.2              # 0.38 (two constant rules) down to the noise, 0.1
    assert all(a < b for a, b in zip(needed, needed[1:]))


@lru_cache(maxsize=None)
def tradeoff_at(seed: int) -> tuple:
    rows = picked_losses(TASK, NESTED_SIZES, TRADEOFF_NS, TRADEOFF_TRIALS, seed)
    return rows, tradeoff_shape(rows, TRADEOFF_NS[0]), tradeoff_shape(rows, TRADEOFF_NS[-1])


@claim("overfitting", 3)
@claim("overfitting", sentence="of.s3.shape")
@pytest.mark.parametrize("seed", SEEDS)
def test_little_data_favours_a_middle_class_and_plenty_of_data_the_largest(seed):
    rows, little, plenty = tradeoff_at(seed)
    # little data: the simplest class is the worst by far (model bias) …
    assert little["worst_size"] == little["smallest_size"]
    assert little["smallest_loss"] - little["best_loss"] > 0.1
    # … the best one lies strictly inside, and the largest loses to it by a clear margin
    assert little["smallest_size"] < little["best_size"] < little["largest_size"]
    assert little["largest_loss"] - little["best_loss"] > 0.004
    # plenty of data: the largest class is the best, ahead of every other
    others = [r["loss"] for r in rows if r["n"] == plenty["n"] and r["size"] != plenty["largest_size"]]
    assert plenty["best_size"] == plenty["largest_size"]
    assert min(others) - plenty["largest_loss"] > 0.003


@claim("overfitting", sentence="of.s3.shape")
def test_the_best_class_grows_with_n():
    """The sentence's last line: the more data, the larger the class that pays off."""
    rows, _, _ = tradeoff_at(0)
    best = [tradeoff_shape(rows, n)["best_size"] for n in TRADEOFF_NS]
    assert all(a <= b for a, b in zip(best, best[1:])) and best[0] < best[-1]
    assert np.isfinite([r["loss"] for r in rows]).all()

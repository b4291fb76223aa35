import math

import numpy as np
import pytest

from lib.lecture.overfit import (NESTED_SIZES, Sweep, ThresholdTask, all_losses, hypothesis_class,
                                 n_grid, simulate, sweep, threshold_losses, tradeoff)
from lib.lecture.theory import bad_sample_bound

TASK = ThresholdTask(values=40, cut=13, noise=0.15)


def test_losses_from_counts_match_counting_mistakes_point_by_point():
    rng = np.random.default_rng(3)
    x = rng.integers(0, TASK.values, 57)
    y = rng.integers(0, 2, 57)
    counts = np.zeros((TASK.values, 2))
    np.add.at(counts, (x, y), 1)
    cuts = np.arange(TASK.values + 1)
    direct = [np.mean((x >= c).astype(int) != y) for c in cuts]
    assert threshold_losses(counts, cuts) == pytest.approx(direct)


def test_all_data_loss_is_noise_at_the_true_cut_and_grows_linearly_away_from_it():
    cuts = np.arange(TASK.values + 1)
    loss = all_losses(TASK, cuts)
    assert loss.argmin() == TASK.cut and loss.min() == pytest.approx(TASK.noise)
    # each value the cut moves past flips 1/V of the mass from (1 − noise) right to noise right
    step = (1 - 2 * TASK.noise) / TASK.values
    assert loss[TASK.cut + 5] == pytest.approx(TASK.noise + 5 * step)
    assert loss[TASK.cut - 3] == pytest.approx(TASK.noise + 3 * step)


def exact_two_sided_tail(n: int, p: float, eps: float) -> float:
    """P(|Bin(n, p)/n − p| > eps), summed exactly."""
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)
               if abs(k / n - p) > eps + 1e-12)


def test_one_hypothesis_matches_the_exact_binomial_tail():
    cuts = hypothesis_class(1, TASK.values)
    p = float(all_losses(TASK, cuts)[0])
    trial = simulate(TASK, cuts, 60, 0.08, 5000, seed=1)
    exact = exact_two_sided_tail(60, p, 0.08)
    assert abs(trial.bad_share - exact) < 4 * math.sqrt(exact * (1 - exact) / 5000)
    assert exact <= bad_sample_bound(1, 60, 0.08)  # Hoeffding holds for the exact value too


@pytest.mark.parametrize("size,eps", [(2, 0.1), (5, 0.1), (17, 0.05), (41, 0.15)])
def test_simulated_share_never_exceeds_the_bound_beyond_sampling_error(size, eps):
    cuts = hypothesis_class(size, TASK.values)
    for trial in sweep(TASK, cuts, n_grid(5, 1500, 10), eps, 2000, seed=7):
        assert trial.bad_share <= min(1.0, trial.bound) + 3 * trial.std_error, trial.n


def test_a_sweep_drawn_in_pieces_equals_simulate_at_every_n():
    """The page draws its sweep a few hundred training sets a frame (Sweep.advance), stopping and
    resuming at will: cut up however, it draws the very training sets simulate() draws."""
    ns, trials = [7, 60, 300], 250
    cuts = hypothesis_class(9, TASK.values)
    whole = [simulate(TASK, cuts, n, 0.1, trials, seed=4) for n in ns]
    for piece in (1, 97, 250, 10_000):
        s = Sweep(TASK, 9, ns, 0.1, trials, seed=4)
        while s.advance(piece):
            assert s.sets_drawn <= s.total_sets and not s.finished
        assert s.finished and s.sets_drawn == s.total_sets == len(ns) * trials
        for got, want in zip(s.done, whole):
            assert got.n == want.n and got.trials == trials and got.bad_share == want.bad_share
            np.testing.assert_array_equal(got.worst_gap, want.worst_gap)
            np.testing.assert_array_equal(got.picked_loss, want.picked_loss)
        assert s.bounds() == [w.bound for w in whole]
        assert not s.advance(5) and s.sets_drawn == s.total_sets     # over is over
    with pytest.raises(ValueError, match="trials"):
        Sweep(TASK, 9, ns, 0.1, 0)
    with pytest.raises(ValueError, match="N values"):
        Sweep(TASK, 9, [], 0.1, 10)


def test_more_data_makes_bad_sets_rarer():
    cuts = hypothesis_class(9, TASK.values)
    small, large = (simulate(TASK, cuts, n, 0.1, 3000, seed=2) for n in (20, 400))
    assert small.bad_share > 0.3 and large.bad_share < 0.05


def test_on_a_good_training_set_the_trained_h_is_within_2_eps_of_the_best():
    eps = 0.1
    cuts = hypothesis_class(17, TASK.values)
    trial = simulate(TASK, cuts, 80, eps, 3000, seed=4)
    good = trial.worst_gap <= eps
    assert good.any() and (~good).any()
    assert np.all(trial.picked_loss[good] - trial.best_loss <= 2 * eps + 1e-12)


def test_same_seed_same_numbers():
    cuts = hypothesis_class(9, TASK.values)
    a, b = (simulate(TASK, cuts, 50, 0.1, 500, seed=11) for _ in range(2))
    assert a.bad_share == b.bad_share and np.array_equal(a.worst_gap, b.worst_gap)


def test_tradeoff_larger_class_reaches_lower_loss_but_needs_more_data():
    task = ThresholdTask()
    rows = tradeoff(task, NESTED_SIZES, 0.1, 0.05)
    best = [r["best_loss"] for r in rows]
    needed = [r["n_needed"] for r in rows]
    assert all(a >= b - 1e-12 for a, b in zip(best, best[1:])) and best[-1] < best[0]
    assert best[-1] == pytest.approx(task.noise)  # the full class contains the true cut
    assert all(a < b for a, b in zip(needed, needed[1:]))


def test_hypothesis_classes_are_nested_and_sized():
    prev = set()
    for size in NESTED_SIZES:
        cuts = set(hypothesis_class(size).tolist())
        assert len(cuts) == size and prev <= cuts
        prev = cuts


@pytest.mark.parametrize("kwargs", [dict(n=0), dict(n=10, trials=0), dict(n=10, eps=0.0),
                                    dict(n=10**6)])
def test_bad_arguments_raise(kwargs):
    args = dict(n=10, eps=0.1, trials=10) | kwargs
    with pytest.raises(ValueError):
        simulate(TASK, hypothesis_class(3, TASK.values), **args)

"""The Playground's lesson steps, checked on the setups the steps give the panel (ui/lessons.py),
over seeds 0–4, with the numbers the steps' words quote (Step.numbers)."""
from functools import lru_cache

import numpy as np
import pytest

from claims import claim
from lib.engine.trainer import Run, same_start
from ui.lessons import LESSONS

SEEDS = range(5)
PLAN = LESSONS["playground"]


def numbers(k: int) -> dict:
    return dict(PLAN.steps[k - 1].numbers)


def smoothed(run, upto: int, window: int = 50) -> float:
    """Mean training loss over the `window` updates ending at update `upto` (minibatch noise out)."""
    h = run.history.rows("step", "loss")
    step, loss = np.array(h["step"]), np.array(h["loss"])
    return float(loss[(step > upto - window) & (step <= upto)].mean())


@lru_cache(maxsize=None)
def edge_of_stability_run(seed: int) -> Run:
    config, compare = PLAN.setup(1)
    assert compare is None
    # the Hessian every 50 updates instead of 20 only measures less often: training is the same
    run = Run(config.with_(seed=seed, hessian_every=50))
    run.advance(numbers(1)["hover"])
    return run


@claim("playground", 1)
@pytest.mark.parametrize("seed", SEEDS)
def test_sharpness_climbs_from_well_below_two_over_eta_and_hovers_there(seed):
    run = edge_of_stability_run(seed)
    reach, hover = numbers(1)["reach"], numbers(1)["hover"]
    assert run.stopped is None and run.step == hover
    eos = 2 / run.config.lr
    c = run.curvature.rows()
    step, ratio = np.array(c["step"]), np.array(c["lam_max"]) / eos
    assert ratio[0] < 0.5                                   # starts well below 2/η
    reached = step[ratio >= 0.95]
    assert len(reached) and reached[0] <= reach             # climbs to it within `reach` updates
    late = ratio[step >= reached[0] + 200]
    assert len(late) >= 30                                  # …and then, for thousands of updates,
    assert 0.85 < late.min() and late.max() < 1.15          # hovers at 2/η
    assert smoothed(run, hover, 200) < smoothed(run, int(reached[0]), 200)  # the loss still falls


@lru_cache(maxsize=None)
def compared(k: int, seed: int, updates: int):
    config, (name, values) = PLAN.setup(k)
    runs = same_start([config.with_(seed=seed, hessian_every=0, **{name: v}) for v in values])
    for run in runs:
        run.advance(updates)
    return dict(zip(values, runs))


@claim("playground", 2)
@pytest.mark.parametrize("seed", SEEDS)
def test_adam_falls_first_then_sgdm_then_sgd_and_all_test_well(seed):
    early, late = numbers(2)["early"], numbers(2)["late"]
    runs = compared(2, seed, late)
    assert len({r.config.lr for r in runs.values()}) == 1   # the same η for all three
    at_early = {name: smoothed(run, early) for name, run in runs.items()}
    assert at_early["adam"] < 0.5 * at_early["sgdm"] and at_early["sgdm"] < 0.5 * at_early["sgd"]
    for run in runs.values():
        assert run.stopped is None and run.evals.last["test_acc"] > 0.95


@claim("playground", 3)
@pytest.mark.parametrize("seed", SEEDS)
def test_deep_sigmoid_net_stalls_at_ln2_without_batch_norm_and_learns_with_it(seed):
    plateau, fast = numbers(3)["plateau"], numbers(3)["fast"]
    runs = compared(3, seed, plateau)
    h = runs[False].history.rows("step", "loss")
    without = np.array(h["loss"])[np.array(h["step"]) > 50]  # after the first few updates
    assert abs(smoothed(runs[False], plateau, 200) - np.log(2)) < 0.02
    assert without.min() > 0.6                                  # never leaves the plateau
    assert smoothed(runs[True], fast) < 0.2                       # with BN: down within `fast`

"""The batch-norm page's lesson steps and sentences on its own setup: section 1's linear model with
the page's defaults (lib.lecture.normalization), the panel's preset (lib.lecture.presets.BATCH_NORM) with lesson
step 2 applied as ui/lesson.go does, and the batch statistics the page shows, over seeds 0–4."""
import math
import re
from functools import lru_cache
from statistics import mean

import pytest
import torch

from claims import claim
from lesson_setup import step_runs, upto
from lib.lecture import normalization as nz
from lib.lecture import presets
from ui.strings import TABLE

import test_batch_norm
from test_app_pages import open_page

# "eval mode uses the running μ̄, σ̄" is checked against torch in test_batch_norm (registered there)
MODE_CLAIM = test_batch_norm.test_eval_mode_uses_the_running_statistics
SEEDS = range(5)
RATIOS = (1, 3, nz.RATIO, 30)     # the slider runs 1 … 30
START = torch.tensor(nz.START, dtype=torch.float64)
UPDATES = 400


# -- section 1: feature normalization ---------------------------------------------------------------
def both(ratio, factor=nz.LR_FACTOR):
    """Section 1 at this scale ratio, as the page computes it: descent on the raw and on the
    normalized features, from the same model."""
    raw, norm = nz.compare_surfaces(ratio, factor)
    assert torch.equal(raw.start, START)
    assert float(raw.loss(raw.start)) == pytest.approx(float(norm.loss(norm.start)))
    return raw.descent, norm.descent


@claim("batch_norm", 1)
@claim("batch_norm", sentence="bn.fn.explain")
def test_a_larger_scale_stretches_the_surface_and_normalizing_makes_it_round():
    raws, norms = zip(*(both(r) for r in RATIOS))
    kappas = [r.kappa for r in raws]
    assert all(a < b for a, b in zip(kappas, kappas[1:])) and kappas[-1] > 500      # long and thin
    assert all(n.kappa < 1.2 for n in norms)                                        # round
    assert all(n.reached is not None and n.reached <= 3 for n in norms)             # a few steps
    steps = [math.inf if r.reached is None else r.reached for r in raws]
    assert all(a < b or a == b == math.inf for a, b in zip(steps, steps[1:]))       # more and more
    at_default = raws[RATIOS.index(nz.RATIO)]
    assert at_default.reached is None                                               # not in 100
    # along the flattest direction each step removes about 1/κ of the distance
    x, y = nz.page_features(nz.RATIO)
    long = nz.descend(x, y, START, nz.LR_FACTOR, 3000)
    d = (long.path - nz.least_squares(x, y)).norm(dim=-1)
    rate = float((d[-1] / d[-1001]) ** (1 / 1000))
    assert rate == pytest.approx(1 - 1 / long.kappa, abs=1e-4)


@claim("batch_norm", sentence="bn.fn.text")
def test_the_hessian_is_exactly_twice_the_covariance_of_the_features():
    for ratio in RATIOS:
        x, _ = nz.page_features(ratio)
        centred = x - x.mean(0)
        assert torch.allclose(nz.linear_hessian(x), 2 * centred.T @ centred / len(x), rtol=1e-12)


@claim("batch_norm", sentence="bn.fn.diverged")
@claim("batch_norm", sentence="bn.fn.lr_help")
def test_above_two_over_lambda_max_descent_diverges_and_the_page_says_so():
    for ratio in RATIOS:
        for factor, diverges in ((1.9, False), (2.1, True)):   # 2.1: the slider's top
            raw, norm = both(ratio, factor)
            assert raw.diverged == norm.diverged == diverges, (ratio, factor)
    at = open_page("pages/06_batch_norm.py", {"batch_norm.lr_factor": "2.1"}, lang="en")
    assert not at.exception
    assert sum("Gradient descent diverges" in e.value for e in at.error) == 2


# -- section 2: a deep sigmoid net with and without batch norm -------------------------------------
@lru_cache(maxsize=None)
def deep_runs(seed):
    runs = step_runs("batch_norm", 2, presets.BATCH_NORM, seed)
    for run in runs:
        run.advance(UPDATES)
    return runs


@claim("batch_norm", 2)
def test_without_batch_norm_the_loss_sticks_near_ln2_with_it_it_falls():
    for seed in SEEDS:
        off, on = deep_runs(seed)
        assert (off.config.batch_norm, on.config.batch_norm) == (False, True)
        stuck, fell = upto(off, UPDATES), upto(on, UPDATES)
        assert all(abs(v - math.log(2)) < 0.15 for v in stuck[5:]), (seed, stuck)   # throughout
        assert abs(sorted(stuck[-5:])[2] - math.log(2)) < 0.03, seed
        assert sorted(fell[-5:])[2] < 0.15, (seed, fell[-5:])                       # median, falls


# -- section 3: batch statistics -------------------------------------------------------------------
@claim("batch_norm", 3)
@claim("batch_norm", sentence="bn.small.one")
@claim("batch_norm", sentence="bn.small.two")
def test_a_batch_of_one_normalizes_to_zeros_two_to_plus_minus_one_so_training_needs_two():
    for text in TABLE["lesson.batch_norm.3.do"]:               # "try batch sizes 1 and 2": offered
        sizes = re.search(r"(\d+) (?:和|and) (\d+)", text).groups()
        assert {int(n) for n in sizes} == {1, 2} <= set(nz.SMALL_BATCHES)
    model, x = nz.untrained_bn_net(presets.BATCH_NORM)       # the page's table
    one = nz.first_layer_stats(model, x, 1).normalized
    assert torch.equal(one, torch.zeros_like(one))
    two = nz.first_layer_stats(model, x, 2).normalized
    assert bool(((two.abs() > 0.99) & (two.abs() <= 1)).all())
    assert torch.allclose(two[0], -two[1])
    with pytest.raises(ValueError, match="at least 2"):
        presets.BATCH_NORM.with_(batch_norm=True, batch_size=1).validate()
    (run,) = step_runs("batch_norm", 2, presets.BATCH_NORM.with_(batch_size=2), 0)[1:]
    assert run.advance(20) == 20 and run.stopped is None


@claim("batch_norm", sentence="bn.small.more")
def test_the_larger_the_batch_the_closer_its_statistics_to_the_whole_datas():
    model, x = nz.untrained_bn_net(presets.BATCH_NORM)
    whole = nz.first_layer_stats(model, x, len(x))
    gen = torch.Generator().manual_seed(0)
    gaps = []
    for b in nz.SMALL_BATCHES[1:]:
        draws = [nz.first_layer_stats(model, x[torch.randperm(len(x), generator=gen)], b) for _ in range(100)]
        gaps.append((mean(float((s.batch_mean - whole.batch_mean).abs().mean()) for s in draws),
                     mean(float((s.batch_std - whole.batch_std).abs().mean()) for s in draws)))
    for k in (0, 1):
        assert all(a[k] > b[k] for a, b in zip(gaps, gaps[1:])), gaps
        assert gaps[-1][k] < 0.5 * gaps[0][k]


@claim("batch_norm", sentence="bn.live.text")
def test_the_running_statistics_start_at_0_and_1_and_catch_up():
    for seed in SEEDS:
        _, on = step_runs("batch_norm", 2, presets.BATCH_NORM, seed)
        start = nz.first_layer_stats(on.model, on.data.x_train, on.config.batch_size)
        assert torch.equal(start.running_mean, torch.zeros_like(start.running_mean))
        assert torch.equal(start.running_std, torch.ones_like(start.running_std))
        on.advance(50)
        later = nz.first_layer_stats(on.model, on.data.x_train, on.config.batch_size)
        gap0 = float((start.batch_std - start.running_std).abs().mean())
        gap = float((later.batch_std - later.running_std).abs().mean())
        assert gap < 0.15 * gap0, (seed, gap0, gap)
        assert float((later.batch_mean - later.running_mean).abs().mean()) < 0.15, seed

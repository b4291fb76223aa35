"""What the learning-rate page and its lesson tell a student, checked on the page's own setup:
the valley, start and η choices of lib.lecture.surface_runs, the panel's preset (lib.lecture.presets) with the
comparison its lesson step applies (ui.lessons)."""
from functools import lru_cache

import numpy as np
import pytest
import torch

from claims import claim
from lib.lecture import presets
from lib.lecture import surface_runs as sr
from lib.lecture.surface_runs import B, GD_LRS, LIMIT, START, SurfaceRun, valley
from lib.engine.trainer import same_start
from ui.lessons import LESSONS
from ui.strings import TABLE

SEEDS = range(5)


def gd(lr: float, n: int) -> SurfaceRun:
    run = SurfaceRun("gd", valley, START, lr)
    run.advance(n)
    return run


@lru_cache(maxsize=None)
def page_runs_to_limit() -> dict:
    """The page's four simulations at its default settings, run as far as the page runs them."""
    runs = sr.page_runs()
    for run in runs.values():
        run.advance(LIMIT)
    return runs


@lru_cache(maxsize=None)
def adagrad_pair() -> dict:
    return sr.adagrad_pair()


# -- 1. a fixed learning rate -------------------------------------------------------------------
@claim("learning_rate", 1)
@claim("learning_rate", sentence="lr.s1.read")
@claim("learning_rate", sentence="lr.intro")
def test_large_fixed_eta_stalls_while_the_gradient_stays_large_and_the_smallest_crawls():
    # the lesson's "starts with η above 1" and "the smallest η" are the page's own settings
    assert sr.GD_LR > 2 / B and f"η above {2 / B:g}" in TABLE["lesson.learning_rate.1.do"][1]
    assert sr.CRAWL_LR == min(GD_LRS) and sr.GD_LR in GD_LRS
    # with the page's η it bounces from wall to wall at every update, for the whole simulation:
    # the loss has stopped falling by update STALL_FROM while ‖g‖ stays large
    run = page_runs_to_limit()["gd"]
    seen = sr.bounce(run, sr.STALL_FROM, LIMIT)
    assert not run.stopped and run.t == LIMIT
    assert seen["flips"] == 1.0 and seen["height"] > 0.25
    assert seen["fell"] < 0.01
    assert seen["g_min"] > 0.5
    assert run.losses[LIMIT] > 0.3 * run.losses[0]  # stuck far from the minimum's loss of 0
    # the smallest η does not bounce, reaches the floor early, and crawls along it
    slow = gd(sr.CRAWL_LR, sr.READ_AT)
    w2 = np.asarray(slow.path)[:, 1]
    assert np.all(w2[1:] * w2[:-1] > 0)
    crawl = sr.crawl(slow, sr.READ_AT)
    assert crawl["floor"] < sr.READ_AT / 2 and crawl["share"] < 0.5
    # the numbers the caption quotes say the same (they are computed from these runs)
    quoted = sr.fixed_lr_readout()
    assert quoted["fell"] < 0.01 and quoted["g"] > 0.5
    assert quoted["share"] < 0.5 and quoted["ad_share"] > 0.9
    assert quoted["loss"] == pytest.approx(run.losses[sr.READ_AT], rel=1e-12)


@claim("learning_rate", sentence="lr.s1.gd_lr_help")
def test_each_gd_choice_bounces_for_good_settles_or_never_bounces_as_the_help_says():
    for lr in GD_LRS:
        run = gd(lr, LIMIT if lr > 2 / B else sr.READ_AT)     # "for good": as long as the page runs
        w2 = np.asarray(run.path)[:, 1]
        flips = w2[1:] * w2[:-1] < 0
        assert not run.stopped, lr                              # no choice diverges
        if lr > 2 / B:      # bounces for good, high on the walls
            assert flips.all() and np.abs(w2[sr.STALL_FROM:]).min() > 0.1, lr
        elif lr > 1 / B:    # bounces, but the bounce dies out on the floor
            assert flips[:10].all() and abs(w2[-1]) < 1e-3 * abs(w2[0]), lr
        else:               # slides down one wall
            assert not flips.any() and abs(w2[-1]) < 0.01 * abs(w2[0]), lr


# -- 2. σ per parameter, Adagrad's late burst ---------------------------------------------------
@claim("learning_rate", sentence="lr.s2.text")
def test_the_steep_axis_gets_the_larger_sigma_and_the_smaller_step():
    for rule in ("adagrad", "rmsprop", "adam"):
        run = page_runs_to_limit()[rule]
        sigma, step = np.asarray(run.sigmas), np.asarray(run.steps)
        assert len(sigma) == LIMIT, rule
        assert np.all(sigma[:, 1] > sigma[:, 0]), rule
        assert np.all(step[:, 1] < step[:, 0]), rule


@claim("learning_rate", 2)
@claim("learning_rate", sentence="lr.s2.burst_text")
@claim("learning_rate", sentence="lr.s2.burst_found")
def test_adagrad_bursts_late_after_sigma_shrank_and_decay_cures_it():
    plain, decayed = adagrad_pair()[False], adagrad_pair()[True]
    w2 = np.asarray(plain.path)[:, 1]
    g2 = np.abs([g[1] for g in plain.grads])
    step2 = np.asarray([s[1] for s in plain.steps])
    t, size = sr.sideways_burst(plain)          # update t moved w2 by `size`
    assert t > LIMIT / 10 and size > 0.5
    assert abs(w2[t]) > 0.25                    # thrown back up the wall
    # before it: a long stretch on the floor with small gradients, σ₂ shrinking, η/σ₂ growing
    quiet = np.nonzero(g2[:t] < 1e-6)[0]
    assert len(quiet) > 300 and quiet[-1] - quiet[0] + 1 == len(quiet)  # one unbroken stretch
    stretch = slice(quiet[0], quiet[-1] + 1)
    assert np.all(np.diff(step2[stretch]) > 0)
    crossed = quiet[0] + int(np.argmax(step2[stretch] > 2 / B))
    assert step2[crossed] > 2 / B and crossed < t - 10  # past 2/b well before the burst
    # after it, the larger gradients have inflated σ₂: η/σ₂ is back at about 2/b
    late = step2[-1000:]
    assert abs(late.mean() / (2 / B) - 1) < 0.05
    # the decaying η never leaves the floor again
    t_d, after = sr.sideways_burst(decayed)
    assert after < 1e-6 and size > 1e5 * after
    assert np.all(np.abs(np.asarray(decayed.path)[LIMIT // 10:, 1]) < 1e-3)


# -- how torch.optim writes the same rules --------------------------------------------------------
def torch_path(make, n, before_step=None):
    w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([w])
    out = [w.detach().clone()]
    for t in range(n):
        opt.zero_grad()
        valley(w).backward()
        if before_step:
            before_step(opt, w, t)
        opt.step()
        out.append(w.detach().clone())
    return torch.stack(out).numpy()


@claim("learning_rate", sentence="lr.s1.torch")
def test_torch_adagrad_with_a_fixed_lr_is_the_lectures_adagrad_with_decay():
    n = 400
    lecture = SurfaceRun("adagrad", valley, START, sr.AD_LR, eps=0.0, decay=True)
    lecture.advance(n)
    summed = torch_path(lambda p: torch.optim.Adagrad(p, lr=sr.AD_LR, eps=0.0), n)
    np.testing.assert_allclose(np.asarray(lecture.path), summed, rtol=1e-9, atol=1e-300)
    # and the lecture's fixed η is torch's sum form with a growing lr_t = η·sqrt(t+1)
    fixed = SurfaceRun("adagrad", valley, START, sr.AD_LR, eps=0.0)
    fixed.advance(n)

    def grow(opt, w, t):
        opt.param_groups[0]["lr"] = sr.AD_LR * (t + 1) ** 0.5
    growing = torch_path(lambda p: torch.optim.Adagrad(p, lr=sr.AD_LR, eps=0.0), n, grow)
    np.testing.assert_allclose(np.asarray(fixed.path), growing, rtol=1e-9, atol=1e-300)


@claim("learning_rate", sentence="lr.s1.torch")
def test_torch_rmsprop_differs_only_by_starting_its_average_at_zero():
    n, alpha = 300, sr.ALPHA
    lecture = SurfaceRun("rmsprop", valley, START, sr.AD_LR, alpha=alpha, eps=0.0)
    lecture.advance(n)
    make = lambda p: torch.optim.RMSprop(p, lr=sr.AD_LR, alpha=alpha, eps=0.0)  # noqa: E731

    def seed_average(opt, w, t):  # σ⁰ = |g⁰|: the average starts at (g⁰)² instead of 0
        if t == 0:
            opt.state[w] = {"step": torch.tensor(0.0), "square_avg": w.grad.detach() ** 2}
    np.testing.assert_allclose(np.asarray(lecture.path), torch_path(make, n, seed_average),
                               rtol=1e-9, atol=1e-300)
    plain = torch_path(make, 1)
    first_torch = np.abs(plain[1] - plain[0])
    first_lecture = np.abs(lecture.path[1] - lecture.path[0])
    np.testing.assert_allclose(first_torch / first_lecture, 1 / np.sqrt(1 - alpha), rtol=1e-9)


# -- 3. warmup on the training panel ----------------------------------------------------------------
@lru_cache(maxsize=None)
def warmup_runs(seed: int):
    """The panel as lesson step 3 sets it up: the page's preset, its comparison of schedules."""
    step = LESSONS["learning_rate"].steps[2]
    field, values = step.compare
    cfg = presets.LEARNING_RATE.with_(**step.panel, seed=seed)
    runs = same_start([cfg.with_(**{field: v}) for v in values])
    moves = []
    for run in runs:
        start = [p.detach().clone() for p in run.params]
        run.advance(20)
        moves.append(float(sum(((p.detach() - s) ** 2).sum() for p, s in zip(run.params, start)) ** 0.5))
        run.advance(180)
    return {v: (np.asarray(r.history.rows()["loss"]), m) for v, r, m in zip(values, runs, moves)}


@claim("learning_rate", 3)
@pytest.mark.parametrize("seed", SEEDS)
def test_warmup_starts_calmer_and_falls_later(seed):
    runs = warmup_runs(seed)
    assert set(runs) == {"constant", "warmup_linear"}
    (const, const_move), (warm, warm_move) = runs["constant"], runs["warmup_linear"]
    rises = lambda loss: np.clip(np.diff(loss[:50]), 0, None).sum()  # noqa: E731
    assert rises(warm) < 0.9 * rises(const)          # the loss jumps up less at the start
    assert warm_move < 0.25 * const_move             # the weights move far less in 20 updates
    assert warm[150:200].mean() > 2 * const[150:200].mean()  # and it falls later


@claim("learning_rate", sentence="lr.s3.text")
def test_adams_first_update_moves_every_weight_by_eta_before_sigma_has_statistics():
    cfg = presets.LEARNING_RATE
    run = same_start([cfg])[0]
    before = [p.detach().clone() for p in run.params]
    run.advance(1)
    moved = torch.cat([(p.detach() - b).abs().flatten() for p, b in zip(run.params, before)])
    # σ from a single gradient is |g|: every weight with a gradient moves by η, however small g is
    share = float(((moved - cfg.lr).abs() < 1e-3 * cfg.lr).float().mean())
    assert share > 0.95

"""Claims of the Critical points page, each checked on the page's own setup (lib.lecture.critical's
constants and surfaces, lib.lecture.presets.CRITICAL_POINTS with its width comparison, the experiment's
defaults): the lesson steps' "watch for" and every sentence that promises a phenomenon."""
import numpy as np
import pytest
import torch

from claims import claim
from lib.lecture import critical, presets
from lib.engine import hessian
from lib.engine.models import toy_w1w2
from lib.engine.trainer import same_start
from ui.lessons import LESSONS

SEEDS = range(5)
UPDATES = 2000   # a few seconds of Play; every run reaches the gradient threshold by ~1,600
EVERY = 20       # updates between two readouts (the page reads out once a frame, ≥ READOUT_EVERY apart)


# -- ① the lecture's example and the bumps surface ------------------------------------------------
@claim("critical_points", 1)
def test_lesson_1_saddle_at_origin_and_the_escape_step():
    a = critical.analyze(toy_w1w2, (0.0, 0.0))  # the page's "saddle point (0, 0)" shortcut
    assert a["critical"] and a["grad_norm"] == 0.0
    np.testing.assert_allclose(a["eigenvalues"], [-2.0, 2.0])
    assert a["verdict"] == "saddle"
    new, before, after = critical.escape_step(toy_w1w2, (0.0, 0.0), size=critical.ESCAPE_SIZE)
    assert after < before - 0.05  # ½·λ·‖Δ‖² = −0.09, plus a quartic term of 0.002


@claim("critical_points", sentence="cp.s1.text")
def test_origin_is_a_saddle_and_the_pink_curve_is_all_minima_of_loss_zero():
    assert critical.analyze(toy_w1w2, (0.0, 0.0))["verdict"] == "saddle"
    for branch in critical.minimum_valley():
        np.testing.assert_allclose(branch[:, 0] * branch[:, 1], 1.0)
        for w in branch[::7]:
            a = critical.analyze(toy_w1w2, w)
            assert a["loss"] == pytest.approx(0.0, abs=1e-12)
            assert a["grad_norm"] < 1e-9


@claim("critical_points", sentence="cp.valley_note")
def test_on_the_valley_the_zero_eigenvalue_points_along_the_valley():
    for w1 in (0.6, 1.0, -1.7):
        a = critical.analyze(toy_w1w2, (w1, 1 / w1))
        assert a["verdict"] == "undecided"
        assert abs(a["eigenvalues"][0]) < 1e-9 < a["eigenvalues"][1]
        tangent = np.array([1.0, -1 / w1 ** 2])  # d/dw1 of (w1, 1/w1)
        tangent /= np.linalg.norm(tangent)
        assert abs(a["eigenvectors"][:, 0] @ tangent) == pytest.approx(1.0, abs=1e-9)


@claim("critical_points", sentence="cp.surface.bumps")
def test_bumps_has_all_three_kinds():
    kinds = {critical.analyze(critical.bumps, (w1, w2))["verdict"]
             for w1, w2, _ in critical.critical_points("bumps")}
    assert {"minimum", "maximum", "saddle"} <= kinds


@claim("critical_points", sentence="cp.verdict.saddle")
def test_at_every_saddle_the_negative_eigenvector_lowers_the_loss():
    for name, fn in critical.SURFACES.items():
        saddles = [(a, b) for a, b, kind in critical.critical_points(name) if kind == "saddle"]
        assert saddles
        for point in saddles:
            _, before, after = critical.escape_step(fn, point, size=critical.ESCAPE_SIZE)
            assert after < before - 0.05, (name, point)


def descend(lr: float, starts=None, steps: int = 2) -> list[np.ndarray]:
    """The page's descent paths on the toy surface, advanced as its animation does, to the end."""
    paths = critical.start_paths("toy") if starts is None else [np.array([s], float) for s in starts]
    while critical.advance_paths(toy_w1w2, paths, lr, steps):
        pass
    return paths


@claim("critical_points", sentence="cp.gd.text")
def test_gradient_descent_stays_at_the_saddle_and_lingers_beside_it():
    at_saddle = critical.gd_steps(toy_w1w2, (0.0, 0.0), critical.GD_LR, 200)
    assert np.all(at_saddle == 0.0)
    assert len(descend(critical.GD_LR, starts=[(0.0, 0.0)])[0]) == 1  # the page's path never moves
    path = descend(critical.GD_LR)[0]  # the page's first start, just off the saddle
    assert not critical.path_left(path)
    dist = np.linalg.norm(path, axis=1)
    lingers = int(np.argmax(dist > 0.1))  # updates spent within 0.1 of the saddle
    assert lingers >= 10
    end = torch.as_tensor(path[-1])
    assert toy_w1w2(end).item() < 1e-6 and dist[-1] > 0.9  # then it leaves, down to the valley


@claim("critical_points", sentence="cp.gd.lr_help")
def test_a_smaller_learning_rate_leaves_the_saddle_more_slowly_a_large_one_leaves_the_map():
    def updates_near_saddle(lr):
        path = descend(lr, steps=50)[0]
        return int(np.argmax(np.linalg.norm(path, axis=1) > 0.5))
    slow = [updates_near_saddle(lr) for lr in (0.3, 0.1, 0.03, 0.01)]
    assert all(b > 2 * a for a, b in zip(slow, slow[1:])), slow
    # the largest η the page allows throws some of its starts off the map, on both surfaces
    for name, fn in critical.SURFACES.items():
        paths = critical.start_paths(name)
        while critical.advance_paths(fn, paths, 1.0, 2):
            pass
        assert any(critical.path_left(p) for p in paths), name


@claim("critical_points", sentence="cp.s2.compare")
def test_taylor_error_shrinks_with_delta():
    d = np.array(critical.TAYLOR_DELTA)
    for center in [(0.0, 0.0), (0.5, -1.0)]:
        errors = [abs(critical.taylor(toy_w1w2, center, np.add(center, d * h))["exact"]
                      - critical.taylor(toy_w1w2, center, np.add(center, d * h))["approx"])
                  for h in (1.0, 0.5, 0.25)]
        assert errors[0] > 4 * errors[1] > 16 * errors[2] > 0  # third order or better


@claim("critical_points", sentence="cp.s2.critical")
def test_at_critical_points_only_the_quadratic_term_is_left():
    for name, fn in critical.SURFACES.items():
        for a, b, _ in critical.critical_points(name):
            tay = critical.taylor(fn, (a, b), np.add((a, b), critical.TAYLOR_DELTA))
            assert abs(tay["linear"]) < 1e-12
            assert tay["approx"] == pytest.approx(tay["loss0"] + tay["quadratic"], abs=1e-12)


# -- ③ the training panel: a width-1 and a width-6 net side by side --------------------------------
def panel_runs(seed):
    """The panel's runs as the page opens them (and lesson step 2 sets them): the preset, compared
    over the widths, for one seed. The panel's own Hessian charts (hessian_every) only measure:
    they do not change the weights (test below), so they are left out here to save time."""
    field, values = presets.CRITICAL_POINTS_COMPARE
    config = presets.CRITICAL_POINTS.with_(seed=seed, hessian_every=0)
    return values, same_start([config.with_(**{field: v}) for v in values])


@pytest.fixture(scope="module")
def readouts():
    """{(width, seed): (the readouts every EVERY updates over UPDATES, final training loss)}."""
    out = {}
    for seed in SEEDS:
        widths, runs = panel_runs(seed)
        for width, run in zip(widths, runs):
            track = [critical.measure(run)]
            while run.step < UPDATES:
                run.advance(EVERY)
                track.append(critical.measure(run))
            assert run.stopped is None
            out[width, seed] = track, run.history.last["loss"]
    return out


def test_the_panels_hessian_charts_leave_the_training_unchanged():
    config = presets.CRITICAL_POINTS
    assert config.hessian_every
    measured, plain = same_start([config]), same_start([config.with_(hessian_every=0)])
    for run in (*measured, *plain):
        run.advance(200)
    for p, q in zip(measured[0].params, plain[0].params):
        assert torch.equal(p, q)


def test_lesson_2_sets_up_the_comparison_the_page_opens_with():
    assert LESSONS["critical_points"].steps[1].compare == presets.CRITICAL_POINTS_COMPARE
    assert presets.CRITICAL_POINTS_COMPARE == ("width", (1, 6))  # the widths the texts name


@claim("critical_points", 2)
@claim("critical_points", sentence="cp.s3.expect")
def test_width_1_ends_in_a_local_minimum_width_6_undecided(readouts):
    for (width, seed), (track, loss) in readouts.items():
        start = track[0]
        # at the start: negative eigenvalues, well beyond the rule for zero
        assert start["n_neg"] >= 1 and start["neg_rel"] >= 10 * critical.ZERO_TOL, (width, seed)
        crit = [r for r in track if r["grad_norm"] <= critical.GRAD_TOL]
        assert len(crit) >= 5, (width, seed)  # the threshold is reached, and reached again
        for r in crit:
            # λ_min has climbed to 0: no eigenvalue negative by the rule, with room to spare
            assert r["n_neg"] == 0 and r["neg_rel"] < 0.8 * critical.ZERO_TOL, (width, seed, r["step"])
            n = r["n_neg"] + r["n_zero"] + r["n_pos"]
            if width == 1:
                assert r["verdict"] == "minimum", (seed, r["step"])
                assert r["lam_min"] >= 2 * critical.ZERO_TOL * r["lam_max"]
            else:
                assert r["verdict"] == "undecided", (seed, r["step"])
                assert 0.35 <= r["n_zero"] / n <= 0.7, (seed, r["step"], r["n_zero"], n)  # "about half"
    for seed in SEEDS:  # the local minimum is a poor one: its loss stays far above the wider net's
        assert readouts[1, seed][1] > 10 * readouts[6, seed][1], seed


@claim("critical_points", sentence="cp.s3.no_max")
def test_no_local_maximum_the_output_bias_has_curvature_two(readouts):
    _, runs = panel_runs(0)
    for run in runs:
        H = hessian.hessian_matrix(run.hessian_closure(), run.params)
        assert H[-1, -1].item() == pytest.approx(2.0, rel=1e-6)  # the output bias is the last parameter
    for track, _ in readouts.values():
        assert min(r["lam_max"] for r in track) >= 2.0 * (1 - 1e-6)
        assert all(r["verdict"] != "maximum" for r in track)


# -- ④ the many short runs --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def experiment():
    x, y = critical.experiment_data()
    results = [critical.short_run(x, y, seed=s, steps=critical.EXP_STEPS) for s in range(critical.EXP_RUNS)]
    return results, critical.experiment_summary(results)


@claim("critical_points", 3)
@claim("critical_points", sentence="cp.s4.read.undecided")
def test_the_experiment_end_points_are_flat_not_saddles(experiment):
    results, s = experiment
    assert s["reached"] >= 5  # enough end points to say something
    assert s["largest"] == "undecided"  # the reading the page shows at its defaults
    assert s["undecided"] >= 0.8 * s["reached"] and s["minimum"] == 0
    done = [r for r in results if r["converged"]]
    assert all(r["ratio"] < 1 and r["n_zero"] >= 2 for r in done)  # ratio < 1, from zero eigenvalues
    assert s["neg_rel_max"] < critical.ZERO_TOL

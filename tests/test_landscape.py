"""lib/engine/landscape.py against direct evaluation, the Hessian (Lanczos, exact, Hessian-vector
products) and the definitions of Li et al. 2018's filter normalization."""
import math

import numpy as np
import pytest
import torch

from lib.engine import hessian, landscape as ls

from lib.lecture import presets
from lib.engine.trainer import Run, frozen_bn_stats

# The panel's own setups: the Playground default (Adam, 2×16, cross-entropy), the deep sigmoid net
# of the Batch-norm page with batch norm on, the edge-of-stability preset (2×64, MSE).
SETUPS = {"playground": (presets.PLAYGROUND, 300),
          "batch_norm": (presets.BATCH_NORM.with_(batch_norm=True), 100),
          "edge_of_stability": (presets.EDGE_OF_STABILITY, 200)}
_CACHE = {}


def trained(name):
    """A run of the setup after its updates, and its Landscape made at step 0 (module cache:
    tests must not move the weights)."""
    if name not in _CACHE:
        config, steps = SETUPS[name]
        run = Run(config)
        scope = ls.Landscape(run)
        for _ in range(steps // 20):
            run.advance(20)
            scope.record(run)
        _CACHE[name] = run, scope
    return _CACHE[name]


def direct_loss(run, weights):
    """The run's Hessian closure (train mode, BN statistics restored) at flat `weights`."""
    saved = [p.detach().clone() for p in run.params]
    try:
        with torch.no_grad():
            for p, w in zip(run.params, weights.split([p.numel() for p in run.params])):
                p.copy_(w.view_as(p))
        with frozen_bn_stats(run.model), torch.no_grad():
            return float(run.hessian_closure()())
    finally:
        with torch.no_grad():
            for p, s in zip(run.params, saved):
                p.copy_(s)


def second_derivative(s):
    """Five-point central difference at 0 of a 5-point slice (float64 arithmetic)."""
    L, h = s.losses.astype(np.float64), float(s.alphas[3])
    assert s.alphas[2] == 0 and math.isclose(s.alphas[4], 2 * h, rel_tol=1e-6)
    return (-L[0] + 16 * L[1] - 30 * L[2] + 16 * L[3] - L[4]) / (12 * h * h)


def flat_weights(run):
    return torch.cat([p.detach().reshape(-1) for p in run.params])


# -- 1-D slices: curvature ------------------------------------------------------------------------

@pytest.mark.parametrize("name", SETUPS)
def test_top_slice_curves_at_lambda_max(name):
    run, scope = trained(name)
    s = scope.top_slice(run, points=5, span=0.02)
    lam = run.curvature.last["lam_max"]
    assert run.curvature.last["step"] == run.step and s.step == run.step
    assert s.kind == "top" and s.curvature == lam and math.isclose(s.norm, 1.0, rel_tol=1e-5)
    assert second_derivative(s) == pytest.approx(lam, rel=1e-2)


def test_top_slice_curvature_is_the_largest_eigenvalue():
    run, scope = trained("playground")  # 354 parameters: the exact spectrum is cheap
    with frozen_bn_stats(run.model):
        exact = float(hessian.spectrum(run.hessian_closure(), run.params)[-1])
    assert second_derivative(scope.top_slice(run, points=5, span=0.02)) == pytest.approx(exact, rel=1e-2)


@pytest.mark.parametrize("name", SETUPS)
def test_random_slice_curves_at_dHd(name):
    """Along d, the slice's second derivative in α is dᵀHd; per unit distance, dᵀHd/‖d‖²."""
    run, scope = trained(name)
    d = scope.random_direction(run)
    with frozen_bn_stats(run.model):
        Hd = hessian.hvp(run.hessian_closure(), run.params, list(d.split([p.numel() for p in run.params])))
    dHd = float(d.double() @ torch.cat([t.reshape(-1) for t in Hd]).double())
    s = scope.random_slice(run, points=5, span=0.06)
    assert s.kind == "random" and s.norm == pytest.approx(float(d.norm()))
    assert second_derivative(s) / s.norm ** 2 == pytest.approx(dHd / float(d.norm()) ** 2, rel=1e-2)


def test_top_slice_keeps_its_sign_between_frames():
    """A Krylov run may return the eigenvector with either sign; the slice must not flip."""
    run, scope = trained("playground")
    scope.top_slice(run)
    first = scope.top_vector.clone()
    lo, hi = run.tracker.vectors
    run.tracker.vectors = (lo, -hi)  # as if the next measurement had come out with the other sign
    try:
        flipped = scope.top_slice(run, points=5, span=0.1)
    finally:
        run.tracker.vectors = (lo, hi)
    assert float(first @ scope.top_vector) > 0
    assert flipped.losses[1] == pytest.approx(direct_loss(run, flat_weights(run) - 0.05 * first), rel=1e-5)


# -- 1-D and 2-D slices: exactness ----------------------------------------------------------------

@pytest.mark.parametrize("name", SETUPS)
def test_slices_equal_direct_evaluation(name):
    run, scope = trained(name)
    w = flat_weights(run)
    rand = scope.random_slice(run, points=7, span=0.5)
    d = scope.random_direction(run)
    for alpha, loss in zip(rand.alphas, rand.losses):
        assert loss == pytest.approx(direct_loss(run, w + float(alpha) * d), rel=1e-5, abs=1e-7)
    assert rand.losses[3] == pytest.approx(direct_loss(run, w), rel=1e-6)
    top = scope.top_slice(run, points=5)
    v = scope.top_vector
    for alpha, loss in zip(top.alphas, top.losses):
        assert loss == pytest.approx(direct_loss(run, w + float(alpha) * v), rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("name", ["playground", "batch_norm"])
def test_plane_equals_direct_evaluation_and_leaves_the_run_alone(name):
    run, scope = trained(name)
    before = {k: v.clone() for k, v in run.model.state_dict().items()}
    plane = scope.compute_plane(run)
    after = run.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # weights and BN running μ̄, σ̄
    assert run.model.training
    assert all(m.track_running_stats for m in run.model.modules()
               if isinstance(m, torch.nn.BatchNorm1d))
    assert plane.losses.shape == (scope.grid, scope.grid) == (31, 31) and plane.step == run.step
    w, (d1, d2) = flat_weights(run), scope.directions
    for i, j in [(0, 0), (15, 15), (3, 27), (30, 8)]:
        at = w + float(plane.alphas[j]) * d1 + float(plane.betas[i]) * d2
        assert plane.losses[i, j] == pytest.approx(direct_loss(run, at), rel=1e-5, abs=1e-7)
    assert plane.losses[15, 15] == pytest.approx(direct_loss(run, w), rel=1e-6)


def test_results_kept_for_replay_are_bounded(monkeypatch):
    monkeypatch.setattr(ls, "RESULTS_CAP", 12)
    config, _ = SETUPS["playground"]
    run = Run(config.with_(depth=1, width=2))
    scope = ls.Landscape(run, grid=3, points=3)
    for _ in range(ls.RESULTS_CAP):
        run.advance(1)
        scope.work(run, max_seconds=60)
    assert len(scope.results) < ls.RESULTS_CAP and scope.results.last["step"] == run.step


def test_batched_equals_plain_loop():
    run, scope = trained("batch_norm")
    batched, plain = scope.random_slice(run, points=9), scope.random_slice(run, points=9, batched=False)
    np.testing.assert_allclose(batched.losses, plain.losses, rtol=1e-5)


def test_work_spread_over_frames_gives_the_same_numbers():
    run, _ = trained("edge_of_stability")
    fresh = ls.Landscape(run)
    calls = 0
    while fresh.plane is None:
        fresh.work(run, max_seconds=1e-9)  # one chunk per call
        calls += 1
    chunk = ls.Objective(run).chunk
    assert calls == 2 * math.ceil(ls.SLICE_POINTS / chunk) + math.ceil(fresh.grid ** 2 / chunk)
    spread = fresh.top, fresh.random, fresh.plane
    assert [r.kind for r in fresh.results.rows()["result"]] == ["top", "random", "plane"]
    at_once = fresh.top_slice(run), fresh.random_slice(run), fresh.compute_plane(run)
    for a, b in zip(spread, at_once):
        np.testing.assert_array_equal(a.losses, b.losses)


def test_work_keeps_a_sweep_at_the_weights_it_started_from():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run)
    while scope.random is None or scope.sweep is None:  # the plane's first chunk, at step 0
        scope.work(run, max_seconds=1e-9)
    run.advance(50)
    while scope.plane is None:
        scope.work(run, max_seconds=1e-9)
    assert scope.plane.step == 0 and scope.top.step == 0
    np.testing.assert_array_equal(scope.plane.losses, ls.Landscape(Run(config)).compute_plane(Run(config)).losses)
    scope.work(run, max_seconds=1e-9)  # the next sweep starts at the current weights
    assert scope.top.step == 50


def test_work_on_a_paused_run_costs_nothing():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run)
    assert [r.kind for r in scope.work(run, max_seconds=60)] == ["top", "random", "plane"]
    assert scope.work(run, max_seconds=60) == [] and scope.sweep is None
    run.advance(1)
    assert [r.step for r in scope.work(run, max_seconds=60)] == [1, 1, 1]


# -- filter normalization and directions ----------------------------------------------------------

def test_filter_normalized_rows_have_the_weights_row_norms():
    run, scope = trained("batch_norm")
    params = [p.detach() for p in run.params]
    d = scope.random_direction(run).split([p.numel() for p in params])
    weight_norm2 = 0.0
    for name_p, di, p in zip(run.model.named_parameters(), d, params):
        di = di.view_as(p)
        if p.dim() == 1:  # biases, BN's γ and β: not moved
            assert torch.count_nonzero(di) == 0, name_p[0]
        else:  # one row per neuron: the weights into it
            np.testing.assert_allclose(di.norm(dim=1), p.norm(dim=1), rtol=1e-5)
            weight_norm2 += float(p.norm()) ** 2
    assert float(scope.random_direction(run).norm()) == pytest.approx(math.sqrt(weight_norm2), rel=1e-5)


def test_plane_directions_are_normalized_at_the_start():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run)
    params = [p.detach() for p in run.params]
    for d in scope.directions:
        parts = d.split([p.numel() for p in params])
        for di, p in zip(parts, params):
            if p.dim() == 2:
                np.testing.assert_allclose(di.view_as(p).norm(dim=1), p.norm(dim=1), rtol=1e-5)
    assert scope.unit == pytest.approx(float(scope.directions[1].norm()), rel=1e-5)


def test_same_seed_same_directions():
    config, _ = SETUPS["playground"]
    a, b = ls.Landscape(Run(config)), ls.Landscape(Run(config))
    assert torch.equal(a.directions, b.directions) and torch.equal(a.raw, b.raw)
    c = ls.Landscape(Run(config), seed=1)
    d = ls.Landscape(Run(config.with_(seed=1)))
    assert not torch.equal(a.directions, c.directions)
    assert torch.equal(c.directions[0].ne(0), a.directions[0].ne(0))  # same layout, other draw
    assert not torch.equal(c.directions, d.directions)  # other seed: other initial weights too


# -- the path ---------------------------------------------------------------------------------------

def test_a_point_in_the_plane_projects_to_its_coordinates():
    run, scope = trained("edge_of_stability")
    for a, b in [(0.3, -0.7), (-1.5, 2.0), (1e-3, 0.0)]:
        point = scope.origin + a * scope.directions[0] + b * scope.directions[1]
        pa, pb, off = scope.coordinates(point)
        assert (pa, pb) == pytest.approx((a, b), abs=1e-5)
        assert off < 1e-4
    # a step straight out of the plane: the coordinates stay, `off` is its length in plane units
    normal = torch.randn(scope.origin.numel(), generator=torch.Generator().manual_seed(3))
    normal -= scope.dual.T.float() @ (scope.directions @ normal)  # in the plane's orthogonal complement
    point = scope.origin + 0.5 * scope.directions[0] + normal
    pa, pb, off = scope.coordinates(point)
    assert (pa, pb) == pytest.approx((0.5, 0.0), abs=1e-4)
    assert off == pytest.approx(float(normal.norm()) / scope.unit, rel=1e-4)


def test_path_is_recorded_and_ends_at_the_plane_centre():
    run, scope = trained("playground")
    rows = scope.path.rows()
    steps = SETUPS["playground"][1]
    assert rows["step"] == list(range(0, steps + 1, 20))
    assert (rows["a"][0], rows["b"][0], rows["off"][0]) == (0.0, 0.0, 0.0)
    plane = scope.compute_plane(run)
    path = scope.path_on(plane)
    assert path["alpha"][-1] == pytest.approx(0.0, abs=1e-6) and path["beta"][-1] == pytest.approx(0.0, abs=1e-6)
    # the weights moved: the distance from the plane grows from 0
    assert path["off"][-1] > 0


def test_path_memory_is_bounded():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run)
    for _ in range(3 * ls.PATH_CAP):
        scope.record(run)
    assert len(scope.path) < ls.PATH_CAP


# -- bounds -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("grid", [2, 30, 63, 1, "31"])
def test_bad_grid_refused(grid):
    with pytest.raises(ValueError, match="grid"):
        ls.Landscape(trained("playground")[0], grid=grid)


@pytest.mark.parametrize("points", [4, 1, 203, 2.0])
def test_bad_slice_points_refused(points):
    run, scope = trained("playground")
    with pytest.raises(ValueError, match="points"):
        scope.random_slice(run, points=points)
    with pytest.raises(ValueError, match="points"):
        scope.top_slice(run, points=points)


@pytest.mark.parametrize("span", [0.0, -1.0, float("nan"), float("inf"), True])
def test_bad_span_refused(span):
    run, scope = trained("playground")
    with pytest.raises(ValueError, match="span"):
        scope.random_slice(run, span=span)
    with pytest.raises(ValueError, match="span"):
        scope.top_slice(run, span=span)
    with pytest.raises(ValueError, match="span"):
        ls.Landscape(run, span=span)
    if span != float("inf"):  # work(max_seconds=inf) finishes whatever is due
        with pytest.raises(ValueError, match="max_seconds"):
            scope.work(run, max_seconds=span if span is not True else 0)


def test_too_many_parameters_refused(monkeypatch):
    run, _ = trained("playground")
    monkeypatch.setattr(ls, "MAX_PARAMS", 300)
    with pytest.raises(ValueError, match="354 parameters, above the loss-landscape limit of 300"):
        ls.Landscape(run)


def test_largest_panel_net_is_allowed_and_its_plane_shrinks():
    """6×128 with batch norm on the 64-pixel digits: the most parameters the panel allows."""
    run = Run(presets.BATCH_TIMING.with_(depth=6, width=128, batch_norm=True, hessian_every=0,
                                         eval_every=10_000))
    objective = ls.Objective(run)
    assert objective.n <= ls.MAX_PARAMS
    assert objective.bytes_per_point * objective.chunk <= ls.MEMORY_BUDGET
    assert objective.chunk == 1  # ~94 MFLOP a point: one point is a chunk's worth
    scope = ls.Landscape(run)
    # 31×31 would cost 90 GFLOP; the plane keeps the coarsest grid allowed and refreshes slower
    assert scope.grid ** 2 * objective.flops > ls.MAX_PLANE_FLOPS
    assert scope.grid == ls.MIN_GRID


def test_plane_shrinks_to_the_flop_budget(monkeypatch):
    run, _ = trained("edge_of_stability")
    flops = ls.Objective(run).flops
    monkeypatch.setattr(ls, "MAX_PLANE_FLOPS", 400 * flops)  # room for 20×20: the odd side is 19
    scope = ls.Landscape(run)
    assert scope.grid == 19
    assert scope.compute_plane(run).losses.shape == (19, 19)
    monkeypatch.setattr(ls, "MAX_PLANE_FLOPS", 10 * flops)  # room for 3×3: kept at MIN_GRID
    assert ls.Landscape(run).grid == ls.MIN_GRID


def test_diverged_weights_give_no_top_slice_and_nan_losses():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run)
    with torch.no_grad():
        run.params[0][0, 0] = float("nan")
    run.step += 1  # a new step, so the curvature is measured again (and fails)
    assert scope.top_slice(run) is None
    assert np.isnan(scope.random_slice(run).losses).all()


# -- the path's own plane ("pca") -------------------------------------------------------------------

PATH_UPDATES, PATH_EVERY = 600, 20


def path_run(seed):
    config, _ = SETUPS["playground"]
    run = Run(config.with_(seed=seed))
    scope = ls.Landscape(run, kinds=("top", "random", "plane", "pca"))
    for _ in range(PATH_UPDATES // PATH_EVERY):
        run.advance(PATH_EVERY)
        scope.record(run)
    return run, scope


@pytest.mark.parametrize("seed", range(3))
def test_random_plane_misses_the_path_and_the_pca_plane_holds_it(seed):
    """Li et al. section 7, on the Playground's default run: a random plane shows a few per cent
    of how far the weights moved; the plane of the path's two principal directions almost all."""
    run, scope = path_run(seed)
    a, b, off = scope.coordinates(flat_weights(run))
    assert math.hypot(a, b) < 0.1 * off
    assert scope.pca_basis(run)[2] > 0.9


def test_pca_plane_equals_direct_evaluation_and_holds_the_snapshots():
    run, scope = path_run(0)
    dirs, coords, explained, steps = scope.pca_basis(run)
    np.testing.assert_allclose((dirs @ dirs.T).numpy(), np.eye(2), atol=1e-9)
    snaps = torch.stack(scope.snapshots.rows()["weights"]).double()
    w = flat_weights(run).double()
    np.testing.assert_allclose(coords.numpy(), ((snaps - w) @ dirs.T).numpy(), atol=1e-9)
    assert coords[-1].abs().max() < 1e-9 and coords[0, 0] <= 0 and coords[0, 1] <= 0
    plane = scope.compute_pca(run)
    assert plane.kind == "pca" and scope.pca is plane and plane.explained == explained
    np.testing.assert_array_equal(plane.trail["step"], steps)
    assert plane.alphas[-1] == pytest.approx(1.25 * float(coords.abs().max()))
    for i, j in [(0, 0), (15, 15), (4, 22)]:
        at = w + float(plane.alphas[j]) * dirs[0] + float(plane.betas[i]) * dirs[1]
        assert plane.losses[i, j] == pytest.approx(direct_loss(run, at.float()), rel=1e-5, abs=1e-7)


def test_pca_plane_waits_for_a_path_and_snapshots_are_bounded():
    config, _ = SETUPS["playground"]
    run = Run(config)
    scope = ls.Landscape(run, kinds=("pca",))
    assert scope.compute_pca(run) is None and scope.work(run, max_seconds=60) == []
    for _ in range(3 * scope.snapshots.cap):
        run.advance(1)
        scope.record(run)
    assert len(scope.snapshots) < scope.snapshots.cap
    assert scope.snapshots.cap * 4 * flat_weights(run).numel() <= max(ls.SNAPSHOT_BYTES, 8 * 4 * 354)
    assert [r.kind for r in scope.work(run, max_seconds=60)] == ["pca"]
    assert ls.Landscape(run).snapshots is None  # no "pca": no snapshots


@pytest.mark.parametrize("kinds", [(), ("plane", "plane"), ("surface",)])
def test_bad_kinds_refused(kinds):
    with pytest.raises(ValueError, match="kinds"):
        ls.Landscape(trained("playground")[0], kinds=kinds)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "gelu", "linear"])
@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_every_activation_and_loss_batches(activation, loss):
    """vmap has a batching rule for everything the panel can build (softmax-MSE included)."""
    config, _ = SETUPS["playground"]
    run = Run(config.with_(activation=activation, loss=loss, depth=1, width=8, batch_norm=True))
    scope = ls.Landscape(run)
    batched, plain = scope.random_slice(run, points=5), scope.random_slice(run, points=5, batched=False)
    np.testing.assert_allclose(batched.losses, plain.losses, rtol=1e-5)
    assert batched.losses[2] == pytest.approx(direct_loss(run, flat_weights(run)), rel=1e-6)

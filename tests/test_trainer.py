"""The run: minibatches, same seed same numbers, divergence, bounded history, shared starts."""
import math

import pytest
import torch

from lib.engine import hessian
from lib.engine import sharpness as sh
from lib.engine.history import History
from lib.engine.settings import RunConfig
from lib.engine.trainer import LANCZOS_ITERS, Run, same_start

FAST = dict(n_samples=200, hessian_every=0)


def test_same_seed_same_history():
    a, b = Run(RunConfig(**FAST, seed=3)), Run(RunConfig(**FAST, seed=3))
    a.advance(60)
    b.advance(30)
    b.advance(30)  # advancing in pieces changes nothing
    assert a.history.rows() == b.history.rows()
    assert a.evals.rows() == b.evals.rows()
    c = Run(RunConfig(**FAST, seed=4))
    c.advance(60)
    assert c.history.rows()["loss"] != a.history.rows()["loss"]


def test_training_lowers_the_loss_and_records_each_update():
    run = Run(RunConfig(**FAST, optimizer="adam", lr=0.03))
    run.advance(300)
    rows = run.history.rows()
    assert rows["step"] == list(range(1, 301))
    assert rows["lr"][0] == 0.03
    ev = run.evals.rows()
    assert ev["train_loss"][-1] < 0.6 * ev["train_loss"][0]
    assert ev["test_acc"][-1] > 0.8


def test_epochs_and_minibatches_without_shuffle_follow_the_data_order():
    cfg = RunConfig(**FAST, batch_size=35, shuffle=False)  # 140 training points: 4 batches
    run = Run(cfg)
    batches = [run._next_batch()[0] for _ in range(5)]
    assert torch.equal(batches[0], run.data.x_train[:35])
    assert torch.equal(batches[4], batches[0])  # epoch 2 starts over in the same order
    shuffled = Run(cfg.with_(shuffle=True))
    first = [shuffled._next_batch()[0] for _ in range(8)]
    assert not torch.equal(first[0], first[4])  # reshuffled each epoch
    assert sorted(torch.cat(first[:4])[:, 0].tolist()) == sorted(run.data.x_train[:, 0].tolist())


def test_epoch_counter():
    run = Run(RunConfig(**FAST, batch_size=70))  # 140 points: two updates an epoch
    run.advance(5)
    assert run.epoch == 2
    assert run.history.rows()["epoch"] == [0.5, 1.0, 1.5, 2.0, 2.5]


def test_full_batch_gd_matches_a_hand_written_loop():
    cfg = RunConfig(**FAST, optimizer="sgd", lr=0.5, batch_size=140, loss="mse")
    run = Run(cfg)
    model = __import__("lib.engine.models", fromlist=["make_mlp"]).make_mlp(2, 2, seed=cfg.seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    from lib.engine.losses import softmax_mse
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = softmax_mse(model(run.data.x_train), run.data.y_train)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    run.advance(20)
    assert run.history.rows()["loss"] == pytest.approx(losses, rel=1e-6)


@pytest.mark.parametrize("lr", [100.0, 30.0])
def test_divergence_stops_with_a_reason_and_keeps_history(lr):
    run = Run(RunConfig(**FAST, optimizer="sgd", lr=lr, loss="ce", dataset="reg1d"))
    taken = run.advance(500)
    assert run.stopped in ("nan", "blow_up")
    assert taken < 500 and run.step == taken
    assert len(run.history.rows()["loss"]) == taken
    assert all(math.isfinite(x) for x in run.history.rows()["loss"])
    assert run.advance(10) == 0  # a stopped run stays stopped


def test_history_stays_bounded_and_spread():
    h = History(("step", "v"), cap=100)
    for i in range(1, 100_001):
        h.add(step=i, v=float(i))
    assert len(h) < 100
    steps = h.rows()["step"]
    assert steps[0] == 1 and steps[-1] == 100_000
    gaps = {b - a for a, b in zip(steps[:-2], steps[1:-1])}
    assert len(gaps) == 1  # evenly spread


def test_history_rows_for_a_chart_are_at_most_as_many_as_asked_and_only_grow():
    """History.rows(at_most=…): what a line chart gets. At most that many points, evenly spread
    from the first, and between the history's own halvings each call's rows extend the last
    call's (a live chart then sends only the new rows), except at the rare moments the
    thinning doubles."""
    h = History(("step", "v"), cap=2000)
    last, restarts = None, 0
    for i in range(1, 20_001):
        h.add(step=i, v=float(i))
        if i % 7:
            continue
        rows = h.rows("step", newest=False, at_most=500)["step"]
        assert 0 < len(rows) <= 500 and rows[0] == 1
        assert len({b - a for a, b in zip(rows, rows[1:])}) <= 1  # evenly spread
        if last is not None and rows[:len(last)] != last:
            restarts += 1
        last = rows
    assert len(h) > 500  # the history itself kept more than the chart got
    assert restarts <= 3 * 4  # per halving of the history (4 here): it and a doubling or two
    assert h.rows("step", newest=False, at_most=None)["step"] == h.rows("step", newest=False)["step"]


def test_history_rows_with_the_newest_point_end_at_it_under_any_thinning():
    """A still chart (paused, replay at the present) must end where the run is, even when the
    thinning to at most N points leaves the newest stored point out (it failed for every
    second update past 500 points, and the paused loss chart stopped short of the Step)."""
    h = History(("step", "v"), cap=2000)
    for i in range(1, 5_001):
        h.add(step=i, v=float(i))
        rows = h.rows("step", newest=True, at_most=500)["step"]
        assert rows[-1] == i, (i, rows[-3:])
        assert len(rows) <= 501 and rows == sorted(set(rows))


def test_hessian_measured_at_cadence():
    run = Run(RunConfig(n_samples=200, hessian_every=25, depth=1, width=8))
    run.advance(100)
    rows = run.curvature.rows()
    assert rows["step"] == [0, 25, 50, 75, 100]
    assert all(lo <= hi for lo, hi in zip(rows["lam_min"], rows["lam_max"]))
    nodes, weights = run.spectrum_nodes
    assert abs(sum(weights) - 1) < 1e-6


def test_a_live_panel_trains_without_the_cadences_cold_measurements():
    """advance(spectra=False): the same updates, no density or λ rows in between (the panel
    measures at its frames instead); the weights do not depend on it."""
    cfg = RunConfig(n_samples=200, hessian_every=25, depth=1, width=8)
    live, batch = Run(cfg), Run(cfg)
    live.advance(100, spectra=False)
    batch.advance(100)
    assert live.curvature.rows()["step"] == [0] and live.densities.rows()["step"] == [0]
    assert batch.densities.rows()["step"] == [0, 25, 50, 75, 100]
    assert live.history.rows()["loss"] == batch.history.rows()["loss"]
    assert all(torch.equal(a, b) for a, b in zip(live.params, batch.params))


def full_batch(**kw) -> RunConfig:
    cfg = RunConfig(**{**FAST, **kw})
    return cfg.with_(batch_size=cfg.n_train)


def dense(run):
    closure = run.hessian_closure()
    return torch.linalg.eigvalsh(hessian.hessian_matrix(closure, run.params))


def test_curvature_every_frame_is_warm_and_matches_the_exact_spectrum():
    run = Run(full_batch(optimizer="sgd", lr=0.5))
    rows = [run.measure_curvature()]
    assert run.measure_curvature() is rows[0] and len(run.curvature) == 1  # same step: no new row
    cold = []
    for i in range(6):
        run.advance(5)
        rows.append(run.measure_curvature())
        cold.append(hessian.CurvatureTracker(seed=100 + i).measure(run.hessian_closure(), run.params)[2])
    assert [r["step"] for r in rows] == [0, 5, 10, 15, 20, 25, 30]
    # warm starts: fewer products than cold starts at the same weights
    assert sum(r["hvps"] for r in rows[1:]) < 0.9 * sum(cold)
    ev = dense(run)
    tol = 1e-4 * ev.abs().max().item()
    assert abs(rows[-1]["lam_min"] - ev[0].item()) <= tol
    assert abs(rows[-1]["lam_max"] - ev[-1].item()) <= tol


def test_sharpness_meter_for_full_batch_gd_reuses_lambda_max():
    run = Run(full_batch(optimizer="sgd", lr=0.5))
    run.advance(3)
    row = run.measure_curvature()
    assert run.sharpness.rule == "gd" and run.sharpness.reason is None
    assert row["sharpness"] == row["lam_max"] and row["threshold"] == pytest.approx(2 / 0.5)
    assert run.sharpness.ratio == pytest.approx(row["lam_max"] / 4)


def test_sharpness_meter_for_full_batch_adam_is_preconditioned():
    run = Run(full_batch(optimizer="adam", lr=0.01, depth=1, width=8))
    assert run.measure_curvature()["sharpness"] is None  # before the first step: no P yet
    assert run.sharpness.reason == "no_state"
    run.advance(20)
    row = run.measure_curvature()
    H = hessian.hessian_matrix(run.hessian_closure(), run.params)
    P = sh.preconditioner(run.optimizer, run.params)
    exact = torch.linalg.eigvals(H / P[:, None]).real.max().item()
    assert run.sharpness.rule == "adam"
    assert row["sharpness"] == pytest.approx(exact, rel=1e-4)
    assert row["threshold"] == pytest.approx(38 / 0.01)


def test_minibatch_runs_have_no_stability_threshold():
    run = Run(RunConfig(**FAST, optimizer="sgd", lr=0.1, batch_size=16))
    row = run.measure_curvature()
    assert (run.sharpness.rule, run.sharpness.reason) == (None, "minibatch")
    assert row["sharpness"] is None and row["threshold"] is None


def test_cold_measurement_restores_ends_a_cut_short_warm_start_missed():
    run = Run(RunConfig(**FAST))
    run.tracker.max_iters = 2  # far too few products to reach the ends
    ev = dense(run)
    tol = 1e-4 * ev.abs().max().item()
    warm = run.measure_curvature()
    assert warm["lam_max"] < ev[-1].item() - 10 * tol and warm["lam_min"] > ev[0].item() + 10 * tol
    # one cold Krylov run: the density from its first steps, then on until both ends are certified
    row = run.measure_hessian()
    assert abs(row["lam_max"] - ev[-1].item()) <= tol and abs(row["lam_min"] - ev[0].item()) <= tol
    assert row["hvps"] >= LANCZOS_ITERS and abs(sum(run.spectrum_nodes[1]) - 1) < 1e-6
    assert run.tracker.last == (row["lam_min"], row["lam_max"])  # the next warm start begins there


def test_hessian_measurement_leaves_batch_norm_statistics_alone():
    run = Run(RunConfig(n_samples=200, hessian_every=0, batch_norm=True))
    run.advance(5)
    before = {k: v.clone() for k, v in run.model.state_dict().items()}
    run.measure_hessian()
    after = run.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_compared_runs_share_data_and_initial_weights():
    base = RunConfig(**FAST)
    configs = [base.with_(optimizer=o) for o in ("sgd", "adam")] + [
        base.with_(batch_norm=True), base.with_(batch_size=1), base.with_(loss="mse")]
    runs = same_start(configs)
    assert all(r.data is runs[0].data for r in runs)
    w0 = runs[0].model[0].weight
    for r in runs[1:]:
        assert torch.equal(r.model[0].weight, w0)
    runs[0].advance(5)
    assert not torch.equal(runs[0].model[0].weight, runs[1].model[0].weight)


def test_compared_runs_must_share_data_settings():
    with pytest.raises(ValueError, match="noise"):
        same_start([RunConfig(**FAST), RunConfig(**FAST, noise=0.5)])


def test_batch_norm_never_sees_a_batch_of_one():
    run = Run(RunConfig(**FAST, batch_norm=True, batch_size=139))  # 140 points: leftover of 1
    assert run.advance(6) == 6 and run.stopped is None


def test_runs_on_given_data_check_the_batch_against_it():
    from lib.engine.upload import read_csv
    rows = "\n".join(f"{i / 10},{(i / 10) ** 2}" for i in range(30))
    data = read_csv(("x,y\n" + rows).encode(), test_fraction=0.3)  # 21 training points
    runs = same_start([RunConfig(batch_size=8, hessian_every=0)], data=data)
    assert runs[0].data is data and runs[0].model[0].in_features == 1
    assert runs[0].advance(5) == 5
    with pytest.raises(ValueError, match="batch_size.*21"):
        same_start([RunConfig(batch_size=32, hessian_every=0)], data=data)


def test_recorded_gradient_norm_is_the_full_gradient_norm():
    cfg = RunConfig(**FAST, batch_size=140, shuffle=False)
    run = Run(cfg)
    model = __import__("lib.engine.models", fromlist=["make_mlp"]).make_mlp(2, 2, seed=cfg.seed)
    loss = torch.nn.functional.cross_entropy(model(run.data.x_train), run.data.y_train)
    loss.backward()
    expected = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
    run.advance(1)
    assert run.history.rows()["grad_norm"][0] == pytest.approx(expected, rel=1e-5)
    assert run.history.rows()["loss"][0] == pytest.approx(loss.item(), rel=1e-6)

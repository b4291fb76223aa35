"""Softmax + MSE against softmax + cross-entropy: surfaces, gradients, a bad start; and the page."""
import pytest
import torch
import torch.nn.functional as F

from lib.lecture import class_loss as cl
from lib.engine.losses import softmax_mse
from lib.engine.settings import RunConfig
from lib.engine.trainer import same_start

from chart_data import charts
from test_app_pages import metric, open_page


def test_losses_agree_with_torch_and_with_the_training_loss():
    z = torch.randn(50, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 4
    target = torch.zeros(50, dtype=torch.long)
    assert torch.allclose(cl.cross_entropy(z), F.cross_entropy(z, target, reduction="none"))
    assert torch.allclose(cl.mse(z).mean(), softmax_mse(z, target))


def test_surface_is_the_loss_at_each_grid_point():
    g1, g2, loss = cl.surface("mse", y3=1.5, steps=9)
    i, j = 2, 7  # row = y2 index, column = y1 index
    z = torch.tensor([float(g1[j]), float(g2[i]), 1.5], dtype=torch.float64)
    assert float(loss[i, j]) == pytest.approx(float(cl.mse(z)))


@pytest.mark.parametrize("point", [(-6.0, 6.0, 0.0), (1.0, -2.0, 0.5), (0.0, 0.0, 0.0)])
def test_gradients_match_the_closed_forms(point):
    y1, y2, y3 = point
    z = torch.tensor([y1, y2, y3], dtype=torch.float64)
    p = torch.softmax(z, 0)
    one_hot = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    ce = p - one_hot                                   # ∂CE/∂z = softmax − ŷ
    jac = torch.diag(p) - torch.outer(p, p)            # ∂softmax/∂z
    mse = jac @ (2 * (p - one_hot))                    # chain rule through softmax
    assert torch.allclose(cl.gradient("ce", y1, y2, y3), ce[:2])
    assert torch.allclose(cl.gradient("mse", y1, y2, y3), mse[:2])


def test_at_the_lectures_bad_start_mse_gradient_is_far_smaller():
    g_mse = cl.gradient("mse", *cl.BAD_START).norm()
    g_ce = cl.gradient("ce", *cl.BAD_START).norm()
    assert g_ce > 1.0 and g_mse < 0.01 * g_ce


def test_mse_is_flat_where_the_loss_is_large_and_ce_still_slopes():
    for y1, y2 in [(-8.0, 8.0), (-6.0, 7.0), (-3.0, 8.0)]:   # confidently wrong: y2 ≫ y1
        z = torch.tensor([y1, y2, 0.0], dtype=torch.float64)
        assert float(cl.mse(z)) > 1.9                        # near MSE's maximum of 2
        assert cl.gradient("mse", y1, y2).norm() < 0.01
        assert cl.gradient("ce", y1, y2).norm() > 0.99


def test_descent_from_the_bad_start_mse_stalls_ce_moves():
    pts_m, loss_m, norm_m = cl.descend("mse", steps=60)
    pts_c, loss_c, norm_c = cl.descend("ce", steps=60)
    assert len(pts_m) == len(loss_m) == 61
    assert (pts_m[-1] - pts_m[0]).norm() < 0.5 < (pts_c[-1] - pts_c[0]).norm()
    assert loss_c[-1] < 0.1 < loss_m[-1]
    assert max(norm_m) < min(norm_c[:5])


def test_bad_start_scales_the_logits_and_remeasures():
    cfg = RunConfig(dataset="spiral", depth=2, width=8, loss="mse", hessian_every=0, n_samples=100)
    plain, bad = same_start([cfg, cfg])
    cl.bad_start_run(bad, 30)
    x = plain.data.x_train
    with torch.no_grad():
        assert torch.allclose(bad.model(x), 30 * plain.model(x), atol=1e-4)
        assert bad.evals.rows()["train_loss"] == [pytest.approx(float(softmax_mse(bad.model(x), plain.data.y_train)))]
    bad.advance(1)
    with pytest.raises(ValueError):
        cl.bad_start_run(bad, 2)


def test_network_from_a_bad_start_mse_gradient_far_smaller():
    cfg = RunConfig(dataset="spiral", depth=2, width=16, optimizer="sgd", lr=0.5, hessian_every=0)
    mse_run, ce_run = same_start([cfg.with_(loss="mse"), cfg.with_(loss="ce")])
    for run in (mse_run, ce_run):
        cl.bad_start_run(run, 30)
        run.advance(1)
    assert mse_run.history.last["grad_norm"] < 0.1 * ce_run.history.last["grad_norm"]


def test_page_compares_losses_from_one_bad_start():
    at = open_page("pages/07_classification_loss.py")
    assert not at.exception
    state = at.session_state["classification_loss:panel"]
    assert [r.config.loss for r in state.runs] == ["mse", "ce"]
    assert all(r.head_scale == 30 for r in state.runs)
    assert torch.equal(state.runs[0].model[-1].weight, state.runs[1].model[-1].weight)
    grads = [m.value for m in at.metric if m.label == "Gradient norm at the start"]
    assert float(grads[0]) < 0.01 * float(grads[1])
    next(b for b in at.button if b.label == "Step").click().run()
    assert metric(at, "Step") == "1" and not at.exception
    shown = charts(at)
    live = shown["classification_loss:net_grad"]["data"]        # the panel's frame drew the norms
    for i, run in enumerate(state.runs):
        assert live[f"run{i}"]["y"] == [pytest.approx(run.history.last["grad_norm"], rel=1e-5)]
    assert live["run0"]["y"][0] < 0.1 * live["run1"]["y"][0]      # MSE's far smaller from the bad start
    for name in cl.LOSS_NAMES:   # section 1 draws the page's own descent, as many steps as asked
        points, losses, _ = cl.descend(name, cl.BAD_START, 0.0, cl.STEP_SIZE, cl.STEPS)
        path = shown[f"classification_loss:surface_{name}"]["data"]["path0"]
        assert len(path["x"]) == cl.STEPS + 1
        assert path["x"][-1] == pytest.approx(float(points[-1, 0]), rel=1e-5)
        assert shown["classification_loss:steps_loss"]["data"][name]["y"][-1] == pytest.approx(losses[-1], rel=1e-5)
    at.slider(key="classification_loss:head_scale").set_value(1).run()
    state = at.session_state["classification_loss:panel"]
    assert metric(at, "Step") == "0" and all(r.head_scale == 1 for r in state.runs)

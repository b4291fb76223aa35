"""What the momentum page and its lesson tell a student, checked on the page's own setup: the
surface, start and sliders of lib.lecture.momentum, the panel's preset (lib.lecture.presets) with the comparison
its lesson step applies (ui.lessons)."""
from functools import lru_cache

import numpy as np
import pytest
import torch

from claims import claim
from lib.lecture import momentum as mo
from lib.lecture import presets
from lib.engine.trainer import same_start
from ui.lessons import LESSONS

SEEDS = range(5)
LR, LAM, W1 = mo.LR[0], mo.LAM[0], mo.W1[0]   # the sliders' defaults: what the page opens with


def pair(lr, lam, w1):
    """The page's two paths on the 2-D surface: (GD, GD + momentum) from one start."""
    start = (w1, mo.W2_START)
    return (mo.descend(mo.surface, start, lr, 0.0, mo.STEPS),
            mo.descend(mo.surface, start, lr, lam, mo.STEPS))


# -- 1. rolling through a local minimum -----------------------------------------------------------
@claim("momentum", 1)
@claim("momentum", sentence="mom.verdict.through")
@claim("momentum", sentence="mom.intro")
def test_gd_stops_in_the_local_minimum_and_momentum_rolls_through_it():
    crit = mo.critical_points()
    gd, gdm = pair(LR, LAM, W1)
    assert mo.verdict(gd, gdm) == "through"
    # GD: zero gradient at the local minimum, whose loss is not the lowest
    assert np.linalg.norm(gd.grads[-1]) < 1e-6
    assert gd.theta[-1] == pytest.approx([crit["local"], 0.0], abs=1e-3)
    # momentum: past the bump, settled in the deeper minimum, far lower loss
    assert gdm.theta[-1] == pytest.approx([crit["global"], 0.0], abs=1e-2)
    assert gdm.losses[-1] < gd.losses[-1] - 0.5


@claim("momentum", sentence="mom.s1_text")
def test_the_curve_has_a_shallow_local_minimum_a_bump_and_a_deeper_minimum():
    crit = mo.critical_points()
    assert crit["local"] < crit["bump"] < crit["global"]
    x = torch.tensor([crit["local"], crit["bump"], crit["global"]], dtype=torch.float64,
                     requires_grad=True)
    loss = mo.curve(x)
    (g,) = torch.autograd.grad(loss.sum(), x)
    (h,) = torch.autograd.grad(torch.autograd.grad(mo.curve(x).sum(), x, create_graph=True)[0].sum(), x)
    assert g.abs().max() < 1e-6
    assert h[0] > 0 and h[1] < 0 and h[2] > 0                       # min, max, min
    local, bump, best = loss.tolist()
    assert bump - local < 0.05 and local - best > 0.5                # shallow vs much deeper
    # the 2-D surface's cut along w2 = 0 is the curve, and w2 only adds ½·w2²
    w = torch.tensor([[crit["local"], 0.0], [crit["global"], 0.7]], dtype=torch.float64)
    np.testing.assert_allclose(mo.surface(w), [local, best + 0.5 * 0.49], rtol=1e-12)
    # past the bump a gentle slope (to w1 = 1) before the steep fall into the deeper minimum;
    # the slope down into the local minimum is steep as well
    def slopes(lo, hi):
        xs = torch.linspace(lo, hi, 200, dtype=torch.float64, requires_grad=True)
        return torch.autograd.grad(mo.curve(xs).sum(), xs)[0]
    gentle = slopes(crit["bump"] + 0.3, 1.0)
    assert gentle.max() < 0 and gentle.abs().max() < 0.25
    assert slopes(1.0, crit["global"]).abs().max() > 0.5
    assert slopes(mo.W1[1], crit["local"]).abs().max() > 0.5


@claim("momentum", sentence="mom.verdict.both_stuck")
@claim("momentum", sentence="mom.verdict.no_lam")
@pytest.mark.parametrize("lr,w1", [(LR, W1), (0.05, -4.0), (LR, -1.0)])
def test_when_both_stop_the_suggested_lambda_rolls_through_and_a_smaller_one_does_not(lr, w1):
    gd, gdm = pair(lr, 0.0, w1)          # λ = 0: both are plain GD
    assert mo.verdict(gd, gdm) == "both_stuck"
    assert gd.theta[-1, 0] == pytest.approx(mo.critical_points()["local"], abs=1e-3)
    better = mo.smallest_lam_through(lr, w1, 0.0)
    if w1 == -1.0:   # starting inside the local minimum's bowl, no λ gets out
        assert better is None
        assert all(mo.in_local_basin(pair(lr, lam, w1)[1].theta[-1, 0]) for lam in (0.5, 0.9, mo.LAM[2]))
        return
    assert better is not None
    assert mo.verdict(*pair(lr, better, w1)) == "through"
    below = round(better - mo.LAM[3], 2)
    assert mo.in_local_basin(pair(lr, below, w1)[1].theta[-1, 0])


# -- 2. m is a weighted sum of past gradients -----------------------------------------------------
@claim("momentum", 2)
@claim("momentum", sentence="mom.s2_text")
@claim("momentum", sentence="mom.sum")
def test_m_weighs_older_gradients_less_and_lambda_zero_is_plain_gd():
    gd, gdm = pair(LR, LAM, W1)
    for i in (1, 5, 30, mo.STEPS):
        w = -mo.weights(i, LR, LAM)                 # ηλ^(i−k−1), k = 0 … i−1
        assert np.all(np.diff(w) > 0) and w[-1] == pytest.approx(LR)   # older: smaller
        np.testing.assert_allclose(mo.terms(gdm, i, LR, LAM).sum(0), mo.movement(gdm, i),
                                   rtol=1e-9, atol=1e-15)
    # λ = 0 leaves only the current gradient: the momentum path is gradient descent's
    plain = mo.descend(mo.surface, (W1, mo.W2_START), LR, 0.0, mo.STEPS)
    np.testing.assert_array_equal(plain.theta, gd.theta)
    np.testing.assert_allclose(plain.theta[1:] - plain.theta[:-1], -LR * plain.grads, atol=1e-15)
    assert np.all(mo.terms(plain, 10, LR, 0.0)[:-1] == 0)


# -- how torch.optim writes the same rule -----------------------------------------------------------
@claim("momentum", sentence="mom.torch")
def test_torch_buffer_is_minus_m_over_eta_and_the_paths_part_only_when_eta_changes():
    start = (W1, mo.W2_START)
    path = mo.descend(mo.surface, start, LR, LAM, 100)
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=LR, momentum=LAM)
    for i in range(1, 101):
        opt.zero_grad()
        mo.surface(p).backward()
        opt.step()
        buffer = opt.state[p]["momentum_buffer"].numpy()
        np.testing.assert_allclose(mo.movement(path, i), -LR * buffer, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(path.theta[i], p.detach().numpy(), rtol=1e-9, atol=1e-13)
    # η halved after 20 updates: the lecture's m keeps λ·m (old gradients at the old η), torch
    # multiplies its whole buffer by the new η: λ·(η_new/η_old)·m
    change, eta_new = 20, LR / 2
    theta, m = torch.tensor(start, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=LR, momentum=LAM)
    for i in range(60):
        eta = LR if i < change else eta_new
        q = theta.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(mo.surface(q), q)
        before, m_before = p.detach().clone(), m
        m = LAM * m - eta * g
        theta = theta + m
        opt.param_groups[0]["lr"] = eta
        opt.zero_grad()
        mo.surface(p).backward()
        opt.step()
        if i < change:
            np.testing.assert_allclose(theta.numpy(), p.detach().numpy(), rtol=1e-12)
        if i == change:
            torch_step = (p.detach() - before).numpy()
            np.testing.assert_allclose(torch_step, (LAM * eta_new / LR * m_before - eta_new * g).numpy(),
                                       rtol=1e-9)
            assert np.abs(torch_step - m.numpy()).max() > 1e-4
    assert np.abs(theta.numpy() - p.detach().numpy()).max() > 1e-3


# -- 3. SGD vs SGD with momentum on the panel's network --------------------------------------------
def panel_runs(seed: int, **change):
    """The panel as lesson step 3 sets it up: the page's preset and its comparison of optimizers."""
    step = LESSONS["momentum"].steps[2]
    field, values = step.compare
    cfg = presets.MOMENTUM_NET.with_(**step.panel, **change, seed=seed)
    return dict(zip(values, same_start([cfg.with_(**{field: v}) for v in values])))


@lru_cache(maxsize=None)
def losses(seed: int, n: int = 300):
    runs = panel_runs(seed)
    for run in runs.values():
        run.advance(n)
    return {name: np.asarray(run.history.rows()["loss"]) for name, run in runs.items()}


@claim("momentum", 3)
@pytest.mark.parametrize("seed", SEEDS)
def test_sgdm_loss_falls_faster_than_sgd_with_the_same_learning_rate(seed):
    loss = losses(seed)
    assert set(loss) == {"sgd", "sgdm"} and len(loss["sgd"]) == len(loss["sgdm"]) == 300
    assert presets.MOMENTUM_NET.lr == panel_runs(seed)["sgdm"].config.lr   # the same η
    # minibatch losses jump: compare means over windows of updates
    for a, b in ((100, 200), (200, 300)):
        assert loss["sgdm"][a:b].mean() < 0.6 * loss["sgd"][a:b].mean(), (a, b)


@claim("momentum", sentence="mom.s3_text")
def test_only_the_optimizer_differs_between_the_panels_two_runs():
    # with momentum 0, SGDM is SGD: identical losses prove the same weights, data and batches
    runs = panel_runs(0, momentum=0.0)
    for run in runs.values():
        run.advance(60)
    a, b = (np.asarray(r.history.rows()["loss"]) for r in runs.values())
    np.testing.assert_array_equal(a, b)

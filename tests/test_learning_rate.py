"""lib.lecture.surface_runs against hand-computed updates and torch.optim; the learning-rate page."""
import math

import numpy as np
import pytest
import torch

from lib.lecture import surface_runs as sr
from lib.engine.models import elongated_valley
from lib.engine.optim import schedule_lr
from lib.lecture.surface_runs import START, SurfaceRun, log_cosh, valley
from chart_data import charts
from test_app_pages import open_page

A, B = 0.05, 2.0  # elongated_valley's curvatures: ∇L = (a·w1, b·w2); the rules are checked on it


def grad(w):
    return np.array([A * w[0], B * w[1]])


def test_gd_first_steps_by_hand():
    run = SurfaceRun("gd", elongated_valley, START, lr=0.3)
    run.advance(2)
    w0 = np.array(START)
    w1 = w0 - 0.3 * grad(w0)
    w2 = w1 - 0.3 * grad(w1)
    np.testing.assert_allclose(run.path[1], w1)
    np.testing.assert_allclose(run.path[2], w2)
    np.testing.assert_allclose(run.sigmas[0], [1, 1])


def test_adagrad_is_the_lectures_root_mean_square():
    run = SurfaceRun("adagrad", elongated_valley, START, lr=0.1, eps=0.0)
    run.advance(2)
    w0 = np.array(START)
    g0 = grad(w0)
    w1 = w0 - 0.1 / np.abs(g0) * g0          # σ⁰ = |g⁰|: the first step is η in each direction
    g1 = grad(w1)
    sigma1 = np.sqrt((g0 ** 2 + g1 ** 2) / 2)
    w2 = w1 - 0.1 / sigma1 * g1
    np.testing.assert_allclose(run.path[1], w1)
    np.testing.assert_allclose(run.sigmas[1], sigma1)
    np.testing.assert_allclose(run.path[2], w2)
    np.testing.assert_allclose(run.steps[1], 0.1 / sigma1)


def test_rmsprop_first_steps_by_hand():
    alpha = 0.7
    run = SurfaceRun("rmsprop", elongated_valley, START, lr=0.1, alpha=alpha, eps=0.0)
    run.advance(2)
    w0 = np.array(START)
    g0 = grad(w0)
    w1 = w0 - 0.1 * np.sign(g0)
    g1 = grad(w1)
    sigma1 = np.sqrt(alpha * g0 ** 2 + (1 - alpha) * g1 ** 2)
    np.testing.assert_allclose(run.path[2], w1 - 0.1 / sigma1 * g1)


@pytest.mark.parametrize("rule,make", [
    ("adam", lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.9, 0.999), eps=1e-8)),
    ("gd", lambda p, lr: torch.optim.SGD(p, lr=lr)),
])
def test_matches_torch_optim(rule, make):
    run = SurfaceRun(rule, elongated_valley, START, lr=0.05)
    run.advance(30)
    w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([w], 0.05)
    for _ in range(30):
        opt.zero_grad()
        elongated_valley(w).backward()
        opt.step()
    np.testing.assert_allclose(run.path[-1], w.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_valley_is_exact_near_its_floor_and_finite_far_up_its_walls():
    w2 = torch.tensor([0.0, 1e-30, 1e-8, 0.3, -0.6, 9.0, 11.0, -50.0, 1e4], dtype=torch.float64)
    w = torch.stack([torch.full_like(w2, -1.8), w2], -1).requires_grad_(True)
    loss = valley(w)
    (g,) = torch.autograd.grad(loss.sum(), w)
    k = sr.K
    np.testing.assert_allclose(g[:, 1], B / k * torch.tanh(k * w2), rtol=1e-12, atol=0)
    np.testing.assert_allclose(g[:, 0], sr.A * -1.8, rtol=1e-12)
    # near the floor the quadratic ½·B·w2², to the last digit even at 1e-30
    np.testing.assert_allclose(log_cosh(k * w2[:3]) * B / k ** 2, 0.5 * B * w2[:3] ** 2, rtol=1e-12)
    np.testing.assert_allclose(log_cosh(w2[3:7]), torch.log(torch.cosh(w2[3:7])), rtol=1e-12)
    assert torch.isfinite(loss).all() and torch.isfinite(g).all()


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="lr"):
        SurfaceRun("gd", elongated_valley, START, lr=0)
    with pytest.raises(ValueError, match="rule"):
        SurfaceRun("lion", elongated_valley, START, lr=0.1)


def test_transformer_schedule_peaks_at_warmup():
    lrs = [schedule_lr("transformer", t, 1.0, warmup=50, d_model=64) for t in range(1, 200)]
    assert int(np.argmax(lrs)) + 1 == 50
    assert math.isclose(max(lrs), 64 ** -0.5 * 50 ** -0.5)


# -- the page -----------------------------------------------------------------------------------
PAGE = "pages/05_learning_rate.py"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_charts(lang):
    """Every chart is a LiveChart with the page's data: the valley's heat map, the four runs'
    paths (one point each before the first update), the burst pair and the schedules."""
    at = open_page(PAGE, lang=lang)
    assert not at.exception, at.exception
    shown = charts(at)
    assert {"lr_page:path", "lr_page:loss", "lr_page:grad", "lr_page:sigma", "lr_page:eff",
            "lr_page:burst_w2", "lr_page:burst_eff", "lr_page:schedules", "lr_page:first"} <= set(shown)
    path = shown["lr_page:path"]["data"]
    assert len(path["grid"]["z"]) > 100 and [len(path[f"path{i}"]["x"]) for i in range(4)] == [1] * 4
    assert path["path0"]["x"][0] == pytest.approx(sr.START[0])
    assert len(shown["lr_page:burst_w2"]["data"]["fixed"]["y"]) == sr.LIMIT + 1
    assert set(shown["lr_page:schedules"]["data"]) == set(sr.schedule_curves())


def test_surface_step_moves_every_optimizer_and_panel_starts_with_warmup_comparison():
    at = open_page(PAGE)
    sims = at.session_state["lr_sim:runs"]
    assert all(r.t == 0 for r in sims.values())
    assert sims["gd"].lr == sr.GD_LR and sims["gd"].fn is valley
    next(b for b in at.button if b.key == "lr_surface:step").click().run()
    assert all(r.t == 1 for r in sims.values()), {k: r.t for k, r in sims.items()}
    path = charts(at)["lr_page:path"]["data"]
    assert [len(path[f"path{i}"]["x"]) for i in range(4)] == [2] * 4   # each path drawn to its step
    assert path["path0"]["x"][1] == pytest.approx(sims["gd"].path[1][0])
    state = at.session_state["lr:panel"]
    assert [r.config.schedule for r in state.runs] == ["constant", "warmup_linear"]
    assert torch.equal(state.runs[0].model[0].weight, state.runs[1].model[0].weight)
    assert not at.exception


def test_caption_quotes_the_numbers_of_the_run():
    at = open_page(PAGE, lang="en")
    quoted = sr.fixed_lr_readout()
    caption = next(c.value for c in at.caption if "Watch gradient descent" in c.value)
    assert f"the loss stays at {quoted['loss']:.3f}" in caption
    assert f"never drops below {quoted['g']:.2f}" in caption
    assert f"only {quoted['share']:.0%} of the way" in caption
    found = next(i.value for i in at.info if "jumps" in i.value)
    t_burst, size = sr.sideways_burst(sr.adagrad_pair()[False])
    assert f"at update {t_burst}," in found and f"{size:.3g}" in found


def test_page_shows_the_rules_it_simulates_and_how_torch_writes_them():
    at = open_page(PAGE, lang="en")
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "RMSProp: $\\sigma_i^0=|g_i^0|$" in text          # the simulation starts σ at |g⁰|
    assert "\\sigma_i^t=\\sqrt{\\frac{1}{t+1}\\sum_{k=0}^{t}(g_i^k)^2}" in text   # the mean form
    assert "`torch.optim.Adagrad` divides by the root of the **sum**" in text
    assert "`torch.optim.RMSprop` starts its average at 0" in text

"""lib.surface_runs against hand-computed updates and torch.optim; the learning-rate page."""
import math

import numpy as np
import pytest
import torch

from lib.models import elongated_valley
from lib.optim import schedule_lr
from lib.surface_runs import SurfaceRun, sideways_burst
from test_app_pages import open_page

A, B = 0.05, 2.0  # elongated_valley's curvatures: ∇L = (a·w1, b·w2)
START = (-1.8, 0.6)


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


def test_fixed_lr_bounces_while_loss_stalls():
    # η·b > 2 on the steep axis: w2 flips sign each update and grows, the gradient stays large
    run = SurfaceRun("gd", elongated_valley, START, lr=1.05)
    run.advance(40)
    w2 = np.asarray(run.path)[:, 1]
    assert np.all(np.sign(w2[1:]) == -np.sign(w2[:-1]))
    assert run.grad_norms()[-1] > run.grad_norms()[0]
    # a small η crawls: after 40 updates the flat axis has barely moved
    slow = SurfaceRun("gd", elongated_valley, START, lr=0.05)
    slow.advance(40)
    assert abs(slow.path[-1][0] - START[0]) < 0.2 * abs(START[0])


def test_adagrad_late_burst_and_its_cure_by_decay():
    plain = SurfaceRun("adagrad", elongated_valley, START, lr=0.1)
    plain.advance(3000)
    early = np.abs(np.diff(np.asarray(plain.path)[:50, 1])).max()
    t, size = sideways_burst(plain)
    assert t > 300 and size > 5 * early        # a sideways jump long after w2 had settled
    # just before the burst, σ₂ had shrunk so far that η/σ₂ exceeded 2/b (unstable on that axis)
    assert plain.steps[t - 2][1] > 2 / B
    decayed = SurfaceRun("adagrad", elongated_valley, START, lr=0.1, decay=True)
    decayed.advance(3000)
    assert sideways_burst(decayed)[1] < early


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
    at = open_page(PAGE, lang=lang)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) >= 6


def test_surface_step_moves_every_optimizer_and_panel_starts_with_warmup_comparison():
    at = open_page(PAGE)
    sims = at.session_state["lr_sim:runs"]
    assert all(r.t == 0 for r in sims.values())
    next(b for b in at.button if b.key == "lr_surface:step").click().run()
    assert all(r.t == 1 for r in sims.values()), {k: r.t for k, r in sims.items()}
    state = at.session_state["lr:panel"]
    assert [r.config.schedule for r in state.runs] == ["constant", "warmup_linear"]
    assert torch.equal(state.runs[0].model[0].weight, state.runs[1].model[0].weight)
    assert not at.exception

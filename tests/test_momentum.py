"""Momentum physics (lib.lecture.momentum) and the Momentum page."""
import numpy as np
import pytest
import torch

from lib.lecture import momentum as mo
from test_app_pages import open_page


def torch_path(fn, start, lr, lam, steps):
    """The same descent by torch.optim.SGD (momentum=λ, dampening 0): an independent reference."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr, momentum=lam)
    out = [p.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        fn(p).backward()
        opt.step()
        out.append(p.detach().clone())
    return torch.stack(out).numpy()


@pytest.mark.parametrize("lam", [0.0, 0.5, 0.9])
def test_descent_matches_torch_sgd_with_momentum(lam):
    path = mo.descend(mo.surface, (-3.0, 1.0), 0.1, lam, 120)
    np.testing.assert_allclose(path.theta, torch_path(mo.surface, (-3.0, 1.0), 0.1, lam, 120),
                               rtol=1e-9, atol=1e-12)


def test_m_is_the_weighted_sum_of_past_gradients():
    lr, lam = 0.1, 0.8
    path = mo.descend(mo.surface, (-3.0, 1.0), lr, lam, 60)
    for i in (1, 2, 7, 30, 60):
        parts = mo.terms(path, i, lr, lam)
        np.testing.assert_allclose(parts.sum(0), mo.movement(path, i), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(path.theta[i] - path.theta[i - 1], mo.movement(path, i), atol=1e-12)
    w = mo.weights(4, lr, lam)
    np.testing.assert_allclose(w, [-lr * lam ** 3, -lr * lam ** 2, -lr * lam, -lr])


def test_lambda_zero_is_plain_gradient_descent():
    lr = 0.2
    path = mo.descend(mo.curve, (-3.0,), lr, 0.0, 50)
    x = torch.tensor([-3.0], dtype=torch.float64)
    for i in range(50):
        p = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(mo.curve(p).sum(), p)
        x = x - lr * g
        np.testing.assert_allclose(path.theta[i + 1], x.numpy(), atol=1e-12)
    np.testing.assert_allclose(mo.terms(path, 10, lr, 0.0)[:-1], 0.0)  # only g^(i−1) counts


def test_momentum_rolls_through_the_local_minimum_where_gd_stops():
    gd = mo.descend(mo.surface, (-3.0, 1.0), 0.1, 0.0, 400)
    mom = mo.descend(mo.surface, (-3.0, 1.0), 0.1, 0.9, 400)
    # GD ends where the gradient vanishes but the loss is not the lowest: a local minimum
    g = np.linalg.norm(gd.grads[-1])
    assert g < 1e-6 and -2 < gd.theta[-1, 0] < -1
    assert mom.theta[-1, 0] > 2 and mom.losses[-1] < gd.losses[-1] - 0.5


def test_divergence_stops_the_path_and_bad_input_is_refused():
    path = mo.descend(lambda w: (w ** 2).sum(-1), (1.0, 1.0), 5.0, 0.0, 500)
    assert path.diverged and path.steps < 500 and np.isfinite(path.theta).all()
    with pytest.raises(ValueError, match="momentum"):
        mo.descend(mo.surface, (0.0, 0.0), 0.1, 1.0, 10)
    with pytest.raises(ValueError, match="lr"):
        mo.descend(mo.surface, (0.0, 0.0), -1.0, 0.5, 10)


# -- the page (AppTest) ------------------------------------------------------------------------------
def test_page_steps_the_balls_and_decomposes_m():
    at = open_page("pages/04_momentum.py", lang="en")
    assert not at.exception
    assert any("rolls through" in i.value for i in at.info)  # default η, λ: momentum passes
    step = next(b for b in at.button if b.key == "mom_sim:step")
    for _ in range(3):
        step.click().run()
    assert at.session_state["mom_sim:state"]["i"] == 3
    line = next(m.value for m in at.markdown if "sum of all terms" in m.value)
    total, actual = (float(s.split("=")[-1].strip(" .")) for s in line.split(";"))
    assert total == pytest.approx(actual, abs=2e-6) and actual != 0
    # λ = 0: plain GD; both balls stop in the local minimum, and the page says so
    at.slider(key="mom_sim:lam").set_value(0.0).run()
    assert at.session_state["mom_sim:state"]["i"] == 0
    stuck = next(i.value for i in at.info if "not enough inertia" in i.value)
    better = mo.smallest_lam_through(mo.LR[0], mo.W1[0], 0.0)
    assert f"With λ = {better:.2f}" in stuck  # the λ it suggests is the one that really gets through
    # a start inside the local minimum's bowl: no λ on the slider helps, and the page says so
    at.slider(key="mom_sim:w1").set_value(-1.0).run()
    assert any("no λ on the slider" in i.value for i in at.info)
    assert not at.exception


def test_page_compares_sgd_and_sgdm_from_one_start():
    at = open_page("pages/04_momentum.py", lang="en")
    state = at.session_state["mom_net:panel"]
    assert [r.config.optimizer for r in state.runs] == ["sgd", "sgdm"]
    assert all(torch.equal(a, b) for a, b in zip(state.runs[0].model.state_dict().values(),
                                                 state.runs[1].model.state_dict().values()))
    assert state.runs[0].data is state.runs[1].data
    next(b for b in at.button if b.key == "mom_net:step").click().run()
    assert [r.step for r in state.runs] == [1, 1]
    assert not at.exception


def test_page_shows_the_lectures_form_and_how_torch_writes_it():
    at = open_page("pages/04_momentum.py", lang="en")
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "mⁱ = λ mⁱ⁻¹ − η gⁱ⁻¹, θⁱ = θⁱ⁻¹ + mⁱ" in text
    assert "bⁱ = λ bⁱ⁻¹ + gⁱ⁻¹, θⁱ = θⁱ⁻¹ − η bⁱ" in text and "mⁱ = −η bⁱ" in text
    crit = mo.critical_points()
    assert f"local minimum at w₁ ≈ {crit['local']:.2f}" in text

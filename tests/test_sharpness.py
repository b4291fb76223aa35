"""lib/engine/sharpness.py: the meter against a dense computation (exact Hessian, explicit P), P against
torch's own update, and each threshold against torch's own optimizer on a quadratic."""
import pytest
import torch

from lib.engine import hessian as hs
from lib.engine import sharpness as sh
from small_nets import F64, tanh_mlp


def small_net(seed=0, n_points=64):
    """2-8-8-1 tanh MLP (105 parameters), MSE, float64: its Hessian is cheap to build densely."""
    _, loss_fn, params = tanh_mlp([2, 8, 8, 1], n_points, seed,
                                  target=lambda x: torch.sin(2 * x[:, :1]) * torch.cos(x[:, 1:]))
    return loss_fn, params


def train(loss_fn, optimizer, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn().backward()
        optimizer.step()


def explicit_adam_P(optimizer, params):
    """Cohen et al. 2022's P for Adam, written out from torch's state: (1 − β₁ᵗ)(√(v/(1 − β₂ᵗ)) + ε)."""
    g = optimizer.param_groups[0]
    b1, b2 = g["betas"]
    out = []
    for p in params:
        s = optimizer.state[p]
        t = s["step"].item()
        v = s["max_exp_avg_sq"] if g["amsgrad"] else s["exp_avg_sq"]
        out.append(((1 - b1 ** t) * (torch.sqrt(v / (1 - b2 ** t)) + g["eps"])).reshape(-1))
    return torch.cat(out).to(F64)


# -- against a dense computation -------------------------------------------------------------------

def test_gd_sharpness_is_the_top_hessian_eigenvalue_against_two_over_eta():
    loss_fn, params = small_net()
    opt = torch.optim.SGD(params, lr=0.2)
    train(loss_fn, opt, 20)
    exact = torch.linalg.eigvalsh(hs.hessian_matrix(loss_fn, params))
    s = sh.SharpnessMeter().measure(loss_fn, params, opt, full_batch=True)
    assert s.rule == "gd" and not s.preconditioned and s.reason is None
    assert s.threshold == pytest.approx(2 / 0.2, rel=1e-12)
    assert s.value == pytest.approx(exact[-1].item(), abs=1e-4 * exact.abs().max().item())
    assert s.ratio == pytest.approx(s.value / 10.0)
    assert s.hvps > 0
    # the run already knows λ_max at these weights: the meter reuses it, no product spent
    known = sh.SharpnessMeter().measure(loss_fn, params, opt, lam_max=exact[-1].item())
    assert known.value == exact[-1].item() and known.hvps == 0


def test_l2_weight_decay_adds_to_the_curvature_the_optimizer_sees():
    loss_fn, params = small_net()
    opt = torch.optim.SGD(params, lr=0.2, weight_decay=0.3)
    exact = torch.linalg.eigvalsh(hs.hessian_matrix(loss_fn, params))
    s = sh.SharpnessMeter().measure(loss_fn, params, opt)
    assert s.value == pytest.approx(exact[-1].item() + 0.3, abs=1e-4 * exact.abs().max().item())


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_preconditioned_sharpness_matches_dense_p_inverse_h(amsgrad):
    loss_fn, params = small_net()
    opt = torch.optim.Adam(params, lr=0.01, amsgrad=amsgrad)
    train(loss_fn, opt, 30)
    H = hs.hessian_matrix(loss_fn, params)
    P = explicit_adam_P(opt, params)
    assert torch.allclose(sh.preconditioner(opt, params), P, rtol=1e-12, atol=0)
    # P⁻¹H is not symmetric: its eigenvalues straight from the general solver
    exact = torch.linalg.eigvals(H / P[:, None]).real.max().item()
    s = sh.SharpnessMeter().measure(loss_fn, params, opt)
    assert s.rule == "adam" and s.preconditioned
    assert s.threshold == pytest.approx(38 / 0.01, rel=1e-12)  # (2 + 2β₁)/((1 − β₁)η), β₁ = 0.9
    assert s.value == pytest.approx(exact, rel=1e-4)


def test_adam_threshold_follows_beta1_and_the_current_learning_rate():
    loss_fn, params = small_net()
    opt = torch.optim.Adam(params, lr=0.01, betas=(0.8, 0.999))
    rule, _ = sh.stability_rule(opt)
    assert rule.threshold == pytest.approx((2 + 1.6) / (0.2 * 0.01))
    for group in opt.param_groups:  # a schedule changes lr between steps
        group["lr"] = 0.002
    assert sh.stability_rule(opt)[0].threshold == pytest.approx(3.6 / (0.2 * 0.002))


def test_adam_before_its_first_step_has_no_preconditioner_yet():
    loss_fn, params = small_net()
    opt = torch.optim.Adam(params, lr=0.01)
    s = sh.SharpnessMeter().measure(loss_fn, params, opt)
    assert (s.rule, s.value, s.reason, s.ratio) == ("adam", None, "no_state", None)
    assert s.threshold == pytest.approx(3800)


def test_minibatch_and_unsupported_rules_have_no_threshold():
    loss_fn, params = small_net()
    s = sh.SharpnessMeter().measure(loss_fn, params, torch.optim.SGD(params, lr=0.1), full_batch=False)
    assert (s.rule, s.value, s.threshold, s.reason) == (None, None, None, "minibatch")
    damped = torch.optim.SGD(params, lr=0.1, momentum=0.9, dampening=0.5)
    assert sh.stability_rule(damped) == (None, "optimizer")
    centered = torch.optim.RMSprop(params, lr=0.01, centered=True)
    assert sh.stability_rule(centered) == (None, "optimizer")


@pytest.mark.parametrize("make", [
    lambda ps: torch.optim.Adam(ps, lr=0.01),
    lambda ps: torch.optim.Adam(ps, lr=0.01, amsgrad=True),
    lambda ps: torch.optim.RMSprop(ps, lr=0.01),
    lambda ps: torch.optim.Adagrad(ps, lr=0.05),
], ids=["adam", "amsgrad", "rmsprop", "adagrad"])
def test_preconditioner_is_the_one_torch_divides_by(make):
    """torch's update is θ ← θ − η·P⁻¹·u with u = Adam's uncorrected first moment, or the raw
    gradient for RMSprop/Adagrad; P read back from the state after that step."""
    loss_fn, params = small_net()
    opt = make(params)
    train(loss_fn, opt, 5)
    before = torch.cat([p.detach().reshape(-1).clone() for p in params])
    opt.zero_grad()
    loss_fn().backward()
    grad = torch.cat([p.grad.reshape(-1) for p in params])
    opt.step()
    after = torch.cat([p.detach().reshape(-1) for p in params])
    if isinstance(opt, torch.optim.Adam):
        u = torch.cat([opt.state[p]["exp_avg"].reshape(-1) for p in params])
    else:
        u = grad
    lr = opt.param_groups[0]["lr"]
    assert torch.allclose(after - before, -lr * u / sh.preconditioner(opt, params), rtol=1e-9, atol=1e-15)


# -- each threshold is where torch's own optimizer turns unstable ------------------------------------

def growth(make, curvature, steps=300, window=100):
    """How much |x| grew over the last `window` steps of torch's optimizer on ½·λ·x² (envelopes:
    the largest |x| of 10 consecutive steps, since momentum makes x oscillate).
    x starts at 1e-100 so the adaptive methods' √v stays far below ε = 1: P is then frozen at
    (1 − β₁ᵗ)·ε → ε, the regime the thresholds describe (bias corrections settle by t ≈ 150)."""
    x = torch.full((1,), 1e-100, dtype=F64, requires_grad=True)
    opt = make([x])
    trace = []
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * curvature * x ** 2).sum().backward()
        opt.step()
        trace.append(x.detach().abs().item())
    return max(trace[-10:]) / max(trace[-10 - window:-window]), opt


OPTIMIZERS = {
    "gd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "nesterov": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "gd_l2": lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=2.0),
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=0.1, eps=1.0),
    "adagrad": lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1.0),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.1, eps=1.0),
    "adam_b1_0.5": lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.5, 0.999), eps=1.0),
    "adam_l2": lambda ps: torch.optim.Adam(ps, lr=0.1, eps=1.0, weight_decay=2.0),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.1, eps=1.0, weight_decay=2.0),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_threshold_is_where_torchs_own_optimizer_turns_unstable(name):
    make = OPTIMIZERS[name]
    rule, _ = sh.stability_rule(make([torch.zeros(1, requires_grad=True)]))
    # the sharpness the rule reads is λ_max(P⁻¹(H + shift)) with P → ε = 1 here, so the curvature
    # H = λ that puts it at a fraction f of the threshold is f·threshold − shift
    for f, stable in ((0.97, True), (1.03, False)):
        g, opt = growth(make, f * rule.threshold - rule.shift)
        assert (g < 1e-2) if stable else (g > 1e2), (name, f, g)
    # and the meter reads that fraction off the optimizer's own state
    x = opt.param_groups[0]["params"][0]
    curvature = 1.03 * rule.threshold - rule.shift
    s = sh.SharpnessMeter().measure(lambda: (0.5 * curvature * x ** 2).sum(), [x], opt)
    assert s.ratio == pytest.approx(1.03, rel=1e-6)

"""Each optimizer name against the torch.optim setup it stands for; schedules against formulas."""
import math

import pytest
import torch

from lib.lecture import race
from lib.engine.optim import (OPTIMIZERS as TABLE, make_optimizer, one_kernel, optimizer_kwargs,
                              schedule_lr, uses_setting)
from lib.engine.settings import OPTIMIZERS

EQUIVALENT = {
    "sgd": lambda p, lr: torch.optim.SGD(p, lr=lr),
    "sgdm": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9),
    "nesterov": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True),
    "adagrad": lambda p, lr: torch.optim.Adagrad(p, lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop(p, lr=lr),
    "adam": lambda p, lr: torch.optim.Adam(p, lr=lr),
    "amsgrad": lambda p, lr: torch.optim.Adam(p, lr=lr, amsgrad=True),
    "adamw": lambda p, lr: torch.optim.AdamW(p, lr=lr),
}


def trajectory(make, steps=25):
    gen = torch.Generator().manual_seed(3)
    w = torch.randn(5, generator=gen).requires_grad_()
    a = torch.linspace(0.1, 3.0, 5)
    opt = make([w], 0.05)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (a * w ** 2).sum() + torch.sin(w).sum()
        loss.backward()
        opt.step()
        out.append(w.detach().clone())
    return torch.stack(out)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_name_matches_its_torch_setup(name):
    """Exactly torch's own step with the fused (or foreach) kernel we ask for, and to the last
    bits torch's default per-parameter loop."""
    ours = trajectory(lambda p, lr: make_optimizer(name, p, lr))
    kernel = one_kernel(TABLE[name].torch_class)
    assert kernel, name  # every optimizer of the table has a one-kernel step
    theirs = trajectory(lambda p, lr: one_setup(EQUIVALENT[name], p, lr, kernel))
    assert torch.equal(ours, theirs)
    looped = trajectory(EQUIVALENT[name])
    torch.testing.assert_close(ours, looped, rtol=1e-6, atol=1e-6)
    assert not torch.equal(ours, trajectory(lambda p, lr: make_optimizer(
        "adam" if name == "sgd" else "sgd", p, lr)))


def one_setup(make, params, lr, kernel):
    """torch's setup `make` with `kernel` (fused=True or foreach=True) added to its arguments."""
    plain = make(params, lr)
    options = {k: v for k, v in plain.defaults.items()
               if k not in ("fused", "foreach", "differentiable", "capturable",
                            "decoupled_weight_decay")}
    return type(plain)(params, **options, **kernel)


def test_names_differ_from_each_other():
    runs = {n: trajectory(lambda p, lr, n=n: make_optimizer(n, p, lr)) for n in OPTIMIZERS}
    for a in OPTIMIZERS:
        for b in OPTIMIZERS:
            if a < b:
                assert not torch.equal(runs[a], runs[b]), (a, b)


def test_hyperparameters_keep_torch_names():
    w = [torch.zeros(2, requires_grad=True)]
    opt = make_optimizer("adam", w, 0.1, betas=(0.5, 0.6), eps=1e-3, weight_decay=0.2)
    g = opt.param_groups[0]
    assert g["betas"] == (0.5, 0.6) and g["eps"] == 1e-3 and g["weight_decay"] == 0.2
    opt = make_optimizer("rmsprop", w, 0.1, alpha=0.5)
    assert opt.param_groups[0]["alpha"] == 0.5
    opt = make_optimizer("sgdm", w, 0.1, momentum=0.3)
    assert opt.param_groups[0]["momentum"] == 0.3


@pytest.mark.parametrize("call, field", [
    (lambda w: make_optimizer("adamax", w, 0.1), "optimizer"),
    (lambda w: make_optimizer("sgd", w, 0.0), "lr"),
    (lambda w: make_optimizer("sgd", w, -1.0), "lr"),
    (lambda w: make_optimizer("sgd", w, 0.1, betas=(0.9, 0.9)), "betas"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call([torch.zeros(2, requires_grad=True)])


def test_unknown_optimizer_lists_allowed_names():
    with pytest.raises(ValueError) as err:
        make_optimizer("adamax", [torch.zeros(1, requires_grad=True)], 0.1)
    for name in TABLE:
        assert name in str(err.value)


# -- schedules ---------------------------------------------------------------------------------
LR, W, D, G, DM = 0.1, 10, 40, 0.5, 64


@pytest.mark.parametrize("t", [1, 2, 5, 10, 11, 30, 50, 51, 200])
def test_schedules_follow_their_formulas(t):
    kw = dict(warmup=W, decay_steps=D, gamma=G, d_model=DM)
    assert schedule_lr("constant", t, LR, **kw) == LR
    assert schedule_lr("step", t, LR, **kw) == pytest.approx(LR * G ** ((t - 1) // D))
    assert schedule_lr("exponential", t, LR, **kw) == pytest.approx(LR * G ** ((t - 1) / D))
    warm = LR * t / W
    after = (t - W) / D
    lin = warm if t <= W else LR * max(0.0, 1 - after)
    cos = warm if t <= W else LR * 0.5 * (1 + math.cos(math.pi * min(1.0, after)))
    assert schedule_lr("warmup_linear", t, LR, **kw) == pytest.approx(lin)
    assert schedule_lr("warmup_cosine", t, LR, **kw) == pytest.approx(cos)
    assert schedule_lr("transformer", t, 1.0, **kw) == pytest.approx(
        DM ** -0.5 * min(t ** -0.5, t * W ** -1.5))


def test_transformer_schedule_peaks_at_warmup():
    lrs = [schedule_lr("transformer", t, 1.0, warmup=W, d_model=DM) for t in range(1, 100)]
    assert max(range(len(lrs)), key=lrs.__getitem__) + 1 == W


def test_warmup_rises_then_decays():
    lrs = [schedule_lr("warmup_cosine", t, LR, warmup=W, decay_steps=D) for t in range(1, 80)]
    assert lrs[W - 1] == pytest.approx(LR)
    assert all(a < b for a, b in zip(lrs[:W - 1], lrs[1:W]))
    assert lrs[-1] == pytest.approx(0.0, abs=1e-12)


def test_unknown_schedule_is_refused():
    with pytest.raises(ValueError, match="schedule"):
        schedule_lr("cyclic", 1, 0.1)


# -- the table ---------------------------------------------------------------------------------
def test_one_table_row_is_all_an_optimizer_needs():
    """Settings, the panel's controls and the race read lib/engine/optim.py's table; a row's words are
    its choice name, its update rule and the rule's relation to the lecture."""
    from lib.engine.settings import RunConfig
    from ui.strings import TABLE as WORDS
    assert OPTIMIZERS == tuple(TABLE) and set(EQUIVALENT) == set(TABLE)
    for name, row in TABLE.items():
        for key in (f"choice.{name}", f"opt.rule.{name}", f"opt.rel.{name}"):
            if key.startswith("opt.") and row.race_lr is None:
                continue  # only racers are described on the optimizers page
            assert key in WORDS, key
        kwargs = optimizer_kwargs(name, RunConfig())
        assert all(uses_setting(name, s) for s in row.settings)
        make_optimizer(name, [torch.zeros(1, requires_grad=True)], 0.1, **kwargs)
    assert race.RACE_LRS == {n: r.race_lr for n, r in TABLE.items() if r.race_lr is not None}

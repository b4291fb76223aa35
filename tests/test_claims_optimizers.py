"""Claims of the optimizers page (lecture section 9), each run on the page's own setup: the race
(lib.lecture.presets.OPTIMIZER_RACE, lib.lecture.race), the online problem (lib.lecture.online), and each update rule's
stated relation to the lecture's form, checked against pages 4 and 5's own simulations
(lib.lecture.momentum, lib.lecture.surface_runs) and torch.optim."""
import math
from functools import lru_cache

import numpy as np
import pytest
import torch

from claims import claim
from lib.lecture import momentum, online, presets, race
from lib.engine.models import elongated_valley
from lib.lecture.online import PAGE_LRS, PAGE_T, PERIOD, VERSIONS, WORST_AVG_REGRET, OnlineRun
from lib.engine.optim import make_optimizer
from lib.lecture.surface_runs import SurfaceRun
from chart_data import charts
from test_app_pages import open_page
from test_optimizers import torch_online
from ui.strings import TABLE

# -- 1 the race ------------------------------------------------------------------------------------
SEEDS = list(race.SEEDS_CHECKED)


@lru_cache(maxsize=None)
def race_at(seed: int) -> dict:
    """The page's race played to its end for one seed: {optimizer: summary}."""
    torch.set_num_threads(1)
    the_race = race.Race(presets.OPTIMIZER_RACE.with_(seed=seed))     # as the page makes it
    while the_race.advance(race.RACE_STEPS):
        pass
    for run in the_race.runs:
        assert not run.stopped, (seed, run.config.optimizer, run.stopped)
        assert run.step == race.RACE_STEPS
    return {s["optimizer"]: s for s in the_race.summaries()}


@claim("optimizers", 1)
@claim("optimizers", sentence="opt.s1.read")
@pytest.mark.parametrize("seed", SEEDS)
def test_sgdm_ends_lowest_and_flattest_and_the_adam_family_clearly_sharper(seed):
    s = race_at(seed)
    others = [name for name in s if name != "sgdm"]
    sgdm = s["sgdm"]
    assert min(s[o]["train_loss"] for o in others) > 1.5 * sgdm["train_loss"]      # lowest training loss
    assert min(s[o]["sharpness"] for o in others) > 1.2 * sgdm["sharpness"]        # flattest of the seven
    for name in race.ADAM_FAMILY:                                                 # clearly sharper
        assert s[name]["sharpness"] > 1.3 * sgdm["sharpness"], name
    assert sgdm["test_loss"] < 0.9 * s["adam"]["test_loss"]                       # lower test loss than Adam
    assert max(abs(x["gap"]) for x in s.values()) < 0.8 * race.SMALL_GAP           # every gap is small


@claim("optimizers", sentence="opt.s1.read")
def test_adams_gap_is_not_larger_than_sgdms_in_every_seed():
    """'… the lecture's larger validation gap for Adam does not show here.'"""
    differences = [race_at(seed)["adam"]["gap"] - race_at(seed)["sgdm"]["gap"] for seed in SEEDS]
    assert min(differences) < -0.005, differences


# -- 2 the online problem --------------------------------------------------------------------------
@lru_cache(maxsize=None)
def learners_at(lr: float, version: str) -> tuple:
    """The page's two learners (lib.lecture.online.learners) played to the page's end; also each
    one's period mean of x a third of the way in."""
    pair = online.learners(lr, version)
    online.advance_all(pair, PAGE_T, horizon=PAGE_T // 3)
    third = {rule: run.period_x for rule, run in pair.items()}
    while online.advance_all(pair, PAGE_T):
        pass
    return pair, third


def online_at(rule: str, lr: float, version: str) -> tuple:
    pair, third = learners_at(lr, version)
    return pair[rule], third[rule]


CASES = [(lr, version) for lr in PAGE_LRS for version in VERSIONS]


@claim("optimizers", 2)
@claim("optimizers", sentence="opt.s2.text")
@claim("optimizers", sentence="opt.s2.version_help")   # "both versions end the same way"
@pytest.mark.parametrize("lr,version", CASES)
def test_adam_drifts_to_the_worst_point_while_amsgrad_heads_to_minus_one(lr, version):
    adam, _ = online_at("adam", lr, version)
    ams, ams_third = online_at("amsgrad", lr, version)
    assert adam.t == ams.t == PAGE_T
    assert adam.period_x > 0.95                        # the worst point, +1
    assert ams.period_x < -0.85                        # near the optimum …
    assert ams.period_x < ams_third or ams.period_x < -0.99   # … and still heading there


@claim("optimizers", sentence="opt.s2.read")
@pytest.mark.parametrize("lr,version", CASES)
def test_adams_average_regret_stays_above_always_plus_one_and_amsgrads_falls_below(lr, version):
    adam, _ = online_at("adam", lr, version)
    ams, _ = online_at("amsgrad", lr, version)
    assert adam.avg_regret > 1.1 * WORST_AVG_REGRET
    assert adam.below_worst_since() is None
    assert ams.avg_regret < 0.9 * WORST_AVG_REGRET
    assert ams.last_above > 0                          # its first steps were costly: above at first
    assert ams.below_worst_since() <= 0.75 * PAGE_T    # and below for the last quarter at least


@claim("optimizers", sentence="opt.s2.text")
def test_per_period_adams_small_steps_outweigh_the_large_one_and_amsgrads_do_not():
    """'… together push x further towards +1 than the large one pulls it back' (before x reaches
    +1 and the projection stops it): count the periods in which x ends higher than it began."""
    ups = {}
    for rule in ("adam", "amsgrad"):
        run, starts = OnlineRun(rule, PAGE_LRS[0]), []
        while run.t < 20_000:
            starts.append(run.x)
            run.advance(PERIOD)
        moves = [b - a for a, b in zip(starts, starts[1:]) if max(abs(a), abs(b)) < 0.99]
        assert len(moves) > 50, rule
        ups[rule] = np.mean([m > 0 for m in moves])
    assert ups["adam"] > 0.9 and ups["amsgrad"] < 0.5, ups


# -- 3 online and offline --------------------------------------------------------------------------
@claim("optimizers", 3)
def test_the_online_picture_shows_one_sample_and_the_offline_one_all():
    at = open_page("pages/09_optimizers.py", lang="en")
    drawn = charts(at)
    seen = {}
    for key, title in (("opt:online_pic", "opt.s3.on_pic"), ("opt:offline_pic", "opt.s3.off_pic")):
        entry = drawn[key]
        assert entry["spec"]["title"] in (TABLE[title][1], {"text": TABLE[title][1]})
        shown = entry["data"]["points"]["seen"]
        seen[title] = (sum(shown), len(shown))
    on, off = seen["opt.s3.on_pic"], seen["opt.s3.off_pic"]
    assert on[0] == 1 and on[1] > 10
    assert off[0] == off[1] > 10


# -- each rule against the lecture's form ----------------------------------------------------------
def torch_path(name: str, fn, start, lr: float, steps: int, **kw) -> tuple[np.ndarray, list]:
    """torch.optim (through lib.engine.optim, as the race makes it) on a 2-D surface, float64."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(name, [w], lr, **kw)
    path, states = [w.detach().clone()], []
    for _ in range(steps):
        opt.zero_grad()
        fn(w).backward()
        opt.step()
        path.append(w.detach().clone())
        states.append({k: (v.clone() if torch.is_tensor(v) else v) for k, v in opt.state[w].items()})
    return torch.stack(path).numpy(), states


@claim("optimizers", sentence="opt.rel.sgd")
@claim("optimizers", sentence="opt.rel.sgdm")
@pytest.mark.parametrize("lam", [0.0, 0.9])
def test_torchs_momentum_buffer_is_page_4s_m_over_minus_eta(lam):
    lr, steps, start = 0.05, 200, [-2.0, 1.0]
    lecture = momentum.descend(momentum.surface, start, lr, lam, steps)   # page 4's own rule
    name, kw = ("sgd", {}) if lam == 0 else ("sgdm", {"momentum": lam})
    path, states = torch_path(name, momentum.surface, start, lr, steps, **kw)
    assert not lecture.diverged and lecture.steps == steps
    np.testing.assert_allclose(path, lecture.theta, rtol=1e-10, atol=1e-12)
    if lam:
        buffers = np.stack([s["momentum_buffer"].numpy() for s in states])
        np.testing.assert_allclose(lecture.moves, -lr * buffers, rtol=1e-10, atol=1e-14)


@claim("optimizers", sentence="opt.rel.adagrad")
def test_torchs_adagrad_sum_is_page_5s_mean_form_with_eta_over_sqrt_t_plus_1():
    lr, steps, start, eps = 0.3, 300, [-1.8, 0.6], 1e-12
    lecture = SurfaceRun("adagrad", elongated_valley, start, lr, eps=eps, decay=True)  # page 5's rule
    lecture.advance(steps)
    path, states = torch_path("adagrad", elongated_valley, start, lr, steps, eps=eps)
    np.testing.assert_allclose(path, np.stack(lecture.path), rtol=1e-9, atol=1e-12)
    # the identity behind it: √Σ g² = √(t+1) · σ^t
    for t in (0, 10, 299):
        np.testing.assert_allclose(np.sqrt(states[t]["sum"].numpy()),
                                   math.sqrt(t + 1) * (lecture.sigmas[t] - eps), rtol=1e-9)
    # without the decay the two differ: the relation is not a coincidence of this surface
    plain = SurfaceRun("adagrad", elongated_valley, start, lr, eps=eps)
    plain.advance(steps)
    assert np.abs(np.stack(plain.path) - path).max() > 1e-3


@claim("optimizers", sentence="opt.rel.rmsprop")
def test_page_5s_rmsprop_sigma_squared_is_torchs_v_plus_alpha_to_the_t_plus_1_times_g0_squared():
    alpha, eps, steps = 0.99, 1e-8, 600
    lecture = SurfaceRun("rmsprop", elongated_valley, [-1.8, 0.6], 0.01, alpha=alpha, eps=eps)
    lecture.advance(steps)
    # torch's RMSprop fed the very gradients page 5's run saw
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer("rmsprop", [w], 0.01, alpha=alpha, eps=eps)
    g0 = lecture.grads[0]
    for t, g in enumerate(lecture.grads):
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        v = opt.state[w]["square_avg"].numpy()
        sigma_sq = (lecture.sigmas[t] - eps) ** 2
        np.testing.assert_allclose(sigma_sq, v + alpha ** (t + 1) * g0 ** 2, rtol=1e-8, atol=1e-15)
    # at the start the difference is almost all of σ² (page 5's σ⁰ = |g⁰| against torch's (1−α)g⁰²)
    assert alpha * g0[1] ** 2 / ((lecture.sigmas[0][1] - eps) ** 2) > 0.98


@claim("optimizers", sentence="opt.rel.adam")
def test_torchs_adam_takes_page_5s_adam_steps():
    lr, steps, start = 0.05, 300, [-1.8, 0.6]
    lecture = SurfaceRun("adam", elongated_valley, start, lr)
    lecture.advance(steps)
    path, _ = torch_path("adam", elongated_valley, start, lr, steps)
    np.testing.assert_allclose(path, np.stack(lecture.path), rtol=1e-9, atol=1e-12)


def algorithm_2(lr: float, steps: int, bias_correction: bool) -> list[float]:
    """The formula the AMSGrad line quotes: x ← Π(x − η_t·m_t/√v^max_t), η_t = η/√t; with
    bias_correction, m_t/(1−β1^t) and v^max_t/(1−β2^t) as the rule above it shows."""
    from lib.lecture.online import gradient
    b1, b2, eps = 0.9, 0.99, 1e-8
    x = m = v = v_max = 0.0
    xs = []
    for t in range(1, steps + 1):
        g = gradient(t)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        mm, vv = (m / (1 - b1 ** t), v_max / (1 - b2 ** t)) if bias_correction else (m, v_max)
        x = min(1.0, max(-1.0, x - lr / math.sqrt(t) * mm / (math.sqrt(vv) + eps)))
        xs.append(x)
    return xs


@claim("optimizers", sentence="opt.rel.amsgrad")
def test_reddis_algorithm_2_is_torchs_amsgrad_without_bias_correction():
    lr, steps = 2.0, 1000
    paper = OnlineRun("amsgrad", lr, version="paper")
    xs = []
    for _ in range(steps):
        paper.step()
        xs.append(paper.x)
    assert xs == pytest.approx(algorithm_2(lr, steps, bias_correction=False), abs=1e-12)
    assert torch_online("amsgrad", lr, steps) == pytest.approx(algorithm_2(lr, steps, True), abs=1e-9)


@claim("optimizers", sentence="opt.rel.adamw")
def test_adamw_is_adam_plus_decoupled_decay_and_adam_at_gamma_zero():
    lr, steps, start, gamma = 0.05, 200, [-1.8, 0.6], 0.01
    adam, adam_states = torch_path("adam", elongated_valley, start, lr, steps)
    zero, _ = torch_path("adamw", elongated_valley, start, lr, steps, weight_decay=0.0)
    np.testing.assert_allclose(zero, adam, rtol=1e-12, atol=1e-15)
    decayed, states = torch_path("adamw", elongated_valley, start, lr, steps, weight_decay=gamma)
    # the rule as written: θ_{t+1} = θ_t − η(m̂_t/(√v̂_t + ε) + γ θ_t), step by step
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in (0, 1, 50, 199):
        n = t + 1
        m_hat = states[t]["exp_avg"].numpy() / (1 - b1 ** n)
        v_hat = states[t]["exp_avg_sq"].numpy() / (1 - b2 ** n)
        theta = decayed[t]
        np.testing.assert_allclose(decayed[t + 1], theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + gamma * theta),
                                   rtol=1e-12, atol=1e-15)
    assert np.abs(decayed - adam).max() > 1e-5

"""Feature normalization, linear-model error surfaces, BN train/eval statistics, and the page."""
import pytest
import torch
from torch import nn

from claims import claim
from lib.lecture import normalization as nz
from lib.engine.settings import RunConfig, from_query
from lib.engine.trainer import Run

from test_app_pages import metric, open_page


# -- feature normalization ------------------------------------------------------------------------
def test_normalized_features_have_mean_0_and_variance_1():
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(57, 4, generator=gen, dtype=torch.float64) * torch.tensor([0.01, 1, 50, 3e3]) + 7
    xn, m, sigma = nz.normalize(x)
    assert torch.allclose(xn.mean(0), torch.zeros(4, dtype=torch.float64), atol=1e-12)
    assert torch.allclose((xn ** 2).mean(0), torch.ones(4, dtype=torch.float64), atol=1e-12)
    assert torch.allclose(m, x.mean(0)) and torch.allclose(sigma, x.std(0, unbiased=False))


def test_constant_feature_gives_a_clear_error():
    with pytest.raises(ValueError, match="constant"):
        nz.normalize(torch.ones(5, 2))


def test_linear_hessian_and_gradient_match_autograd():
    x, y = nz.scaled_features(n=40, scales=(1.0, 7.0), means=(1.0, 7.0))
    w = torch.tensor([0.3, -1.2], dtype=torch.float64)
    h = torch.autograd.functional.hessian(lambda v: nz.linear_loss(v, x, y), w)
    assert torch.allclose(h, nz.linear_hessian(x), rtol=1e-10)
    g = torch.func.grad(lambda v: nz.linear_loss(v, x, y))(w)
    assert torch.allclose(g, nz.linear_grad(w, x, y), rtol=1e-10)
    # the best bias really is best: moving b either way raises the loss
    b = nz.best_bias(w, x, y)
    full = lambda bb: ((x @ w + bb - y) ** 2).mean()  # noqa: E731
    assert full(b) < full(b + 1e-3) and full(b) < full(b - 1e-3)


@pytest.mark.parametrize("ratio", [3.0, 10.0, 30.0])
def test_condition_number_falls_after_normalizing(ratio):
    x, y = nz.scaled_features(n=400, scales=(1.0, ratio), means=(1.0, ratio))
    xn, _, _ = nz.normalize(x)
    k_raw, k_norm = nz.condition_number(nz.linear_hessian(x)), nz.condition_number(nz.linear_hessian(xn))
    # independent features: the Hessian is ~2·diag(1, ratio²) before and ~2·I after
    assert k_raw == pytest.approx(ratio ** 2, rel=0.35)
    assert k_norm < 1.5 < k_raw
    eig = torch.linalg.eigvalsh(nz.linear_hessian(x))
    assert k_raw == pytest.approx(float(eig[1] / eig[0]))


def test_gradient_descent_needs_far_fewer_steps_after_normalizing():
    x, y = nz.scaled_features(scales=(1.0, 10.0), means=(1.0, 10.0))
    xn, _, sigma = nz.normalize(x)
    w0 = torch.tensor([-2.0, 1.0], dtype=torch.float64)
    # same model at the start: w̃ = w·σ gives the same loss
    assert nz.linear_loss(w0, x, y) == pytest.approx(float(nz.linear_loss(w0 * sigma, xn, y)))
    reached = []
    for xs, start in ((x, w0), (xn, w0 * sigma)):
        lam = torch.linalg.eigvalsh(nz.linear_hessian(xs))
        path = nz.gd_path(xs, y, start, 1.0 / float(lam[-1]), 2000)
        reached.append(nz.steps_to_reach(path, xs, y))
        assert torch.allclose(path[-1], nz.least_squares(xs, y), atol=1e-4)
    assert reached[1] * 10 < reached[0]


def test_gradient_descent_diverges_above_two_over_lambda_max():
    x, y = nz.scaled_features(scales=(1.0, 5.0), means=(1.0, 5.0))
    lam_max = float(torch.linalg.eigvalsh(nz.linear_hessian(x))[-1])
    w0 = torch.zeros(2, dtype=torch.float64)
    stable = nz.gd_path(x, y, w0, 1.9 / lam_max, 300)
    unstable = nz.gd_path(x, y, w0, 2.1 / lam_max, 300)
    assert nz.linear_loss(stable[-1], x, y) < nz.linear_loss(w0, x, y)
    assert nz.linear_loss(unstable[-1], x, y) > 1e3 * nz.linear_loss(w0, x, y)


def test_section_one_frames_both_surfaces_around_the_minimum_with_the_start_in_view():
    raw, norm = nz.compare_surfaces(ratio=10, factor=1.0, steps=50)
    x, y = nz.page_features(10)
    assert torch.equal(raw.x, x) and torch.allclose(norm.x, nz.normalize(x)[0])
    for view in (raw, norm):
        centre = [(a + b) / 2 for a, b in zip(view.lo, view.hi)]
        assert centre == pytest.approx(view.best.tolist())
        assert view.hi[0] - view.lo[0] == pytest.approx(view.hi[1] - view.lo[1])   # equal axes
        assert all(lo < float(w) < hi for lo, w, hi in zip(view.lo, view.start, view.hi))
        assert torch.equal(view.descent.path[0], view.start) and len(view.descent.path) == 51
        grid = torch.tensor([[0.5, -1.0], [2.0, 3.0]])   # float32, as surfaces.cells passes it
        assert torch.allclose(view.loss(grid), nz.linear_loss(grid.double(), view.x, view.y))
    # both start at the same model: the same loss at the start
    assert float(raw.loss(raw.start)) == pytest.approx(float(norm.loss(norm.start)))


# -- batch normalization: train mode against eval mode --------------------------------------------
def trained_bn_net(steps=30):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.Tanh(), nn.Linear(5, 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(1)
    batches = [torch.randn(16, 3, generator=gen) * 2 + 1 for _ in range(steps)]
    for xb in batches:
        opt.zero_grad()
        net(xb).pow(2).mean().backward()
        opt.step()
    return net, batches


@claim("batch_norm", sentence="bn.mode.text")
def test_eval_mode_uses_the_running_statistics():
    net, _ = trained_bn_net()
    bn = net[1]
    x = torch.randn(8, 3, generator=torch.Generator().manual_seed(5))
    z = net[0](x).detach()
    net.eval()
    with torch.no_grad():
        eval_out = bn(z)
    net.train()
    by_running = nz.bn_apply(z, bn.running_mean, bn.running_var, bn.weight, bn.bias, bn.eps)
    mu, var = nz.batch_stats(z)
    by_batch = nz.bn_apply(z, mu, var, bn.weight, bn.bias, bn.eps)
    assert torch.allclose(eval_out, by_running, atol=1e-6)
    assert not torch.allclose(eval_out, by_batch, atol=1e-3)
    with torch.no_grad():
        train_out = bn(z)   # train mode: the batch's own μ and σ
    assert torch.allclose(train_out, by_batch, atol=1e-5)


def test_running_mean_is_the_moving_average_of_batch_means():
    net, batches = trained_bn_net(steps=0)
    bn = net[1]
    expected = torch.zeros(5)
    with torch.no_grad():
        for xb in [torch.randn(10, 3, generator=torch.Generator().manual_seed(i)) for i in range(6)]:
            expected = 0.9 * expected + 0.1 * net[0](xb).mean(0)
            net(xb)
    assert torch.allclose(bn.running_mean, expected, atol=1e-6)


def test_layer_stats_report_both_and_leave_running_stats_alone():
    net, batches = trained_bn_net()
    before = net[1].running_mean.clone()
    xb = batches[0][:7]
    stats = nz.bn_layer_stats(net, xb)
    assert len(stats) == 1
    z = net[0](xb).detach()
    assert torch.allclose(stats[0].batch_mean, z.mean(0), atol=1e-6)
    assert torch.allclose(stats[0].batch_std, z.std(0, unbiased=False), atol=1e-6)
    assert torch.equal(stats[0].running_mean, before) and torch.equal(net[1].running_mean, before)
    assert torch.allclose(stats[0].running_std, net[1].running_var.sqrt())


def test_tiny_batches_one_gives_zeros_two_gives_plus_minus_one():
    net, batches = trained_bn_net()
    one = nz.bn_layer_stats(net, batches[0][:1])[0].normalized
    assert torch.equal(one, torch.zeros_like(one))
    two = nz.bn_layer_stats(net, batches[0][:2])[0].normalized
    # ±d/sqrt(d² + ε) with d half the gap between the two examples: ±1 up to ε
    z = net[0](batches[0][:2]).detach()
    d = (z[0] - z[1]).abs() / 2
    assert torch.allclose(two.abs(), (d / torch.sqrt(d ** 2 + 1e-5)).expand(2, -1), atol=1e-6)
    assert bool((two.abs() > 0.99).all())
    assert torch.allclose(two.sum(0), torch.zeros(5), atol=1e-5)
    with pytest.raises(ValueError):  # what torch itself does with a batch of one in train mode
        net(batches[0][:1])


# -- batch size 1 with batch norm: a clear message instead of a crash -----------------------------
def test_batch_norm_with_batch_size_one_is_refused_clearly():
    with pytest.raises(ValueError, match="batch normalization needs at least 2"):
        RunConfig(batch_norm=True, batch_size=1).validate()
    RunConfig(batch_norm=False, batch_size=1).validate()
    cfg, notes = from_query({"batch_norm": "1", "batch_size": "1"})
    assert cfg.batch_size == 2 and notes[0][1] == "batch_size"


def test_batch_norm_with_batch_size_two_trains_through_odd_epochs():
    cfg = RunConfig(dataset="moons", n_samples=41, batch_norm=True, batch_size=2, hessian_every=0)
    assert cfg.n_train % 2 == 1   # a lone leftover example at the end of each epoch
    run = Run(cfg)
    assert run.advance(3 * cfg.n_train) == 3 * cfg.n_train and run.stopped is None
    assert run.epoch >= 5


# -- the page -------------------------------------------------------------------------------------
def test_page_shows_both_surfaces_and_compares_bn_from_one_start():
    at = open_page("pages/06_batch_norm.py")
    assert not at.exception
    state = at.session_state["batch_norm:panel"]
    assert [r.config.batch_norm for r in state.runs] == [False, True]
    assert torch.equal(state.runs[0].model[0].weight, state.runs[1].model[0].weight)
    kappas = [float(m.value.replace(",", "")) for m in at.metric if m.label.startswith("Hessian condition")]
    assert len(kappas) == 2 and kappas[0] > 10 * kappas[1]
    next(b for b in at.button if b.label == "Step").click().run()
    assert metric(at, "Step") == "1" and not at.exception


def test_page_batch_size_one_with_bn_shows_a_message():
    at = open_page("pages/06_batch_norm.py", {"batch_size": "1"})
    assert not at.exception
    # the page compares BN off/on: the BN run cannot take batch 1, which the panel says in words
    assert any("batch normalization needs at least 2" in e.value for e in at.error)
    state = at.session_state["batch_norm:panel"]
    assert all(not r.config.batch_norm for r in state.runs)
    on_url = open_page("pages/06_batch_norm.py", {"batch_size": "1", "batch_norm": "1", "cmp": "lr",
                                                  "cmpv": "0.5"})
    assert not on_url.exception and any("batch_size" in w.value for w in on_url.warning)
    assert on_url.session_state["batch_norm:panel"].config.batch_size == 2
    at.select_slider(key="batch_norm:small_batch").set_value(1).run()
    assert any("Batch size 1" in e.value for e in at.error)

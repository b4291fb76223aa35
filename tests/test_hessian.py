"""lib/engine/hessian.py against independent computations (torch.func.hessian, eigh of a
known matrix, exact dense spectra). Float64 models so comparisons can be tight."""
import math

import numpy as np
import pytest
import torch
from torch.func import functional_call

from lib.engine import hessian as hs
from small_nets import F64, tanh_mlp

# torch.func.hessian's forward-mode AD loads decompositions that use torch.jit.script
pytestmark = pytest.mark.filterwarnings("ignore:.*torch.jit.script.*:DeprecationWarning")


def func_hessian(model):
    """Dense Hessian by torch.func.hessian over functional_call, in parameter order."""
    x, y = model.data
    p0 = dict(model.named_parameters())
    names = list(p0)

    def f(p):
        return torch.nn.functional.mse_loss(functional_call(model, p, (x,)), y)
    H = torch.func.hessian(f)({k: v.detach() for k, v in p0.items()})
    return torch.cat([torch.cat([H[a][b].reshape(p0[a].numel(), p0[b].numel())
                                 for b in names], 1) for a in names], 0)


def quadratic(A):
    """loss 0.5 x^T A x at a random x (the Hessian is A everywhere)."""
    x = torch.randn(A.shape[0], dtype=F64, requires_grad=True)
    return (lambda: 0.5 * x @ A @ x), [x]


def random_sym(eigvals, seed=0):
    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(len(eigvals), len(eigvals), generator=g, dtype=F64))
    return Q @ torch.diag(torch.as_tensor(eigvals, dtype=F64)) @ Q.T


def toy():
    """The lecture's y = w1*w2*x with x=1, target 1: loss (1 - w1 w2)^2, saddle at 0."""
    w1 = torch.zeros((), dtype=F64, requires_grad=True)
    w2 = torch.zeros((), dtype=F64, requires_grad=True)
    return (lambda: (1 - w1 * w2 * 1.0) ** 2), [w1, w2]


# ----------------------------------------------------------------------------

def test_spectrum_matches_torch_func_hessian():
    model, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    assert hs.num_params(params) == 105
    H_ref = func_hessian(model)
    H = hs.hessian_matrix(loss_fn, params)
    assert torch.allclose(H, H_ref, atol=1e-10)
    assert torch.allclose(hs.spectrum(loss_fn, params),
                          torch.linalg.eigvalsh((H_ref + H_ref.T) / 2), atol=1e-10)


def test_quadratic_spectrum_and_hvp():
    A = random_sym(torch.linspace(-3, 5, 12))
    loss_fn, params = quadratic(A)
    assert torch.allclose(hs.spectrum(loss_fn, params), torch.linalg.eigvalsh(A), atol=1e-10)
    v = torch.randn(12, dtype=F64)
    assert torch.allclose(hs.hvp(loss_fn, params, [v])[0], A @ v, atol=1e-12)


def test_hvp_keeps_param_shapes():
    model, loss_fn, params = tanh_mlp([2, 4, 1])
    vs = [torch.randn_like(p) for p in params]
    out = hs.hvp(loss_fn, params, vs)
    assert [o.shape for o in out] == [p.shape for p in params]
    flat = torch.cat([v.reshape(-1) for v in vs])
    assert torch.allclose(torch.cat([o.reshape(-1) for o in out]),
                          func_hessian(model) @ flat, atol=1e-10)


def test_spectrum_refuses_large_models():
    _, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    with pytest.raises(ValueError, match=r"105 parameters.*limit of 50.*extremes"):
        hs.spectrum(loss_fn, params, max_params=50)


def test_extremes_match_spectrum_on_mlp():
    _, loss_fn, params = tanh_mlp([2, 16, 16, 1], n_points=128)
    ev = hs.spectrum(loss_fn, params)
    lo, hi = hs.extremes(loss_fn, params)
    scale = ev.abs().max().item()
    assert abs(lo - ev[0].item()) <= 1e-4 * scale
    assert abs(hi - ev[-1].item()) <= 1e-4 * scale


def test_extremes_negative_curvature_at_saddle():
    loss_fn, params = toy()
    assert torch.allclose(hs.hessian_matrix(loss_fn, params),
                          torch.tensor([[0., -2.], [-2., 0.]], dtype=F64))
    lo, hi = hs.extremes(loss_fn, params)
    assert lo == pytest.approx(-2, abs=1e-10) and hi == pytest.approx(2, abs=1e-10)


def test_extremes_deterministic():
    _, loss_fn, params = tanh_mlp([2, 10, 10, 1])
    assert hs.extremes(loss_fn, params, seed=3) == hs.extremes(loss_fn, params, seed=3)


def test_lanczos_basis_is_orthonormal_and_tridiagonalizes():
    model, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    a, b, Q = hs.lanczos(loss_fn, params, iters=20, return_basis=True)
    assert torch.allclose(Q @ Q.T, torch.eye(len(a), dtype=F64), atol=1e-10)
    T = torch.diag(a) + torch.diag(b, 1) + torch.diag(b, -1)
    assert torch.allclose(Q @ func_hessian(model) @ Q.T, T, atol=1e-8)


def test_density_integrates_to_one_and_mean_is_trace_over_n():
    model, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    H = func_hessian(model)
    n, n_vectors = H.shape[0], 10
    grid, dens = hs.density(loss_fn, params, n_vectors=n_vectors, iters=30)
    assert np.trapezoid(dens, grid) == pytest.approx(1, abs=1e-3)
    nodes, weights = hs.density_nodes(loss_fn, params, n_vectors=n_vectors, iters=30)
    assert weights.sum() == pytest.approx(1, abs=1e-10)
    # sum(nodes*weights) = mean over Rademacher v of v^T H v / n: a Hutchinson trace
    # estimate; allow 4 standard deviations of that estimator
    var = 2 * ((H ** 2).sum() - (H.diag() ** 2).sum()).item() / n ** 2
    tol = 4 * math.sqrt(var / n_vectors)
    assert abs((nodes * weights).sum() - H.trace().item() / n) <= tol


def test_density_mass_sits_on_true_eigenvalues():
    true = [-1.0, 2.0, 5.0]
    A = random_sym(np.repeat(true, 20))  # n = 60 > iters: really stochastic Lanczos
    loss_fn, params = quadratic(A)
    nodes, weights = hs.density_nodes(loss_fn, params, n_vectors=8, iters=10)
    near = [weights[np.abs(nodes - t) < 1e-6].sum() for t in true]
    assert sum(near) == pytest.approx(1, abs=1e-6)
    assert all(abs(m - 1 / 3) < 0.15 for m in near)  # each eigenvalue holds 1/3 of them


def test_density_exact_for_tiny_models():
    loss_fn, params = toy()
    nodes, weights = hs.density_nodes(loss_fn, params)
    assert np.allclose(nodes, [-2, 2]) and np.allclose(weights, [0.5, 0.5])


def test_lowest_eigenpair_escapes_the_saddle():
    loss_fn, params = toy()
    lam, vec = hs.lowest_eigenpair(loss_fn, params)
    v = torch.stack(vec)
    assert lam == pytest.approx(-2, abs=1e-10)
    assert torch.allclose(v.abs(), torch.full((2,), 1 / math.sqrt(2), dtype=F64))
    assert torch.allclose(v[0], v[1])  # (1,1)/sqrt2 up to sign
    before = loss_fn().item()
    with torch.no_grad():
        for p, d in zip(params, vec):
            p += 0.1 * d
    assert loss_fn().item() < before


@pytest.mark.parametrize("max_exact", [hs.MAX_EXACT_PARAMS, 0])  # eigh, then Lanczos
def test_lowest_eigenpair_matches_eigh(max_exact):
    model, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    evals, evecs = torch.linalg.eigh(func_hessian(model))
    lam, vec = hs.lowest_eigenpair(loss_fn, params, max_exact=max_exact)
    v = torch.cat([t.reshape(-1) for t in vec])
    assert [t.shape for t in vec] == [p.shape for p in params]
    assert v.norm().item() == pytest.approx(1, abs=1e-12)
    assert lam == pytest.approx(evals[0].item(), abs=1e-6 * evals.abs().max().item())
    assert abs(v @ evecs[:, 0]).item() > 1 - 1e-4  # Lanczos stops on the value, not the vector


def test_positive_ratio():
    ev = torch.tensor([-1.0, 0.0, 1e-12, 2.0, 3.0])
    assert hs.positive_ratio(ev) == pytest.approx(2 / 5)
    assert hs.positive_ratio(np.array([1.0, 2.0])) == 1.0


# -- warm-started tracking along a run --------------------------------------------------------------

def test_warm_and_cold_agree_with_the_exact_ends_and_warm_needs_fewer_products():
    _, loss_fn, params = tanh_mlp([2, 16, 16, 1], n_points=128)  # 337 parameters
    opt = torch.optim.SGD(params, lr=0.1)
    warm = hs.CurvatureTracker(tol=1e-4)
    warm_hvps, cold_hvps = [], []
    for i in range(8):
        ev = torch.linalg.eigvalsh(hs.hessian_matrix(loss_fn, params))
        tol = 1e-4 * ev.abs().max().item()
        lo, hi, k = warm.measure(loss_fn, params)
        c_lo, c_hi, c_k = hs.CurvatureTracker(tol=1e-4, seed=100 + i).measure(loss_fn, params)
        for got in ((lo, hi), (c_lo, c_hi)):
            assert abs(got[0] - ev[0].item()) <= tol and abs(got[1] - ev[-1].item()) <= tol
        assert abs(lo - c_lo) <= tol and abs(hi - c_hi) <= tol
        warm_hvps.append(k)
        cold_hvps.append(c_k)
        for _ in range(3):
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
    assert warm_hvps[0] == pytest.approx(cold_hvps[0], abs=10)  # the first one is cold too
    assert sum(warm_hvps[1:]) < 0.8 * sum(cold_hvps[1:])


def test_tracker_starts_cold_when_the_parameter_count_changes():
    tracker = hs.CurvatureTracker()
    for sizes in ([2, 8, 8, 1], [2, 16, 1], [2, 8, 8, 1]):
        _, loss_fn, params = tanh_mlp(sizes)
        ev = hs.spectrum(loss_fn, params)
        lo, hi, _ = tracker.measure(loss_fn, params)
        tol = 1e-4 * ev.abs().max().item()
        assert abs(lo - ev[0].item()) <= tol and abs(hi - ev[-1].item()) <= tol


def test_tracker_with_parallel_opposite_or_unusable_previous_vectors():
    """Vectors adopted from elsewhere may coincide (one of them then carries both ends), be
    zero or not finite (then the start is cold)."""
    A = random_sym(torch.linspace(-2, 7, 40))
    loss_fn, params = quadratic(A)
    tracker = hs.CurvatureTracker()
    tracker.measure(loss_fn, params)
    v = torch.randn(40, dtype=F64)
    zero, nan = torch.zeros(40, dtype=F64), torch.full((40,), float("nan"), dtype=F64)
    for pair in ((v, v), (v, -v), (zero, v), (v, zero), (nan, v)):
        tracker.vectors = pair
        lo, hi, _ = tracker.measure(loss_fn, params)
        assert lo == pytest.approx(-2, abs=1e-3) and hi == pytest.approx(7, abs=1e-3)


def test_tracker_of_a_zero_hessian_and_of_a_nan_loss():
    w = torch.randn(30, dtype=F64, requires_grad=True)
    c = torch.randn(30, dtype=F64)
    assert hs.CurvatureTracker().measure(lambda: (w * c).sum(), [w]) == (0.0, 0.0, 1)
    with pytest.raises(ValueError, match="not finite"):
        hs.CurvatureTracker().measure(lambda: (w ** 2).sum() * float("nan"), [w])


def test_tracker_on_a_scaled_shifted_operator_top_only():
    """D (H + s I) D: the symmetric form of a preconditioned Hessian P^-1 (H + s I), D = P^-1/2."""
    model, loss_fn, params = tanh_mlp([2, 8, 8, 1])
    H = func_hessian(model)
    d = torch.rand(H.shape[0], dtype=F64) + 0.5
    exact = torch.linalg.eigvalsh(d[:, None] * (H + 0.3 * torch.eye(len(d), dtype=F64)) * d[None, :])
    lo, hi, k = hs.CurvatureTracker(ends="top").measure(loss_fn, params, scale=d, shift=0.3)
    assert lo is None and hi == pytest.approx(exact[-1].item(), abs=1e-4 * exact.abs().max().item())
    _, hi_again, k_again = hs.CurvatureTracker(ends="top").measure(loss_fn, params, scale=d, shift=0.3)
    assert (hi_again, k_again) == (hi, k)  # same seed, same numbers


def test_one_cold_run_gives_the_density_and_certified_ends_and_a_warm_start():
    _, loss_fn, params = tanh_mlp([2, 16, 16, 1], n_points=128)
    ev = hs.spectrum(loss_fn, params)
    tol = 1e-4 * ev.abs().max().item()
    op = hs.operator(loss_fn, params)
    nodes, weights, (lo, y_lo), (hi, y_hi), k = hs.krylov_summary_op(op, 10, seed=0, tol=1e-4)
    plain = hs.krylov_summary_op(op, 10, seed=0)
    assert k > 10 and plain[4] == 10  # the run went on past the density's 10 steps ...
    assert np.array_equal(nodes, plain[0]) and np.array_equal(weights, plain[1])  # ... which it kept
    assert abs(lo - ev[0].item()) <= tol and abs(hi - ev[-1].item()) <= tol
    tracker = hs.CurvatureTracker()
    tracker.adopt((lo, y_lo), (hi, y_hi))
    assert tracker.last == (lo, hi)
    w_lo, w_hi, w_k = tracker.measure(loss_fn, params)  # warm from those vectors
    assert abs(w_lo - ev[0].item()) <= tol and abs(w_hi - ev[-1].item()) <= tol
    assert w_k < hs.CurvatureTracker(seed=5).measure(loss_fn, params)[2]

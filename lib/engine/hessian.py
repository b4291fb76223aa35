"""Hessian of a loss with respect to a list of parameters: products, spectra, densities.

Every function takes `loss_fn`, a zero-argument closure that recomputes the scalar
loss from `params` (like a torch.optim closure), and `params`, a list of tensors
with requires_grad=True. The model may be float32; the small eigenproblems
(dense Hessian, Lanczos tridiagonal) are solved in float64.

Small models (n <= MAX_EXACT_PARAMS): the full Hessian is built and diagonalised
exactly (`spectrum`, `hessian_matrix`). Any size: Lanczos on Hessian-vector
products gives the extreme eigenvalues (`extremes`), the eigenvector of the most
negative one (`lowest_eigenpair`) and, with random start vectors, the spectral
density by stochastic Lanczos quadrature (`density`, Ghorbani et al. 2019).
Along a run, `CurvatureTracker` measures both ends again and again, each time starting
Lanczos from the previous measurement's Ritz vectors (a warm start).

Batch norm: the Hessian is that of whatever the closure computes. By convention the
trainer (not this module) calls these functions with the model in TRAIN mode on a
fixed batch of training data and restores the BN running statistics afterwards, so
the curvature is that of the training objective the optimizer actually sees.
"""
import math

import numpy as np
import torch

MAX_EXACT_PARAMS = 1500  # dense Hessian + eigvalsh: ~1 s here (512 points, one CPU thread)
F64 = torch.float64


# ----------------------------------------------------------------------------
# flat <-> list-of-tensors helpers

def num_params(params):
    return sum(p.numel() for p in params)


def _flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def _unflat(vec, params):
    out, i = [], 0
    for p in params:
        out.append(vec[i:i + p.numel()].view_as(p).to(p.dtype))
        i += p.numel()
    return out


def _as_flat(v, params):
    """Accept a flat vector or a list shaped like params; return flat float64."""
    if isinstance(v, torch.Tensor) and v.dim() == 1 and v.numel() == num_params(params):
        return v.detach().to(F64)
    return _flat([t.detach() for t in v]).to(F64)


# ----------------------------------------------------------------------------
# Hessian-vector products

class _HVP:
    """Runs the forward pass and first backward once (create_graph=True); each
    product afterwards is one extra backward through that retained graph, so
    Lanczos pays for the forward pass only once."""

    def __init__(self, loss_fn, params):
        self.params = list(params)
        loss = loss_fn()
        grads = torch.autograd.grad(loss, self.params, create_graph=True,
                                    allow_unused=True, materialize_grads=True)
        self.flat_grad = _flat(grads)
        self.n = self.flat_grad.numel()
        self.dtype = self.flat_grad.dtype
        # a loss linear in all params has a gradient with no graph: Hessian is zero
        self.zero = not self.flat_grad.requires_grad

    def _grad(self, grad_outputs, batched=False):
        return torch.autograd.grad(self.flat_grad, self.params, grad_outputs,
                                   retain_graph=True, allow_unused=True,
                                   materialize_grads=True, is_grads_batched=batched)

    def __call__(self, v):
        """H @ v for a flat vector v; returns float64."""
        if self.zero:
            return torch.zeros(self.n, dtype=F64)
        return _flat(self._grad(v.to(self.dtype))).to(F64)


def hvp(loss_fn, params, vec_list):
    """Hessian-vector product H v, with v and the result shaped like params."""
    op = _HVP(loss_fn, params)
    return _unflat(op(_as_flat(vec_list, params)), params)


# ----------------------------------------------------------------------------
# exact: dense Hessian

def _dense(op, chunk=64):
    """Rows of H by vmapped backward over identity rows, in chunks (64 rows keeps the
    batched activations in cache: ~2x faster than one big batch at 500 params);
    falls back to one backward per row if some op has no batching rule."""
    n = op.n
    if op.zero:
        return torch.zeros(n, n, dtype=F64)
    eye, rows = torch.eye(n, dtype=op.dtype), []
    try:
        for i in range(0, n, chunk):
            e = eye[i:i + chunk]
            rows.append(_flat_batched(op._grad(e, batched=True), len(e)))
    except (RuntimeError, NotImplementedError):
        rows = [op(e).unsqueeze(0) for e in eye]
    H = torch.cat(rows).to(F64)
    return (H + H.T) / 2  # exact H is symmetric; average away round-off


def _flat_batched(tensors, b):
    return torch.cat([t.reshape(b, -1) for t in tensors], dim=1)


def _check_size(n, max_params):
    if n > max_params:
        raise ValueError(
            f"model has {n} parameters, above the exact-Hessian limit of {max_params}; "
            "use extremes() or density() (Lanczos) instead")


def hessian_matrix(loss_fn, params, max_params=MAX_EXACT_PARAMS):
    """Full (n, n) float64 Hessian, parameters in the order of `params`, flattened."""
    _check_size(num_params(params), max_params)
    return _dense(_HVP(loss_fn, params))


def spectrum(loss_fn, params, max_params=MAX_EXACT_PARAMS):
    """All Hessian eigenvalues, ascending, float64 (exact)."""
    return torch.linalg.eigvalsh(hessian_matrix(loss_fn, params, max_params))


def positive_ratio(eigenvalues, tol=1e-6):
    """Share of eigenvalues > tol * max|eigenvalue| (the lecture's "minimum ratio").
    Relative tol so float round-off around zero doesn't count as curvature."""
    ev = torch.as_tensor(eigenvalues, dtype=F64).reshape(-1)
    if ev.numel() == 0:
        return 0.0
    return (ev > tol * ev.abs().max()).double().mean().item()


# ----------------------------------------------------------------------------
# Lanczos

def ritz(alphas, betas):
    """Eigen-decomposition of the Lanczos tridiagonal: (Ritz values asc, vectors)."""
    T = torch.diag(alphas) + torch.diag(betas, 1) + torch.diag(betas, -1)
    return torch.linalg.eigh(T)


def _converged(alphas, betas, beta_next, tol, ends=(0, -1)):
    """The extreme Ritz pairs asked for (0: smallest, -1: largest) have residual
    |beta_k * s_kj| <= tol * max|theta|; the residual bounds the distance from theta_j to
    an eigenvalue. (The sharper r^2/gap estimate is not safe here: near a minimum
    thousands of eigenvalues crowd around 0, the Ritz gap hides them and Lanczos stops
    far too early.) The bound names *an* eigenvalue near theta_j, not necessarily the
    extreme one: a Ritz value can rest on an interior eigenvalue of that crowd for a few
    steps, so the smallest end may be off by a few times tol (bench/bench_hessian.py
    prints the worst seen).
    torch, not numpy: numpy's LAPACK may spin up its own threads, which made this
    tiny eigh 1000x slower on a busy machine."""
    T = torch.tensor(alphas, dtype=F64).diag()  # checked at every step: few tensor ops, one
    if betas:                                    # conversion back (~30 % faster than `ritz`)
        b = torch.tensor(betas, dtype=F64)
        T.diagonal(1).copy_(b)
        T.diagonal(-1).copy_(b)
    theta, S = torch.linalg.eigh(T)
    last, theta = S[-1].tolist(), theta.tolist()  # ascending: max|theta| is at an end
    return max(abs(beta_next * last[j]) for j in ends) <= tol * max(abs(theta[0]), abs(theta[-1]))


def _lanczos(op, v0, iters, tol=None, ends=(0, -1)):
    """Lanczos with full reorthogonalization (no ghost Ritz values). Returns
    (alphas, betas, Q) with Q's rows the orthonormal Krylov basis. With tol, stops at the
    first step whose residual bounds certify the `ends` asked for: the check (eigh of a
    small tridiagonal, ~0.03 ms at k = 10) is cheap next to a product, so every step."""
    return _lanczos_run(op, v0, iters, tol, ends)[:3]


def _lanczos_run(op, v0, iters, tol=None, ends=(0, -1), min_iters=0):
    """`_lanczos`, plus whether the run ended certified: the Krylov space was exhausted
    (Ritz values exact) or the residual bounds met tol (checked from step min_iters on)."""
    iters = min(iters, op.n)
    certified = False
    Q = torch.zeros(iters, op.n, dtype=F64)
    alphas, betas = [], []
    q = v0 / v0.norm()
    eps = 10 * torch.finfo(op.dtype).eps
    anorm = 0.0
    for k in range(iters):
        Q[k] = q
        w = op(q)
        if not torch.isfinite(w).all():
            raise ValueError("the Hessian-vector product is not finite (NaN or overflow)")
        anorm = max(anorm, w.norm().item())
        alphas.append(torch.dot(q, w).item())
        w = w - alphas[-1] * q - (betas[-1] * Q[k - 1] if k else 0)  # three-term recurrence
        w = w - Q[:k + 1].T @ (Q[:k + 1] @ w)  # full reorthogonalization: keeps Q orthonormal
        beta = w.norm().item()
        if beta <= eps * anorm:  # Krylov space exhausted: the Ritz values are eigenvalues
            certified = True
            break
        if tol is not None and k + 1 >= min_iters and _converged(alphas, betas, beta, tol, ends):
            certified = True
            break
        if k + 1 == iters:
            break
        betas.append(beta)
        q = w / beta
    k = len(alphas)
    return torch.tensor(alphas, dtype=F64), torch.tensor(betas, dtype=F64), Q[:k], certified


def _start(n, seed, rademacher=False):
    g = torch.Generator().manual_seed(seed)
    if rademacher:
        return torch.randint(0, 2, (n,), generator=g).to(F64) * 2 - 1
    return torch.randn(n, generator=g, dtype=F64)


def lanczos(loss_fn, params, iters=60, seed=0, v0=None, tol=None, return_basis=False):
    """k <= iters Lanczos steps from v0 (default: seeded normal vector).
    Returns (alphas, betas) of the tridiagonal, plus the basis (k, n) if asked.
    tol: stop early once both extreme Ritz values have converged."""
    op = _HVP(loss_fn, params)
    v = _start(op.n, seed) if v0 is None else _as_flat(v0, params)
    a, b, Q = _lanczos(op, v, iters, tol)
    return (a, b, Q) if return_basis else (a, b)


def extremes(loss_fn, params, iters=60, tol=1e-4, seed=0):
    """(smallest, largest) Hessian eigenvalue by Lanczos, for any size. Stops once
    both Ritz residuals are <= tol * max|eigenvalue|, which keeps each end within
    about that of the truth (e.g. 1e-4 relative on a 4.4k-param MLP in 20-50 HVPs)."""
    a, b = lanczos(loss_fn, params, iters=iters, seed=seed, tol=tol)
    theta = ritz(a, b)[0]
    return theta[0].item(), theta[-1].item()


def lowest_eigenpair(loss_fn, params, iters=100, tol=1e-6, seed=0,
                     max_exact=MAX_EXACT_PARAMS):
    """Smallest eigenvalue and its unit eigenvector (list shaped like params) --
    the direction to escape a saddle point. Exact below max_exact, else Lanczos."""
    op = _HVP(loss_fn, params)
    if op.n <= max_exact:
        evals, evecs = torch.linalg.eigh(_dense(op))
        lam, v = evals[0].item(), evecs[:, 0]
    else:
        a, b, Q = _lanczos(op, _start(op.n, seed), iters, tol)
        theta, S = ritz(a, b)
        lam, v = theta[0].item(), Q.T @ S[:, 0]
    v = v / v.norm()
    v = v * torch.sign(v[v.abs().argmax()])  # fix the arbitrary sign: biggest entry > 0
    return lam, _unflat(v, params)


# ----------------------------------------------------------------------------
# warm-started measurements along a run

def operator(loss_fn, params):
    """The Hessian as a product v -> H v on flat float64 vectors (forward pass and first
    backward paid once), to share between several measurements at the same weights."""
    return _HVP(loss_fn, params)


class _Scaled:
    """v -> D (H + shift I) D v for a diagonal D given as a flat vector: the symmetric form
    of a preconditioned Hessian P^-1 (H + shift I) with D = P^-1/2, which has the same
    eigenvalues. One Hessian-vector product per call."""

    def __init__(self, op, d=None, shift=0.0):
        self.op, self.shift, self.n, self.dtype, self.zero = op, shift, op.n, op.dtype, op.zero
        self.d = None if d is None else d.detach().to(F64).reshape(-1)
        if self.d is not None and self.d.numel() != op.n:
            raise ValueError(f"scale: {self.d.numel()} entries for {op.n} parameters")

    def __call__(self, v):
        if self.d is None:
            return self.op(v) + self.shift * v
        dv = self.d * v
        return self.d * (self.op(dv) + self.shift * dv)


class CurvatureTracker:
    """The extreme Hessian eigenvalues measured again and again along a run, each
    measurement warm-started from the last one's Ritz vectors.

        tracker = CurvatureTracker()
        lam_min, lam_max, hvps = tracker.measure(loss_fn, params)   # cold: tens of products
        ...a few training steps...
        lam_min, lam_max, hvps = tracker.measure(loss_fn, params)   # warm: usually fewer

    ends="both" measures both ends; ends="top" only the largest (lam_min is then None).
    Each measurement stops at the first Lanczos step whose residual bounds certify the
    ends asked for to tol * max|eigenvalue| (see `_converged`), or after max_iters products.

    Warm start: ONE Krylov run from y_hi + y_lo + rho * r, the previous top and bottom Ritz
    vectors (unit, orthogonalised) plus some of a fresh random unit vector r. Along GD and
    Adam trajectories of the 2x64 tanh MLP (bench/bench_hessian.py, section 4) this needed
    fewer products than a block Lanczos from [y_lo, y_hi], than two one-end runs and than
    warm-starting the top end only; in other trials, keeping more Ritz vectors or weighting
    y_lo and y_hi differently did not help. The bottom end, at the edge of a crowd of
    near-zero eigenvalues, is what takes the products: along GD the warm start halves
    them; along Adam, whose steps move every weight, it saved nothing there. rho = 0.3
    costs about one product more than rho = 0: r is there so that every direction stays
    in the Krylov space, not for speed. The start vector never decides what is certified,
    only the cost; but it can let the run settle on an eigenvalue that another one has
    overtaken along a direction the start barely contains: `adopt` takes the ends of a
    cold run (the density's, every so often) to start from.

    Starts cold again (seeded random vector) on the first call, after `reset()`, when the
    parameter count changes, and when the previous vectors were not finite. Same seed,
    same numbers.
    """

    def __init__(self, tol=1e-4, max_iters=100, ends="both", seed=0, rho=0.3):
        if ends not in ("both", "top"):
            raise ValueError(f"ends: {ends!r}; allowed: both, top")
        self.tol, self.max_iters, self.ends, self.rho = tol, max_iters, ends, rho
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        """Forget the previous vectors: the next measurement starts cold."""
        self.vectors = None   # previous (bottom, top) Ritz vectors, flat float64 (bottom None: top only)
        self.last = None      # (lam_min, lam_max) of the previous measurement
        self.converged = None  # did the previous measurement certify its ends?
        self.gen = torch.Generator().manual_seed(self.seed)

    def measure(self, loss_fn, params, scale=None, shift=0.0):
        """(lam_min, lam_max, hvps) of H + shift I, or with `scale` = D of D (H + shift I) D."""
        return self.measure_operator(operator(loss_fn, params), scale, shift)

    def measure_operator(self, op, scale=None, shift=0.0):
        """As `measure`, for an operator built once by `operator(loss_fn, params)`."""
        A = _Scaled(op, scale, shift) if (scale is not None or shift) else op
        ends = (0, -1) if self.ends == "both" else (-1,)
        a, b, Q, self.converged = _lanczos_run(A, self._start(A.n), self.max_iters, self.tol, ends)
        theta, S = ritz(a, b)
        both = self.ends == "both"
        lo, hi = (theta[0].item() if both else None), theta[-1].item()
        self.vectors = (Q.T @ S[:, 0] if both else None, Q.T @ S[:, -1])
        self.last = (lo, hi)
        return lo, hi, len(a)

    def adopt(self, bottom, top) -> None:
        """Take both ends, (value, vector) each, from a cold run at the current weights (the
        density's, see `krylov_summary_op`): the next measurement warm-starts from them. A
        cold run every so often also keeps a warm-started sequence from following an
        eigenvalue that another one has overtaken."""
        lo, y_lo = bottom
        hi, y_hi = top
        both = self.ends == "both"
        self.vectors = (y_lo.detach().to(F64).reshape(-1) if both else None,
                        y_hi.detach().to(F64).reshape(-1))
        self.last = (lo if both else None, hi)

    def _start(self, n):
        r = torch.randn(n, generator=self.gen, dtype=F64)
        if self.vectors is None or self.vectors[1].numel() != n:
            return r
        y_lo, y_hi = self.vectors
        usable = lambda y: y is None or (torch.isfinite(y).all() and y.norm() > 0)  # noqa: E731
        if not (usable(y_hi) and usable(y_lo)):
            return r
        v = y_hi / y_hi.norm()
        if y_lo is not None:
            # Gram-Schmidt: the two vectors may be parallel (a one-dimensional Krylov space,
            # or vectors set from elsewhere); then one of them carries both ends
            y_lo = y_lo - (y_lo @ v) * v
            if y_lo.norm() > 1e-3:
                v = v + y_lo / y_lo.norm()
        return v / v.norm() + self.rho * r / r.norm()


# ----------------------------------------------------------------------------
# spectral density: stochastic Lanczos quadrature

def density_nodes(loss_fn, params, n_vectors=4, iters=60, seed=0):
    """Quadrature (nodes, weights) of the eigenvalue density, numpy arrays; weights
    sum to 1. Per Rademacher start vector v: Ritz values theta_j with weights
    (first component of the j-th Ritz vector)^2 = mass of v on that part of the
    spectrum; averaged over vectors. Exact (eigenvalues, 1/n) when n <= iters."""
    op = _HVP(loss_fn, params)
    if op.n <= iters:
        ev = torch.linalg.eigvalsh(_dense(op)).numpy()
        return ev, np.full(op.n, 1.0 / op.n)
    nodes, weights = [], []
    for i in range(n_vectors):
        a, b, _ = _lanczos(op, _start(op.n, seed + i, rademacher=True), iters)
        theta, S = ritz(a, b)
        nodes.append(theta.numpy())
        weights.append(S[0].numpy() ** 2 / n_vectors)
    return np.concatenate(nodes), np.concatenate(weights)


def smooth_density(nodes, weights, bins=400, sigma=None):
    """Sum of weighted Gaussians on a grid covering the nodes +- 5 sigma.
    Default sigma: 1% of the node span. Returns (grid, density), integral ~ 1."""
    lo, hi = float(nodes.min()), float(nodes.max())
    if sigma is None:
        sigma = 0.01 * (hi - lo) if hi > lo else 1e-3 * max(abs(hi), 1.0)
    grid = np.linspace(lo - 5 * sigma, hi + 5 * sigma, bins)
    z = (grid[:, None] - nodes[None, :]) / sigma
    dens = (np.exp(-0.5 * z ** 2) @ weights) / (sigma * math.sqrt(2 * math.pi))
    return grid, dens


def density(loss_fn, params, n_vectors=4, iters=60, bins=400, sigma=None, seed=0):
    """Smoothed Hessian eigenvalue density: (grid, density) numpy arrays."""
    nodes, weights = density_nodes(loss_fn, params, n_vectors, iters, seed)
    return smooth_density(nodes, weights, bins, sigma)


def krylov_summary(loss_fn, params, iters=30, seed=0):
    """One Krylov run, everything a live chart needs: (nodes, weights, smallest, largest).

    nodes/weights are the one-vector quadrature of the eigenvalue density (weights sum to 1);
    smallest/largest are the extreme Ritz values. Exact when the model is tiny."""
    nodes, weights, (lo, _), (hi, _), _ = krylov_summary_op(_HVP(loss_fn, params), iters, seed)
    return nodes, weights, lo, hi


def krylov_summary_op(op, iters=30, seed=0, tol=None, max_iters=100):
    """`krylov_summary` on an operator built once, with the extreme Ritz vectors and the
    products spent: (nodes, weights, (smallest, its vector), (largest, its vector), hvps).

    With tol, the same run goes on past `iters` (up to max_iters products) until both ends
    are certified to tol * max|eigenvalue| (`_converged`): a cold measurement of the ends
    for the price of max(iters, what the ends need), not their sum. The density still
    uses the first `iters` steps only, the quadrature of its random start vector."""
    if op.n <= iters:
        evals, evecs = torch.linalg.eigh(_dense(op))
        ev = evals.numpy()
        return (ev, np.full(op.n, 1.0 / op.n), (float(ev[0]), evecs[:, 0]),
                (float(ev[-1]), evecs[:, -1]), op.n)
    steps = iters if tol is None else max(iters, max_iters)
    a, b, Q, _ = _lanczos_run(op, _start(op.n, seed, rademacher=True), steps, tol, min_iters=iters)
    theta, S = ritz(a, b)
    nodes, vecs = ritz(a[:iters], b[:iters - 1])
    return (nodes.numpy(), (vecs[0] ** 2).numpy(), (theta[0].item(), Q.T @ S[:, 0]),
            (theta[-1].item(), Q.T @ S[:, -1]), len(a))

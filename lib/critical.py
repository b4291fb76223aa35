"""Critical points (lecture section 2): where the gradient is zero, and what the Hessian says there.

At a point θ′ the loss is, to second order (Taylor):
    L(θ) ≈ L(θ′) + (θ−θ′)ᵀg + ½(θ−θ′)ᵀH(θ−θ′)
At a critical point g = 0, so the quadratic term decides: all eigenvalues of H positive → local
minimum, all negative → local maximum, both signs → saddle point, a zero eigenvalue → the second
order cannot tell. At a saddle, stepping along the eigenvector u of a negative eigenvalue λ changes
the loss by ½λ‖Δ‖² < 0: the way out.

Two-parameter surfaces take w as a tensor (..., 2) (lib.models' convention). The many-short-runs
experiment trains tiny MLPs to a point of small gradient and records the minimum ratio there.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from . import hessian
from .models import make_mlp, toy_w1w2

F64 = torch.float64
VERDICTS = ("minimum", "maximum", "saddle", "undecided")


def bumps(w: torch.Tensor) -> torch.Tensor:
    """cos(πw₁) + cos(πw₂): maxima where both coordinates are even integers, minima where both are
    odd, saddle points where one is even and one odd — every kind of critical point on one surface."""
    return torch.cos(math.pi * w[..., 0]) + torch.cos(math.pi * w[..., 1])


SURFACES = {"toy": toy_w1w2, "bumps": bumps}
BOX = (-2.0, 2.0)  # both surfaces are drawn on [-2, 2]²


# -- one point ---------------------------------------------------------------------------------------
def verdict(eigenvalues, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> str:
    """The kind of critical point from the signs of the Hessian's eigenvalues.

    An eigenvalue within rel_tol·max|λ| (+ abs_tol) of zero counts as zero: then the quadratic term
    is flat along its eigenvector and only higher orders could decide ("undecided")."""
    ev = np.asarray(eigenvalues, dtype=float).reshape(-1)
    zero = rel_tol * float(np.abs(ev).max(initial=0.0)) + abs_tol
    if np.any(np.abs(ev) <= zero):
        return "undecided"
    if np.all(ev > 0):
        return "minimum"
    if np.all(ev < 0):
        return "maximum"
    return "saddle"


def analyze(fn, point, grad_tol: float = 1e-6) -> dict:
    """Loss, gradient, Hessian, its eigen-decomposition and the verdict at a point of a 2-D surface.

    `critical` says whether the gradient vanishes there (‖g‖ ≤ grad_tol); the eigenvalue verdict is
    given either way (away from a critical point it describes the local curvature only)."""
    w = torch.as_tensor(point, dtype=F64).reshape(2)
    loss = float(fn(w))
    grad = torch.func.grad(fn)(w)
    H = torch.func.hessian(fn)(w)
    H = (H + H.T) / 2
    evals, evecs = torch.linalg.eigh(H)
    # fix each eigenvector's arbitrary sign: its largest entry positive
    for j in range(evecs.shape[1]):
        v = evecs[:, j]
        evecs[:, j] = v * torch.sign(v[v.abs().argmax()])
    g = grad.numpy()
    return {"point": w.numpy(), "loss": loss, "grad": g, "grad_norm": float(np.linalg.norm(g)),
            "hessian": H.numpy(), "eigenvalues": evals.numpy(), "eigenvectors": evecs.numpy(),
            "verdict": verdict(evals.numpy()), "critical": float(np.linalg.norm(g)) <= grad_tol}


def escape_step(fn, point, size: float = 0.3) -> tuple[np.ndarray, float, float]:
    """One step of length `size` along the eigenvector of the most negative Hessian eigenvalue.

    Returns (new point, loss before, loss after). Both ±u lower the loss to second order at a
    saddle; the sign that does not raise the gradient term is taken (+u when g = 0)."""
    a = analyze(fn, point)
    lam, u = a["eigenvalues"][0], a["eigenvectors"][:, 0]
    if lam >= 0:
        raise ValueError("escape_step: no negative eigenvalue here; not a saddle point or maximum")
    if float(a["grad"] @ u) > 0:
        u = -u
    new = a["point"] + size * u
    return new, a["loss"], float(fn(torch.as_tensor(new, dtype=F64)))


def taylor(fn, center, point) -> dict:
    """The second-order Taylor expansion around `center`, evaluated at `point`, term by term."""
    a = analyze(fn, center)
    d = np.asarray(point, dtype=float).reshape(2) - a["point"]
    linear = float(a["grad"] @ d)
    quadratic = 0.5 * float(d @ a["hessian"] @ d)
    exact = float(fn(torch.as_tensor(point, dtype=F64).reshape(2)))
    return {"center": a["point"], "point": a["point"] + d, "delta": d, "loss0": a["loss"],
            "grad": a["grad"], "hessian": a["hessian"], "linear": linear, "quadratic": quadratic,
            "approx": a["loss"] + linear + quadratic, "exact": exact}


def critical_points(name: str, lo: float = BOX[0], hi: float = BOX[1]) -> list[tuple[float, float, str]]:
    """Known critical points of a surface inside [lo, hi]², with their kind (from the analysis above;
    the tests check the gradient really vanishes and the kind agrees with `verdict`)."""
    if name == "toy":
        # (0, 0) is a saddle; the valley w1·w2 = 1 is all minima (loss 0) — see `minimum_valley`
        return [(0.0, 0.0, "saddle")]
    if name == "bumps":
        out = []
        for i in range(math.ceil(lo), math.floor(hi) + 1):
            for j in range(math.ceil(lo), math.floor(hi) + 1):
                kind = {0: "maximum", 2: "minimum"}.get(i % 2 + j % 2, "saddle")
                out.append((float(i), float(j), kind))
        return out
    raise ValueError(f"surface: unknown value {name!r}; allowed: {', '.join(SURFACES)}")


def minimum_valley(lo: float = BOX[0], hi: float = BOX[1], n: int = 60) -> list[np.ndarray]:
    """The toy's line of minima w1·w2 = 1 inside the box, as its two branches (arrays (k, 2))."""
    w1 = np.linspace(1.0 / hi, hi, n)
    branch = np.stack([w1, 1.0 / w1], 1)
    return [branch, -branch]


# -- gradient descent on a surface -------------------------------------------------------------------
def gd_steps(fn, point, lr: float, n: int, limit: float = 10.0) -> np.ndarray:
    """n plain gradient-descent steps from `point`; returns the visited points (n+1, 2), fewer if the
    path leaves the box |w| ≤ limit or becomes non-finite (a too-large learning rate)."""
    w = torch.as_tensor(point, dtype=F64).reshape(2).clone()
    grad = torch.func.grad(fn)
    out = [w.numpy().copy()]
    for _ in range(n):
        w = w - lr * grad(w)
        if not torch.isfinite(w).all() or w.abs().max() > limit:
            break
        out.append(w.numpy().copy())
    return np.array(out)


# -- a network's critical points ---------------------------------------------------------------------
def full_grad_norm(loss_fn, params) -> float:
    grads = torch.autograd.grad(loss_fn(), params, allow_unused=True, materialize_grads=True)
    return float(torch.linalg.vector_norm(torch.cat([g.reshape(-1) for g in grads])))


def network_summary(loss_fn, params, max_exact: int = hessian.MAX_EXACT_PARAMS) -> dict:
    """Gradient norm, exact spectrum's ends, minimum ratio and eigenvalue verdict of a small net."""
    ev = hessian.spectrum(loss_fn, params, max_params=max_exact).numpy()
    return {"grad_norm": full_grad_norm(loss_fn, params), "lam_min": float(ev[0]),
            "lam_max": float(ev[-1]), "ratio": hessian.positive_ratio(ev),
            "verdict": verdict(ev, rel_tol=1e-4), "eigenvalues": ev}


def short_run(x: torch.Tensor, y: torch.Tensor, seed: int, width: int = 4, steps: int = 1500,
              grad_tol: float = 1e-3, lr: float = 0.03) -> dict:
    """Train a tiny 1-hidden-layer tanh MLP (MSE, full batch) from seed `seed` until its gradient is
    small (‖∇L‖ ≤ grad_tol) or `steps` updates are spent; Adam with a learning rate that decays
    linearly to zero, so the run settles. Returns the end point's training loss, minimum ratio
    (exact spectrum), gradient norm, whether it got below grad_tol, and the steps taken."""
    model = make_mlp(x.shape[1], y.shape[1], depth=1, width=width, activation="tanh", seed=seed).double()
    x, y = x.double(), y.double()
    params = list(model.parameters())

    def loss_fn():
        return torch.mean((model(x) - y) ** 2)

    opt = torch.optim.Adam(params, lr=lr)
    taken = 0
    for taken in range(steps):
        opt.zero_grad()
        loss_fn().backward()
        gnorm = float(torch.linalg.vector_norm(torch.cat([p.grad.reshape(-1) for p in params])))
        if gnorm <= grad_tol:
            break
        for group in opt.param_groups:
            group["lr"] = lr * (1 - taken / steps)
        opt.step()
    else:
        taken = steps
    summary = network_summary(loss_fn, params)
    with torch.no_grad():
        loss = float(loss_fn())
    return {"seed": seed, "loss": loss, "ratio": summary["ratio"], "grad_norm": summary["grad_norm"],
            "converged": summary["grad_norm"] <= grad_tol, "steps": taken,
            "lam_min": summary["lam_min"], "verdict": summary["verdict"]}

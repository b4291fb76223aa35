"""Section 6 of the lecture: why normalizing features makes the error surface round, and what batch
normalization computes in train mode (the batch's μ, σ) and in eval mode (the running μ̄, σ̄).

The linear model is y = w1·x1 + w2·x2 + b with x1 on a small scale and x2 on a large one. Its mean
squared error is quadratic in (w1, w2); with b at its best value for each (w1, w2) the Hessian is
exactly 2·Cov(x), so the surface's shape is the features' covariance: scales 1 and 10 give an
ellipse 10 times longer than wide and a condition number of about 100.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

BN_EPS = 1e-5  # torch.nn.BatchNorm1d's default

# The page's section 1 opens with x₂ on RATIO times x₁'s scale, descends from START (a poor
# start on the raw features; the normalized surface starts at the same model, w̃ = w·σ) with
# η = LR_FACTOR / λ_max for GD_STEPS steps. Section 3 shows these batch sizes.
RATIO = 10
START = (-2.0, 1.0)
LR_FACTOR = 1.0
GD_STEPS = 100
SMALL_BATCHES = (1, 2, 3, 4, 8, 32)


# -- feature normalization -------------------------------------------------------------------------
def scaled_features(n: int = 200, scales=(1.0, 10.0), means=(1.0, 10.0), w_true=(2.0, -0.5),
                    b_true: float = 1.0, noise: float = 0.1, seed: int = 0):
    """Inputs x (n, 2) with feature i ~ mean_i + scale_i·N(0, 1), targets y = w·x + b + noise."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn(n, 2, generator=gen, dtype=torch.float64)
    x = torch.tensor(means, dtype=torch.float64) + z * torch.tensor(scales, dtype=torch.float64)
    y = x @ torch.tensor(w_true, dtype=torch.float64) + b_true
    y = y + noise * torch.randn(n, generator=gen, dtype=torch.float64)
    return x, y


def normalize(x: torch.Tensor):
    """The lecture's feature normalization over R examples (rows):

        m_i = Σ_r x_i^r / R,   σ_i = sqrt(Σ_r (x_i^r − m_i)² / R),   x̃_i^r = (x_i^r − m_i) / σ_i

    Returns (x̃, m, σ). σ divides by R (not R − 1), as in the lecture; then x̃ has variance exactly 1.
    """
    m = x.mean(0)
    sigma = ((x - m) ** 2).mean(0).sqrt()
    if bool((sigma == 0).any()):
        raise ValueError("normalize: a feature is constant (σ = 0) and cannot be normalized")
    return (x - m) / sigma, m, sigma


def best_bias(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """For weights w (..., 2): the b minimizing the squared error, ȳ − w·m."""
    return y.mean() - w @ x.mean(0)


def linear_loss(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """L(w1, w2) = mean_r (w·x^r + b − y^r)² with b at its best value; w has shape (..., 2)."""
    b = best_bias(w, x, y)
    pred = torch.einsum("...i,ri->...r", w, x) + b[..., None]
    return ((pred - y) ** 2).mean(-1)


def linear_grad(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """∂L/∂w for linear_loss (b's own derivative is 0 at its best value)."""
    xc, yc = x - x.mean(0), y - y.mean()
    return 2 * (xc.T @ (xc @ w - yc)) / x.shape[0]


def linear_hessian(x: torch.Tensor) -> torch.Tensor:
    """The exact Hessian of linear_loss: 2·Cov(x) with Cov dividing by R. The same everywhere."""
    xc = x - x.mean(0)
    return 2 * xc.T @ xc / x.shape[0]


def least_squares(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The minimum (w1*, w2*) of linear_loss."""
    xc, yc = x - x.mean(0), y - y.mean()
    return torch.linalg.solve(xc.T @ xc, xc.T @ yc)


def condition_number(h: torch.Tensor) -> float:
    """λ_max / λ_min of a symmetric positive-definite matrix."""
    eig = torch.linalg.eigvalsh(h)
    if float(eig[0]) <= 0:
        return float("inf")
    return float(eig[-1] / eig[0])


def gd_path(x: torch.Tensor, y: torch.Tensor, w0, lr: float, steps: int) -> torch.Tensor:
    """Gradient descent on linear_loss from w0: the points w_0 … w_steps, shape (steps + 1, 2)."""
    w = torch.as_tensor(w0, dtype=x.dtype).clone()
    path = [w.clone()]
    for _ in range(steps):
        w = w - lr * linear_grad(w, x, y)
        if not bool(torch.isfinite(w).all()):
            break
        path.append(w.clone())
    return torch.stack(path)


def steps_to_reach(path: torch.Tensor, x, y, tol: float = 0.01) -> int | None:
    """First step whose distance to the minimum is below tol × the start's; None if never.

    Distance, not excess loss: on a long thin surface one step can remove nearly all the loss in
    the steep direction while the weights are still far off along the flat one, so "1 % of the
    loss left" would call a start that is wrong in the steep direction done after one step."""
    d = (path - least_squares(x, y)).norm(dim=-1)
    hit = torch.nonzero(d <= tol * d[0]).flatten()
    return int(hit[0]) if len(hit) else None


@dataclass
class Descent:
    """Gradient descent on one linear model's surface, as section 1 of the page draws it."""
    path: torch.Tensor     # w_0 … w_steps
    kappa: float           # the Hessian's condition number
    reached: int | None    # steps_to_reach
    lam_max: float         # the Hessian's largest eigenvalue; η = factor / lam_max
    diverged: bool         # the path ends farther from the minimum than it began (or overflowed)


def descend(x: torch.Tensor, y: torch.Tensor, w0, factor: float = LR_FACTOR,
            steps: int = GD_STEPS) -> Descent:
    """Gradient descent with η = factor / λ_max of this surface (above 2 it diverges)."""
    h = linear_hessian(x)
    lam_max = float(torch.linalg.eigvalsh(h)[-1])
    path = gd_path(x, y, w0, factor / lam_max, steps)
    d = (path - least_squares(x, y)).norm(dim=-1)
    diverged = len(path) <= steps or bool(d[-1] > d[0])
    return Descent(path, condition_number(h), steps_to_reach(path, x, y), lam_max, diverged)


def page_features(ratio: float):
    """Section 1's data: x₂ on `ratio` times x₁'s scale and mean."""
    return scaled_features(scales=(1.0, float(ratio)), means=(1.0, float(ratio)))


@dataclass
class SurfaceView:
    """One of section 1's two error surfaces as the page draws it: the data, the descent on it,
    its minimum, and a square box around the minimum that holds the start."""
    x: torch.Tensor
    y: torch.Tensor
    start: torch.Tensor
    descent: Descent
    best: torch.Tensor
    lo: tuple[float, float]
    hi: tuple[float, float]

    def loss(self, w: torch.Tensor) -> torch.Tensor:
        """linear_loss on this surface for weights w (..., 2) of any float type."""
        return linear_loss(w.to(self.x.dtype), self.x, self.y)


def surface_view(x, y, start, factor: float = LR_FACTOR, steps: int = GD_STEPS,
                 margin: float = 1.3) -> SurfaceView:
    """Descend from `start` and frame the surface: equal axes centred on the minimum, reaching
    `margin` times the start's farthest coordinate (so the path's start is always in view)."""
    start = torch.as_tensor(start, dtype=x.dtype)
    best = least_squares(x, y)
    half = float((start - best).abs().max()) * margin
    lo = (float(best[0]) - half, float(best[1]) - half)
    hi = (float(best[0]) + half, float(best[1]) + half)
    return SurfaceView(x, y, start, descend(x, y, start, factor, steps), best, lo, hi)


def compare_surfaces(ratio: float = RATIO, factor: float = LR_FACTOR, steps: int = GD_STEPS):
    """Section 1: the raw features (x₂ on `ratio` times x₁'s scale) and the normalized ones, each
    descended from START. On x̃ the start is START·σ (w̃_i = w_i·σ_i gives the same predictions),
    so both paths begin at the same model. Returns (raw, normalized) SurfaceViews."""
    x, y = page_features(ratio)
    xn, _, sigma = normalize(x)
    w0 = torch.tensor(START, dtype=x.dtype)
    return surface_view(x, y, w0, factor, steps), surface_view(xn, y, w0 * sigma, factor, steps)


def original_weights(w_norm: torch.Tensor, m: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Weights learnt on x̃ expressed on the original features: w̃_i·x̃_i = (w̃_i/σ_i)·x_i + const."""
    return w_norm / sigma


# -- batch normalization: train mode against eval mode ---------------------------------------------
def batch_stats(h: torch.Tensor):
    """What BatchNorm1d computes in train mode for a batch h (B, C): μ and σ² dividing by B."""
    mu = h.mean(0)
    return mu, ((h - mu) ** 2).mean(0)


def bn_apply(h: torch.Tensor, mean, var, weight=None, bias=None, eps: float = BN_EPS):
    """(h − μ)/sqrt(σ² + ε)·γ + β, the formula both modes share; only (μ, σ²) differ."""
    out = (h - mean) / torch.sqrt(var + eps)
    if weight is not None:
        out = out * weight + bias
    return out


@dataclass
class LayerStats:
    """One BatchNorm1d layer seen on one batch: the batch's μ, σ and the running μ̄, σ̄."""
    batch_mean: torch.Tensor
    batch_std: torch.Tensor
    running_mean: torch.Tensor
    running_std: torch.Tensor
    normalized: torch.Tensor     # the layer's x̃ = (h − μ)/sqrt(σ² + ε) for this batch (train mode)


@torch.no_grad()
@torch.no_grad()
def bn_layer_stats(model: nn.Sequential, x: torch.Tensor, layers: int | None = None) -> list[LayerStats]:
    """Walk a Sequential on batch x as in train mode, without touching the running statistics,
    up to its `layers`-th BN layer (all of them by default).

    Works for any batch size, one included: there σ = 0 and every x̃ is 0, which is why
    torch refuses a batch of one in train mode."""
    out, h = [], x
    for layer in model:
        if layers is not None and len(out) >= layers:
            break
        if isinstance(layer, nn.BatchNorm1d):
            mu, var = batch_stats(h)
            out.append(LayerStats(mu, var.sqrt(), layer.running_mean.clone(),
                                  layer.running_var.sqrt(), bn_apply(h, mu, var, eps=layer.eps)))
            h = bn_apply(h, mu, var, layer.weight, layer.bias, layer.eps)
        else:
            h = layer(h)
    return out


def first_layer_stats(model: nn.Sequential, x: torch.Tensor, batch_size: int) -> LayerStats:
    """The first BN layer on the first `batch_size` rows of x: what the page shows, every frame of
    a playing panel (so only the layers up to it, and no autograd graph)."""
    return bn_layer_stats(model, x[:batch_size], layers=1)[0]


def untrained_bn_net(config) -> tuple[nn.Sequential, torch.Tensor]:
    """The config's network with batch norm, untrained, and its training inputs."""
    from ..engine.models import make_mlp
    from ..engine.trainer import dataset_for

    data = dataset_for(config)
    model = make_mlp(data.n_features, data.n_outputs, config.depth, config.width, config.activation,
                     True, config.seed)
    return model, data.x_train

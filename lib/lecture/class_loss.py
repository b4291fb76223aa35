"""Section 7 of the lecture: softmax + MSE against softmax + cross-entropy for three classes.

The network's outputs are the logits (y1, y2, y3); y' = softmax(y) is compared with the one-hot
target ŷ. Here the target is class 1, y3 is held fixed and the loss is drawn over (y1, y2). Where
the loss is large (y1 ≪ y2) softmax saturates: MSE's surface is flat there (gradient ≈ 0), while
cross-entropy still slopes (gradient ≈ 1 per logit), so gradient descent from such a bad start
stalls with MSE and moves with cross-entropy.
"""
from __future__ import annotations

import torch

LOSS_NAMES = ("mse", "ce")
TARGET = 0          # class 1 (index 0): ŷ = (1, 0, 0)
BAD_START = (-6.0, 6.0)   # y1 far below y2: the wrong class is confident, the lecture's bad start
LO, HI, GRID = -8.0, 8.0, 41   # the page's (y1, y2) square and its grid points per axis
STEP_SIZE = 1.0           # the page's gradient descent on (y1, y2): learning rate …
STEPS = 150               # … and steps
HEAD_SCALE = 30           # the network's bad start: its output layer scaled by this


def logits(y1: torch.Tensor, y2: torch.Tensor, y3: float) -> torch.Tensor:
    """Stack (y1, y2) of any shape with the fixed y3 into logits (..., 3)."""
    return torch.stack([y1, y2, torch.full_like(y1, float(y3))], -1)


def mse(z: torch.Tensor, target: int = TARGET) -> torch.Tensor:
    """Σ_k (softmax(z)_k − ŷ_k)² over the last axis."""
    p = torch.softmax(z, -1)
    one_hot = torch.zeros(z.shape[-1], dtype=z.dtype)
    one_hot[target] = 1.0
    return ((p - one_hot) ** 2).sum(-1)


def cross_entropy(z: torch.Tensor, target: int = TARGET) -> torch.Tensor:
    """−log softmax(z)_target over the last axis."""
    return -torch.log_softmax(z, -1)[..., target]


LOSSES = {"mse": mse, "ce": cross_entropy}


def loss_fn(name: str):
    if name not in LOSSES:
        raise ValueError(f"loss: unknown value {name!r}; allowed: {', '.join(LOSS_NAMES)}")
    return LOSSES[name]


def surface(name: str, y3: float = 0.0, lo: float = LO, hi: float = HI, steps: int = GRID):
    """The loss over a (y1, y2) grid: returns (y1 values, y2 values, loss[steps(y2), steps(y1)])."""
    steps = int(max(2, min(steps, 201)))
    g = torch.linspace(lo, hi, steps, dtype=torch.float64)
    y2, y1 = torch.meshgrid(g, g, indexing="ij")
    with torch.no_grad():
        return g, g, loss_fn(name)(logits(y1, y2, y3))


def surface_fn(name: str, y3: float = 0.0):
    """The loss as a function of points (..., 2) of the (y1, y2) plane, for a heat map."""
    f = loss_fn(name)
    return lambda w: f(logits(w[..., 0].double(), w[..., 1].double(), y3))


def gradient(name: str, y1: float, y2: float, y3: float = 0.0) -> torch.Tensor:
    """(∂L/∂y1, ∂L/∂y2) at one point, by autograd."""
    w = torch.tensor([y1, y2], dtype=torch.float64, requires_grad=True)
    loss = loss_fn(name)(logits(w[0], w[1], y3))
    (g,) = torch.autograd.grad(loss, w)
    return g


def descend(name: str, start=BAD_START, y3: float = 0.0, lr: float = 1.0, steps: int = 100):
    """Gradient descent on (y1, y2) from `start`: points (steps + 1, 2), losses and gradient norms."""
    steps = int(max(0, min(steps, 5000)))
    w = torch.tensor(start, dtype=torch.float64)
    points, losses, norms = [w.clone()], [], []
    f = loss_fn(name)
    for _ in range(steps + 1):
        w_ = w.clone().requires_grad_(True)
        loss = f(logits(w_[0], w_[1], y3))
        (g,) = torch.autograd.grad(loss, w_)
        losses.append(float(loss.detach()))
        norms.append(float(g.norm()))
        if len(points) > steps:
            break
        w = w - lr * g
        points.append(w.clone())
    return torch.stack(points), losses, norms


def bad_start(model: torch.nn.Sequential, scale: float) -> None:
    """Multiply the output layer of an MLP by `scale`: its logits grow large, softmax saturates and
    many points start confidently wrong — the MLP version of the lecture's bad start."""
    head = model[-1]
    with torch.no_grad():
        head.weight.mul_(scale)
        head.bias.mul_(scale)


def bad_start_run(run, scale: float) -> None:
    """Give a fresh lib.trainer.Run (no update taken yet) the bad start, and re-measure step 0."""
    from ..engine.history import History

    if run.step != 0:
        raise ValueError("bad start: only a run that has not taken an update can be rescaled")
    bad_start(run.model, scale)
    run.evals = History(run.evals.columns, run.evals.cap)
    run.curvature = History(run.curvature.columns, run.curvature.cap)
    run.spectrum_nodes = None
    run.measure()


def give_bad_start(runs, scale: float) -> None:
    """The page's bad start for the runs that have not had one: a fresh run (first visit, Reset, a
    setting that starts over, a lesson step) is rescaled once and remembers its `head_scale`."""
    for run in runs:
        if getattr(run, "head_scale", None) is None and run.step == 0:
            bad_start_run(run, scale)
            run.head_scale = scale

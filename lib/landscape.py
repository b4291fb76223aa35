"""The error surface of the network being trained, through its current weights, while it trains.

    scope = Landscape(run)                 # at the run's start: draws the directions, fixes the plane
    run.advance(20); scope.record(run)     # each frame: the path's newest point (O(parameters))
    scope.top_slice(run)                   # 1-D: along the top Hessian eigenvector (unit norm)
    scope.random_slice(run)                # 1-D: along a random filter-normalized direction
    scope.plane_step(run, max_seconds=0.02)  # 2-D: a few more grid rows; a Plane when one completes

What is evaluated. The training objective the run's Hessian is measured on (`Run.hessian_closure`):
the loss on the fixed subset `Run.hessian_batch()` (up to 512 training points) in TRAIN mode, so
batch norm normalizes with that subset's own μ, σ; its running μ̄, σ̄ are neither used nor moved
(each BatchNorm stops tracking while a slice is evaluated). The second derivative of a slice at 0
along a unit vector v is therefore vᵀHv for the same H whose λ_max the panel charts
(tests/test_landscape.py checks it against Lanczos and against a Hessian-vector product).

Filter normalization (Li, Xu, Taylor, Studer, Goldstein, "Visualizing the Loss Landscape of Neural
Nets", NeurIPS 2018, section 4): a Gaussian direction d is rescaled filter by filter so that each
filter of d has the norm of the same filter of the weights θ: d_ij ← d_ij / ‖d_ij‖ · ‖θ_ij‖. A
filter is what makes one output unit: a conv layer's output channel, and for a fully connected
layer (a 1×1 conv, as the paper says) the row of the weight matrix into one neuron. This removes
the scale invariance that makes a net with large weights look flat. Biases and batch norm's γ, β
(every parameter with one dimension) get a zero direction, as in the authors' released code with
which the paper's figures were made (tomgoldstein/loss-landscape, `ignore='biasbn'`): along a
slice they keep their current values. Then ‖d‖ = ‖W‖, the norm of all weight matrices, so the
coordinate α = 1 is one weight-norm away.

The plane's two directions are drawn and normalized once, at the weights the Landscape is made at
(the run's start), and then kept, so frames compare and the path can be projected cheaply: each
recorded point costs two dot products over the parameters. Random directions in high dimension
are nearly orthogonal to any given trajectory (Li et al. section 7): the projected path shows only
a small share of how far the weights moved; `record` keeps that distance out of the plane (`off`).

Batched evaluation: `torch.func.functional_call` + `torch.func.vmap` over grid points, in chunks
whose memory is bounded (MEMORY_BUDGET); a plane is evaluated a chunk at a time (`plane_step`)
around weights frozen when its sweep began, so a panel can spread it over several frames and the
numbers do not depend on how it was spread. Bounds: MAX_PARAMS parameters, MAX_SLICE_POINTS points
per 1-D slice, MAX_GRID per side, and MAX_PLANE_FLOPS per plane (a larger net gets a coarser grid,
said in `Plane.grid`); bench/bench_landscape.py prints the costs.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch.func import functional_call, vmap

from .history import History

MAX_PARAMS = 100_000        # the largest panel net (6×128 on digits, with BN) has 93,706
SLICE_POINTS = 41           # default points of a 1-D slice
MAX_SLICE_POINTS = 201
PLANE_GRID = 31             # default grid side of the plane
MAX_GRID = 61
MIN_GRID = 11               # a plane shrunk to fit MAX_PLANE_FLOPS keeps at least this side
MAX_PLANE_FLOPS = 40e9      # forward-pass FLOPs per plane (about 2·points·parameters per grid point)
MEMORY_BUDGET = 32 * 2**20  # bytes one chunk of batched evaluation may hold (weights + activations)
MAX_CHUNK = 256             # grid points per chunk
PATH_CAP = 2000             # recorded path points (evenly thinned beyond, see lib/history.py)
PLANE_CAP = 100             # completed planes kept for replay (31×31 float32: 3.8 kB each)


# -- the objective as a function of flat weights --------------------------------------------------

class Objective:
    """The run's Hessian objective L(θ) for flat weight vectors θ (the order of `run.params`).

    `losses(center, directions, coeffs)` evaluates L(center + coeffs @ directions) row by row,
    batched by vmap in chunks of `chunk` rows."""

    def __init__(self, run):
        self.model, self.loss_fn = run.model, run.loss_fn
        self.x, self.y = run.hessian_batch()
        named = list(self.model.named_parameters())
        self.names = [name for name, _ in named]
        self.shapes = [p.shape for _, p in named]
        self.sizes = [p.numel() for _, p in named]
        self.n = sum(self.sizes)
        if self.n > MAX_PARAMS:
            raise ValueError(f"model: {self.n:,} parameters, above the loss-landscape limit of "
                             f"{MAX_PARAMS:,}; choose a smaller depth or width")
        points = self.x.shape[0]
        units = sum(m.out_features for m in self.model.modules() if isinstance(m, torch.nn.Linear))
        # forward pass of an MLP: each weight is used once per sample, a multiply and an add
        self.flops = 2 * points * self.n
        # a chunk row holds its weights (and the product that builds them) and, per sample and
        # unit, the Linear output, the normalized one and the activation, with room to spare
        self.bytes_per_point = 4 * (2 * self.n + 4 * points * units)
        self.chunk = int(max(1, min(MAX_CHUNK, MEMORY_BUDGET // self.bytes_per_point)))

    def weights(self) -> torch.Tensor:
        """The current weights, flat (a copy)."""
        return torch.cat([p.detach().reshape(-1) for p in self.model.parameters()])

    def _loss(self, flat):
        params = {name: t.view(shape) for name, t, shape in
                  zip(self.names, flat.split(self.sizes), self.shapes)}
        return self.loss_fn(functional_call(self.model, params, (self.x,)), self.y)

    @torch.no_grad()
    def losses(self, center, directions, coeffs, batched=True) -> torch.Tensor:
        """L(center + c @ directions) for each row c of coeffs (m, k); directions (k, n).
        batched=False: one plain forward pass per row (the benchmark's baseline)."""
        center = center.to(self.x.dtype)
        directions = directions.to(self.x.dtype)
        coeffs = torch.as_tensor(coeffs, dtype=self.x.dtype)
        out = torch.empty(coeffs.shape[0], dtype=self.x.dtype)
        with batch_statistics(self.model):
            if batched:
                at = vmap(lambda c: self._loss(center + c @ directions))
                for i in range(0, coeffs.shape[0], self.chunk):
                    out[i:i + self.chunk] = at(coeffs[i:i + self.chunk])
            else:
                for i, c in enumerate(coeffs):
                    out[i] = self._loss(center + c @ directions)
        return out


class batch_statistics:
    """Train-mode batch norm that normalizes with the batch's own μ, σ and leaves the running μ̄,
    σ̄ untouched (vmap could not write batched values into them anyway)."""

    def __init__(self, model: torch.nn.Module):
        self.norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
        self.model = model

    def __enter__(self):
        self.was_training = self.model.training
        self.model.train()
        self.tracking = [m.track_running_stats for m in self.norms]
        for m in self.norms:
            m.track_running_stats = False

    def __exit__(self, *exc):
        for m, tracking in zip(self.norms, self.tracking):
            m.track_running_stats = tracking
        self.model.train(self.was_training)
        return False


# -- directions --------------------------------------------------------------------------------

def filter_normalize(direction: list[torch.Tensor], weights: list[torch.Tensor]) -> list[torch.Tensor]:
    """Li et al.'s filter normalization (see the module docstring): each filter (row along the
    first dimension) of a weight matrix rescaled to the norm of the same filter of `weights`;
    one-dimensional parameters (biases, BN's γ and β) get zero."""
    out = []
    for d, w in zip(direction, weights):
        if w.dim() <= 1:
            out.append(torch.zeros_like(w))
            continue
        d_norm = d.reshape(d.shape[0], -1).norm(dim=1)
        w_norm = w.detach().reshape(w.shape[0], -1).norm(dim=1)
        scale = w_norm / d_norm.clamp_min(torch.finfo(d.dtype).tiny)
        out.append(d * scale.view(-1, *([1] * (d.dim() - 1))))
    return out


def gaussian(params, gen: torch.Generator) -> list[torch.Tensor]:
    return [torch.randn(p.shape, generator=gen, dtype=p.dtype) for p in params]


def flat(tensors) -> torch.Tensor:
    return torch.cat([t.reshape(-1) for t in tensors])


def top_eigenvector(run):
    """(λ_max, its unit eigenvector, flat) at the run's current weights, from the run's own
    curvature measurement (`run.measure_curvature()`: free when the panel measured this step
    already, otherwise one warm-started Lanczos run). None when the loss has no spectrum (NaN).
    The vector is the top Ritz vector the run's CurvatureTracker keeps; its Rayleigh quotient is
    the λ_max the panel charts."""
    row = run.measure_curvature()
    tracker = run.tracker
    if row is None or row["step"] != run.step or tracker.vectors is None or tracker.last is None:
        return None
    lam, v = tracker.last[1], tracker.vectors[1]
    if not (math.isfinite(lam) and torch.isfinite(v).all() and v.norm() > 0):
        return None
    return lam, (v / v.norm()).float()


def quadratic_span(loss: float, lam: float, rise: float = 4.0) -> float:
    """Distance r at which the quadratic model ½·λ·r² rises by `rise` times the loss: the
    default half-width of the top-eigenvector slice (at least 1e-3 of a loss unit of rise)."""
    return math.sqrt(2 * rise * max(loss, 1e-3) / lam)


# -- results -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slice:
    """Loss along θ + α·d at the run's `step`. kind "top": d is the unit top eigenvector and
    `curvature` its λ_max (so α is a distance and ½·λ·α² the quadratic model); kind "random":
    d is filter-normalized, α = 1 one weight-norm away. `distance` = α·‖d‖ for a common axis."""
    step: int
    kind: str
    alphas: np.ndarray
    losses: np.ndarray
    norm: float
    curvature: float | None = None

    @property
    def distance(self) -> np.ndarray:
        return self.alphas * self.norm


@dataclass(frozen=True)
class Plane:
    """Loss on the grid θ_c + α·d1 + β·d2 (losses[i, j] at β = betas[i], α = alphas[j]) around
    the weights θ_c of update `step`; `center` = θ_c's coordinates in the path's frame, so the
    path relative to this plane is (a − center[0], b − center[1]) (`Landscape.path_on`)."""
    step: int
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    center: tuple[float, float]
    grid: int
    seconds: float  # evaluation time it took (summed over the frames it was spread over)


class Sweep:
    """Evaluation of fixed coefficient rows around weights frozen at its start, a chunk at a
    time. The chunks depend only on the model's size, never on the time given, so the numbers
    are the same however the work is spread."""

    def __init__(self, objective: Objective, center, directions, coeffs, step: int):
        self.objective, self.center, self.directions = objective, center, directions
        self.coeffs = torch.as_tensor(coeffs, dtype=torch.float32)
        self.step = step
        self.losses = torch.full((self.coeffs.shape[0],), float("nan"))
        self.done_rows = 0
        self.seconds = 0.0

    @property
    def done(self) -> bool:
        return self.done_rows >= self.coeffs.shape[0]

    def advance(self, max_seconds: float | None = None) -> bool:
        """Evaluate chunks until done or `max_seconds` spent (at least one chunk). True when done."""
        start = time.perf_counter()
        chunk = self.objective.chunk
        while not self.done:
            i = self.done_rows
            self.losses[i:i + chunk] = self.objective.losses(self.center, self.directions,
                                                             self.coeffs[i:i + chunk])
            self.done_rows = min(i + chunk, self.coeffs.shape[0])
            if max_seconds is not None and time.perf_counter() - start >= max_seconds:
                break
        self.seconds += time.perf_counter() - start
        return self.done


def check_points(name: str, value: int, lo: int, hi: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi or value % 2 == 0:
        raise ValueError(f"{name}: {value!r}; allowed odd numbers {lo} … {hi} (odd, so that the "
                         "current weights are a point of the slice)")


def grid_for(objective: Objective, grid: int) -> int:
    """The largest odd side ≤ grid whose plane costs at most MAX_PLANE_FLOPS (at least MIN_GRID)."""
    fits = int(math.sqrt(MAX_PLANE_FLOPS / objective.flops))
    side = min(grid, fits if fits % 2 else fits - 1)
    return max(side, min(grid, MIN_GRID))


# -- the per-run object --------------------------------------------------------------------------

class Landscape:
    """Directions, the path and the latest slices of one run; keep it beside the run.

    Memory: about 6 flat copies of the weights (the plane's two directions and its dual basis,
    the random 1-D draw, the start, a sweep's centre), ≤ PATH_CAP path points and ≤ PLANE_CAP
    planes. Same seed, same directions."""

    def __init__(self, run, seed: int | None = None, grid: int = PLANE_GRID, span: float = 1.0):
        check_points("grid", grid, 3, MAX_GRID)
        if not (isinstance(span, (int, float)) and math.isfinite(span) and span > 0):
            raise ValueError(f"span: {span!r}; must be a positive number")
        objective = Objective(run)  # refuses a model above MAX_PARAMS
        self.seed = run.config.seed if seed is None else seed
        self.grid = grid_for(objective, grid)  # may be coarser than asked for a large net
        self.span = float(span)
        gen = torch.Generator().manual_seed(self.seed)
        params = [p.detach() for p in run.params]
        self.raw = flat(gaussian(params, gen))  # the 1-D random direction, before normalization
        d1 = flat(filter_normalize(gaussian(params, gen), params))
        d2 = flat(filter_normalize(gaussian(params, gen), params))
        self.directions = torch.stack([d1, d2])
        # dual basis: P @ (θ − origin) are the least-squares coordinates in the plane, exact
        # for points that lie in it (d1, d2 are not exactly orthogonal)
        D = self.directions.double()
        self.gram = D @ D.T
        self.dual = torch.linalg.solve(self.gram, D)
        self.unit = float(d1.norm())  # ‖d1‖ = ‖d2‖ = the weight norm at the start
        self.origin = objective.weights()
        self.path = History(("step", "a", "b", "off"), PATH_CAP)
        self.planes = History(("step", "plane"), PLANE_CAP)
        self.plane: Plane | None = None  # the latest completed plane
        self.sweep: Sweep | None = None
        self.top_vector = None  # the latest top eigenvector sliced along (its sign kept from frame to frame)
        self.record(run)

    # -- the path --------------------------------------------------------------------------------
    def coordinates(self, weights: torch.Tensor) -> tuple[float, float, float]:
        """(a, b, off) of flat weights: plane coordinates relative to the start and the distance
        from the plane, in units of ‖d‖ (the same units as the plane's axes)."""
        delta = (weights - self.origin).double()
        c = self.dual @ delta
        # the least-squares residual, without building it: ‖Δ‖² = ‖its projection‖² + ‖residual‖²
        off = math.sqrt(max(float(delta @ delta - c @ self.gram @ c), 0.0))
        a, b = c.tolist()
        return a, b, off / self.unit

    def record(self, run) -> None:
        """Append the run's current weights to the path (call after each frame's updates, or
        after each update: O(parameters), tens of microseconds at the largest net)."""
        a, b, off = self.coordinates(torch.cat([p.detach().reshape(-1) for p in run.params]))
        self.path.add(step=run.step, a=a, b=b, off=off)

    def path_on(self, plane: Plane) -> dict[str, np.ndarray]:
        """The recorded path in `plane`'s axes (step, alpha, beta, off)."""
        rows = self.path.rows()
        return {"step": np.array(rows["step"]), "alpha": np.array(rows["a"]) - plane.center[0],
                "beta": np.array(rows["b"]) - plane.center[1], "off": np.array(rows["off"])}

    # -- 1-D slices ------------------------------------------------------------------------------
    def top_slice(self, run, points: int = SLICE_POINTS, span: float | None = None,
                  batched: bool = True) -> Slice | None:
        """Loss along the unit top Hessian eigenvector through the current weights, at `points`
        distances in [−span, span] (default: `quadratic_span`). None when the run has no
        spectrum now. The eigenvector's sign follows the previous call's, so the curve does not
        flip from frame to frame."""
        check_points("points", points, 3, MAX_SLICE_POINTS)
        top = top_eigenvector(run)
        if top is None:
            return None
        lam, v = top
        if self.top_vector is not None and self.top_vector.numel() == v.numel() and float(self.top_vector @ v) < 0:
            v = -v
        self.top_vector = v
        objective = Objective(run)
        center = objective.weights()
        if span is None:
            loss0 = float(objective.losses(center, v[None], torch.zeros(1, 1))[0])
            span = quadratic_span(loss0, lam) if lam > 0 and math.isfinite(loss0) else self.span
        return self._slice(objective, center, v, span, points, run.step, "top", lam, batched)

    def random_slice(self, run, points: int = SLICE_POINTS, span: float | None = None,
                     batched: bool = True) -> Slice:
        """Loss along the run's random direction, filter-normalized at the CURRENT weights (the
        Gaussian draw is fixed at the start; its normalization follows the weights, as the
        paper normalizes at the point it plots), α in [−span, span] (default the plane's)."""
        check_points("points", points, 3, MAX_SLICE_POINTS)
        objective = Objective(run)
        span = self.span if span is None else span
        return self._slice(objective, objective.weights(), self.random_direction(run), span,
                           points, run.step, "random", None, batched)

    def random_direction(self, run) -> torch.Tensor:
        """The run's fixed Gaussian draw, filter-normalized at the current weights (flat)."""
        params = [p.detach() for p in run.params]
        raw = self.raw.split([p.numel() for p in params])
        return flat(filter_normalize([r.view_as(p) for r, p in zip(raw, params)], params))

    def _slice(self, objective, center, d, span, points, step, kind, curvature, batched):
        if not (math.isfinite(span) and span > 0):
            raise ValueError(f"span: {span!r}; must be a positive number")
        alphas = torch.linspace(-span, span, points)
        alphas[points // 2] = 0.0  # exactly the current weights
        losses = objective.losses(center, d[None], alphas[:, None], batched=batched)
        return Slice(step, kind, alphas.numpy(), losses.numpy(), float(d.norm()), curvature)

    # -- the plane -------------------------------------------------------------------------------
    def axes(self) -> np.ndarray:
        a = np.linspace(-self.span, self.span, self.grid, dtype=np.float32)
        a[self.grid // 2] = 0.0
        return a

    def start_plane(self, run) -> Sweep:
        """Begin a plane around the current weights (replacing an unfinished one)."""
        objective = Objective(run)
        a = torch.from_numpy(self.axes())
        beta, alpha = torch.meshgrid(a, a, indexing="ij")  # row i: β = a[i]; column j: α = a[j]
        coeffs = torch.stack([alpha.reshape(-1), beta.reshape(-1)], 1)
        self.sweep = Sweep(objective, objective.weights(), self.directions, coeffs, run.step)
        return self.sweep

    def plane_step(self, run, max_seconds: float | None = None) -> Plane | None:
        """Go on with the current plane (start one if none) for about `max_seconds` (at least one
        chunk; None: to the end). Returns the Plane when this call completes it, else None; the
        next call then starts a new one around the weights of that moment."""
        if self.sweep is None:
            self.start_plane(run)
        sweep = self.sweep
        if not sweep.advance(max_seconds):
            return None
        a = self.axes()
        ca, cb, _ = self.coordinates(sweep.center)
        self.plane = Plane(sweep.step, a, a.copy(), sweep.losses.view(self.grid, self.grid).numpy(),
                           (ca, cb), self.grid, sweep.seconds)
        self.planes.add(step=sweep.step, plane=self.plane)
        self.sweep = None
        return self.plane

    def compute_plane(self, run) -> Plane:
        """A whole plane at the current weights, now."""
        self.start_plane(run)
        return self.plane_step(run)

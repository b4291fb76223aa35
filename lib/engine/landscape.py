"""The error surface of the network being trained, through its current weights, while it trains.

    scope = Landscape(run)                # at the run's start: draws the directions, fixes the plane
    run.advance(20); scope.record(run)    # each frame: the path's newest point (O(parameters))
    scope.work(run, max_seconds=0.015)    # each frame: a little more of the next slice or plane
    scope.top, scope.random, scope.plane  # the latest completed ones, each with its step
    scope.path_on(scope.plane)            # the path in the plane's axes

    scope.top_slice(run); scope.random_slice(run); scope.compute_plane(run)  # one, now

    Landscape(run, kinds=("top", "random", "plane", "pca"))  # also the path's own plane

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
a small share of how far the weights moved (a few per cent on the Playground's default run, a test
says so); `record` keeps that distance out of the plane (`off`). The "pca" plane is the paper's
answer: the two principal directions of weight snapshots along the path (bounded by
SNAPSHOT_BYTES), through the current weights; it holds over 90 % of the path's spread there, but
its axes turn as the path grows, so successive frames of it compare less well.

Batched evaluation: `torch.func.functional_call` + `torch.func.vmap` over grid points, in chunks
whose memory is bounded (MEMORY_BUDGET); `work` evaluates a slice or plane a chunk at a time
around weights frozen when it began, so a panel spreads it over several frames and the numbers do
not depend on how it was spread. A chunk holds at most MEMORY_BUDGET bytes and CHUNK_FLOPS, so
one fits a frame. Bounds: MAX_PARAMS parameters, MAX_SLICE_POINTS points per 1-D slice, MAX_GRID
per side, and MAX_PLANE_FLOPS per plane (a larger net gets a coarser grid, down to MIN_GRID, said in
`Plane.grid`); bench/bench_landscape.py prints the costs.
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
MAX_PLANE_FLOPS = 5e9       # forward-pass FLOPs per plane (2·points·parameters per grid point): ~0.5 s here
MEMORY_BUDGET = 32 * 2**20  # bytes one chunk of batched evaluation may hold (weights + activations)
CHUNK_FLOPS = 100e6         # FLOPs per chunk: ~10 ms here, so a chunk fits a frame's share
MAX_CHUNK = 64              # grid points per chunk (larger chunks gained nothing: bench)
PATH_CAP = 2000             # recorded path points (evenly thinned beyond, see lib/engine/history.py)
SNAPSHOT_BYTES = 4 * 2**20  # weight snapshots kept for the "pca" plane (8 … 64 snapshots)
RESULTS_CAP = 300           # completed slices and planes kept for replay (31×31 float32: 3.8 kB)


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
        self.chunk = int(max(1, min(MAX_CHUNK, MEMORY_BUDGET // self.bytes_per_point,
                                    CHUNK_FLOPS // self.flops)))

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
        batched=False (or chunks of one point, the largest nets): one plain forward pass per row."""
        center = center.to(self.x.dtype)
        directions = directions.to(self.x.dtype)
        coeffs = torch.as_tensor(coeffs, dtype=self.x.dtype)
        out = torch.empty(coeffs.shape[0], dtype=self.x.dtype)
        with batch_statistics(self.model):
            if batched and self.chunk > 1:  # a batch of one gains nothing from vmap
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
    """Loss along θ + α·d around the weights θ of update `step`. kind "top": d is the unit top
    eigenvector and `curvature` its λ_max (α is a distance; ½·λ·α² the quadratic model); kind
    "random": d is filter-normalized, α = 1 one weight-norm away. `distance` = α·‖d‖ puts both
    on one axis."""
    step: int
    kind: str
    alphas: np.ndarray
    losses: np.ndarray
    norm: float
    curvature: float | None
    seconds: float  # evaluation time it took (summed over the calls it was spread over)

    @property
    def distance(self) -> np.ndarray:
        return self.alphas * self.norm


@dataclass(frozen=True)
class Plane:
    """Loss on the grid θ_c + α·d1 + β·d2 (losses[i, j] at β = betas[i], α = alphas[j]) around
    the weights θ_c of update `step`. kind "plane": d1, d2 the fixed filter-normalized directions;
    `center` = θ_c's coordinates in the path's frame, so the path relative to this plane is
    (a − center[0], b − center[1]) (`Landscape.path_on`). kind "pca": d1, d2 the unit principal
    directions of the recorded snapshots relative to θ_c (Li et al. section 7), `trail` the
    snapshots in these axes, α and β distances."""
    step: int
    kind: str  # "plane", or "pca" (the plane of the path's two principal directions)
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    center: tuple[float, float]
    grid: int
    seconds: float
    trail: dict | None = None        # "pca": the snapshots' steps, alpha, beta in this plane's axes
    explained: float | None = None   # "pca": share of the path's spread (Σσ²) the plane holds


class Sweep:
    """Losses at center + c @ directions for fixed coefficient rows c, around weights frozen when
    it was made, a chunk at a time; `finish(losses, seconds)` builds the result. The chunks
    depend only on the model's size, never on the time given, so the numbers are the same
    however the work is spread over calls."""

    def __init__(self, objective: Objective, center, directions, coeffs, step: int, finish):
        self.objective, self.center, self.directions = objective, center, directions
        self.coeffs = torch.as_tensor(coeffs, dtype=torch.float32)
        self.step, self.finish = step, finish
        self.losses = torch.full((self.coeffs.shape[0],), float("nan"))
        self.done_rows = 0
        self.seconds = 0.0
        self.per_point = None  # seconds per point of the latest chunk

    @property
    def done(self) -> bool:
        return self.done_rows >= self.coeffs.shape[0]

    def advance(self, max_seconds: float | None = None, per_point: float | None = None,
                at_least_one: bool = True) -> bool:
        """Evaluate chunks until done, or until the next chunk would end past `max_seconds`
        (predicted from the seconds per point of the last chunk, or `per_point` before the
        first). At least one chunk unless `at_least_one` is False. True when done."""
        start = time.perf_counter()
        chunk, total = self.objective.chunk, self.coeffs.shape[0]
        first = True
        while not self.done:
            i = self.done_rows
            rows = min(chunk, total - i)
            if max_seconds is not None and not (first and at_least_one):
                if time.perf_counter() - start + (per_point or 0.0) * rows > max_seconds:
                    break
            t = time.perf_counter()
            self.losses[i:i + rows] = self.objective.losses(self.center, self.directions,
                                                            self.coeffs[i:i + rows])
            per_point = (time.perf_counter() - t) / rows
            self.done_rows = i + rows
            first = False
        self.per_point = per_point
        self.seconds += time.perf_counter() - start
        return self.done

    def result(self):
        return self.finish(self.losses.numpy(), self.seconds)


def check_points(name: str, value: int, lo: int, hi: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi or value % 2 == 0:
        raise ValueError(f"{name}: {value!r}; allowed odd numbers {lo} … {hi} (odd, so that the "
                         "current weights are a point of the slice)")


def check_span(span) -> float:
    if isinstance(span, bool) or not isinstance(span, (int, float)) or not math.isfinite(span) or span <= 0:
        raise ValueError(f"span: {span!r}; must be a positive number")
    return float(span)


def grid_for(objective: Objective, grid: int) -> int:
    """The largest odd side ≤ grid whose plane costs at most MAX_PLANE_FLOPS, but at least
    MIN_GRID (so the largest nets refresh their plane less often rather than show a blur)."""
    fits = int(math.sqrt(MAX_PLANE_FLOPS / objective.flops))
    side = min(grid, fits if fits % 2 else fits - 1)
    return max(side, min(grid, MIN_GRID))


def axis(span: float, points: int) -> torch.Tensor:
    a = torch.linspace(-span, span, points)
    a[points // 2] = 0.0  # exactly the current weights
    return a


# -- the per-run object --------------------------------------------------------------------------

class Landscape:
    """Directions, the path and the latest slices of one run; keep it beside the run.

    The panel calls `record(run)` and `work(run, max_seconds)` once per frame and draws
    `top`, `random` and `plane` (the latest completed results, each with the step it shows) with
    `path_on(plane)`. `top_slice`, `random_slice` and `compute_plane` compute one at once.

    Memory: about 6 flat copies of the weights (the plane's two directions and its dual basis,
    the random 1-D draw, the start, a sweep's centre), ≤ PATH_CAP path points and ≤ RESULTS_CAP
    results kept for replay (`results`: a 31×31 plane is 3.8 kB). Same seed, same directions.
    """

    KINDS = ("top", "random", "plane", "pca")

    def __init__(self, run, seed: int | None = None, grid: int = PLANE_GRID, span: float = 1.0,
                 points: int = SLICE_POINTS, kinds: tuple[str, ...] = ("top", "random", "plane")):
        """kinds: what `work` refreshes, in this order, round and round; "pca" also keeps weight
        snapshots (at most SNAPSHOT_BYTES)."""
        if not kinds or any(k not in self.KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise ValueError(f"kinds: {kinds!r}; allowed: distinct names among {', '.join(self.KINDS)}")
        self.kinds = tuple(kinds)
        check_points("grid", grid, 3, MAX_GRID)
        check_points("points", points, 3, MAX_SLICE_POINTS)
        self.span = check_span(span)
        objective = Objective(run)  # refuses a model above MAX_PARAMS
        self.seed = run.config.seed if seed is None else seed
        self.grid = grid_for(objective, grid)  # may be coarser than asked for a large net
        self.points = points
        gen = torch.Generator().manual_seed(self.seed)
        params = [p.detach() for p in run.params]
        self.raw = flat(gaussian(params, gen))  # the 1-D random direction, before normalization
        d1 = flat(filter_normalize(gaussian(params, gen), params))
        d2 = flat(filter_normalize(gaussian(params, gen), params))
        self.directions = torch.stack([d1, d2])
        # dual basis: dual @ (θ − origin) are the least-squares coordinates in the plane, exact
        # for points that lie in it (d1, d2 are not exactly orthogonal)
        D = self.directions.double()
        self.gram = D @ D.T
        self.dual = torch.linalg.solve(self.gram, D)
        self.unit = float(d1.norm())  # ‖d1‖ = ‖d2‖ = the weight norm at the start
        self.origin = objective.weights()
        self.path = History(("step", "a", "b", "off"), PATH_CAP)
        self.results = History(("step", "kind", "result"), RESULTS_CAP)
        self.top: Slice | None = None      # the latest completed result of each kind
        self.random: Slice | None = None
        self.plane: Plane | None = None
        self.pca: Plane | None = None
        # evenly thinned weight snapshots for the "pca" plane (History halves them when full)
        cap = int(min(64, max(8, SNAPSHOT_BYTES // (4 * objective.n))))
        self.snapshots = History(("step", "weights"), cap) if "pca" in self.kinds else None
        self.sweep: Sweep | None = None    # the one `work` is spreading over frames
        self._turn = 0                     # index into KINDS of the next sweep `work` starts
        self._per_point = None             # seconds per grid point lately, to fit chunks in a frame
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
        after each update: O(parameters), bench/bench_landscape.py prints the cost)."""
        weights = torch.cat([p.detach().reshape(-1) for p in run.params])
        a, b, off = self.coordinates(weights)
        self.path.add(step=run.step, a=a, b=b, off=off)
        if self.snapshots is not None:
            self.snapshots.add(step=run.step, weights=weights)

    def path_on(self, plane: Plane) -> dict[str, np.ndarray]:
        """The recorded path in `plane`'s axes (step, alpha, beta, off)."""
        rows = self.path.rows()
        return {"step": np.array(rows["step"]), "alpha": np.array(rows["a"]) - plane.center[0],
                "beta": np.array(rows["b"]) - plane.center[1], "off": np.array(rows["off"])}

    # -- the panel's per-frame call ----------------------------------------------------------------
    def work(self, run, max_seconds: float = 0.015) -> list:
        """Spend up to `max_seconds` (but at least one chunk) refreshing the top slice, the random
        slice and the plane in turn, each at the weights of the moment it starts, each spread
        over as many calls as it needs. Returns the results completed in this call (also set as
        `top`, `random`, `plane` and appended to `results`). A kind whose latest result already
        shows the current step is skipped, so a paused run costs nothing; max_seconds=inf
        finishes everything due."""
        if isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float)) or not max_seconds > 0:
            raise ValueError(f"max_seconds: {max_seconds!r}; must be a positive number")
        start = time.perf_counter()
        finished, skipped, worked = [], 0, False
        while skipped < len(self.kinds):
            if worked and time.perf_counter() - start >= max_seconds:
                break
            if self.sweep is None:
                kind = self.kinds[self._turn]
                self._turn = (self._turn + 1) % len(self.kinds)
                latest = getattr(self, kind)
                self.sweep = None if latest is not None and latest.step == run.step else self._begin(run, kind)
                if self.sweep is None:  # up to date, or no spectrum to slice along
                    skipped += 1
                    continue
                skipped = 0
            # the first chunk of a call always runs; later ones only where they fit
            done = self.sweep.advance(max_seconds - (time.perf_counter() - start), self._per_point,
                                      at_least_one=not worked)
            self._per_point = self.sweep.per_point
            worked = True
            if not done:
                break
            finished.append(self._finish(self.sweep))
            self.sweep = None
        return finished

    def _finish(self, sweep: Sweep):
        result = sweep.result()
        setattr(self, result.kind, result)
        self.results.add(step=result.step, kind=result.kind, result=result)
        return result

    def _begin(self, run, kind: str) -> Sweep | None:
        if kind == "top":
            return self._top_sweep(run, self.points, None)
        if kind == "random":
            return self._random_sweep(run, self.points, self.span)
        if kind == "pca":
            return self._pca_sweep(run)
        return self._plane_sweep(run)

    # -- 1-D slices ------------------------------------------------------------------------------
    def top_slice(self, run, points: int = SLICE_POINTS, span: float | None = None) -> Slice | None:
        """Loss along the unit top Hessian eigenvector through the current weights, at `points`
        distances in [−span, span] (default: `quadratic_span`, at most `span`·‖d‖ of the plane).
        None when the run has no spectrum now. The eigenvector's sign follows the previous
        call's, so the curve does not flip from frame to frame."""
        sweep = self._top_sweep(run, points, span)
        if sweep is None:
            return None
        sweep.advance()
        return self._finish(sweep)

    def random_slice(self, run, points: int = SLICE_POINTS, span: float | None = None,
                     batched: bool = True) -> Slice:
        """Loss along the run's random direction, filter-normalized at the CURRENT weights (the
        Gaussian draw is fixed at the start; its normalization follows the weights, as the
        paper normalizes at the point it plots), α in [−span, span] (default the plane's).
        batched=False: a plain loop of forward passes (the benchmark's baseline)."""
        sweep = self._random_sweep(run, points, self.span if span is None else span)
        if not batched:
            losses = sweep.objective.losses(sweep.center, sweep.directions, sweep.coeffs, batched=False)
            return sweep.finish(losses.numpy(), 0.0)
        sweep.advance()
        return self._finish(sweep)

    def random_direction(self, run) -> torch.Tensor:
        """The run's fixed Gaussian draw, filter-normalized at the current weights (flat)."""
        params = [p.detach() for p in run.params]
        raw = self.raw.split([p.numel() for p in params])
        return flat(filter_normalize([r.view_as(p) for r, p in zip(raw, params)], params))

    def _top_sweep(self, run, points, span) -> Sweep | None:
        check_points("points", points, 3, MAX_SLICE_POINTS)
        if span is not None:
            check_span(span)
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
            widest = self.span * self.unit
            span = min(quadratic_span(loss0, lam), widest) if lam > 0 and math.isfinite(loss0) else widest
        return self._line(objective, center, v, span, points, run.step, "top", lam)

    def _random_sweep(self, run, points, span) -> Sweep:
        check_points("points", points, 3, MAX_SLICE_POINTS)
        check_span(span)
        objective = Objective(run)
        return self._line(objective, objective.weights(), self.random_direction(run), span, points,
                          run.step, "random", None)

    @staticmethod
    def _line(objective, center, d, span, points, step, kind, curvature) -> Sweep:
        alphas, norm = axis(span, points), float(d.norm())
        finish = lambda losses, seconds: Slice(step, kind, alphas.numpy(), losses, norm,  # noqa: E731
                                               curvature, seconds)
        return Sweep(objective, center, d[None], alphas[:, None], step, finish)

    # -- the plane -------------------------------------------------------------------------------
    def _plane_sweep(self, run) -> Sweep:
        objective = Objective(run)
        a = axis(self.span, self.grid)
        beta, alpha = torch.meshgrid(a, a, indexing="ij")  # row i: β = a[i]; column j: α = a[j]
        coeffs = torch.stack([alpha.reshape(-1), beta.reshape(-1)], 1)
        center = objective.weights()
        ca, cb, _ = self.coordinates(center)
        grid, step = self.grid, run.step
        finish = lambda losses, seconds: Plane(step, "plane", a.numpy(), a.numpy().copy(),  # noqa: E731
                                               losses.reshape(grid, grid), (ca, cb), grid, seconds)
        return Sweep(objective, center, self.directions, coeffs, step, finish)

    def compute_plane(self, run) -> Plane:
        """A whole plane around the current weights, now."""
        sweep = self._plane_sweep(run)
        sweep.advance()
        return self._finish(sweep)

    def pca_basis(self, run):
        """(directions (2, n), snapshot coordinates (K, 2), explained, steps) of the path's
        principal plane through the current weights: the top right singular vectors of
        [θ_i − θ_c] over the snapshots (Li et al. section 7, who also found that random planes
        miss the path). Each direction's sign puts the oldest snapshot at negative coordinates,
        so the path runs the same way from frame to frame. None until the snapshots span a
        plane (or without "pca" in kinds). float64."""
        if self.snapshots is None:
            return None
        rows = self.snapshots.rows()
        center = torch.cat([p.detach().reshape(-1) for p in run.params])
        M = (torch.stack(rows["weights"]) - center).double()
        if M.shape[0] < 3:
            return None
        _, sigma, vh = torch.linalg.svd(M, full_matrices=False)
        if not torch.isfinite(sigma).all() or sigma[1] <= 1e-12 * sigma[0]:
            return None
        dirs = vh[:2]
        coords = M @ dirs.T
        flip = torch.where(coords[0] > 0, -1.0, 1.0).to(dirs.dtype)
        explained = float((sigma[:2] ** 2).sum() / (sigma ** 2).sum())
        return dirs * flip[:, None], coords * flip, explained, np.array(rows["step"])

    def _pca_sweep(self, run) -> Sweep | None:
        """The "pca" plane; its axes reach 1.25 times the farthest snapshot."""
        basis = self.pca_basis(run)
        if basis is None:
            return None
        dirs, coords, explained, steps = basis
        objective = Objective(run)
        a = axis(1.25 * float(coords.abs().max()), self.grid)
        beta, alpha = torch.meshgrid(a, a, indexing="ij")
        coeffs = torch.stack([alpha.reshape(-1), beta.reshape(-1)], 1)
        trail = {"step": steps, "alpha": coords[:, 0].numpy(), "beta": coords[:, 1].numpy()}
        grid, step = self.grid, run.step
        finish = lambda losses, seconds: Plane(step, "pca", a.numpy(), a.numpy().copy(),  # noqa: E731
                                               losses.reshape(grid, grid), (0.0, 0.0), grid, seconds,
                                               trail, explained)
        return Sweep(objective, objective.weights(), dirs.float(), coeffs, step, finish)

    def compute_pca(self, run) -> Plane | None:
        """The "pca" plane around the current weights, now (None: no path yet)."""
        sweep = self._pca_sweep(run)
        if sweep is None:
            return None
        sweep.advance()
        return self._finish(sweep)

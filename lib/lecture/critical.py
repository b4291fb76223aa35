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

from ..engine import hessian
from ..engine.data import make_dataset
from ..engine.history import History
from ..engine.models import make_mlp, toy_w1w2
from ..engine.trainer import frozen_bn_stats

F64 = torch.float64
VERDICTS = ("minimum", "maximum", "saddle", "undecided")

# One rule for "zero" everywhere on the page (verdicts and the minimum ratio): an eigenvalue with
# |λ| ≤ ZERO_TOL·max|λ| counts as 0 (flat). Round-off in a float32 Hessian of the page's net is
# ~5e-8 of max|λ| (measured against float64), so this is far above noise; below it, the quadratic
# term along that eigenvector is under 1/10,000 of the steepest one.
ZERO_TOL = 1e-4
GRAD_TOL = 1e-3      # ‖g‖ at or below this counts as "a critical point is reached" (page default)
ESCAPE_SIZE = 0.3    # length of the page's step along the negative eigenvalue's eigenvector
GD_LR = 0.1          # the page's default learning rate for the gradient-descent paths
TAYLOR_DELTA = (0.2, 0.2)  # the page's default Δ = θ − θ′ for the Taylor expansion


def bumps(w: torch.Tensor) -> torch.Tensor:
    """cos(πw₁) + cos(πw₂): maxima where both coordinates are even integers, minima where both are
    odd, saddle points where one is even and one odd — every kind of critical point on one surface."""
    return torch.cos(math.pi * w[..., 0]) + torch.cos(math.pi * w[..., 1])


SURFACES = {"toy": toy_w1w2, "bumps": bumps}
BOX = (-2.0, 2.0)  # both surfaces are drawn on [-2, 2]²
# where the page's gradient-descent paths start: on the toy, one just off the saddle at (0, 0)
STARTS = {"toy": [(0.02, -0.01), (-1.5, 1.2), (1.8, -0.3)], "bumps": [(0.1, 0.05), (-0.6, 1.4), (1.3, -1.7)]}


# -- one point ---------------------------------------------------------------------------------------
def sign_counts(eigenvalues, tol: float = ZERO_TOL) -> tuple[int, int, int]:
    """(negative, zero, positive) eigenvalues, zero meaning |λ| ≤ tol·max|λ|."""
    ev = np.asarray(eigenvalues, dtype=float).reshape(-1)
    zero = tol * float(np.abs(ev).max(initial=0.0))
    neg, pos = int(np.sum(ev < -zero)), int(np.sum(ev > zero))
    return neg, ev.size - neg - pos, pos


def verdict(eigenvalues, tol: float = ZERO_TOL) -> str:
    """The kind of critical point from the signs of the Hessian's eigenvalues.

    Both signs: a saddle point, whatever zeros there are (the loss falls along the negative one's
    eigenvector and rises along the positive one's). One sign only: a minimum or maximum. One sign
    plus zeros: along a zero's eigenvector the quadratic term is flat and only higher orders could
    decide ("undecided")."""
    neg, zero, pos = sign_counts(eigenvalues, tol)
    if neg and pos:
        return "saddle"
    if zero or not (neg or pos):
        return "undecided"
    return "minimum" if pos else "maximum"


def positive_ratio(eigenvalues, tol: float = ZERO_TOL) -> float:
    """The lecture's "minimum ratio": the share of eigenvalues that are positive, by the same rule
    for zero as `verdict`, so ratio = 1 exactly when the verdict is "minimum"."""
    neg, zero, pos = sign_counts(eigenvalues, tol)
    return pos / max(1, neg + zero + pos)


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
MAX_STARTS = 6       # paths on the map at once (adding one more drops the oldest)
MAX_PATH = 3000      # points per path: a small learning rate near the saddle takes thousands
STOP_GRAD = 1e-6     # a path whose gradient is this small has arrived: it stops
PATH_LIMIT = 10.0    # a path is followed off the map (BOX) until |w| exceeds this, then it stops


def gd_steps(fn, point, lr: float, n: int, limit: float = PATH_LIMIT) -> np.ndarray:
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


def start_paths(surface: str) -> list[np.ndarray]:
    """The page's paths before any step: one point each, at the surface's STARTS."""
    return [np.array([p], dtype=float) for p in STARTS[surface]]


def path_left(path: np.ndarray) -> bool:
    """Whether the path left the box (or overflowed): its last row is the NaN marker."""
    return not np.all(np.isfinite(path[-1]))


def path_done(fn, path: np.ndarray) -> bool:
    """Whether a path has stopped: it left the box, reached MAX_PATH points, or its gradient is
    below STOP_GRAD (it has arrived at a critical point: more steps would not move it)."""
    if path_left(path) or len(path) >= MAX_PATH:
        return True
    g = torch.func.grad(fn)(torch.as_tensor(path[-1], dtype=F64))
    return float(g.norm()) < STOP_GRAD


def advance_paths(fn, paths: list[np.ndarray], lr: float, steps: int) -> bool:
    """Every path that has not stopped takes `steps` gradient-descent steps (up to MAX_PATH
    points), in place; a path that leaves the box ends with a NaN row (`path_left`), so the page
    can say so. Returns whether any path can go on."""
    for i, path in enumerate(paths):
        if path_done(fn, path):
            continue
        n = min(steps, MAX_PATH - len(path))
        new = gd_steps(fn, path[-1], lr, n)
        rows = [path, new[1:]]
        if len(new) < n + 1:  # it left the box before its n steps
            rows.append(np.full((1, 2), np.nan))
        paths[i] = np.vstack(rows)
    return not all(path_done(fn, p) for p in paths)


# -- a network's critical points ---------------------------------------------------------------------
def full_grad_norm(loss_fn, params) -> float:
    grads = torch.autograd.grad(loss_fn(), params, allow_unused=True, materialize_grads=True)
    return float(torch.linalg.vector_norm(torch.cat([g.reshape(-1) for g in grads])))


def network_summary(loss_fn, params, max_exact: int = hessian.MAX_EXACT_PARAMS,
                    tol: float = ZERO_TOL) -> dict:
    """Gradient norm, the exact spectrum, its ends, the minimum ratio and the eigenvalue verdict of a
    small net; `n_neg`, `n_zero`, `n_pos` count the eigenvalues by the one rule for zero, and
    `neg_rel` is how negative the smallest is relative to max|λ| (0 when none is negative)."""
    ev = hessian.spectrum(loss_fn, params, max_params=max_exact).numpy()
    neg, zero, pos = sign_counts(ev, tol)
    scale = float(np.abs(ev).max(initial=0.0))
    return {"grad_norm": full_grad_norm(loss_fn, params), "lam_min": float(ev[0]),
            "lam_max": float(ev[-1]), "ratio": positive_ratio(ev, tol), "verdict": verdict(ev, tol),
            "n_neg": neg, "n_zero": zero, "n_pos": pos,
            "neg_rel": max(0.0, -float(ev[0])) / scale if scale else 0.0, "eigenvalues": ev}


# -- the training panel's live readout ----------------------------------------------------------------
EXACT_LIMIT = 300   # parameters: above this the readout has no full spectrum (no ratio, no verdict)
READOUT_EVERY = 5   # updates at least between two readouts while the panel plays
READOUT_CAP = 500   # readouts kept per run (lib.engine.history thins them evenly beyond)


def measure(run) -> dict:
    """The critical-point readout of a training run (lib.engine.trainer.Run) at its current weights.

    Exact spectrum up to EXACT_LIMIT parameters; above it only λ_min and λ_max (Lanczos), and
    `ratio`, `verdict` and the counts are None. Batch norm's running statistics are left as they were."""
    closure = run.hessian_closure()
    with frozen_bn_stats(run.model):
        if hessian.num_params(run.params) <= EXACT_LIMIT:
            s = network_summary(closure, run.params)
            del s["eigenvalues"]
        else:
            lo, hi = hessian.extremes(closure, run.params, iters=30)
            s = {"grad_norm": full_grad_norm(closure, run.params), "lam_min": lo, "lam_max": hi,
                 "ratio": None, "verdict": None, "n_neg": None, "n_zero": None, "n_pos": None,
                 "neg_rel": None}
    s["step"] = run.step
    return s


NO_NUMBERS = ("ratio", "verdict", "n_neg", "n_zero", "n_pos", "neg_rel")


class Readout:
    """The readout of one training run over time: `measure` at the run's current weights whenever
    it has moved on, kept in a bounded History (evenly thinned over the whole run)."""
    COLUMNS = ("step", "grad_norm", "lam_min", "lam_max", "ratio")

    def __init__(self, run, cap: int = READOUT_CAP):
        self.run = run
        self.history = History(self.COLUMNS, cap)
        self.last: dict | None = None

    def update(self, every: int = 1) -> dict:
        """Measure now if the run has taken at least `every` updates since the last measurement
        (every=1: whenever it moved); returns the latest measurement."""
        if self.last is not None and self.run.step < self.last["step"]:  # the run went back: anew
            self.__init__(self.run, self.history.cap)
        if self.last is None or self.run.step - self.last["step"] >= every:
            try:
                self.last = measure(self.run)
            except RuntimeError:  # weights gone non-finite (eigh fails on NaN): no numbers here
                self.last = {**dict.fromkeys(NO_NUMBERS), "grad_norm": math.nan, "lam_min": math.nan,
                             "lam_max": math.nan, "step": self.run.step}
            self.history.add(**{c: self.last[c] for c in self.COLUMNS})
        return self.last


def follow(readouts: list[Readout], runs) -> list[Readout]:
    """One Readout per run, keeping those of runs already followed (a new run starts anew)."""
    known = {id(r.run): r for r in readouts}
    return [known[id(run)] if id(run) in known and known[id(run)].run is run else Readout(run)
            for run in runs]


# -- many short runs: where does training stop? ---------------------------------------------------------
EXP_RUNS, MAX_EXP_RUNS = 20, 40         # the page's default and largest number of runs (seeds 0, 1, …)
EXP_STEPS, MAX_EXP_STEPS = 1000, 3000   # the page's default and largest updates per run
EXP_WIDTH = 4                           # hidden tanh units of each run's net


def experiment_data():
    """The experiment's training set: 42 points of lib.data's reg1d curve (fixed seed)."""
    d = make_dataset("reg1d", 60, 0.1, 0.3, 0)
    return d.x_train, d.y_train


class ShortRun:
    """One run of the experiment, taken in pieces so a page can stop it between them: a tiny
    1-hidden-layer tanh MLP (MSE, full batch) from seed `seed`, trained until its gradient is small
    (‖∇L‖ ≤ grad_tol) or `steps` updates are spent; Adam with a learning rate that decays linearly
    to zero, so the run settles."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, seed: int, width: int = EXP_WIDTH,
                 steps: int = EXP_STEPS, grad_tol: float = GRAD_TOL, lr: float = 0.03):
        self.seed, self.steps, self.grad_tol, self.lr = seed, steps, grad_tol, lr
        self.model = make_mlp(x.shape[1], y.shape[1], depth=1, width=width, activation="tanh",
                              seed=seed).double()
        self.x, self.y = x.double(), y.double()
        self.params = list(self.model.parameters())
        self.opt = torch.optim.Adam(self.params, lr=lr)
        self.taken = 0        # updates so far
        self.done = False     # the gradient got small or the updates ran out

    def loss(self) -> torch.Tensor:
        return torch.mean((self.model(self.x) - self.y) ** 2)

    def advance(self, n: int) -> bool:
        """Up to n more updates; returns whether the run goes on."""
        for _ in range(n):
            if self.taken >= self.steps:
                self.done = True
                break
            self.opt.zero_grad()
            self.loss().backward()
            gnorm = float(torch.linalg.vector_norm(torch.cat([p.grad.reshape(-1) for p in self.params])))
            if gnorm <= self.grad_tol:
                self.done = True
                break
            for group in self.opt.param_groups:
                group["lr"] = self.lr * (1 - self.taken / self.steps)
            self.opt.step()
            self.taken += 1
        self.done = self.done or self.taken >= self.steps
        return not self.done

    def result(self) -> dict:
        """The end point's training loss, whether it got below grad_tol, the updates taken, and
        `network_summary` there (exact spectrum: ratio, verdict, counts)."""
        summary = network_summary(self.loss, self.params)
        with torch.no_grad():
            loss = float(self.loss())
        del summary["eigenvalues"]
        return {"seed": self.seed, "loss": loss, "converged": summary["grad_norm"] <= self.grad_tol,
                "steps": self.taken, "n_params": hessian.num_params(self.params), **summary}


def short_run(x: torch.Tensor, y: torch.Tensor, seed: int, width: int = EXP_WIDTH, steps: int = EXP_STEPS,
              grad_tol: float = GRAD_TOL, lr: float = 0.03) -> dict:
    """A ShortRun taken to its end in one go; its `result`."""
    run = ShortRun(x, y, seed, width, steps, grad_tol, lr)
    while run.advance(steps):
        pass
    return run.result()


def experiment_summary(results: list[dict]) -> dict:
    """What the end points of the runs that reached a small gradient show, counted by the one rule
    for zero: how many have a negative eigenvalue (saddle points), how many have only positive and
    zero ones (undecided: flat directions), how many only positive ones (local minima). `largest`
    names the kind held by more than half of them ("mixed" if none, None if no run got there)."""
    done = [r for r in results if r["converged"]]
    groups = {kind: sum(r["verdict"] == kind for r in done) for kind in ("saddle", "undecided", "minimum")}
    ranked = sorted(groups, key=groups.get, reverse=True)
    if not done:
        largest = None
    elif groups[ranked[0]] > len(done) / 2:
        largest = ranked[0]
    else:
        largest = "mixed"  # no kind holds a majority
    return {"runs": len(results), "reached": len(done), **groups, "largest": largest,
            "neg_rel_max": max((r["neg_rel"] for r in done), default=0.0),
            "zero_median": float(np.median([r["n_zero"] for r in done])) if done else 0.0,
            "n_params": done[0]["n_params"] if done else 0,
            "ratio_median": float(np.median([r["ratio"] for r in done])) if done else float("nan"),
            "grad_max": max((r["grad_norm"] for r in done), default=0.0)}

"""A training run that advances n updates at a time, so a page can draw between calls.

    run = Run(RunConfig(optimizer="sgd", lr=0.1))
    run.advance(100)                 # 100 minibatch updates
    run.history.rows()["loss"]       # per-update train loss (bounded, downsampled)
    run.curvature.rows()["lam_max"]  # Hessian's largest eigenvalue at a cadence
    run.measure_curvature()          # both ends now, warm-started from the last measurement, + sharpness
    run.sharpness.ratio              # λ_max (or Adam's λ_max(P⁻¹H)) over its stability threshold

Several runs built from configs that differ only in optimizer, lr, loss, batch size, shuffle or
batch norm start from the same data and the same initial weights (`same_start`).
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import fields

import torch

from . import hessian, sharpness
from .data import Dataset, grid, make_dataset
from .history import History
from .losses import accuracy, make_loss
from .models import make_mlp
from .optim import config_lr, make_optimizer, optimizer_kwargs
from .settings import MAX_STEPS, RunConfig

BLOW_UP = 1e3          # a loss this many times its start (and above 1) counts as divergence
HESSIAN_POINTS = 512   # the Hessian is measured on this many training points (a fixed subset)
LANCZOS_ITERS = 20     # the density's one Krylov run (stochastic Lanczos quadrature)
CURVATURE_TOL = 1e-4   # both ends certified to this fraction of max|eigenvalue|
CURVATURE_MAX_HVPS = 60  # per measurement; an uncertified one still leaves better vectors for the next

# Settings a run can take mid-flight, keeping its weights: the optimizer's rule and its numbers,
# the schedule, the batches and the measurement cadence. Anything else (data, architecture, loss,
# seed) makes the old run meaningless, so the caller starts a new one.
LIVE_FIELDS = frozenset({"optimizer", "lr", "momentum", "beta1", "beta2", "alpha", "eps",
                         "weight_decay", "schedule", "warmup", "decay_steps", "gamma", "d_model",
                         "batch_size", "shuffle", "eval_every", "hessian_every"})


class Run:
    def __init__(self, config: RunConfig, data: Dataset | None = None):
        self.config = config.validate()
        self.data = data if data is not None else dataset_for(config)
        if config.batch_size > len(self.data.x_train):
            raise ValueError(f"batch_size: {config.batch_size} is larger than the training set "
                             f"({len(self.data.x_train)} points); allowed 1 … {len(self.data.x_train)}")
        self.model = make_mlp(self.data.n_features, self.data.n_outputs, config.depth, config.width,
                              config.activation, config.batch_norm, config.seed)
        self.params = [p for p in self.model.parameters()]
        self.loss_fn = make_loss(config.loss, self.data.task)
        kwargs = optimizer_kwargs(config.optimizer, config)
        self.optimizer = make_optimizer(config.optimizer, self.params, config.lr, **kwargs)
        self.shuffle_gen = torch.Generator().manual_seed(config.seed + 1)

        self.step = 0                  # updates taken
        self.epoch = 0                 # completed passes over the training set
        self._order = None             # this epoch's sample order
        self._pos = 0                  # position in that order
        self.start_loss: float | None = None
        self.stopped: str | None = None  # why the run stopped (divergence, step limit), else None
        self.seconds = 0.0             # wall time spent in updates
        self.history = History(("step", "epoch", "loss", "grad_norm", "lr"))
        self.evals = History(("step", "epoch", "train_loss", "test_loss", "train_acc", "test_acc"), 1000)
        # hvps: the Hessian-vector products the row cost; sharpness/threshold: the meter (None
        # where no stability threshold applies, see lib/engine/sharpness.py)
        self.curvature = History(("step", "lam_min", "lam_max", "hvps", "sharpness", "threshold"), 500)
        self.spectrum_nodes = None     # (eigenvalue nodes, weights) at the last density measurement
        self.densities = History(("step", "nodes"), 200)  # every density measurement, for replay
        self.sharpness: sharpness.Sharpness | None = None  # the meter's latest reading
        self.tracker = hessian.CurvatureTracker(CURVATURE_TOL, CURVATURE_MAX_HVPS, seed=config.seed)
        self.meter = sharpness.SharpnessMeter(CURVATURE_TOL, CURVATURE_MAX_HVPS, seed=config.seed)
        self.measure()

    def reconfigure(self, config: RunConfig) -> bool:
        """Apply `config` to this run without losing it, if only LIVE_FIELDS differ.

        Returns False (and changes nothing) when the run must start over instead. A new optimizer
        name starts that optimizer's state afresh from the current weights.
        """
        config.validate()
        changed = {f.name for f in fields(config) if getattr(config, f.name) != getattr(self.config, f.name)}
        if not changed <= LIVE_FIELDS:
            return False
        kwargs = optimizer_kwargs(config.optimizer, config)
        if config.optimizer != self.config.optimizer:
            self.optimizer = make_optimizer(config.optimizer, self.params, config.lr, **kwargs)
        else:
            for group in self.optimizer.param_groups:
                group.update(kwargs)
        self.config = config
        return True

    # -- training -------------------------------------------------------------------------------
    def advance(self, n: int = 1, spectra: bool = True) -> int:
        """Take up to n updates; stop early on divergence. Returns how many were taken.

        spectra=False skips the cold Hessian measurement (the density) every `hessian_every`
        updates: a live panel measures λ at its frames and asks for the density when it draws
        one (`measure_hessian`), so between frames that work would be thrown away. It was half
        of a playing Playground's CPU at hessian_every = 20 (py-spy; README, bench_live)."""
        taken = 0
        start = time.perf_counter()
        cfg = self.config
        while taken < n and self.stopped is None:
            if self.step >= MAX_STEPS:
                self.stopped = "max_steps"
                break
            x, y = self._next_batch()
            lr = config_lr(cfg, self.step + 1)
            if lr != self.optimizer.param_groups[0]["lr"]:
                for group in self.optimizer.param_groups:
                    group["lr"] = lr
            for p in self.params:  # = optimizer.zero_grad(set_to_none=True), without its
                p.grad = None      # profiler hook: ~25 µs of a ~0.9 ms update here
            loss = self.loss_fn(self.model(x), y)
            loss.backward()
            # one tensor op and one sync for the loss and every parameter's gradient norm: on
            # these tiny models, per-op overhead is what the run's bookkeeping costs
            loss_value, *norms = torch.stack([loss.detach(), *torch._foreach_norm(
                [p.grad for p in self.params if p.grad is not None])]).tolist()
            grad_value = math.sqrt(sum(v * v for v in norms))
            if self._diverged(loss_value, grad_value):
                break
            self.optimizer.step()
            self.step += 1
            taken += 1
            epoch = self.epoch + self._pos / self.data.x_train.shape[0]
            self.history.add(step=self.step, epoch=epoch, loss=loss_value, grad_norm=grad_value, lr=lr)
            if cfg.eval_every and self.step % cfg.eval_every == 0:
                self.evaluate()
            if spectra and cfg.hessian_every and self.step % cfg.hessian_every == 0:
                self.measure_hessian()
        self.seconds += time.perf_counter() - start
        return taken

    def _next_batch(self):
        n = self.data.x_train.shape[0]
        bs = self.config.batch_size
        if self._order is None or self._pos >= n or (self.config.batch_norm and n - self._pos == 1):
            if self._order is not None:
                self.epoch += 1
            # batch norm cannot normalise a batch of one sample: a lone leftover is skipped
            self._order = (torch.randperm(n, generator=self.shuffle_gen) if self.config.shuffle
                           else torch.arange(n))
            self._pos = 0
        idx = self._order[self._pos:self._pos + bs]
        self._pos += bs
        return self.data.x_train[idx], self.data.y_train[idx]

    def _diverged(self, loss: float, grad_norm: float) -> bool:
        if self.start_loss is None:
            self.start_loss = loss
        if not math.isfinite(loss) or not math.isfinite(grad_norm):
            self.stopped = "nan"
        elif loss > BLOW_UP * max(self.start_loss, 1.0):
            self.stopped = "blow_up"
        return self.stopped is not None

    # -- measurements -----------------------------------------------------------------------------
    def measure(self) -> None:
        """Evaluate and measure the Hessian at the current weights (also called at step 0)."""
        self.evaluate()
        if self.config.hessian_every:
            self.measure_hessian()

    @torch.no_grad()
    def evaluate(self) -> None:
        d = self.data
        self.model.eval()  # batch norm uses its running statistics, as at test time
        out_train, out_test = self.model(d.x_train), self.model(d.x_test)
        self.model.train()
        train_loss = float(self.loss_fn(out_train, d.y_train))
        test_loss = float(self.loss_fn(out_test, d.y_test))
        if d.task == "classification":
            train_acc, test_acc = accuracy(out_train, d.y_train), accuracy(out_test, d.y_test)
        else:
            train_acc = test_acc = float("nan")
        epoch = self.epoch + self._pos / d.x_train.shape[0] if self._order is not None else 0.0
        self.evals.add(step=self.step, epoch=epoch, train_loss=finite_or_none(train_loss),
                       test_loss=finite_or_none(test_loss), train_acc=finite_or_none(train_acc),
                       test_acc=finite_or_none(test_acc))

    def hessian_closure(self):
        """Zero-argument closure of the training loss on a fixed subset, for lib.hessian.

        Taken in TRAIN mode (batch norm normalises with the subset's own statistics), i.e. the
        curvature of the objective the optimizer descends; call inside `frozen_bn_stats`.
        """
        x, y = self.hessian_batch()
        return lambda: self.loss_fn(self.model(x), y)

    def hessian_batch(self):
        """(x, y): the fixed training subset the Hessian is measured on (and lib.landscape slices)."""
        return self.data.x_train[:HESSIAN_POINTS], self.data.y_train[:HESSIAN_POINTS]

    def measure_hessian(self) -> dict | None:
        """Both ends, the sharpness meter and the eigenvalue density from ONE cold Krylov run
        (random start): its first LANCZOS_ITERS steps give the density, and it goes on until
        both ends are certified. Its Ritz vectors become the next warm start, so a cold
        measurement every `hessian_every` updates also resets what warm starts may drift into.
        Returns the new curvature row."""
        return self._measure(cold=True)

    def measure_curvature(self, force: bool = False) -> dict | None:
        """λ_min, λ_max and the sharpness meter at the current weights: one row of `curvature`,
        also returned (None if the loss has no spectrum, e.g. NaN). Warm-started from the previous
        measurement, it costs one forward/backward plus a few to a few tens of Hessian-vector
        products (the row's `hvps`; bench/bench_hessian.py). A second call at the same step
        returns the same row unless `force` (after `reconfigure`, say)."""
        last = self.curvature.last
        if last is not None and last["step"] == self.step and not force:
            return last
        return self._measure(cold=False)

    def _measure(self, cold: bool) -> dict | None:
        with frozen_bn_stats(self.model):
            try:
                op = hessian.operator(self.hessian_closure(), self.params)
                if cold:
                    nodes, weights, bottom, top, hvps = hessian.krylov_summary_op(
                        op, LANCZOS_ITERS, seed=self.config.seed, tol=CURVATURE_TOL,
                        max_iters=CURVATURE_MAX_HVPS)
                    if not (math.isfinite(bottom[0]) and math.isfinite(top[0])):
                        return None
                    self.spectrum_nodes = (nodes, weights)
                    self.densities.add(step=self.step, nodes=self.spectrum_nodes)
                    self.tracker.adopt(bottom, top)
                    lam_min, lam_max = bottom[0], top[0]
                else:
                    lam_min, lam_max, hvps = self.tracker.measure_operator(op)
                full_batch = self.config.batch_size >= self.data.x_train.shape[0]
                reading = self.meter.measure(None, self.params, self.optimizer, full_batch,
                                             lam_max=lam_max, op=op)
            except (RuntimeError, ValueError):  # a NaN loss has no spectrum: the charts keep theirs
                return None
        self.sharpness = reading
        self.curvature.add(step=self.step, lam_min=lam_min, lam_max=lam_max,
                           hvps=hvps + reading.hvps, sharpness=reading.value, threshold=reading.threshold)
        return self.curvature.last

    @torch.no_grad()
    def decision_grid(self, steps: int = 50):
        """Class-1 probability (2 classes) or predicted class / value on a grid over 2-D inputs."""
        g0, g1, mesh = grid(torch.cat([self.data.x_train, self.data.x_test]), steps)
        self.model.eval()
        out = self.model(mesh)
        self.model.train()
        if self.data.task == "regression":
            values = out[:, 0]
        elif self.data.n_classes == 2:
            values = torch.softmax(out, -1)[:, 1]
        else:
            values = out.argmax(-1).float()
        return mesh, values


class frozen_bn_stats:
    """Run a train-mode forward pass without moving batch norm's running μ̄ and σ̄."""

    def __init__(self, model: torch.nn.Module):
        self.model = model

    def __enter__(self):
        self.saved = {k: v.clone() for k, v in self.model.state_dict().items()
                      if "running" in k or "num_batches" in k}

    def __exit__(self, *exc):
        if self.saved:
            self.model.load_state_dict(self.saved, strict=False)
        return False


def finite_or_none(x: float):
    return x if math.isfinite(x) else None


def dataset_for(config: RunConfig) -> Dataset:
    return make_dataset(config.dataset, config.n_samples, config.noise, config.test_fraction,
                        config.seed)


DATA_FIELDS = ("dataset", "noise", "n_samples", "test_fraction", "seed")


def same_start(configs: list[RunConfig], data: Dataset | None = None) -> list[Run]:
    """Runs for side-by-side comparison: one dataset object, identical initial weights.

    Configs must agree on the data settings; the model's weights then match wherever the
    architecture does (batch norm on/off keeps the Linear weights, since they depend on seed only).
    `data` replaces the generated dataset (a student's own upload).
    """
    first = configs[0]
    for c in configs[1:]:
        for name in DATA_FIELDS:
            if getattr(c, name) != getattr(first, name):
                raise ValueError(f"{name}: compared runs must share their data settings")
    data = data if data is not None else dataset_for(first.validate())
    runs = [Run(c, data) for c in configs]
    base = runs[0].model.state_dict()
    for run in runs[1:]:
        mine = run.model.state_dict()
        shared = {k: v for k, v in base.items() if k in mine and mine[k].shape == v.shape}
        if len(shared) == len(mine):  # same architecture: copy, so even a custom init is shared
            run.model.load_state_dict(copy.deepcopy(shared))
    return runs


def advance_all(runs: list[Run], n: int, spectra: bool = True) -> None:
    """Lockstep: every run takes n updates (a stopped run stays where it stopped)."""
    for run in runs:
        run.advance(n, spectra)

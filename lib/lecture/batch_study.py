"""Batch size, measured: time per update and per epoch, and what small vs large batches end up at.

    time_batches(config, [1, 8, 64, 512])   # seconds per update / per epoch on this machine
    results = study(GENERALIZATION, [4, 16, 180], label_noise=LABEL_NOISE)  # each to the same fit
    line = interpolate(results[0].run, results[-1].run, alphas)   # Keskar et al.'s 1-D plot

Timing and Study do the same in small pieces (`advance`), so a page can show their progress and
stop them (ui/animation.py players); the pieces give the same numbers as the whole.

Timing runs a plain SGD update loop on the CUDA device when there is one, else on the CPU (torch
kernels are asynchronous on CUDA, so the clock is read after torch.cuda.synchronize()).
"""
from __future__ import annotations

import math
import platform
import time
from dataclasses import dataclass

import numpy as np
import torch

from ..engine import hessian
from ..engine.data import relabel
from ..engine.losses import accuracy, make_loss
from ..engine.models import make_mlp
from ..engine.settings import RunConfig
from ..engine.trainer import Run, dataset_for, frozen_bn_stats, same_start

MAX_TIMING_SIZES = 16     # batch sizes per timing chart
MAX_STUDY_UPDATES = 6000  # per batch size, whatever the epochs ask for
MAX_ALPHAS = 101
TIMING_BUDGET_S = 0.08    # the page's timing: about this many seconds per batch size …
TIMING_MAX_UPDATES = 20   # … and at most this many updates (the median is reported)


def pick_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"GPU: {torch.cuda.get_device_name(device)}"
    cpu = platform.processor() or platform.machine() or "CPU"
    return f"CPU: {cpu}, {torch.get_num_threads()} thread(s)"


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class Timing:
    """The timing of several batch sizes, one size per `advance()`, so a page can show each as it
    comes and stop between them (time_batches runs it to the end).

    Seconds per update are the median of repeated updates; an epoch takes ⌈n_train / b⌉ updates,
    and its time is that count × the time per update (whole epochs of batch 1 would take far too
    long on a shared server). Each size gets at most max_updates updates or about budget_s seconds.
    """

    def __init__(self, config: RunConfig, batch_sizes, device: torch.device | None = None,
                 min_updates: int = 3, max_updates: int = 50, budget_s: float = 0.25):
        self.device = device or pick_device()
        self.sizes = sorted({int(b) for b in batch_sizes})[:MAX_TIMING_SIZES]
        data = dataset_for(config)
        n = data.x_train.shape[0]
        if not self.sizes or self.sizes[0] < 1 or self.sizes[-1] > n:
            raise ValueError(f"batch_size: each must lie in 1 … {n}, got {self.sizes}")
        self.n = n
        self.x, self.y = data.x_train.to(self.device), data.y_train.to(self.device)
        self.model = make_mlp(data.n_features, data.n_outputs, config.depth, config.width,
                              config.activation, config.batch_norm and min(self.sizes) > 1,
                              config.seed).to(self.device)
        self.loss_fn = make_loss(config.loss, data.task)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=1e-3)  # tiny steps: timing, not learning
        self.gen = torch.Generator().manual_seed(config.seed)
        self.min_updates, self.max_updates, self.budget_s = min_updates, max_updates, budget_s
        self.rows: list[dict] = []

    @property
    def done(self) -> bool:
        return len(self.rows) == len(self.sizes)

    def advance(self) -> bool:
        """Time the next batch size; False once every size is timed."""
        if self.done:
            return False
        b = self.sizes[len(self.rows)]
        idx = torch.randint(0, self.n, (self.max_updates + 1, b), generator=self.gen).to(self.device)

        def update(k):
            self.opt.zero_grad(set_to_none=True)
            self.loss_fn(self.model(self.x[idx[k]]), self.y[idx[k]]).backward()
            self.opt.step()

        update(self.max_updates)  # warm-up (allocations, kernel selection)
        _sync(self.device)
        times, spent = [], 0.0
        for k in range(self.max_updates):
            t0 = time.perf_counter()
            update(k)
            _sync(self.device)
            dt = time.perf_counter() - t0
            times.append(dt)
            spent += dt
            if k + 1 >= self.min_updates and spent > self.budget_s:
                break
        per_update = float(np.median(times))
        updates = math.ceil(self.n / b)
        self.rows.append({"batch": b, "update_s": per_update, "updates_per_epoch": updates,
                          "epoch_s": per_update * updates})
        return not self.done


def time_batches(config: RunConfig, batch_sizes, device: torch.device | None = None,
                 min_updates: int = 3, max_updates: int = 50, budget_s: float = 0.25,
                 progress=None) -> list[dict]:
    """Seconds per update and per epoch for each batch size (Timing, run to the end).
    progress(done, total) is called after each size."""
    timing = Timing(config, batch_sizes, device, min_updates, max_updates, budget_s)
    while not timing.done:
        timing.advance()
        if progress:
            progress(len(timing.rows), len(timing.sizes))
    return timing.rows


def timing_sizes(n_train: int) -> list[int]:
    """1, 2, 4, … up to the full training set (which is always included)."""
    sizes = [2 ** k for k in range(0, 20) if 2 ** k < n_train]
    return sizes + [n_train]


# The generalization study: the 8×8 digits with only 180 training images (the other 1,617 are the
# test set, so one image is 0.06 points of test accuracy), 20 % of the training labels wrong, one
# hidden layer of 128 ReLUs, plain SGD at η = 0.1. Every batch size trains until the training loss
# (on the noisy labels) falls to 0.05, so all of them fit the training set equally well. Measured
# with this code over seeds 0–15: batch 4 tested higher than the full batch (180) in all 16, by
# 0.9–3.6 points (2.2 on average), and its minimum was flatter in all 16 (mean λ_max 1.5 vs 3.5).
# With no wrong labels the gap on this easy task vanishes (−0.05 points on average over seeds 0–7,
# positive in 3 of 8), which is why they are there. tests/test_batch_study.py re-checks seeds 0–4.
GENERALIZATION = RunConfig(dataset="digits", n_samples=1797, test_fraction=0.9, depth=1, width=128,
                           activation="relu", optimizer="sgd", lr=0.1, loss="ce", hessian_every=0,
                           eval_every=10_000)
LABEL_NOISE = 0.2
TARGET_LOSS = 0.05
CHECK_EVERY = 25          # updates between checks of the whole training loss
PIECE_UPDATES = 5         # updates per piece of work (a full batch's 25 took up to a second on a
                          # busy 2-core server: a Stop waited for it)
MIN_GAP = 0.01            # "generalizes better" needs at least this test-accuracy lead on average
STUDY_BATCHES = (4, 16, GENERALIZATION.n_train)   # the page's batch sizes, smallest to full
NOISE_PERCENTS = (0, 10, 20, 30)  # the wrong-label shares the page offers
MAX_SEEDS = 10
ALPHAS = tuple(np.round(np.linspace(-0.5, 1.5, 41), 3).tolist())  # Keskar's line: both ends and beyond


@dataclass
class Result:
    batch: int
    run: Run
    train_acc: float
    test_acc: float
    train_loss: float
    test_loss: float
    sharpness: float     # the Hessian's largest eigenvalue at the end
    reached: bool        # the training loss reached the target within the update budget

    def row(self) -> dict:
        """Plain numbers (no model) for a page to keep."""
        return {"batch": self.batch, "updates": self.run.step, "train_acc": self.train_acc,
                "test_acc": self.test_acc, "train_loss": self.train_loss,
                "test_loss": self.test_loss, "sharpness": self.sharpness, "reached": self.reached}


class SeedStudy:
    """One seed of the study in small pieces: one run per batch size from one start (same data,
    same initial weights), each trained until its loss on the whole training set is at most
    target_loss (checked every CHECK_EVERY updates) or max_updates (capped at
    MAX_STUDY_UPDATES) are spent; then each end point is measured. The runs go one after the
    other, so the pieces give the same numbers however the work is cut.

    label_noise: the fraction of training labels replaced by a wrong class (lib.data.relabel)."""

    def __init__(self, config: RunConfig, batch_sizes, target_loss: float = TARGET_LOSS,
                 label_noise: float = 0.0, max_updates: int = MAX_STUDY_UPDATES):
        self.max_updates = min(int(max_updates), MAX_STUDY_UPDATES)
        self.target_loss = target_loss
        configs = [config.with_(batch_size=int(b), hessian_every=0, eval_every=10_000)
                   for b in batch_sizes]
        data = dataset_for(config.validate())
        if label_noise:
            data = relabel(data, label_noise, config.seed)
        self.runs = same_start(configs, data)
        self.results: list[Result] = []
        self._reached: bool | None = None  # the current run's, once checked

    @property
    def done(self) -> bool:
        return len(self.results) == len(self.runs)

    @property
    def fraction(self) -> float:
        """How much of this seed's work is done, 0 … 1 (a run counts fully once measured)."""
        if self.done:
            return 1.0
        run = self.runs[len(self.results)]
        return (len(self.results) + run.step / self.max_updates) / len(self.runs)

    def advance(self, seconds: float = 0.0) -> bool:
        """Work for about `seconds` (at least one piece: up to PIECE_UPDATES updates, a check of
        the training loss every CHECK_EVERY updates, or the measurement of a finished run); False once every run is measured.
        Seconds of this thread's CPU, as ui/pacing.py budgets a turn."""
        start = time.thread_time()
        while not self.done:
            run = self.runs[len(self.results)]
            if self._reached is None:
                self._reached = full_train_loss(run) <= self.target_loss
            if not self._reached and run.step < self.max_updates and not run.stopped:
                # a piece of at most PIECE_UPDATES, so a Stop lands soon; the checks stay at
                # every CHECK_EVERY-th update, so the numbers do not depend on the pieces
                check_at = min((run.step // CHECK_EVERY + 1) * CHECK_EVERY, self.max_updates)
                run.advance(min(PIECE_UPDATES, check_at - run.step))
                if run.step == check_at or run.stopped:
                    self._reached = full_train_loss(run) <= self.target_loss
            else:
                self.results.append(measure(run, self._reached))
                self._reached = None
            if time.thread_time() - start >= seconds:
                break
        return not self.done


def study(config: RunConfig, batch_sizes, target_loss: float = TARGET_LOSS, label_noise: float = 0.0,
          max_updates: int = MAX_STUDY_UPDATES, progress=None) -> list[Result]:
    """SeedStudy run to the end. progress(done, total) is called as the runs advance (done is
    fractional)."""
    seed = SeedStudy(config, batch_sizes, target_loss, label_noise, max_updates)
    while seed.advance():
        if progress:
            progress(seed.fraction * len(seed.runs), len(seed.runs))
    if progress:
        progress(len(seed.runs), len(seed.runs))
    return seed.results


class Study:
    """The page's study over several seeds, advanced in small pieces (a page shows its progress
    and can stop it): each seed's rows (Result.row()) as it finishes, and Keskar's line between the
    first seed's smallest- and largest-batch solutions."""

    def __init__(self, config: RunConfig, batch_sizes, seeds, label_noise: float = 0.0,
                 target_loss: float = TARGET_LOSS, alphas=ALPHAS):
        self.seeds = [int(s) for s in seeds]
        if not 1 <= len(self.seeds) <= MAX_SEEDS:
            raise ValueError(f"seeds: 1 … {MAX_SEEDS} of them, got {len(self.seeds)}")
        if not 0.0 <= label_noise < 1.0:
            raise ValueError(f"label_noise: a fraction in [0, 1), got {label_noise}")
        self.config, self.batch_sizes = config, tuple(int(b) for b in batch_sizes)
        self.label_noise, self.target_loss = float(label_noise), target_loss
        self.alphas = tuple(float(a) for a in alphas)[:MAX_ALPHAS]
        self.results: list[list[dict]] = []   # per finished seed, one row per batch size
        self.line: dict | None = None
        self._seed: SeedStudy | None = None   # the seed in progress (its runs)

    @property
    def done(self) -> bool:
        return len(self.results) == len(self.seeds)

    @property
    def current_seed(self) -> int | None:
        return None if self.done else self.seeds[len(self.results)]

    @property
    def fraction(self) -> float:
        part = self._seed.fraction if self._seed is not None else 0.0
        return min(1.0, (len(self.results) + part) / len(self.seeds))

    def advance(self, seconds: float = 0.0) -> bool:
        """Work for about `seconds` of CPU (at least one piece); False once every seed is done."""
        start = time.thread_time()
        while not self.done:
            if self._seed is None:
                self._seed = SeedStudy(self.config.with_(seed=self.current_seed), self.batch_sizes,
                                       self.target_loss, self.label_noise)
            if not self._seed.advance(seconds - (time.thread_time() - start)):
                results = self._seed.results
                if self.line is None:  # Keskar's line for the first seed only: it needs the models
                    self.line = interpolate(results[0].run, results[-1].run, self.alphas)
                self.results.append([r.row() for r in results])
                self._seed = None  # its models go
            if time.thread_time() - start >= seconds:
                break
        return not self.done


@torch.no_grad()
def full_train_loss(run: Run) -> float:
    run.model.eval()
    loss = float(run.loss_fn(run.model(run.data.x_train), run.data.y_train))
    run.model.train()
    return loss if math.isfinite(loss) else float("inf")


def measure(run: Run, reached: bool) -> Result:
    run.evaluate()
    last = run.evals.last
    with frozen_bn_stats(run.model):
        _, lam_max = hessian.extremes(run.hessian_closure(), run.params, iters=40,
                                      seed=run.config.seed)
    nan = float("nan")
    pick = lambda k: nan if last[k] is None else last[k]  # noqa: E731
    return Result(run.config.batch_size, run, pick("train_acc"), pick("test_acc"),
                  pick("train_loss"), pick("test_loss"), float(lam_max), reached)


def verdict(seeds: list[list[dict]]) -> dict:
    """What the numbers of several seeds show, comparing the smallest batch (each seed's first row)
    with the largest (its last row). Rows are Result.row() dicts.

    kind: "generalizes" when both fit the training set (reached the target loss) in every seed and
    the small batch tested higher in every seed, by MIN_GAP or more on average; "optimization" when
    the small batch tested higher on average but the large batch did not fit the training set;
    "mixed" when it tested higher on average but not in every seed; "no_gap" otherwise.
    sharper: in how many seeds the largest eigenvalue grows with the batch size at every step."""
    if not seeds:
        raise ValueError("verdict: no results")
    small = [rows[0] for rows in seeds]
    large = [rows[-1] for rows in seeds]
    gaps = [s["test_acc"] - l["test_acc"] for s, l in zip(small, large)]
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    gap = mean(gaps)
    fitted = all(s["reached"] and l["reached"] for s, l in zip(small, large))
    if gap >= MIN_GAP and fitted and all(g > 0 for g in gaps):
        kind = "generalizes"
    elif gap >= MIN_GAP and not all(l["reached"] for l in large):
        kind = "optimization"
    elif gap > 0 and not all(g > 0 for g in gaps):
        kind = "mixed"
    else:
        kind = "no_gap"
    sharper = sum(all(a["sharpness"] < b["sharpness"] for a, b in zip(rows, rows[1:])) for rows in seeds)
    return {"kind": kind, "seeds": len(seeds), "wins": sum(g > 0 for g in gaps), "gap": gap,
            "small": small[0]["batch"], "large": large[0]["batch"],
            "small_test": mean([s["test_acc"] for s in small]),
            "large_test": mean([l["test_acc"] for l in large]),
            "small_train": mean([s["train_acc"] for s in small]),
            "large_train": mean([l["train_acc"] for l in large]),
            "small_sharp": mean([s["sharpness"] for s in small]),
            "large_sharp": mean([l["sharpness"] for l in large]), "sharper": sharper}


@torch.no_grad()
def interpolate(run_a: Run, run_b: Run, alphas) -> dict[str, list[float]]:
    """Loss and accuracy at θ(α) = (1 − α)·θ_a + α·θ_b (α = 0: run_a, α = 1: run_b), on the
    training and the test set. The runs must share data and architecture."""
    alphas = [float(a) for a in alphas][:MAX_ALPHAS]
    if run_a.data is not run_b.data:
        raise ValueError("interpolate: the two runs must share their data (use same_start)")
    d = run_a.data
    model = make_mlp(d.n_features, d.n_outputs, run_a.config.depth, run_a.config.width,
                     run_a.config.activation, run_a.config.batch_norm, run_a.config.seed)
    sa, sb = run_a.model.state_dict(), run_b.model.state_dict()
    model.eval()
    out = {"alpha": [], "train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
    for a in alphas:
        model.load_state_dict({k: (1 - a) * sa[k].double() + a * sb[k].double() if sa[k].is_floating_point()
                               else sa[k] for k in sa})
        ftr, fte = model(d.x_train), model(d.x_test)
        out["alpha"].append(a)
        out["train_loss"].append(float(run_a.loss_fn(ftr, d.y_train)))
        out["test_loss"].append(float(run_a.loss_fn(fte, d.y_test)))
        if d.task == "classification":
            out["train_acc"].append(accuracy(ftr, d.y_train))
            out["test_acc"].append(accuracy(fte, d.y_test))
        else:
            out["train_acc"].append(float("nan"))
            out["test_acc"].append(float("nan"))
    return out

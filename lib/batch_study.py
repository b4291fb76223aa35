"""Batch size, measured: time per update and per epoch, and what small vs large batches end up at.

    time_batches(config, [1, 8, 64, 512])   # seconds per update / per epoch on this machine
    results = study(config, [8, 32, n_train], epochs=40)
    line = interpolate(results[0].run, results[-1].run, alphas)   # Keskar et al.'s 1-D plot

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

from . import hessian
from .losses import accuracy, make_loss
from .models import make_mlp
from .settings import RunConfig
from .trainer import Run, dataset_for, frozen_bn_stats, same_start

MAX_TIMING_SIZES = 16     # batch sizes per timing chart
MAX_STUDY_UPDATES = 6000  # per batch size, whatever the epochs ask for
MAX_ALPHAS = 101


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


def time_batches(config: RunConfig, batch_sizes, device: torch.device | None = None,
                 min_updates: int = 3, max_updates: int = 50, budget_s: float = 0.25,
                 progress=None) -> list[dict]:
    """Seconds per update (median of repeated updates) and per epoch for each batch size.

    An epoch takes ⌈n_train / b⌉ updates; its time is that count × the time per update (measuring
    whole epochs of batch 1 would take far too long on a shared server). Each size gets at most
    max_updates updates or about budget_s seconds. progress(done, total) is called after each size.
    """
    device = device or pick_device()
    sizes = sorted({int(b) for b in batch_sizes})[:MAX_TIMING_SIZES]
    data = dataset_for(config)
    n = data.x_train.shape[0]
    if not sizes or sizes[0] < 1 or sizes[-1] > n:
        raise ValueError(f"batch_size: each must lie in 1 … {n}, got {sizes}")
    x, y = data.x_train.to(device), data.y_train.to(device)
    model = make_mlp(data.n_features, data.n_outputs, config.depth, config.width, config.activation,
                     config.batch_norm and min(sizes) > 1, config.seed).to(device)
    loss_fn = make_loss(config.loss, data.task)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)  # tiny steps: timing, not learning
    gen = torch.Generator().manual_seed(config.seed)
    out = []
    for j, b in enumerate(sizes):
        idx = torch.randint(0, n, (max_updates + 1, b), generator=gen).to(device)

        def update(k):
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx[k]]), y[idx[k]]).backward()
            opt.step()

        update(max_updates)  # warm-up (allocations, kernel selection)
        _sync(device)
        times, spent = [], 0.0
        for k in range(max_updates):
            t0 = time.perf_counter()
            update(k)
            _sync(device)
            dt = time.perf_counter() - t0
            times.append(dt)
            spent += dt
            if k + 1 >= min_updates and spent > budget_s:
                break
        per_update = float(np.median(times))
        updates = math.ceil(n / b)
        out.append({"batch": b, "update_s": per_update, "updates_per_epoch": updates,
                    "epoch_s": per_update * updates})
        if progress:
            progress(j + 1, len(sizes))
    return out


def timing_sizes(n_train: int) -> list[int]:
    """1, 2, 4, … up to the full training set (which is always included)."""
    sizes = [2 ** k for k in range(0, 20) if 2 ** k < n_train]
    return sizes + [n_train]


@dataclass
class Result:
    batch: int
    run: Run
    train_acc: float
    test_acc: float
    train_loss: float
    test_loss: float
    sharpness: float     # the Hessian's largest eigenvalue at the end


def study(config: RunConfig, batch_sizes, epochs: int, progress=None) -> list[Result]:
    """Train one run per batch size from one start (same data, same initial weights) for the same
    number of epochs (capped at MAX_STUDY_UPDATES updates), then measure each end point."""
    configs = [config.with_(batch_size=int(b), hessian_every=0, eval_every=10_000)
               for b in batch_sizes]
    runs = same_start(configs)
    n = runs[0].data.x_train.shape[0]
    results = []
    for j, run in enumerate(runs):
        updates = min(MAX_STUDY_UPDATES, epochs * math.ceil(n / run.config.batch_size))
        chunk = max(1, updates // 20)
        while run.step < updates and not run.stopped:
            run.advance(min(chunk, updates - run.step))
            if progress:
                progress(j + run.step / updates, len(runs))
        results.append(measure(run))
    return results


def measure(run: Run) -> Result:
    run.evaluate()
    last = run.evals.last
    with frozen_bn_stats(run.model):
        _, lam_max = hessian.extremes(run.hessian_closure(), run.params, iters=40,
                                      seed=run.config.seed)
    nan = float("nan")
    pick = lambda k: nan if last[k] is None else last[k]  # noqa: E731
    return Result(run.config.batch_size, run, pick("train_acc"), pick("test_acc"),
                  pick("train_loss"), pick("test_loss"), float(lam_max))


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

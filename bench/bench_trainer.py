"""The run's own overhead against a bare PyTorch loop, and its memory over a long run.

    python bench/bench_trainer.py [--long 100000]

1. updates/s of lib.engine.trainer.Run (measurements off) against a bare loop on the same model, data,
   batch size and optimizer — target ≥ 0.85×; also the default run with its test-loss and Hessian
   cadence, for information.
2. RSS growth over `--long` updates of the default run (history bounded) — target < 50 MB.
One torch thread, as in the app.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import psutil
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from lib.engine.losses import make_loss  # noqa: E402
from lib.engine.models import make_mlp  # noqa: E402
from lib.engine.settings import RunConfig  # noqa: E402
from lib.engine.trainer import Run, dataset_for  # noqa: E402

UPDATES = 3000


def bare_loop(cfg: RunConfig, updates: int) -> float:
    """What a student would write: shuffle each epoch, forward, backward, step."""
    data = dataset_for(cfg)
    model = make_mlp(data.n_features, data.n_outputs, cfg.depth, cfg.width, cfg.activation,
                     cfg.batch_norm, cfg.seed)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = make_loss(cfg.loss, data.task)
    gen = torch.Generator().manual_seed(1)
    n, bs = len(data.x_train), cfg.batch_size
    done, start = 0, time.perf_counter()
    while done < updates:
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, bs):
            idx = order[i:i + bs]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(data.x_train[idx]), data.y_train[idx])
            loss.backward()
            opt.step()
            done += 1
            if done == updates:
                break
    return updates / (time.perf_counter() - start)


def run_loop(cfg: RunConfig, updates: int) -> float:
    run = Run(cfg)
    start = time.perf_counter()
    while run.step < updates:
        run.advance(50)  # as the panel does: a few dozen updates between frames
    return updates / (time.perf_counter() - start)


def best_interleaved(fs: list, repeats=7) -> list[float]:
    """Best rate of each function, their runs interleaved so machine noise hits them alike."""
    best = [0.0] * len(fs)
    for _ in range(repeats):
        for i, f in enumerate(fs):
            best[i] = max(best[i], f())
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--long", type=int, default=100_000, help="updates for the memory test")
    args = parser.parse_args()
    torch.set_num_threads(1)
    default = RunConfig()
    quiet = default.with_(hessian_every=0, eval_every=10_000)
    print(f"default run: {default.dataset}, {default.depth}×{default.width} {default.activation}, "
          f"{default.optimizer}, batch {default.batch_size}; one torch thread; best of 7 interleaved × {UPDATES}")
    bare, ours, full = best_interleaved([lambda: bare_loop(default, UPDATES),
                                         lambda: run_loop(quiet, UPDATES),
                                         lambda: run_loop(default, UPDATES)])
    print(f"  bare PyTorch loop                        {bare:8.0f} updates/s")
    print(f"  Run, measurements off                    {ours:8.0f} updates/s  = {ours / bare:.2f}× bare "
          f"(target ≥ 0.85×)")
    print(f"  Run, default cadence (test loss every {default.eval_every}, Hessian every "
          f"{default.hessian_every}) {full:6.0f} updates/s  = {full / bare:.2f}× bare")

    proc = psutil.Process()
    run = Run(default)
    run.advance(1000)
    rss0 = proc.memory_info().rss
    samples = []
    start = time.perf_counter()
    while run.step < args.long:
        run.advance(5000)
        samples.append(proc.memory_info().rss)
    grown = (max(samples) - rss0) / 2**20
    print(f"memory: {args.long:,} updates of the default run in {time.perf_counter() - start:.0f} s; "
          f"RSS grew {grown:.1f} MB (target < 50 MB); history kept {len(run.history)} points, "
          f"evals {len(run.evals)}, Hessian {len(run.curvature)}")
    print(f"  median RSS over the run {statistics.median(samples) / 2**20:.0f} MB")


if __name__ == "__main__":
    main()

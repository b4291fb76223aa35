"""Time per update and per epoch for a range of batch sizes on this machine's device.

    python bench/bench_batch_timing.py [--width 128] [--depth 2] [--threads 1]

Uses the CUDA device when there is one, else the CPU; the same measurement as the Batch page
(lib.lecture.batch_study.time_batches): median seconds per SGD update, and ⌈n/b⌉ updates per epoch.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch  # noqa: E402

from lib.lecture import batch_study as bs  # noqa: E402
from lib.engine.settings import RunConfig  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--budget", type=float, default=0.5, help="seconds per batch size, at most")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    config = RunConfig(dataset="digits", n_samples=1797, depth=args.depth, width=args.width,
                       optimizer="sgd")
    device = bs.pick_device()
    rows = bs.time_batches(config, bs.timing_sizes(config.n_train), device, max_updates=200,
                           budget_s=args.budget)
    print(f"device: {bs.device_name(device)}; digits, {config.n_train} training images; "
          f"MLP {config.depth}×{config.width}")
    print(f"{'batch':>6} {'ms/update':>10} {'updates/epoch':>14} {'ms/epoch':>10}")
    for r in rows:
        print(f"{r['batch']:>6} {r['update_s'] * 1e3:>10.3f} {r['updates_per_epoch']:>14} "
              f"{r['epoch_s'] * 1e3:>10.2f}")


if __name__ == "__main__":
    main()

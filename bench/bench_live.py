"""Live speed of a page's training panel in headless Chromium: redraws/s of each chart and
updates/s while playing.

    python bench/bench_live.py [--seconds 10] [--page playground] [--query '&opt=adam']

Starts a fresh server, opens the page, presses the panel's Play, and counts for the given time how
far the Step metric advanced and how often each chart was re-rendered in the browser (each
LiveChart counts its renders: ui/charts/live_assets/live_chart.js).
Targets (issues 3 and 16): the loss chart ≥ 15 redraws/s, the Hessian's extremes (λ_min, λ_max)
≥ 10 refreshes/s, ≥ 300 updates/s.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from live_app import launch, metric, streamlit_server, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

RENDERS = "() => Object.fromEntries([...(window.liveChart ? window.liveChart.charts : [])]" \
          ".map(([k, c]) => [k, [c.renders, c.frames]]))"
TARGETS = {"loss": 15, "eig": 10}


def machine_speed(updates: int = 300, tries: int = 3) -> float:
    """ms per update of a bare PyTorch loop on the default run's net and data, one thread: the
    machine's own speed at the time of the run (this shared machine drifts by tens of per cent
    over a day, and every figure above drifts with it)."""
    import torch

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from lib.engine.trainer import Run
    from lib.lecture.presets import EDGE_OF_STABILITY

    torch.set_num_threads(1)
    run = Run(EDGE_OF_STABILITY)
    model, loss_fn = run.model, run.loss_fn
    x, y = run.data.x_train, run.data.y_train
    opt = torch.optim.SGD(model.parameters(), lr=EDGE_OF_STABILITY.lr)
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        for _ in range(updates):
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            opt.step()
        best = min(best, (time.perf_counter() - start) / updates)
    return best * 1e3


def measure(seconds: float, page_name: str = "playground", query: str = "") -> dict:
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{url}/{page_name}?lang=en{query}")
        wait_idle(page)
        page.get_by_role("button", name="Play", exact=True).first.click()
        page.wait_for_timeout(3000)  # warm up: first frames, JIT, chart creation
        # no polling while measuring: the browser's CPU is what is being measured
        step0, draws0, t0 = metric(page, "Step"), page.evaluate(RENDERS), time.time()
        page.wait_for_timeout(seconds * 1000)
        elapsed = time.time() - t0
        step1, draws1 = metric(page, "Step"), page.evaluate(RENDERS)
        page.get_by_role("button", name="Pause", exact=True).first.click()
        browser.close()
    rate = lambda k, i: (draws1[k][i] - draws0.get(k, [0, 0])[i]) / elapsed  # noqa: E731
    return {"seconds": elapsed, "updates_per_s": (step1 - step0) / elapsed,
            "redraws_per_s": {k: rate(k, 0) for k in draws1},
            "frames_per_s": {k: rate(k, 1) for k in draws1}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--page", default="playground")
    parser.add_argument("--query", default="", help="extra URL settings, e.g. '&opt=adam'")
    args = parser.parse_args()
    speed = machine_speed()
    r = measure(args.seconds, args.page, args.query)
    print(f"{args.page}{args.query}, default run, {r['seconds']:.1f} s of play in headless Chromium "
          f"({os.cpu_count()} cores)")
    print(f"  machine: a bare PyTorch update of the default net takes {speed:.2f} ms (0.69 when quiet)")
    print(f"  updates/s                    {r['updates_per_s']:8.0f}   (target ≥ 300)")
    print("  (redraws: the browser re-rendered the chart; frames: messages it got for it, several of which")
    print("   one redraw may take in when the browser is behind)")
    for key, rate in r["redraws_per_s"].items():
        chart = key.split(":")[-1]
        target = f"(target ≥ {TARGETS[chart]})" if chart in TARGETS else ""
        print(f"  {chart + ' redraws/s':28s} {rate:8.1f}   {target:16s} frames/s {r['frames_per_s'][key]:5.1f}")


if __name__ == "__main__":
    main()

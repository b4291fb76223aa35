"""A few real Chromium tabs on the Playground, to check what bench/bench_class.py's simulated
students report against browsers that render.

    python bench/bench_class_browser.py [--tabs 4] [--seconds 20] [--processes 1]

Each tab (its own browser context: its own cookies and session) opens the Playground, presses
Play, and is watched for --seconds: updates/s from the Step metric, frames/s from the loss
chart's repaints (Vega clears its canvas before each render), whether the Step ever went back.
Then each presses Pause in turn: the time until the button reads Play again, and whether the
Step then stays put. The tabs render on the same cores as the server, so a browserless class
(bench_class.py) is the measure for a real class; this one checks that the two agree.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from deploy.serve import cluster  # noqa: E402
from live_app import COUNT_REDRAWS, chart_redraws, launch, metric, wait_idle, wait_metric  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def step_now(page) -> int:
    """The Step metric (briefly absent while a rerun redraws it)."""
    wait_metric(page, "Step", "true", timeout=60_000)
    return metric(page, "Step") or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--processes", type=int, default=1, help="more than 1: behind nginx")
    args = parser.parse_args()
    with cluster(args.processes) as c, sync_playwright() as p:
        browser = launch(p)
        pages = []
        for _ in range(args.tabs):
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.add_init_script(COUNT_REDRAWS)
            page.goto(f"{c.url}/playground?lang=en")
            pages.append(page)
        for page in pages:
            page.get_by_role("button", name="Play").wait_for(timeout=180_000)
            wait_idle(page, 180_000)
        for page in pages:
            page.get_by_role("button", name="Play").click()
        for page in pages:
            wait_metric(page, "Step", "v > 0", timeout=120_000)
        went_back = [False] * len(pages)
        seen = [step_now(pg) for pg in pages]
        start_steps, start_draws = list(seen), [chart_redraws(pg)[0] for pg in pages]
        t0 = time.time()
        while time.time() - t0 < args.seconds:
            for i, page in enumerate(pages):
                step = metric(page, "Step")
                if step is not None:
                    went_back[i] |= step < seen[i]
                    seen[i] = max(seen[i], step)
            time.sleep(0.5)  # sampling period of the watch, not a wait for the app
        elapsed = time.time() - t0
        end_steps, end_draws = list(seen), [chart_redraws(pg)[0] for pg in pages]
        pause_s, moved = [], []
        for page in pages:
            t = time.time()
            page.get_by_role("button", name="Pause").click()
            page.get_by_role("button", name="Play").wait_for(timeout=60_000)
            pause_s.append(time.time() - t)
            wait_idle(page, 60_000)
            at = step_now(page)
            page.wait_for_timeout(1000)  # a second in which nothing may move
            moved.append(step_now(page) != at)
        errors = [pg.locator('[data-testid="stException"]').count() for pg in pages]
        browser.close()
    title = "1 Streamlit process" if args.processes == 1 else f"{args.processes} processes behind nginx"
    print(f"{args.tabs} Chromium tabs on the Playground, {title}, {elapsed:.0f} s playing, "
          f"{os.cpu_count()} cores (the tabs render on these cores too)")
    print("  tab  updates/s  frames/s  pause s  run")
    ups = []
    for i in range(len(pages)):
        u = (end_steps[i] - start_steps[i]) / elapsed
        f = (end_draws[i] - start_draws[i]) / elapsed
        ups.append(u)
        lost = went_back[i] or moved[i] or errors[i] or end_steps[i] <= start_steps[i]
        print(f"  {i + 1:3d}  {u:9.1f}  {f:8.1f}  {pause_s[i]:7.2f}  {'LOST' if lost else 'ok'}")
    print(f"  updates/s: slowest {min(ups):.1f}, median {statistics.median(ups):.1f}; "
          f"Pause: worst {max(pause_s):.2f} s; exceptions shown: {sum(errors)}")


if __name__ == "__main__":
    main()

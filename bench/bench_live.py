"""Live speed of the Playground in headless Chromium: chart redraws/s and updates/s while playing.

    python bench/bench_live.py [--seconds 10]

Starts a fresh server, opens /playground, presses Play, and counts for the given time: how often
the Step metric advanced, how many updates that was, and how often each chart's canvas was
repainted (the loss chart, the decision regions, the Hessian's extremes and density).
Targets (issue 3): charts ≥ 15 redraws/s, ≥ 300 updates/s, Hessian charts ≥ 2 refreshes/s.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from live_app import COUNT_REDRAWS, chart_redraws, launch, step_value, streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHARTS = ["loss", "regions", "hessian extremes", "eigenvalue density"]


def measure(seconds: float, query: str = "") -> dict:
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.add_init_script(COUNT_REDRAWS)
        page.goto(f"{url}/playground?lang=en{query}")
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(3000)  # warm up: first frames, JIT, chart creation
        # no polling while measuring: the browser's CPU is what is being measured
        step0, draws0, t0 = step_value(page), chart_redraws(page), time.time()
        page.wait_for_timeout(seconds * 1000)
        elapsed = time.time() - t0
        step1, draws1 = step_value(page), chart_redraws(page)
        page.get_by_role("button", name="Pause").click()
        browser.close()
    return {"seconds": elapsed, "updates_per_s": (step1 - step0) / elapsed,
            "redraws_per_s": [(b - a) / elapsed for a, b in zip(draws0, draws1)]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--query", default="", help="extra URL settings, e.g. '&hessian_every=0'")
    args = parser.parse_args()
    r = measure(args.seconds, args.query)
    print(f"Playground, default run, {r['seconds']:.1f} s of play in headless Chromium "
          f"({os.cpu_count()} cores)")
    print(f"  updates/s                    {r['updates_per_s']:8.0f}   (target ≥ 300)")
    for name, rate in zip(CHARTS, r["redraws_per_s"]):
        target = "≥ 2" if "hessian" in name or "density" in name else "≥ 15" if name == "loss" else ""
        print(f"  {name + ' redraws/s':28s} {rate:8.1f}   {('(target ' + target + ')') if target else ''}")


if __name__ == "__main__":
    main()

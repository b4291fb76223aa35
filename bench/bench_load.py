"""Many students at once: N headless Chromium tabs (separate sessions) press Play on the Playground.

    python bench/bench_load.py [--tabs 10] [--seconds 20]

Prints each tab's updates/s over the measuring window, whether any tab showed an exception, the
server's peak memory (RSS of the Streamlit process, sampled every 0.2 s), and the server's CPU
once every tab is closed (a closed tab must stop its training). Target (issue 9): every tab keeps
progressing, no exception, peak memory under 2 GB.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time

import psutil

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from live_app import launch, step_value, streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def sample_rss(proc: psutil.Process, stop: threading.Event, peak: list) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], proc.memory_info().rss)
        except psutil.Error:
            return
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tabs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with streamlit_server() as (url, popen), sync_playwright() as p:
        server = psutil.Process(popen.pid)
        peak, stop = [server.memory_info().rss], threading.Event()
        threading.Thread(target=sample_rss, args=(server, stop, peak), daemon=True).start()
        browser = launch(p)
        pages = []
        for _ in range(args.tabs):  # a context each: separate cookies, separate sessions
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.goto(f"{url}/playground?lang=en")
            pages.append(page)
        for page in pages:
            page.get_by_role("button", name="Play").click(timeout=120_000)
        time.sleep(5)  # everyone playing
        start = [step_value(pg) for pg in pages]
        t0 = time.time()
        time.sleep(args.seconds)
        end = [step_value(pg) for pg in pages]
        elapsed = time.time() - t0
        errors = sum(pg.locator('[data-testid="stException"]').count() for pg in pages)
        for page in pages:
            page.context.close()
        browser.close()
        time.sleep(5)  # closed tabs: their sessions should stop training
        cpu_after = server.cpu_percent(interval=3.0)
        stop.set()
    rates = [(b - a) / elapsed for a, b in zip(start, end)]
    print(f"{args.tabs} tabs playing the Playground for {elapsed:.0f} s, one Streamlit server, "
          f"{os.cpu_count()} cores")
    for i, r in enumerate(rates, 1):
        print(f"  tab {i:2d}: {r:7.1f} updates/s")
    print(f"  slowest tab {min(rates):.1f} updates/s, total {sum(rates):.0f} updates/s")
    print(f"  exceptions shown: {errors}")
    print(f"  server peak RSS: {peak[0] / 2**20:.0f} MB (target < 2048 MB)")
    print(f"  server CPU after every tab closed: {cpu_after:.0f}%")


if __name__ == "__main__":
    main()

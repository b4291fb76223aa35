"""Reproduce the frozen demo of issue 18 and print what happens, second by second.

    python bench/repro_freeze.py [--page momentum] [--button 0] [--seconds 40]

Opens the page in headless Chromium on a fresh server watched by bench/send_queue_probe.py,
presses Play, and every second prints what the server queued for the tab (kB, messages), how deep
the tab's send queue is, what the tab received, and how far the tab is behind (queued so far −
received so far: what waits in the send queue and the socket buffers). Then it clicks Pause and Reset and reports
what became of them: whether the server dropped the session (queue overflow), whether the clicks
reached a connected session, whether the websocket was closed (the browser told), and the
script state Streamlit shows in the page.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_wire import probed_server, script_state  # noqa: E402
from live_app import launch, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from wire_meter import WireMeter  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", default="momentum")
    parser.add_argument("--button", type=int, default=0, help="which Play button on the page")
    parser.add_argument("--seconds", type=float, default=40, help="how long to play before Pause")
    args = parser.parse_args()
    with probed_server("app.py") as (url, log), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        meter = WireMeter(page)
        page.goto(f"{url}/{args.page}?lang=en", timeout=90_000)
        wait_idle(page)
        page.get_by_role("button", name="Play").nth(args.button).click()
        t0 = time.monotonic()
        print(f"{args.page}: Play pressed. Per second: queued by the server (kB, messages), "
              "send-queue depth, received by the tab (kB), how far the tab is behind (MB)")
        dropped_at = None
        queued_before = sum(r.get("bytes", 0) for r in map(json.loads, open(log)))
        received_before = meter.total(0, t0)
        while time.monotonic() - t0 < args.seconds:
            page.wait_for_timeout(1000)
            now = time.monotonic()
            records = [json.loads(line) for line in open(log)]
            last = [r for r in records if "bytes" in r and now - 1 <= r["t"] <= now]
            over = [r for r in records if r.get("event") == "overflow"]
            if over and dropped_at is None:
                dropped_at = over[0]["t"] - t0
            behind = (sum(r.get("bytes", 0) for r in records) - queued_before
                      - (meter.total(0, now) - received_before))
            print(f"  {now - t0:5.1f} s  queued {sum(r['bytes'] for r in last) / 1e3:7.0f} kB "
                  f"{sum(r['msgs'] for r in last):4d} msgs   depth {max((r['depth'] for r in last), default=0):3d}"
                  f"   received {meter.total(now - 1, now) / 1e3:6.0f} kB   behind {behind / 1e6:5.1f} MB"
                  + (f"   ← session dropped at {dropped_at:.1f} s" if over and dropped_at > now - t0 - 1 else ""))
        clicks = time.monotonic()
        state = script_state(page)
        page.get_by_role("button", name="Pause").first.click()
        page.wait_for_timeout(2000)
        page.get_by_role("button", name="Reset").nth(args.button).click()
        page.wait_for_timeout(8000)
        records = [json.loads(line) for line in open(log)]
        backmsgs = [r for r in records if r.get("event") == "backmsg" and r["t"] >= clicks]
        print(f"script state in the page before the clicks: {state!r}; 10 s after Pause and Reset: "
              f"{script_state(page)!r}")
        print(f"session dropped by the server: {'at %.1f s after Play' % dropped_at if dropped_at else 'no'}")
        print(f"clicks that reached the server after that: {len(backmsgs)}, of which delivered to a "
              f"connected session: {sum(r['connected'] for r in backmsgs)}")
        print(f"websockets opened/closed in the tab: {meter.sockets_opened}/{meter.sockets_closed}; "
              f"last message received {time.monotonic() - meter.last_arrival():.1f} s ago")
        browser.close()


if __name__ == "__main__":
    main()

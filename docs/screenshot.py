"""Make README's screenshot: the Playground after a few seconds of play, in headless Chromium.

    python docs/screenshot.py [--lang en] [--seconds 8] [--out docs/screenshot.png]

Starts its own server on 127.0.0.1, opens the Playground's default run, presses Play, waits until
the run has passed 1,000 updates and the error surface's plane is drawn, pauses, and saves the
page's main area.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from live_app import launch, streamlit_server, wait_idle, wait_metric  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PLANE_DRAWN = ("() => { const c = window.liveChart && window.liveChart.charts.get('playground:scape_plane');"
               " return !!c && c.renders > 1; }")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en", choices=("en", "zh"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "screenshot.png"))
    args = parser.parse_args()
    play, pause, step = ("Play", "Pause", "Step") if args.lang == "en" else ("播放", "暂停", "步数")
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1500})
        page.goto(f"{url}/playground?lang={args.lang}")
        wait_idle(page)
        page.get_by_role("button", name=play, exact=True).first.click()
        wait_metric(page, step, "Number(String(v).replace(/,/g, '')) > 1000", timeout=120_000)
        page.wait_for_function(PLANE_DRAWN, timeout=120_000)
        page.get_by_role("button", name=pause, exact=True).first.click()
        page.get_by_role("button", name=play, exact=True).first.wait_for(timeout=30_000)
        wait_idle(page)
        page.mouse.move(1, 1)  # no tooltip over the picture
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stTooltipContent\"]')")
        page.locator('[data-testid="stMain"]').screenshot(path=args.out)
        browser.close()
    print("wrote", args.out)


if __name__ == "__main__":
    main()

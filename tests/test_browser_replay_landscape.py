"""The Playground's own error surface while it trains, and replay, in headless Chromium
(issue 17): the slices are redrawn as the run goes on, and after Pause the replay slider
rewinds the charts in the browser and brings them back."""
import re

import pytest

from live_app import metric, no_exceptions, wait_idle, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")

RENDERS = "key => { const c = window.liveChart && window.liveChart.charts.get(key); return c ? c.renders : 0; }"
# the newest update the loss chart holds, as drawn in the browser
# (-1 while the chart is not on the page, so a wait on it goes on rather than failing)
LAST_STEP = ("() => { const c = window.liveChart && window.liveChart.charts.get('playground:loss');"
             " return c && c.view ? Math.max(0, ...c.view.data('train0').map(r => r.step)) : -1; }")


def test_slices_follow_the_run_and_replay_rewinds_it(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=en")
    wait_metric(page, "Step", "v === 0", timeout=90_000)
    wait_idle(page)
    page.wait_for_function(RENDERS, arg="playground:scape_top", timeout=90_000)
    before = {k: page.evaluate(RENDERS, f"playground:{k}") for k in ("scape_top", "scape_plane")}
    page.get_by_role("button", name="Play", exact=True).first.click()
    # while it trains, new slices and a new plane are drawn
    for key, n in before.items():
        page.wait_for_function(f"key => ({RENDERS})(key) > {n}", arg=f"playground:{key}", timeout=90_000)
    wait_metric(page, "Step", "v > 50", timeout=60_000)
    page.get_by_role("button", name="Pause", exact=True).first.click()
    page.get_by_role("button", name="Play", exact=True).first.wait_for(timeout=30_000)
    wait_idle(page)
    newest = metric(page, "Step")
    page.wait_for_function(f"() => ({LAST_STEP})() === {newest}", timeout=90_000)

    slider = page.locator('[data-testid="stSlider"]', has_text="Rewind to update").get_by_role("slider")
    rewound = page.get_by_text(re.compile(r"Showing update 0 of \d+"))
    for _ in range(3):                    # back to the start of the run (a key pressed while the
        slider.focus()                    # page was still settling can be lost: press again)
        page.keyboard.press("Home")
        try:
            rewound.wait_for(timeout=20_000)
            break
        except sync_api.TimeoutError:
            wait_idle(page)
    rewound.wait_for(timeout=30_000)
    page.wait_for_function(f"() => ({LAST_STEP})() === 0", timeout=90_000)
    newest = metric(page, "Step")          # the run itself is not rewound
    slider.focus()
    page.keyboard.press("End")            # and back to the present
    page.wait_for_function(f"() => ({LAST_STEP})() === {newest}", timeout=90_000)
    no_exceptions(page)
    page.close()

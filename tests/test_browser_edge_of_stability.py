"""Lesson step 1 of the Playground as a teacher runs it, in headless Chromium on a fresh server:
open the page, press Play, let it train, download the history from "Share and export", and find
λ_max hovering at 2/η in the downloaded numbers, the run not stopped."""
import csv
import io

import pytest

from lib.lecture import presets
from live_app import count_sockets, no_exceptions, step_value, wait_idle, wait_metric
from ui.lessons import LESSONS

sync_api = pytest.importorskip("playwright.sync_api")


def test_edge_of_stability_lesson_hovers_at_two_over_eta(server, browser, tmp_path):
    hover = dict(LESSONS["playground"].steps[0].numbers)["hover"]
    eos = 2 / presets.EDGE_OF_STABILITY.lr
    page = browser.new_page(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    sockets = count_sockets(page)
    page.goto(f"{server}/playground?lang=en")
    page.get_by_text(f"2/η = {eos:g}").first.wait_for(timeout=90_000)  # the step's words
    wait_metric(page, "Step", "v === 0", timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Play").click()
    # as long as the lesson's numbers need: up to `hover` updates (a busy machine takes longer)
    wait_metric(page, "Step", f"v >= {hover}", timeout=600_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=30_000)
    wait_idle(page)
    paused = step_value(page)
    assert paused >= hover and len(sockets) == 1, (paused, sockets)  # paused, not lost or replaced

    page.get_by_text("Share and export").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the run history (CSV)").click()
    path = tmp_path / "history.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    hessian = [r for r in rows if r["kind"] == "hessian"]
    updates = [r for r in rows if r["kind"] == "update"]
    assert updates, path.read_text()[:500]                   # the run's own history, not an empty one
    assert int(float(updates[-1]["step"])) == paused         # the run on screen, to its last update
    late = [float(r["lam_max"]) / eos for r in hessian if float(r["step"]) >= hover - 1000]
    assert len(late) >= 5 and all(0.8 <= x <= 1.2 for x in late), late
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0  # not stopped
    no_exceptions(page)
    page.close()

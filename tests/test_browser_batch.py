"""The Batch page in headless Chromium on a fresh server (issue 18): the first visit times every
batch size; Measure again times them again; the study starts, shows its progress and stops within
2 s keeping what finished; the live panel's Play, Pause and Reset land; Next moves the lesson; one
session from start to end, in both languages."""
import pytest

from live_app import (CHARTS_DRAWN, click_takes_effect, clicks_land, count_sockets, metric,
                      next_step_in_one_session, no_exceptions, wait_idle, wait_metric)
from lib.lecture import batch_study as bs
from lib.lecture import presets

sync_api = pytest.importorskip("playwright.sync_api")

SIZES = len(bs.timing_sizes(presets.BATCH_TIMING.n_train))
WORDS = {"en": dict(step="Step", next="Next", step_two="step 2 of", timed="Batch sizes timed",
                    again="Measure again", run="Train and compare", stop="Stop",
                    seeds="Seeds finished", stopped="Stopped:"),
         "zh": dict(step="步数", next="下一步", step_two="第 2/", timed="已测的 batch 大小",
                    again="重新测量", run="训练并比较", stop="停止", seeds="已完成的种子",
                    stopped="已停止：")}


def timed_all(page, w) -> None:
    wait_metric(page, w["timed"], f"v === {SIZES}", timeout=120_000)
    page.get_by_role("button", name=w["again"]).wait_for(timeout=30_000)


def study_stops_within_two_seconds(page, w) -> None:
    """Start the study, let the first seed finish, Stop: the button is back within 2 s and the
    finished seeds stay (the count no longer moves, the page says it stopped)."""
    wait_idle(page)
    page.get_by_role("button", name=w["run"], exact=True).click()
    wait_metric(page, w["seeds"], "v >= 1", timeout=180_000)
    click_takes_effect(page, page.get_by_role("button", name=w["stop"], exact=True),
                       page.get_by_role("button", name=w["run"], exact=True))
    wait_idle(page, timeout=30_000)
    done = metric(page, w["seeds"])
    page.get_by_text(w["stopped"]).first.wait_for(timeout=10_000)
    page.wait_for_timeout(1000)  # a second in which nothing may move (not a wait for anything)
    assert metric(page, w["seeds"]) == done >= 1
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1   # the finished seeds' table


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_batch_page_buttons_land(server, browser, lang):
    w = WORDS[lang]
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/batch?lang={lang}")
    timed_all(page, w)   # the first visit measures by itself, drawing as it goes
    wait_idle(page)
    timing = ["batch:time_update", "batch:time_epoch"]
    page.wait_for_function(CHARTS_DRAWN, arg=timing, timeout=60_000)  # before reading them
    renders = f"() => {timing}.map(k => window.liveChart.charts.get(k).renders)"
    before = page.evaluate(renders)
    page.get_by_role("button", name=w["again"]).click()
    # the two timing charts are drawn again, and the count is full again
    page.wait_for_function(f"b => {{ const c = ({renders})(); return c[0] > b[0] && c[1] > b[1]; }}",
                           arg=before, timeout=60_000)
    timed_all(page, w)
    study_stops_within_two_seconds(page, w)
    wait_metric(page, w["step"], "v === 0", timeout=60_000)
    clicks_land(page, w["step"], lang=lang)
    next_step_in_one_session(page, sockets, w["next"], w["step_two"])


def test_batch_study_settings_travel_in_the_link(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/batch?lang=en&batch.noise=0")
    wait_idle(page)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Wrong training labels")
    assert "0 %" in slider.inner_text()
    seeds = page.get_by_role("spinbutton", name="Seeds")
    seeds.fill("5")
    seeds.press("Enter")
    page.wait_for_function("() => location.search.includes('batch.n_seeds=5')", timeout=30_000)
    assert "batch.noise=0" in page.url
    no_exceptions(page)
    page.close()

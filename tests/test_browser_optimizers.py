"""The optimizers page in headless Chromium on a fresh server (issue 18): both Play buttons — the
race and Adam's counterexample — land their clicks (Play, Pause within 2 s, Reset), Next changes
the lesson step, and the session is never replaced, in both languages.

Both demos end by themselves (the race after 600 updates, the online problem after 200,000
steps), sooner than issue 18's 30 s on an idle machine, so each plays for a share of its length:
long enough to be well under way, short enough that it still moves when Pause is pressed."""
import pytest

from live_app import (clicks_land, count_sockets, next_step_in_one_session, no_exceptions,
                      wait_idle, wait_metric)
from plot_sizes import charts

sync_api = pytest.importorskip("playwright.sync_api")

# per language: the Play button (0: the race, 1: the counterexample), its step metric, how long
# it plays before Pause, the lesson's Next and its second step
CASES = [("en", 0, "Step", 4, ("Next", "step 2 of 3")),
         ("zh", 1, "在线步数 t", 5, ("下一步", "第 2/3 步"))]


@pytest.mark.parametrize("lang, which, label, seconds, lesson", CASES)
def test_play_pause_reset_land_and_next_moves_the_lesson(server, browser, lang, which, label, seconds,
                                                         lesson):
    next_label, step_two = lesson
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/optimizers?lang={lang}")
    wait_metric(page, label, "v === 0", timeout=90_000)
    clicks_land(page, label, which=which, play_seconds=seconds, lang=lang)
    next_step_in_one_session(page, sockets, next_label, step_two)


KEYS = ("opt:train", "opt:test", "opt:x", "opt:regret", "opt:online_pic", "opt:offline_pic")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_is_legible_on_a_projector(server, browser, lang):
    """At 1280×720 with presenter mode's larger type, each chart keeps a plot at least 150 px tall
    and nothing of it (a legend name, a title) falls outside its canvas."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/optimizers?lang={lang}&present=1")
    page.wait_for_function(   # every chart built and painted
        "n => window.liveChart && window.liveChart.charts.size === n &&"
        " [...window.liveChart.charts.values()].every(c => c.view && c.renders > 0)",
        arg=len(KEYS), timeout=90_000)
    wait_idle(page)
    shown = charts(page)
    assert {c["key"] for c in shown} == set(KEYS)
    for c in shown:
        assert min(c["heights"]) >= 150 and not c["outside"], c
    no_exceptions(page)
    page.close()

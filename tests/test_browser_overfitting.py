"""The overfitting page in headless Chromium on a fresh server (issue 18). Its one animation is
the simulation, a Start/Stop job rather than Play/Pause/Reset: Run starts it, Stop lands within
2 s and nothing moves after it, Continue resumes where it stopped, the finished run says its
verdict, Run again starts from zero; Next changes the lesson step; the session is never replaced;
in both languages. The link asks for the largest sweep (14 values of N × 5,000 training sets), so
that Stop finds it still running."""
import pytest

from live_app import click_takes_effect, count_sockets, metric, no_exceptions, wait_idle, wait_metric
from plot_sizes import charts

sync_api = pytest.importorskip("playwright.sync_api")

WORDS = {"en": dict(sets="Training sets drawn", run="Run the simulation", stop="Stop", more="Continue",
                    again="Run again", verdict="under the bound at every N", next="Next",
                    step_two="step 2 of 3"),
         "zh": dict(sets="已抽取的训练集", run="运行模拟", stop="停止", more="继续", again="重新运行",
                    verdict="都不超过上界", next="下一步", step_two="第 2/3 步")}
TOTAL = 14 * 5000        # training sets of the linked sweep
STOP_WITHIN = 2.0        # seconds


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_stop_continue_and_run_again_land(server, browser, lang):
    w = WORDS[lang]
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/overfitting?lang={lang}&of.trials=5000&of.n_max=5000")
    wait_metric(page, w["sets"], "v === 0", timeout=90_000)
    wait_idle(page)

    button(page, w["run"]).click()
    wait_metric(page, w["sets"], "v > 0", timeout=60_000)
    moving = metric(page, w["sets"])
    wait_metric(page, w["sets"], f"v > {moving}", timeout=30_000)   # still drawing
    click_takes_effect(page, button(page, w["stop"]), button(page, w["more"]), STOP_WITHIN)
    wait_idle(page, timeout=30_000)
    stopped = metric(page, w["sets"])
    page.wait_for_timeout(1000)  # a second in which nothing may move (not a wait for anything)
    assert metric(page, w["sets"]) == stopped < TOTAL, "still drawing after Stop"

    button(page, w["more"]).click()            # resumes where it stopped, and runs to the end
    wait_metric(page, w["sets"], f"v > {stopped}", timeout=30_000)
    wait_metric(page, w["sets"], f"v === {TOTAL}", timeout=180_000)
    button(page, w["again"]).wait_for(timeout=30_000)
    page.get_by_text(w["verdict"]).first.wait_for(timeout=30_000)
    wait_idle(page, timeout=30_000)

    button(page, w["again"]).click()           # from zero again, and drawing: a Stop that lands
    # before the first sets are drawn leaves nothing to continue (the button says Run, rightly)
    wait_metric(page, w["sets"], f"v > 0 && v < {TOTAL}", timeout=30_000)
    click_takes_effect(page, button(page, w["stop"]), button(page, w["more"]), STOP_WITHIN)
    wait_idle(page, timeout=30_000)

    button(page, w["next"]).click()
    page.get_by_text(w["step_two"]).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert len(sockets) == 1, sockets  # one session from start to end
    no_exceptions(page)
    page.close()


KEYS = ("of:bound", "of:sim", "of:gaps", "of:best", "of:picked")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_is_legible_on_a_projector(server, browser, lang):
    """At 1280×720 with presenter mode's larger type, each chart keeps a plot at least 150 px tall
    and nothing of it (a legend name, a title) falls outside its canvas."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/overfitting?lang={lang}&present=1")
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

"""Home and guide pages in real headless Chromium on a fresh server (issue 18): the guide's Play
(its shared panel) lands — Play for 30 s, Pause within 2 s, Reset — the lesson's Next moves the
step, and the session is never replaced; in both languages."""
import pytest

from live_app import (clicks_land, count_sockets, next_step_in_one_session, no_exceptions,
                      wait_idle, wait_metric)

sync_api = pytest.importorskip("playwright.sync_api")

# language: the Step metric, Next, the lesson's second step, section 2's heading (drawn below the panel)
LABELS = {"en": ("Step", "Next", "step 2 of 3", "2 Overfitting: a flexible model on few points"),
          "zh": ("步数", "下一步", "第 2/3 步", "2 过拟合：灵活的模型，很少的数据")}


def test_home_next_steps_the_lesson_and_a_tree_link_opens_the_overfitting_page(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    sockets = count_sockets(page)
    page.goto(f"{server}/?lang=en")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Task strategy").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_text("step 2 of 3").first.wait_for(timeout=30_000)
    wait_idle(page)
    main.get_by_role("link", name="→ 8 Overfitting").click()
    page.wait_for_url("**/overfitting*", timeout=60_000)
    # the page's metrics (either language: the session's language is the sidebar's business)
    page.locator('[data-testid="stMetric"]').nth(3).wait_for(timeout=60_000)
    charts = '.live-chart, [data-testid="stVegaLiteChart"]'   # LiveCharts or Streamlit's own
    page.wait_for_function(f"() => document.querySelectorAll({charts!r}).length >= 5", timeout=60_000)
    wait_idle(page)
    assert len(sockets) == 1, sockets  # the link switched pages within the session
    no_exceptions(page)
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_guide_play_pause_reset_land_and_next_steps_the_lesson(server, browser, lang):
    step, next_label, step_two, section2 = LABELS[lang]
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/guide?lang={lang}")
    wait_metric(page, step, "v === 0", timeout=90_000)
    page.get_by_text(section2).wait_for(timeout=90_000)   # the page's own fits drawn below the panel
    clicks_land(page, step, lang=lang)
    next_step_in_one_session(page, sockets, next_label, step_two)

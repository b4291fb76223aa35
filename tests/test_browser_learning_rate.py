"""The learning-rate page in headless Chromium on a fresh server (issue 18): both Play buttons
land — the four optimizers on the valley and the warmup/constant panel — Pause within 2 s, Reset,
Next; one session throughout; both languages."""
import pytest

from live_app import clicks_land, count_sockets, next_step_in_one_session, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")

# The valley's runs last LIMIT / PER_FRAME = 750 frames (50 s at 15 frames/s), the panel
# trains without end: each plays 30 s.
CASES = [("en", "Step", 1, ("Next", "step 2 of 3")),           # the training panel (second player)
         ("zh", "更新次数 t", 0, ("下一步", "第 2/3 步"))]       # the valley (first player)


@pytest.mark.parametrize("lang, label, which, lesson", CASES)
def test_clicks_land_and_the_lesson_moves_on(server, browser, lang, label, which, lesson):
    next_label, step_two = lesson
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/learning_rate?lang={lang}")
    wait_metric(page, label, "v === 0", timeout=90_000)
    clicks_land(page, label, which=which, lang=lang)
    next_step_in_one_session(page, sockets, next_label, step_two)

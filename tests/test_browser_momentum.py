"""The Momentum page in headless Chromium on a fresh server (issue 18): both Play buttons land —
the balls on the surface and the SGD/SGDM panel — Pause within 2 s, Reset, Next; one session
throughout; both languages."""
import pytest

from live_app import clicks_land, count_sockets, next_step_in_one_session, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")

# The balls' animation is mo.STEPS = 300 frames at 20 frames/s, 15 s, and then stops: it plays
# 10 s so that it is still moving when Pause is pressed. The panel trains without end: 30 s.
CASES = [("en", "Step i", 0, 10, ("Next", "step 2 of 3")),     # the balls (first player)
         ("zh", "步数", 1, 30, ("下一步", "第 2/3 步"))]          # the training panel (second)


@pytest.mark.parametrize("lang, label, which, seconds, lesson", CASES)
def test_clicks_land_and_the_lesson_moves_on(server, browser, lang, label, which, seconds, lesson):
    next_label, step_two = lesson
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/momentum?lang={lang}")
    wait_metric(page, label, "v === 0", timeout=90_000)
    clicks_land(page, label, which=which, play_seconds=seconds, lang=lang)
    next_step_in_one_session(page, sockets, next_label, step_two)

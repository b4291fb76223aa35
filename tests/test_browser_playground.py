"""The Playground in headless Chromium on a fresh server (issue 18): clicks always land — Play for
30 s, Pause within 2 s, Reset, Next — and the session is never replaced."""
import pytest

from live_app import clicks_land, count_sockets, no_exceptions, wait_idle, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("lang, labels", [("en", ("Step", "Next", "step 2 of 3")),
                                          ("zh", ("步数", "下一步", "第 2/3 步"))])
def test_clicks_land_after_thirty_seconds_of_play(server, browser, lang, labels):
    step, next_label, step_two = labels
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/playground?lang={lang}")
    wait_metric(page, step, "v === 0", timeout=90_000)
    clicks_land(page, step, lang=lang)
    page.get_by_role("button", name=next_label).click()
    page.get_by_text(step_two).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert len(sockets) == 1, sockets  # one session from start to end
    no_exceptions(page)
    page.close()

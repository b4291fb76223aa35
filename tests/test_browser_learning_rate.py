"""The learning-rate page in real Chromium on a fresh server: deep link, both languages, live play."""
import pytest

from live_app import no_exceptions, wait_idle

pw = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_learning_rate_page_plays_the_surface_live(server, browser, lang):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/learning_rate?lang={lang}")
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
    status = page.get_by_text("Update 0" if lang == "en" else "第 0 次更新").first
    status.wait_for(timeout=60_000)
    play = "Play" if lang == "en" else "开始"
    wait_idle(page)
    page.get_by_role("button", name=play).first.click()
    # the status line counts updates while the loop runs
    page.wait_for_function(
        "() => /(Update|第) [1-9]/.test(document.body.innerText)", timeout=60_000)
    page.screenshot(path=f"/tmp/learning_rate_{lang}.png", full_page=True)
    no_exceptions(page)
    page.wait_for_function(  # the page's later charts arrive as its script goes on
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 6",
        timeout=60_000)
    page.close()

"""The optimizers page in real Chromium on a fresh server: deep link, both languages, live race."""
import pytest

from live_app import no_exceptions, wait_idle, wait_metric

pw = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_optimizers_page_runs_the_race_and_the_counterexample(server, browser, lang):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/optimizers?lang={lang}")
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
    play = "Play" if lang == "en" else "开始"
    wait_idle(page)  # a click during the page's first run could be lost
    step = "Step" if lang == "en" else "步数"
    wait_metric(page, step, "v === 0")
    page.get_by_role("button", name=play).first.click()
    wait_metric(page, step, "v > 0", timeout=60_000)     # the race's Step metric counts updates
    page.wait_for_function(
        "() => /(Update|第) [1-9][0-9]* \\/ 600/.test(document.body.innerText)", timeout=60_000)
    # the counterexample's Play pauses the race and runs instead
    page.get_by_role("button", name=play).last.click()
    page.wait_for_function(
        "() => /(Step [1-9][0-9,]* \\(|第 [1-9][0-9,]* 步)/.test(document.body.innerText)",
        timeout=60_000)
    page.screenshot(path=f"/tmp/optimizers_{lang}.png", full_page=True)
    no_exceptions(page)
    page.close()

"""Batch and Momentum pages in real headless Chromium, by deep link on a fresh server."""
import pytest

from live_app import no_exceptions, wait_idle, wait_step

sync_api = pytest.importorskip("playwright.sync_api")


def open_at_step_0(browser, address: str):
    """A new tab on `address`, once its charts are drawn, its first metric reads 0 and its first
    script run has finished (a click during that run could be lost)."""
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(address)
    page.locator('[data-testid="stVegaLiteChart"] canvas').first.wait_for(timeout=60_000)
    wait_step(page, 0)
    wait_idle(page)
    return page


@pytest.mark.parametrize("lang,run,verdict", [("en", "Train and compare", "λ_max"),
                                              ("zh", "训练并比较", "λ_max")])
def test_batch_page_in_the_browser(server, browser, lang, run, verdict):
    page = open_at_step_0(browser, f"{server}/batch?lang={lang}")
    page.get_by_role("button", name=run).click()
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=60_000)
    # the data grid keeps a hidden copy of its headers for screen readers: wait for a visible one
    page.get_by_text(verdict).filter(visible=True).first.wait_for(timeout=60_000)
    no_exceptions(page)
    page.screenshot(path=f"/tmp/batch_{lang}.png", full_page=True)
    page.close()


def test_batch_study_can_be_stopped_and_keeps_what_finished(server, browser):
    page = open_at_step_0(browser, f"{server}/batch?lang=en")
    page.get_by_role("button", name="Train and compare").click()
    page.get_by_text("Training seed").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text("Stopped:").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Train and compare").wait_for(timeout=30_000)
    assert page.get_by_text("Training seed").count() == 0
    no_exceptions(page)
    page.close()


@pytest.mark.parametrize("lang,play,pause", [("en", "Play", "Pause"), ("zh", "开始", "暂停")])
def test_momentum_animation_plays_in_the_browser(server, browser, lang, play, pause):
    # the first metric is the animation's step i
    page = open_at_step_0(browser, f"{server}/momentum?lang={lang}")
    page.get_by_role("button", name=play).first.click()
    page.wait_for_function(
        "() => { const e = document.querySelector('[data-testid=\"stMetricValue\"]');"
        " return e !== null && parseInt(e.innerText) >= 10; }", timeout=30_000)
    page.get_by_role("button", name=pause).first.click()
    page.get_by_role("button", name=play).first.wait_for(timeout=30_000)
    no_exceptions(page)
    page.screenshot(path=f"/tmp/momentum_{lang}.png", full_page=True)
    page.close()


def test_batch_study_settings_travel_in_the_link(server, browser):
    page = open_at_step_0(browser, f"{server}/batch?lang=en&batch.noise=0")
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Wrong training labels")
    assert "0 %" in slider.inner_text()
    seeds = page.get_by_role("spinbutton", name="Seeds")
    seeds.fill("5")
    seeds.press("Enter")
    page.wait_for_function("() => location.search.includes('batch.n_seeds=5')", timeout=30_000)
    assert "batch.noise=0" in page.url
    no_exceptions(page)
    page.close()

"""The classification-loss page in real headless Chromium: deep link on a fresh server, both
languages; Play trains MSE and cross-entropy from one bad start and repaints the gradient chart."""
import pytest

from live_app import COUNT_REDRAWS, no_exceptions, play_then_pause, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")


def test_classification_loss_page_plays_both_losses(server, browser):
    url = server
    page = browser.new_page(viewport={"width": 1500, "height": 3400})
    page.add_init_script(COUNT_REDRAWS)
    page.goto(f"{url}/classification_loss?lang=en")
    page.get_by_role("button", name="Play").wait_for(timeout=90_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 6",
                           timeout=60_000)
    grads = page.get_by_test_id("stMetric").filter(has_text="Gradient norm at the start")
    mse, ce = (float(grads.nth(i).get_by_test_id("stMetricValue").inner_text()) for i in range(2))
    assert mse < 0.01 * ce
    before, after = play_then_pause(page)
    assert after[-1] > before[-1]   # the live gradient-norm chart repaints
    no_exceptions(page)
    page.close()


def test_classification_loss_page_in_chinese(server, browser):
    url = server
    page = browser.new_page(viewport={"width": 1500, "height": 3400})
    page.goto(f"{url}/classification_loss?lang=zh")
    page.get_by_role("button", name="开始").wait_for(timeout=90_000)
    page.get_by_text("两个 logit 上的损失曲面").first.wait_for(timeout=30_000)
    wait_metric(page, "步数", "v === 0")
    no_exceptions(page)
    page.close()

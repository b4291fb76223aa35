"""Home, guide and overfitting pages in real headless Chromium on a fresh server."""
import pytest

from live_app import no_exceptions, wait_idle, wait_step

sync_api = pytest.importorskip("playwright.sync_api")


def test_home_tree_link_opens_the_overfitting_page(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/?lang=en")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Task strategy").wait_for(timeout=60_000)
    main.get_by_role("link", name="→ 8 Overfitting").click()
    page.wait_for_url("**/overfitting*", timeout=60_000)
    # the simulation's summary (either language: the session's language is the sidebar's business)
    page.locator('[data-testid="stAlertContentInfo"]').first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 5",
        timeout=60_000)
    no_exceptions(page)
    page.close()


def test_guide_deep_link_in_chinese_steps_the_panel(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/guide?lang=zh")
    page.get_by_text("模型偏差还是优化问题").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="单步").wait_for(timeout=60_000)
    page.get_by_text("过拟合：灵活的模型").wait_for(timeout=60_000)
    wait_idle(page)  # a click during the page's first run could be lost
    page.get_by_role("button", name="单步").click()
    wait_step(page, 1)
    no_exceptions(page)
    page.close()

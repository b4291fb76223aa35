"""The critical-points page in real headless Chromium: deep link on a fresh server, Play/Pause of the
panel, the page's own gradient-descent Step, the escape button, no exception."""
import pytest

from live_app import launch, metric, no_exceptions, streamlit_server, wait_idle, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")


def test_critical_points_page_plays_steps_and_escapes():
    with streamlit_server() as (url, _), sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        page.goto(f"{url}/critical_points?lang=en")
        page.get_by_text("saddle point: along the eigenvector").wait_for(timeout=60_000)
        page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=30_000)
        wait_idle(page)

        # the escape step: the loss falls from 1
        page.get_by_role("button", name="Step along the eigenvector of λ = -2").click()
        page.get_by_text("the loss fell from 1 to").wait_for(timeout=30_000)

        # the panel's Play (the second Play on the page; the first drives the gradient-descent paths)
        page.get_by_role("button", name="Play").nth(1).click()
        page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
        wait_metric(page, "Step", "v > 20")
        page.get_by_text("Gradient norm ‖g‖").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Play").nth(1).wait_for(timeout=30_000)
        wait_idle(page)  # the paused rerun has finished drawing
        paused = metric(page, "Step")
        page.wait_for_timeout(1000)
        assert metric(page, "Step") == paused

        # the panel's Step advances by exactly one
        page.get_by_role("button", name="Step", exact=True).nth(1).click()
        wait_metric(page, "Step", f"v === {paused + 1}")
        no_exceptions(page)

        # Chinese: the page and its panel translate
        page.goto(f"{url}/critical_points?lang=zh")
        page.get_by_text("梯度为 0，特征值有正有负").wait_for(timeout=60_000)
        no_exceptions(page)
        browser.close()

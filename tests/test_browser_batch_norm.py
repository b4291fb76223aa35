"""The batch-norm page in real headless Chromium: deep link on a fresh server, both languages,
Play trains both runs and repaints the live μ/σ charts, Pause stops."""
import pytest

from live_app import COUNT_REDRAWS, no_exceptions, play_then_pause

sync_api = pytest.importorskip("playwright.sync_api")


def test_batch_norm_page_plays_and_draws_live_statistics(server, browser):
    url = server
    page = browser.new_page(viewport={"width": 1500, "height": 3800})
    page.add_init_script(COUNT_REDRAWS)
    page.goto(f"{url}/batch_norm?lang=en")
    page.get_by_role("button", name="Play").wait_for(timeout=90_000)
    page.get_by_text("Hessian condition number λ_max/λ_min").first.wait_for(timeout=30_000)
    # two surfaces + loss + regions + eigenvalues + density + batch μ/σ charts
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 8",
                           timeout=60_000)
    before, after = play_then_pause(page, charts=(-1, -2))
    assert after[-1] > before[-1] and after[-2] > before[-2]   # the live μ and σ charts repaint
    no_exceptions(page)
    page.close()


def test_batch_norm_page_in_chinese_explains_batch_of_one(server, browser):
    url = server
    page = browser.new_page(viewport={"width": 1500, "height": 3800})
    page.goto(f"{url}/batch_norm?lang=zh&batch_size=1&batch_norm=1&cmp=lr&cmpv=0.5")
    page.get_by_role("button", name="开始").wait_for(timeout=90_000)
    page.get_by_text("特征标准化").first.wait_for(timeout=30_000)
    page.get_by_text("链接中的部分设置无法使用").wait_for(timeout=30_000)
    no_exceptions(page)
    page.close()

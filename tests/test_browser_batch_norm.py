"""The batch-norm page in headless Chromium on a fresh server (issue 18): Play trains both runs and
repaints the live μ/σ charts, Pause lands within 2 s, Reset resets, Next moves the lesson, one
session throughout, in both languages; a batch of 1 in the link is explained."""
import pytest

from live_app import (COUNT_REDRAWS, chart_redraws, clicks_land, count_sockets,
                      next_step_in_one_session, no_exceptions, wait_idle, wait_metric)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("lang, labels", [("en", ("Step", "Next", "step 2 of", "Hessian condition number")),
                                          ("zh", ("步数", "下一步", "第 2/", "特征标准化"))])
def test_batch_norm_clicks_land_and_statistics_move(server, browser, lang, labels):
    step, next_label, step_two, section_one = labels
    page = browser.new_page(viewport={"width": 1500, "height": 3800})
    page.add_init_script(COUNT_REDRAWS)
    sockets = count_sockets(page)
    page.goto(f"{server}/batch_norm?lang={lang}")
    wait_metric(page, step, "v === 0", timeout=90_000)
    page.get_by_text(section_one).first.wait_for(timeout=30_000)
    # two surfaces, the panel's charts, the batch μ and σ last
    page.wait_for_function("() => document.querySelectorAll('.live-chart canvas').length >= 6",
                           timeout=60_000)
    wait_idle(page)
    before = chart_redraws(page)
    clicks_land(page, step, lang=lang)
    after = chart_redraws(page)
    assert after[-1] > before[-1] + 5 and after[-2] > before[-2] + 5   # μ and σ repainted live
    assert after[0] == before[0] and after[1] == before[1]             # the surfaces were not
    next_step_in_one_session(page, sockets, next_label, step_two)


def test_batch_norm_page_in_chinese_explains_batch_of_one(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 3800})
    page.goto(f"{server}/batch_norm?lang=zh&batch_size=1&batch_norm=1&cmp=lr&cmpv=0.5")
    page.get_by_role("button", name="开始").wait_for(timeout=90_000)
    page.get_by_text("特征标准化").first.wait_for(timeout=30_000)
    page.get_by_text("链接中的部分设置无法使用").wait_for(timeout=30_000)
    no_exceptions(page)
    page.close()

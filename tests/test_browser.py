"""The live app in real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""
import pytest

from live_app import (CHARTS_DRAWN, COUNT_REDRAWS, chart_redraws, no_exceptions, step_value, wait_idle,
                      wait_metric, wait_step)

sync_api = pytest.importorskip("playwright.sync_api")


def test_deep_link_on_a_fresh_server_plays_and_pauses(server, browser):
    # The very first request to this server is a deep link: the page must still get the shared
    # sidebar and translated navigation (DESIGN.md's cold-start trap).
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.add_init_script(COUNT_REDRAWS)
    page.goto(f"{server}/playground?lang=en")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Playground (every control)").wait_for(timeout=60_000)
    assert sidebar.get_by_text("Home: the three steps").is_visible()
    page.locator('.live-chart canvas').first.wait_for(timeout=30_000)
    assert step_value(page) == 0
    wait_idle(page)

    page.get_by_role("button", name="Play").click()
    wait_metric(page, "Step", "v > 0", timeout=60_000)
    first, draws = step_value(page), chart_redraws(page)
    wait_metric(page, "Step", f"v > {first}", timeout=60_000)  # still training
    page.wait_for_function(  # the loss chart is being repainted
        "n => { const c = document.querySelector('.live-chart canvas');"
        " return c !== null && (c.__redraws || 0) > n; }", arg=draws[0], timeout=60_000)

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=15_000)
    wait_idle(page)  # the paused rerun has finished drawing
    paused = step_value(page)
    page.wait_for_timeout(1000)  # a second in which nothing may move (not a wait for anything)
    assert step_value(page) == paused
    no_exceptions(page)
    page.close()


def test_chinese_page_and_bad_url_in_the_browser(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=zh&lr=abc&depth=99&zzz=1")
    page.get_by_text("链接中的部分设置无法使用").wait_for(timeout=60_000)
    page.get_by_role("button", name="开始").wait_for(timeout=30_000)
    page.locator('[data-testid="stMetricLabel"]').get_by_text("步数").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="单步").click()
    wait_step(page, 1)
    no_exceptions(page)
    page.close()


def test_diverging_run_shows_a_message_in_the_browser(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=en&optimizer=sgd&lr=100&dataset=reg1d")
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Play").click()
    page.get_by_text("The run diverged").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Play").is_visible()  # stopped by itself
    no_exceptions(page)
    page.get_by_role("button", name="Reset").click()
    wait_step(page, 0)
    assert page.get_by_text("The run diverged").count() == 0
    page.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_presenter_mode_enlarges_text_and_folds_the_sidebar(server, browser, size, tmp_path):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/playground?lang=en&present=1")
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)
    page.locator('.live-chart canvas').first.wait_for(timeout=30_000)
    page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '20px'",
                           timeout=30_000)
    sync_api.expect(page.locator('[data-testid="stSidebarContent"]')).not_to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
    page.screenshot(path=str(tmp_path / f"presenter_{size[0]}.png"))
    no_exceptions(page)
    page.close()


# The Playground's charts that the tests below compare (ui/charts keys).
PLAYGROUND_CHARTS = ["playground:loss", "playground:eig", "playground:density"]

# Each live chart on screen: its key and the height of its box.
CHART_HEIGHTS = """() => Object.fromEntries([...window.liveChart.charts.values()]
  .filter(c => c.node.isConnected).map(c => [c.key, parseFloat(c.node.style.height)]))"""


def test_presenter_mode_turns_off_in_the_same_tab(server, browser):
    """In presenter mode the sidebar is folded; its button stays on screen, so a teacher can turn
    presenter mode off without a new tab. Then the charts that grew for its larger type (the
    Playground's λ chart: a long legend) are as tall as on a page opened without it."""
    def drawn_playground(query: str):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server}/playground?lang=en{query}")
        page.get_by_role("button", name="Play").wait_for(timeout=60_000)
        wait_idle(page)
        page.wait_for_function(CHARTS_DRAWN, arg=PLAYGROUND_CHARTS, timeout=60_000)
        return page

    plain = drawn_playground("")
    expected = plain.evaluate(CHART_HEIGHTS)
    plain.close()
    page = drawn_playground("&present=1")
    presenting = page.evaluate(CHART_HEIGHTS)
    assert presenting["playground:eig"] > expected["playground:eig"]  # it grew for the larger type
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Presenter mode").click()
    page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '16px'",
                           timeout=30_000)
    wait_idle(page)
    try:
        page.wait_for_function(f"expected => {{ const h = ({CHART_HEIGHTS})();"
                               " return Object.entries(expected).every(([k, v]) => h[k] === v); }",
                               arg=expected, timeout=30_000)
    except sync_api.TimeoutError:
        pass
    assert page.evaluate(CHART_HEIGHTS) == expected
    no_exceptions(page)
    page.close()


def test_charts_follow_the_type_size_they_are_shown_with(server, browser):
    """A chart built before the page's type size changed (under load a script run's chart could
    be built before presenter mode's style went away: it kept the larger type, 14 px taller) is
    built again for the type size it is shown with, keeping its data (live_chart.js, refit)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/playground?lang=en")
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN, arg=PLAYGROUND_CHARTS, timeout=60_000)
    plain = page.evaluate(CHART_HEIGHTS)
    page.evaluate("() => { document.documentElement.style.fontSize = '20px'; }")  # behind its back
    page.wait_for_function(f"p => ({CHART_HEIGHTS})()['playground:eig'] > p['playground:eig']",
                           arg=plain, timeout=30_000)  # the long legend's larger type needs room
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    # back to the plain type: every chart laid out for it, the loss and λ charts as tall as before
    # (the error surface's charts may settle a few px apart: how much a chart grows for its
    # legend depends on the layout it grows from)
    page.wait_for_function(f"""([p, keys]) => {{ const h = ({CHART_HEIGHTS})();
        return [...window.liveChart.charts.values()].every(c => !c.node.isConnected || c.font === 16)
               && keys.every(k => h[k] === p[k]); }}""",
                           arg=[plain, PLAYGROUND_CHARTS], timeout=30_000)
    no_exceptions(page)
    page.close()


def test_language_and_presenter_mode_survive_page_links(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=en")
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)
    wait_idle(page)
    sidebar.get_by_role("link", name="Home: the three steps").click()
    page.get_by_role("heading", name="The three steps of training").wait_for(timeout=30_000)  # English
    assert sidebar.get_by_text("课程章节").count() == 0
    sidebar.get_by_text("中文").click()
    sidebar.get_by_text("课程章节").wait_for(timeout=30_000)
    sidebar.get_by_role("link", name="实验场").click()
    page.get_by_role("button", name="开始").wait_for(timeout=30_000)
    sidebar.get_by_text("投影模式").click()  # presenter mode on: larger text, sidebar folds
    page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '20px'")
    no_exceptions(page)
    page.close()


def test_own_data_upload_validates_and_trains(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=en")
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Your own data (CSV)").click()
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n" + "".join(f"{i},oops,{i % 2}\n" for i in range(20)))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("is not a number: “oops”").wait_for(timeout=30_000)
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{i / 20},{(i % 7) / 7},{int(i / 20 > 1)}\n"
                                               for i in range(40)))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.get_by_text("Using your data good.csv (28 training, 12 test points)").wait_for(timeout=30_000)
    wait_idle(page)  # until the run ends, the last run's elements stay on screen (stale)
    assert page.get_by_text("is not a number").count() == 0  # the old error is gone
    page.get_by_role("button", name="Step").first.click()
    wait_step(page, 1)
    no_exceptions(page)
    page.close()


def test_share_and_export_in_the_browser(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    page.goto(f"{server}/playground?lang=zh&optimizer=adam")
    page.get_by_role("button", name="单步").first.wait_for(timeout=60_000)
    wait_idle(page)
    for n in (1, 2):
        # each Step after the last one's script run has finished: this test is about what is
        # shared and exported (clicks during a run are the clicks-land tests' subject)
        wait_idle(page)
        page.get_by_role("button", name="单步").first.click()
        wait_step(page, n)
    page.get_by_text("分享与导出").click()
    assert "optimizer=adam" in page.locator('[data-testid="stCode"]').inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载训练记录（CSV）").click()
    rows = (tmp_path / "h.csv")
    info.value.save_as(rows)
    lines = rows.read_text().splitlines()
    assert lines[0].startswith("run,kind,step") and sum(",update," in x for x in lines) == 2
    with page.expect_download() as info:
        page.get_by_role("button", name="PNG").first.click()
    png = tmp_path / "loss.png"
    info.value.save_as(png)
    assert png.read_bytes()[:4] == b"\x89PNG"
    no_exceptions(page)
    page.close()

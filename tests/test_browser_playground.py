"""The Playground in headless Chromium on a fresh server (issue 18): clicks always land — Play for
30 s, Pause within 2 s, Reset, Next — and the session is never replaced."""
import pytest

from live_app import (CHARTS_DRAWN, clicks_land, count_sockets, next_step_in_one_session,
                      no_exceptions, wait_idle, wait_metric)

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
    next_step_in_one_session(page, sockets, next_label, step_two)


# Each chart's messages received so far (ui/charts/live_assets/live_chart.js counts them).
FRAMES = "() => Object.fromEntries([...window.liveChart.charts].map(([k, c]) => [k, c.frames]))"


def test_while_playing_lambda_comes_several_times_a_second_and_the_density_at_most_every_two_seconds(server, browser):
    """What the "Hessian every" help promises (ui/strings/panel.py, help.hessian_every): while
    playing, λ_min and λ_max are measured several times a second (each measurement is a frame of
    the λ chart; it is redrawn only with news) and the density at most every two seconds."""
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{server}/playground?lang=en")
    wait_metric(page, "Step", "v === 0", timeout=90_000)
    wait_idle(page)
    # the charts counted below are on the page (a hog run once read their frames before the
    # charts' script had loaded: no window.liveChart yet)
    page.wait_for_function(CHARTS_DRAWN, arg=["playground:eig", "playground:density"], timeout=60_000)
    page.get_by_role("button", name="Play").click()
    wait_metric(page, "Step", "v > 0", timeout=60_000)
    seconds = 8
    start = page.evaluate(f"() => [Date.now(), ({FRAMES})()]")
    page.wait_for_function(f"t0 => Date.now() - t0 > {seconds * 1000}", arg=start[0], timeout=60_000)
    end = page.evaluate(f"() => [Date.now(), ({FRAMES})()]")
    page.get_by_role("button", name="Pause").click()
    elapsed = (end[0] - start[0]) / 1000
    lam = (end[1]["playground:eig"] - start[1]["playground:eig"]) / elapsed
    density = end[1]["playground:density"] - start[1]["playground:density"]
    assert lam >= 2, f"λ measured {lam:.1f} times a second"
    assert 1 <= density <= elapsed / 2 + 1, f"{density} densities in {elapsed:.1f} s"
    no_exceptions(page)
    page.close()

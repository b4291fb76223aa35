"""Issue 18 on a slow link: a projector laptop on lecture-hall Wi-Fi. Chromium's network emulation
(10 Mbit/s each way, 50 ms latency) on the pages whose animations sent the most (the
learning-rate valley, the momentum balls, the Playground's panel): each plays, Pause lands within
2 s, Reset resets, and the session is never dropped and replaced."""
import pytest

from live_app import clicks_land, count_sockets, no_exceptions, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")

MBIT, LATENCY_MS = 10, 50

# page, the metric that counts its animation's steps, which Play button, seconds of play
# (the momentum balls stop by themselves after 15 s)
CASES = [("learning_rate", "Update t", 0, 30), ("momentum", "Step i", 0, 10),
         ("playground", "Step", 0, 30)]


def throttle(page) -> None:
    rate = MBIT * 1e6 / 8
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": rate, "uploadThroughput": rate})


@pytest.mark.parametrize("path, label, which, seconds", CASES, ids=[c[0] for c in CASES])
def test_clicks_land_on_a_slow_link(server, browser, path, label, which, seconds):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/{path}?lang=en")
    wait_metric(page, label, "v === 0", timeout=90_000)
    throttle(page)   # after loading: the link a lesson plays over (the page's own files are cached)
    clicks_land(page, label, which=which, play_seconds=seconds)
    assert len(sockets) == 1, sockets  # one session from start to end
    no_exceptions(page)
    page.close()

"""ui.charts.live in real Chromium: a chart updated 100 times sends only the new points and the
browser renders every one; a browser that lost frames is repaired by the next full frame; a
deflated frame is drawn, a corrupt one reported once."""
import numpy as np
import pytest

from live_app import launch, streamlit_server, wait_idle
from ui.charts.live import unpack
from wire_meter import WireMeter

pw = pytest.importorskip("playwright.sync_api")

KEY = "fixture:points"
CHART = f"window.liveChart.charts.get('{KEY}')"


@pytest.fixture(scope="module")
def server():
    with streamlit_server(script="tests/fixtures/live_chart_app.py") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with pw.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_chart(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    meter = WireMeter(page)
    page.goto(server)
    wait_idle(page)
    page.wait_for_function(f"() => window.liveChart && {CHART} && {CHART}.renders > 0", timeout=60_000)
    return page, meter


def scene_items(page, marktype: str) -> int:
    """How many marks of that type the chart's Vega scene (what its canvas draws) holds."""
    return page.evaluate("""([key, type]) => {
        let n = 0;
        const walk = (node) => { if (!node) return;
            if (node.marktype === type && node.role === 'mark') n += (node.items || []).length;
            (node.items || []).forEach(walk); };
        walk(window.liveChart.charts.get(key).view.scenegraph().root);
        return n; }""", [KEY, marktype])


def test_a_chart_updated_100_times_sends_only_the_new_points_and_renders_them(browser, server):
    page, meter = open_chart(browser, server)
    assert page.evaluate(f"() => {CHART}.view.data('curve').length") == 500
    start = meter.now()
    page.get_by_role("button", name="Play").click()
    page.get_by_text("Frames: 100").wait_for(timeout=60_000)
    page.wait_for_function(f"() => {CHART}.view.data('points').length === 101 && !{CHART}.busy",
                           timeout=30_000)

    sent = [(f.size, unpack(f.detail["body"])) for f in meter.between(start) if f.kind == "html"]
    counts = [m["d"]["points"]["n"] for _, m in sent]
    # rows in the chart, frame by frame (Streamlit may merge a few frames), and once more at the end
    assert counts[:-1] == sorted(set(counts[:-1])) and counts[-1] == 101
    full = [i for i, (_, m) in enumerate(sent) if "base" in m]
    # the static curve and the spec go out with a run's first frame only: the play run's, and the
    # one after it that shows the animation has finished
    assert full == [0, len(sent) - 1]
    for size, m in sent[1:-1]:
        points = m["d"]["points"]
        assert points["n"] - points["o"] <= 5  # the points of its last five frames, no more
        assert size < 700
    assert sent[0][0] > 5_000 and sent[-1][0] > 5_000

    # the browser holds and draws all 101 points, with the values sent
    got = page.evaluate(f"() => {CHART}.view.data('points').map(d => [d.x, d.y, d.series])")
    assert [g[0] for g in got] == list(range(101))
    np.testing.assert_allclose([g[1] for g in got], np.sin(np.arange(101) / 10), rtol=5e-6, atol=1e-12)
    assert [g[2] for g in got] == ["even", "odd"] * 50 + ["even"]
    assert scene_items(page, "symbol") == 101
    assert page.evaluate(f"() => {CHART}.view.signal('frame')") == 100
    assert page.evaluate(f"() => {CHART}.error") is None
    page.close()


def test_a_browser_that_lost_frames_waits_for_the_next_full_frame(browser, server):
    page, _ = open_chart(browser, server)
    base = page.evaluate(f"() => {CHART}.base")
    put = "m => window.liveChart.put(null, m)"
    cols = {"x": [5.0], "y": [0.5], "series": {"v": ["odd"], "i": [0]}}
    # rows 5 … 5 of epoch 1 while the browser has only row 0: a gap, nothing is drawn from it
    page.evaluate(put, {"k": KEY, "b": base, "d": {"points": {"e": 1, "o": 5, "n": 6, "c": cols}}})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.lost === 1")
    assert page.evaluate(f"() => {CHART}.view.data('points').length") == 1
    # a full frame replaces what the browser had
    full = {"x": [0.0, 1.0], "y": [0.0, 0.1], "series": {"v": ["even", "odd"], "i": [0, 1]}}
    page.evaluate(put, {"k": KEY, "b": base, "d": {"points": {"e": 1, "o": 0, "n": 2, "f": 1, "c": full}}})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.view.data('points').length === 2")
    assert scene_items(page, "symbol") == 2
    # a frame for a spec the browser has not got is not applied either
    page.evaluate(put, {"k": KEY, "b": "another", "d": {"points": {"e": 1, "o": 2, "n": 3, "c": cols}}})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.lost === 2")
    assert page.evaluate(f"() => {CHART}.view.data('points').length") == 2
    page.close()


def test_a_deflated_frame_is_drawn_and_a_corrupt_one_is_reported_once(browser, server):
    """Frames over a kilobyte or so come deflated (LiveChart.html) and live_chart.js inflates them.
    A good one is drawn; a corrupt one shows the chart's error, once, and nothing else fails (an
    inflate read off the DecompressionStream's own writer and reader, tried on 2026-11-27, left two
    unhandled rejections here)."""
    import base64
    import json
    import zlib

    page, _ = open_chart(browser, server)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = page.evaluate(f"() => {CHART}.base")
    put = "m => window.liveChart.put(null, m)"
    n = 300
    full = {"x": [float(i) for i in range(n)], "y": [i / n for i in range(n)],
            "series": {"v": ["even", "odd"], "i": [i % 2 for i in range(n)]}}
    frame = {"k": KEY, "b": base, "d": {"points": {"e": 7, "o": 0, "n": n, "f": 1, "c": full}}}
    packed = base64.b64encode(zlib.compress(json.dumps(frame).encode())).decode()
    page.evaluate(put, {"k": KEY, "z": packed})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.view.data('points').length === {n}")
    assert scene_items(page, "symbol") == n
    page.evaluate(put, {"k": KEY, "z": base64.b64encode(b"not deflated at all").decode()})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.error !== null")
    assert "Chart error" in page.evaluate(f"() => {CHART}.node.textContent")
    # a good frame after it is inflated and drawn again: by then any rejection the corrupt one
    # left unhandled has been reported
    page.evaluate(put, {"k": KEY, "z": packed})
    page.wait_for_function(f"() => !{CHART}.busy && {CHART}.error === null")
    assert [e for e in errors if not e.startswith("live chart")] == [], errors
    page.close()

"""Shared helpers for the browser tests and benchmarks: start a fresh Streamlit server on a free
port and open Debian's Chromium with Playwright (never a downloaded browser)."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Counts full canvas repaints per chart: Vega's canvas renderer clears the canvas before each
# render, so wrapping clearRect tells when a chart was actually redrawn in the browser.
COUNT_REDRAWS = """
(() => {
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    const c = this.canvas;
    if (args[2] >= c.width / 2 && args[3] >= c.height / 2) { c.__redraws = (c.__redraws || 0) + 1; }
    return clear.apply(this, args);
  };
})();
"""


# Every chart's canvas, in page order: the app's LiveCharts (ui/charts/live.py), and any
# st.vega_lite_chart.
CANVASES = '.live-chart canvas, [data-testid="stVegaLiteChart"] canvas'


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(extra_env: dict | None = None, script: str = "app.py"):
    """A freshly started `streamlit run app.py` (or another script); yields its base URL and the
    process.

    The server's output goes to a file, not a pipe: nobody reads a pipe while tests run, and a
    server that has written 64 kB to a full pipe blocks. A port taken between choosing it and
    the server binding it (other servers start on a busy machine too) means another try."""
    env = {**os.environ, **(extra_env or {})}
    for attempt in range(3):
        port = free_port()
        log = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 120
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None:
                        break
                    time.sleep(0.3)
            if proc.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                if "already in use" in output and attempt < 2:
                    continue
                raise RuntimeError(output)
            if time.time() >= deadline:
                raise RuntimeError("streamlit did not start within 120 s")
            yield url, proc
            return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def step_value(page) -> int:
    """The Step (步数) metric's value on the page."""
    text = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    return int(text.replace(",", "").strip())


def chart_redraws(page) -> list[int]:
    return page.evaluate(
        f"() => [...document.querySelectorAll({CANVASES!r})].map(c => c.__redraws || 0)")


def wait_step(page, value: int, timeout: float = 30_000) -> None:
    """Wait until the Step metric shows `value` (the element is briefly absent during reruns)."""
    with says_what_it_saw(page, f"the first metric to read {value}"):
        page.wait_for_function(
            "v => { const e = document.querySelector('[data-testid=\"stMetricValue\"]');"
            " return e !== null && e.innerText.trim() === v; }", arg=str(value), timeout=timeout)


# What the page shows, for a wait that timed out: the script's state, the buttons' and metrics'
# texts, and any alert or exception box. A click that "never took effect" under load was twice
# a click that did, with an effect the test did not expect (a Stop that came before the first
# frame leaves a Run button, not Continue): this says which.
PAGE_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const texts = sel => [...new Set([...document.querySelectorAll(sel)]
    .map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean))];
  return {script: app && app.getAttribute('data-test-script-state'),
          buttons: texts('[data-testid="stMain"] button').slice(0, 30),
          metrics: texts('[data-testid="stMetric"]'),
          alerts: texts('[data-testid="stAlert"], [data-testid="stException"]').map(t => t.slice(0, 300))};
}"""


@contextlib.contextmanager
def says_what_it_saw(page, waiting_for: str):
    """Turn a wait's timeout into a failure that quotes what the page showed instead."""
    try:
        yield
    except Exception as err:
        if "Timeout" not in type(err).__name__:
            raise
        try:
            shown = page.evaluate(PAGE_STATE_JS)
        except Exception as inner:  # noqa: BLE001 - the page itself may be gone
            shown = f"(the page could not be read: {inner})"
        raise AssertionError(f"waited for {waiting_for}; the page showed {shown}") from err


def no_exceptions(page) -> None:
    """Nothing on the page is a Streamlit exception box or a traceback (if one is, the failure
    quotes it: a box seen once under load is otherwise gone with the test's server)."""
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, "\n\n".join(boxes.all_inner_texts())
    body = page.inner_text("body")
    assert "Traceback" not in body, body[body.index("Traceback"):][:3000]


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script run that drew the page has finished, so a click is not raced
    against the first run of a freshly started server (Streamlit marks its app element)."""
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a !== null && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=timeout)


# The value of the metric whose label is exactly `label`, looked up afresh each time (a rerun
# replaces the element, so a handle to the old one would never change).
METRIC_JS = """label => {
  for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    const l = m.querySelector('[data-testid="stMetricLabel"]');
    const v = m.querySelector('[data-testid="stMetricValue"]');
    if (l && v && l.innerText.trim() === label) return parseInt(v.innerText.replace(/,/g, ''));
  }
  return null;
}"""


def metric(page, label: str):
    return page.evaluate(METRIC_JS, label)


def wait_metric(page, label: str, condition: str, timeout: float = 30_000) -> None:
    """Wait until `condition` (a JS expression in v) holds for the metric labelled `label`."""
    page.wait_for_function(f"label => {{ const v = ({METRIC_JS})(label); return v !== null && ({condition}); }}",
                           arg=label, timeout=timeout)


def play_then_pause(page, min_steps: int = 20, charts=(-1,)) -> tuple[list[int], list[int]]:
    """From step 0: Play until the Step metric passes min_steps and each chart in `charts`
    (indices into chart_redraws) has repainted, Pause, and check the step then stays put.
    Returns the charts' redraw counts before Play and while playing (COUNT_REDRAWS)."""
    wait_metric(page, "Step", "v === 0")
    before = chart_redraws(page)
    wait_idle(page)
    page.get_by_role("button", name="Play").click()
    wait_metric(page, "Step", f"v > {min_steps}", timeout=60_000)
    page.wait_for_function(
        "([before, which, sel]) => { const c = [...document.querySelectorAll(sel)]"
        ".map(c => c.__redraws || 0); return which.every(i => c.at(i) > before.at(i)); }",
        arg=[before, list(charts), CANVASES], timeout=60_000)
    playing = chart_redraws(page)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=15_000)
    wait_idle(page)  # the paused rerun has finished drawing
    paused = metric(page, "Step")
    page.wait_for_timeout(1000)  # a second in which nothing may move (not a wait for anything)
    assert metric(page, "Step") == paused > 0
    return before, playing


def count_sockets(page) -> list:
    """Start counting the websockets this tab opens (call before goto): a second one means the
    session was dropped and replaced."""
    opened = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    return opened


# The page is there (its title), and every chart on screen has drawn all it was sent. Right after
# a navigation the script state can read "notRunning" before the first run has begun, and a page
# whose charts' script has not loaded yet has no window.liveChart: neither means "drawn". Given
# keys (page.wait_for_function(CHARTS_DRAWN, arg=[...])), those charts must also be on the page:
# a page whose script run has finished may not have put its charts into the document yet (CI once
# read window.liveChart before the Playground's charts existed).
CHARTS_DRAWN = """(keys) => document.querySelector('[data-testid="stMain"] h1') !== null
  && (keys || []).every(k => !!window.liveChart && window.liveChart.charts.has(k)
                             && window.liveChart.charts.get(k).node.isConnected)
  && (!document.querySelector('.live-chart') || (!!window.liveChart && [...window.liveChart.charts.values()]
  .filter(c => c.node.isConnected && c.node.offsetParent !== null)
  .every(c => c.view && c.renders > 0 && !c.busy && !c.queue.length)))"""


# When the next click lands in the page, on the browser's clock (the input event's own time stamp,
# an epoch time like Python's time.time() on this machine). A click's latency is counted from there:
# before it, Playwright spends 0.1–1.6 s of its own checking that the button is visible and still
# (measured on the Batch page while it plays), time a student's click does not wait.
CLICK_TIME_JS = """() => {
  window.__clickTime = null;
  document.addEventListener('pointerdown', e => { window.__clickTime = performance.timeOrigin + e.timeStamp; },
                            {capture: true, once: true});
}"""


def click_takes_effect(page, button, effect, within: float = 2.0) -> float:
    """Click `button` (a locator) and wait until `effect` (a locator) is visible: it must be
    within `within` seconds of the click landing in the page (CLICK_TIME_JS), and half a second
    for Playwright's polling. Waits longer than that, so that a slow one says how slow it was.
    Returns the seconds it took."""
    page.evaluate(CLICK_TIME_JS)
    button.click()
    with says_what_it_saw(page, f"{effect} after the click"):
        effect.wait_for(timeout=(within + 10) * 1000)
    took = time.time() - page.evaluate("() => window.__clickTime") / 1000
    assert took <= within + 0.5, f"the click took effect after {took:.1f} s"
    return took


BUTTONS = {"en": ("Play", "Pause", "Reset"), "zh": ("开始", "暂停", "重置")}


def clicks_land(page, metric_label: str, which: int = 0, play_seconds: float = 30,
                pause_within: float = 2.0, lang: str = "en", labels: tuple[str, str, str] | None = None) -> None:
    """Issue 18's test of a Play button (the `which`-th on the page): Play for `play_seconds`
    while the metric `metric_label` moves, then Pause takes effect within `pause_within` seconds
    (the metric stops and the button says Play), and Reset brings the metric back to 0.
    `labels`: (play, pause, reset) of a page's own Start/Stop/Clear, instead of the players'.
    Pause's time runs from the moment the click lands in the page (CLICK_TIME_JS) until the
    button says Play; then the metric must not move."""
    play, pause, reset = labels or BUTTONS[lang]
    # the `which`-th player's own Play/Pause button, whatever it says: on a page with two players
    # "the which-th Play" is another player's button while this one plays
    toggle = page.get_by_role("button", name=re.compile(f"^({re.escape(play)}|{re.escape(pause)})$")).nth(which)
    wait_idle(page)
    start = metric(page, metric_label)
    page.get_by_role("button", name=play, exact=True).nth(which).click()
    wait_metric(page, metric_label, f"v > {start}", timeout=60_000)
    # the demo plays for play_seconds, and is still moving at the end of them
    page.wait_for_function(
        "([t0, label, js]) => Date.now() - t0 > 1000 * %s && eval(js)(label) !== null"
        % play_seconds, arg=[int(time.time() * 1000), metric_label, METRIC_JS], timeout=(play_seconds + 60) * 1000)
    before = metric(page, metric_label)
    wait_metric(page, metric_label, f"v > {before}", timeout=30_000)
    click_takes_effect(page, toggle, toggle.and_(page.get_by_role("button", name=play, exact=True)),
                       pause_within)
    wait_idle(page, timeout=30_000)
    paused = metric(page, metric_label)
    page.wait_for_timeout(1000)  # a second in which nothing may move (not a wait for anything)
    assert metric(page, metric_label) == paused, "still moving after Pause"
    page.get_by_role("button", name=reset, exact=True).nth(which).click()
    wait_metric(page, metric_label, "v === 0", timeout=30_000)


def next_step_in_one_session(page, sockets: list, next_label: str, step_two: str) -> None:
    """The end of a page's clicks-land test: the lesson's Next shows its second step, the tab kept
    one session from start to end (one websocket: count_sockets) and shows no exception."""
    page.get_by_role("button", name=next_label, exact=True).click()
    page.get_by_text(step_two).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert len(sockets) == 1, sockets  # one session from start to end
    no_exceptions(page)
    page.close()

"""Bytes on the wire per browser session while each page's animation plays, in headless Chromium.

    python bench/bench_wire.py [--seconds 10] [--only momentum,learning_rate] [--links loopback,10/50]

For every Play button (the training panel on every page, a page's own animation: the critical
points' descent paths, Momentum's surface, Learning rate's valley, the optimizers' race and online
problem) it opens the page in a fresh tab, presses Play and, over `--seconds`, counts:

  sent kB/s     what the server queued for that tab (bench/send_queue_probe.py watches the queue)
  recv kB/s     what the tab received (Chromium's DevTools protocol, every websocket frame)
  kB/frame      received bytes per message to the tab's busiest element (one per frame)
  @fps kB/s     the demand of a full-speed session, whatever this machine reached: the bytes of
                the elements drawn every frame scaled to the animation's own frame rate, plus the
                rest as received (λ, the error surface and the density come at their own rates)
  frames/s      messages per second to the tab's busiest element, as received
  busy %        share of the time the tab's main thread was busy (DevTools' TaskDuration):
                near 100 % the browser cannot take the frames as fast as they come
  queue         the deepest the tab's send queue got (Streamlit drops the session at 500)
  dropped       whether the server dropped the session (queue overflow)
  pause s       seconds from clicking Pause until the page showed Play again and was idle
                ("—": it never did within 20 s)

A link is "loopback" or "MBIT/MS", Chromium's network emulation (e.g. 10/50: 10 Mbit/s down
and up, 50 ms latency), applied after the page has loaded. Two extra rows play a copy of the
Momentum surface animation (tests/fixtures/momentum_surface.py) drawn as the page draws it and
with ui.charts.live. Target (issue 18): ≤ 200 kB/s per session, no dropped session.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from live_app import free_port, launch, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from wire_meter import WireMeter, throttle  # noqa: E402

TARGET_KBPS = 200
FIXTURE = "tests/fixtures/momentum_surface.py"
# (script, URL path, which Play button on the page, what it animates, its frames per second:
# ui.panel.MAX_FPS, the fps a page passes to ui.animation.loop)
TARGETS = [
    ("app.py", "guide", 0, "training panel", 20),
    ("app.py", "critical_points", 0, "descent paths", 20),
    ("app.py", "critical_points", 1, "training panel", 20),
    ("app.py", "batch", 0, "training panel", 20),
    ("app.py", "momentum", 0, "surface animation", 20),
    ("app.py", "momentum", 1, "training panel", 20),
    ("app.py", "learning_rate", 0, "valley animation", 15),
    ("app.py", "learning_rate", 1, "training panel", 20),
    ("app.py", "batch_norm", 0, "training panel", 20),
    ("app.py", "classification_loss", 0, "training panel", 20),
    ("app.py", "optimizers", 0, "race", 20),
    ("app.py", "optimizers", 1, "online problem", 20),
    ("app.py", "playground", 0, "training panel", 20),
    (FIXTURE, "?wire=vega", 0, "surface copy, as drawn now", 20),
    (FIXTURE, "?wire=live", 0, "surface copy, LiveChart", 20),
]


@contextlib.contextmanager
def probed_server(script: str):
    """`streamlit run script` under bench/send_queue_probe.py; yields (url, log path)."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="send_queue_", suffix=".jsonl", delete=False).name
    cmd = [sys.executable, str(ROOT / "bench" / "send_queue_probe.py"), log, "run", script,
           "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"{script}: the server did not start")
                time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.unlink(log)


def read_log(path: str, t0: float, t1: float) -> list[dict]:
    with open(path) as f:
        return [r for r in map(json.loads, f) if t0 <= r["t"] <= t1]


def script_state(page) -> str | None:
    return page.evaluate("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
                         " return a && a.getAttribute('data-test-script-state'); }")


def busy_seconds(meter: WireMeter) -> float:
    metrics = meter.cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def play(browser, url: str, log: str, path: str, index: int, seconds: float, link) -> dict:
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    page = context.new_page()
    meter = WireMeter(page)
    meter.cdp.send("Performance.enable")
    sep = "&" if "?" in path else "?"
    page.goto(f"{url}/{path}{sep}lang=en", timeout=90_000)
    wait_idle(page)
    if link:
        throttle(meter, *link)
    page.get_by_role("button", name="Play").nth(index).click(timeout=90_000)
    start = time.monotonic()
    t0 = start + 1.0                    # the first frames come after the rerun the click starts
    page.wait_for_timeout((t0 - time.monotonic()) * 1000)
    busy0 = busy_seconds(meter)
    page.wait_for_timeout((t0 + seconds - time.monotonic()) * 1000)
    t1 = time.monotonic()
    busy = (busy_seconds(meter) - busy0) / (t1 - t0)
    clicked = time.monotonic()
    pause_s = None
    with contextlib.suppress(Exception):
        page.get_by_role("button", name="Pause").first.click(timeout=5_000)
        page.wait_for_function(
            "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
            " return ![...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Pause')"
            " && a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=20_000)
        pause_s = time.monotonic() - clicked
    end = time.monotonic()
    frames = Counter(f.path for f in meter.between(t0, t1) if f.path)
    n_frames = max(frames.values(), default=0)
    # what scales with the frame rate: the elements redrawn (nearly) every frame; the rest comes
    # at its own rate (λ up to 11/s, a finished slice or plane of the error surface, the density)
    per_frame = {path for path, n in frames.items() if n >= 0.7 * n_frames}
    every_frame = sum(f.size for f in meter.between(t0, t1) if f.path in per_frame)
    records = read_log(log, start, end)
    sent = [r for r in records if "bytes" in r and t0 <= r["t"] <= t1]
    context.close()
    return {
        "sent": sum(r["bytes"] for r in sent) / seconds,
        "recv": meter.rate(t0, t1),
        "fps": n_frames / seconds,
        "per_frame": meter.total(t0, t1) / max(n_frames, 1),
        "every_frame": every_frame / seconds,   # bytes/s of the elements drawn every frame
        "busy": busy,
        "queue": max((r.get("depth", 0) for r in records if "depth" in r), default=0),
        "dropped": any(r.get("event") == "overflow" for r in records),
        "pause_s": pause_s,
    }


def parse_link(text: str):
    if text == "loopback":
        return None
    mbit, ms = text.split("/")
    return float(mbit), float(ms)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--only", default="", help="comma-separated page names (fixture for the copy)")
    parser.add_argument("--links", default="loopback,10/50")
    args = parser.parse_args()
    only = {s for s in args.only.split(",") if s}
    links = args.links.split(",")
    targets = [t for t in TARGETS if not only or t[1] in only or ("fixture" in only and t[0] == FIXTURE)]
    print(f"Bytes per session while playing, {args.seconds:.0f} s each, headless Chromium, "
          f"{os.cpu_count()} cores (target ≤ {TARGET_KBPS} kB/s, no dropped session)")
    print(f"{'page · animation':44s} {'link':>8s} {'sent kB/s':>9s} {'recv kB/s':>9s} {'kB/frame':>8s} "
          f"{'@fps kB/s':>9s} {'frames/s':>8s} {'busy %':>6s} {'queue':>5s} {'dropped':>7s} {'pause s':>7s}")
    with sync_playwright() as p:
        browser = launch(p)
        for script in dict.fromkeys(t[0] for t in targets):
            with probed_server(script) as (url, log):
                for _, path, index, what, fps in (t for t in targets if t[0] == script):
                    name = f"{'momentum copy' if script == FIXTURE else path} · {what}"
                    for link in links:
                        try:
                            r = play(browser, url, log, path, index, args.seconds, parse_link(link))
                        except Exception as exc:  # one page failing should not hide the others
                            print(f"{name:44s} {link:>8s} failed: {type(exc).__name__}: {exc}"[:160])
                            continue
                        # at the animation's own frame rate: what is drawn every frame scaled up,
                        # the rest (measured at its own rate) as it came
                        scale = fps / r["fps"] if r["fps"] else 1.0
                        demand = r["recv"] + r["every_frame"] * max(0.0, scale - 1.0)
                        mark = "" if max(r["sent"], demand) / 1e3 <= TARGET_KBPS and not r["dropped"] else "  ✗"
                        pause = f"{r['pause_s']:7.1f}" if r["pause_s"] is not None else f"{'—':>7s}"
                        print(f"{name:44s} {link:>8s} {r['sent'] / 1e3:9.0f} {r['recv'] / 1e3:9.0f} "
                              f"{r['per_frame'] / 1e3:8.1f} {f'{demand / 1e3:.0f} @{fps}':>9s} "
                              f"{r['fps']:8.1f} {100 * r['busy']:6.0f} {r['queue']:5d} "
                              f"{'yes' if r['dropped'] else 'no':>7s} {pause}{mark}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()

"""A class of simulated students on one server, without browsers.

    python bench/bench_class.py [--students 30] [--seconds 30] [--processes 1 2] [--trace]

Each student speaks Streamlit's own websocket protocol (the BackMsg / ForwardMsg classes that
ship in the streamlit package) the way the browser's frontend does, but renders nothing: it
opens the Playground (/_stcore/stream, subprotocols "streamlit", an XSRF placeholder and, on a
reconnect, its old session id; a rerun_script BackMsg with the page's name and ?lang=en), waits
for the page, presses Play (a trigger in the widget states), stays, switches the language (every
third student), presses Pause, and leaves. A closed websocket is reopened as the frontend does it
(with the session id, then a rerun if the script was running).

Per student it prints: updates/s (from the Step metric in the deltas), frames/s (Step metric
updates received), charts/s, kB/s, Play's and Pause's click-to-effect latency (Play: until the
Step grows; Pause: until the paused rerun shows the button as Play), the language switch's,
reconnects, and whether its run survived (the Step never went back, the session id never
changed, the run progressed while playing, and after Pause it stayed put). Clicks a class makes
"at once" come --ramp seconds apart. For the server: CPU (of all its processes, nginx included,
in cores; and of the main threads, where the event loops run) and peak RSS, sampled with psutil.
--stall-students K makes K students' browsers stop reading for --stall-seconds in mid-window.

--processes 1 2 (the default) runs the class against one Streamlit process, then against two
behind nginx with sticky sessions (deploy/serve.py), and prints both. Loopback only; it starts
and stops its own servers. --trace runs each server under bench/traced_streamlit.py and counts
the events that lose or freeze a run (send-queue overflows, ping timeouts, fresh sessions
instead of resumed ones, the event loop's worst lag).

Targets (issue 14), 30 students on 2 cores: no run lost; the slowest student >= 30 updates/s and
>= 4 frames/s; Pause takes effect within 1 s at p95.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from deploy.serve import cluster  # noqa: E402
from sim_student import LOAD_TIMEOUT, SWITCH_TO, Student, cookie_for, wait  # noqa: E402


class Timeline:
    """The class's schedule, fixed once every student has loaded the page: measure from t0 to
    t1 (everyone playing), switch languages half-way, pause at t1."""

    def __init__(self, n: int, warmup: float, seconds: float):
        self.left, self.warmup, self.seconds = n, warmup, seconds
        self.ready = asyncio.Event()
        self.t0 = self.t1 = self.loaded_at = 0.0

    def loaded(self) -> None:  # called once per student, loaded or not
        self.left -= 1
        if self.left == 0:
            self.loaded_at = time.monotonic()
            self.t0 = self.loaded_at + self.warmup
            self.t1 = self.t0 + self.seconds
            self.ready.set()


async def student(s: Student, start_at: float, timeline: Timeline, stop: asyncio.Event,
                  spread: float, stall: float = 0.0) -> None:
    """One student's visit: open the page, Play, (switch language), Pause after t1, stay till
    stop. Clicks that a class makes "at once" come `spread` seconds apart, in arrival order."""
    counted = False

    def loaded():
        nonlocal counted
        if not counted:
            counted = True
            timeline.loaded()

    read = None
    try:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        s.cookie = await asyncio.to_thread(cookie_for, s.url)
        await s.open()
        read = asyncio.create_task(s.reader(stop))
        await s.rerun(first=True)
        if not await wait(s.event("finished"), LOAD_TIMEOUT) or not s.play_id:
            s.error = "the page did not load"
            return
        loaded()
        s.event("stepped").clear()
        t0 = time.monotonic()
        await s.rerun([(s.play_id, "trigger_value", True)])
        if await wait(s.event("stepped"), 60):
            s.play_latency = time.monotonic() - t0
        await timeline.ready.wait()
        if stall:  # a busy browser: reads nothing for `stall` seconds in mid-window
            await asyncio.sleep(max(0.0, (timeline.t0 + timeline.t1 - stall) / 2 - time.monotonic()))
            read.cancel()
            await asyncio.sleep(stall)
            read = asyncio.create_task(s.reader(stop))
        if s.switch_language and s.lang_id:
            await asyncio.sleep(max(0.0, (timeline.t0 + timeline.t1) / 2 + s.index * spread
                                    - time.monotonic()))
            t0 = time.monotonic()
            await s.rerun([(s.lang_id, "string_value", SWITCH_TO)])
            if await wait(s.event("switched"), 60):
                s.switch_latency = time.monotonic() - t0
        await asyncio.sleep(max(0.0, timeline.t1 + s.index * spread - time.monotonic()))
        s.event("paused").clear()
        s.event("finished").clear()
        t0 = time.monotonic()
        await s.rerun([(s.play_id, "trigger_value", True)])
        if await wait(s.event("paused"), 60):
            s.pause_latency = time.monotonic() - t0
            # the paused run shows the last step once it has drawn; then nothing may move
            if await wait(s.event("finished"), 60):
                paused_at = s.step
                await asyncio.sleep(1.0)
                s.moved_after_pause = s.step != paused_at
    except Exception as err:  # noqa: BLE001 - reported per student, the class goes on
        s.error = s.error or repr(err)
    finally:
        loaded()
        await stop.wait()
        if read is not None:
            read.cancel()
        if s.ws is not None:
            try:
                await s.ws.close()
            except Exception:  # noqa: BLE001 - leaving; the results are in
                pass


class ServerSampler:
    """CPU (in cores) and peak RSS of the server's processes (and their children)."""

    def __init__(self, pids: list[int]):
        self.procs = []
        for pid in pids:
            p = psutil.Process(pid)
            self.procs += [p, *p.children(recursive=True)]
        self.peak_rss = 0
        self.stop = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for p in self.procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_rss = max(self.peak_rss, total)
            time.sleep(0.5)

    def cpu_seconds(self) -> float:
        total = 0.0
        for p in self.procs:
            try:
                c = p.cpu_times()
                total += c.user + c.system
            except psutil.Error:
                pass
        return total


    def main_thread_seconds(self) -> float:
        """CPU of the Streamlit processes' main threads, where the event loop runs (it sends
        the frames and takes the clicks; the scripts run on other threads)."""
        total = 0.0
        for p in self.procs:
            try:
                total += sum(t.user_time + t.system_time for t in p.threads() if t.id == p.pid)
            except psutil.Error:
                pass
        return total


def own_cpu_seconds() -> float:
    c = psutil.Process().cpu_times()
    return c.user + c.system


async def run_class(url: str, pids: list[int], args) -> dict:
    stop = asyncio.Event()
    timeline = Timeline(args.students, args.warmup, args.seconds)
    query = "lang=en" + (f"&{args.query.lstrip('?&')}" if args.query else "")
    students = [Student(i + 1, url, switch_language=(i % 3 == 2), query=query)
                for i in range(args.students)]
    sampler = ServerSampler(pids)
    start = time.monotonic() + 0.2
    tasks = [asyncio.create_task(student(s, start + k * args.ramp, timeline, stop, args.ramp,
                                         args.stall_seconds if k < args.stall_students else 0.0))
             for k, s in enumerate(students)]
    await timeline.ready.wait()
    await asyncio.sleep(max(0.0, timeline.t0 - time.monotonic()))
    cpu0, mine0, loop0 = sampler.cpu_seconds(), own_cpu_seconds(), sampler.main_thread_seconds()
    await asyncio.sleep(max(0.0, timeline.t1 - time.monotonic()))
    cpu1, mine1, loop1 = sampler.cpu_seconds(), own_cpu_seconds(), sampler.main_thread_seconds()
    # everyone presses Pause after t1 (in arrival order) and has pause_wait to see it happen
    await asyncio.sleep(args.students * args.ramp + args.pause_wait)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    sampler.stop.set()
    span = timeline.t1 - timeline.t0
    return {"students": students, "t0": timeline.t0, "t1": timeline.t1,
            "server_cores": (cpu1 - cpu0) / span, "client_cores": (mine1 - mine0) / span,
            "loop_cores": (loop1 - loop0) / span,
            "peak_rss": sampler.peak_rss}


# -- results -----------------------------------------------------------------------------------------
def window(s: Student, t0: float, t1: float) -> list:
    return [(t, step) for t, step in s.steps if t0 <= t <= t1]


def survived(s: Student, t0: float, t1: float) -> tuple[bool, str]:
    """A run survives when its Step never went back, its session was never replaced, it kept
    progressing while playing, and Pause stopped it."""
    inside = window(s, t0, t1)
    if s.error:
        return False, s.error
    if s.went_back:
        return False, "the Step went back"
    if len(s.sessions) > 1:
        return False, f"{len(s.sessions)} sessions"
    if len(inside) < 2 or inside[-1][1] <= inside[0][1]:
        return False, "no progress while playing"
    if s.pause_latency is None:
        return False, "Pause never took effect"
    if s.moved_after_pause:
        return False, "kept training after Pause"
    return True, ""


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))] if values else float("nan")


def fmt_s(x: float | None) -> str:
    return "  —  " if x is None else f"{x:5.2f}"


def report(title: str, result: dict, trace: dict) -> dict:
    t0, t1 = result["t0"], result["t1"]
    span = t1 - t0
    rows = []
    print(f"\n{title}: {len(result['students'])} students, {span:.0f} s playing, "
          f"{os.cpu_count()} cores")
    print("  student  updates/s  frames/s  charts/s    kB/s  play s  pause s  lang s  reconn  run")
    for s in result["students"]:
        inside = window(s, t0, t1)
        ups = (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0]) if len(inside) >= 2 and inside[-1][0] > inside[0][0] else 0.0
        fps = len(inside) / span
        cps = sum(1 for t in s.charts if t0 <= t <= t1) / span
        kbps = sum(n for t, n in s.bytes if t0 <= t <= t1) / span / 1000
        ok, why = survived(s, t0, t1)
        rows.append((ups, fps, ok, s))
        print(f"  {s.index:7d}  {ups:9.1f}  {fps:8.1f}  {cps:8.1f}  {kbps:6.1f}  {fmt_s(s.play_latency)}  "
              f"{fmt_s(s.pause_latency)}  {fmt_s(s.switch_latency)}  {s.reconnects:6d}  "
              f"{'ok' if ok else 'LOST: ' + why}")
    ups = [r[0] for r in rows]
    fps = [r[1] for r in rows]
    lost = sum(1 for r in rows if not r[2])
    pauses = [s.pause_latency for s in result["students"] if s.pause_latency is not None]
    summary = {"lost": lost, "slowest_ups": min(ups), "median_ups": statistics.median(ups),
               "slowest_fps": min(fps), "median_fps": statistics.median(fps),
               "pause_p95": p95(pauses), "total_ups": sum(ups)}
    print(f"  runs lost {lost} of {len(rows)}   (target 0)")
    print(f"  updates/s: slowest {min(ups):.1f}, median {statistics.median(ups):.1f}, "
          f"total {sum(ups):.0f}   (target slowest >= 30)")
    print(f"  frames/s:  slowest {min(fps):.1f}, median {statistics.median(fps):.1f}   "
          f"(target slowest >= 4)")
    print(f"  Pause takes effect in: p95 {summary['pause_p95']:.2f} s, worst "
          f"{max(pauses, default=float('nan')):.2f} s   (target p95 <= 1 s)")
    plays = [s.play_latency for s in result["students"] if s.play_latency is not None]
    print(f"  Play takes effect in: p95 {p95(plays):.2f} s")
    print(f"  server: {result['server_cores']:.2f} cores busy (event loops {result['loop_cores']:.2f}), peak RSS "
          f"{result['peak_rss'] / 2**20:.0f} MB; this bench's own client: "
          f"{result['client_cores']:.2f} cores")
    if trace:
        print("  server trace: " + ", ".join(f"{k} {v}" for k, v in sorted(trace.items())))
    return summary


def trace_counts(tmp: Path | None) -> dict:
    counts: dict = {}
    if tmp is None:
        return counts
    per_process = []
    for log in sorted(tmp.glob("streamlit-*.log")):
        per_process.append(0)
        for line in log.read_text(errors="replace").splitlines():
            if not line.startswith("TRACE "):
                continue
            event = line.split()[2]
            fields = dict(f.split("=", 1) for f in line.split()[3:] if "=" in f)
            if event == "loop_lag":
                counts["worst loop lag ms"] = max(counts.get("worst loop lag ms", 0), int(fields["worst_ms"]))
            elif event == "send_queue":
                counts["deepest send queue"] = max(counts.get("deepest send queue", 0), int(fields["deepest"]))
            elif event == "connect":
                key = "resumed" if fields.get("resumed") == "True" else "new sessions"
                counts[key] = counts.get(key, 0) + 1
                per_process[-1] += key == "new sessions"
            else:
                counts[event] = counts.get(event, 0) + 1
    if len(per_process) > 1:
        counts["new sessions per process"] = "/".join(map(str, per_process))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30, help="measured time everyone plays")
    parser.add_argument("--warmup", type=float, default=5, help="playing before measuring")
    parser.add_argument("--ramp", type=float, default=0.2,
                        help="seconds between students' arrivals, and between their clicks")
    parser.add_argument("--pause-wait", type=float, default=15, help="time allowed for Pause")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2],
                        help="Streamlit processes per run: 1 = direct, more = behind nginx")
    parser.add_argument("--stall-students", type=int, default=0,
                        help="this many students' browsers stop reading in mid-window …")
    parser.add_argument("--stall-seconds", type=float, default=40, help="… for this long")
    parser.add_argument("--trace", action="store_true", help="count the server's trace events")
    parser.add_argument("--url", help="an already running app instead (no server CPU figures)")
    parser.add_argument("--query", default="",
                        help="settings in the link every student opens, e.g. 'dataset=moons&width=16"
                             "&batch_size=32&optimizer=adam&lr=0.01' (default: the lesson's first step)")
    args = parser.parse_args()
    launcher = [sys.executable, str(ROOT / "bench" / "traced_streamlit.py")] if args.trace else None
    summaries = {}
    if args.url:
        result = asyncio.run(run_class(args.url.rstrip("/"), [], args))
        report(args.url, result, {})
        return
    for n in args.processes:
        with cluster(n, launcher=launcher) as c:
            result = asyncio.run(run_class(c.url, c.pids, args))
            title = "1 Streamlit process" if n == 1 else f"{n} Streamlit processes behind nginx"
            summaries[n] = report(title, result, trace_counts(c.tmp) if args.trace else {})
    if len(summaries) > 1:
        print("\nside by side")
        print("  processes  lost  slowest upd/s  median upd/s  total upd/s  slowest fps  pause p95 s")
        for n, s in summaries.items():
            print(f"  {n:9d}  {s['lost']:4d}  {s['slowest_ups']:13.1f}  {s['median_ups']:12.1f}  "
                  f"{s['total_ups']:11.0f}  {s['slowest_fps']:11.1f}  {s['pause_p95']:11.2f}")


if __name__ == "__main__":
    main()

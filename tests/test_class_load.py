"""A class on one server (issue 14), without browsers: simulated students speak Streamlit's own
websocket protocol (tests/sim_student.py) to the real app, run under bench/traced_streamlit.py,
whose log tells what happened inside the server (send-queue depth, overflows, sessions)."""
import asyncio
import re
import sys
from pathlib import Path

import pytest

from deploy.serve import cluster
from sim_student import Student, wait
from ui import pacing

ROOT = Path(__file__).resolve().parent.parent
TRACED = [sys.executable, str(ROOT / "bench" / "traced_streamlit.py")]


@pytest.fixture(scope="module")
def traced():
    # small kernel buffers on both ends, so a reader that stops shows in the server's queue at
    # once instead of after the loopback's megabytes of buffer have filled (~20 s)
    with cluster(1, launcher=TRACED, env={"OPTLAB_TRACE_SNDBUF": "32768"}) as c:
        yield c.url, c.tmp / "streamlit-0.log"


def trace(log: Path, event: str) -> list[dict]:
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) > 2 and parts[0] == "TRACE" and parts[2] == event:
            rows.append(dict(p.split("=", 1) for p in parts[3:] if "=" in p))
    return rows


async def until(condition, timeout: float = 60) -> bool:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def test_a_browser_that_stops_reading_keeps_its_session_and_its_run(traced):
    """A busy laptop stops reading for 12 s while its run plays. Unpaced, the server queued
    every frame for it (at 500 messages Streamlit drops the session and leaves the tab deaf).
    Paced, frames wait for the browser, the queue stays short, training goes on."""
    url, log = traced
    lines_before = len(trace(log, "send_queue"))

    async def visit():
        stop = asyncio.Event()
        s = Student(1, url, rcvbuf=16384)
        read = await s.load(stop)
        assert await s.press_play()
        read.cancel()  # the browser stops reading
        await asyncio.sleep(12)
        frozen_at = s.step
        read = asyncio.create_task(s.reader(stop))
        assert await until(lambda: s.step > frozen_at + 50), "training went on and frames resumed"
        assert await s.press_play(), "Pause took effect"
        stop.set()
        read.cancel()
        return s

    s = asyncio.run(visit())
    assert len(s.sessions) == 1 and not s.went_back
    assert not trace(log, "queue_full")
    deepest = max(int(r["deepest"]) for r in trace(log, "send_queue")[lines_before:])
    assert deepest <= pacing.MAX_BACKLOG + 20, deepest  # a frame or two beyond the budget


def test_a_reconnect_gets_the_same_session_and_the_run_goes_on(traced):
    url, log = traced

    async def visit():
        stop = asyncio.Event()
        s = Student(2, url)
        read = await s.load(stop)
        assert await s.press_play()
        assert await until(lambda: s.step > 20)
        before = s.step
        await s.ws.close()  # the network drops; the reader reconnects as the frontend does
        assert await until(lambda: s.reconnects == 1 and s.step > before + 20), \
            "the run resumed after the reconnect"
        assert await s.press_play(), "Pause took effect"
        stop.set()
        read.cancel()
        return s

    s = asyncio.run(visit())
    assert len(s.sessions) == 1, s.sessions  # the old session, not a fresh one
    assert not s.went_back
    sid = next(iter(s.sessions))
    assert {"session": sid, "resumed": "True"} in trace(log, "connect")


def test_a_small_class_plays_at_once_and_every_run_survives(traced):
    """Four students press Play together; one switches to 中文 while playing (a rerun in the
    middle of the loop); all keep progressing, keep their session, and Pause stops each run."""
    url, log = traced

    async def lesson():
        stop = asyncio.Event()
        students = [Student(10 + i, url) for i in range(4)]
        reads = await asyncio.gather(*(s.load(stop) for s in students))
        assert all(await asyncio.gather(*(s.press_play() for s in students)))
        marks = [s.step for s in students]
        assert await until(lambda: all(s.step > m + 20 for s, m in zip(students, marks)))
        switcher = students[0]
        await switcher.rerun([(switcher.lang_id, "string_value", "中文")])
        assert await wait(switcher.event("switched"), 60), "the page came back in 中文"
        at_switch = switcher.step
        assert await until(lambda: switcher.step > at_switch + 20), "its run went on after the switch"
        assert all(await asyncio.gather(*(s.press_play() for s in students)))
        paused = [s.step for s in students]
        await asyncio.sleep(1.0)
        assert [s.step for s in students] == paused, "nothing trains after Pause"
        stop.set()
        for r in reads:
            r.cancel()
        return students

    students = asyncio.run(lesson())
    for s in students:
        assert len(s.sessions) == 1 and not s.went_back and s.reconnects == 0, s.index
    assert not trace(log, "queue_full") and not trace(log, "fresh_instead")


def test_the_trace_reads_what_the_server_logs(traced):
    """The tests above judge by the trace; make sure it is there and parses."""
    _, log = traced
    asyncio.run(until(lambda: trace(log, "loop_lag"), timeout=30))  # logged every 5 s
    assert trace(log, "loop_lag") and trace(log, "send_queue")
    assert all(re.fullmatch(r"\d+", r["worst_ms"]) for r in trace(log, "loop_lag"))

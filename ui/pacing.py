"""Fair sharing of one server among the students who are playing (issue 14).

One Streamlit process runs every student's script on a thread of its own, and all of them share
one GIL with the server's event loop, the thread that sends the frames and receives the clicks.
Measured with bench/bench_class.py (30 simulated students on the Playground, one process):
with every play loop running flat out, the event loop ran up to 25 s late, each student got
0.6 frames/s, and Pause had not taken effect after 60 s. And a browser that reads slower than
its session draws (a busy laptop, a slow network) fills Streamlit's per-client send queue
(500 messages); on overflow Streamlit drops the session but leaves the websocket open: frames
stop, clicks are discarded, and a reconnect after server.disconnectedSessionTTL gets a fresh
session, i.e. a run back at step 0.

So a play loop takes turns instead of running flat out:

    pacer = Pacer(max_fps=20)
    while playing:
        with pacer.turn():                  # waits for this session's turn
            if pacer.frame_due():
                pacer.framed()
                ...draw...
            ...train for pacer.train_seconds...

- Turns (`Gate`): at most SLOTS sessions of the process train or draw at once, served in
  arrival order, so every student gets turns, and the event loop and the clicks' reruns
  compete with few threads for the GIL. A loop's first turn goes to the front of the line, so
  Play shows at once. A session waiting for its turn notices a click within
  POLL_SECONDS (Streamlit's own yield check ends the run there).
- The GIL changes hands after SWITCH_SECONDS instead of Python's 5 ms, so the event loop (and a
  click's rerun) never waits long behind a turn (bench: Pause p95 1.8 s → 0.2 s at 30 students);
  prepare_process() sets it, once, with gc.freeze().
- Frames: not more often than max_fps, and not while this session's browser still has more
  than MAX_BACKLOG messages queued (backpressure: a slow browser gets fewer frames, never an
  overflow). So the frame rate falls as more students play (turns come round less often) or
  when a browser lags, evenly for everyone, and every turn trains either way: after a frame,
  at least TRAIN_PER_DRAW times the frame's drawing CPU. Work with a CPU share of its own (a
  `Credit`: λ's measurements, the error surface) is `set_aside` and not matched by training;
  matching it too held the Playground to 11 frames/s, every one of them with a measurement.
"""
from __future__ import annotations

import collections
import gc
import os
import sys
import threading
import time
from contextlib import contextmanager

import pyarrow

# sessions working at once per process; two use a second core while torch runs without the GIL
SLOTS = int(os.environ.get("OPTLAB_PLAY_SLOTS", min(2, os.cpu_count() or 1)))
SWITCH_SECONDS = 0.001  # how long a thread may keep the GIL while another one waits for it
TURN_SECONDS = 0.012    # training per turn, at least: ~8 updates of a small net
BUSY_TURN_SECONDS = 0.004  # …while others wait for a turn (a class): turns come round sooner, so
                        # each student gets more frames and fewer updates per frame. bench_class,
                        # 30 students, one process, default run: 0.012 → 66 updates/s, 2.8
                        # frames/s; 0.008 → 63, 3.9; 0.006 → 51, 4.7; 0.004 → 50–53, 6.5–6.7;
                        # 0 (TRAIN_PER_DRAW alone) → 36, 12
TRAIN_PER_DRAW = 0.7    # after a frame, at least this many times its drawing CPU in training:
                        # drawing takes at most ~60% of what a busy student's share leaves after
                        # the work set aside (set_aside). Before set_aside, with λ counted as
                        # drawing: 2.0 held the Playground to 9 frames/s, 0.5 to 283 updates/s.
MAX_BACKLOG = 20        # messages queued for a browser beyond which frames wait (a frame is 2–6)
POLL_SECONDS = 0.1      # how often a waiting loop looks for a click (30 waiting: 300 looks/s)


class Gate:
    """A fair (first come, first served) gate that lets `slots` threads through at once.
    A leaving thread hands its slot straight to the next in line."""

    def __init__(self, slots: int):
        self.lock = threading.Lock()
        self.free = slots
        self.line: collections.deque[threading.Event] = collections.deque()

    def enter(self, check=lambda: None, first: bool = False) -> None:
        """Wait for a slot, calling check() every POLL_SECONDS: when it raises (a click ends
        this script run), the place in line is given up and the exception goes on. `first`
        goes to the front of the line (a loop's first turn: a click shows at once)."""
        with self.lock:
            if self.free and not self.line:
                self.free -= 1
                return
            mine = threading.Event()
            if first:
                self.line.appendleft(mine)
            else:
                self.line.append(mine)
        while not mine.wait(POLL_SECONDS):
            try:
                check()
            except BaseException:
                with self.lock:
                    if not mine.is_set():
                        self.line.remove(mine)
                        raise
                self.leave()  # handed over meanwhile: pass the slot on
                raise

    def busy(self) -> bool:
        """Whether sessions are waiting for a turn: the server is shared by more players than
        it has slots (a class), so each one's turns come seldom."""
        return bool(self.line)

    def leave(self) -> None:
        with self.lock:
            if self.line:
                self.line.popleft().set()
            else:
                self.free += 1


GATE = Gate(SLOTS)  # one per process: what the students share is the process


def backlog() -> int:
    """Messages this session has produced that its browser has not received yet: Streamlit's
    per-session queue (not yet flushed) plus the client's send queue (flushed, not yet sent).
    Reads Streamlit 1.67 internals (tests/test_class_load.py checks that they still work); 0
    where they are not found, and then only max_fps limits frames."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
        info = Runtime.instance()._session_mgr.get_active_session_info(ctx.session_id)
        if info is None:
            return 0
        return len(info.session._browser_queue) + info.client._send_queue.qsize()
    except Exception:  # noqa: BLE001 - an internal that moved: no backpressure, no crash
        return 0


def yield_check() -> None:
    """Raise Streamlit's own RerunException / StopException when a click (or a closed tab) has
    asked this script run to end, as Streamlit's cache does while it waits for a lock."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_run_yield_check

    check = get_run_yield_check()
    if check is not None:
        check()


_prepared = False


def prepare_process() -> None:
    """Once per process, from ui.page.setup(): let the GIL change hands after SWITCH_SECONDS,
    freeze the objects the imports made (torch, pandas, Altair, Streamlit: ~300k) out of the
    garbage collector's way (a full collection over them held the GIL for ~0.2 s, stopping every
    session and the event loop; after gc.freeze() it takes under 1 ms), and keep pyarrow on the
    session's own thread."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    sys.setswitchinterval(SWITCH_SECONDS)
    gc.freeze()
    # pyarrow converts a chart's data on a fresh pool of threads once it has over 100 rows per
    # column: two thread starts per frame, fighting every other session for the GIL. One
    # thread per session, as for torch: a loss-chart frame 6.3 -> 3.2 ms of CPU.
    pyarrow.set_cpu_count(1)


_aside = threading.local()  # per script thread, i.e. per session's loop


def set_aside(seconds: float) -> None:
    """Count `seconds` of this thread's CPU in the current frame as work that has a CPU share
    of its own (a `Credit`: λ's measurements, the error surface), so that the training after
    the frame matches only the drawing (Pacer.train_seconds)."""
    _aside.seconds = getattr(_aside, "seconds", 0.0) + seconds


class Pacer:
    """One play loop's share of the server: its turns and its frames."""

    def __init__(self, max_fps: float = 20.0, gate: Gate | None = None,
                 backlog=backlog, check=yield_check):
        self.min_interval = 1.0 / max_fps
        self.gate = gate or GATE
        self.backlog, self.check = backlog, check
        self.last_frame = 0.0
        self.frame_cpu = 0.0  # this thread's CPU time when the last frame started
        self.drew = False     # this turn started with a frame
        self.turns = 0
        self.held_back = 0  # frames held back for a browser that had not caught up

    @property
    def train_seconds(self) -> float:
        """Training for this turn, in seconds of this thread's CPU. After a frame: at least
        TRAIN_PER_DRAW times what the frame took to draw (less the work `set_aside`), so
        however busy the server, frames do not starve training. Between frames: TURN_SECONDS,
        or less when the next frame is due sooner, so a student alone on the server gets its
        frames on time. While others wait for a turn (a class), BUSY_TURN_SECONDS instead of
        TURN_SECONDS: shorter turns come round sooner, so everyone's frames come more often."""
        since_frame = time.perf_counter() - self.last_frame
        least = BUSY_TURN_SECONDS if self.gate.busy() else TURN_SECONDS
        if self.drew:  # in CPU time: other threads stretch wall time unevenly
            drawing = time.thread_time() - self.frame_cpu - getattr(_aside, "seconds", 0.0)
            return max(least, TRAIN_PER_DRAW * drawing)
        until_frame = self.min_interval - since_frame  # ≤ 0: due, but held back for the browser
        return least if until_frame <= 0 else min(least, until_frame)

    @contextmanager
    def turn(self):
        """This session's turn. Before it and while it waits, a click ends the script run
        (Streamlit's own exception goes through here): turns without a frame (between frames, or
        with frames held back for a slow browser) make no Streamlit call that would notice it,
        and a session's next run waits for this one to end (runner.fastReruns is off)."""
        self.check()
        self.gate.enter(self.check, first=not self.turns)
        self.turns += 1
        self.drew = False
        try:
            yield
        finally:
            self.gate.leave()

    @contextmanager
    def frame(self):
        """For an animation that advances one step per frame: wait until a frame is due, then
        take a turn, and count the frame."""
        while not self.frame_due():
            self.check()
            wait = self.min_interval - (time.perf_counter() - self.last_frame)
            time.sleep(min(POLL_SECONDS, max(0.001, wait)))
        with self.turn():
            self.framed()  # timed from its start: max_fps means one every 1/max_fps seconds
            yield

    def frame_due(self) -> bool:
        if time.perf_counter() - self.last_frame < self.min_interval:
            return False
        if self.backlog() > MAX_BACKLOG:
            self.held_back += 1
            return False
        return True

    def framed(self) -> None:
        """A frame starts now (frames are timed from their start: 20/s means every 50 ms)."""
        self.last_frame = time.perf_counter()
        self.frame_cpu = time.thread_time()
        _aside.seconds = 0.0
        self.drew = True


class Credit:
    """A budget that refills at `rate` per second, up to `cap`, and is spent as work is done: one
    unit per measurement (λ about CURVATURE_HZ times a second, ui/panel.py) or seconds of CPU
    (the error surface's share of the time). It keeps a rate whatever the frame rate, where
    "every 1/11 s" at 15 frames/s would mean every other frame, 7.5 a second. Spending may take
    it below zero, down to `floor` (work that could not be split pays back later)."""

    def __init__(self, rate: float, cap: float, start: float = 0.0, floor: float = -1.0,
                 clock=time.perf_counter):
        self.rate, self.cap, self.floor, self.clock = rate, cap, floor, clock
        self.value, self.last = start, clock()

    def refill(self, rate: float | None = None) -> float:
        """Add what the time since the last refill earned (at `rate`, if given); the balance."""
        now = self.clock()
        self.value = min(self.cap, self.value + (now - self.last) * (self.rate if rate is None else rate))
        self.last = now
        return self.value

    def spend(self, amount: float) -> None:
        self.value = max(self.floor, self.value - amount)

"""A simulated student: Streamlit's own websocket protocol, spoken as the browser's frontend
speaks it, without rendering anything (bench/bench_class.py, tests/test_class_load.py).

How the frontend talks to the server (Streamlit 1.67, read from its bundled JavaScript and
streamlit/web/server/starlette/starlette_websocket.py):
- it opens /_stcore/stream with the subprotocols "streamlit", an XSRF token (or a placeholder)
  and, on a reconnect, the session id it had; the server then resumes that session if it still
  keeps it (server.disconnectedSessionTTL) and makes a fresh one otherwise;
- it asks for a script run with a rerun_script BackMsg: the page's name and the query string on
  the first run, the page's script hash (from the navigation message) afterwards;
- a button click is a rerun whose widget states hold that button's trigger; widgets left out
  keep their values on the server;
- after a reconnect it asks for a rerun if the script was running.
"""
from __future__ import annotations

import asyncio
import socket
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ui.strings import TABLE  # noqa: E402

PAGE = "playground"
STEP_LABELS = set(TABLE["metric.step"])          # 步数 / Step
PLAY_LABELS = set(TABLE["btn.play"])
PAUSE_LABELS = set(TABLE["btn.pause"])
LANG_WIDGET = "lang_widget"                       # ui/page.py's language radio
SWITCH_TO = "中文"                                 # the radio's label for zh (ui.i18n.LANG_NAMES)
LOAD_TIMEOUT = 300                                # a cold server on a busy machine is slow


@dataclass
class Student:
    index: int
    url: str
    switch_language: bool = False
    rcvbuf: int = 0                       # bytes of kernel receive buffer (0: the system's)
    query: str = "lang=en"                # the link's query: the language, and settings if any
    cookie: str = ""
    session_id: str | None = None
    sessions: set = field(default_factory=set)
    page_hash: str = ""
    play_id: str | None = None
    lang_id: str | None = None
    button_label: str = ""
    running: bool = False                 # the server's script is running
    steps: list = field(default_factory=list)   # (time, step) from every Step metric received
    bytes: list = field(default_factory=list)   # (time, size) of every message
    charts: list = field(default_factory=list)  # time of every chart received
    went_back: bool = False
    reconnects: int = 0
    error: str = ""
    play_latency: float | None = None
    pause_latency: float | None = None
    switch_latency: float | None = None
    moved_after_pause: bool = False
    events: dict = field(default_factory=dict)  # name -> asyncio.Event, set from the reader
    ws: object = None

    def event(self, name: str) -> asyncio.Event:
        return self.events.setdefault(name, asyncio.Event())

    @property
    def step(self) -> int:
        return self.steps[-1][1] if self.steps else -1

    # -- what the frontend would do with each message ----------------------------------------
    def on_message(self, data: bytes) -> None:
        now = time.monotonic()
        self.bytes.append((now, len(data)))
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            sid = msg.new_session.initialize.session_id
            self.sessions.add(sid)
            self.session_id = sid
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "script_finished":
            # a run a click interrupted says so (FINISHED_EARLY_FOR_RERUN) and the click's run
            # follows in the same thread: only a run that reached its end has finished
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.running = False
                self.event("finished").set()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            what = el.WhichOneof("type")
            if what == "metric" and el.metric.label in STEP_LABELS:
                step = int(el.metric.body.replace(",", "") or 0)
                if step < max((s for _, s in self.steps), default=0):
                    self.went_back = True
                self.steps.append((now, step))
                if el.metric.label != TABLE["metric.step"][1]:
                    self.event("switched").set()
                if step > 0:
                    self.event("stepped").set()
            elif what == "button" and el.button.id.endswith(f"{PAGE}:play"):
                self.play_id, self.button_label = el.button.id, el.button.label
                if el.button.label in PLAY_LABELS:  # what the student sees: paused
                    self.event("paused").set()
            elif what == "html" and "live-chart" in el.html.body:  # a chart's frame (ui/charts/live.py)
                self.charts.append(now)
            elif what == "radio" and el.radio.id.endswith(LANG_WIDGET):
                self.lang_id = el.radio.id

    # -- talking to the server ------------------------------------------------------------------
    async def open(self) -> None:
        """Open the websocket as the frontend does; on a reconnect, ask for the old session."""
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]
        if self.session_id:
            protocols.append(self.session_id)
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        extra = {}
        if self.rcvbuf:  # a small receive window: a reader that stops shows at once
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)
            host, port = ws_url.split("/")[2].split(":")
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
            extra["sock"] = sock
        self.ws = await websockets.connect(
            ws_url, subprotocols=protocols, origin=self.url, compression=None, max_size=None,
            ping_interval=None, open_timeout=LOAD_TIMEOUT, proxy=None,
            additional_headers={"Cookie": self.cookie} if self.cookie else None, **extra)

    async def rerun(self, widgets=(), first: bool = False) -> None:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        if first:
            rerun.page_name = PAGE
        else:
            rerun.page_script_hash = self.page_hash
        for wid, kind, value in widgets:
            w = rerun.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        await self.ws.send(msg.SerializeToString())

    async def load(self, stop: asyncio.Event) -> asyncio.Task:
        """Open the page and wait for its first run; returns the task that reads the socket."""
        self.cookie = await asyncio.to_thread(cookie_for, self.url, self.query)
        await self.open()
        read = asyncio.create_task(self.reader(stop))
        await self.rerun(first=True)
        if not await wait(self.event("finished"), LOAD_TIMEOUT) or not self.play_id:
            raise TimeoutError("the page did not load")
        return read

    async def press_play(self, timeout: float = 60) -> bool:
        """Click Play (or Pause: the same button); True once the Step has grown (Play) or the
        button reads Play again and that run has finished (Pause)."""
        pausing = self.button_label in PAUSE_LABELS
        for name in ("stepped", "paused", "finished"):
            self.event(name).clear()
        await self.rerun([(self.play_id, "trigger_value", True)])
        if not pausing:
            return await wait(self.event("stepped"), timeout)
        return await wait(self.event("paused"), timeout) and await wait(self.event("finished"), timeout)

    async def reader(self, stop: asyncio.Event) -> None:
        """Receive until told to stop; reconnect like the frontend when the socket closes."""
        while not stop.is_set():
            try:
                async for data in self.ws:
                    self.on_message(data)
                    if stop.is_set():
                        return
            except websockets.ConnectionClosed:
                pass
            if stop.is_set():
                return
            was_running = self.running
            self.reconnects += 1
            for attempt in range(20):
                await asyncio.sleep(min(4.0, 0.25 * 2 ** attempt))
                try:
                    await self.open()
                    break
                except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
                    continue
            else:
                self.error = "could not reconnect"
                return
            if was_running:  # the frontend asks for a rerun when the script was running
                await self.rerun()



def cookie_for(url: str, query: str = "lang=en") -> str:
    """Load the page as a browser would; keep the proxy's route cookie, if it sets one."""
    with urllib.request.urlopen(f"{url}/{PAGE}?{query}", timeout=LOAD_TIMEOUT) as r:
        cookies = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


async def wait(ev: asyncio.Event, timeout: float) -> bool:
    try:
        await asyncio.wait_for(ev.wait(), timeout)
        return True
    except asyncio.TimeoutError:
        return False

"""Counts what the Streamlit server sends one browser tab: every websocket frame Chromium receives,
read through the DevTools protocol (Network.webSocketFrameReceived), decoded as Streamlit's
ForwardMsg so that bytes can be put down to the element that caused them.

    meter = WireMeter(page)           # before page.goto
    ...
    meter.rate(t0, t1)                # bytes/s received between two meter.now() marks
    meter.by_element(t0, t1)          # {(element type, delta path): [bytes of each message]}

`throttle(page_or_meter, mbit, latency_ms)` applies Chromium's network emulation to the tab.
"""
from __future__ import annotations

import base64
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Frame:
    at: float            # when Chromium received it, on time.monotonic()'s clock
    size: int            # payload bytes (the websocket message, not counting framing)
    kind: str            # ForwardMsg type, or for a delta the element's type
    path: tuple          # delta path for deltas, () otherwise
    detail: dict = field(default_factory=dict)


def describe(payload: bytes) -> tuple[str, tuple, dict]:
    """(kind, delta path, detail) of one ForwardMsg; detail holds the sizes inside a chart."""
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # not a ForwardMsg (should not happen): still count its bytes
        return "unparsed", (), {}
    kind = msg.WhichOneof("type") or "?"
    path = tuple(msg.metadata.delta_path)
    detail: dict = {}
    if kind == "delta":
        delta_kind = msg.delta.WhichOneof("type")
        if delta_kind == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind == "vega_lite_chart":
                chart = element.vega_lite_chart
                detail = {"spec": len(chart.spec.encode()), "data": len(chart.data.data),
                          "datasets": sum(len(d.data.data) for d in chart.datasets)}
            elif kind == "html":
                detail = {"body": element.html.body}
            elif kind == "bidi_component":
                comp = element.bidi_component
                detail = {"js": len(comp.js_content.encode()), "json": len(comp.json.encode()),
                          "bytes": len(comp.bytes)}
        else:
            kind = delta_kind or "delta"
    elif kind == "script_finished":
        detail = {"status": msg.script_finished}
    return kind, path, detail


class WireMeter:
    """Records every websocket frame a page receives. Attach before the first navigation."""

    def __init__(self, page, decode: bool = True):
        self.page = page
        self.decode = decode
        self.frames: list[Frame] = []
        self.sockets_opened = 0
        self.sockets_closed = 0
        self._lock = threading.Lock()
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.webSocketFrameReceived", self._on_frame)
        self.cdp.on("Network.webSocketCreated", self._on_created)
        self.cdp.on("Network.webSocketClosed", self._on_closed)

    def _on_created(self, _event) -> None:
        self.sockets_opened += 1

    def _on_closed(self, _event) -> None:
        self.sockets_closed += 1

    def _on_frame(self, event) -> None:
        response = event["response"]
        if response.get("opcode") == 2:  # binary: Streamlit's protobufs, base64 in the event
            payload = base64.b64decode(response["payloadData"])
        else:
            payload = response["payloadData"].encode()
        kind, path, detail = describe(payload) if self.decode else ("?", (), {})
        with self._lock:
            # Chromium's timestamp is CLOCK_MONOTONIC in seconds, as is time.monotonic(): the event
            # may reach Python late (the sync API delivers events while it waits), the stamp not
            self.frames.append(Frame(event["timestamp"], len(payload), kind, path, detail))

    @staticmethod
    def now() -> float:
        return time.monotonic()

    def between(self, t0: float, t1: float | None = None) -> list[Frame]:
        t1 = float("inf") if t1 is None else t1
        with self._lock:
            return [f for f in self.frames if t0 <= f.at < t1]

    def total(self, t0: float, t1: float | None = None) -> int:
        return sum(f.size for f in self.between(t0, t1))

    def rate(self, t0: float, t1: float) -> float:
        """Bytes per second received in [t0, t1)."""
        return self.total(t0, t1) / max(t1 - t0, 1e-9)

    def per_second(self, t0: float, t1: float) -> list[int]:
        """Bytes received in each whole second after t0."""
        out = [0] * max(1, int(t1 - t0))
        for f in self.between(t0, t1):
            i = int(f.at - t0)
            if i < len(out):
                out[i] += f.size
        return out

    def by_element(self, t0: float, t1: float | None = None) -> dict:
        """{(kind, delta path): [size of each message]} in arrival order."""
        out = defaultdict(list)
        for f in self.between(t0, t1):
            out[(f.kind, f.path)].append(f.size)
        return dict(out)

    def count(self, kind: str, t0: float = 0.0, t1: float | None = None) -> int:
        return sum(1 for f in self.between(t0, t1) if f.kind == kind)

    def last_arrival(self) -> float:
        with self._lock:
            return self.frames[-1].at if self.frames else 0.0


def throttle(meter: WireMeter, mbit: float, latency_ms: float) -> None:
    """Chromium's network emulation on the metered tab: download and upload at `mbit` Mbit/s."""
    rate = mbit * 1e6 / 8
    meter.cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency_ms, "downloadThroughput": rate, "uploadThroughput": rate})

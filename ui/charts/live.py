"""A Vega-Lite chart for animations that sends the browser only what changed.

`st.vega_lite_chart` sends its whole spec and all its data on every frame: a loss-surface heat map
of 1,296 cells went out 20 times a second although it never changes, and Streamlit 1.67 has no
`add_rows`. Per session the server keeps at most 500 unsent messages; a browser that falls behind
fills that queue and the session is dropped without the browser being told (see
docs/wire_budget.md). A LiveChart instead

- sends the spec and the static layers (`static=`) once, then again only every `refresh_s` seconds;
- sends, of each other dataset, only the rows added over the last few frames when the new rows
  extend the old ones (a growing path, a history), or the whole dataset when it changed otherwise
  (a few balls, a bar chart): the comparison is made here, so a caller just passes the full data;
- packs numbers to 6 significant digits (far below a pixel) and deflates large messages.

The browser half (live_assets/live_chart.js, with Vega and Vega-Lite vendored) keeps one Vega
view per chart key for the life of the tab and inserts the new rows into it. Each frame travels as
an `st.html` element whose script hands the message to that view: an html element, unlike a
component, can be redrawn many times in one script run, and its node is replaced each frame, so the
view's own node is moved into the newest one.

    path = LiveChart("mom:surface", spec, height=320, static={"grid": cells})   # once per run
    slot = st.empty()
    while playing:
        path.draw(slot, path=path_rows, balls=ball_rows)    # full data; only news go out
        path.draw(slot, params={"step": i}, ...)            # Vega-Lite params, e.g. in a title

Each layer of `spec` names its dataset: `alt.Chart(alt.NamedData("path"))`, or
`{"data": {"name": "path"}}` in a dict. Keys must be unique on a page.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import time
import zlib
from collections import deque
from pathlib import Path

import numpy as np
from streamlit import config
from streamlit.components.v1 import declare_component

ASSETS = Path(__file__).with_name("live_assets")
DEFLATE_ABOVE = 1500     # bytes of JSON: smaller messages are sent as they are


def _assets_url() -> str:
    """Where the browser loads live_chart.js, Vega and Vega-Lite from. A v1 component declared
    with a path is served by Streamlit at /component/<name>/ with proper content types, wherever
    the app runs and without static serving switched on; it is never mounted."""
    name = declare_component("live_chart", path=str(ASSETS)).name
    base = config.get_option("server.baseUrlPath").strip("/")
    return f"/{base}/component/{name}/" if base else f"/component/{name}/"


def _column(values, digits: int = 6) -> str:
    """One column as JSON: numbers to `digits` significant digits (NaN, ±inf → null); text as
    its distinct values plus one index per row."""
    a = np.asarray(values)
    if a.dtype.kind in "biu":
        return json.dumps(a.tolist(), separators=(",", ":"))
    if a.dtype.kind == "f":
        text = np.char.mod(f"%.{digits}g", a.astype(np.float64))
        text = np.where(np.isfinite(a), text, "null")
        return "[" + ",".join(text.tolist()) + "]"
    distinct, index = np.unique(a.astype(str), return_inverse=True)
    return ('{"v":' + json.dumps(distinct.tolist(), ensure_ascii=False, separators=(",", ":"))
            + ',"i":' + json.dumps(index.ravel().tolist(), separators=(",", ":")) + "}")


def _columns(table: dict[str, np.ndarray], start: int = 0, rows=None) -> str:
    parts = []
    for name, col in table.items():
        part = col[start:] if rows is None else col[rows]
        parts.append(json.dumps(name) + ":" + _column(part))
    return "{" + ",".join(parts) + "}"


def _as_table(data) -> dict[str, np.ndarray]:
    """A DataFrame or a {column: values} mapping → {column: 1-D numpy array}, all one length."""
    if hasattr(data, "columns"):
        table = {str(c): data[c].to_numpy() for c in data.columns}
    else:
        table = {str(c): np.asarray(v) for c, v in data.items()}
    lengths = {len(v) for v in table.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: { {k: len(v) for k, v in table.items()} }")
    return table


def _extends(old: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> bool:
    """Whether `new` is `old` with rows added at the end (same columns, same first rows)."""
    if old.keys() != new.keys():
        return False
    for name, was in old.items():
        now = new[name]
        if len(now) < len(was) or now.dtype.kind != was.dtype.kind:
            return False
        head = now[:len(was)]
        same = (np.array_equal(head, was, equal_nan=True) if was.dtype.kind == "f"
                else np.array_equal(head, was))
        if not same:
            return False
    return True


class _Dataset:
    """What the browser has been sent of one dataset during this script run."""

    def __init__(self, window: int):
        self.table: dict[str, np.ndarray] | None = None
        self.epoch = 0
        self.counts: deque[int] = deque(maxlen=window)  # rows after each of the last frames

    def message(self, table: dict[str, np.ndarray], full: bool, max_rows: int) -> str:
        n = len(next(iter(table.values()))) if table else 0
        if n > max_rows:  # bound what one frame can carry; such data is re-sent whole each time
            keep = np.linspace(0, n - 1, max_rows).round().astype(int)
            self.epoch += 1
            self.table, self.counts = None, deque(maxlen=self.counts.maxlen)
            return self._json(n, 0, True, _columns(table, rows=keep))
        if self.table is None or not _extends(self.table, table):
            self.epoch += 1
            self.counts.clear()
        offset = 0 if full or len(self.counts) < self.counts.maxlen else self.counts[0]
        self.table = {k: v.copy() for k, v in table.items()}  # the caller may reuse its arrays
        self.counts.append(n)
        return self._json(n, offset, full, _columns(table, start=offset))

    def _json(self, n: int, offset: int, full: bool, cols: str) -> str:
        flag = ',"f":1' if full else ""
        return f'{{"e":{self.epoch},"o":{offset},"n":{n}{flag},"c":{cols}}}'


class LiveChart:
    """A Vega-Lite chart redrawn many times a second that sends only what changed.

    key: unique on the page (the browser keeps the view under it).
    spec: Vega-Lite dict or Altair chart; each layer's data is a named dataset.
    height: the chart's whole height in pixels, title and legend included (as st.vega_lite_chart);
            the browser makes it taller where the plot would be under 160 px (live_chart.js).
    static: {dataset: DataFrame or columns} that never change while this object lives.
    window: each frame carries the rows added over the last `window` frames, so that a browser
        that lost up to window − 1 frames in a row (see module doc) still gets every row.
    refresh_s: every so often a frame carries everything again (spec, static layers, all rows),
        so that a browser that lost more recovers.
    max_rows: per dataset; beyond it the data is thinned evenly and sent whole every frame.
    """

    def __init__(self, key: str, spec, *, height: int, static: dict | None = None, window: int = 5,
                 refresh_s: float = 3.0, max_rows: int = 5000):
        if window < 1:
            raise ValueError(f"window: at least 1 frame, got {window}")
        spec = spec.to_dict() if hasattr(spec, "to_dict") else dict(spec)
        static_json = "{" + ",".join(json.dumps(name) + ":" + _columns(_as_table(data))
                                     for name, data in (static or {}).items()) + "}"
        base = ('{"spec":' + json.dumps(spec, ensure_ascii=False) + f',"height":{int(height)}'
                + ',"static":' + static_json + "}")
        self.key, self.height, self.spec = key, int(height), spec
        self.base_json = base
        self.base_id = hashlib.sha1(base.encode()).hexdigest()[:12]
        self.window, self.refresh_s, self.max_rows = window, refresh_s, max_rows
        self.sets: dict[str, _Dataset] = {}
        self.frame = 0
        self.last_full = -float("inf")
        self.last_full_frame = False
        self.last_bytes = 0
        self.url = _assets_url()

    def message(self, datasets: dict, params: dict | None = None) -> str:
        """The JSON message for one frame (what `draw` sends, before packing)."""
        now = time.monotonic()
        full = now - self.last_full >= self.refresh_s
        if full:
            self.last_full = now
        self.last_full_frame = full
        parts = []
        for name, data in datasets.items():
            ds = self.sets.setdefault(name, _Dataset(self.window))
            parts.append(json.dumps(name) + ":" + ds.message(_as_table(data), full, self.max_rows))
        self.frame += 1
        head = f'{{"k":{json.dumps(self.key)},"b":"{self.base_id}","s":{self.frame}'
        base = f',"base":{self.base_json}' if full else ""
        signals = f',"p":{json.dumps(params, ensure_ascii=False)}' if params else ""
        return head + base + signals + ',"d":{' + ",".join(parts) + "}}"

    def html(self, datasets: dict, params: dict | None = None) -> str:
        """The st.html body for one frame: a host for the chart, and the script that feeds it."""
        text = self.message(datasets, params)
        full = self.last_full_frame
        if len(text) > DEFLATE_ABOVE:
            packed = base64.b64encode(zlib.compress(text.encode(), 6)).decode()
            text = json.dumps({"k": self.key, "z": packed})
        # Streamlit sanitizes st.html with DOMPurify, which drops a script whose text has "<" before
        # a letter, digit, "/" or "!": the script below has no "<" at all
        text = text.replace("<", "\\u003c")
        if full:  # loads the browser half if this tab has not got it yet
            call = ("(function(s,m){var L=window.liveChart;if(L)return L.put(s,m);"
                    "(window.__liveChartQueue=window.__liveChartQueue||[]).push([s,m]);"
                    "if(!window.__liveChartLoading){window.__liveChartLoading=1;"
                    "var e=document.createElement('script');"
                    f"e.src='{self.url}live_chart.js';document.head.appendChild(e)}}}})")
        else:    # queues the frame while it loads
            call = ("(window.liveChart||{put:function(s,m){(window.__liveChartQueue="
                    "window.__liveChartQueue||[]).push([s,m])}}).put")
        return (f'<div class="live-chart" style="min-height:{self.height}px"></div>'
                f"<script>{call}(document.currentScript,{text})</script>")

    def draw(self, slot, params: dict | None = None, **datasets) -> int:
        """Send one frame into `slot` (an st.empty()); returns the bytes of its HTML.

        datasets: name → DataFrame or {column: values}, the whole current data of each dataset.
        params: Vega-Lite parameter values for this frame (e.g. a step number in a title)."""
        body = self.html(datasets, params)
        slot.html(body, unsafe_allow_javascript=True)
        self.last_bytes = len(body.encode())
        return self.last_bytes


def unpack(body: str) -> dict:
    """The message in one frame's st.html body, unpacked as the browser does (for tests)."""
    text = re.search(r"\(document\.currentScript,(.*)\)</script>$", body, re.S).group(1)
    msg = json.loads(text)
    return json.loads(zlib.decompress(base64.b64decode(msg["z"]))) if "z" in msg else msg

"""What the charts of an AppTest run carry: every chart is a LiveChart (ui/charts/live.py), drawn
as an html element; this unpacks them as the browser does, so tests assert on the data shown."""
from __future__ import annotations

import json

from ui.charts.live import unpack


def _column(c):
    return c if isinstance(c, list) else [c["v"][j] for j in c["i"]]


def charts(at) -> dict:
    """{chart key: {"spec": the spec (if the frame carried it), "data": {dataset: {column: list}},
    "params": {name: value}}} from the newest frame of each chart in the app's elements (a full
    frame: the first of a run)."""
    out = {}
    for element in at.get("html"):
        body = element.proto.body
        if "live-chart" not in body:
            continue
        m = unpack(body)
        entry = out.setdefault(m["k"], {"spec": None, "data": {}, "params": {}})
        entry["params"].update(m.get("p") or {})
        if "base" in m:
            entry["spec"] = m["base"]["spec"]
            for name, cols in (m["base"].get("static") or {}).items():
                entry["data"][name] = {k: _column(v) for k, v in cols.items()}
        for name, d in m["d"].items():
            entry["data"][name] = {k: _column(v) for k, v in d["c"].items()}
    return out


def titles(at) -> list[str]:
    """The titles of the charts on the page (as drawn), in order."""
    out = []
    for entry in charts(at).values():
        title = (entry["spec"] or {}).get("title")
        out.append(title["text"] if isinstance(title, dict) else title)
    return out


def spec_text(entry) -> str:
    return json.dumps(entry["spec"], ensure_ascii=False)

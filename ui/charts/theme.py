"""How every chart looks: colours, type sizes, heights, and `spec()`, which finishes a chart.

Every chart of the app goes through `spec()` (docs/ARCHITECTURE.md): the colour-blind palette, type
large enough for the back of a lecture hall (25 % larger in presenter mode), the canvas renderer.
"""
from __future__ import annotations

import json

import altair as alt
import streamlit as st

# Okabe–Ito: categorical colours that stay apart for colour-blind viewers and on a washed-out
# projector (ordered so the first two, train/test or min/max, differ most).
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

# Streamlit fits a chart into its height *including* title, legend and axes. These heights leave
# the plot itself at least 150 px on a 1280×720 projector with the legend above it.
LINE_POINTS = 500         # a line chart gets at most this many points of a run's history
                          # (History.rows, at_most): more do not show on a chart this wide, and on
                          # the moons run the loss chart redrew 12-14 times a second with them
                          # against 7-9 with the up to 2,000 the history keeps (bench_live)
CHART_HEIGHT = 380        # a main chart (the loss, a surface)
SMALL_CHART_HEIGHT = 330  # a chart beside another one
MIN_HEIGHT = 280          # no chart is drawn smaller (tests/test_browser_legibility.py)

# Updates are whole numbers, and before the first one the axis would span [0, 0] and label it
# "0.000000": the step axis always covers at least 0 … 10, wide enough for whole-number ticks in
# every Vega (vl-convert's ignores tickMinStep on a 0 … 1 span).
STEP_AXIS = alt.Axis(tickMinStep=1)
STEP_SCALE = alt.Scale(domain={"unionWith": [0, 10]})

# Legends sit above the plot, one name per line in a narrow chart (a projector's 1280×720 with the
# sidebar open leaves panel columns under 300 px) and two columns from 600 px on; several legends
# of one chart are stacked, not set side by side. The width is the chart's box in the browser
# (Vega's containerSize(); an export has none and gets one column).
LEGEND = dict(orient="top", labelLimit=360, symbolLimit=0,
              columns={"expr": "containerSize()[0] >= 600 ? 2 : 1"})
LEGEND_LAYOUT = {"top": {"direction": "vertical", "anchor": "start"},
                 "bottom": {"direction": "vertical", "anchor": "start"}}

PRESENTER_SCALE = 1.25    # presenter mode's type is this much larger (its CSS: 20 px instead of 16)


def legend(title: str | None = None, **kw) -> alt.Legend:
    """A legend above the plot, wide enough for long run names, wrapping into two columns."""
    return alt.Legend(title=title, **{**LEGEND, **kw})


def literal(text: str) -> str:
    """`text` as a string literal in a Vega expression (a series' name in a calculate transform,
    a label in a condition), Chinese kept as it is."""
    return json.dumps(text, ensure_ascii=False)


def font_scale() -> float:
    return PRESENTER_SCALE if st.session_state.get("presenter") else 1.0


def spec(chart, scale: float | None = None) -> dict:
    """The chart's Vega-Lite dict with the app's theme, without inline data (supplied per frame).

    Named datasets (alt.NamedData, used by live charts) are kept; inline data is dropped.
    `scale` multiplies the type sizes (default: larger in presenter mode)."""
    out = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    inline = set(out.pop("datasets", {}) or {})
    for part in [out, *out.get("layer", [])]:
        data = part.get("data")
        if data is not None and ("values" in data or data.get("name") in inline):
            part.pop("data")
    # Canvas repaints hundreds of marks far faster than SVG rebuilds its DOM (vega-embed reads
    # these options from the spec's usermeta).
    out["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    s = font_scale() if scale is None else scale
    config = out.setdefault("config", {})
    config["range"] = {"category": OKABE_ITO}
    config["axis"] = {"labelFontSize": round(13 * s), "titleFontSize": round(14 * s), "labelLimit": 200}
    config["legend"] = {"labelFontSize": round(13 * s), "titleFontSize": round(13 * s),
                        "layout": LEGEND_LAYOUT}
    title_lines(out)
    config["title"] = {"fontSize": round(16 * s), "subtitleFontSize": round(13 * s), "limit": 0}  # never cut short
    # the frames carry no invalid values (they are dropped or clipped in Python), so Vega can skip
    # its per-point validity filter: it runs in Streamlit's slow CSP-safe expression interpreter
    config["mark"] = {"invalid": None}
    return out


def title_lines(out: dict) -> None:
    """A title string with line breaks ("Decision regions\nand the data") drawn as lines: Vega
    fits a chart to its title, so a title wider than a narrow column leaves no plot at all."""
    title = out.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if isinstance(text, str) and "\n" in text:
        lines = text.split("\n")
        out["title"] = {**title, "text": lines} if isinstance(title, dict) else lines


# strokeDash patterns (dash, gap, …) for telling kinds of line apart
SOLID, DASHED, DOTTED, DASH_DOT = (1, 0), (6, 3), (2, 2), (8, 3, 2, 3)


def solid_then_dashed(kinds: tuple[str, str]) -> alt.Scale:
    """The first kind drawn solid (the per-update curve), the second dashed (test loss, 2/η)."""
    return alt.Scale(domain=list(kinds), range=[list(SOLID), list(DASHED)])

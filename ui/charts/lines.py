"""Line charts over updates (or any x): one named dataset per series, so an animated chart sends
only each series' new points (ui/charts/live.py).

    spec = lines.spec(lines.Lines(title=…, x_title=…, y_title=…, legend_title=…, log=True),
                      series=(("gd", "GD"), ("adam", "Adam", "dashed")))
    chart = LiveChart("lr:loss", spec, height=SMALL_CHART_HEIGHT)
    chart.draw(slot, gd={"x": steps, "y": losses}, adam={...})

A series is (dataset name, visible name) or (dataset, name, "dashed"). Every dataset has columns
x and y. For the start of a long run, `x_log` puts the updates on a log axis (the first 100 of
16,000 updates get a third of the width) and `zoom` lets the class drag and wheel to look closer.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt

from .theme import STEP_AXIS, STEP_SCALE, legend, literal, solid_then_dashed, spec as themed


@dataclass(frozen=True)
class Lines:
    title: str
    x_title: str
    y_title: str
    legend_title: str | None = None
    log: bool = False           # a log y axis (values must be > 0)
    x_log: bool = False         # a log x axis (x must be ≥ 1): the start of a long run
    steps: bool = True          # x counts updates: whole-number ticks, at least 0 … 10
    points: bool = False        # a dot at each point (sparse measurements)
    zoom: bool = False          # drag to pan, wheel to zoom (double click resets)
    y_zero: bool | None = None  # force the y axis to include 0 (None: Vega's default)
    y_domain: tuple | None = None  # a fixed y range (lo, hi), e.g. a bounded quantity
    legend_columns: int | None = None  # fixed columns (None: one in a narrow chart, two in a wide one)


@lru_cache(maxsize=64)
def spec(lines: Lines, series: tuple, scale: float = 1.0) -> dict:
    """The chart: one layer per series, coloured by its name (in the order given), dashed where
    asked."""
    names = [s[1] for s in series]
    if lines.x_log:
        x = alt.X("x:Q", title=lines.x_title, scale=alt.Scale(type="log"))
    elif lines.steps:
        x = alt.X("x:Q", title=lines.x_title, axis=STEP_AXIS, scale=STEP_SCALE)
    else:
        x = alt.X("x:Q", title=lines.x_title)
    y_scale = alt.Scale(type="log") if lines.log else alt.Scale(zero=lines.y_zero) \
        if lines.y_zero is not None else alt.Undefined
    if lines.y_domain is not None:
        y_scale = alt.Scale(domain=list(lines.y_domain), type="log" if lines.log else "linear")
    y = alt.Y("y:Q", title=lines.y_title, scale=y_scale)
    color = alt.Color("series:N", scale=alt.Scale(domain=names), legend=legend(lines.legend_title, **(
        {} if lines.legend_columns is None else {"columns": lines.legend_columns})))
    dash = alt.StrokeDash("dash:N", legend=None, scale=solid_then_dashed(("solid", "dashed")))
    layers = []
    for s in series:
        dataset, name = s[0], s[1]
        style = s[2] if len(s) > 2 else "solid"
        mark = dict(clip=True, strokeWidth=1.8)
        if lines.points:
            mark["point"] = alt.OverlayMarkDef(size=16)
        layers.append(alt.Chart(alt.NamedData(dataset)).transform_calculate(
            series=literal(name), dash=literal(style))
            .mark_line(**mark).encode(x=x, y=y, color=color, strokeDash=dash, order="x:Q"))
    chart = alt.layer(*layers)
    if lines.zoom:
        chart = chart.add_params(alt.selection_interval(bind="scales", encodings=["x"]))
    return themed(chart.properties(title=lines.title), scale)

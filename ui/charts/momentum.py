"""The momentum page's charts: the two balls on the 1-D curve, their paths on the 2-D surface, and
m split into its terms.

Each is a LiveChart (ui/charts/live.py): the curve and the heat map go to the browser once per
script run; each frame adds the paths' newest points, the two balls, and the bars (at most
SHOWN_TERMS + 1 of them). The step number in the bars' titles is a Vega-Lite parameter, so the
spec never changes while the animation plays.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt

from lib.lecture import momentum as mo

from . import surfaces
from .theme import legend, literal, spec as themed

GRID = 36   # heat-map cells per side


@dataclass(frozen=True)
class Words:
    """The visible words of the page's charts, translated once per script run."""
    gd: str            # the two runs' names
    gdm: str
    loss: str
    series: str
    curve_title: str
    surface_title: str
    weight_axis: str
    term_axis: str
    weight_series: str
    term_series: str
    m_series: str
    weights_title: str  # with "{i}": the step, filled in by the browser
    terms_title: str


def title_expr(template: str) -> dict:
    """A title with "{i}" in it, as a Vega expression of the parameter `step`."""
    before, after = template.split("{i}", 1)
    return {"expr": f"{literal(before)} + step + {literal(after)}"}


# -- the ball on the curve ---------------------------------------------------------------------------
@lru_cache(maxsize=8)
def curve_spec(w: Words, scale: float) -> dict:
    x = alt.X("x:Q", title="w₁", scale=alt.Scale(domain=list(mo.X_RANGE), nice=False))
    y = alt.Y("loss:Q", title=w.loss)
    line = alt.Chart(alt.NamedData("curve")).mark_line(color="#888").encode(x=x, y=y)
    balls = alt.Chart(alt.NamedData("balls")).mark_circle(
        size=220, opacity=0.9, stroke="black", strokeWidth=1).encode(
        x=x, y=y, color=alt.Color("series:N", scale=alt.Scale(domain=[w.gd, w.gdm]),
                                  legend=legend(w.series)))
    return themed(alt.layer(line, balls).properties(title=w.curve_title), scale)


def curve_points() -> dict:
    x, loss = mo.curve_points()
    return {"x": x, "loss": loss}


def balls(paths, i: int, w: Words) -> dict:
    """Where each ball is at step i (a path that ended early stays at its end)."""
    at = [min(i, p.steps) for p in paths]
    return {"x": [p.theta[j, 0] for p, j in zip(paths, at)],
            "loss": [p.losses[j] for p, j in zip(paths, at)], "series": [w.gd, w.gdm]}


# -- the paths on the surface --------------------------------------------------------------------------
def surface(w: Words) -> surfaces.Surface:
    # darker = lower loss, as the page's text says; the paths in colour over the greys
    return surfaces.Surface(title=w.surface_title, color_title=w.loss, x_domain=mo.X_RANGE,
                            y_domain=mo.W2_RANGE, legend_title=w.series, scheme="greys",
                            reverse=True)


@lru_cache(maxsize=8)
def surface_spec(w: Words, scale: float) -> dict:
    return surfaces.spec(surface(w), paths=(("path0", w.gd), ("path1", w.gdm)), scale=scale)


@lru_cache(maxsize=1)
def surface_cells() -> dict:
    return surfaces.cells(mo.surface, (mo.X_RANGE[0], mo.W2_RANGE[0]), (mo.X_RANGE[1], mo.W2_RANGE[1]),
                          GRID)


def paths(pair, i: int) -> dict:
    """Both paths up to step i: only grows while i does, so a frame sends the newest points."""
    return {f"path{n}": surfaces.path_data(p.theta[:min(i, p.steps) + 1]) for n, p in enumerate(pair)}


# -- m split into its terms ------------------------------------------------------------------------------
def _bars(dataset: str, name: str, x_title: str, y_title: str, names: list) -> alt.Chart:
    return alt.Chart(alt.NamedData(dataset)).transform_calculate(series=literal(name)).mark_bar().encode(
        x=alt.X("k:O", title=x_title), y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", scale=alt.Scale(domain=names), legend=legend(None)))


def _with_step(chart, template: str, scale: float) -> dict:
    out = themed(chart, scale)
    out["title"] = {"text": title_expr(template)}
    out["params"] = [*out.get("params", []), {"name": "step", "value": 0}]
    return out


@lru_cache(maxsize=8)
def weights_spec(w: Words, scale: float) -> dict:
    bars = _bars("weights", w.weight_series, "k", w.weight_axis, [w.weight_series])
    return _with_step(bars, w.weights_title, scale)


@lru_cache(maxsize=8)
def terms_spec(w: Words, scale: float) -> dict:
    names = [w.term_series, w.m_series]
    chart = alt.layer(_bars("terms", w.term_series, "k", w.term_axis, names),
                      _bars("sum", w.m_series, "k", w.term_axis, names))
    return _with_step(chart, w.terms_title, scale)


def bars(d: mo.Decomposition, i: int) -> tuple[dict, dict]:
    """(weights' datasets, terms' datasets) at step i: the last terms and their sum m^i at k = i."""
    return ({"weights": {"k": d.ks, "value": d.weights}},
            {"terms": {"k": d.ks, "value": d.terms}, "sum": {"k": [i], "value": [d.actual]}})

"""The overfitting page's charts (lecture section 8): the bound against N, the simulated share of
bad training sets under it, the gaps of one N's training sets, and the trade-off between |H| and N.

Every spec is cached per words and type scale (presenter mode), finished by theme.spec(), and
drawn as a LiveChart (ui/charts/live.py): the simulation's chart gets the bound once (static) and
then only the N values finished since the last frame.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from .theme import OKABE_ITO, legend, literal, spec

P_FLOOR = 1e-12   # a log axis cannot show 0: bounds below this are drawn at it
BINS = 40         # the gap histogram's bars
RULE = OKABE_ITO[1]  # the reference marks (N chosen, ε): vermillion, apart from the data's blue


def _log_n(title: str, base: int = 10) -> alt.X:
    return alt.X("x:Q", title=title, scale=alt.Scale(type="log", base=base))


# -- 1 the bound against N ------------------------------------------------------------------------
@dataclass(frozen=True)
class BoundWords:
    title: str
    n: str
    p: str
    legend: str | None   # the legend's title (None: the names speak for themselves)
    bound: str
    one: str
    here: str


@lru_cache(maxsize=16)
def bound_spec(w: BoundWords, scale: float) -> dict:
    """The bound (dataset "bound": x, y) on log–log axes, the line where it reaches probability 1
    (dashed) and the N chosen (dataset "here": x)."""
    names = [w.bound, w.one, w.here]
    color = alt.Color("series:N", scale=alt.Scale(domain=names, range=[OKABE_ITO[0], "#777777", RULE]),
                      legend=legend(w.legend))
    y = alt.Y("y:Q", title=w.p, scale=alt.Scale(type="log"))
    line = alt.Chart(alt.NamedData("bound")).transform_calculate(series=literal(w.bound)).mark_line(
        strokeWidth=2.2, clip=True).encode(x=_log_n(w.n), y=y, color=color)
    one = alt.Chart(alt.NamedData("one")).transform_calculate(series=literal(w.one)).mark_rule(
        strokeDash=[6, 4], strokeWidth=1.5).encode(y="y:Q", color=color)
    here = alt.Chart(alt.NamedData("here")).transform_calculate(series=literal(w.here)).mark_rule(
        strokeWidth=2).encode(x="x:Q", color=color)
    return spec(alt.layer(line, one, here).properties(title=w.title), scale)


def bound_data(ns, values, n: int) -> dict:
    return {"bound": {"x": np.asarray(ns, float), "y": np.maximum(np.asarray(values, float), P_FLOOR)},
            "one": {"y": [1.0]}, "here": {"x": [float(n)]}}


# -- 2 the simulation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SimWords:
    title: str
    n: str
    p: str
    legend: str | None
    simulated: str
    bound: str


@lru_cache(maxsize=16)
def simulation_spec(w: SimWords, scale: float) -> dict:
    """The simulated share of bad sets with ±2 standard errors (dataset "sim": x, y, lo, hi, one
    row per finished N) under the bound clipped at 1 (static dataset "bound": x, y)."""
    color = alt.Color("series:N", scale=alt.Scale(domain=[w.simulated, w.bound]),
                      legend=legend(w.legend))
    x = _log_n(w.n)
    y = alt.Y("y:Q", title=w.p, scale=alt.Scale(domain=[0, 1]))
    bound = alt.Chart(alt.NamedData("bound")).transform_calculate(series=literal(w.bound)).mark_line(
        strokeDash=[6, 3], strokeWidth=2, point=alt.OverlayMarkDef(size=20)).encode(
        x=x, y=y, color=color)
    sim = alt.Chart(alt.NamedData("sim")).transform_calculate(series=literal(w.simulated))
    share = sim.mark_line(strokeWidth=2.2, point=alt.OverlayMarkDef(size=40)).encode(
        x=x, y=y, color=color, order="x:Q")
    errors = sim.mark_rule(strokeWidth=1.5).encode(x=x, y="lo:Q", y2="hi:Q", color=color)
    return spec(alt.layer(bound, errors, share).properties(title=w.title), scale)


def simulation_data(trials) -> dict:
    """The finished N values of a sweep (lib.lecture.overfit.Trial), in order."""
    share = np.array([tr.bad_share for tr in trials], float)
    se = np.array([tr.std_error for tr in trials], float)
    return {"sim": {"x": np.array([tr.n for tr in trials], float), "y": share,
                    "lo": np.maximum(0.0, share - 2 * se), "hi": np.minimum(1.0, share + 2 * se)}}


def bound_clipped(ns, bounds) -> dict:
    return {"x": np.asarray(ns, float), "y": np.minimum(1.0, np.asarray(bounds, float))}


@dataclass(frozen=True)
class GapWords:
    title: str
    gap: str
    count: str
    eps: str


@lru_cache(maxsize=16)
def gaps_spec(w: GapWords, scale: float) -> dict:
    """One N's training sets by their largest gap max_h |L_train − L_all| (dataset "bins": x, x2,
    count, binned here), and ε (dataset "eps": x): sets right of it are bad."""
    bars = alt.Chart(alt.NamedData("bins")).mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("x:Q", title=w.gap), x2="x2:Q", y=alt.Y("count:Q", title=w.count), y2=alt.datum(0))
    eps = alt.Chart(alt.NamedData("eps")).transform_calculate(series=literal(w.eps)).mark_rule(
        strokeWidth=2.5).encode(x="x:Q", color=alt.Color(
            "series:N", scale=alt.Scale(domain=[w.eps], range=[RULE]), legend=legend(None)))
    return spec(alt.layer(bars, eps).properties(title=w.title), scale)


def gaps_data(worst_gap, eps: float) -> dict:
    """A histogram of the gaps, binned in Python: 40 bars travel, not thousands of values."""
    gaps = np.asarray(worst_gap, float)
    if len(gaps):
        counts, edges = np.histogram(gaps, bins=BINS, range=(0.0, max(float(gaps.max()), eps) * 1.02))
    else:
        counts, edges = np.zeros(0), np.zeros(1)
    return {"bins": {"x": edges[:-1], "x2": edges[1:], "count": counts.astype(float)},
            "eps": {"x": [float(eps)]}}


# -- 3 the trade-off ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TradeWords:
    title: str
    size: str
    best: str
    needed: str


@lru_cache(maxsize=16)
def best_spec(w: TradeWords, scale: float) -> dict:
    """L_all(h_all) (solid, left axis) and the N the bound asks for (dashed, right axis) against
    |H| (dataset "trade": x, best, needed); each axis title in its line's colour."""
    x = _log_n(w.size, base=2)
    best = alt.Chart(alt.NamedData("trade")).mark_line(
        color=OKABE_ITO[0], strokeWidth=2.2, point=alt.OverlayMarkDef(color=OKABE_ITO[0])).encode(
        x=x, y=alt.Y("best:Q", title=w.best, axis=alt.Axis(titleColor=OKABE_ITO[0])))
    need = alt.Chart(alt.NamedData("trade")).mark_line(
        color=OKABE_ITO[1], strokeWidth=2.2, strokeDash=[6, 3],
        point=alt.OverlayMarkDef(color=OKABE_ITO[1])).encode(
        x=x, y=alt.Y("needed:Q", title=w.needed, axis=alt.Axis(titleColor=OKABE_ITO[1], orient="right")))
    return spec(alt.layer(best, need).resolve_scale(y="independent").properties(title=w.title), scale)


def trade_data(rows) -> dict:
    return {"trade": {"x": np.array([r["size"] for r in rows], float),
                      "best": np.array([r["best_loss"] for r in rows], float),
                      "needed": np.array([r["n_needed"] for r in rows], float)}}


@dataclass(frozen=True)
class PickedWords:
    title: str
    size: str
    loss: str
    legend: str | None
    series: tuple   # the visible name of each N's line, in the order of the N values


@lru_cache(maxsize=16)
def picked_spec(w: PickedWords, scale: float) -> dict:
    """Mean L_all(h_train) against |H|, one line per N (datasets n0, n1, …: x, y)."""
    x = _log_n(w.size, base=2)
    y = alt.Y("y:Q", title=w.loss, scale=alt.Scale(zero=False))
    color = alt.Color("series:N", scale=alt.Scale(domain=list(w.series)),
                      legend=legend(w.legend, columns=len(w.series)))   # short names: one row
    layers = [alt.Chart(alt.NamedData(f"n{i}")).transform_calculate(series=literal(name))
              .mark_line(strokeWidth=2.2, point=alt.OverlayMarkDef(size=30)).encode(x=x, y=y, color=color)
              for i, name in enumerate(w.series)]
    return spec(alt.layer(*layers).properties(title=w.title), scale)


def picked_data(rows, ns) -> dict:
    out = {}
    for i, n in enumerate(ns):
        at_n = sorted((r for r in rows if r["n"] == n), key=lambda r: r["size"])
        out[f"n{i}"] = {"x": np.array([r["size"] for r in at_n], float),
                        "y": np.array([r["loss"] for r in at_n], float)}
    return out

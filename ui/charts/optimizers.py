"""The optimizers page's charts (lecture section 9): the race's losses and the online problem's
x_t and average regret as line charts (ui/charts/lines.py, one dataset per optimizer, so a frame
sends only each one's new points), and the online/offline pictures.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from . import lines
from .theme import OKABE_ITO, literal, spec

LOG_FLOOR = 1e-8   # a log axis cannot show 0 (or a negative average regret): rows below are left out

# Heights (title, legend and axes included) that leave each plot at least 150 px at 1280×720 with
# presenter mode's larger type (measured in Chromium): the race's legend names seven optimizers
# in four rows; the online charts' legends stack their three names (one is long).
RACE_HEIGHT = 440
ONLINE_HEIGHT = 420
PICTURE_HEIGHT = 360


def race_series(names: tuple, labels: tuple) -> tuple:
    """One dataset per racer, named by its optimizer key, shown by its visible name."""
    return tuple(zip(names, labels))


def race_spec(title: str, x_title: str, y_title: str, legend_title: str, series: tuple,
              scale: float) -> dict:
    """A race loss (train or test, full set, log axis) per optimizer against updates; drag or
    wheel to look closer at the start."""
    return lines.spec(lines.Lines(title=title, x_title=x_title, y_title=y_title,
                                  legend_title=legend_title, log=True, zoom=True), series, scale)


def race_data(runs, column: str) -> dict:
    """Each run's evaluations of `column` (a history that only grows: each frame sends its news)."""
    out = {}
    for run in runs:
        ev = run.evals.rows("step", column, newest=False)
        x, y = np.asarray(ev["step"], float), np.asarray(ev[column], float)
        keep = np.isfinite(y) & (y > LOG_FLOOR)
        out[run.config.optimizer] = {"x": x[keep], "y": y[keep]}
    return out


def online_spec(title: str, x_title: str, y_title: str, legend_title: str, series: tuple,
                scale: float, regret: bool) -> dict:
    """x_t (fixed range −1 … 1) or the average regret (log axis) per learner against t; the
    reference line (the optimum, or always +1) is the dataset "ref", dashed, sent once."""
    return lines.spec(lines.Lines(title=title, x_title=x_title, y_title=y_title,
                                  legend_title=legend_title, log=regret, zoom=True,
                                  y_domain=None if regret else (-1.05, 1.05), legend_columns=1),
                      series, scale)


def online_data(learners: dict, key: str) -> dict:
    """Each learner's record, one point per period of 101 steps (bounded in lib.lecture.online)."""
    out = {}
    for rule, run in learners.items():
        rows = run.history.rows("t", key, newest=False)
        x, y = np.asarray(rows["t"], float), np.asarray(rows[key], float)
        keep = np.isfinite(y) & ((y > LOG_FLOOR) if key == "avg_regret" else True)
        out[rule] = {"x": x[keep], "y": y[keep]}
    return out


def reference(t_from: int, t_to: int, value: float) -> dict:
    """A horizontal reference line over the whole run (its x range fixes the axis from the start,
    so the curves grow towards its end: the chart is its own progress bar)."""
    return {"ref": {"x": [float(t_from), float(t_to)], "y": [float(value)] * 2}}


# -- online versus offline ------------------------------------------------------------------------
@dataclass(frozen=True)
class PictureWords:
    title: str
    seen: str
    unseen: str


@lru_cache(maxsize=16)
def picture_spec(w: PictureWords, scale: float) -> dict:
    """Training points (dataset "points": x1, x2, seen), the visible ones in colour."""
    color = alt.Color("label:N", scale=alt.Scale(domain=[w.seen, w.unseen], range=[OKABE_ITO[1], "#cccccc"]),
                      legend=alt.Legend(orient="top", title=None, labelLimit=360))
    chart = alt.Chart(alt.NamedData("points")).transform_calculate(
        label=f"datum.seen ? {literal(w.seen)} : {literal(w.unseen)}").mark_circle(size=90, opacity=1).encode(
        x=alt.X("x1:Q", title="x₁"), y=alt.Y("x2:Q", title="x₂"), color=color)
    return spec(chart.properties(title=w.title), scale)


def picture_data(points: np.ndarray, seen: np.ndarray) -> dict:
    return {"points": {"x1": points[:, 0], "x2": points[:, 1], "seen": np.asarray(seen, int)}}

"""The first updates of the training panel's runs on a chart of their own.

A lesson that asks about the start of a long run (warmup's first updates, SGD vs SGD with
momentum over the first 500) needs that start across the whole width, not in the first pixels of
an axis of thousands of updates (issue 18). The chart fills up to `n` updates and then stays; a
page draws it from the panel's `on_frame`, so it grows with the panel's own charts.

    panel(NS, …, on_frame=first_updates.on_frame("lr_page:first", title, words, n=300))
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import streamlit as st

from . import lines
from .live import LiveChart
from .theme import CHART_HEIGHT, font_scale
from .training import LOG_FLOOR


@lru_cache(maxsize=16)
def spec(title: str, x_title: str, y_title: str, legend_title: str, labels: tuple,
         scale: float = 1.0) -> dict:
    """The training loss of each run (dataset run0, run1, …) on a log axis, dragged and wheeled
    to look closer."""
    series = tuple((f"run{i}", label or y_title) for i, label in enumerate(labels))
    return lines.spec(lines.Lines(title=title, x_title=x_title, y_title=y_title,
                                  legend_title=legend_title, log=True, zoom=True), series, scale)


def data(runs, n: int) -> dict:
    """Each run's training loss at updates 1 … n (as far as it has come): {run<i>: {x, y}}."""
    out = {}
    for i, run in enumerate(runs):
        h = run.history.rows("step", "loss", newest=False)
        step = np.asarray(h["step"], dtype=float)
        loss = np.asarray(h["loss"], dtype=float)
        keep = (step <= n) & np.isfinite(loss)
        out[f"run{i}"] = {"x": step[keep], "y": np.maximum(loss[keep], LOG_FLOOR)}
    return out


def on_frame(key: str, title: str, words: tuple[str, str, str], n: int):
    """The panel's on_frame that draws this chart under its charts every frame; words are the
    (x, y, legend) titles. The chart is made once per script run and per set of runs."""
    made = {}

    def draw(state) -> None:
        labels = tuple(state.labels)
        if labels not in made:
            made[labels] = LiveChart(key, spec(title, *words, labels, font_scale()), height=CHART_HEIGHT)
        made[labels].draw(st, **data(state.runs, n))   # st: on_frame runs inside its container
    return draw

"""The classification-loss page's own charts (lecture section 7): each loss over two logits as a
heat map with the descent path and its start marked, and the live gradient norm of the network
runs. Its per-step curves are `lines` charts.

The start is a red diamond, which the page's text names (ui/strings/classification_loss.py).
"""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np

from . import surfaces
from .lines import Lines, spec as lines_spec
from .theme import LINE_POINTS

START_MARK = dict(color="red", shape="diamond")
LOG_FLOOR = 1e-12   # a log axis cannot show an exact 0: gradient norms below this are drawn at it


@lru_cache(maxsize=16)
def surface_spec(surface: surfaces.Surface, path_name: str, scale: float = 1.0) -> dict:
    """The heat map (static dataset `grid`), the path (`path0`) and its start (`start`: x, y)."""
    x, y = surfaces.axes(surface)
    start = alt.Chart(alt.NamedData("start")).mark_point(size=160, filled=True, clip=True,
                                                         **START_MARK).encode(x=x, y=y)
    # surfaces.spec caches its result, which needs hashable arguments; an extra Altair layer is
    # not hashable, so this builds it uncached and caches here, on hashable arguments
    return surfaces.spec.__wrapped__(surface, ((("path0", path_name),)), (start,), scale)


def start_data(points) -> dict:
    p = np.asarray(points, float).reshape(-1, 2)
    return {"x": p[:1, 0], "y": p[:1, 1]}


@lru_cache(maxsize=16)
def per_step_spec(title: str, x_title: str, y_title: str, legend_title: str, names: tuple,
                  scale: float = 1.0, zoom: bool = False) -> dict:
    """A value per step on a log axis, one series per (dataset, name) in `names`."""
    return lines_spec(Lines(title=title, x_title=x_title, y_title=y_title, legend_title=legend_title,
                            log=True, zoom=zoom), names, scale)


def _finite(x, y) -> dict:
    """Points for a log axis: a diverged step (NaN, inf) left out, 0 drawn at LOG_FLOOR."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = np.isfinite(y)
    return {"x": x[keep], "y": np.maximum(y[keep], LOG_FLOOR)}


def per_step(values) -> dict:
    return _finite(np.arange(len(values)), values)


def grad_norms(runs) -> dict:
    """Each run's gradient norm at every recorded update: dataset `run{i}` (x, y); the points
    the history keeps, which grow frame by frame (History.rows, newest=False)."""
    data = {}
    for i, run in enumerate(runs):
        h = run.history.rows("step", "grad_norm", newest=False, at_most=LINE_POINTS)
        data[f"run{i}"] = _finite(h["step"], h["grad_norm"])
    return data

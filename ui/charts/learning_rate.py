"""The learning-rate page's charts: four optimizers' paths on the valley, their loss, ‖g‖, σ and
effective step η/σ over updates, Adagrad's late burst, and the schedules.

The animated ones are LiveCharts (ui/charts/live.py): the valley's heat map goes to the browser
once per script run, and each frame adds every series' newest points (a run's records only grow
at their end, so nothing is thinned or re-sent).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lib.lecture import surface_runs as sr

from . import lines, surfaces
from .theme import OKABE_ITO

LO, HI = (-2.0, -1.2), (2.0, 1.2)   # the valley's box: the start (−1.8, 0.6) and the minimum
GRID = 36                           # heat-map cells per side
FLOOR = 1e-12                       # log axes: the runs converge to 1e-300 and below
ADAPTIVE = ("adagrad", "rmsprop", "adam")


@dataclass(frozen=True)
class Words:
    """The visible words of the page's charts, translated once per script run."""
    rules: tuple        # the four methods' names, in sr.RULES order
    method: str
    series: str
    loss: str
    grad: str
    updates: str
    path_title: str
    loss_title: str
    grad_title: str
    sigma_title: str
    eff_title: str


def positive(y) -> dict:
    """A series over updates t = 0, 1, … for a log axis: only finite values, none below FLOOR.
    Row t depends only on y[t], so the dataset only grows at its end as y does."""
    y = np.asarray(y, dtype=float)
    t = np.arange(len(y), dtype=float)
    keep = np.isfinite(y)
    return {"x": t[keep], "y": np.maximum(y[keep], FLOOR)}


# -- the valley ------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def path_spec(w: Words, scale: float) -> dict:
    surface = surfaces.Surface(title=w.path_title, color_title=w.loss, x_domain=(LO[0], HI[0]),
                               y_domain=(LO[1], HI[1]), legend_title=w.method, scheme="greys",
                               color_type="sqrt", opacity=0.55)
    paths = tuple((f"path{i}", name) for i, name in enumerate(w.rules))
    return surfaces.spec(surface, paths=paths, scale=scale)


@lru_cache(maxsize=1)
def valley_cells() -> dict:
    return surfaces.cells(sr.valley, LO, HI, GRID)


# -- the records of the four runs -------------------------------------------------------------------
def _lines(title: str, y_title: str, w: Words, legend_title: str, log: bool = True) -> lines.Lines:
    return lines.Lines(title=title, x_title=w.updates, y_title=y_title, legend_title=legend_title,
                       log=log)


def _colours(spec: dict, rules: tuple) -> dict:
    """Each method in its colour on the valley (by its place in sr.RULES), whichever methods a
    chart shows."""
    colors = [OKABE_ITO[sr.RULES.index(r)] for r in rules]

    def fix(node):
        if isinstance(node, dict):
            color = node.get("color")
            if isinstance(color, dict) and color.get("field") == "series":
                color.setdefault("scale", {})["range"] = colors
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)
    fix(spec)
    return spec


@lru_cache(maxsize=8)
def loss_spec(w: Words, scale: float) -> dict:
    return _colours(lines.spec(_lines(w.loss_title, w.loss, w, w.method),
                               tuple((r, name) for r, name in zip(sr.RULES, w.rules)), scale), sr.RULES)


@lru_cache(maxsize=8)
def grad_spec(w: Words, scale: float) -> dict:
    return _colours(lines.spec(_lines(w.grad_title, w.grad, w, w.method),
                               tuple((r, name) for r, name in zip(sr.RULES, w.rules)), scale), sr.RULES)


def _per_parameter(w: Words) -> tuple:
    """A colour per method, solid for w₁ and dashed for w₂ (the title says which is which)."""
    names = dict(zip(sr.RULES, w.rules))
    return tuple((f"{r}{i}", names[r], "dashed" if i else "solid") for r in ADAPTIVE for i in (0, 1))


@lru_cache(maxsize=8)
def sigma_spec(w: Words, scale: float) -> dict:
    return _colours(lines.spec(_lines(w.sigma_title, "σ", w, w.method), _per_parameter(w), scale),
                    ADAPTIVE)


@lru_cache(maxsize=8)
def eff_spec(w: Words, scale: float) -> dict:
    return _colours(lines.spec(_lines(w.eff_title, "η/σ", w, w.method), _per_parameter(w), scale),
                    ADAPTIVE)


def frame(runs: dict) -> dict:
    """Every animated chart's datasets: {"path": …, "loss": …, "grad": …, "sigma": …, "eff": …}."""
    out = {"path": {}, "loss": {}, "grad": {}, "sigma": {}, "eff": {}}
    for i, rule in enumerate(sr.RULES):
        run = runs[rule]
        s = sr.series(run)
        out["path"][f"path{i}"] = surfaces.path_data(run.path)
        out["loss"][rule] = positive(s["loss"])
        out["grad"][rule] = positive(s["grad"])
        if rule in ADAPTIVE:
            for j in (0, 1):
                out["sigma"][f"{rule}{j}"] = positive(s["sigma"][:, j])
                out["eff"][f"{rule}{j}"] = positive(s["step"][:, j])
    return out


# -- Adagrad's late burst, and the schedules: drawn once ----------------------------------------------
@lru_cache(maxsize=1)
def burst() -> dict:
    """Adagrad with a fixed and a decaying η (lib.lecture.surface_runs.adagrad_pair): the datasets
    of the two charts and the numbers the page quotes (the largest sideways step after the first
    tenth: its update t and size, and the decaying run's)."""
    pair = sr.adagrad_pair()
    names = {False: "fixed", True: "decay"}
    w2 = {names[d]: {"x": np.arange(len(run.path), dtype=float), "y": np.asarray(run.path)[:, 1]}
          for d, run in pair.items()}
    eff = {names[d]: positive(sr.series(run)["step"][:, 1]) for d, run in pair.items()}
    eff["limit"] = {"x": [0.0, float(sr.LIMIT)], "y": [2 / sr.B, 2 / sr.B]}
    (t, size), (_, after) = sr.sideways_burst(pair[False]), sr.sideways_burst(pair[True])
    return {"w2": w2, "eff": eff, "found": {"t": t, "size": size, "after": after}}


@lru_cache(maxsize=8)
def burst_w2_spec(title: str, w: Words, names: tuple, scale: float) -> dict:
    return lines.spec(_lines(title, "w₂", w, w.series, log=False),
                      (("fixed", names[0]), ("decay", names[1])), scale)


@lru_cache(maxsize=8)
def burst_eff_spec(title: str, w: Words, names: tuple, scale: float) -> dict:
    spec = lines.spec(_lines(title, "η/σ₂", w, w.series),
                      (("fixed", names[0]), ("decay", names[1]), ("limit", names[2], "dashed")), scale)
    return _colours(spec, ("gd", "adagrad", "rmsprop"))  # its colours as they were


@lru_cache(maxsize=8)
def schedule_spec(title: str, y_title: str, w: Words, names: tuple, scale: float) -> dict:
    """The schedules over updates; drag and wheel to look at the warmup's first updates."""
    return lines.spec(lines.Lines(title=title, x_title=w.updates, y_title=y_title,
                                  legend_title=w.series, zoom=True),
                      tuple(zip(sr.SCHEDULES_SHOWN, names)), scale)

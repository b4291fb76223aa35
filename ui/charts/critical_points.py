"""The Critical points page's charts: the error surface with its critical points, the Hessian's
eigenvectors and the descent paths; the live readout of the panel's runs (‖g‖, λ_min, λ_max,
minimum ratio); the many-short-runs scatter. Each is a LiveChart (ui/charts/live.py).

The surface's heat map, the valley of minima, the critical points, the chosen point and its
eigenvectors are static layers (they change only with a click, which starts a new script run):
a frame of the descent animation carries only the paths' new points.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from lib.lecture import critical

from . import lines, surfaces
from .live import LiveChart
from .theme import CHART_HEIGHT, legend, spec as themed

SURFACE_HEIGHT = 460   # the map is the section's picture: square-ish beside the numbers
READOUT_HEIGHT = 420   # title, a legend row per run and the axis leave a plot ≥ 150 px (presenter, 1280 px)
GRID = 50              # heat-map cells per side
PATHS = tuple(f"path{i}" for i in range(critical.MAX_STARTS))
LOG_FLOOR = 1e-12      # ‖g‖ on a log axis: an exact zero is drawn at this floor
EIG_COLORS = ["#ff3b3b", "#ffd23b"]  # v₁ (the smaller eigenvalue) red, v₂ yellow: both clear on viridis


# -- the error surface --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SurfaceWords:
    title: str
    color_title: str
    marks_title: str     # the legend of the critical points' shapes
    vectors_title: str   # the legend of the eigenvector arrows


def surface_of(name: str, w: SurfaceWords) -> surfaces.Surface:
    lo, hi = critical.BOX
    # √ colour scale on the lecture's toy: its loss runs from 0 to ~25, the interesting part below 1
    return surfaces.Surface(title=w.title, color_title=w.color_title, x_domain=(lo, hi), y_domain=(lo, hi),
                            color_type="sqrt" if name == "toy" else "linear", path_color="white")


@lru_cache(maxsize=16)
def surface_spec(name: str, w: SurfaceWords, scale: float) -> dict:
    surface = surface_of(name, w)
    x, y = surfaces.axes(surface)
    valley = alt.Chart(alt.NamedData("valley")).mark_line(
        color="#ff5ca8", strokeWidth=3, strokeDash=[6, 3], clip=True).encode(
        x=x, y=y, detail="id:N", order="order:Q")
    vectors = alt.Chart(alt.NamedData("eig")).mark_rule(strokeWidth=3, clip=True).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("label:N", scale=alt.Scale(range=EIG_COLORS),
                        legend=legend(w.vectors_title, orient="bottom", columns=1)))
    marks = alt.Chart(alt.NamedData("crit")).mark_point(
        filled=True, size=140, stroke="black", strokeWidth=1, color="white", clip=True).encode(
        x=x, y=y, shape=alt.Shape("label:N", legend=legend(w.marks_title, orient="bottom", columns=1)))
    pick = alt.Chart(alt.NamedData("pick")).mark_point(
        shape="cross", filled=True, size=260, color="#ff3b3b", stroke="white", strokeWidth=1).encode(x=x, y=y)
    paths = tuple((p, str(i + 1)) for i, p in enumerate(PATHS))
    # surfaces.spec caches on its arguments, and Altair layers are not hashable: cached here instead
    return surfaces.spec.__wrapped__(surface, paths, (valley, vectors, marks, pick), scale)


@lru_cache(maxsize=4)
def grid(name: str) -> dict:
    lo, hi = critical.BOX
    return surfaces.cells(critical.SURFACES[name], (lo, lo), (hi, hi), GRID)


def surface_static(name: str, analysis: dict, kind_names: dict, vector_names: tuple) -> dict:
    """What the map shows that changes only with a click: heat map, valley, critical points (named
    by `kind_names`), the chosen point and its two eigenvectors (named by `vector_names`)."""
    valley = {"x": [], "y": [], "id": [], "order": []}
    if name == "toy":
        for i, branch in enumerate(critical.minimum_valley()):
            valley["x"] += list(branch[:, 0])
            valley["y"] += list(branch[:, 1])
            valley["id"] += [f"v{i}"] * len(branch)
            valley["order"] += list(range(len(branch)))
    crit = critical.critical_points(name)
    p, vecs = analysis["point"], analysis["eigenvectors"]
    half = 0.5  # arrow length on the map
    eig = {"x": [p[0]] * 2, "y": [p[1]] * 2,
           "x2": [p[0] + half * vecs[0, j] for j in range(2)], "y2": [p[1] + half * vecs[1, j] for j in range(2)],
           "label": list(vector_names)}
    return {"grid": grid(name), "valley": valley, "eig": eig, "pick": {"x": [p[0]], "y": [p[1]]},
            "crit": {"x": [c[0] for c in crit], "y": [c[1] for c in crit],
                     "label": [kind_names[c[2]] for c in crit]}}


def surface_chart(key: str, name: str, w: SurfaceWords, static: dict, scale: float) -> LiveChart:
    return LiveChart(key, surface_spec(name, w, scale), height=SURFACE_HEIGHT, static=static)


def paths_data(paths) -> dict:
    """Every path slot's points (empty where there is no path): each dataset only grows."""
    out = {}
    for i, name in enumerate(PATHS):
        out[name] = surfaces.path_data(paths[i]) if i < len(paths) else surfaces.path_data(np.empty((0, 2)))
    return out


# -- the panel's runs: ‖g‖, λ_min, λ_max and the minimum ratio over updates ---------------------------
@dataclass(frozen=True)
class ReadoutWords:
    updates: str
    grad_title: str
    grad_axis: str
    lam_min_title: str
    lam_max_title: str
    eigenvalue: str
    ratio_title: str
    ratio_axis: str


READOUTS = ("grad", "lam_min", "lam_max", "ratio")


def one_column_legend(spec: dict) -> dict:
    """The spec with its run legend in one column: these charts stand two abreast, and two long
    run names side by side ("Units per layer = 6") were cut at 1280 px. The runs name themselves:
    the legend has no title, which saves a row of the plot's height."""
    out = copy.deepcopy(spec)  # lines.spec is cached: never change its dict
    for layer in out.get("layer", []):
        legend_ = layer.get("encoding", {}).get("color", {}).get("legend")
        if legend_:
            legend_.update(columns=1)
    return out


@lru_cache(maxsize=16)
def readout_specs(labels: tuple, w: ReadoutWords, scale: float) -> dict:
    """One line chart per quantity, a line per run (dataset `<quantity><i>`)."""
    series = {q: tuple((f"{q}{i}", label) for i, label in enumerate(labels)) for q in READOUTS}
    common = dict(x_title=w.updates, points=True, zoom=True)
    specs = {
        "grad": lines.spec(lines.Lines(w.grad_title, y_title=w.grad_axis, log=True, **common),
                           series["grad"], scale),
        "lam_min": lines.spec(lines.Lines(w.lam_min_title, y_title=w.eigenvalue, y_zero=True, **common),
                              series["lam_min"], scale),
        "lam_max": lines.spec(lines.Lines(w.lam_max_title, y_title=w.eigenvalue, y_zero=True, **common),
                              series["lam_max"], scale),
        "ratio": lines.spec(lines.Lines(w.ratio_title, y_title=w.ratio_axis, y_zero=True, **common),
                            series["ratio"], scale),
    }
    return {q: one_column_legend(sp) for q, sp in specs.items()}


def readout_charts(ns: str, labels: tuple, w: ReadoutWords, scale: float) -> dict[str, LiveChart]:
    return {q: LiveChart(f"{ns}:readout:{q}", s, height=READOUT_HEIGHT)
            for q, s in readout_specs(labels, w, scale).items()}


def readout_data(histories) -> dict[str, dict]:
    """{quantity: {dataset: {x, y}}} from each run's readout history (columns step, grad_norm,
    lam_min, lam_max, ratio): the points kept so far, which only grow until the history thins.
    Values that cannot be drawn (a diverged run's NaN, no ratio above the exact limit) are left out."""
    out = {q: {} for q in READOUTS}
    for i, h in enumerate(histories):
        step = np.asarray(h["step"], float)
        for q, column in (("grad", "grad_norm"), ("lam_min", "lam_min"), ("lam_max", "lam_max"),
                          ("ratio", "ratio")):
            y = np.asarray([np.nan if v is None else v for v in h[column]], float)
            if q == "grad":
                y = np.maximum(y, LOG_FLOOR)
            keep = np.isfinite(y)
            out[q][f"{q}{i}"] = {"x": step[keep], "y": y[keep]}
    return out


# -- the many short runs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScatterWords:
    title: str
    x_title: str
    y_title: str
    status: str


@lru_cache(maxsize=8)
def scatter_spec(w: ScatterWords, scale: float) -> dict:
    chart = alt.Chart(alt.NamedData("runs")).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("ratio:Q", title=w.x_title, scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("loss:Q", title=w.y_title, scale=alt.Scale(type="log")),
        color=alt.Color("status:N", legend=legend(w.status)),
        shape=alt.Shape("status:N", legend=None),
        tooltip=["seed:Q", "ratio:Q", "loss:Q", "grad_norm:Q", "n_neg:Q", "n_zero:Q"])
    return themed(chart.properties(title=w.title), scale)


def scatter_chart(key: str, w: ScatterWords, scale: float) -> LiveChart:
    return LiveChart(key, scatter_spec(w, scale), height=CHART_HEIGHT)


def scatter_data(results: list[dict], status: list[str]) -> dict:
    """The runs as points: minimum ratio across, end loss up (a log axis: 0 drawn at 1e-8)."""
    col = lambda k: np.asarray([r[k] for r in results], float)  # noqa: E731
    return {"runs": {"seed": col("seed"), "ratio": col("ratio"), "loss": np.maximum(col("loss"), 1e-8),
                     "grad_norm": col("grad_norm"), "n_neg": col("n_neg"), "n_zero": col("n_zero"),
                     "status": np.asarray(status, dtype=object)}}

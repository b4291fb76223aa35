"""The network's own error surface, live (lib/engine/landscape.py): the loss along the sharpest
direction (the top Hessian eigenvector) with its quadratic model ½·λ_max·d², along a random
filter-normalized direction, and on a fixed plane through the weights with the path drawn on it.

Each run's slices are datasets of their own (`top0`, `quad0`, `rnd0`, …); a slice is replaced
whole when a newer one is done. The plane is a dataset `plane` (its cells) and `path` (the run's
path in the plane's axes, growing at its end until the next plane)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from .runs import RunsAndKinds
from .theme import DASHED, SOLID, literal, spec as themed, title_lines


@dataclass(frozen=True)
class Words:
    top_title: str
    random_title: str
    plane_title: str
    distance: str      # x axis of the slices: distance from the current weights
    loss: str
    series: str
    measured: str      # the slice's own losses
    quadratic: str     # ½·λ_max·d² on top of the loss at 0
    alpha: str         # the plane's axes
    beta: str
    path: str
    plane_run: str = ""  # compare mode: the run whose plane is shown (a line of its own)


@lru_cache(maxsize=32)
def slice_spec(labels: tuple, top: bool, w: Words, scale: float, runs_title: str | None = None) -> dict:
    """The top-eigenvector slice (top=True, with its quadratic model) or the random one; `labels`
    name the runs, `runs_title` says what they are (the compared setting)."""
    kinds = ((w.measured, SOLID), (w.quadratic, DASHED)) if top else ((w.measured, SOLID),)
    rk = RunsAndKinds(labels, tuple(k for k, _ in kinds), tuple(d for _, d in kinds), runs_title, w.series)
    x, layers = alt.X("d:Q", title=w.distance), []
    for i, label in enumerate(labels):
        parts = [(f"{'top' if top else 'rnd'}{i}", w.measured)] + ([(f"quad{i}", w.quadratic)] if top else [])
        for dataset, name in parts:
            layers.append(alt.Chart(alt.NamedData(dataset)).transform_calculate(
                **rk.calculate(label, literal(name))).mark_line(clip=True, strokeWidth=2).encode(
                x=x, y=alt.Y("loss:Q", title=w.loss), color=rk.color(), strokeDash=rk.dash()))
    return with_note(themed(alt.layer(*layers).add_params(alt.param(name="note", value="")), scale),
                     w.top_title if top else w.random_title)


@lru_cache(maxsize=32)
def plane_spec(w: Words, scale: float) -> dict:
    heat = alt.Chart(alt.NamedData("plane")).mark_rect().encode(
        x=alt.X("a:Q", title=w.alpha, scale=alt.Scale(nice=False, zero=False)), x2="a2:Q",
        y=alt.Y("b:Q", title=w.beta, scale=alt.Scale(nice=False, zero=False)), y2="b2:Q",
        color=alt.Color("loss:Q", title=w.loss, scale=alt.Scale(scheme="viridis", type="log"),
                        legend=alt.Legend(orient="right", gradientLength=150)))
    path = alt.Chart(alt.NamedData("path")).mark_line(color="white", strokeWidth=2, clip=True).encode(
        x="a:Q", y="b:Q", order="step:Q")
    now = alt.Chart(alt.NamedData("path")).transform_joinaggregate(last="max(step)").transform_filter(
        "datum.step == datum.last").mark_point(color="white", filled=True, size=90, clip=True).encode(
        x="a:Q", y="b:Q")
    chart = alt.layer(heat, path, now).add_params(alt.param(name="note", value=""))
    return with_note(themed(chart, scale), w.plane_title + (f"\n{w.plane_run}" if w.plane_run else ""))


def with_note(spec: dict, title: str) -> dict:
    """A title (its lines split at line breaks) with a line under it set per frame (the `note`
    parameter: which update it shows), so the spec, and the chart in the browser, stay the same
    from frame to frame."""
    spec["title"] = {"text": title, "subtitle": {"expr": "note"}}
    title_lines(spec)
    return spec


def slice_data(scopes, top: bool, upto: int | None = None) -> dict:
    """Each run's latest slice (or the latest one at or before update `upto`, for replay)."""
    data = {}
    for i, scope in enumerate(scopes):
        s = latest(scope, "top" if top else "random", upto)
        if s is None:
            cols = {"d": [], "loss": []}
            data.update({f"top{i}": cols, f"quad{i}": cols} if top else {f"rnd{i}": cols})
            continue
        d = s.distance
        if top:
            data[f"top{i}"] = {"d": d, "loss": np.asarray(s.losses, float)}
            base = float(s.losses[len(s.losses) // 2])  # the loss at 0 (the middle point)
            data[f"quad{i}"] = {"d": d, "loss": base + 0.5 * s.curvature * d ** 2}
        else:
            data[f"rnd{i}"] = {"d": d, "loss": np.asarray(s.losses, float)}
    return data


def plane_data(scope, upto: int | None = None) -> dict:
    plane = latest(scope, "plane", upto)
    if plane is None:
        return {"plane": {"a": [], "a2": [], "b": [], "b2": [], "loss": []},
                "path": {"a": [], "b": [], "step": []}}
    a, b = np.asarray(plane.alphas, float), np.asarray(plane.betas, float)
    da, db = (a[1] - a[0]) / 2 * 1.04, (b[1] - b[0]) / 2 * 1.04
    A, B = np.meshgrid(a, b)   # losses[i, j] at β = b[i], α = a[j]
    path = scope.path_on(plane)
    keep = path["step"] <= (upto if upto is not None else np.inf)
    return {"plane": {"a": A.ravel() - da, "a2": A.ravel() + da, "b": B.ravel() - db, "b2": B.ravel() + db,
                      "loss": np.maximum(np.asarray(plane.losses, float).ravel(), 1e-8)},
            "path": {"a": path["alpha"][keep], "b": path["beta"][keep],
                     "step": path["step"][keep].astype(float)}}


def latest(scope, kind: str, upto: int | None):
    """The newest completed result of `kind`, or the newest at or before update `upto`."""
    if upto is None:
        return getattr(scope, kind)
    rows = scope.results.rows()
    best = None
    for step, k, result in zip(rows["step"], rows["kind"], rows["result"]):
        if k == kind and step <= upto:
            best = result
    return best

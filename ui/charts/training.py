"""The training panel's charts: loss, Hessian extremes, eigenvalue density, decision regions.

Each chart is a fixed Vega-Lite spec (built once per language with Altair) plus data that changes
every frame (docs/ARCHITECTURE.md, "the life of a frame").
"""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from .theme import (CHART_HEIGHT, SMALL_CHART_HEIGHT, STEP_AXIS, STEP_SCALE, solid_then_dashed,
                    spec)

MAX_POINTS = 250  # per series per frame; the History keeps more, the eye does not need it


def thin(values: list, limit: int = MAX_POINTS) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if len(values) <= limit:
        return values
    return values[np.linspace(0, len(values) - 1, limit).round().astype(int)]


def long_frame(parts: list[tuple[dict, str, str]], x: str, y: str) -> pd.DataFrame:
    """One long table from (columns, series name, kind) parts, built with numpy in one go: this
    runs every frame, and pandas concatenations cost more than the training step itself.
    Series and kind are categorical, which Arrow sends as small dictionary-encoded columns."""
    xs = [thin(cols[x]) for cols, _, _ in parts]
    ys = [thin(cols[y]) for cols, _, _ in parts]
    sizes = [len(v) for v in xs]
    series = [name for _, name, _ in parts]
    kinds = [kind for _, _, kind in parts]
    frame = pd.DataFrame({
        x: np.concatenate(xs) if xs else np.empty(0),
        y: np.concatenate(ys) if ys else np.empty(0),
        "series": pd.Categorical(np.repeat(np.array(series, dtype=object), sizes)),
        "kind": pd.Categorical(np.repeat(np.array(kinds, dtype=object), sizes)),
    })
    return frame[np.isfinite(frame[y].to_numpy())]


# -- loss over updates ---------------------------------------------------------------------------
@lru_cache(maxsize=16)
def loss_spec(x_title: str, y_title: str, legend: str, title: str) -> dict:
    base = alt.Chart().mark_line(clip=True, strokeWidth=1.5).encode(
        x=alt.X("step:Q", title=x_title, axis=STEP_AXIS, scale=STEP_SCALE),
        y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log")),
        # colour alone tells the series apart: every extra encoding is evaluated per point per frame
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=280)),
    )
    return spec(base.properties(title=title, height=CHART_HEIGHT))


def loss_frame(runs: list, labels: list[str], train: str, test: str) -> pd.DataFrame:
    parts = []
    for run, label in zip(runs, labels):
        prefix = f"{label} · " if label else ""
        parts.append((run.history.rows("step", "loss"), prefix + train, "train"))
        ev = run.evals.rows("step", "test_loss")
        parts.append(({"step": ev["step"], "loss": [np.nan if v is None else v for v in ev["test_loss"]]},
                      prefix + test, "test"))
    df = long_frame(parts, "step", "loss")
    df["loss"] = df["loss"].clip(lower=1e-8)  # a log axis cannot show 0
    return df


# -- Hessian extremes over updates ----------------------------------------------------------------
@lru_cache(maxsize=16)
def eig_spec(x_title: str, y_title: str, legend: str, title: str) -> dict:
    base = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=18), clip=True).encode(
        x=alt.X("step:Q", title=x_title, axis=STEP_AXIS, scale=STEP_SCALE),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=280)),
        strokeDash=alt.StrokeDash("kind:N", legend=None, scale=solid_then_dashed(("eig", "eos"))),
    )
    return spec(base.properties(title=title, height=SMALL_CHART_HEIGHT))


def eig_frame(runs, labels, names: dict, thresholds: list) -> pd.DataFrame:
    """names: {"lam_min", "lam_max", "eos"} → visible names; thresholds: 2/η per run where the
    edge of stability applies (lib.stability), else None."""
    parts = []
    for run, label, eos in zip(runs, labels, thresholds):
        c = run.curvature.rows()
        prefix = f"{label} · " if label else ""
        for col in ("lam_min", "lam_max"):
            parts.append(pd.DataFrame({"step": c["step"], "value": c[col],
                                       "series": prefix + names[col], "kind": "eig"}))
        if eos and c["step"]:
            parts.append(pd.DataFrame({"step": [0, max(c["step"][-1], 1)], "value": [eos] * 2,
                                       "series": prefix + names["eos"], "kind": "eos"}))
    if not parts:
        return pd.DataFrame({"step": [], "value": [], "series": [], "kind": []})
    return pd.concat(parts, ignore_index=True)


# -- eigenvalue density -----------------------------------------------------------------------------
@lru_cache(maxsize=16)
def density_spec(x_title: str, y_title: str, legend: str, title: str) -> dict:
    base = alt.Chart().mark_bar(opacity=0.7).encode(
        x=alt.X("lo:Q", title=x_title), x2="hi:Q",
        y=alt.Y("weight:Q", title=y_title, stack=None),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top")),
    )
    return spec(base.properties(title=title, height=SMALL_CHART_HEIGHT))


def density_frame(runs, labels, bins: int = 40) -> pd.DataFrame:
    measured = [(r.spectrum_nodes, lab) for r, lab in zip(runs, labels) if r.spectrum_nodes]
    if not measured:
        return pd.DataFrame({"lo": [], "hi": [], "weight": [], "series": []})
    every = np.concatenate([np.asarray(n, dtype=float) for (n, _), _ in measured])
    lo, hi = float(every.min()), float(every.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    parts = []
    for (nodes, weights), label in measured:
        counts, _ = np.histogram(np.asarray(nodes, float), bins=edges, weights=np.asarray(weights, float))
        parts.append(pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "weight": counts,
                                   "series": label or "λ"}))
    return pd.concat(parts, ignore_index=True)


# -- decision regions ------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def regions_spec(title: str, p_title: str, class_title: str) -> dict:
    cells = alt.Chart().transform_filter(alt.datum.kind == "grid").mark_rect(opacity=0.75).encode(
        x=alt.X("x:Q", title="x₁", scale=alt.Scale(zero=False, nice=False)), x2="x2:Q",
        y=alt.Y("y:Q", title="x₂", scale=alt.Scale(zero=False, nice=False)), y2="y2:Q",
        color=alt.Color("p:Q", title=p_title,
                        scale=alt.Scale(scheme="blueorange", domain=[0, 1])),
    )
    dots = alt.Chart().transform_filter(alt.datum.kind != "grid").mark_point(
        filled=True, size=22, strokeWidth=0.6, stroke="black").encode(
        x="x:Q", y="y:Q",
        color=alt.Color("label:N", title=class_title, legend=None,
                        scale=alt.Scale(range=["#1f5fa8", "#d9661f"])),
        shape=alt.Shape("kind:N", legend=None),
    )
    chart = alt.layer(cells, dots).resolve_scale(color="independent")
    return spec(chart.properties(title=title, height=CHART_HEIGHT))


def regions_frame(run, steps: int = 30) -> pd.DataFrame:
    mesh, values = run.decision_grid(steps)
    gx, gy = mesh[:, 0].numpy(), mesh[:, 1].numpy()
    dx, dy = (gx.max() - gx.min()) / (steps - 1), (gy.max() - gy.min()) / (steps - 1)
    grid_df = pd.DataFrame({"x": gx - dx / 2, "x2": gx + dx / 2, "y": gy - dy / 2, "y2": gy + dy / 2,
                            "p": values.numpy(), "kind": "grid", "label": ""})
    if getattr(run, "chart_points", None) is None:
        # kept on the run (one student's object), not in a process-wide cache: the data may
        # be a student's own upload, and it never changes during a run
        run.chart_points = data_points(run.data)
    return pd.concat([grid_df, run.chart_points], ignore_index=True)


def data_points(data) -> pd.DataFrame:
    """The dataset's points for the regions chart."""
    pts = []
    for x, y, kind in ((data.x_train, data.y_train, "train"), (data.x_test, data.y_test, "test")):
        pts.append(pd.DataFrame({"x": x[:, 0].numpy(), "y": x[:, 1].numpy(), "p": np.nan,
                                 "kind": kind, "label": y.numpy().astype(str)}))
    return pd.concat(pts, ignore_index=True)

"""The training panel's charts: loss, Hessian extremes with the stability threshold, eigenvalue
density, decision regions. Each is a LiveChart (ui/charts/live.py): its spec and the data that
never changes go to the browser once, then every frame only what is new (docs/ARCHITECTURE.md,
"the life of a frame").

Every series has a dataset of its own (`train0`, `test0`, `curv0`, …): a run's history only grows
at its end (until it thins itself), so a frame carries just its newest rows. The same specs and
data make the exported PNG/SVG (ui/export.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from lib.engine.sharpness import stability_rule

from .live import LiveChart
from .runs import RunsAndKinds
from .theme import (CHART_HEIGHT, DASH_DOT, DASHED, DOTTED, LINE_POINTS, SMALL_CHART_HEIGHT, SOLID,
                    STEP_AXIS, STEP_SCALE, legend, literal, spec)

LOG_FLOOR = 1e-8  # a log axis cannot show 0: losses below this are drawn at it


@dataclass(frozen=True)
class Words:
    """The visible words of the panel's charts, translated once per script run (ui/panel.py)."""
    updates: str
    loss: str
    loss_title: str
    series: str
    train: str
    test: str
    eigenvalue: str
    eig_title: str
    lam_min: str
    lam_max: str
    sharpness: str   # the preconditioned sharpness λ_max(P⁻¹H)
    threshold: str   # the stability threshold (2/η, 38/η, …)
    density_title: str
    weight: str
    regions_title: str
    p1: str
    class_: str


# -- loss over updates ---------------------------------------------------------------------------
@lru_cache(maxsize=32)
def loss_spec(labels: tuple, w: Words, scale: float, runs_title: str | None = None) -> dict:
    """`labels` name the runs ("" for a single run), `runs_title` says what they are (the
    compared setting); ui/charts/runs.py tells runs and train/test apart."""
    rk = RunsAndKinds(labels, (w.train, w.test), (SOLID, DASHED), runs_title, w.series)
    layers = []
    for i, label in enumerate(labels):
        for kind, name in (("train", w.train), ("test", w.test)):
            layers.append(alt.Chart(alt.NamedData(f"{kind}{i}")).transform_calculate(
                **rk.calculate(label, literal(name))).mark_line(clip=True, strokeWidth=1.5).encode(
                x=alt.X("step:Q", title=w.updates, axis=STEP_AXIS, scale=STEP_SCALE),
                y=alt.Y("loss:Q", title=w.loss, scale=alt.Scale(type="log")),
                color=rk.color(), strokeDash=rk.dash()))
    return spec(alt.layer(*layers).properties(title=w.loss_title), scale)


def upto_rows(history, columns, upto: int | None, at_most: int | None = None,
              newest: bool = False) -> dict:
    """A history's columns, up to update `upto` (replay) or whole: the points it keeps, which
    grow frame by frame (History.rows, newest=False), at most `at_most` of them (a line).
    newest=True adds the newest point (a still frame: the chart ends where the run is)."""
    rows = history.rows(*columns, newest=newest, at_most=at_most)
    if upto is None:
        return rows
    n = int(np.searchsorted(np.asarray(rows["step"], float), upto, side="right"))
    return {k: v[:n] for k, v in rows.items()}


def loss_data(runs, upto: int | None = None, still: bool = True) -> dict:
    """Each run's train and test loss. still=False while playing: only the points the history
    keeps, so the data grows frame by frame; a still frame (paused, replay, export) ends at the
    run's newest update, which a stride past LINE_POINTS points could leave out."""
    data = {}
    for i, run in enumerate(runs):
        h = upto_rows(run.history, ("step", "loss"), upto, LINE_POINTS, newest=still)
        data[f"train{i}"] = {"step": np.asarray(h["step"], float),
                             "loss": np.maximum(np.asarray(h["loss"], float), LOG_FLOOR)}
        ev = upto_rows(run.evals, ("step", "test_loss"), upto, LINE_POINTS)
        keep = [j for j, v in enumerate(ev["test_loss"]) if v is not None]
        data[f"test{i}"] = {"step": np.asarray([ev["step"][j] for j in keep], float),
                            "loss": np.maximum(np.asarray([ev["test_loss"][j] for j in keep], float),
                                               LOG_FLOOR)}
    return data


# -- Hessian extremes and the stability threshold -------------------------------------------------
@lru_cache(maxsize=32)
def eig_spec(labels: tuple, preconditioned: tuple, w: Words, scale: float,
             runs_title: str | None = None) -> dict:
    x = alt.X("step:Q", title=w.updates, axis=STEP_AXIS, scale=STEP_SCALE)
    kinds = [(w.lam_max, SOLID), (w.lam_min, DOTTED)] + ([(w.sharpness, DASH_DOT)] if any(preconditioned)
                                                         else []) + [(w.threshold, DASHED)]
    rk = RunsAndKinds(labels, tuple(k for k, _ in kinds), tuple(d for _, d in kinds), runs_title, w.series)
    color, dash = rk.color(), rk.dash()
    layers = []
    for i, (label, pre) in enumerate(zip(labels, preconditioned)):
        data = alt.NamedData(f"curv{i}")
        which = f"datum.which == 'lam_min' ? {literal(w.lam_min)} : {literal(w.lam_max)}"
        # hollow dots at the measurements: filled ones would make Vega-Lite draw the dash legend's
        # symbols without a stroke, so its patterns would not show
        layers.append(alt.Chart(data).transform_fold(["lam_min", "lam_max"], as_=["which", "value"])
                      .transform_calculate(**rk.calculate(label, which))
                      .mark_line(point=alt.OverlayMarkDef(size=14, filled=False), clip=True)
                      .encode(x=x, y=alt.Y("value:Q", title=w.eigenvalue), color=color,
                              strokeDash=dash, detail="which:N"))
        if pre:  # Adam and kin: the preconditioned sharpness is what meets the threshold
            layers.append(alt.Chart(data).transform_filter("isValid(datum.sharpness)")
                          .transform_calculate(**rk.calculate(label, literal(w.sharpness)))
                          .mark_line(clip=True).encode(x=x, y="sharpness:Q", color=color, strokeDash=dash))
        layers.append(alt.Chart(data).transform_filter("isValid(datum.threshold)")
                      .transform_calculate(**rk.calculate(label, literal(w.threshold)))
                      .mark_line(clip=True).encode(x=x, y="threshold:Q", color=color, strokeDash=dash))
    return spec(alt.layer(*layers).properties(title=w.eig_title), scale)


def eig_data(runs, upto: int | None = None, still: bool = True) -> dict:
    """Each run's λ_min, λ_max, sharpness and threshold; `still` as for loss_data (a paused chart
    ends at the newest measurement, a playing one gets the kept points and only grows)."""
    data = {}
    for i, run in enumerate(runs):
        c = upto_rows(run.curvature, ("step", "lam_min", "lam_max", "sharpness", "threshold"), upto,
                      LINE_POINTS, newest=still)
        data[f"curv{i}"] = {k: np.asarray([np.nan if v is None else v for v in c[k]], float)
                            for k in ("step", "lam_min", "lam_max", "sharpness", "threshold")}
    return data


# -- eigenvalue density -----------------------------------------------------------------------------
@lru_cache(maxsize=32)
def density_spec(w: Words, scale: float, runs_title: str | None = None) -> dict:
    bars = alt.Chart(alt.NamedData("density")).mark_bar(opacity=0.7).encode(
        x=alt.X("lo:Q", title=w.eigenvalue), x2="hi:Q",
        y=alt.Y("weight:Q", title=w.weight, stack=None),
        color=alt.Color("series:N", legend=legend(runs_title or w.series)))
    return spec(bars.properties(title=w.density_title), scale)


def density_at(run, upto: int | None):
    """The run's latest density (quadrature nodes, weights), or the latest at or before `upto`."""
    if upto is None:
        return run.spectrum_nodes
    rows = upto_rows(run.densities, ("step", "nodes"), upto)
    return rows["nodes"][-1] if rows["nodes"] else None


def density_data(runs, labels, bins: int = 40, upto: int | None = None) -> dict:
    """A histogram of each run's latest quadrature nodes, all runs on the same bins."""
    measured = [(density_at(r, upto), lab) for r, lab in zip(runs, labels)]
    measured = [(nodes, lab) for nodes, lab in measured if nodes]
    if not measured:
        return {"density": {"lo": [], "hi": [], "weight": [], "series": []}}
    every = np.concatenate([np.asarray(n, dtype=float) for (n, _), _ in measured])
    lo, hi = float(every.min()), float(every.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    cols = {"lo": [], "hi": [], "weight": [], "series": []}
    for (nodes, weights), label in measured:
        counts, _ = np.histogram(np.asarray(nodes, float), bins=edges, weights=np.asarray(weights, float))
        cols["lo"].append(edges[:-1])
        cols["hi"].append(edges[1:])
        cols["weight"].append(counts)
        cols["series"].append(np.full(bins, label or "λ", dtype=object))
    return {"density": {k: np.concatenate(v) for k, v in cols.items()}}


# -- decision regions ------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def regions_spec(title: str, w: Words, scale: float, run: str = "") -> dict:
    """The first run's decision regions; in compare mode `run` names it on a second line."""
    axis = dict(scale=alt.Scale(zero=False, nice=False))
    cells = alt.Chart(alt.NamedData("grid")).mark_rect(opacity=0.75).encode(
        x=alt.X("x:Q", title="x₁", **axis), x2="x2:Q", y=alt.Y("y:Q", title="x₂", **axis), y2="y2:Q",
        color=alt.Color("p:Q", title=w.p1, scale=alt.Scale(scheme="blueorange", domain=[0, 1]),
                        legend=alt.Legend(orient="top", direction="horizontal", gradientLength=120)))
    dots = alt.Chart(alt.NamedData("points")).mark_point(
        filled=True, size=22, strokeWidth=0.6, stroke="black").encode(
        x="x:Q", y="y:Q",
        color=alt.Color("label:N", title=w.class_, legend=None, scale=alt.Scale(range=["#1f5fa8", "#d9661f"])),
        shape=alt.Shape("kind:N", legend=None))
    out = spec(alt.layer(cells, dots).resolve_scale(color="independent").properties(
        title=alt.Title(title, subtitle=run) if run else title), scale)
    out["padding"] = {"right": 8}  # the x axis's last label, centred on the plot's right edge
    return out


def regions_data(run, steps: int = 30) -> dict:
    mesh, values = run.decision_grid(steps)
    gx, gy = mesh[:, 0].numpy(), mesh[:, 1].numpy()
    dx, dy = (gx.max() - gx.min()) / (steps - 1), (gy.max() - gy.min()) / (steps - 1)
    return {"grid": {"x": gx - dx / 2, "x2": gx + dx / 2, "y": gy - dy / 2, "y2": gy + dy / 2,
                     "p": values.numpy().astype(float)}}


def data_points(data) -> dict:
    """The dataset's points for the regions chart (a static layer: sent once per script run)."""
    xs = [data.x_train, data.x_test]
    ys = [data.y_train, data.y_test]
    return {"x": np.concatenate([x[:, 0].numpy() for x in xs]).astype(float),
            "y": np.concatenate([x[:, 1].numpy() for x in xs]).astype(float),
            "label": np.concatenate([y.numpy().astype(str) for y in ys]),
            "kind": np.array(["train"] * len(data.x_train) + ["test"] * len(data.x_test))}


def preconditioned(run) -> bool:
    """Whether the run's stability threshold is on the preconditioned sharpness (Adam and kin)."""
    rule, _ = stability_rule(run.optimizer, run.config.batch_size >= len(run.data.x_train))
    return bool(rule and rule.preconditioned)


# -- the four, made once per script run ------------------------------------------------------------
class PanelCharts:
    """The panel's LiveCharts for these runs: make once per script run, draw every frame."""

    def __init__(self, ns: str, runs, labels, words: Words, scale: float, runs_title: str | None = None,
                 first_run: str = ""):
        """`labels` name the runs in legends (short: the compared setting's values), `runs_title`
        is the compared setting, `first_run` names the run the decision regions show."""
        labels = tuple(labels)
        self.words = words
        self.loss = LiveChart(f"{ns}:loss", loss_spec(labels, words, scale, runs_title), height=CHART_HEIGHT)
        pre = tuple(preconditioned(r) for r in runs)
        self.eig = LiveChart(f"{ns}:eig", eig_spec(labels, pre, words, scale, runs_title),
                             height=SMALL_CHART_HEIGHT)
        self.density = LiveChart(f"{ns}:density", density_spec(words, scale, runs_title),
                                 height=SMALL_CHART_HEIGHT)
        run = runs[0]
        self.regions = None
        if run.data.task == "classification" and run.data.n_features == 2:
            self.regions = LiveChart(f"{ns}:regions", regions_spec(words.regions_title, words, scale, first_run),
                                     height=CHART_HEIGHT, static={"points": data_points(run.data)})

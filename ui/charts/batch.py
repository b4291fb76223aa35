"""The Batch page's charts: time per update and per epoch by batch size, the study's test accuracy
per seed, Keskar's line between two solutions, and the live loss against epochs.

Each builder takes the visible words and `font_scale()` (presenter mode's larger type) and is
cached: the spec goes to the browser once per script run (ui/charts/live.py).
"""
from __future__ import annotations

import copy
from functools import lru_cache

import altair as alt
import numpy as np

from . import lines
from .theme import LINE_POINTS, legend, spec as themed

LOG_FLOOR = 1e-8  # a log axis cannot show 0: losses below this are drawn at it


# -- 1. time by batch size -------------------------------------------------------------------------
@lru_cache(maxsize=16)
def time_spec(title: str, device: str, x_title: str, y_title: str, scale: float) -> dict:
    """One measured curve (dataset "rows": batch, ms) over batch sizes on a log₂ axis; it grows a
    point at a time while the page measures. The device it was measured on is the title's second
    line (one line was wider than a projector's half-page column)."""
    line = alt.Chart(alt.NamedData("rows")).mark_line(point=alt.OverlayMarkDef(size=40)).encode(
        x=alt.X("batch:Q", title=x_title, scale=alt.Scale(type="log", base=2)),
        y=alt.Y("ms:Q", title=y_title, scale=alt.Scale(zero=True)),
        tooltip=["batch:Q", alt.Tooltip("ms:Q", format=".3f")])
    return themed(line.properties(title=alt.Title(title, subtitle=device)), scale)


def time_data(rows: list[dict], key: str) -> dict:
    """The measured rows as the chart's dataset: `key` ("update_s" or "epoch_s") in ms."""
    return {"rows": {"batch": np.array([r["batch"] for r in rows], float),
                     "ms": np.array([r[key] * 1e3 for r in rows], float)}}


# -- 2. the study ----------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def seeds_spec(title: str, x_title: str, y_title: str, legend_title: str, scale: float) -> dict:
    """Test accuracy against batch size, one line per seed (dataset "rows": batch, seed, test)."""
    line = alt.Chart(alt.NamedData("rows")).mark_line(point=alt.OverlayMarkDef(size=50)).encode(
        x=alt.X("batch:O", title=x_title, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("test:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("seed:N", legend=legend(legend_title, columns=5)),
        tooltip=["seed:N", "batch:O", alt.Tooltip("test:Q", format=".1f")])
    return themed(line.properties(title=title), scale)


def seeds_data(seeds: list[int], results: list[list[dict]]) -> dict:
    """One row per (seed, batch size), seeds in the order they finished (the data only grows)."""
    rows = [(str(r["batch"]), str(seed), r["test_acc"] * 100) for seed, rs in zip(seeds, results)
            for r in rs]
    return {"rows": {"batch": np.array([r[0] for r in rows]), "seed": np.array([r[1] for r in rows]),
                     "test": np.array([r[2] for r in rows], float)}}


@lru_cache(maxsize=16)
def keskar_spec(title: str, x_title: str, y_title: str, legend_title: str, train: str, test: str,
                scale: float) -> dict:
    """Training and test loss along the line through two solutions (datasets "train", "test":
    x = α, y = loss, log axis) and dashed rules at the solutions (static dataset "ends")."""
    out = copy.deepcopy(lines.spec(
        lines.Lines(title=title, x_title=x_title, y_title=y_title, legend_title=legend_title,
                    log=True, steps=False, points=True),
        (("train", train), ("test", test, "dashed")), scale))
    out["layer"].append({"data": {"name": "ends"}, "mark": {"type": "rule", "strokeDash": [4, 4],
                                                             "color": "#888888"},
                         "encoding": {"x": {"field": "x", "type": "quantitative"}}})
    return out


def keskar_data(line: dict) -> dict:
    alpha = np.asarray(line["alpha"], float)
    return {"train": {"x": alpha, "y": np.maximum(np.asarray(line["train_loss"], float), LOG_FLOOR)},
            "test": {"x": alpha, "y": np.maximum(np.asarray(line["test_loss"], float), LOG_FLOOR)}}


KESKAR_ENDS = {"ends": {"x": np.array([0.0, 1.0])}}


# -- 3. live: loss against epochs -------------------------------------------------------------------
def epoch_spec(title: str, x_title: str, y_title: str, legend_title: str, names: tuple,
               scale: float) -> dict:
    """The loss of each run (datasets run0, run1, …) against epochs, both axes logarithmic: batch 1
    finishes its first epoch after 140 updates, the full batch after one, so on a linear axis
    batch 1's whole run would be a few pixels at the left; on a log axis the first epochs of every
    run are as wide as the last ones. Drag and wheel zoom into a stretch."""
    return lines.spec(lines.Lines(title=title, x_title=x_title, y_title=y_title,
                                  legend_title=legend_title, log=True, x_log=True, steps=False,
                                  zoom=True),
                      tuple((f"run{i}", name) for i, name in enumerate(names)), scale)


def epoch_data(runs) -> dict:
    """Each run's whole history (it thins itself, evenly): epoch > 0 (after the first update)."""
    out = {}
    for i, run in enumerate(runs):
        h = run.history.rows("epoch", "loss", newest=False, at_most=LINE_POINTS)
        x, y = np.asarray(h["epoch"], float), np.asarray(h["loss"], float)
        keep = (x > 0) & np.isfinite(y)
        out[f"run{i}"] = {"x": x[keep], "y": np.maximum(y[keep], LOG_FLOOR)}
    return out

"""An error surface over two parameters as a heat map, with descent paths drawn over it: the
lecture's picture, used on the critical-points, momentum, learning-rate, batch-norm and
classification-loss pages.

The heat map is a static layer (sent once per script run, ui/charts/live.py); each path is a
dataset of its own (`path0`, `path1`, …: columns x, y, order) that only grows, so a frame sends a
path's new points; the browser marks each path's newest point itself.

    surface = surfaces.Surface(title=…, color_title="loss", x_domain=(-2, 2), y_domain=(-2, 2))
    s = surfaces.spec(surface, paths=(("path0", "GD"), ("path1", "Adam")))
    chart = LiveChart("lr:valley", s, height=CHART_HEIGHT, static={"grid": surfaces.cells(fn, …)})
    chart.draw(slot, path0=…, path1=…)

Pages add their own marks (critical points, eigenvector arrows, …) as extra layers on named
datasets, built in their own ui/charts module with the same axes (`axes(surface)`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import torch

from lib.engine.models import surface_grid

from .theme import legend, literal, spec as themed


@dataclass(frozen=True)
class Surface:
    title: str
    color_title: str
    x_domain: tuple
    y_domain: tuple
    x_title: str = "w₁"
    y_title: str = "w₂"
    legend_title: str | None = None
    scheme: str = "viridis"
    reverse: bool = False
    color_type: str = "linear"   # "sqrt" or "log" spread a surface's wide range of values
    opacity: float = 1.0
    path_color: str | None = None  # one colour for every path (white on viridis), else by name
    heads: bool = True           # a dot at each path's newest point


def cells(fn, lo: tuple, hi: tuple, steps: int, transform=None) -> dict:
    """The heat map's cells: fn on a steps×steps grid over [lo, hi], each cell a rectangle
    (x, x2, y, y2) slightly overlapping its neighbours (no seams on canvas), value z."""
    g1, g2, z = surface_grid(fn, lo, hi, steps)
    w1, w2 = np.meshgrid(g1.numpy(), g2.numpy(), indexing="xy")
    d1 = (hi[0] - lo[0]) / (steps - 1) / 2 * 1.08
    d2 = (hi[1] - lo[1]) / (steps - 1) / 2 * 1.08
    z = z.numpy() if isinstance(z, torch.Tensor) else np.asarray(z)
    z = z.ravel()
    if transform is not None:
        z = transform(z)
    return {"x": w1.ravel() - d1, "x2": w1.ravel() + d1, "y": w2.ravel() - d2, "y2": w2.ravel() + d2,
            "z": z.astype(float)}


def axes(surface: Surface) -> tuple[alt.X, alt.Y]:
    """The surface's x and y encodings, for a page's own layers on the same chart."""
    x = alt.X("x:Q", title=surface.x_title,
              scale=alt.Scale(domain=list(surface.x_domain), nice=False, zero=False))
    y = alt.Y("y:Q", title=surface.y_title,
              scale=alt.Scale(domain=list(surface.y_domain), nice=False, zero=False))
    return x, y


def path_layers(surface: Surface, paths: tuple) -> list:
    """A line per path (dataset, name), coloured by name, and a dot at its newest point."""
    x, y = axes(surface)
    names = [p[1] for p in paths]
    if surface.path_color:
        color = alt.value(surface.path_color)
    else:
        color = alt.Color("series:N", scale=alt.Scale(domain=names), legend=legend(surface.legend_title))
    layers = []
    for dataset, name in paths:
        data = alt.NamedData(dataset)
        named = literal(name)
        layers.append(alt.Chart(data).transform_calculate(series=named).mark_line(
            clip=True, strokeWidth=2, point=alt.OverlayMarkDef(size=10)).encode(
            x=x, y=y, order="order:Q", color=color))
        if surface.heads:
            layers.append(alt.Chart(data).transform_joinaggregate(last="max(order)")
                          .transform_filter("datum.order == datum.last")
                          .transform_calculate(series=named)
                          .mark_point(filled=True, size=110, stroke="black", strokeWidth=1, clip=True)
                          .encode(x=x, y=y, color=color))
    return layers


@lru_cache(maxsize=32)
def spec(surface: Surface, paths: tuple = (), extra: tuple = (), scale: float = 1.0) -> dict:
    """The heat map (static dataset "grid", made by `cells`), the paths, and `extra` layers (Altair
    charts on named datasets, from a page's own ui/charts module)."""
    x, y = axes(surface)
    heat = alt.Chart(alt.NamedData("grid")).mark_rect(opacity=surface.opacity).encode(
        x=x, x2="x2:Q", y=y, y2="y2:Q",
        color=alt.Color("z:Q", title=surface.color_title,
                        scale=alt.Scale(scheme=surface.scheme, reverse=surface.reverse,
                                        type=surface.color_type),
                        legend=alt.Legend(orient="right", gradientLength=180)))
    # the heat map's colour scale apart from the paths'; the paths' lines and heads share one
    # scale (one legend: independent scales on every layer drew a second legend, cut short)
    trails = path_layers(surface, paths)
    layers = [heat, *([alt.layer(*trails)] if trails else []), *extra]
    chart = alt.layer(*layers).resolve_scale(color="independent")
    return themed(chart.properties(title=surface.title), scale)


def path_data(points) -> dict:
    """A path's points (n, 2) as a dataset; non-finite points (a path that left the box) dropped."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    keep = np.all(np.isfinite(p), axis=1)
    return {"x": p[keep, 0], "y": p[keep, 1], "order": np.flatnonzero(keep).astype(float)}

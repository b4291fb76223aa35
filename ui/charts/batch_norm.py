"""The Batch-normalization page's charts: section 1's error surfaces with their descent paths (the
shared heat map of ui/charts/surfaces.py, plus the minimum), and the live batch μ, σ against the
running μ̄, σ̄ of the first BN layer."""
from __future__ import annotations

import copy
from functools import lru_cache

import altair as alt
import numpy as np

from . import surfaces
from .theme import legend, spec as themed


# -- section 1: an error surface, its descent path and its minimum ----------------------------------
@lru_cache(maxsize=16)
def surface_spec(surface: surfaces.Surface, path_name: str, scale: float) -> dict:
    """The heat map ("grid"), the path ("path0") and the minimum as a red cross ("best")."""
    out = copy.deepcopy(surfaces.spec(surface, paths=(("path0", path_name),), scale=scale))
    # the cross as a plain layer: surfaces.spec caches its arguments, and Altair charts are not
    # hashable
    out["layer"].append({"data": {"name": "best"},
                         "mark": {"type": "point", "shape": "cross", "color": "red", "size": 220,
                                  "filled": True, "stroke": "white", "strokeWidth": 1},
                         "encoding": {"x": {"field": "x", "type": "quantitative"},
                                      "y": {"field": "y", "type": "quantitative"}}})
    return out


def surface_static(view, steps: int) -> dict:
    """What never changes on one surface: log₁₀ of the loss on a steps×steps grid, the minimum."""
    grid = surfaces.cells(view.loss, view.lo, view.hi, steps,
                          transform=lambda z: np.log10(np.asarray(z, float) + 1e-12))
    best = view.best.numpy()
    return {"grid": grid, "best": {"x": best[:1].astype(float), "y": best[1:2].astype(float)}}


# -- section 3: batch statistics against the running ones -------------------------------------------
@lru_cache(maxsize=16)
def stat_spec(title: str, x_title: str, y_title: str, legend_title: str, kinds: tuple,
              scale: float) -> dict:
    """Bars per channel, the batch's value beside the running one (dataset "stats": channel,
    value, kind)."""
    bars = alt.Chart(alt.NamedData("stats")).mark_bar().encode(
        x=alt.X("channel:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("kind:N", sort=list(kinds)),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(kinds), range=["#D55E00", "#0072B2"]),
                        legend=legend(legend_title)))
    return themed(bars.properties(title=title), scale)


def stat_data(batch, running, kinds: tuple, channels: int) -> dict:
    ch = np.arange(1, channels + 1)
    return {"stats": {"channel": np.concatenate([ch, ch]),
                      "value": np.concatenate([np.asarray(batch[:channels], float),
                                               np.asarray(running[:channels], float)]),
                      "kind": np.array([kinds[0]] * channels + [kinds[1]] * channels)}}

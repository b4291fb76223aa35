"""The guide page's own charts (lecture section 1): a 1-D regression's data with the fitted and
the true function, for overfitting and for mismatch. Its loss curves are `lines` charts.

Each layer names its dataset (ui/charts/live.py): the points `train`, `aug`, `test` (or
`shifted`), the curves `truth` and `fit`, and `band`, the training range shaded on the mismatch
chart. The charts are drawn once per script run (`charts.show`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np

from .theme import OKABE_ITO, legend, literal, spec as themed

# what each dataset shows, in legend order, and its colour (Okabe–Ito: the truth black and
# dashed, the fit vermilion, the training points blue, the points it is tested on purple)
COLORS = {"truth": OKABE_ITO[6], "fit": OKABE_ITO[1], "train": OKABE_ITO[0], "aug": OKABE_ITO[2],
          "test": OKABE_ITO[3], "shifted": OKABE_ITO[3]}
Y_DOMAIN = (-2.5, 2.5)   # f(x) = cos(2.5x) plus noise; a wild fit is clipped at the edge
CLIP = 3.0


@dataclass(frozen=True)
class Fit:
    title: str
    x_title: str
    y_title: str
    legend_title: str
    names: tuple          # ((dataset, visible name), …) in legend order
    x_domain: tuple
    band: bool = False    # shade the training range (dataset `band`: columns a, b)


@lru_cache(maxsize=32)
def fit_spec(fit: Fit, scale: float = 1.0) -> dict:
    x = alt.X("x:Q", title=fit.x_title, scale=alt.Scale(domain=list(fit.x_domain), nice=False))
    y = alt.Y("y:Q", title=fit.y_title, scale=alt.Scale(domain=list(Y_DOMAIN), clamp=True))
    names = [name for _, name in fit.names]
    color = alt.Color("series:N", scale=alt.Scale(domain=names, range=[COLORS[d] for d, _ in fit.names]),
                      legend=legend(fit.legend_title))
    layers = []
    if fit.band:
        layers.append(alt.Chart(alt.NamedData("band")).mark_rect(opacity=0.08, color=OKABE_ITO[0])
                      .encode(x=alt.X("a:Q", scale=alt.Scale(domain=list(fit.x_domain), nice=False)),
                              x2="b:Q"))
    curves_last = sorted(fit.names, key=lambda d: d[0] in ("truth", "fit"))  # lines over points
    for dataset, name in curves_last:
        chart = alt.Chart(alt.NamedData(dataset)).transform_calculate(
            series=literal(name))
        if dataset in ("truth", "fit"):
            dash = [6, 4] if dataset == "truth" else [1, 0]
            chart = chart.mark_line(clip=True, strokeWidth=2.2, strokeDash=dash)
        else:
            chart = chart.mark_circle(size=45, opacity=0.55 if dataset in ("test", "shifted") else 0.9)
        layers.append(chart.encode(x=x, y=y, color=color, order="x:Q"))
    return themed(alt.layer(*layers).properties(title=fit.title), scale)


def points(x, y) -> dict:
    return {"x": np.asarray(x, float), "y": np.asarray(y, float)}


def curve(x, y) -> dict:
    """A function drawn over x: values beyond the axis are clipped (a wild fit stays in view)."""
    return {"x": np.asarray(x, float), "y": np.clip(np.asarray(y, float), -CLIP, CLIP)}


def losses(x, y, floor: float = 1e-5) -> dict:
    """Losses for a log axis, which cannot show 0: a fit that memorized its points reaches ~1e-7."""
    return {"x": np.asarray(x, float), "y": np.maximum(np.asarray(y, float), floor)}


def band(lo: float, hi: float) -> dict:
    return {"a": [float(lo)], "b": [float(hi)]}


def level(x_lo: float, x_hi: float, y: float) -> dict:
    """A horizontal line (the noise level) as a two-point series of a line chart."""
    return {"x": np.array([x_lo, x_hi], float), "y": np.array([y, y], float)}

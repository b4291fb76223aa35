"""Every chart of the app, and the only place that imports Altair (docs/ARCHITECTURE.md).

theme     colours, type sizes, heights; spec() finishes every chart
live      LiveChart: a chart that sends the browser only what changed since its last frame
training  the training panel's charts (loss, Hessian extremes, density, decision regions)
lines     line charts over updates, one dataset per series
runs      compare mode's legends: a colour per run, a dash pattern per kind of line
surfaces  an error surface's heat map with descent paths
meter     the sharpness meter's inline bar (HTML, not Vega: it sits in a line of text)
…         a page's own charts: ui/charts/<topic>.py

Every chart is a LiveChart, animated or not (`show` draws one once), so all look alike, all get
the theme, and tests read them alike (tests/chart_data.py).
"""
import streamlit as st

from .live import LiveChart
from .theme import (CHART_HEIGHT, MIN_HEIGHT, OKABE_ITO, SMALL_CHART_HEIGHT, STEP_AXIS, STEP_SCALE,
                    font_scale, legend, solid_then_dashed, spec)


def show(key: str, chart_spec: dict, height: int, where=None, static: dict | None = None,
         **datasets) -> LiveChart:
    """Draw a chart once in this script run (in `where`, default the page): a LiveChart that is
    not animated."""
    chart = LiveChart(key, chart_spec, height=height, static=static)
    chart.draw(where if where is not None else st, **datasets)
    return chart


__all__ = ["LiveChart", "CHART_HEIGHT", "MIN_HEIGHT", "OKABE_ITO", "SMALL_CHART_HEIGHT", "STEP_AXIS",
           "STEP_SCALE", "font_scale", "legend", "show", "solid_then_dashed", "spec"]

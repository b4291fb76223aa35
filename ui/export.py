"""Share and export: a link to the current setup, the run histories as CSV, charts as PNG/SVG.

Downloads are produced only when clicked (download_button runs the callable then), so a rerun
costs nothing. Charts are rendered on the server by vl-convert from the same spec and data the
browser draws, so the file matches the screen.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from .charts.training import eig_data, loss_data
from .i18n import t
from .share import share_link


def history_frame(runs, labels) -> pd.DataFrame:
    """Every recorded point of every run, long format: one row per (run, kind, step)."""
    parts = []
    for run, label in zip(runs, labels):
        for kind, hist in (("update", run.history), ("eval", run.evals), ("hessian", run.curvature)):
            df = pd.DataFrame(hist.rows())
            df.insert(0, "kind", kind)
            df.insert(0, "run", label or run.config.optimizer)
            parts.append(df)
    return pd.concat(parts, ignore_index=True)


def records(columns: dict) -> list[dict]:
    """{column: values} → JSON-ready rows (NaN as null)."""
    frame = pd.DataFrame({k: np.asarray(v) for k, v in columns.items()})
    return json.loads(frame.to_json(orient="records"))


def chart_file(spec: dict, datasets: dict, fmt: str) -> bytes:
    """The chart as PNG or SVG: the same spec the browser draws, with its named datasets."""
    import vl_convert  # imported on demand: only exports need it
    full = {**spec, "datasets": {name: records(cols) for name, cols in datasets.items()}}
    full.pop("usermeta", None)
    full.setdefault("width", 720)
    if fmt == "png":
        return vl_convert.vegalite_to_png(full, scale=2)
    return vl_convert.vegalite_to_svg(full).encode()


def export_section(ns: str, state, query: dict, panel_charts) -> None:
    runs, labels = state.runs, state.labels
    with st.expander(t("export.title")):
        st.caption(t("export.link"))
        st.code(share_link(query), language=None, wrap_lines=True)
        st.download_button(t("export.csv"), lambda: history_frame(runs, labels).to_csv(index=False),
                           file_name="optimization-lab-history.csv", mime="text/csv",
                           key=f"{ns}:csv", icon=":material/table:", on_click="ignore")
        # The specs are made (and translated) in the script run: the download callables run later
        # on another thread, where the session's language cannot be read.
        exports = [("loss", t("export.loss_chart"), panel_charts.loss.spec, lambda: loss_data(runs)),
                   ("hessian", t("export.hessian_chart"), panel_charts.eig.spec, lambda: eig_data(runs))]
        for name, title, spec, frame in exports:
            st.caption(title)
            c1, c2 = st.columns(2)
            for col, fmt, mime in ((c1, "png", "image/png"), (c2, "svg", "image/svg+xml")):
                col.download_button(fmt.upper(), lambda spec=spec, frame=frame, fmt=fmt: chart_file(spec, frame(), fmt),
                                    file_name=f"{name}.{fmt}", mime=mime, key=f"{ns}:{name}:{fmt}",
                                    icon=":material/image:", on_click="ignore", width="stretch")

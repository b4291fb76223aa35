"""Share and export: a link to the current setup, the run histories as CSV, charts as PNG/SVG.

Downloads are produced only when clicked (download_button runs the callable then), so a rerun
costs nothing. Charts are rendered on the server by vl-convert from the same spec and data the
browser draws, so the file matches the screen.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lib.stability import gd_threshold

from . import charts
from .i18n import t


def share_link(query: dict) -> str:
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(query)}" if query else base


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


def chart_file(spec: dict, data: pd.DataFrame, fmt: str) -> bytes:
    import vl_convert  # imported on demand: only exports need it
    full = {**spec, "data": {"values": json.loads(data.to_json(orient="records"))}}
    full.pop("usermeta", None)
    full.setdefault("width", 720)
    if fmt == "png":
        return vl_convert.vegalite_to_png(full, scale=2)
    return vl_convert.vegalite_to_svg(full).encode()


def export_section(ns: str, state, query: dict) -> None:
    runs, labels = state.runs, state.labels
    with st.expander(t("export.title")):
        st.caption(t("export.link"))
        st.code(share_link(query), language=None, wrap_lines=True)
        st.download_button(t("export.csv"), lambda: history_frame(runs, labels).to_csv(index=False),
                           file_name="optimization-lab-history.csv", mime="text/csv",
                           key=f"{ns}:csv", icon=":material/table:", on_click="ignore")
        # Labels are translated here, in the script run: the download callables run later on
        # another thread, where the session's language cannot be read.
        train, test = t("chart.train"), t("chart.test")
        names = {"lam_min": t("chart.lam_min"), "lam_max": t("chart.lam_max"), "eos": t("chart.eos")}
        eos = [gd_threshold(r.config, len(r.data.x_train)) for r in runs]
        exports = [
            ("loss", t("export.loss_chart"),
             charts.loss_spec(t("chart.updates"), t("chart.loss"), t("chart.series"), t("chart.loss_title")),
             lambda: charts.loss_frame(runs, labels, train, test)),
            ("hessian", t("export.hessian_chart"),
             charts.eig_spec(t("chart.updates"), t("chart.eigenvalue"), t("chart.series"), t("chart.eig_title")),
             lambda: charts.eig_frame(runs, labels, names, eos)),
        ]
        for name, title, spec, frame in exports:
            st.caption(title)
            c1, c2 = st.columns(2)
            for col, fmt, mime in ((c1, "png", "image/png"), (c2, "svg", "image/svg+xml")):
                col.download_button(fmt.upper(), lambda spec=spec, frame=frame, fmt=fmt: chart_file(spec, frame(), fmt),
                                    file_name=f"{name}.{fmt}", mime=mime, key=f"{ns}:{name}:{fmt}",
                                    icon=":material/image:", on_click="ignore", width="stretch")

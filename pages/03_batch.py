"""Batch (lecture section 3): time per update and per epoch on this machine, what small and large
batches end at (accuracy, sharpness, the 1-D line between them), and batch 1 / medium / full
trained live from one initialization."""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib import batch_study as bs
from lib.settings import RunConfig
from ui.charts import spec, thin
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

NET = "batch_net"
# Timing: the real 8×8 digits (1,258 training images) and a 2×128 network, big enough for the
# batch's parallel work to show against the fixed cost of an update.
TIMING = RunConfig(dataset="digits", n_samples=1797, depth=2, width=128, optimizer="sgd")
# Study: digits with half held out, one hidden layer, plain SGD, the same number of epochs for
# every batch size. Small batches end near 100 % training accuracy and higher test accuracy.
STUDY = RunConfig(dataset="digits", n_samples=500, test_fraction=0.5, depth=1, width=32,
                  optimizer="sgd", lr=0.2, loss="ce", hessian_every=0)
STUDY_BATCHES = (4, 25, STUDY.n_train)
STUDY_EPOCHS = 25
ALPHAS = np.round(np.linspace(-0.5, 1.5, 41), 3)
PRESET = RunConfig(dataset="moons", noise=0.25, n_samples=200, depth=2, width=16, optimizer="sgd",
                   lr=0.1, batch_size=14, hessian_every=50)
LIVE_BATCHES = (1, 14, PRESET.n_train)

setup("batch")
st.title(t("page.batch"))
lesson("batch")
st.markdown(t("batch.intro"))


# -- 1. time -------------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def time_spec(x_title, y_title, title) -> dict:
    line = alt.Chart().mark_line(point=True).encode(
        x=alt.X("batch:Q", title=x_title, scale=alt.Scale(type="log", base=2)),
        y=alt.Y("value:Q", title=y_title), tooltip=["batch:Q", "value:Q"])
    return spec(line.properties(title=title, height=260))


def measure_timing() -> None:
    bar = st.progress(0.0, text=t("batch.time.progress"))
    device = bs.pick_device()
    rows = bs.time_batches(TIMING, bs.timing_sizes(TIMING.n_train), device, budget_s=0.08,
                           max_updates=20,
                           progress=lambda done, total: bar.progress(done / total,
                                                                    text=t("batch.time.progress")))
    bar.empty()
    st.session_state["batch:timing"] = {"device": bs.device_name(device), "rows": rows}


st.header(t("batch.s1"))
st.markdown(t("batch.s1_text"))
again = st.button(t("batch.time.again"), key="batch:time_again", icon=":material/timer:")
if again or "batch:timing" not in st.session_state:
    measure_timing()   # once per session (about a second), again only on request
timing = st.session_state["batch:timing"]
df = pd.DataFrame(timing["rows"])
c1, c2 = st.columns(2)
c1.vega_lite_chart(pd.DataFrame({"batch": df["batch"], "value": df["update_s"] * 1e3}),
                   time_spec(t("batch.axis.batch"), t("batch.axis.ms_update"),
                             t("batch.time.update_title", device=timing["device"])), width="stretch", height=300)
c2.vega_lite_chart(pd.DataFrame({"batch": df["batch"], "value": df["epoch_s"] * 1e3}),
                   time_spec(t("batch.axis.batch"), t("batch.axis.ms_epoch"),
                             t("batch.time.epoch_title", device=timing["device"])), width="stretch", height=300)
first, last = timing["rows"][0], timing["rows"][-1]
st.caption(t("batch.time.summary", device=timing["device"], n=TIMING.n_train,
             u1=first["update_s"] * 1e3, un=last["update_s"] * 1e3, bn=last["batch"],
             e1=first["epoch_s"] * 1e3, en=last["epoch_s"] * 1e3))


# -- 2. where small and large batches end --------------------------------------------------------------
@lru_cache(maxsize=8)
def line_spec(x_title, y_title, legend, title) -> dict:
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=alt.X("alpha:Q", title=x_title), y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=300)))
    rules = alt.Chart().mark_rule(strokeDash=[4, 4], color="#888").encode(x="alpha:Q").transform_filter(
        (alt.datum.alpha == 0) | (alt.datum.alpha == 1))
    return spec(alt.layer(line, rules).properties(title=title, height=280))


def run_study(seed: int) -> None:
    bar = st.progress(0.0, text=t("batch.study.progress"))
    results = bs.study(STUDY.with_(seed=seed), STUDY_BATCHES, STUDY_EPOCHS,
                       progress=lambda done, total: bar.progress(min(1.0, done / total),
                                                                 text=t("batch.study.progress")))
    line = bs.interpolate(results[0].run, results[-1].run, ALPHAS)
    bar.empty()
    rows = [{"batch": r.batch, "updates": r.run.step, "train_acc": r.train_acc, "test_acc": r.test_acc,
             "train_loss": r.train_loss, "test_loss": r.test_loss, "sharpness": r.sharpness}
            for r in results]
    st.session_state["batch:study"] = {"seed": seed, "rows": rows, "line": line}


def study_verdicts(rows) -> list[str]:
    """Say only what these numbers show."""
    small, large = rows[0], rows[-1]
    out = []
    if small["test_acc"] > large["test_acc"] + 0.01:
        if large["train_acc"] >= small["train_acc"] - 0.02:
            out.append(t("batch.verdict.generalizes", small=small["batch"], large=large["batch"],
                         ts=small["test_acc"], tl=large["test_acc"]))
        else:
            out.append(t("batch.verdict.optimization", small=small["batch"], large=large["batch"],
                         rs=small["train_acc"], rl=large["train_acc"], ts=small["test_acc"],
                         tl=large["test_acc"]))
    else:
        out.append(t("batch.verdict.no_gap", small=small["batch"], large=large["batch"]))
    sharp = [r["sharpness"] for r in rows]
    if all(a < b for a, b in zip(sharp, sharp[1:])):
        out.append(t("batch.verdict.sharper", small=sharp[0], large=sharp[-1]))
    else:
        out.append(t("batch.verdict.not_sharper"))
    return out


st.header(t("batch.s2"))
st.markdown(t("batch.s2_text", epochs=STUDY_EPOCHS, sizes=", ".join(map(str, STUDY_BATCHES)),
              n=STUDY.n_train))
s1, s2 = st.columns([1, 3])
seed = s1.number_input(t("batch.study.seed"), 0, 99, 0, 1, key="batch:seed",
                       help=t("batch.study.seed_help"))
s2.write("")
if s2.button(t("batch.study.run"), key="batch:run_study", type="primary", icon=":material/science:"):
    run_study(int(seed))
study = st.session_state.get("batch:study")
if study is None:
    st.info(t("batch.study.none"))
else:
    table = pd.DataFrame(study["rows"])
    shown = pd.DataFrame({
        t("batch.col.batch"): table["batch"], t("batch.col.updates"): table["updates"],
        t("batch.col.train_acc"): (table["train_acc"] * 100).round(1),
        t("batch.col.test_acc"): (table["test_acc"] * 100).round(1),
        t("batch.col.sharpness"): table["sharpness"].round(3)})
    st.caption(t("batch.study.table", seed=study["seed"]))
    st.dataframe(shown, hide_index=True, width="stretch")
    for line in study_verdicts(study["rows"]):
        st.info(line)
    ln = study["line"]
    small, large = study["rows"][0]["batch"], study["rows"][-1]["batch"]
    parts = []
    for key, name in (("train_loss", t("batch.line.train")), ("test_loss", t("batch.line.test"))):
        parts.append(pd.DataFrame({"alpha": ln["alpha"], "value": ln[key], "series": name}))
    st.vega_lite_chart(pd.concat(parts, ignore_index=True),
                       line_spec(t("batch.line.alpha"), t("chart.loss"), t("chart.series"),
                                 t("batch.line.title", small=small, large=large)),
                       width="stretch", height=320)
    st.caption(t("batch.line.caption", small=small, large=large))


# -- 3. live: batch 1, medium, full from one initialization ---------------------------------------------
@lru_cache(maxsize=8)
def epoch_spec(x_title, y_title, legend, title) -> dict:
    base = alt.Chart().mark_line(clip=True, strokeWidth=1.5).encode(
        x=alt.X("epoch:Q", title=x_title), y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=280)))
    return spec(base.properties(title=title, height=260))


def epoch_frame(runs, labels) -> pd.DataFrame:
    parts = []
    for run, label in zip(runs, labels):
        h = run.history.rows()
        parts.append(pd.DataFrame({"epoch": thin(h["epoch"]), "loss": thin(h["loss"]),
                                   "series": label or t("chart.train")}))
    df = pd.concat(parts, ignore_index=True).dropna()
    df["loss"] = df["loss"].clip(lower=1e-8)
    return df


def on_frame(state) -> None:
    st.vega_lite_chart(epoch_frame(state.runs, state.labels),
                       epoch_spec(t("batch.axis.epoch"), t("chart.loss"), t("chart.series"),
                                  t("batch.live.epoch_title")), width="stretch",
                       height=300)


st.header(t("batch.s3"))
st.markdown(t("batch.s3_text", sizes=", ".join(map(str, LIVE_BATCHES)), n=PRESET.n_train))
panel(NET, preset=PRESET, on_frame=on_frame, compare_preset=("batch_size", LIVE_BATCHES))

"""Batch (lecture section 3): time per update and per epoch on this machine, what small and large
batches end at (accuracy, sharpness, the 1-D line between them), and batch 1 / medium / full
trained live from one initialization."""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture import batch_study as bs
from lib.lecture import presets
from ui.charts import spec, thin
from ui import url
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

NET = "batch_net"
# Timing: the real 8×8 digits (1,258 training images) and a 2×128 network, big enough for the
# batch's parallel work to show against the fixed cost of an update.
TIMING = presets.BATCH_TIMING
# Study: lib.lecture.batch_study.GENERALIZATION (digits, 180 training images of which some are mislabelled,
# one hidden layer, plain SGD), every batch size trained to the same training loss, several seeds.
STUDY = bs.GENERALIZATION
STUDY_BATCHES = bs.STUDY_BATCHES
NOISE_PERCENTS = (0, 10, 20, 30)
MAX_SEEDS = 10
CONTROLS = (url.Control("batch:noise", round(bs.LABEL_NOISE * 100), choices=NOISE_PERCENTS),
            url.Control("batch:n_seeds", 3, lo=1, hi=MAX_SEEDS),
            url.Control("batch:first_seed", 0, lo=0, hi=99))
ALPHAS = np.round(np.linspace(-0.5, 1.5, 41), 3)
PRESET = presets.BATCH_NET
LIVE_BATCHES = (1, 14, PRESET.n_train)

setup("batch")
url.controls(*CONTROLS)
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
    rows = bs.time_batches(TIMING, bs.timing_sizes(TIMING.n_train), device,
                           budget_s=bs.TIMING_BUDGET_S, max_updates=bs.TIMING_MAX_UPDATES,
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
ss = st.session_state
study = ss.setdefault("batch:study", {"running": False, "noise": None, "seeds": [], "results": [],
                                      "line": None})
panel_state = ss.get(f"{NET}:panel")
if panel_state is not None and panel_state.playing:
    study["running"] = False  # the panel's Play was just pressed: one blocking loop at a time


def study_toggle() -> None:
    study["running"] = not study["running"]
    if study["running"]:  # a new study: the finished seeds of the last one make way
        first = int(ss["batch:first_seed"])
        study.update(noise=ss["batch:noise"] / 100, results=[], line=None,
                     seeds=list(range(first, first + int(ss["batch:n_seeds"]))))
        if ss.get(f"{NET}:panel") is not None:
            ss[f"{NET}:panel"].playing = False


def study_next() -> None:
    """Train every batch size for the next seed."""
    done = len(study["results"])
    seed, total = study["seeds"][done], len(study["seeds"])
    results = bs.study(STUDY.with_(seed=seed), STUDY_BATCHES, label_noise=study["noise"],
                       progress=lambda d, n: study_bar.progress(
                           min(1.0, (done + d / n) / total),
                           text=t("batch.study.progress", done=done, total=total, seed=seed)))
    if study["line"] is None:  # Keskar's line for the first seed only: it needs the models
        study["line"] = bs.interpolate(results[0].run, results[-1].run, ALPHAS)
    study["results"].append([r.row() for r in results])


@lru_cache(maxsize=8)
def seeds_spec(x_title, y_title, legend, title) -> dict:
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=40)).encode(
        x=alt.X("batch:O", title=x_title, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("test:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("seed:N", title=legend, legend=alt.Legend(orient="top")),
        tooltip=["seed:N", "batch:O", "test:Q"])
    return spec(line.properties(title=title, height=260))


@lru_cache(maxsize=8)
def line_spec(x_title, y_title, legend, title) -> dict:
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=alt.X("alpha:Q", title=x_title),
        # log: the training loss (near the target at both ends) and the test loss (near 1) both show
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=300)))
    rules = alt.Chart().mark_rule(strokeDash=[4, 4], color="#888").encode(x="alpha:Q").transform_filter(
        (alt.datum.alpha == 0) | (alt.datum.alpha == 1))
    return spec(alt.layer(line, rules).properties(title=title, height=280))


def verdict_lines(v: dict) -> list[str]:
    """Say only what these numbers show."""
    nums = dict(small=v["small"], large=v["large"], ts=v["small_test"], tl=v["large_test"],
                rs=v["small_train"], rl=v["large_train"], seeds=v["seeds"], wins=v["wins"],
                gap=v["gap"] * 100, target=bs.TARGET_LOSS)
    out = [t(f"batch.verdict.{v['kind']}", **nums)]
    if v["sharper"]:
        out.append(t("batch.verdict.sharper", n=v["sharper"], seeds=v["seeds"], small=v["small"],
                     large=v["large"], ls=v["small_sharp"], ll=v["large_sharp"]))
    else:
        out.append(t("batch.verdict.not_sharper"))
    return out


def draw_study() -> None:
    results, total = study["results"], len(study["seeds"])
    if study["running"]:
        study_bar.progress(min(1.0, len(results) / total),
                           text=t("batch.study.progress", done=len(results), total=total,
                                  seed=study["seeds"][min(len(results), total - 1)]))
    elif len(results) < total:
        study_bar.warning(t("batch.study.stopped", done=len(results), total=total))
    else:
        study_bar.empty()
    if not results:
        study_out.info(t("batch.study.none"))
        return
    rows = pd.DataFrame([dict(r, seed=seed) for seed, rs in zip(study["seeds"], results) for r in rs])
    with study_out.container():
        st.caption(t("batch.study.table", seeds=len(results), noise=study["noise"] * 100,
                     target=bs.TARGET_LOSS))
        by = rows.groupby("batch", sort=False)
        st.dataframe(pd.DataFrame({
            t("batch.col.batch"): list(by.groups),
            t("batch.col.updates"): by["updates"].mean().round().astype(int).values,
            t("batch.col.train_acc"): (by["train_acc"].mean() * 100).round(1).values,
            t("batch.col.test_acc"): (by["test_acc"].mean() * 100).round(1).values,
            t("batch.col.sharpness"): by["sharpness"].mean().round(3).values,
            t("batch.col.reached"): [f"{int(g.sum())}/{len(g)}" for _, g in by["reached"]]}),
            hide_index=True, width="stretch")
        for line in verdict_lines(bs.verdict(results)):
            st.info(line)
        c1, c2 = st.columns(2)
        c1.vega_lite_chart(pd.DataFrame({"batch": rows["batch"].astype(str), "seed": rows["seed"],
                                         "test": (rows["test_acc"] * 100).round(2)}),
                           seeds_spec(t("batch.col.batch"), t("batch.col.test_acc"), t("batch.study.seed"),
                                      t("batch.seeds.title")), width="stretch", height=300)
        ln = study["line"]
        small, large = STUDY_BATCHES[0], STUDY_BATCHES[-1]
        parts = [pd.DataFrame({"alpha": ln["alpha"], "value": ln[key], "series": name})
                 for key, name in (("train_loss", t("batch.line.train")), ("test_loss", t("batch.line.test")))]
        c2.vega_lite_chart(pd.concat(parts, ignore_index=True),
                           line_spec(t("batch.line.alpha"), t("chart.loss"), t("chart.series"),
                                     t("batch.line.title", small=small, large=large)),
                           width="stretch", height=300)
        st.caption(t("batch.line.caption", small=small, large=large, seed=study["seeds"][0]))


st.header(t("batch.s2"))
st.markdown(t("batch.s2_text", sizes=", ".join(map(str, STUDY_BATCHES)), n=STUDY.n_train,
              n_test=STUDY.n_points - STUDY.n_train, target=bs.TARGET_LOSS))
s1, s2, s3, s4 = st.columns([1.3, 1, 1, 1.2])
s1.select_slider(t("batch.study.noise"), NOISE_PERCENTS, key="batch:noise", format_func=lambda p: f"{p} %",
                 help=t("batch.study.noise_help"),
                 disabled=study["running"])
s2.number_input(t("batch.study.n_seeds"), 1, MAX_SEEDS, step=1, key="batch:n_seeds",
                help=t("batch.study.n_seeds_help"), disabled=study["running"])
s3.number_input(t("batch.study.first_seed"), 0, 99, step=1, key="batch:first_seed",
                help=t("batch.study.seed_help"), disabled=study["running"])
s4.write("")
s4.button(t("batch.study.stop") if study["running"] else t("batch.study.run"), key="batch:run_study",
          on_click=study_toggle, type="primary", width="stretch",
          icon=":material/stop:" if study["running"] else ":material/science:")
study_bar, study_out = st.empty(), st.empty()
draw_study()


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

# -- the study's loop, after the panel (whose own loop returns while it is paused) ---------------------
if study["running"]:
    while len(study["results"]) < len(study["seeds"]):
        study_next()
        draw_study()
    study["running"] = False
    st.rerun()

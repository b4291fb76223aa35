"""Lecture section 9, optimizers: a race of seven optimizers from one initialization, Adam's failure
on an online problem (Reddi et al.) fixed by AMSGrad, online versus offline learning."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture import race
from lib.lecture.online import PAGE_LR, PAGE_LRS, PAGE_T, VERSIONS, WORST_AVG_REGRET, OnlineRun
from lib.lecture import presets
from lib.engine.trainer import advance_all
from ui import animation, url
from ui.charts import thin
from ui.i18n import t
from ui.page import setup

# the line-chart spec builder of the learning-rate page is small; a local copy keeps pages apart
import altair as alt
from functools import lru_cache
from ui.charts import spec
from ui.lesson import lesson

RACE, ONLINE = "opt_race", "opt_online"
RACE_STEPS = race.RACE_STEPS   # updates per optimizer in one race (bounded)
RACE_PER_FRAME = 10
ONLINE_T = PAGE_T              # online steps (bounded)
ONLINE_PER_FRAME = 2000        # ~15 ms of Python per frame for both learners
BASE = presets.OPTIMIZER_RACE

setup("optimizers")
url.controls(url.Control("opt_race:seed", BASE.seed, lo=0, hi=10_000),
             url.Control("opt_online:lr", PAGE_LR, choices=PAGE_LRS),
             url.Control("opt_online:version", VERSIONS[0], choices=VERSIONS))
st.title(t("page.optimizers"))
lesson("optimizers")
st.markdown(t("opt.intro"))


@lru_cache(maxsize=16)
def line_spec(x_title: str, y_title: str, legend: str, title: str, log: bool = False,
              domain: tuple | None = None) -> dict:
    scale = alt.Scale(type="log") if log else (alt.Scale(domain=list(domain)) if domain else alt.Undefined)
    chart = alt.Chart().mark_line(clip=True, strokeWidth=1.5).encode(
        x=alt.X("t:Q", title=x_title), y=alt.Y("v:Q", title=y_title, scale=scale),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=260)),
        strokeDash=alt.StrokeDash("dash:N", legend=None))
    return spec(chart.properties(title=title, height=260))


class RaceState:
    def __init__(self, seed: int):
        self.seed = seed
        self.runs = race.start(BASE.with_(seed=seed))
        self.done = False       # sharpness measured at the end


def get_race() -> RaceState:
    if "opt:race" not in st.session_state:
        st.session_state["opt:race"] = RaceState(int(st.session_state.get("opt_race:seed", BASE.seed)))
    return st.session_state["opt:race"]


def get_online() -> dict:
    if "opt:online" not in st.session_state:
        lr = st.session_state.get("opt_online:lr", PAGE_LR)
        version = st.session_state.get("opt_online:version", VERSIONS[0])
        st.session_state["opt:online"] = {r: OnlineRun(r, lr, version=version) for r in ("adam", "amsgrad")}
    return st.session_state["opt:online"]


def race_advance(n: int = RACE_PER_FRAME) -> bool:
    state = get_race()
    left = RACE_STEPS - state.runs[0].step
    if left > 0:
        advance_all(state.runs, min(n, left))
    if state.runs[0].step >= RACE_STEPS and not state.done:
        for run in state.runs:
            if not run.stopped:
                run.measure_hessian()
        state.done = True
    return state.runs[0].step < RACE_STEPS


def online_advance(n: int = ONLINE_PER_FRAME) -> bool:
    sims = get_online()
    for sim in sims.values():
        sim.advance(min(n, ONLINE_T - sim.t))
    return next(iter(sims.values())).t < ONLINE_T


def play_toggle(me: str, other: str):
    def on_play():
        now = not animation.playing(me)
        animation.set_playing(me, now)
        if now:
            animation.set_playing(other, False)  # one blocking loop per script run
    return on_play


def race_step():
    animation.set_playing(RACE, False)
    race_advance(RACE_PER_FRAME)


def race_reset():
    animation.set_playing(RACE, False)
    st.session_state.pop("opt:race", None)


def online_step():
    animation.set_playing(ONLINE, False)
    online_advance(ONLINE_PER_FRAME)


def online_reset():
    animation.set_playing(ONLINE, False)
    st.session_state.pop("opt:online", None)


# -- 1. the race ------------------------------------------------------------------------------------
st.header(t("opt.s1.title"))
st.markdown(t("opt.s1.text", steps=RACE_STEPS))
with st.expander(t("opt.s1.rules"), expanded=False):
    cols = st.columns(2)
    for i, name in enumerate(race.RACE_LRS):
        with cols[i % 2]:
            st.markdown(f"**{t('choice.' + name)}** · η = {race.RACE_LRS[name]:g}")
            st.markdown(t(f"opt.rule.{name}"))
            st.caption(t(f"opt.rel.{name}"))
st.number_input(t("opt.s1.seed"), 0, 10_000, key="opt_race:seed", on_change=race_reset,
                help=t("opt.s1.seed_help"))

animation.buttons(RACE, animation.playing(RACE), play_toggle(RACE, ONLINE), race_step, race_reset,
                  step_help=t("opt.s1.step_help", n=RACE_PER_FRAME))
race_slots = {"step": st.empty(), "progress": st.empty()}
rl, rr = st.columns(2)
race_slots["train"], race_slots["test"] = rl.empty(), rr.empty()
race_slots["table"] = st.empty()
race_slots["verdict"] = st.empty()


def loss_frame(runs, column: str) -> pd.DataFrame:
    parts = []
    for run in runs:
        ev = run.evals.rows()
        parts.append(pd.DataFrame({"t": thin(ev["step"]), "v": thin(ev[column]),
                                   "series": t("choice." + run.config.optimizer), "dash": "a"}))
    df = pd.concat(parts, ignore_index=True).dropna()
    return df[df["v"] > 0]


def fmt(x, pattern="{:.4f}") -> str:
    return "—" if x is None else pattern.format(x)


def draw_race() -> None:
    state = get_race()
    runs = state.runs
    step = runs[0].step
    race_slots["step"].metric(t("metric.step"), step)
    race_slots["progress"].progress(step / RACE_STEPS, text=t("opt.s1.progress", step=step, total=RACE_STEPS))
    race_slots["train"].vega_lite_chart(loss_frame(runs, "train_loss"), line_spec(
        t("opt.chart.updates"), t("opt.chart.loss"), t("opt.chart.optimizer"), t("opt.chart.train_title"),
        log=True), width="stretch")
    race_slots["test"].vega_lite_chart(loss_frame(runs, "test_loss"), line_spec(
        t("opt.chart.updates"), t("opt.chart.loss"), t("opt.chart.optimizer"), t("opt.chart.test_title"),
        log=True), width="stretch")
    rows, summaries = [], []
    for run in runs:
        s = race.summary(run)
        summaries.append(s)
        rows.append({t("opt.col.optimizer"): t("choice." + s["optimizer"]), "η": f"{s['lr']:g}",
                     t("opt.col.train"): fmt(s["train_loss"]), t("opt.col.test"): fmt(s["test_loss"]),
                     t("opt.col.gap"): fmt(s["gap"]), t("opt.col.time"): fmt(s["seconds"], "{:.2f}"),
                     t("opt.col.sharp"): fmt(s["sharpness"], "{:.3g}") if state.done else t("opt.col.at_end"),
                     t("opt.col.status"): t(f"stopped.{run.stopped}", step=run.step) if run.stopped else ""})
    race_slots["table"].dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if state.done:
        race_slots["verdict"].info(verdict_text(race.verdict(summaries), step, state.seed))
    else:
        race_slots["verdict"].empty()


def verdict_text(v: dict, steps: int, seed: int) -> str:
    def name(pair):
        return "—" if pair is None else t("choice." + pair[0])

    def value(pair, pattern):
        return "—" if pair is None else pattern.format(pair[1])
    return t("opt.s1.verdict", steps=steps, seed=seed,
             train_name=name(v["lowest_train"]), train=value(v["lowest_train"], "{:.4f}"),
             test_name=name(v["lowest_test"]), test=value(v["lowest_test"], "{:.4f}"),
             flat_name=name(v["flattest"]), flat=value(v["flattest"], "{:.3g}"),
             sharp_name=name(v["sharpest"]), sharp=value(v["sharpest"], "{:.3g}"),
             ratio=fmt(v["adam_over_sgdm"], "{:.1f}"))


draw_race()
seeds = race.SEEDS_CHECKED
st.caption(t("opt.s1.read", seeds=f"{seeds[0]}–{seeds[-1]}", gap=f"{race.SMALL_GAP:g}"))

# -- 2. Adam's counterexample -----------------------------------------------------------------------
st.header(t("opt.s2.title"))
st.markdown(t("opt.s2.text"))
c_lr, c_version = st.columns(2)
c_lr.select_slider(t("opt.s2.lr"), PAGE_LRS, key="opt_online:lr",
                   on_change=online_reset, help=t("opt.s2.lr_help"))
c_version.radio(t("opt.s2.version"), VERSIONS, key="opt_online:version", horizontal=True,
                format_func=lambda v: t(f"opt.s2.version.{v}"), on_change=online_reset,
                help=t("opt.s2.version_help"))
animation.buttons(ONLINE, animation.playing(ONLINE), play_toggle(ONLINE, RACE), online_step,
                  online_reset, step_help=t("opt.s2.step_help", n=ONLINE_PER_FRAME))
online_slots = {"status": st.empty()}
ol, orr = st.columns(2)
online_slots["x"], online_slots["regret"] = ol.empty(), orr.empty()


def online_frame(key: str) -> pd.DataFrame:
    """One point per period of 101 steps (lib.lecture.online keeps that record, bounded)."""
    sims = get_online()
    parts = []
    for rule, sim in sims.items():
        rows = sim.history.rows("t", key)
        parts.append(pd.DataFrame({"t": thin(rows["t"]), "v": thin(rows[key]),
                                   "series": t("choice." + rule), "dash": "a"}))
    t_max = max(1, max(s.t for s in sims.values()))
    if key == "x":
        parts.append(pd.DataFrame({"t": [1, t_max], "v": [-1.0, -1.0], "series": t("opt.s2.optimum"),
                                   "dash": "b"}))
    else:  # always +1 has exactly this average regret at every period's end
        parts.append(pd.DataFrame({"t": [1, t_max], "v": [WORST_AVG_REGRET] * 2,
                                   "series": t("opt.s2.worst"), "dash": "b"}))
    df = pd.concat(parts, ignore_index=True)
    return df if key == "x" else df[df["v"] > 0]


def draw_online() -> None:
    sims = get_online()
    adam, ams = sims["adam"], sims["amsgrad"]
    since = ams.below_worst_since()
    online_slots["status"].markdown(t(
        "opt.s2.status", t=adam.t, total=ONLINE_T, xa=fmt(adam.period_x, "{:+.3f}"),
        xm=fmt(ams.period_x, "{:+.3f}"), ra=fmt(adam.avg_regret, "{:.3f}"),
        rm=fmt(ams.avg_regret, "{:.3f}"),
        since="" if ams.period_x is None else t("opt.s2.since", t=since) if since else t("opt.s2.not_yet")))
    online_slots["x"].vega_lite_chart(online_frame("x"), line_spec(
        "t", "x", t("opt.chart.optimizer"), t("opt.chart.x_title"), domain=(-1.05, 1.05)), width="stretch")
    online_slots["regret"].vega_lite_chart(online_frame("avg_regret"), line_spec(
        "t", "R_t / t", t("opt.chart.optimizer"), t("opt.chart.regret_title"), log=True), width="stretch")


draw_online()
st.caption(t("opt.s2.read"))

# -- 3. online versus offline -----------------------------------------------------------------------
st.header(t("opt.s3.title"))
c_on, c_off = st.columns(2)


@st.cache_data
def stream_picture() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "i": np.arange(40)})


def picture(online: bool) -> alt.Chart:
    df = stream_picture().copy()
    df["seen"] = np.where((df["i"] == 17) | (not online), "seen", "unseen")
    return alt.Chart(df).mark_circle(size=90).encode(
        x=alt.X("x1:Q", title="x₁"), y=alt.Y("x2:Q", title="x₂"),
        color=alt.Color("seen:N", legend=None, scale=alt.Scale(domain=["seen", "unseen"],
                                                             range=["#d9661f", "#dddddd"])),
    ).properties(height=200, title=t("opt.s3.on_pic") if online else t("opt.s3.off_pic"))


with c_on:
    st.markdown(t("opt.s3.online"))
    st.altair_chart(picture(True), width="stretch")
with c_off:
    st.markdown(t("opt.s3.offline"))
    st.altair_chart(picture(False), width="stretch")

# -- the one loop that may run ------------------------------------------------------------------------
if animation.playing(RACE):
    animation.loop(RACE, race_advance, draw_race, fps=15)
elif animation.playing(ONLINE):
    animation.loop(ONLINE, online_advance, draw_online, fps=15)

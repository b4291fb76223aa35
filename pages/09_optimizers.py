"""Lecture section 9, optimizers: a race of seven optimizers from one initialization, Adam's failure
on an online problem (Reddi et al.) fixed by AMSGrad, online versus offline learning."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture import online, presets, race
from lib.lecture.online import PAGE_LR, PAGE_LRS, PAGE_T, PERIOD, VERSIONS, WORST_AVG_REGRET
from ui import animation, charts, url
from ui.charts import optimizers as opt_charts
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup

RACE, ONLINE = "opt_race", "opt_online"      # the two players
RACE_PER_FRAME = 5        # updates of every racer per frame: 600 updates in ~6–8 s at 20 frames/s
RACE_STEP = 10            # updates of the Step button
TABLE_SECONDS = 0.5       # the race's table, redrawn at most this often while it plays
ONLINE_PER_FRAME = 1000   # online steps per frame for both learners (~4 ms): 200,000 in ~10 s
BASE = presets.OPTIMIZER_RACE

SEED = url.Control("opt_race:seed", BASE.seed, lo=0, hi=10_000, widget="number", step=1,
                   label="opt.s1.seed", help="opt.s1.seed_help")
LR = url.Control("opt_online:lr", PAGE_LR, choices=PAGE_LRS, widget="select_slider",
                 label="opt.s2.lr", help="opt.s2.lr_help")
VERSION = url.Control("opt_online:version", VERSIONS[0], choices=VERSIONS, widget="radio",
                      label="opt.s2.version", help="opt.s2.version_help", choice_label="opt.s2.version.")

setup("optimizers")
url.controls(SEED, LR, VERSION)
st.title(t("page.optimizers"))
lesson("optimizers")
st.markdown(t("opt.intro"))


def fmt(x, pattern="{:.4f}") -> str:
    return "—" if x is None or not np.isfinite(x) else pattern.format(x)


# -- 1. the race ------------------------------------------------------------------------------------
def get_race() -> race.Race:
    seed = int(st.session_state[SEED.key])
    if st.session_state.get("opt:race") is None or st.session_state["opt:race"].seed != seed:
        st.session_state["opt:race"] = race.Race(BASE.with_(seed=seed))
    return st.session_state["opt:race"]


def race_reset() -> None:
    st.session_state.pop("opt:race", None)


def new_seed() -> None:
    """A new seed starts the race over, paused."""
    if animation.playing(RACE):
        animation.pause()
    race_reset()


st.header(t("opt.s1.title"))
st.markdown(t("opt.s1.text", steps=race.RACE_STEPS))
with st.expander(t("opt.s1.rules"), expanded=False):
    cols = st.columns(2)
    for i, name in enumerate(race.RACE_LRS):
        with cols[i % 2]:
            st.markdown(f"**{t('choice.' + name)}** · η = {race.RACE_LRS[name]:g}")
            st.markdown(t(f"opt.rule.{name}"))
            st.caption(t(f"opt.rel.{name}"))
SEED.show(on_change=new_seed)
the_race = get_race()


class RaceFrame:
    """The race's placeholders and what one frame writes into them."""

    def __init__(self, runs):
        names = tuple(run.config.optimizer for run in runs)
        series = opt_charts.race_series(names, tuple(t("choice." + n) for n in names))
        scale = charts.font_scale()
        words = (t("opt.chart.updates"), t("opt.chart.loss"), None)   # the names say "optimizer"
        self.train = charts.LiveChart("opt:train", opt_charts.race_spec(
            t("opt.chart.train_title"), *words, series, scale), height=opt_charts.RACE_HEIGHT)
        self.test = charts.LiveChart("opt:test", opt_charts.race_spec(
            t("opt.chart.test_title"), *words, series, scale), height=opt_charts.RACE_HEIGHT)
        m, bar = st.columns([1, 4], vertical_alignment="bottom")
        self.slots = {"step": m.empty(), "progress": bar.empty()}
        left, right = st.columns(2)
        self.slots["train"], self.slots["test"] = left.empty(), right.empty()
        self.slots["table"] = st.empty()
        self.slots["verdict"] = st.empty()
        self.table_at = -1e9

    def draw(self) -> None:
        state = get_race()
        step = state.step
        self.slots["step"].metric(t("metric.step"), step)
        self.slots["progress"].progress(step / state.steps,
                                        text=t("opt.s1.progress", step=step, total=state.steps))
        now = time.perf_counter()
        if now - self.table_at >= TABLE_SECONDS or not animation.playing(RACE):
            self.table_at = now      # a table is a few kB: a few a second while it plays
            self.draw_table(state)   # (first: it evaluates each run at this step, for the charts too)
        self.train.draw(self.slots["train"], **opt_charts.race_data(state.runs, "train_loss"))
        self.test.draw(self.slots["test"], **opt_charts.race_data(state.runs, "test_loss"))

    def draw_table(self, state: race.Race) -> None:
        rows, summaries = [], state.summaries()
        for run, s in zip(state.runs, summaries):
            rows.append({t("opt.col.optimizer"): t("choice." + s["optimizer"]), "η": f"{s['lr']:g}",
                         t("opt.col.train"): fmt(s["train_loss"]), t("opt.col.test"): fmt(s["test_loss"]),
                         t("opt.col.gap"): fmt(s["gap"]), t("opt.col.time"): fmt(s["seconds"], "{:.2f}"),
                         t("opt.col.sharp"): fmt(s["sharpness"], "{:.3g}") if state.done else t("opt.col.at_end"),
                         t("opt.col.status"): t(f"stopped.{run.stopped}", step=run.step) if run.stopped else ""})
        self.slots["table"].dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        if state.done:
            self.slots["verdict"].info(verdict_text(race.verdict(summaries), state.step, state.seed))
        else:
            self.slots["verdict"].empty()


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


animation.player(RACE, lambda _s: get_race().advance(RACE_PER_FRAME), lambda: race_frame.draw(),
                 step=lambda: get_race().advance(RACE_STEP), reset=race_reset, fps=20,
                 step_help=t("opt.s1.step_help", n=RACE_STEP))
race_frame = RaceFrame(the_race.runs)
race_frame.draw()
seeds = race.SEEDS_CHECKED
st.caption(t("opt.s1.read", seeds=f"{seeds[0]}–{seeds[-1]}", gap=f"{race.SMALL_GAP:g}"))

# -- 2. Adam's counterexample -----------------------------------------------------------------------
st.header(t("opt.s2.title"))
st.markdown(t("opt.s2.text"))


def get_online() -> dict:
    wanted = (st.session_state[LR.key], st.session_state[VERSION.key])
    if st.session_state.get("opt:online_for") != wanted or "opt:online" not in st.session_state:
        st.session_state["opt:online"] = online.learners(*wanted)
        st.session_state["opt:online_for"] = wanted
    return st.session_state["opt:online"]


def online_reset() -> None:
    st.session_state.pop("opt:online", None)


def new_online_setting() -> None:
    """A new step size or version starts over, paused."""
    if animation.playing(ONLINE):
        animation.pause()
    online_reset()


c_lr, c_version = st.columns(2)
LR.show(c_lr, on_change=new_online_setting)
VERSION.show(c_version, on_change=new_online_setting)


class OnlineFrame:
    def __init__(self):
        series = tuple((rule, t("choice." + rule)) for rule in online.RULES)
        scale = charts.font_scale()
        legend = None    # Adam, AMSGrad and the reference line name themselves
        self.x = charts.LiveChart("opt:x", opt_charts.online_spec(
            t("opt.chart.x_title"), "t", "x", legend, (*series, ("ref", t("opt.s2.optimum"), "dashed")),
            scale, regret=False), height=opt_charts.ONLINE_HEIGHT,
            static=opt_charts.reference(PERIOD, PAGE_T, -1.0))
        self.regret = charts.LiveChart("opt:regret", opt_charts.online_spec(
            t("opt.chart.regret_title"), "t", "R_t / t", legend,
            (*series, ("ref", t("opt.s2.worst"), "dashed")), scale, regret=True),
            height=opt_charts.ONLINE_HEIGHT, static=opt_charts.reference(PERIOD, PAGE_T, WORST_AVG_REGRET))
        m, status = st.columns([1, 4], vertical_alignment="center")
        self.slots = {"t": m.empty(), "status": status.empty()}
        left, right = st.columns(2)
        self.slots["x"], self.slots["regret"] = left.empty(), right.empty()

    def draw(self) -> None:
        sims = get_online()
        adam, ams = sims["adam"], sims["amsgrad"]
        since = ams.below_worst_since()
        self.slots["t"].metric(t("opt.s2.metric"), f"{adam.t:,}")
        self.slots["status"].markdown(t(
            "opt.s2.status", t=adam.t, total=PAGE_T, xa=fmt(adam.period_x, "{:+.3f}"),
            xm=fmt(ams.period_x, "{:+.3f}"), ra=fmt(adam.avg_regret, "{:.3f}"),
            rm=fmt(ams.avg_regret, "{:.3f}"),
            since="" if ams.period_x is None else t("opt.s2.since", t=since) if since else t("opt.s2.not_yet")))
        self.x.draw(self.slots["x"], **opt_charts.online_data(sims, "x"))
        self.regret.draw(self.slots["regret"], **opt_charts.online_data(sims, "avg_regret"))


animation.player(ONLINE, lambda _s: online.advance_all(get_online(), ONLINE_PER_FRAME),
                 lambda: online_frame.draw(),
                 step=lambda: online.advance_all(get_online(), ONLINE_PER_FRAME), reset=online_reset,
                 fps=20, step_help=t("opt.s2.step_help", n=ONLINE_PER_FRAME))
online_frame = OnlineFrame()
online_frame.draw()
st.caption(t("opt.s2.read"))

# -- 3. online versus offline -----------------------------------------------------------------------
st.header(t("opt.s3.title"))
points = online.picture_points()
c_on, c_off = st.columns(2)
for where, is_online in ((c_on, True), (c_off, False)):
    with where:
        st.markdown(t("opt.s3.online" if is_online else "opt.s3.offline"))
        words = opt_charts.PictureWords(t("opt.s3.on_pic" if is_online else "opt.s3.off_pic"),
                                        t("opt.s3.seen"), t("opt.s3.unseen"))
        seen = np.arange(len(points)) == online.PICTURE_NOW if is_online else np.ones(len(points), bool)
        charts.show("opt:online_pic" if is_online else "opt:offline_pic",
                    opt_charts.picture_spec(words, charts.font_scale()), opt_charts.PICTURE_HEIGHT,
                    **opt_charts.picture_data(points, seen))
end()

"""Momentum (lecture section 4): GD vs GD + momentum on a surface with a local minimum and a
plateau, m as a weighted sum of past gradients, and SGD vs SGD with momentum on a network."""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch

from lib.lecture import momentum as mo
from lib.lecture import presets
from ui import animation, url
from ui.charts import spec
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

SIM, NET = "mom_sim", "mom_net"       # namespaces: the page's own animation, the training panel
STEPS = mo.STEPS                      # length of each descent path
SHOWN_TERMS = 30                      # bars of m's decomposition (older terms weigh < λ^30)
X_RANGE = (-4.0, 5.0)
W2_RANGE = (-1.5, 1.5)
GRID = 36
PRESET = presets.MOMENTUM_NET

setup("momentum")
url.controls(*(url.Control(f"{SIM}:{name}", default, lo=lo, hi=hi)
               for name, (default, lo, hi, _) in (("lr", mo.LR), ("lam", mo.LAM), ("w1", mo.W1))))
st.title(t("page.momentum"))
lesson("momentum")
st.markdown(t("mom.intro"))


# -- state -------------------------------------------------------------------------------------------
def sim() -> dict:
    key = f"{SIM}:state"
    if key not in st.session_state:
        st.session_state[key] = {"i": 0}
    return st.session_state[key]


def panel_state():
    return st.session_state.get(f"{NET}:panel")


def on_sim_play() -> None:
    now = not animation.playing(SIM)
    animation.set_playing(SIM, now)
    if now and panel_state() is not None:
        panel_state().playing = False      # one live loop at a time
    if now and sim()["i"] >= STEPS:
        sim()["i"] = 0


def on_sim_step() -> None:
    animation.set_playing(SIM, False)
    sim()["i"] = min(STEPS, sim()["i"] + 1)


def on_sim_reset() -> None:
    animation.set_playing(SIM, False)
    sim()["i"] = 0


def on_slider() -> None:
    sim()["i"] = 0


# The panel's Play was pressed in this run: the page's own animation pauses.
if st.session_state.get(f"{NET}:play") and panel_state() is not None and not panel_state().playing:
    animation.set_playing(SIM, False)


@st.cache_data(max_entries=64)
def paths(lr: float, lam: float, w1: float):
    """(GD, GD + momentum) on the 1-D curve and on the 2-D surface, from the same start."""
    out = {}
    for name, fn, start in (("1d", mo.curve, (w1,)), ("2d", mo.surface, (w1, mo.W2_START))):
        out[name] = (mo.descend(fn, start, lr, 0.0, STEPS), mo.descend(fn, start, lr, lam, STEPS))
    return out


@st.cache_data
def curve_points():
    x = torch.linspace(*X_RANGE, 181, dtype=torch.float64)
    return x.numpy(), mo.curve(x).numpy()


@st.cache_data
def surface_cells():
    g1 = np.linspace(*X_RANGE, GRID)
    g2 = np.linspace(*W2_RANGE, GRID)
    m1, m2 = np.meshgrid(g1, g2)
    loss = mo.surface(torch.tensor(np.stack([m1, m2], -1))).numpy()
    d1, d2 = (g1[1] - g1[0]) / 2, (g2[1] - g2[0]) / 2
    return pd.DataFrame({"w1": m1.ravel() - d1, "w1b": m1.ravel() + d1, "w2": m2.ravel() - d2,
                         "w2b": m2.ravel() + d2, "loss": loss.ravel(), "kind": "grid"})


# -- chart specs (fixed per language; the data changes every frame) ----------------------------------
@lru_cache(maxsize=8)
def curve_spec(x_title, y_title, legend, title) -> dict:
    line = alt.Chart().transform_filter(alt.datum.kind == "curve").mark_line(color="#888").encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=list(X_RANGE))),
        y=alt.Y("loss:Q", title=y_title))
    balls = alt.Chart().transform_filter(alt.datum.kind == "ball").mark_circle(
        size=220, opacity=0.9, stroke="black", strokeWidth=1).encode(
        x="x:Q", y="loss:Q", color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=300)))
    return spec(alt.layer(line, balls).properties(title=title, height=260))


@lru_cache(maxsize=8)
def surface_spec(legend, loss_title, title) -> dict:
    cells = alt.Chart().transform_filter(alt.datum.kind == "grid").mark_rect().encode(
        x=alt.X("w1:Q", title="w₁", scale=alt.Scale(domain=list(X_RANGE), nice=False)), x2="w1b:Q",
        y=alt.Y("w2:Q", title="w₂", scale=alt.Scale(domain=list(W2_RANGE), nice=False)), y2="w2b:Q",
        color=alt.Color("loss:Q", title=loss_title, scale=alt.Scale(scheme="greys", reverse=True)))
    trail = alt.Chart().transform_filter(alt.datum.kind == "path").mark_line(
        point=alt.OverlayMarkDef(size=14), strokeWidth=2, clip=True).encode(
        x="w1:Q", y="w2:Q", order="k:Q",
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=300)))
    chart = alt.layer(cells, trail).resolve_scale(color="independent")
    return spec(chart.properties(title=title, height=260))


@lru_cache(maxsize=8)
def bars_spec(x_title, y_title, legend, title) -> dict:
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("k:O", title=x_title), y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=300)))
    return spec(bars.properties(title=title, height=220))


# -- frames ---------------------------------------------------------------------------------------------
def curve_frame(p1d, i: int) -> pd.DataFrame:
    x, y = curve_points()
    rows = [pd.DataFrame({"x": x, "loss": y, "kind": "curve", "series": ""})]
    for path, name in zip(p1d, (t("mom.gd"), t("mom.gdm"))):
        j = min(i, path.steps)
        rows.append(pd.DataFrame({"x": [path.theta[j, 0]], "loss": [path.losses[j]], "kind": "ball",
                                  "series": name}))
    return pd.concat(rows, ignore_index=True)


def surface_frame(p2d, i: int) -> pd.DataFrame:
    rows = [surface_cells()]
    for path, name in zip(p2d, (t("mom.gd"), t("mom.gdm"))):
        j = min(i, path.steps)
        th = np.clip(path.theta[:j + 1], [X_RANGE[0], W2_RANGE[0]], [X_RANGE[1], W2_RANGE[1]])
        rows.append(pd.DataFrame({"w1": th[:, 0], "w2": th[:, 1], "k": np.arange(j + 1),
                                  "kind": "path", "series": name}))
    return pd.concat(rows, ignore_index=True)


def decomposition_frames(path, i: int, lr: float, lam: float):
    """Bars of the weights ηλ^(i−k−1), and of the terms −ηλ^(i−k−1)g^k plus their sum m^i."""
    i = min(i, path.steps)
    ks = np.arange(max(0, i - SHOWN_TERMS), i)
    w = -mo.weights(i, lr, lam)[ks] if i else np.zeros(0)
    terms = mo.terms(path, i, lr, lam)[:, 0]
    weights_df = pd.DataFrame({"k": ks, "value": w, "series": t("mom.weight_series")})
    terms_df = pd.concat([
        pd.DataFrame({"k": ks, "value": terms[ks], "series": t("mom.term_series")}),
        pd.DataFrame({"k": [i], "value": [mo.movement(path, i)[0]], "series": [t("mom.m_series")]}),
    ], ignore_index=True)
    return weights_df, terms_df, float(terms.sum()), float(mo.movement(path, i)[0])


# -- section 1: the ball on the curve and on the surface -------------------------------------------------
st.header(t("mom.s1"))
crit = mo.critical_points()
st.markdown(t("mom.s1_text", local=crit["local"], bump=crit["bump"], best=crit["global"]))
st.caption(t("mom.torch"))
c1, c2, c3 = st.columns(3)
lr = c1.slider(t("mom.lr"), *mo.LR[1:3], step=mo.LR[3], key=f"{SIM}:lr", on_change=on_slider,
               help=t("mom.lr_help"))
lam = c2.slider(t("mom.lam"), *mo.LAM[1:3], step=mo.LAM[3], key=f"{SIM}:lam", on_change=on_slider,
                help=t("mom.lam_help"))
w1 = c3.slider(t("mom.start"), *mo.W1[1:3], step=mo.W1[3], key=f"{SIM}:w1", on_change=on_slider,
               help=t("mom.start_help", w2=mo.W2_START))
animation.buttons(SIM, animation.playing(SIM), on_sim_play, on_sim_step, on_sim_reset)
all_paths = paths(lr, lam, w1)
step_slot = st.empty()
left, right = st.columns(2)
curve_slot, surface_slot = left.empty(), right.empty()
verdict_slot = st.empty()

st.header(t("mom.s2"))
st.markdown(t("mom.s2_text"))
b1, b2 = st.columns(2)
weights_slot, terms_slot = b1.empty(), b2.empty()
sum_slot = st.empty()


@st.cache_data(max_entries=64)
def smallest_lam_through(lr: float, w1: float, lam: float):
    return mo.smallest_lam_through(lr, w1, lam)


def verdict() -> str:
    gd, gdm = all_paths["2d"]
    kind = mo.verdict(gd, gdm)
    numbers = dict(gd=gd.theta[-1, 0], gdm=gdm.theta[-1, 0], lgd=gd.losses[-1], lgdm=gdm.losses[-1])
    if kind == "both_stuck":
        better = smallest_lam_through(lr, w1, lam)
        if better is None:
            return t("mom.verdict.no_lam", x=gdm.theta[-1, 0], hi=mo.LAM[2])
        return t("mom.verdict.both_stuck", x=gdm.theta[-1, 0], lam=better)
    return t(f"mom.verdict.{kind}", **numbers)


def draw() -> None:
    i = sim()["i"]
    step_slot.metric(t("mom.step"), i)
    curve_slot.vega_lite_chart(curve_frame(all_paths["1d"], i),
                               curve_spec("w", t("chart.loss"), t("chart.series"), t("mom.curve_title")),
                               width="stretch", height=320)
    surface_slot.vega_lite_chart(surface_frame(all_paths["2d"], i),
                                 surface_spec(t("chart.series"), t("chart.loss"), t("mom.surface_title")),
                                 width="stretch", height=320)
    wdf, tdf, total, actual = decomposition_frames(all_paths["1d"][1], i, lr, lam)
    weights_slot.vega_lite_chart(wdf, bars_spec("k", t("mom.weight_axis"), t("chart.series"),
                                                t("mom.weights_title", i=i)), width="stretch")
    terms_slot.vega_lite_chart(tdf, bars_spec("k", t("mom.term_axis"), t("chart.series"),
                                              t("mom.terms_title", i=i)), width="stretch")
    sum_slot.markdown(t("mom.sum", i=i, total=total, actual=actual))


def advance() -> bool:
    s = sim()
    s["i"] = min(STEPS, s["i"] + 1)
    return s["i"] < STEPS


draw()
verdict_slot.info(verdict())

# -- section 3: SGD vs SGD with momentum on a network ---------------------------------------------------
st.header(t("mom.s3"))
st.markdown(t("mom.s3_text"))
state = panel(NET, preset=PRESET, compare_preset=("optimizer", ("sgd", "sgdm")))

# The page's own animation plays last, so the whole page is drawn before its loop starts; it never
# runs while the panel plays (only one loop can block a script run).
if animation.playing(SIM) and not state.playing:
    animation.loop(SIM, advance, draw, fps=20)

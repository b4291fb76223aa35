"""Lecture section 5, learning rate: fixed η on an elongated valley, σ per parameter (Adagrad,
RMSProp, Adam), Adagrad's late burst and its cure by decay, schedules and warmup for Adam."""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib.engine.models import surface_grid
from lib.engine.optim import schedule_lr
from lib.lecture import presets
from lib.lecture import surface_runs as surf
from lib.lecture.surface_runs import AD_LRS, B, GD_LRS, LIMIT, START, valley
from ui import animation, url
from ui.charts import spec, thin
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

NS, SIM = "lr", "lr_surface"
PER_FRAME = 3
LO, HI = (-2.0, -1.2), (2.0, 1.2)

setup("learning_rate")
url.controls(url.Control("lr_sim:gd_lr", surf.GD_LR, choices=GD_LRS),
             url.Control("lr_sim:ad_lr", surf.AD_LR, choices=AD_LRS),
             url.Control("lr_sim:alpha", surf.ALPHA, lo=0.5, hi=0.99))
st.title(t("page.learning_rate"))
lesson("learning_rate")
st.markdown(t("lr.intro"))


# -- state ---------------------------------------------------------------------------------------
def new_sims() -> dict:
    return surf.page_runs(st.session_state.get("lr_sim:gd_lr", surf.GD_LR),
                          st.session_state.get("lr_sim:ad_lr", surf.AD_LR),
                          st.session_state.get("lr_sim:alpha", surf.ALPHA))


def reset_sims() -> None:
    animation.set_playing(SIM, False)
    st.session_state["lr_sim:runs"] = new_sims()


def step_sims(n: int = 1) -> bool:
    sims = st.session_state["lr_sim:runs"]
    for run in sims.values():
        run.advance(min(n, LIMIT - run.t))
    return any(r.t < LIMIT and not r.stopped for r in sims.values())


def on_sim_play() -> None:
    now = not animation.playing(SIM)
    animation.set_playing(SIM, now)
    panel_state = st.session_state.get(f"{NS}:panel")
    if now and panel_state is not None:
        panel_state.playing = False  # one blocking loop per script run


def on_sim_step() -> None:
    animation.set_playing(SIM, False)
    step_sims(1)


if "lr_sim:runs" not in st.session_state:
    st.session_state["lr_sim:runs"] = new_sims()
panel_state = st.session_state.get(f"{NS}:panel")
if panel_state is not None and panel_state.playing and animation.playing(SIM):
    animation.set_playing(SIM, False)  # the panel's Play was pressed last


# -- charts ---------------------------------------------------------------------------------------
@st.cache_data
def valley_cells(steps: int = 36) -> list[dict]:
    g1, g2, loss = surface_grid(valley, LO, HI, steps)
    d1, d2 = float(g1[1] - g1[0]), float(g2[1] - g2[0])
    return [{"a": float(x) - d1 / 2, "a2": float(x) + d1 / 2, "b": float(y) - d2 / 2,
             "b2": float(y) + d2 / 2, "L": float(loss[j, i])}
            for i, x in enumerate(g1) for j, y in enumerate(g2)]


@lru_cache(maxsize=4)
def path_spec(title: str, legend: str, loss_title: str) -> dict:
    x = alt.X("w1:Q", title="w₁", scale=alt.Scale(domain=[LO[0], HI[0]], nice=False))
    y = alt.Y("w2:Q", title="w₂", scale=alt.Scale(domain=[LO[1], HI[1]], nice=False))
    cells = alt.Chart().mark_rect(opacity=0.55).encode(
        x=alt.X("a:Q", scale=alt.Scale(domain=[LO[0], HI[0]], nice=False), title="w₁"), x2="a2:Q",
        y=alt.Y("b:Q", scale=alt.Scale(domain=[LO[1], HI[1]], nice=False), title="w₂"), y2="b2:Q",
        color=alt.Color("L:Q", title=loss_title, scale=alt.Scale(scheme="greys", type="sqrt")))
    color = alt.Color("series:N", title=legend, legend=alt.Legend(orient="top"))
    lines = alt.Chart().mark_line(clip=True, strokeWidth=1.5, point=alt.OverlayMarkDef(size=8)).encode(
        x=x, y=y, color=color, order="t:Q")
    heads = alt.Chart().transform_filter(alt.datum.head).mark_point(
        size=90, filled=True, clip=True, stroke="black").encode(
        x=x, y=y, color=alt.Color("series:N", legend=None))
    out = alt.layer(cells, lines, heads).resolve_scale(color="independent").properties(
        title=title, height=320).to_dict()
    for part in [out, *out["layer"]]:
        part.pop("data", None)
        part.pop("datasets", None)
    out["layer"][0]["data"] = {"values": valley_cells()}  # fixed: only the paths change per frame
    out["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    return out


@lru_cache(maxsize=16)
def line_spec(x_title: str, y_title: str, legend: str, title: str, log: bool = True,
              height: int = 220) -> dict:
    chart = alt.Chart().mark_line(clip=True, strokeWidth=1.5).encode(
        x=alt.X("t:Q", title=x_title),
        y=alt.Y("v:Q", title=y_title, scale=alt.Scale(type="log") if log else alt.Undefined),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=260)),
        strokeDash=alt.StrokeDash("dash:N", legend=None))
    return spec(chart.properties(title=title, height=height))


def name(rule: str) -> str:
    return t(f"lr.rule.{rule}")


def path_frame(sims: dict) -> pd.DataFrame:
    parts = []
    for rule, run in sims.items():
        p = np.asarray(thin(run.path, 300))
        n = len(p)
        parts.append(pd.DataFrame({"w1": p[:, 0], "w2": p[:, 1], "t": np.arange(n),
                                   "series": name(rule), "head": np.arange(n) == n - 1}))
    return pd.concat(parts, ignore_index=True)


def series_frame(items) -> pd.DataFrame:
    """items: (label, dash, values over t) → long frame, positive values only (log axes)."""
    parts = []
    for label, dash, values in items:
        ts = thin(list(range(len(values))))
        vs = thin(list(values))
        parts.append(pd.DataFrame({"t": ts, "v": vs, "series": label, "dash": dash}))
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"t": [], "v": [], "series": [], "dash": []})
    df = df[df["v"] > 0]
    df["v"] = df["v"].clip(lower=1e-12)  # the runs converge to 1e-300 and below: keep the log axis sane
    return df


def draw_surface(slots: dict) -> None:
    sims = st.session_state["lr_sim:runs"]
    gd = sims["gd"]
    slots["step"].markdown(t("lr.s1.status", t=gd.t, limit=LIMIT, loss=gd.losses[-1],
                             g=gd.grad_norms()[-1] if gd.grads else float("nan")))
    slots["path"].vega_lite_chart(path_frame(sims),
                                  path_spec(t("lr.chart.path"), t("lr.chart.optimizer"), t("lr.chart.loss")),
                                  width="stretch")
    loss_items = [(name(r), "a", run.losses) for r, run in sims.items()]
    grad_items = [(name(r), "a", run.grad_norms()) for r, run in sims.items()]
    slots["loss"].vega_lite_chart(series_frame(loss_items), line_spec(
        t("lr.chart.updates"), t("lr.chart.loss"), t("lr.chart.optimizer"), t("lr.chart.loss_title")),
        width="stretch")
    slots["grad"].vega_lite_chart(series_frame(grad_items), line_spec(
        t("lr.chart.updates"), t("lr.chart.grad"), t("lr.chart.optimizer"), t("lr.chart.grad_title")),
        width="stretch")
    sigma_items, step_items = [], []
    for rule in ("adagrad", "rmsprop", "adam"):
        run = sims[rule]
        for i in (0, 1):
            dash = "a" if i == 0 else "b"
            sigma_items.append((f"{name(rule)} σ{'₁₂'[i]}", dash, [s[i] for s in run.sigmas]))
            step_items.append((f"{name(rule)} η/σ{'₁₂'[i]}", dash, [s[i] for s in run.steps]))
    slots["sigma"].vega_lite_chart(series_frame(sigma_items), line_spec(
        t("lr.chart.updates"), "σ", t("lr.chart.series"), t("lr.chart.sigma_title")), width="stretch")
    slots["eff"].vega_lite_chart(series_frame(step_items), line_spec(
        t("lr.chart.updates"), "η/σ", t("lr.chart.series"), t("lr.chart.eff_title")), width="stretch")


# -- 1. a fixed learning rate on an elongated valley ---------------------------------------------
st.header(t("lr.s1.title"))
st.markdown(t("lr.s1.text", half_a=surf.A / 2, c=B / surf.K ** 2, k=surf.K, a=surf.A, b=B,
              slope=B / surf.K, w1=START[0], w2=START[1]))
st.markdown(t("lr.s1.rules"))
st.caption(t("lr.s1.torch"))
c1, c2, c3 = st.columns(3)
c1.select_slider(t("lr.s1.gd_lr"), GD_LRS, key="lr_sim:gd_lr", on_change=reset_sims,
                 help=t("lr.s1.gd_lr_help", b=B, limit=2 / B, half=1 / B))
c2.select_slider(t("lr.s1.ad_lr"), AD_LRS, key="lr_sim:ad_lr",
                 on_change=reset_sims)
c3.slider(t("lr.s1.alpha"), 0.5, 0.99, step=0.01, key="lr_sim:alpha", on_change=reset_sims,
          help=t("lr.s1.alpha_help"))
animation.buttons(SIM, animation.playing(SIM), on_sim_play, on_sim_step, reset_sims)
slots = {"step": st.empty()}
left, right = st.columns([3, 2])
slots["path"] = left.empty()
slots["loss"] = right.empty()
slots["grad"] = right.empty()


@st.cache_data
def fixed_lr_readout() -> dict:
    return surf.fixed_lr_readout()


st.caption(t("lr.s1.read", **fixed_lr_readout()))

# -- 2. σ per parameter ---------------------------------------------------------------------------
st.header(t("lr.s2.title"))
st.markdown(t("lr.s2.text"))
sl, sr = st.columns(2)
slots["sigma"], slots["eff"] = sl.empty(), sr.empty()
draw_surface(slots)

st.subheader(t("lr.s2.burst_title"))
st.markdown(t("lr.s2.burst_text"))


@st.cache_data
def burst_runs():
    return {decay: ([p[1] for p in run.path], [s[1] for s in run.steps], surf.sideways_burst(run))
            for decay, run in surf.adagrad_pair().items()}


burst = burst_runs()
labels = {False: t("lr.s2.const"), True: t("lr.s2.decay")}
bl, br = st.columns(2)
w2_df = pd.concat([pd.DataFrame({"t": range(len(burst[d][0])), "v": burst[d][0], "series": labels[d],
                                 "dash": "a"}) for d in (False, True)], ignore_index=True)
bl.vega_lite_chart(w2_df, line_spec(t("lr.chart.updates"), "w₂", t("lr.chart.series"),
                                    t("lr.chart.w2_title"), log=False), width="stretch")
eff_items = [(labels[d], "a", burst[d][1]) for d in (False, True)]
eff_df = pd.concat([series_frame(eff_items), pd.DataFrame(
    {"t": [0, LIMIT], "v": [2 / B, 2 / B], "series": t("lr.s2.limit"), "dash": "b"})], ignore_index=True)
br.vega_lite_chart(eff_df, line_spec(t("lr.chart.updates"), "η/σ₂", t("lr.chart.series"),
                                     t("lr.chart.eff2_title")), width="stretch")
t_burst, size = burst[False][2]
st.info(t("lr.s2.burst_found", lr=surf.AD_LR, t=t_burst, size=size, after=burst[True][2][1]))

# -- 3. schedules ---------------------------------------------------------------------------------
st.header(t("lr.s3.title"))
st.markdown(t("lr.s3.text"))
ETA, WARM, DECAY, T_MAX = 0.01, 100, 2000, 2500
scheds = {"constant": {}, "exponential": {"gamma": 0.5, "decay_steps": 500},
          "warmup_linear": {"warmup": WARM, "decay_steps": DECAY},
          "warmup_cosine": {"warmup": WARM, "decay_steps": DECAY},
          "transformer": {"warmup": WARM, "d_model": 64}}
rows = []
for sname, kw in scheds.items():
    # the Transformer's formula has no η of its own: scale it so that its peak is η as well
    eta = ETA / (64 ** -0.5 * WARM ** -0.5) if sname == "transformer" else ETA
    ts = list(range(1, T_MAX + 1, 5))
    rows.append(pd.DataFrame({"t": ts, "v": [schedule_lr(sname, s, eta, **kw) for s in ts],
                              "series": t(f"choice.{sname}"), "dash": "a"}))
st.vega_lite_chart(pd.concat(rows, ignore_index=True),
                   line_spec(t("lr.chart.updates"), t("lr.chart.eta"), t("lr.chart.series"),
                             t("lr.chart.sched_title"), log=False, height=240), width="stretch")
st.caption(t("lr.s3.formulas"))
st.markdown(t("lr.s3.panel"))

PRESET = presets.LEARNING_RATE
panel(NS, PRESET, compare_preset=("schedule", ("constant", "warmup_linear")))

# the surface animation runs after the panel has drawn (and only while the panel is not playing)
if animation.playing(SIM):
    animation.loop(SIM, lambda: step_sims(PER_FRAME), lambda: draw_surface(slots), fps=20)

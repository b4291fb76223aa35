"""Lecture section 8: overfitting. The bound on bad training sets, checked by simulation."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture.overfit import (GRID_COUNT, GRID_LO, N_MAXES, NESTED_SIZES, SIM_DEFAULTS, TASK,
                         TRADEOFF_DELTA, TRADEOFF_EPS, TRADEOFF_NS, TRADEOFF_SEED, TRADEOFF_TRIALS,
                         TRIALS, good_sets_pick_well, hypothesis_class, n_grid, picked_losses,
                         simulate, tradeoff, tradeoff_shape, under_bound)
from lib.lecture.theory import bad_sample_bound, samples_needed
from ui import url
from ui.i18n import t
from ui.page import setup
from ui.lesson import lesson

setup("overfitting")
url.controls(url.Control("of:h", 10_000, lo=1, hi=10**9), url.Control("of:n", 1_000, lo=1, hi=10**6),
             url.Control("of:eps", 0.1, lo=0.001, hi=0.5), url.Control("of:delta", 0.05, lo=0.001, hi=0.999),
             url.Control("of:sim_h", SIM_DEFAULTS["size"], choices=tuple(NESTED_SIZES)),
             url.Control("of:sim_eps", SIM_DEFAULTS["eps"], lo=0.02, hi=0.3),
             url.Control("of:trials", SIM_DEFAULTS["trials"], choices=TRIALS),
             url.Control("of:n_max", SIM_DEFAULTS["n_max"], choices=N_MAXES),
             url.Control("of:seed", SIM_DEFAULTS["seed"], lo=0, hi=10_000))


@st.cache_data(max_entries=64, show_spinner=False)
def simulated(size: int, n: int, eps: float, trials: int, seed: int) -> dict:
    """One N of the simulation, cached (read-only, the same for every student)."""
    trial = simulate(TASK, hypothesis_class(size, TASK.values), n, eps, trials, seed)
    return {"n": n, "share": trial.bad_share, "se": trial.std_error, "bound": trial.bound,
            "within": under_bound(trial), "good_ok": good_sets_pick_well(trial, eps),
            "gaps": trial.worst_gap}


@st.cache_data(max_entries=8, show_spinner=False)
def tradeoff_rows() -> list[dict]:
    """The trade-off simulation (fixed settings, the same for every student)."""
    return picked_losses(TASK, NESTED_SIZES, TRADEOFF_NS, TRADEOFF_TRIALS, TRADEOFF_SEED)


st.title(t("page.overfitting"))
lesson("overfitting")
st.markdown(t("of.intro"))

# -- 1 the bound -------------------------------------------------------------------------------------
st.header(t("of.s1.title"))
st.markdown(t("of.s1.text"))
c1, c2, c3, c4 = st.columns(4)
h_size = c1.number_input(t("of.h_size"), min_value=1, max_value=10**9, step=1,
                         key="of:h")
n = c2.number_input(t("of.n"), min_value=1, max_value=10**6, step=100, key="of:n")
eps = c3.number_input(t("of.eps"), min_value=0.001, max_value=0.5, step=0.01,
                      format="%.3f", key="of:eps")
delta = c4.number_input(t("of.delta"), min_value=0.001, max_value=0.999, step=0.01,
                        format="%.3f", key="of:delta")
try:
    bound = bad_sample_bound(int(h_size), int(n), float(eps))
    needed = samples_needed(int(h_size), float(eps), float(delta))
except (ValueError, TypeError, OverflowError) as err:
    st.error(t("of.bad_input", error=err))
else:
    m1, m2 = st.columns(2)
    m1.metric(t("of.bound_value"), f"{bound:.3g}")
    m2.metric(t("of.n_needed"), f"{needed:,}")
    if bound > 1:
        st.warning(t("of.vacuous"))
    else:
        st.success(t("of.useful", n=f"{int(n):,}", p=f"{bound:.3g}"))
    top = max(2 * needed, int(n), 10)
    ns = np.unique(np.geomspace(1, top, 200).round().astype(int))
    values = [bad_sample_bound(int(h_size), int(x), float(eps)) for x in ns]
    df = pd.DataFrame({"N": ns, "p": np.clip(values, 1e-12, None), "series": t("of.chart.bound")})
    bound_line = alt.Chart(df).mark_line().encode(
        x=alt.X("N:Q", title=t("of.chart.n"), scale=alt.Scale(type="log")),
        y=alt.Y("p:Q", title=t("of.chart.p"), scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=t("of.chart.series"), legend=alt.Legend(orient="top")))
    one = alt.Chart(pd.DataFrame({"p": [1.0]})).mark_rule(strokeDash=[4, 4], color="gray").encode(y="p:Q")
    here = alt.Chart(pd.DataFrame({"N": [int(n)]})).mark_rule(color="#d62728").encode(x="N:Q")
    st.altair_chart(alt.layer(bound_line, one, here).properties(
        title=t("of.chart.bound_title"), height=260), width="stretch")

# -- 2 simulation ------------------------------------------------------------------------------------
st.header(t("of.s2.title"))
st.markdown(t("of.s2.text", noise=TASK.noise, cut=TASK.cut, top=TASK.values - 1))
d1, d2, d3, d4, d5 = st.columns(5)
sim_h = d1.select_slider(t("of.sim_h"), NESTED_SIZES, key="of:sim_h")
sim_eps = d2.slider(t("of.sim_eps"), 0.02, 0.3, step=0.01, key="of:sim_eps")
trials = d3.select_slider(t("of.trials"), TRIALS,
                          key="of:trials")
n_max = d4.select_slider(t("of.n_max"), N_MAXES, key="of:n_max")
seed = d5.number_input(t("of.seed"), 0, 10_000, key="of:seed")

grid = n_grid(GRID_LO, n_max, GRID_COUNT)
bar = st.progress(0.0, text=t("of.progress", done=0, total=len(grid)))
results = []
for i, n_i in enumerate(grid):
    results.append(simulated(int(sim_h), n_i, float(sim_eps), int(trials), int(seed)))
    bar.progress((i + 1) / len(grid), text=t("of.progress", done=i + 1, total=len(grid)))
bar.empty()

within = all(r["within"] for r in results)
good_ok = all(r["good_ok"] for r in results)
st.info(t("of.sim_summary", sets=len(grid) * int(trials), ok=t("of.yes") if within else t("of.no"),
          good_ok=t("of.yes") if good_ok else t("of.no")))
sim_df = pd.DataFrame({
    "N": [r["n"] for r in results] * 2,
    "p": [r["share"] for r in results] + [min(1.0, r["bound"]) for r in results],
    "lo": [max(0.0, r["share"] - 2 * r["se"]) for r in results] + [None] * len(results),
    "hi": [min(1.0, r["share"] + 2 * r["se"]) for r in results] + [None] * len(results),
    "series": [t("of.chart.simulated")] * len(results) + [t("of.chart.bound_clip")] * len(results)})
color = alt.Color("series:N", title=t("of.chart.series"), legend=alt.Legend(orient="top", labelLimit=300))
x_n = alt.X("N:Q", title=t("of.chart.n"), scale=alt.Scale(type="log"))
lines = alt.Chart(sim_df).mark_line(point=True).encode(
    x=x_n, y=alt.Y("p:Q", title=t("of.chart.p"), scale=alt.Scale(domain=[0, 1])), color=color)
errors = alt.Chart(sim_df).transform_filter("isValid(datum.lo)").mark_errorbar().encode(
    x=x_n, y=alt.Y("lo:Q"), y2="hi:Q", color=color)
left, right = st.columns([3, 2])
left.altair_chart(alt.layer(lines, errors).properties(title=t("of.chart.sim_title"), height=300),
                  width="stretch")
middle = results[len(results) // 2]
hist_df = pd.DataFrame({"gap": middle["gaps"]})
hist = alt.Chart(hist_df).mark_bar().encode(
    x=alt.X("gap:Q", bin=alt.Bin(maxbins=40), title=t("of.chart.gap")),
    y=alt.Y("count():Q", title=t("of.chart.count")))
eps_rule = alt.Chart(pd.DataFrame({"gap": [float(sim_eps)]})).mark_rule(color="#d62728", size=2).encode(x="gap:Q")
right.altair_chart(alt.layer(hist, eps_rule).properties(
    title=t("of.chart.hist_title", n=middle["n"]), height=300), width="stretch")
right.caption(t("of.hist_note"))

# -- 3 trade-off -------------------------------------------------------------------------------------
st.header(t("of.s3.title"))
st.markdown(t("of.s3.text"))
rows = tradeoff(TASK, NESTED_SIZES, TRADEOFF_EPS, TRADEOFF_DELTA)
trade = pd.DataFrame(rows)
x_size = alt.X("size:Q", title=t("of.chart.size"), scale=alt.Scale(type="log", base=2))
best = alt.Chart(trade).mark_line(point=True, color="#1f77b4").encode(
    x=x_size, y=alt.Y("best_loss:Q", title=t("of.chart.best"), axis=alt.Axis(titleColor="#1f77b4")))
need = alt.Chart(trade).mark_line(point=True, color="#ff7f0e", strokeDash=[5, 3]).encode(
    x=x_size, y=alt.Y("n_needed:Q", title=t("of.chart.needed", eps=TRADEOFF_EPS, delta=TRADEOFF_DELTA),
                      axis=alt.Axis(titleColor="#ff7f0e")))
a, b = st.columns(2)
a.altair_chart(alt.layer(best, need).resolve_scale(y="independent").properties(
    title=t("of.chart.best_title"), height=300), width="stretch")
picked = pd.DataFrame(tradeoff_rows())
picked["series"] = [t("of.chart.n_series", n=v) for v in picked["n"]]
b.altair_chart(alt.Chart(picked).mark_line(point=True).encode(
    x=x_size, y=alt.Y("loss:Q", title=t("of.chart.picked"), scale=alt.Scale(zero=False)),
    color=alt.Color("series:N", title=t("of.chart.series"), sort=None,
                    legend=alt.Legend(orient="top"))).properties(
    title=t("of.chart.picked_title"), height=300), width="stretch")
little, plenty = (tradeoff_shape(tradeoff_rows(), n) for n in (TRADEOFF_NS[0], TRADEOFF_NS[-1]))
st.markdown(t("of.s3.shape", trials=TRADEOFF_TRIALS, n1=little["n"], best1=little["best_size"],
              best1_loss=f"{little['best_loss']:.3f}", small1=little["smallest_size"],
              small1_loss=f"{little['smallest_loss']:.3f}", large1=little["largest_size"],
              large1_loss=f"{little['largest_loss']:.3f}", n3=plenty["n"],
              large3_loss=f"{plenty['largest_loss']:.3f}"))

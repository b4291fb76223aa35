"""Lecture section 1: the task strategy in practice — model bias vs optimization, overfitting, mismatch.

Sections 2 and 3 are quick fits (well under a second each, cached); section 1 is the shared live
panel. The panel's play loop blocks the script, so it is drawn last, into a container that sits
above sections 2 and 3 on the page.
"""
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture.guide_data import (AUGMENTATIONS, DEFAULT_N, FAMILIES, MISMATCH_NS, N_CHOICES,
                            SHIFTED_RANGE, X_RANGE, mismatch_demo, n_params, noise_floor,
                            overfit_demo, truth)
from lib.lecture import guide_verdict as gv
from lib.lecture import presets
from ui import url
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

setup("guide")

PRESET = presets.GUIDE
url.controls(url.Control("guide:n", DEFAULT_N, choices=N_CHOICES),
             url.Control("guide:aug", AUGMENTATIONS[0], choices=tuple(AUGMENTATIONS)),
             url.Control("guide:family", FAMILIES[0], choices=tuple(FAMILIES)))


@st.cache_data(max_entries=64, show_spinner=False)
def overfit_cached(n: int, family: str, augmentation: str):
    (x, y), (xa, ya), (xt, yt), fit = overfit_demo(n, family, augmentation)
    return (x, y), (xa, ya), (xt, yt), fit.steps, fit.train_loss, fit.test_loss, fit.grid_x, fit.grid_y


@st.cache_data(max_entries=2, show_spinner=False)
def mismatch_cached(ns: tuple):
    return [{k: v for k, v in r.items()} for r in mismatch_demo(list(ns))]


def verdict(state) -> None:
    """on_frame: name the problem once the shallow and deep runs have trained a while."""
    runs = [r for r in state.runs if r.evals.last and r.evals.last.get("train_loss") is not None]
    if state.compare_field != "depth" or len(runs) < 2:
        st.caption(t("guide.s1.wait", n=gv.MIN_UPDATES))
        return
    shallow = min(runs, key=lambda r: r.config.depth)
    deep = max(runs, key=lambda r: r.config.depth)
    v = gv.depth_verdict(deep.step, train_losses(shallow), train_losses(deep),
                         gv.chance_loss(deep.data, deep.loss_fn))
    if v["kind"] == "wait":
        st.caption(t("guide.s1.wait", n=gv.MIN_UPDATES))
        return
    text = t(f"guide.s1.{v['kind']}", **v)
    if v["kind"] == "optimization":
        st.warning(text + " " + t("guide.s1.behind" if v["moved"] else "guide.s1.stuck", **v))
    else:
        (st.success if v["kind"] == "fine" else st.info)(text)
    st.caption(t("guide.s1.how", k=gv.WINDOW, margin=gv.MARGIN * v["chance"], share=gv.MARGIN))


def train_losses(run) -> list[float]:
    return [x for x in run.evals.rows()["train_loss"] if x is not None]


st.title(t("page.guide"))
lesson("guide")
st.markdown(t("guide.intro"))
section1, section2, section3 = st.container(), st.container(), st.container()

# -- 2 overfitting ----------------------------------------------------------------------------------
with section2:
    st.header(t("guide.s2.title"))
    st.markdown(t("guide.s2.text"))
    c1, c2, c3 = st.columns([2, 2, 3])
    n = c1.select_slider(t("guide.n"), N_CHOICES, key="guide:n")
    aug = c2.radio(t("guide.aug"), AUGMENTATIONS, key="guide:aug",
                   format_func=lambda a: t(f"guide.aug.{a}"))
    family = c3.radio(t("guide.family"), FAMILIES, key="guide:family",
                      format_func=lambda f: t(f"guide.family.{f}", p=n_params(f)))
    with st.spinner(t("guide.computing")):
        (x, y), (xa, ya), (xt, yt), steps, train_l, test_l, gx, gy = overfit_cached(int(n), family, aug)
    floor = noise_floor()
    m1, m2, m3 = st.columns(3)
    m1.metric(t("guide.train_loss"), f"{train_l[-1]:.4f}")
    m2.metric(t("guide.test_loss"), f"{test_l[-1]:.4f}")
    m3.metric(t("guide.gap"), f"{test_l[-1] - train_l[-1]:+.4f}")
    kind = gv.overfit_verdict(train_l[-1], test_l[-1], floor)
    (st.success if kind == "ok" else st.warning)(t(f"guide.verdict.{kind}", floor=floor))

    legend = alt.Legend(orient="top", labelLimit=260)
    names = {"truth": t("guide.chart.truth"), "fit": t("guide.chart.fit"),
             "train": t("guide.chart.train"), "aug": t("guide.chart.augmented"),
             "test": t("guide.chart.test")}
    curves = pd.concat([
        pd.DataFrame({"x": gx, "y": truth(gx), "series": names["truth"]}),
        pd.DataFrame({"x": gx, "y": np.clip(gy, -3, 3), "series": names["fit"]})])
    points = pd.concat([
        pd.DataFrame({"x": xt, "y": yt, "series": names["test"]}),
        pd.DataFrame({"x": xa[len(x):], "y": ya[len(x):], "series": names["aug"]}),
        pd.DataFrame({"x": x, "y": y, "series": names["train"]})])
    order = [names[k] for k in ("truth", "fit", "train", "aug", "test")]
    color = alt.Color("series:N", title=t("guide.chart.series"), legend=legend,
                      scale=alt.Scale(domain=order,
                                      range=["#7f7f7f", "#d62728", "#1f77b4", "#2ca02c", "#c7c7c7"]))
    xs = alt.X("x:Q", title=t("guide.chart.x"), scale=alt.Scale(domain=list(X_RANGE)))
    ys = alt.Y("y:Q", title=t("guide.chart.y"), scale=alt.Scale(domain=[-2.5, 2.5], clamp=True))
    fit_chart = alt.layer(
        alt.Chart(points).mark_circle(size=45, opacity=0.9).encode(x=xs, y=ys, color=color),
        alt.Chart(curves).mark_line(clip=True).encode(
            x=xs, y=ys, color=color,
            strokeDash=alt.condition(alt.datum.series == names["truth"], alt.value([5, 4]), alt.value([1, 0])))
    ).properties(title=t("guide.chart.fit_title"), height=320)
    loss_df = pd.concat([
        pd.DataFrame({"step": steps, "loss": train_l, "series": t("guide.train_loss")}),
        pd.DataFrame({"step": steps, "loss": test_l, "series": t("guide.test_loss")})])
    loss_df["loss"] = loss_df["loss"].clip(lower=1e-5)
    loss_chart = alt.layer(
        alt.Chart(loss_df).mark_line().encode(
            x=alt.X("step:Q", title=t("guide.chart.updates")),
            y=alt.Y("loss:Q", title=t("guide.chart.loss"), scale=alt.Scale(type="log")),
            color=alt.Color("series:N", title=t("guide.chart.series"), legend=legend)),
        alt.Chart(pd.DataFrame({"loss": [floor], "label": [t("guide.chart.noise")]})).mark_rule(
            strokeDash=[4, 4], color="gray").encode(y="loss:Q", tooltip="label:N"),
    ).properties(title=t("guide.chart.loss_title"), height=320)
    left, right = st.columns(2)
    left.altair_chart(fit_chart, width="stretch")
    right.altair_chart(loss_chart, width="stretch")

# -- 3 mismatch --------------------------------------------------------------------------------------
with section3:
    st.header(t("guide.s3.title"))
    st.markdown(t("guide.s3.text"))
    with st.spinner(t("guide.computing")):
        rows = mismatch_cached(MISMATCH_NS)
    mm = pd.concat([pd.DataFrame({"N": [r["n"] for r in rows], "loss": [r[k] for r in rows],
                                  "series": t(f"guide.chart.{name}")})
                    for k, name in (("train", "train_loss"), ("same", "same"), ("shifted", "shift"))])
    legend = alt.Legend(orient="top", labelLimit=260)
    mm_chart = alt.Chart(mm).mark_line(point=True).encode(
        x=alt.X("N:Q", title=t("guide.chart.n"), scale=alt.Scale(type="log")),
        y=alt.Y("loss:Q", title=t("guide.chart.loss"), scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=t("guide.chart.series"), legend=legend, sort=None),
    ).properties(title=t("guide.chart.mismatch_title"), height=300)
    last = rows[-1]
    shift_x = np.linspace(*SHIFTED_RANGE, 40)
    rng = np.random.default_rng(2)
    shift_pts = pd.DataFrame({"x": shift_x, "y": truth(shift_x) + 0.25 * rng.standard_normal(40),
                              "series": t("guide.chart.shifted")})
    curves = pd.concat([
        pd.DataFrame({"x": last["grid_x"], "y": truth(last["grid_x"]), "series": t("guide.chart.truth")}),
        pd.DataFrame({"x": last["grid_x"], "y": np.clip(last["grid_y"], -3, 3),
                      "series": t("guide.chart.fit")})])
    xs = alt.X("x:Q", title=t("guide.chart.x"), scale=alt.Scale(domain=[X_RANGE[0], SHIFTED_RANGE[1]]))
    ys = alt.Y("y:Q", title=t("guide.chart.y"), scale=alt.Scale(domain=[-2.5, 2.5], clamp=True))
    color = alt.Color("series:N", title=t("guide.chart.series"), legend=legend)
    band = alt.Chart(pd.DataFrame({"a": [X_RANGE[0]], "b": [X_RANGE[1]]})).mark_rect(
        opacity=0.08, color="#1f77b4").encode(x="a:Q", x2="b:Q")
    mm_fit = alt.layer(
        band,
        alt.Chart(shift_pts).mark_circle(size=40).encode(x=xs, y=ys, color=color),
        alt.Chart(curves).mark_line(clip=True).encode(x=xs, y=ys, color=color),
    ).properties(title=t("guide.chart.mismatch_fit", n=last["n"]), height=300)
    left, right = st.columns(2)
    left.altair_chart(mm_chart, width="stretch")
    right.altair_chart(mm_fit, width="stretch")

# -- 1 model bias or optimization: the live panel, drawn last (its play loop blocks) -------------------
with section1:
    st.header(t("guide.s1.title"))
    st.markdown(t("guide.s1.text"))
    panel("guide", preset=PRESET, on_frame=verdict,
          compare_preset=("depth", (1, 6)))
    st.divider()

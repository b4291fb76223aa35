"""Lecture section 1: the task strategy in practice — model bias vs optimization, overfitting, mismatch.

Section 1 is the shared live panel (its loop runs at the end of the page, ui.page.end); sections 2
and 3 are quick fits (well under a second each, cached) drawn once per script run.
"""
import streamlit as st

from lib.lecture import guide_verdict as gv
from lib.lecture import presets
from lib.lecture.guide_data import (AUGMENTATIONS, DEFAULT_N, FAMILIES, MISMATCH_NS, N_CHOICES,
                                    SHIFTED_RANGE, X_RANGE, mismatch_demo, n_params, noise_floor,
                                    overfit_demo, shifted_test, truth)
from ui import charts, url
from ui.charts import guide as guide_charts
from ui.charts import lines
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

NS = "guide"
PRESET = presets.GUIDE
COMPARE = ("depth", (1, 6))
N = url.Control("guide:n", DEFAULT_N, choices=N_CHOICES, widget="select_slider", label="guide.n")
AUG = url.Control("guide:aug", AUGMENTATIONS[0], choices=AUGMENTATIONS, widget="radio",
                  label="guide.aug", choice_label="guide.aug.")
FAMILY = url.Control("guide:family", FAMILIES[0], choices=FAMILIES, widget="radio",
                     label="guide.family", choice_label="guide.family.")

setup(NS)
url.controls(N, AUG, FAMILY)


@st.cache_data(max_entries=64, show_spinner=False)
def overfit_cached(n: int, family: str, augmentation: str):
    (x, y), (xa, ya), (xt, yt), fit = overfit_demo(n, family, augmentation)
    return (x, y), (xa, ya), (xt, yt), fit.steps, fit.train_loss, fit.test_loss, fit.grid_x, fit.grid_y


@st.cache_data(max_entries=2, show_spinner=False)
def mismatch_cached(ns: tuple):
    return mismatch_demo(list(ns))


def verdict(state) -> None:
    """on_frame: name the problem once the shallow and deep runs have trained a while."""
    v = gv.runs_verdict(state.runs) if state.compare_field == "depth" else {"kind": "wait"}
    if v["kind"] == "wait":
        st.caption(t("guide.s1.wait", n=gv.MIN_UPDATES))
        return
    text = t(f"guide.s1.{v['kind']}", **v)
    if v["kind"] == "optimization":
        st.warning(text + " " + t("guide.s1.behind" if v["moved"] else "guide.s1.stuck", **v))
    else:
        (st.success if v["kind"] == "fine" else st.info)(text)
    st.caption(t("guide.s1.how", k=gv.WINDOW, margin=gv.MARGIN * v["chance"], share=gv.MARGIN))


st.title(t("page.guide"))
lesson("guide")
st.markdown(t("guide.intro"))

# -- 1 model bias or optimization: the live panel -----------------------------------------------------
st.header(t("guide.s1.title"))
st.markdown(t("guide.s1.text"))
panel(NS, preset=PRESET, on_frame=verdict, compare_preset=COMPARE)
st.divider()

# -- 2 overfitting ----------------------------------------------------------------------------------
st.header(t("guide.s2.title"))
st.markdown(t("guide.s2.text"))
c1, c2, c3 = st.columns([2, 2, 3])
n = N.show(c1)
aug = AUG.show(c2)
family = FAMILY.show(c3, choice_fmt=lambda f: {"p": n_params(f)})
with st.spinner(t("guide.computing")):
    (x, y), (xa, ya), (xt, yt), steps, train_l, test_l, gx, gy = overfit_cached(int(n), family, aug)
floor = noise_floor()
m1, m2, m3 = st.columns(3)
m1.metric(t("guide.train_loss"), f"{train_l[-1]:.4f}")
m2.metric(t("guide.test_loss"), f"{test_l[-1]:.4f}")
m3.metric(t("guide.gap"), f"{test_l[-1] - train_l[-1]:+.4f}")
kind = gv.overfit_verdict(train_l[-1], test_l[-1], floor)
(st.success if kind == "ok" else st.warning)(t(f"guide.verdict.{kind}", floor=floor))

scale = charts.font_scale()
augmented = len(xa) > len(x)  # the augmentation's new points follow the originals
fit_data = dict(truth=guide_charts.curve(gx, truth(gx)), fit=guide_charts.curve(gx, gy),
                train=guide_charts.points(x, y), test=guide_charts.points(xt, yt))
if augmented:
    fit_data["aug"] = guide_charts.points(xa[len(x):], ya[len(x):])
fit_chart = guide_charts.Fit(
    title=t("guide.chart.fit_title"), x_title=t("guide.chart.x"), y_title=t("guide.chart.y"),
    legend_title=t("guide.chart.series"), x_domain=X_RANGE,
    names=(("truth", t("guide.chart.truth")), ("fit", t("guide.chart.fit")),
           ("train", t("guide.chart.train")),
           *((("aug", t("guide.chart.augmented")),) if augmented else ()),
           ("test", t("guide.chart.test"))))
loss_chart = lines.Lines(title=t("guide.chart.loss_title"), x_title=t("guide.chart.updates"),
                         y_title=t("guide.chart.loss"), legend_title=t("guide.chart.series"), log=True)
loss_series = (("train", t("guide.train_loss")), ("test", t("guide.test_loss")),
               ("noise", t("guide.chart.noise"), "dashed"))
left, right = st.columns(2)
charts.show("guide:s2_fit", guide_charts.fit_spec(fit_chart, scale), charts.SMALL_CHART_HEIGHT, left,
            **fit_data)
charts.show("guide:s2_loss", lines.spec(loss_chart, loss_series, scale), charts.SMALL_CHART_HEIGHT, right,
            train=guide_charts.losses(steps, train_l), test=guide_charts.losses(steps, test_l),
            noise=guide_charts.level(steps[0], steps[-1], floor))

# -- 3 mismatch --------------------------------------------------------------------------------------
st.header(t("guide.s3.title"))
st.markdown(t("guide.s3.text"))
with st.spinner(t("guide.computing")):
    rows = mismatch_cached(MISMATCH_NS)
ns = [r["n"] for r in rows]
mismatch_chart = lines.Lines(title=t("guide.chart.mismatch_title"), x_title=t("guide.chart.n"),
                             y_title=t("guide.chart.loss"), legend_title=t("guide.chart.series"),
                             log=True, x_log=True, steps=False, points=True)
mismatch_series = (("train", t("guide.chart.train_loss")), ("same", t("guide.chart.same")),
                   ("shifted", t("guide.chart.shift")))
last = rows[-1]
shifted_chart = guide_charts.Fit(
    title=t("guide.chart.mismatch_fit", n=last["n"]), x_title=t("guide.chart.x"),
    y_title=t("guide.chart.y"), legend_title=t("guide.chart.series"),
    x_domain=(X_RANGE[0], SHIFTED_RANGE[1]), band=True,
    names=(("truth", t("guide.chart.truth")), ("fit", t("guide.chart.fit")),
           ("shifted", t("guide.chart.shifted"))))
left, right = st.columns(2)
charts.show("guide:s3_loss", lines.spec(mismatch_chart, mismatch_series, scale),
            charts.SMALL_CHART_HEIGHT, left,
            **{key: guide_charts.losses(ns, [r[key] for r in rows]) for key in ("train", "same", "shifted")})
charts.show("guide:s3_fit", guide_charts.fit_spec(shifted_chart, scale), charts.SMALL_CHART_HEIGHT, right,
            static={"band": guide_charts.band(*X_RANGE)},
            shifted=guide_charts.points(*shifted_test()),
            truth=guide_charts.curve(last["grid_x"], truth(last["grid_x"])),
            fit=guide_charts.curve(last["grid_x"], last["grid_y"]))
end()

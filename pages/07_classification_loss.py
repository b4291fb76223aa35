"""7 Loss for classification: softmax + MSE against softmax + cross-entropy, over two logits and
for a network started badly."""
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture import class_loss as cl
from lib.lecture import presets
from ui import charts, url
from ui.i18n import t
from ui.page import setup
from ui.panel import get_state, panel, rebuild
from ui.lesson import lesson

NS = "classification_loss"
PRESET = presets.CLASSIFICATION_LOSS
COMPARE = ("loss", ("mse", "ce"))
LO, HI, GRID = cl.LO, cl.HI, cl.GRID
START_MARK = dict(color="red", shape="diamond")   # where descent starts; the text names it
LOSS_COLORS = ["#d9661f", "#1f5fa8"]   # MSE orange, cross-entropy blue

setup(NS)
url.controls(url.Control(f"{NS}:toy_y3", 0.0, lo=-8.0, hi=8.0),
             url.Control(f"{NS}:toy_y1", cl.BAD_START[0], lo=LO, hi=HI),
             url.Control(f"{NS}:toy_y2", cl.BAD_START[1], lo=LO, hi=HI),
             url.Control(f"{NS}:toy_lr", cl.STEP_SIZE, lo=0.1, hi=3.0),
             url.Control(f"{NS}:toy_steps", cl.STEPS, lo=1, hi=300),
             url.Control(f"{NS}:head_scale", cl.HEAD_SCALE, lo=1, hi=50))
st.title(t("page.classification_loss"))
lesson("classification_loss")
st.caption(t("cl.intro"))

# -- 1 the two surfaces -----------------------------------------------------------------------------
st.header(t("cl.surf.title"))
st.markdown(t("cl.surf.text"))
st.latex(r"y'=\mathrm{softmax}(y),\qquad e_{\mathrm{MSE}}=\sum_i (\hat y_i-y'_i)^2,\qquad "
         r"e_{\mathrm{CE}}=-\sum_i \hat y_i\ln y'_i,\qquad \hat y=(1,0,0)")
c = st.columns(5)
y3 = c[0].slider("y₃", -8.0, 8.0, step=0.5, key=f"{NS}:toy_y3", help=t("cl.surf.y3_help"))
y1s = c[1].slider(t("cl.surf.start", i="₁"), LO, HI, step=0.5, key=f"{NS}:toy_y1")
y2s = c[2].slider(t("cl.surf.start", i="₂"), LO, HI, step=0.5, key=f"{NS}:toy_y2")
lr = c[3].slider(t("cl.surf.lr"), 0.1, 3.0, step=0.1, key=f"{NS}:toy_lr")
steps = c[4].slider(t("cl.surf.steps"), 1, 300, key=f"{NS}:toy_steps")


@st.cache_data(max_entries=64)
def surface_frame(name: str, y3: float) -> pd.DataFrame:
    g1, g2, loss = cl.surface(name, y3, LO, HI, GRID)
    yy1, yy2 = np.meshgrid(g1.numpy(), g2.numpy())
    d = (HI - LO) / (GRID - 1)
    return pd.DataFrame({"y1": yy1.ravel() - d / 2, "y1b": yy1.ravel() + d / 2,
                         "y2": yy2.ravel() - d / 2, "y2b": yy2.ravel() + d / 2,
                         "L": loss.numpy().ravel()})


def surface_chart(name: str, title: str, path) -> alt.LayerChart:
    d = (HI - LO) / (GRID - 1)
    scale = alt.Scale(domain=[LO - d / 2, HI + d / 2], nice=False, zero=False)
    heat = alt.Chart(surface_frame(name, y3)).mark_rect().encode(
        x=alt.X("y1:Q", title="y₁", scale=scale), x2="y1b:Q",
        y=alt.Y("y2:Q", title="y₂", scale=scale), y2="y2b:Q",
        color=alt.Color("L:Q", title=t("cl.surf.loss"), scale=alt.Scale(scheme="viridis")),
        tooltip=[alt.Tooltip("L:Q", format=".4f")])
    pts = pd.DataFrame({"y1": path[:, 0].numpy(), "y2": path[:, 1].numpy(), "step": np.arange(len(path))})
    line = alt.Chart(pts).mark_line(color="white", point=alt.OverlayMarkDef(color="white", size=12),
                                    clip=True).encode(x="y1:Q", y="y2:Q", order="step:Q")
    start = alt.Chart(pts.head(1)).mark_point(size=160, filled=True, **START_MARK).encode(
        x="y1:Q", y="y2:Q")
    return alt.layer(heat, line, start).properties(title=title, height=360)


paths = {name: cl.descend(name, (y1s, y2s), y3, lr, steps) for name in cl.LOSS_NAMES}
titles = {"mse": t("cl.surf.mse_title"), "ce": t("cl.surf.ce_title")}
cols = st.columns(2)
for col, name in zip(cols, cl.LOSS_NAMES):
    points, losses, norms = paths[name]
    col.altair_chart(surface_chart(name, titles[name], points), width="stretch")
    a, b, c2 = col.columns(3)
    a.metric(t("cl.surf.loss_start"), f"{losses[0]:.4g}")
    b.metric(t("cl.surf.grad_start"), f"{norms[0]:.3g}")
    c2.metric(t("cl.surf.loss_end", steps=steps), f"{losses[-1]:.4g}")
ratio = paths["ce"][2][0] / max(paths["mse"][2][0], 1e-300)
st.markdown(t("cl.surf.explain", ratio=f"{ratio:,.0f}"))

# -- 2 gradient norms side by side ---------------------------------------------------------------
st.header(t("cl.grad.title"))
st.markdown(t("cl.grad.text"))
names = {"mse": t("choice.mse"), "ce": t("choice.ce")}
frame = pd.concat([pd.DataFrame({"step": np.arange(len(paths[n][2])), "value": paths[n][2],
                                 "series": names[n], "what": t("cl.grad.norm")}) for n in cl.LOSS_NAMES]
                  + [pd.DataFrame({"step": np.arange(len(paths[n][1])), "value": paths[n][1],
                                   "series": names[n], "what": t("cl.grad.loss")}) for n in cl.LOSS_NAMES])
frame["value"] = frame["value"].clip(lower=1e-12)
g1, g2 = st.columns(2)
for col, what in ((g1, t("cl.grad.norm")), (g2, t("cl.grad.loss"))):
    col.altair_chart(alt.Chart(frame[frame.what == what]).mark_line().encode(
        x=alt.X("step:Q", title=t("cl.grad.step")),
        y=alt.Y("value:Q", title=what, scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=t("chart.series"), legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=[names["mse"], names["ce"]], range=LOSS_COLORS)),
    ).properties(title=what, height=360), width="stretch")

# -- 3 a network from a bad start ------------------------------------------------------------------
st.header(t("cl.net.title"))
st.markdown(t("cl.net.text"))
state = get_state(NS, PRESET, COMPARE)


def on_scale():
    rebuild(st.session_state[f"{NS}:panel"])


scale = st.slider(t("cl.net.scale"), 1, 50, key=f"{NS}:head_scale", on_change=on_scale,
                  help=t("cl.net.scale_help"))
for run in state.runs:
    # fresh runs (first visit, Reset, a setting that starts over) get the bad start once
    if getattr(run, "head_scale", None) is None and run.step == 0:
        cl.bad_start_run(run, scale)
        run.head_scale = scale


@st.cache_data
def grad_spec(x_title: str, y_title: str, legend: str, title: str) -> dict:
    line = alt.Chart().mark_line(clip=True).encode(
        x=alt.X("step:Q", title=x_title, axis=charts.STEP_AXIS, scale=charts.STEP_SCALE),
        y=alt.Y("grad_norm:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=280)))
    return charts.spec(line.properties(title=title, height=320))


def draw_grad_norms(state) -> None:
    parts = []
    for run, label in zip(state.runs, state.labels):
        h = run.history.rows()
        parts.append(pd.DataFrame({"step": charts.thin(h["step"]), "grad_norm": charts.thin(h["grad_norm"]),
                                   "series": label or t("cl.net.run")}))
    df = pd.concat(parts, ignore_index=True)
    df["grad_norm"] = df["grad_norm"].clip(lower=1e-9)  # a log axis cannot show an exact 0
    st.vega_lite_chart(df, grad_spec(t("chart.updates"), t("cl.grad.norm"), t("chart.series"),
                                     t("cl.net.grad_title")), width="stretch")


panel(NS, PRESET, on_frame=draw_grad_norms, compare_preset=COMPARE)

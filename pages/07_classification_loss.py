"""7 Loss for classification: softmax + MSE against softmax + cross-entropy, over two logits and
for a network started badly."""
import math

import streamlit as st

from lib.lecture import class_loss as cl
from lib.lecture import presets
from ui import charts, url
from ui.charts import classification_loss as cl_charts
from ui.charts import surfaces
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import get_state, panel, rebuild

NS = "classification_loss"
PRESET = presets.CLASSIFICATION_LOSS
COMPARE = ("loss", ("mse", "ce"))
LO, HI, GRID = cl.LO, cl.HI, cl.GRID
Y3 = url.Control(f"{NS}:toy_y3", 0.0, lo=-8.0, hi=8.0, widget="slider", step=0.5,
                 label="cl.surf.y3", help="cl.surf.y3_help")
Y1 = url.Control(f"{NS}:toy_y1", cl.BAD_START[0], lo=LO, hi=HI, widget="slider", step=0.5,
                 label="cl.surf.start")
Y2 = url.Control(f"{NS}:toy_y2", cl.BAD_START[1], lo=LO, hi=HI, widget="slider", step=0.5,
                 label="cl.surf.start")
LR = url.Control(f"{NS}:toy_lr", cl.STEP_SIZE, lo=0.1, hi=3.0, widget="slider", step=0.1,
                 label="cl.surf.lr")
STEPS = url.Control(f"{NS}:toy_steps", cl.STEPS, lo=1, hi=300, widget="slider", step=1,
                    label="cl.surf.steps")
SCALE = url.Control(f"{NS}:head_scale", cl.HEAD_SCALE, lo=1, hi=50, widget="slider", step=1,
                    label="cl.net.scale", help="cl.net.scale_help")

setup(NS)
url.controls(Y3, Y1, Y2, LR, STEPS, SCALE)
st.title(t("page.classification_loss"))
lesson(NS)
st.caption(t("cl.intro"))


@st.cache_data(max_entries=64, show_spinner=False)
def descend_cached(name: str, start: tuple, y3: float, lr: float, steps: int):
    """The toy descent depends only on the controls; recomputing it (~0.3 s) on every rerun,
    Pause and Reset of the panel included, would delay them."""
    return cl.descend(name, start, y3, lr, steps)


def number(x: float, digits: str) -> str:
    return f"{x:{digits}}" if math.isfinite(x) else "—"


# -- 1 the two surfaces -----------------------------------------------------------------------------
st.header(t("cl.surf.title"))
st.markdown(t("cl.surf.text"))
st.latex(r"y'=\mathrm{softmax}(y),\qquad e_{\mathrm{MSE}}=\sum_i (\hat y_i-y'_i)^2,\qquad "
         r"e_{\mathrm{CE}}=-\sum_i \hat y_i\ln y'_i,\qquad \hat y=(1,0,0)")
c = st.columns(5)
y3 = Y3.show(c[0])
y1s = Y1.show(c[1], label_fmt={"i": "₁"})
y2s = Y2.show(c[2], label_fmt={"i": "₂"})
lr = LR.show(c[3])
steps = STEPS.show(c[4])

paths = {name: descend_cached(name, (y1s, y2s), y3, lr, steps) for name in cl.LOSS_NAMES}
titles = {"mse": t("cl.surf.mse_title"), "ce": t("cl.surf.ce_title")}
scale = charts.font_scale()
half = (HI - LO) / (GRID - 1) / 2   # the heat map's cells are centred on the grid points
for col, name in zip(st.columns(2), cl.LOSS_NAMES):
    points, losses, norms = paths[name]
    surface = surfaces.Surface(title=titles[name], color_title=t("cl.surf.loss"), x_title="y₁",
                               y_title="y₂", x_domain=(LO - half, HI + half),
                               y_domain=(LO - half, HI + half), path_color="white")
    charts.show(f"{NS}:surface_{name}", cl_charts.surface_spec(surface, titles[name], scale),
                charts.CHART_HEIGHT, col,
                static={"grid": surfaces.cells(cl.surface_fn(name, y3), (LO, LO), (HI, HI), GRID)},
                path0=surfaces.path_data(points), start=cl_charts.start_data(points))
    # side by side where they fit, one under another where not (three fixed columns cut label
    # and number on a projector)
    row = col.container(horizontal=True, wrap=True, gap="medium")
    row.metric(t("cl.surf.loss_start"), number(losses[0], ".4g"), width="content")
    row.metric(t("cl.surf.grad_start"), number(norms[0], ".3g"), width="content")
    row.metric(t("cl.surf.loss_end", steps=steps), number(losses[-1], ".4g"), width="content")
ratio = paths["ce"][2][0] / max(paths["mse"][2][0], 1e-300)
st.markdown(t("cl.surf.explain", ratio=f"{ratio:,.0f}"))

# -- 2 gradient norms side by side ---------------------------------------------------------------
st.header(t("cl.grad.title"))
st.markdown(t("cl.grad.text"))
names = tuple((n, t(f"choice.{n}")) for n in cl.LOSS_NAMES)
for col, (what, i) in zip(st.columns(2), (("norm", 2), ("loss", 1))):
    title = t(f"cl.grad.{what}")
    charts.show(f"{NS}:steps_{what}", cl_charts.per_step_spec(title, t("cl.grad.step"), title,
                                                              t("chart.series"), names, scale),
                charts.SMALL_CHART_HEIGHT, col, **{n: cl_charts.per_step(paths[n][i]) for n in cl.LOSS_NAMES})

# -- 3 a network from a bad start ------------------------------------------------------------------
st.header(t("cl.net.title"))
st.markdown(t("cl.net.text"))


def on_scale():
    rebuild(get_state(NS, PRESET, COMPARE))   # fresh runs, which get the new bad start below


head_scale = SCALE.show(on_change=on_scale)
state = get_state(NS, PRESET, COMPARE)
cl.give_bad_start(state.runs, head_scale)   # before the panel draws step 0
labels = tuple((f"run{i}", label or t("cl.net.run")) for i, label in enumerate(state.labels))
grad_chart = charts.LiveChart(
    f"{NS}:net_grad", cl_charts.per_step_spec(t("cl.net.grad_title"), t("chart.updates"), t("cl.grad.norm"),
                                              t("chart.series"), labels, scale, zoom=True),
    height=charts.SMALL_CHART_HEIGHT)
panel(NS, PRESET, on_frame=lambda s: grad_chart.draw(st, **cl_charts.grad_norms(s.runs)),
      compare_preset=COMPARE)
end()

"""Momentum (lecture section 4): GD vs GD + momentum on a surface with a local minimum and a
plateau, m as a weighted sum of past gradients, and SGD vs SGD with momentum on a network."""
import streamlit as st

from lib.lecture import momentum as mo
from lib.lecture import presets
from ui import animation, url
from ui.charts import CHART_HEIGHT, LiveChart, first_updates, font_scale
from ui.charts import momentum as charts
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

SIM, NET = "mom_sim", "mom_net"   # the page's own animation; the training panel
FIRST = 500                       # the lesson compares SGD and SGDM over the first updates
LR = url.Control(f"{SIM}:lr", mo.LR[0], lo=mo.LR[1], hi=mo.LR[2], step=mo.LR[3], widget="slider",
                 label="mom.lr", help="mom.lr_help")
LAM = url.Control(f"{SIM}:lam", mo.LAM[0], lo=mo.LAM[1], hi=mo.LAM[2], step=mo.LAM[3],
                  widget="slider", label="mom.lam", help="mom.lam_help")
W1 = url.Control(f"{SIM}:w1", mo.W1[0], lo=mo.W1[1], hi=mo.W1[2], step=mo.W1[3], widget="slider",
                 label="mom.start", help="mom.start_help")

setup("momentum")
url.controls(LR, LAM, W1)
st.title(t("page.momentum"))
lesson("momentum")
st.markdown(t("mom.intro"))


# -- the animation's state: the step i both balls are at ----------------------------------------------
def sim() -> dict:
    return st.session_state.setdefault(f"{SIM}:state", {"i": 0})


def advance(_seconds: float) -> bool:
    """One step of both balls; Play at the end starts over."""
    s = sim()
    s["i"] = 0 if s["i"] >= mo.STEPS else s["i"] + 1
    return s["i"] < mo.STEPS


def step() -> None:
    sim()["i"] = min(mo.STEPS, sim()["i"] + 1)


def restart() -> None:
    sim()["i"] = 0
    animation.touch()


# -- 1. the ball on the curve and on the surface --------------------------------------------------------
st.header(t("mom.s1"))
crit = mo.critical_points()
st.markdown(t("mom.s1_text", local=crit["local"], bump=crit["bump"], best=crit["global"]))
st.caption(t("mom.torch"))
c1, c2, c3 = st.columns(3)
lr = LR.show(c1, on_change=restart)
lam = LAM.show(c2, on_change=restart)
w1 = W1.show(c3, on_change=restart, help_fmt={"w2": mo.W2_START})
paths = mo.page_paths(lr, lam, w1)
words = charts.Words(
    gd=t("mom.gd"), gdm=t("mom.gdm"), loss=t("chart.loss"), series=t("chart.series"),
    curve_title=t("mom.curve_title"), surface_title=t("mom.surface_title"),
    weight_axis=t("mom.weight_axis"), term_axis=t("mom.term_axis"),
    weight_series=t("mom.weight_series"), term_series=t("mom.term_series"),
    m_series=t("mom.m_series"), weights_title=t("mom.weights_title", i="{i}", n=mo.SHOWN_TERMS),
    terms_title=t("mom.terms_title", i="{i}"))
scale = font_scale()
curve = LiveChart("mom:curve", charts.curve_spec(words, scale), height=CHART_HEIGHT,
                  static={"curve": charts.curve_points()})
surface = LiveChart("mom:surface", charts.surface_spec(words, scale), height=CHART_HEIGHT,
                    static={"grid": charts.surface_cells()})
weights = LiveChart("mom:weights", charts.weights_spec(words, scale), height=CHART_HEIGHT)
terms = LiveChart("mom:terms", charts.terms_spec(words, scale), height=CHART_HEIGHT)


def draw() -> None:
    """One frame of sections 1 and 2 (into the placeholders made below): where the balls are at step i, and m^i split into its terms."""
    i = sim()["i"]
    step_slot.metric(t("mom.step"), i)
    curve.draw(curve_slot, balls=charts.balls(paths["1d"], i, words))
    surface.draw(surface_slot, **charts.paths(paths["2d"], i))
    parts = mo.decomposition(paths["1d"][1], i, lr, lam)
    weight_bars, term_bars = charts.bars(parts, min(i, paths["1d"][1].steps))
    weights.draw(weights_slot, params={"step": i}, **weight_bars)
    terms.draw(terms_slot, params={"step": i}, **term_bars)
    sum_slot.markdown(t("mom.sum", i=i, total=parts.total, actual=parts.actual))


animation.player(SIM, advance, draw, step=step, reset=restart, fps=20)
step_slot = st.empty()
left, right = st.columns(2)
curve_slot, surface_slot = left.empty(), right.empty()
kind, numbers = mo.verdict_words(lr, lam, w1)
st.info(t(f"mom.verdict.{kind}", **numbers))

# -- 2. m is a weighted sum of past gradients ------------------------------------------------------------
st.header(t("mom.s2"))
st.markdown(t("mom.s2_text"))
b1, b2 = st.columns(2)
weights_slot, terms_slot = b1.empty(), b2.empty()
sum_slot = st.empty()
draw()

# -- 3. SGD vs SGD with momentum on a network ------------------------------------------------------------
st.header(t("mom.s3"))
st.markdown(t("mom.s3_text"))
draw_first = first_updates.on_frame("mom:first", t("mom.first_title", n=FIRST),
                                    (t("chart.updates"), t("chart.loss"), t("chart.series")), FIRST)


panel(NET, preset=presets.MOMENTUM_NET, compare_preset=("optimizer", ("sgd", "sgdm")),
      on_frame=draw_first)
st.caption(t("mom.first_text", n=FIRST))
end()

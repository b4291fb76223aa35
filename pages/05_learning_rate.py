"""Lecture section 5, learning rate: fixed η on an elongated valley, σ per parameter (Adagrad,
RMSProp, Adam), Adagrad's late burst and its cure by decay, schedules and warmup for Adam."""
import streamlit as st

from lib.lecture import presets
from lib.lecture import surface_runs as sr
from ui import animation, url
from ui.charts import CHART_HEIGHT, LiveChart, first_updates, font_scale, show
from ui.charts import learning_rate as charts
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

NS, SIM = "lr", "lr_surface"    # the training panel; the page's own animation on the valley
PER_FRAME = 4                   # updates of each run per frame: 3,000 updates in 50 s at 15 frames/s
FPS = 15                        # five charts a frame: at 20/s the browser fell behind, and Pause took
                                # 2.4 s to show on an idle machine (bench_wire)
FIRST = 300                     # the lesson compares warmup and a constant η over the first updates
GD_LR = url.Control("lr_sim:gd_lr", sr.GD_LR, choices=sr.GD_LRS, widget="select_slider",
                    label="lr.s1.gd_lr", help="lr.s1.gd_lr_help")
AD_LR = url.Control("lr_sim:ad_lr", sr.AD_LR, choices=sr.AD_LRS, widget="select_slider",
                    label="lr.s1.ad_lr", help="lr.s1.ad_lr_help")
ALPHA = url.Control("lr_sim:alpha", sr.ALPHA, lo=0.5, hi=0.99, step=0.01, widget="slider",
                    label="lr.s1.alpha", help="lr.s1.alpha_help")

setup("learning_rate")
url.controls(GD_LR, AD_LR, ALPHA)
st.title(t("page.learning_rate"))
lesson("learning_rate")
st.markdown(t("lr.intro"))


# -- the animation's state: four runs on the valley ----------------------------------------------------
def new_runs() -> None:
    ss = st.session_state
    ss["lr_sim:runs"] = sr.page_runs(ss[GD_LR.key], ss[AD_LR.key], ss[ALPHA.key])
    animation.touch()


def runs() -> dict:
    if "lr_sim:runs" not in st.session_state:
        new_runs()
    return st.session_state["lr_sim:runs"]


def advance(_seconds: float) -> bool:
    """PER_FRAME updates of every run; Play after the end starts over."""
    if not sr.advance_all(runs(), 0):
        new_runs()
    return sr.advance_all(runs(), PER_FRAME)


def name(rule: str) -> str:
    return t(f"lr.rule.{rule}")


words = charts.Words(
    rules=tuple(name(r) for r in sr.RULES), method=t("lr.chart.optimizer"), series=t("lr.chart.series"),
    loss=t("lr.chart.loss"), grad=t("lr.chart.grad"), updates=t("lr.chart.updates"),
    path_title=t("lr.chart.path"), loss_title=t("lr.chart.loss_title"),
    grad_title=t("lr.chart.grad_title"), sigma_title=t("lr.chart.sigma_title"),
    eff_title=t("lr.chart.eff_title"))
scale = font_scale()
live = {"path": LiveChart("lr_page:path", charts.path_spec(words, scale), height=2 * CHART_HEIGHT,
                          static={"grid": charts.valley_cells()}),
        "loss": LiveChart("lr_page:loss", charts.loss_spec(words, scale), height=CHART_HEIGHT),
        "grad": LiveChart("lr_page:grad", charts.grad_spec(words, scale), height=CHART_HEIGHT),
        "sigma": LiveChart("lr_page:sigma", charts.sigma_spec(words, scale), height=CHART_HEIGHT),
        "eff": LiveChart("lr_page:eff", charts.eff_spec(words, scale), height=CHART_HEIGHT)}
slots = {}


def draw() -> None:
    """One frame of sections 1 and 2 (into the placeholders made below)."""
    sims = runs()
    gd = sims["gd"]
    slots["metric"].metric(t("lr.s1.metric"), gd.t)
    slots["status"].markdown(t("lr.s1.status", limit=sr.LIMIT, loss=f"{gd.losses[-1]:.4g}",
                               g=f"{gd.grad_norms()[-1]:.3g}" if gd.grads else "—"))
    data = charts.frame(sims)
    for key, chart in live.items():
        chart.draw(slots[key], **data[key])


# -- 1. a fixed learning rate on an elongated valley -----------------------------------------------------
st.header(t("lr.s1.title"))
st.markdown(t("lr.s1.text", half_a=sr.A / 2, c=sr.B / sr.K ** 2, k=sr.K, a=sr.A, b=sr.B,
              slope=sr.B / sr.K, w1=sr.START[0], w2=sr.START[1]))
st.markdown(t("lr.s1.rules"))
st.caption(t("lr.s1.torch"))
c1, c2, c3 = st.columns(3)
GD_LR.show(c1, on_change=new_runs, help_fmt={"b": sr.B, "limit": 2 / sr.B, "half": 1 / sr.B})
AD_LR.show(c2, on_change=new_runs)
ALPHA.show(c3, on_change=new_runs)
animation.player(SIM, advance, draw, step=lambda: sr.advance_all(runs(), 1), reset=new_runs, fps=FPS)
m1, m2 = st.columns([1, 4])
slots["metric"], slots["status"] = m1.empty(), m2.empty()
left, right = st.columns(2)   # halves: the small charts need the width for one-row legends
slots["path"] = left.empty()
slots["loss"], slots["grad"] = right.empty(), right.empty()
st.caption(t("lr.s1.read", **sr.fixed_lr_readout()))

# -- 2. σ per parameter ------------------------------------------------------------------------------
st.header(t("lr.s2.title"))
st.markdown(t("lr.s2.text"))
sigma_col, eff_col = st.columns(2)
slots["sigma"], slots["eff"] = sigma_col.empty(), eff_col.empty()
draw()

st.subheader(t("lr.s2.burst_title"))
st.markdown(t("lr.s2.burst_text"))
burst = charts.burst()
names = (t("lr.s2.const"), t("lr.s2.decay"), t("lr.s2.limit"))
bl, br = st.columns(2)
show("lr_page:burst_w2", charts.burst_w2_spec(t("lr.chart.w2_title"), words, names, scale),
     CHART_HEIGHT, where=bl, **burst["w2"])
show("lr_page:burst_eff", charts.burst_eff_spec(t("lr.chart.eff2_title"), words, names, scale),
     CHART_HEIGHT, where=br, **burst["eff"])
st.info(t("lr.s2.burst_found", lr=sr.AD_LR, **burst["found"]))

# -- 3. schedules -------------------------------------------------------------------------------------
st.header(t("lr.s3.title"))
st.markdown(t("lr.s3.text"))
curves = sr.schedule_curves()
show("lr_page:schedules", charts.schedule_spec(t("lr.chart.sched_title"), t("lr.chart.eta"), words,
                                          tuple(t(f"choice.{s}") for s in curves), scale),
     CHART_HEIGHT, **{s: {"x": x, "y": y} for s, (x, y) in curves.items()})
st.caption(t("lr.s3.formulas"))
st.markdown(t("lr.s3.panel", n=FIRST))
draw_first = first_updates.on_frame("lr_page:first", t("lr.first_title", n=FIRST),
                                    (t("chart.updates"), t("chart.loss"), t("chart.series")), FIRST)


panel(NS, presets.LEARNING_RATE, compare_preset=("schedule", ("constant", "warmup_linear")),
      on_frame=draw_first)
end()

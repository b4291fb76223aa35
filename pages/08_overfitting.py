"""Lecture section 8: overfitting. The bound on bad training sets, checked by simulation."""
import streamlit as st

from lib.lecture.overfit import (NESTED_SIZES, N_MAXES, SIM_DEFAULTS, TASK, TRADEOFF_DELTA,
                                 TRADEOFF_EPS, TRADEOFF_NS, TRADEOFF_SEED, TRADEOFF_TRIALS, TRIALS,
                                 bound_curve, good_sets_pick_well, page_sweep, picked_losses,
                                 tradeoff, tradeoff_shape, under_bound)
from lib.lecture.theory import bad_sample_bound, samples_needed
from ui import animation, charts, url
from ui.charts import overfitting as of_charts
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup

SIM = "of_sim"          # the simulation's player
SETS_PER_FRAME = 500    # training sets drawn per frame (~10 ms): a Stop lands within a frame

H = url.Control("of:h", 10_000, lo=1, hi=10**9, widget="number", step=1, label="of.h_size")
N = url.Control("of:n", 1_000, lo=1, hi=10**6, widget="number", step=100, label="of.n")
EPS = url.Control("of:eps", 0.1, lo=0.001, hi=0.5, widget="number", step=0.01, format="%.3f",
                  label="of.eps")
DELTA = url.Control("of:delta", 0.05, lo=0.001, hi=0.999, widget="number", step=0.01,
                    format="%.3f", label="of.delta")
SIM_H = url.Control("of:sim_h", SIM_DEFAULTS["size"], choices=tuple(NESTED_SIZES),
                    widget="select_slider", label="of.sim_h")
SIM_EPS = url.Control("of:sim_eps", SIM_DEFAULTS["eps"], lo=0.02, hi=0.3, widget="slider",
                      step=0.01, label="of.sim_eps")
SIM_TRIALS = url.Control("of:trials", SIM_DEFAULTS["trials"], choices=TRIALS,
                         widget="select_slider", label="of.trials")
N_MAX = url.Control("of:n_max", SIM_DEFAULTS["n_max"], choices=N_MAXES, widget="select_slider",
                    label="of.n_max")
SEED = url.Control("of:seed", SIM_DEFAULTS["seed"], lo=0, hi=10_000, widget="number", step=1,
                   label="of.seed")
SIM_CONTROLS = (SIM_H, SIM_EPS, SIM_TRIALS, N_MAX, SEED)

setup("overfitting")
url.controls(H, N, EPS, DELTA, *SIM_CONTROLS)


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
h_size, n, eps, delta = H.show(c1), N.show(c2), EPS.show(c3), DELTA.show(c4)
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
    words = of_charts.BoundWords(t("of.chart.bound_title"), t("of.chart.n"), t("of.chart.p"),
                                 None, t("of.chart.bound"), t("of.chart.one"),
                                 t("of.chart.here", n=f"{int(n):,}"))
    ns, values = bound_curve(int(h_size), int(n), float(eps), needed)
    charts.show("of:bound", of_charts.bound_spec(words, charts.font_scale()), charts.CHART_HEIGHT,
                **of_charts.bound_data(ns, values, int(n)))

# -- 2 simulation: many training sets, drawn a few hundred a frame (a player without buttons) -------
st.header(t("of.s2.title"))
st.markdown(t("of.s2.text", noise=TASK.noise, cut=TASK.cut, top=TASK.values - 1))


def start_over() -> None:
    """A setting changed: the sweep for the new settings (made below) starts at once."""
    animation.play(SIM)


def run_or_stop(start: bool) -> None:
    """Run (again) or Stop, as the button said when clicked."""
    sweep = st.session_state.get("of:sweep")
    if start and not animation.playing(SIM) and sweep is not None and sweep.finished:
        st.session_state.pop("of:sweep")   # run again from the start
    animation.set_playing(SIM, start)


columns = st.columns(5)
settings = tuple(c.show(col, on_change=start_over) for c, col in zip(SIM_CONTROLS, columns))
sim_h, sim_eps, trials, n_max, seed = settings
if st.session_state.get("of:sweep_for") != settings or "of:sweep" not in st.session_state:
    st.session_state["of:sweep"] = page_sweep(int(sim_h), float(sim_eps), int(trials), int(n_max), int(seed))
    st.session_state["of:sweep_for"] = settings
sweep = st.session_state["of:sweep"]
middle = len(sweep.ns) // 2     # the N whose training sets the histogram shows


def advance(_seconds: float) -> bool:
    return sweep.advance(SETS_PER_FRAME)


class SimFrame:
    """The simulation's placeholders and what one frame writes into them."""

    def __init__(self):
        self.words = of_charts.SimWords(t("of.chart.sim_title"), t("of.chart.n"), t("of.chart.p"),
                                        None, t("of.chart.simulated"),
                                        t("of.chart.bound_clip"))
        self.chart = charts.LiveChart("of:sim", of_charts.simulation_spec(self.words, charts.font_scale()),
                                      height=charts.CHART_HEIGHT, static={
                                          "bound": of_charts.bound_clipped(sweep.ns, sweep.bounds())})
        gap_words = of_charts.GapWords(t("of.chart.hist_title", n=f"{sweep.ns[middle]:,}"),
                                       t("of.chart.gap"), t("of.chart.count"),
                                       t("of.chart.eps", eps=f"{sim_eps:g}"))
        self.gaps = charts.LiveChart("of:gaps", of_charts.gaps_spec(gap_words, charts.font_scale()),
                                     height=charts.CHART_HEIGHT)
        self.gaps_drawn = None
        running = animation.playing(SIM)
        label = ("of.stop" if running else "of.run" if sweep.sets_drawn == 0
                 else "of.run_again" if sweep.finished else "of.continue")
        st.button(t(label), key="of:run", on_click=run_or_stop, args=(not running,), type="primary",
                  icon=":material/stop:" if running else ":material/play_arrow:", help=t("of.run_help"))
        m1, m2 = st.columns(2)
        self.sets, self.done = m1.empty(), m2.empty()
        self.bar = st.empty()
        self.summary = st.empty()
        left, right = st.columns([3, 2])
        self.sim_slot, self.gaps_slot = left.empty(), right.empty()
        right.caption(t("of.hist_note"))

    def draw(self) -> None:
        self.sets.metric(t("of.metric.sets"), f"{sweep.sets_drawn:,}")
        self.done.metric(t("of.metric.ns"), f"{len(sweep.done)} / {len(sweep.ns)}")
        self.bar.progress(sweep.sets_drawn / sweep.total_sets,
                          text=t("of.progress", done=f"{sweep.sets_drawn:,}", total=f"{sweep.total_sets:,}"))
        self.chart.draw(self.sim_slot, **of_charts.simulation_data(sweep.done))
        shown = len(sweep.done) > middle
        if self.gaps_drawn != shown:   # drawn once empty, once filled: it never changes between
            trial = sweep.done[middle] if shown else None
            self.gaps.draw(self.gaps_slot, **of_charts.gaps_data(
                trial.worst_gap if shown else [], float(sim_eps)))
            self.gaps_drawn = shown
        if sweep.finished:
            within = all(under_bound(tr) for tr in sweep.done)
            good_ok = all(good_sets_pick_well(tr, float(sim_eps)) for tr in sweep.done)
            self.summary.info(t("of.sim_summary", sets=sweep.total_sets,
                                ok=t("of.yes") if within else t("of.no"),
                                good_ok=t("of.yes") if good_ok else t("of.no")))
        elif sweep.sets_drawn == 0:
            self.summary.caption(t("of.not_run"))
        else:
            self.summary.empty()


sim_frame = SimFrame()
animation.player(SIM, advance, sim_frame.draw, buttons=False, fps=20)
sim_frame.draw()

# -- 3 trade-off -------------------------------------------------------------------------------------
st.header(t("of.s3.title"))
st.markdown(t("of.s3.text"))
a, b = st.columns(2)
trade_words = of_charts.TradeWords(t("of.chart.best_title"), t("of.chart.size"), t("of.chart.best"),
                                   t("of.chart.needed", eps=TRADEOFF_EPS, delta=TRADEOFF_DELTA))
charts.show("of:best", of_charts.best_spec(trade_words, charts.font_scale()), charts.CHART_HEIGHT,
            where=a, **of_charts.trade_data(tradeoff(TASK, NESTED_SIZES, TRADEOFF_EPS, TRADEOFF_DELTA)))
picked_words = of_charts.PickedWords(t("of.chart.picked_title"), t("of.chart.size"), t("of.chart.picked"),
                                     None,
                                     tuple(t("of.chart.n_series", n=n) for n in TRADEOFF_NS))
charts.show("of:picked", of_charts.picked_spec(picked_words, charts.font_scale()),
            charts.CHART_HEIGHT, where=b, **of_charts.picked_data(tradeoff_rows(), TRADEOFF_NS))
little, plenty = (tradeoff_shape(tradeoff_rows(), n) for n in (TRADEOFF_NS[0], TRADEOFF_NS[-1]))
st.markdown(t("of.s3.shape", trials=TRADEOFF_TRIALS, n1=little["n"], best1=little["best_size"],
              best1_loss=f"{little['best_loss']:.3f}", small1=little["smallest_size"],
              small1_loss=f"{little['smallest_loss']:.3f}", large1=little["largest_size"],
              large1_loss=f"{little['largest_loss']:.3f}", n3=plenty["n"],
              large3_loss=f"{plenty['largest_loss']:.3f}"))
end()

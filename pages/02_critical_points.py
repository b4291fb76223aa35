"""Critical points (lecture section 2): local minima, saddle points and the Hessian, live.

Three things play (ui/animation.py), each where its section is: gradient descent on the 2-D
surface (①), the training panel with its live critical-point readout (③), and the many short runs
of ④ (Start/Stop). The page's computations are in lib/lecture/critical.py, its charts in
ui/charts/critical_points.py.
"""
from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st

from lib.lecture import critical, presets
from ui import animation, url
from ui.charts import critical_points as charts, font_scale
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

NS = "critical_points"
GD = "cp_gd"          # the gradient-descent paths on the surface
EXP = "cp_exp"        # the many short runs
EXP_PIECE = 20        # updates of an experiment run between two looks at the clock (~0.1 s on a busy server)
STEPS_PER_FRAME = 2   # gradient-descent steps per frame: slow enough to watch a path leave the saddle
PRESET = presets.CRITICAL_POINTS
LO, HI = critical.BOX

SURFACE = url.Control("cp:surface", "toy", choices=tuple(critical.SURFACES), widget="radio",
                      label="cp.surface", choice_label="cp.surface.")
W1 = url.Control("cp:w1", 0.0, lo=LO, hi=HI, widget="number", step=0.1, format="%.4g", label="cp.w1")
W2 = url.Control("cp:w2", 0.0, lo=LO, hi=HI, widget="number", step=0.1, format="%.4g", label="cp.w2")
LR = url.Control("cp:lr", critical.GD_LR, lo=0.001, hi=1.0, widget="number", step=0.01, format="%.3f",
                 label="cp.gd.lr", help="cp.gd.lr_help")
D1 = url.Control("cp:d1", critical.TAYLOR_DELTA[0], lo=-2.0, hi=2.0, widget="number", step=0.05,
                 label="cp.s2.d1")
D2 = url.Control("cp:d2", critical.TAYLOR_DELTA[1], lo=-2.0, hi=2.0, widget="number", step=0.05,
                 label="cp.s2.d2")
GTOL = url.Control("cp:gtol", critical.GRAD_TOL, lo=1e-8, hi=1.0, widget="number", step=1e-4,
                   format="%.1e", label="cp.s3.gtol")
EXP_RUNS = url.Control("cp:exp_runs", critical.EXP_RUNS, lo=5, hi=critical.MAX_EXP_RUNS, widget="slider",
                       label="cp.s4.runs")
EXP_STEPS = url.Control("cp:exp_steps", critical.EXP_STEPS, lo=100, hi=critical.MAX_EXP_STEPS, step=100,
                        widget="slider", label="cp.s4.steps")

setup(NS)
ss = st.session_state
url.controls(SURFACE, W1, W2, LR, D1, D2, GTOL, EXP_RUNS, EXP_STEPS)
ss.setdefault("cp:exp", {"results": [], "steps": ss["cp:exp_steps"], "run": None})  # run: the one under way
ss.setdefault("cp:paths", critical.start_paths(ss["cp:surface"]))
ss.setdefault("cp:gd_step", 0)   # gradient-descent steps since the paths (re)started


def fn():
    return critical.SURFACES[ss["cp:surface"]]


# -- how numbers read ---------------------------------------------------------------------------------
def num(x, spec: str = ".3g") -> str:
    """A number as the page shows it; "—" where there is none (before a measurement, a NaN)."""
    return "—" if x is None or not math.isfinite(x) else format(x, spec)


def matrix_tex(m) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:.3g}" for v in row) for row in np.atleast_2d(m))
    return f"\\begin{{bmatrix}} {rows} \\end{{bmatrix}}"


def vec_tex(v) -> str:
    return matrix_tex(np.asarray(v).reshape(-1, 1))


def signed(x: float) -> str:
    return "0" if x == 0 else f"{x:.1e}".replace("-", "−", 1 if x < 0 else 0)


def sci(x: float) -> str:
    """1e-4 → 10⁻⁴, 2e-4 → 2·10⁻⁴: the page's tolerances as a reader writes them."""
    mantissa, exponent = f"{x:.0e}".split("e")
    power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == "1" else f"{mantissa}·{power}"


# -- ① callbacks ----------------------------------------------------------------------------------------
def reset_paths():
    ss["cp:paths"] = critical.start_paths(ss["cp:surface"])
    ss["cp:gd_step"] = 0


def clear_paths():
    ss["cp:paths"], ss["cp:gd_step"] = [], 0


def on_surface():
    if animation.playing(GD):
        animation.pause()
    ss["cp:w1"], ss["cp:w2"] = (0.0, 0.0) if ss["cp:surface"] == "toy" else (1.0, 0.0)
    ss.pop("cp:escaped", None)
    reset_paths()


def go_to(w1, w2):
    ss["cp:w1"], ss["cp:w2"] = float(w1), float(w2)
    ss.pop("cp:escaped", None)


def on_escape():
    try:
        new, before, after = critical.escape_step(fn(), (ss["cp:w1"], ss["cp:w2"]), size=critical.ESCAPE_SIZE)
    except ValueError:  # the point moved since the button was drawn: nothing to escape from
        return
    new = np.clip(new, LO, HI)
    ss["cp:w1"], ss["cp:w2"] = round(float(new[0]), 4), round(float(new[1]), 4)
    ss["cp:escaped"] = (before, after)


def add_start():
    paths = ss["cp:paths"]
    if len(paths) >= critical.MAX_STARTS:
        paths.pop(0)
    paths.append(np.array([(ss["cp:w1"], ss["cp:w2"])], dtype=float))


def gd_advance(_seconds: float = 0.0) -> bool:
    more = critical.advance_paths(fn(), ss["cp:paths"], ss["cp:lr"], STEPS_PER_FRAME)
    ss["cp:gd_step"] += STEPS_PER_FRAME
    return more


# -- page -------------------------------------------------------------------------------------------------
st.title(t("page.critical_points"))
lesson("critical_points")
st.markdown(t("cp.intro"))

# -- ① the lecture's example -----------------------------------------------------------------------------
st.header(t("cp.s1.title"))
st.markdown(t("cp.s1.text"))
SURFACE.show(on_change=on_surface)

c1, c2, c3 = st.columns([1, 1, 2])
W1.show(c1)
W2.show(c2)
with c3:
    st.caption(t("cp.jump"))
    jumps = ([(0.0, 0.0, "saddle"), (1.0, 1.0, "valley"), (0.5, -1.0, "slope")] if ss["cp:surface"] == "toy"
             else [(0.0, 0.0, "maximum"), (1.0, 1.0, "minimum"), (1.0, 0.0, "saddle")])
    for a, b, name in jumps:  # one under another: three side by side cut their names on a projector
        st.button(f"{t('cp.kind.' + name)} ({a:g}, {b:g})", key=f"cp:jump:{name}", on_click=go_to,
                  args=(a, b), width="stretch")

analysis = critical.analyze(fn(), (ss["cp:w1"], ss["cp:w2"]))
ev, vecs = analysis["eigenvalues"], analysis["eigenvectors"]
left, right = st.columns([3, 2], gap="medium")
with left:
    surface_slot = st.empty()
with right:
    m1, m2 = st.columns(2)
    m1.metric(t("cp.loss_here"), num(analysis["loss"], ".4g"))
    m2.metric(t("cp.grad_norm"), num(analysis["grad_norm"]))
    # one formula a line: the column is narrow on a projector, and a cut-off v₂ says nothing
    st.latex(f"g = {vec_tex(analysis['grad'])} \\qquad H = {matrix_tex(analysis['hessian'])}")
    for j in range(2):
        st.latex(f"\\lambda_{j + 1} = {ev[j]:.4g}, \\quad v_{j + 1} = {vec_tex(vecs[:, j])}")
    kind = analysis["verdict"]
    if not analysis["critical"]:
        st.info(t("cp.verdict.not_critical", shape=t(f"cp.shape.{kind}")))
    else:
        box = {"minimum": st.success, "maximum": st.warning, "saddle": st.error}.get(kind, st.info)
        box(t(f"cp.verdict.{kind}", zero=sci(critical.ZERO_TOL)))
        if kind == "undecided" and ss["cp:surface"] == "toy" and analysis["loss"] < 1e-9:
            st.caption(t("cp.valley_note"))
    if ev[0] < 0:
        st.button(t("cp.escape", lam=f"{ev[0]:.3g}"), key="cp:escape", on_click=on_escape,
                  icon=":material/south_east:", type="primary")
    if "cp:escaped" in ss:
        before, after = ss["cp:escaped"]
        st.success(t("cp.escaped", before=f"{before:.4g}", after=f"{after:.4g}"))

surface_words = charts.SurfaceWords(
    title=t("cp.chart.surface"), color_title=t("cp.chart.sqrt_loss" if ss["cp:surface"] == "toy" else "cp.chart.loss"),
    marks_title=t("cp.chart.marks"), vectors_title=t("cp.chart.vectors"))
surface_chart = charts.surface_chart(
    "cp:surface_map", ss["cp:surface"], surface_words,
    charts.surface_static(ss["cp:surface"], analysis,
                          {k: t(f"cp.kind.{k}") for k in critical.VERDICTS},
                          tuple(t("cp.chart.vector", j=j + 1, lam=f"{ev[j]:.3g}") for j in range(2))),
    font_scale())

st.subheader(t("cp.gd.title"))
st.markdown(t("cp.gd.text"))
g1, g2, g3, g4 = st.columns([1, 1, 1, 1])
LR.show(g1)
g2.button(t("cp.gd.add"), on_click=add_start, key="cp:add", width="stretch")
g3.button(t("cp.gd.clear"), on_click=clear_paths, key="cp:clear", width="stretch")
gd_metric = g4.empty()
gd_note = st.empty()


def draw_surface():
    surface_chart.draw(surface_slot, **charts.paths_data(ss["cp:paths"]))
    gd_metric.metric(t("cp.gd.step"), ss["cp:gd_step"])


def note_paths_left():
    gone = sum(critical.path_left(p) for p in ss["cp:paths"])
    if gone:
        gd_note.warning(t("cp.gd.left", n=gone, lr=f"{ss['cp:lr']:g}", box=f"{critical.BOX[1]:g}",
                          limit=f"{critical.PATH_LIMIT:g}"))


animation.player(GD, advance=gd_advance, draw=draw_surface, step=gd_advance, reset=reset_paths,
                 on_finish=note_paths_left, step_help=t("cp.gd.step_help", n=STEPS_PER_FRAME))
draw_surface()
note_paths_left()

# -- ② Taylor ------------------------------------------------------------------------------------------
st.header(t("cp.s2.title"))
st.markdown(t("cp.s2.text"))
d1, d2, _ = st.columns([1, 1, 2])
D1.show(d1)
D2.show(d2)
tay = critical.taylor(fn(), analysis["point"], analysis["point"] + np.array([ss["cp:d1"], ss["cp:d2"]]))
d = tay["delta"]
st.latex("L(\\theta) \\approx L(\\theta') + (\\theta-\\theta')^T g + \\tfrac12 (\\theta-\\theta')^T H (\\theta-\\theta')")
st.latex(f"= {tay['loss0']:.4g} + {vec_tex(d)}^T {vec_tex(tay['grad'])} + \\tfrac12 {vec_tex(d)}^T "
         f"{matrix_tex(tay['hessian'])} {vec_tex(d)}")
st.latex(f"= {tay['loss0']:.4g} {tay['linear']:+.4g} {tay['quadratic']:+.4g} = {tay['approx']:.4g}")
st.markdown(t("cp.s2.compare", exact=f"{tay['exact']:.4g}", err=f"{tay['exact'] - tay['approx']:.2g}"))
if analysis["critical"]:
    st.caption(t("cp.s2.critical"))

# -- ③ a network in training: the panel, and the critical-point readout of each of its runs ------------------
st.header(t("cp.s3.title"))
st.markdown(t("cp.s3.text", zero=sci(critical.ZERO_TOL)))
st.markdown(t("cp.s3.expect"))
st.caption(t("cp.s3.no_max"))
GTOL.show(st.columns([1, 2])[0])

readout_words = charts.ReadoutWords(
    updates=t("chart.updates"), grad_title=t("cp.s3.grad_chart"), grad_axis=t("cp.s3.grad_axis"),
    lam_min_title=t("cp.s3.lam_min_chart"), lam_max_title=t("cp.s3.lam_max_chart"),
    eigenvalue=t("chart.eigenvalue"), ratio_title=t("cp.s3.ratio_chart"), ratio_axis=t("cp.s3.ratio_axis"))
readout_now: dict = {}  # this script run's charts, made at the first frame (when the runs are known)


def readout(s: dict) -> tuple:
    """(box, text) for one run's latest measurement."""
    g, gtol = s["grad_norm"], ss["cp:gtol"]
    counts = {"neg": s["n_neg"], "zero": s["n_zero"], "pos": s["n_pos"]}
    if not math.isfinite(g):
        return st.error, t("cp.s3.no_number")
    if g > gtol:
        key = "cp.s3.not_yet" if s["verdict"] else "cp.s3.not_yet_big"
        return st.caption, t(key, g=num(g, ".2g"), tol=num(gtol, ".2g"), **counts)
    if s["verdict"] is None:  # too many parameters for the full spectrum
        return st.success, t("cp.s3.reached_big", step=s["step"], g=num(g, ".2g"), lo=num(s["lam_min"]),
                             hi=num(s["lam_max"]))
    return st.success, t("cp.s3.reached", step=s["step"], g=num(g, ".2g"), kind=t(f"cp.kind.{s['verdict']}"),
                         ratio=num(s["ratio"], ".2f"),
                         rel=signed(s["lam_min"] / max(abs(s["lam_min"]), abs(s["lam_max"]))), **counts)


def on_frame(state):
    """Every frame of the panel: measure each run where it has moved on (exact spectrum, at most
    every READOUT_EVERY updates while playing), chart the histories, say where each run stands."""
    every = critical.READOUT_EVERY if animation.playing(NS) else 1
    ss["cp:track"] = critical.follow(ss.get("cp:track", []), state.runs)
    last = [r.update(every) for r in ss["cp:track"]]
    names = tuple(label or "" for label in state.labels)
    if readout_now.get("labels") != names:
        labels = tuple(label or t("cp.s3.this_run") for label in names)
        readout_now.update(labels=names, charts=charts.readout_charts(NS, labels, readout_words, font_scale()))
    data = charts.readout_data([r.history.data for r in ss["cp:track"]])
    shown = readout_now["charts"]
    top, bottom = st.columns(2), st.columns(2)
    shown["grad"].draw(top[0], **data["grad"])
    if any(s["ratio"] is not None for s in last):
        shown["ratio"].draw(top[1], **data["ratio"])
    else:
        top[1].info(t("cp.s3.too_big", n=critical.EXACT_LIMIT))
    shown["lam_min"].draw(bottom[0], **data["lam_min"])
    shown["lam_max"].draw(bottom[1], **data["lam_max"])
    for s, label in zip(last, state.labels):
        box, text = readout(s)
        box((f"{label}: " if label else "") + text)


panel(NS, preset=PRESET, on_frame=on_frame, compare_preset=presets.CRITICAL_POINTS_COMPARE,
      landscape=True)

# -- ④ the many short runs ------------------------------------------------------------------------------
st.header(t("cp.s4.title"))
st.markdown(t("cp.s4.text", width=critical.EXP_WIDTH, gtol=sci(critical.GRAD_TOL), zero=sci(critical.ZERO_TOL)))
exp = ss["cp:exp"]


def exp_start_or_stop(start: bool):
    """Start or Stop, as the button said when clicked."""
    if start and not animation.playing(EXP):  # a new start: a finished or changed experiment starts over
        if len(exp["results"]) >= ss["cp:exp_runs"] or exp["steps"] != ss["cp:exp_steps"]:
            exp["results"], exp["run"] = [], None
        exp["steps"] = ss["cp:exp_steps"]
    animation.set_playing(EXP, start)


def exp_clear():
    if animation.playing(EXP):
        animation.pause()
    exp["results"], exp["run"] = [], None


def exp_advance(seconds: float) -> bool:
    """Train for about `seconds`, in pieces of EXP_PIECE updates (a run takes seconds; Stop must land
    sooner): the run under way goes on, a finished one joins the results and the next seed starts.
    Returns whether more runs are wanted."""
    until = time.perf_counter() + seconds
    while len(exp["results"]) < ss["cp:exp_runs"] and time.perf_counter() < until:
        if exp["run"] is None:
            x, y = critical.experiment_data()
            exp["run"] = critical.ShortRun(x, y, seed=len(exp["results"]), steps=exp["steps"])
        if not exp["run"].advance(EXP_PIECE):
            exp["results"].append(exp["run"].result())
            exp["run"] = None
    return len(exp["results"]) < ss["cp:exp_runs"]


running = animation.playing(EXP)
e1, e2, e3, e4 = st.columns([1, 1, 1, 1])
EXP_RUNS.show(e1, disabled=running)
EXP_STEPS.show(e2, disabled=running)
e3.button(t("cp.s4.stop") if running else t("cp.s4.start"), key="cp:exp_go", on_click=exp_start_or_stop,
          args=(not running,), type="primary", width="stretch",
          icon=":material/stop:" if running else ":material/play_arrow:")
e4.button(t("cp.s4.clear"), key="cp:exp_clear", on_click=exp_clear, width="stretch")
exp_metric, exp_progress = st.columns([1, 3])
exp_metric, exp_progress = exp_metric.empty(), exp_progress.empty()
exp_chart_slot, exp_summary = st.empty(), st.empty()
exp_chart = charts.scatter_chart("cp:experiment", charts.ScatterWords(
    title=t("cp.s4.chart"), x_title=t("cp.s4.x"), y_title=t("cp.s4.y"), status=t("cp.s4.status")), font_scale())


def experiment_reading(s: dict) -> str:
    """What the finished runs show, in numbers: the counts, then the largest group's reading."""
    gtol = sci(critical.GRAD_TOL)
    if not s["reached"]:
        return t("cp.s4.read.none", n=s["runs"], gtol=gtol)
    counts = t("cp.s4.summary", n=s["runs"], reached=s["reached"], gtol=gtol, gmax=f"{s['grad_max']:.2g}",
               saddle=s["saddle"], undecided=s["undecided"], minimum=s["minimum"],
               zeros=f"{s['zero_median']:g}", params=s["n_params"], median=f"{s['ratio_median']:.2f}")
    reading = t(f"cp.s4.read.{s['largest']}", neg=signed(-s["neg_rel_max"]), zero=sci(critical.ZERO_TOL))
    return counts + "\n\n" + reading


exp_drawn: dict = {}  # what this script run shows already: runs done, progress in percent


def draw_experiment():
    res, total = exp["results"], ss["cp:exp_runs"]
    under_way = exp["run"].taken / exp["steps"] if exp["run"] is not None else 0.0  # the steps cap a run
    percent = int(100 * min(1.0, (len(res) + under_way) / total))
    if exp_drawn.get("progress") != percent:  # a frame sends nothing the class would not see change
        exp_drawn["progress"] = percent
        exp_progress.progress(percent, text=t("cp.s4.progress", done=len(res), total=total))
    if exp_drawn.get("runs") == len(res):  # the rest changes only with a finished run
        return
    exp_drawn["runs"] = len(res)
    exp_metric.metric(t("cp.s4.done"), len(res))
    if not res:
        exp_chart_slot.info(t("cp.s4.empty"))
        exp_summary.empty()
        return
    status = [t(f"cp.kind.{r['verdict']}") if r["converged"] else t("cp.s4.not_converged", gtol=sci(critical.GRAD_TOL))
              for r in res]
    exp_chart.draw(exp_chart_slot, **charts.scatter_data(res, status))
    exp_summary.markdown(experiment_reading(critical.experiment_summary(res)))


animation.player(EXP, advance=exp_advance, draw=draw_experiment, per_frame=False, buttons=False)
draw_experiment()
end()

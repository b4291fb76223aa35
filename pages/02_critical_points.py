"""Critical points (lecture section 2): local minima, saddle points and the Hessian, live."""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch

from lib.lecture import critical, presets
from lib.engine.models import surface_grid
from ui import animation, url
from ui.charts import STEP_AXIS, STEP_SCALE, spec
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

NS = "critical_points"
GD = "cp_gd"                 # namespace of the page's own gradient-descent animation
GRID = 50                    # heat-map cells per side
MAX_STARTS = 6
MAX_PATH = 400               # points per gradient-descent path
STEPS_PER_FRAME = 2
PRESET = presets.CRITICAL_POINTS
STARTS = critical.STARTS

setup(NS)
ss = st.session_state
url.controls(url.Control("cp:surface", "toy", choices=tuple(critical.SURFACES)),
             url.Control("cp:w1", 0.0, lo=critical.BOX[0], hi=critical.BOX[1]),
             url.Control("cp:w2", 0.0, lo=critical.BOX[0], hi=critical.BOX[1]),
             url.Control("cp:d1", critical.TAYLOR_DELTA[0], lo=-2.0, hi=2.0),
             url.Control("cp:d2", critical.TAYLOR_DELTA[1], lo=-2.0, hi=2.0),
             url.Control("cp:lr", critical.GD_LR, lo=0.001, hi=1.0),
             url.Control("cp:gtol", critical.GRAD_TOL, lo=1e-8, hi=1.0),
             url.Control("cp:exp_runs", critical.EXP_RUNS, lo=5, hi=critical.MAX_EXP_RUNS),
             url.Control("cp:exp_steps", critical.EXP_STEPS, lo=100, hi=critical.MAX_EXP_STEPS))
ss.setdefault("cp:exp", {"results": [], "running": False})
if "cp:paths" not in ss:
    ss["cp:paths"] = [np.array([p]) for p in STARTS[ss["cp:surface"]]]


# -- one blocking loop at a time -------------------------------------------------------------------
def panel_state():
    return ss.get(f"{NS}:panel")


def stop_panel():
    if panel_state() is not None:
        panel_state().playing = False


if panel_state() is not None and panel_state().playing:
    # the panel's Play was just pressed (our own Play buttons pause the panel): it wins
    animation.set_playing(GD, False)
    ss["cp:exp"]["running"] = False


def fn():
    return critical.SURFACES[ss["cp:surface"]]


# -- callbacks -------------------------------------------------------------------------------------
def reset_paths():
    ss["cp:paths"] = [np.array([p]) for p in STARTS[ss["cp:surface"]]]


def on_surface():
    animation.set_playing(GD, False)
    ss["cp:w1"], ss["cp:w2"] = (0.0, 0.0) if ss["cp:surface"] == "toy" else (1.0, 0.0)
    reset_paths()


def go_to(w1, w2):
    ss["cp:w1"], ss["cp:w2"] = float(w1), float(w2)
    ss.pop("cp:escaped", None)


def on_escape():
    try:
        new, before, after = critical.escape_step(fn(), (ss["cp:w1"], ss["cp:w2"]), size=critical.ESCAPE_SIZE)
    except ValueError:
        return
    new = np.clip(new, *critical.BOX)
    ss["cp:w1"], ss["cp:w2"] = round(float(new[0]), 4), round(float(new[1]), 4)
    ss["cp:escaped"] = (before, after)


def add_start():
    paths = ss["cp:paths"]
    if len(paths) >= MAX_STARTS:
        paths.pop(0)
    paths.append(np.array([(ss["cp:w1"], ss["cp:w2"])]))


def gd_advance() -> bool:
    """Each path takes STEPS_PER_FRAME steps; False once every path has stopped."""
    more = False
    for i, path in enumerate(ss["cp:paths"]):
        if len(path) >= MAX_PATH or path_done(path):
            continue
        new = critical.gd_steps(fn(), path[-1], ss["cp:lr"], STEPS_PER_FRAME)
        if len(new) == 1:  # left the box: this path is over
            ss["cp:paths"][i] = np.vstack([path, [[np.nan, np.nan]]])
            continue
        ss["cp:paths"][i] = np.vstack([path, new[1:]])
        more = True
    return more


def path_done(path) -> bool:
    last = path[-1]
    if not np.all(np.isfinite(last)):
        return True
    g = torch.func.grad(fn())(torch.as_tensor(last, dtype=torch.float64))
    return float(g.norm()) < 1e-6


def gd_play():
    stop_panel()
    ss["cp:exp"]["running"] = False


# -- charts ----------------------------------------------------------------------------------------
@st.cache_data(max_entries=4)
def heat(surface: str) -> pd.DataFrame:
    g1, g2, z = surface_grid(critical.SURFACES[surface], (critical.BOX[0],) * 2, (critical.BOX[1],) * 2, GRID)
    w1, w2 = np.meshgrid(g1.numpy(), g2.numpy(), indexing="xy")
    d = (critical.BOX[1] - critical.BOX[0]) / (GRID - 1) / 2 * 1.08  # overlap: no seams on canvas
    z = z.numpy().ravel()
    shown = np.sqrt(z) if surface == "toy" else z  # √L spreads the toy's wide range of values
    return pd.DataFrame({"x": w1.ravel() - d, "x2": w1.ravel() + d, "y": w2.ravel() - d,
                         "y2": w2.ravel() + d, "z": shown, "kind": "grid"})


@lru_cache(maxsize=8)
def surface_spec(title: str, color_title: str, marks_title: str) -> dict:
    scale = alt.Scale(domain=list(critical.BOX), nice=False, zero=False)
    x, y = alt.X("x:Q", title="w₁", scale=scale), alt.Y("y:Q", title="w₂", scale=scale)
    cells = alt.Chart().transform_filter(alt.datum.kind == "grid").mark_rect().encode(
        x=x, x2="x2:Q", y=y, y2="y2:Q",
        color=alt.Color("z:Q", title=color_title, scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(orient="right", gradientLength=200)))
    valley = alt.Chart().transform_filter(alt.datum.kind == "valley").mark_line(
        color="#ff5ca8", strokeWidth=3, strokeDash=[6, 3]).encode(x=x, y=y, detail="id:N", order="order:Q")
    paths = alt.Chart().transform_filter(alt.datum.kind == "path").mark_line(
        color="white", strokeWidth=2).encode(x=x, y=y, detail="id:N", order="order:Q")
    heads = alt.Chart().transform_filter(alt.datum.kind == "head").mark_point(
        color="white", filled=True, size=40).encode(x=x, y=y)
    arrows = alt.Chart().transform_filter(alt.datum.kind == "eig").mark_rule(
        strokeWidth=3).encode(x=x, y=y, x2="x2:Q", y2="y2:Q",
                              color=alt.Color("label:N", title=None, legend=None,
                                              scale=alt.Scale(range=["#ff3b3b", "#ffd23b"])))
    crit = alt.Chart().transform_filter(alt.datum.kind == "crit").mark_point(
        filled=True, size=140, stroke="black", strokeWidth=1).encode(
        x=x, y=y, shape=alt.Shape("label:N", title=marks_title, legend=alt.Legend(orient="bottom")),
        color=alt.value("white"))
    pick = alt.Chart().transform_filter(alt.datum.kind == "pick").mark_point(
        shape="cross", filled=True, size=260, color="#ff3b3b", stroke="white", strokeWidth=1).encode(x=x, y=y)
    chart = alt.layer(cells, valley, paths, heads, arrows, crit, pick).resolve_scale(
        color="independent", shape="independent")
    return spec(chart.properties(title=title, height=430))


def surface_frame(analysis) -> pd.DataFrame:
    surface = ss["cp:surface"]
    parts = [heat(surface)]
    if surface == "toy":
        for i, branch in enumerate(critical.minimum_valley()):
            parts.append(pd.DataFrame({"x": branch[:, 0], "y": branch[:, 1], "kind": "valley",
                                       "id": f"v{i}", "order": np.arange(len(branch))}))
    crit = critical.critical_points(surface)
    parts.append(pd.DataFrame({"x": [c[0] for c in crit], "y": [c[1] for c in crit], "kind": "crit",
                               "label": [t(f"cp.kind.{c[2]}") for c in crit]}))
    for i, path in enumerate(ss["cp:paths"]):
        path = path[np.all(np.isfinite(path), axis=1)]
        parts.append(pd.DataFrame({"x": path[:, 0], "y": path[:, 1], "kind": "path", "id": f"p{i}",
                                   "order": np.arange(len(path))}))
        parts.append(pd.DataFrame({"x": path[-1:, 0], "y": path[-1:, 1], "kind": "head"}))
    p = analysis["point"]
    for j in range(2):
        v = analysis["eigenvectors"][:, j] * 0.5
        parts.append(pd.DataFrame({"x": [p[0]], "y": [p[1]], "x2": [p[0] + v[0]], "y2": [p[1] + v[1]],
                                   "kind": "eig", "label": [f"λ{j + 1}"]}))
    parts.append(pd.DataFrame({"x": [p[0]], "y": [p[1]], "kind": "pick"}))
    return pd.concat(parts, ignore_index=True)


def draw_surface(slot, analysis):
    slot.vega_lite_chart(surface_frame(analysis),
                         surface_spec(t("cp.chart.surface"), t("cp.chart.sqrt_loss" if ss["cp:surface"] == "toy"
                                                               else "cp.chart.loss"), t("cp.chart.marks")),
                         width="stretch")


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


# -- page ------------------------------------------------------------------------------------------
st.title(t("page.critical_points"))
lesson("critical_points")
st.markdown(t("cp.intro"))

st.header(t("cp.s1.title"))
st.markdown(t("cp.s1.text"))
st.radio(t("cp.surface"), list(critical.SURFACES), key="cp:surface", horizontal=True,
         format_func=lambda s: t(f"cp.surface.{s}"), on_change=on_surface)

c1, c2, c3 = st.columns([1, 1, 2])
c1.number_input("w₁", critical.BOX[0], critical.BOX[1], step=0.1, key="cp:w1", format="%.4g")
c2.number_input("w₂", critical.BOX[0], critical.BOX[1], step=0.1, key="cp:w2", format="%.4g")
with c3:
    st.caption(t("cp.jump"))
    jumps = ([(0.0, 0.0, "saddle"), (1.0, 1.0, "valley"), (0.5, -1.0, "slope")] if ss["cp:surface"] == "toy"
             else [(0.0, 0.0, "maximum"), (1.0, 1.0, "minimum"), (1.0, 0.0, "saddle")])
    for col, (a, b, name) in zip(st.columns(3), jumps):
        col.button(f"{t('cp.kind.' + name)} ({a:g}, {b:g})", key=f"cp:jump:{name}", on_click=go_to,
                   args=(a, b), width="stretch")

analysis = critical.analyze(fn(), (ss["cp:w1"], ss["cp:w2"]))
left, right = st.columns([3, 2], gap="medium")
with left:
    surface_slot = st.empty()
with right:
    m1, m2 = st.columns(2)
    m1.metric(t("cp.loss_here"), f"{analysis['loss']:.4g}")
    m2.metric(t("cp.grad_norm"), f"{analysis['grad_norm']:.3g}")
    ev, vecs = analysis["eigenvalues"], analysis["eigenvectors"]
    st.latex(f"g = {vec_tex(analysis['grad'])} \\quad H = {matrix_tex(analysis['hessian'])}")
    st.latex(f"\\lambda_1 = {ev[0]:.4g},\\ v_1 = {vec_tex(vecs[:, 0])} \\quad "
             f"\\lambda_2 = {ev[1]:.4g},\\ v_2 = {vec_tex(vecs[:, 1])}")
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

st.subheader(t("cp.gd.title"))
st.markdown(t("cp.gd.text"))
g1, g2, g3 = st.columns([1, 1, 1])
g1.number_input(t("cp.gd.lr"), 0.001, 1.0, step=0.01, key="cp:lr", format="%.3f")
g2.button(t("cp.gd.add"), on_click=add_start, key="cp:add", width="stretch")
g3.button(t("cp.gd.clear"), on_click=lambda: ss.__setitem__("cp:paths", []), key="cp:clear",
          width="stretch")


def gd_toggle():
    animation.set_playing(GD, not animation.playing(GD))
    if animation.playing(GD):
        gd_play()


def gd_step():
    animation.set_playing(GD, False)
    gd_advance()


def gd_reset():
    animation.set_playing(GD, False)
    reset_paths()


animation.buttons(GD, animation.playing(GD), gd_toggle, gd_step, gd_reset)
draw_surface(surface_slot, analysis)

# -- 2 Taylor --------------------------------------------------------------------------------------
st.header(t("cp.s2.title"))
st.markdown(t("cp.s2.text"))
d1, d2, _ = st.columns([1, 1, 2])
d1.number_input("Δw₁ = (θ − θ′)₁", -2.0, 2.0, step=0.05, key="cp:d1")
d2.number_input("Δw₂ = (θ − θ′)₂", -2.0, 2.0, step=0.05, key="cp:d2")
tay = critical.taylor(fn(), analysis["point"], analysis["point"] + np.array([ss["cp:d1"], ss["cp:d2"]]))
d = tay["delta"]
st.latex("L(\\theta) \\approx L(\\theta') + (\\theta-\\theta')^T g + \\tfrac12 (\\theta-\\theta')^T H (\\theta-\\theta')")
st.latex(f"= {tay['loss0']:.4g} + {vec_tex(d)}^T {vec_tex(tay['grad'])} + \\tfrac12 {vec_tex(d)}^T "
         f"{matrix_tex(tay['hessian'])} {vec_tex(d)}")
st.latex(f"= {tay['loss0']:.4g} {tay['linear']:+.4g} {tay['quadratic']:+.4g} = {tay['approx']:.4g}")
st.markdown(t("cp.s2.compare", exact=f"{tay['exact']:.4g}", err=f"{tay['exact'] - tay['approx']:.2g}"))
if analysis["critical"]:
    st.caption(t("cp.s2.critical"))

# -- 3 the network on the panel, 4 the many-runs experiment (drawn first, shown after) -------------
sec3, sec4 = st.container(), st.container()

with sec4:
    st.header(t("cp.s4.title"))
    st.markdown(t("cp.s4.text", width=critical.EXP_WIDTH, gtol=sci(critical.GRAD_TOL),
                  zero=sci(critical.ZERO_TOL)))
    exp = ss["cp:exp"]
    e1, e2, e3, e4 = st.columns([1, 1, 1, 1])
    n_runs = e1.slider(t("cp.s4.runs"), 5, critical.MAX_EXP_RUNS, key="cp:exp_runs")
    max_steps = e2.slider(t("cp.s4.steps"), 100, critical.MAX_EXP_STEPS, step=100, key="cp:exp_steps")

    def exp_toggle():
        exp["running"] = not exp["running"]
        if exp["running"]:
            stop_panel()
            animation.set_playing(GD, False)
            if len(exp["results"]) >= ss["cp:exp_runs"] or exp.get("steps") != ss["cp:exp_steps"]:
                exp["results"] = []
            exp["steps"] = ss["cp:exp_steps"]

    def exp_clear():
        exp["results"], exp["running"] = [], False

    e3.button(t("cp.s4.stop") if exp["running"] else t("cp.s4.start"), key="cp:exp_go",
              on_click=exp_toggle, type="primary", width="stretch",
              icon=":material/stop:" if exp["running"] else ":material/play_arrow:")
    e4.button(t("cp.s4.clear"), key="cp:exp_clear", on_click=exp_clear, width="stretch")
    exp_progress = st.empty()
    exp_chart = st.empty()
    exp_summary = st.empty()


@lru_cache(maxsize=8)
def scatter_spec(x_title: str, y_title: str, legend: str, title: str) -> dict:
    chart = alt.Chart().mark_point(filled=True, size=70, opacity=0.85).encode(
        x=alt.X("ratio:Q", title=x_title, scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("status:N", title=legend, legend=alt.Legend(orient="top")),
        tooltip=["seed:Q", "ratio:Q", "loss:Q", "grad_norm:Q", "n_neg:Q", "n_zero:Q"])
    return spec(chart.properties(title=title, height=320))


def draw_experiment():
    res = exp["results"]
    total = ss["cp:exp_runs"]
    exp_progress.progress(min(1.0, len(res) / total), text=t("cp.s4.progress", done=len(res), total=total))
    if not res:
        exp_chart.info(t("cp.s4.empty"))
        exp_summary.empty()
        return
    df = pd.DataFrame(res)
    df["status"] = [t(f"cp.kind.{v}") if c else t("cp.s4.not_converged", gtol=sci(critical.GRAD_TOL))
                    for v, c in zip(df["verdict"], df["converged"])]
    df["loss"] = df["loss"].clip(lower=1e-8)
    exp_chart.vega_lite_chart(df, scatter_spec(t("cp.s4.x"), t("cp.s4.y"), t("cp.s4.status"),
                                               t("cp.s4.chart")), width="stretch")
    exp_summary.markdown(experiment_reading(critical.experiment_summary(res)))


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


def exp_advance() -> bool:
    if len(exp["results"]) >= ss["cp:exp_runs"]:
        return False
    x, y = critical.experiment_data()
    exp["results"].append(critical.short_run(x, y, seed=len(exp["results"]), steps=exp["steps"]))
    return len(exp["results"]) < ss["cp:exp_runs"]


draw_experiment()

# -- 3: the panel and its live critical-point readout ----------------------------------------------
track = ss.setdefault("cp:track", {})
SERIES = ("grad_norm", "lam_min", "lam_max", "ratio")


def measure(run, playing: bool) -> dict:
    """The run's readout history (bounded), with a new measurement when the run has moved on."""
    rec = track.get(id(run))
    if rec is None or rec["run"] is not run or (rec["step"] and run.step < rec["step"][-1]):
        rec = track[id(run)] = {"run": run, "step": [], **{k: [] for k in SERIES}, "last": None}
    if rec["step"] and playing and run.step - rec["step"][-1] < critical.READOUT_EVERY:
        return rec
    if rec["step"] and rec["step"][-1] == run.step:
        return rec
    s = critical.measure(run)
    if len(rec["step"]) >= 500:  # bounded: keep every other point
        for k in ("step", *SERIES):
            del rec[k][1::2]
    rec["step"].append(run.step)
    for k in SERIES:
        rec[k].append(s[k])
    rec["last"] = s
    return rec


@lru_cache(maxsize=8)
def track_spec(x_title: str, title: str, legend: str, log: bool, height: int = 220) -> dict:
    chart = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=12), clip=True).encode(
        x=alt.X("step:Q", title=x_title, axis=STEP_AXIS, scale=STEP_SCALE),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(type="log") if log else alt.Scale()),
        color=alt.Color("series:N", title=legend, legend=alt.Legend(orient="top", labelLimit=280)))
    return spec(chart.properties(title=title, height=height))


def readout(s: dict) -> tuple:
    """(box, text) for one run's latest measurement."""
    g, gtol = s["grad_norm"], ss["cp:gtol"]
    counts = {"neg": s["n_neg"], "zero": s["n_zero"], "pos": s["n_pos"]}
    if g > gtol:
        key = "cp.s3.not_yet" if s["verdict"] else "cp.s3.not_yet_big"
        return st.caption, t(key, g=f"{g:.2g}", tol=f"{gtol:.2g}", **counts)
    if s["verdict"] is None:  # too many parameters for the full spectrum
        return st.success, t("cp.s3.reached_big", step=s["step"], g=f"{g:.2g}", lo=f"{s['lam_min']:.3g}",
                             hi=f"{s['lam_max']:.3g}")
    return st.success, t("cp.s3.reached", step=s["step"], g=f"{g:.2g}", kind=t(f"cp.kind.{s['verdict']}"),
                         ratio=f"{s['ratio']:.2f}",
                         rel=signed(s["lam_min"] / max(abs(s["lam_min"]), abs(s["lam_max"]))), **counts)


def on_frame(state):
    recs = [measure(r, state.playing) for r in state.runs]
    live = {id(r) for r in state.runs}
    for key in [k for k in track if k not in live]:
        del track[key]
    a, b, c = [], [], []
    for rec, label in zip(recs, state.labels):
        pre = f"{label} · " if label else ""
        a.append(pd.DataFrame({"step": rec["step"], "value": rec["grad_norm"], "series": pre + "‖g‖"}))
        for k, name in (("lam_min", "λ_min"), ("lam_max", "λ_max")):
            b.append(pd.DataFrame({"step": rec["step"], "value": rec[k], "series": pre + name}))
        if rec["ratio"][-1] is not None:
            c.append(pd.DataFrame({"step": rec["step"], "value": rec["ratio"], "series": pre + t("cp.ratio")}))
    cols = st.columns(3)
    cols[0].vega_lite_chart(pd.concat(a).assign(value=lambda df: df["value"].clip(lower=1e-12)),
                            track_spec(t("chart.updates"), t("cp.s3.grad_chart"), t("chart.series"), True),
                            width="stretch")
    cols[1].vega_lite_chart(pd.concat(b), track_spec(t("chart.updates"), t("cp.s3.eig_chart"),
                                                     t("chart.series"), False), width="stretch")
    if c:
        cols[2].vega_lite_chart(pd.concat(c), track_spec(t("chart.updates"), t("cp.s3.ratio_chart"),
                                                         t("chart.series"), False), width="stretch")
    else:
        cols[2].info(t("cp.s3.too_big", n=critical.EXACT_LIMIT))
    for rec, label in zip(recs, state.labels):
        box, text = readout(rec["last"])
        box((f"{label}: " if label else "") + text)


with sec3:
    st.header(t("cp.s3.title"))
    st.markdown(t("cp.s3.text", zero=sci(critical.ZERO_TOL)))
    st.markdown(t("cp.s3.expect"))
    st.caption(t("cp.s3.no_max"))
    st.number_input(t("cp.s3.gtol"), 1e-8, 1.0, key="cp:gtol", format="%.1e", step=1e-4)
    panel(NS, preset=PRESET, on_frame=on_frame, compare_preset=presets.CRITICAL_POINTS_COMPARE)

# -- at most one of the page's own loops, after the panel (whose loop returns when paused) ---------
if animation.playing(GD):
    animation.loop(GD, gd_advance, lambda: draw_surface(surface_slot, analysis))
elif exp["running"]:
    while exp["running"]:
        more = exp_advance()
        draw_experiment()
        if not more:
            exp["running"] = False
            st.rerun()

"""6 Batch normalization: feature normalization rounds the error surface; BN in a deep MLP;
the batch's μ, σ in train mode against the running μ̄, σ̄ used at test time."""
import time

import numpy as np
import pandas as pd
import streamlit as st

from lib.lecture import normalization as nz
from lib.lecture import presets
from ui import url
from ui.charts import CHART_HEIGHT, LiveChart, font_scale, show
from ui.charts import batch_norm as charts
from ui.charts.surfaces import Surface, path_data
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

NS = "batch_norm"
PRESET = presets.BATCH_NORM
GRID = 45          # surface cells per axis
CHANNELS = 8       # BN channels shown in the train/eval charts
STATS_SECONDS = 0.2  # the live μ/σ charts are redrawn at most this often while the panel plays
RATIO = url.Control(f"{NS}:ratio", nz.RATIO, lo=1, hi=30, widget="slider", label="bn.fn.ratio",
                    help="bn.fn.ratio_help")
LR_FACTOR = url.Control(f"{NS}:lr_factor", nz.LR_FACTOR, lo=0.1, hi=2.1, widget="slider", step=0.1,
                        label="bn.fn.lr", help="bn.fn.lr_help")
GD_STEPS = url.Control(f"{NS}:gd_steps", nz.GD_STEPS, lo=1, hi=500, widget="slider",
                       label="bn.fn.steps", help="bn.fn.steps_help")
SMALL_BATCH = url.Control(f"{NS}:small_batch", 2, choices=nz.SMALL_BATCHES, widget="select_slider",
                          label="bn.small.batch", help="bn.small.batch_help")

setup(NS)
url.controls(RATIO, LR_FACTOR, GD_STEPS, SMALL_BATCH)
scale = font_scale()
st.title(t("page.batch_norm"))
lesson("batch_norm")
st.caption(t("bn.intro"))

# -- 1 feature normalization -------------------------------------------------------------------------
st.header(t("bn.fn.title"))
st.markdown(t("bn.fn.text"))
c1, c2, c3 = st.columns(3)
ratio, factor, steps = RATIO.show(c1), LR_FACTOR.show(c2), GD_STEPS.show(c3)


@st.cache_data(max_entries=64)
def section_one(ratio: float, factor: float, steps: int):
    """Both surfaces, their descents and heat maps: a second of work that depends on the three
    controls only, so a rerun (a click on Play, Pause) does not wait for it again."""
    raw, norm = nz.compare_surfaces(ratio, factor, steps)
    return raw, norm, {"raw": charts.surface_static(raw, GRID), "norm": charts.surface_static(norm, GRID)}


raw, norm, heat = section_one(ratio, factor, steps)
xn = norm.x
st.latex(r"m_i=\frac{1}{R}\sum_{r=1}^{R}x_i^r,\qquad \sigma_i=\sqrt{\frac{1}{R}\sum_{r=1}^{R}(x_i^r-m_i)^2},"
         r"\qquad \tilde x_i^r=\frac{x_i^r-m_i}{\sigma_i}")
_, m, sigma = nz.normalize(raw.x)
st.dataframe(pd.DataFrame({
    t("bn.fn.feature"): ["x₁", "x₂"],
    "m_i": m.numpy(), "σ_i": sigma.numpy(),
    t("bn.fn.mean_tilde"): xn.mean(0).numpy(), t("bn.fn.var_tilde"): xn.var(0, unbiased=False).numpy(),
}), hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.4f")
                                    for c in ("m_i", "σ_i", t("bn.fn.mean_tilde"), t("bn.fn.var_tilde"))})

left, right = st.columns(2)
for key, col, view, title, names in (("raw", left, raw, t("bn.fn.raw_title"), ("w₁", "w₂")),
                                     ("norm", right, norm, t("bn.fn.norm_title"), ("w̃₁", "w̃₂"))):
    surface = Surface(title=title, color_title="log₁₀ L", x_domain=(view.lo[0], view.hi[0]),
                      y_domain=(view.lo[1], view.hi[1]), x_title=names[0], y_title=names[1],
                      path_color="white")
    show(f"{NS}:surface_{key}", charts.surface_spec(surface, t("bn.fn.path"), scale), CHART_HEIGHT,
         where=col, static=heat[key], path0=path_data(view.descent.path.numpy()))
    # one metric under the other: side by side, their labels would be cut short
    col.metric(t("bn.fn.kappa"), f"{view.descent.kappa:,.1f}")
    reached = view.descent.reached
    col.metric(t("bn.fn.reached"), t("bn.fn.never", steps=steps) if reached is None else reached)
    if view.descent.diverged:
        col.error(t("bn.fn.diverged", limit=f"{2 / view.descent.lam_max:.4g}"))
st.markdown(t("bn.fn.explain", ratio=ratio, k_raw=f"{raw.descent.kappa:,.1f}",
              k_norm=f"{norm.descent.kappa:.2f}"))

# -- 2 a deep MLP with and without BN: the panel ------------------------------------------------------
st.header(t("bn.deep.title"))
st.markdown(t("bn.deep.text"))
slots = {}  # section 3's live charts, once the page has drawn them


def draw_bn_stats(state) -> None:
    """Every frame: the first BN layer's batch μ, σ against its running μ̄, σ̄ (section 3)."""
    if not slots:
        return
    run = next((r for r in state.runs if r.config.batch_norm), None)
    if run is None:
        slots["mu"].info(t("bn.live.none"))
        slots["sd"].empty()
        return
    # five times a second is enough to watch μ̄ catch up, and each draw replaces all the bars
    # (a full re-render in the browser, which kept the projector's tab busy at the panel's 20 fps)
    now = time.monotonic()
    if now - slots.get("drawn", -STATS_SECONDS) < STATS_SECONDS:
        return
    slots["drawn"] = now
    s = nz.first_layer_stats(run.model, run.data.x_train, run.config.batch_size)
    mu_kinds, sd_kinds = (t("bn.live.batch_mu"), t("bn.live.run_mu")), (t("bn.live.batch_sd"), t("bn.live.run_sd"))
    slots["mu_chart"].draw(slots["mu"], **charts.stat_data(s.batch_mean, s.running_mean, mu_kinds, CHANNELS))
    slots["sd_chart"].draw(slots["sd"], **charts.stat_data(s.batch_std, s.running_std, sd_kinds, CHANNELS))


state = panel(NS, PRESET, on_frame=draw_bn_stats, compare_preset=("batch_norm", (False, True)),
              landscape=True)

# -- 3 train mode against eval mode ---------------------------------------------------------------
st.header(t("bn.mode.title"))
st.markdown(t("bn.mode.text"))
st.latex(r"\text{train: }\tilde z=\frac{z-\mu}{\sqrt{\sigma^2+\epsilon}}\gamma+\beta,\qquad"
         r"\text{eval: }\tilde z=\frac{z-\bar\mu}{\sqrt{\bar\sigma^2+\epsilon}}\gamma+\beta,\qquad"
         r"\bar\mu\leftarrow 0.9\,\bar\mu+0.1\,\mu")

st.subheader(t("bn.small.title"))
st.markdown(t("bn.small.text"))
bsize = SMALL_BATCH.show()


@st.cache_data(max_entries=len(nz.SMALL_BATCHES))
def small_batch_table(b: int) -> pd.DataFrame:
    model, x_train = nz.untrained_bn_net(PRESET)
    stats = nz.first_layer_stats(model, x_train, b)
    cols = {f"z̃{c + 1}": stats.normalized[:, c].numpy() for c in range(4)}
    return pd.DataFrame({"#": np.arange(1, b + 1), **cols})


st.dataframe(small_batch_table(bsize).head(8), hide_index=True,
             column_config={f"z̃{c + 1}": st.column_config.NumberColumn(format="%.4f") for c in range(4)})
if bsize == 1:
    st.error(t("bn.small.one"))
elif bsize == 2:
    st.warning(t("bn.small.two"))
else:
    st.info(t("bn.small.more", b=bsize))

st.subheader(t("bn.live.title"))
st.markdown(t("bn.live.text"))
a, b = st.columns(2)
slots.update(mu=a.empty(), sd=b.empty(),
             mu_chart=LiveChart(f"{NS}:mu", charts.stat_spec(
                 t("bn.live.mu_title"), t("bn.live.channel"), "μ", t("chart.series"),
                 (t("bn.live.batch_mu"), t("bn.live.run_mu")), scale), height=CHART_HEIGHT),
             sd_chart=LiveChart(f"{NS}:sd", charts.stat_spec(
                 t("bn.live.sd_title"), t("bn.live.channel"), "σ", t("chart.series"),
                 (t("bn.live.batch_sd"), t("bn.live.run_sd")), scale), height=CHART_HEIGHT))
draw_bn_stats(state)
end()

"""6 Batch normalization: feature normalization rounds the error surface; BN in a deep MLP;
the batch's μ, σ in train mode against the running μ̄, σ̄ used at test time."""
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch

from lib.lecture import normalization as nz
from lib.lecture import presets
from ui import url
from ui.i18n import t
from ui.page import setup
from ui.panel import panel
from ui.lesson import lesson

NS = "batch_norm"
PRESET = presets.BATCH_NORM
GRID = 45          # surface cells per axis
CHANNELS = 8       # BN channels shown in the train/eval charts
SMALL_BATCHES = nz.SMALL_BATCHES

setup(NS)
url.controls(url.Control(f"{NS}:ratio", nz.RATIO, lo=1, hi=30),
             url.Control(f"{NS}:lr_factor", nz.LR_FACTOR, lo=0.1, hi=2.1),
             url.Control(f"{NS}:gd_steps", nz.GD_STEPS, lo=1, hi=500),
             url.Control(f"{NS}:small_batch", 2, choices=tuple(SMALL_BATCHES)))
st.title(t("page.batch_norm"))
lesson("batch_norm")
st.caption(t("bn.intro"))

# -- 1 feature normalization -------------------------------------------------------------------------
st.header(t("bn.fn.title"))
st.markdown(t("bn.fn.text"))
c1, c2, c3 = st.columns(3)
ratio = c1.slider(t("bn.fn.ratio"), 1, 30, key=f"{NS}:ratio", help=t("bn.fn.ratio_help"))
factor = c2.slider(t("bn.fn.lr"), 0.1, 2.1, step=0.1, key=f"{NS}:lr_factor", help=t("bn.fn.lr_help"))
steps = c3.slider(t("bn.fn.steps"), 1, 500, key=f"{NS}:gd_steps")

x, y = nz.page_features(ratio)
xn, m, sigma = nz.normalize(x)
st.latex(r"m_i=\frac{1}{R}\sum_{r=1}^{R}x_i^r,\qquad \sigma_i=\sqrt{\frac{1}{R}\sum_{r=1}^{R}(x_i^r-m_i)^2},"
         r"\qquad \tilde x_i^r=\frac{x_i^r-m_i}{\sigma_i}")
st.dataframe(pd.DataFrame({
    t("bn.fn.feature"): ["x₁", "x₂"],
    "m_i": m.numpy(), "σ_i": sigma.numpy(),
    t("bn.fn.mean_tilde"): xn.mean(0).numpy(), t("bn.fn.var_tilde"): xn.var(0, unbiased=False).numpy(),
}), hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.4f")
                                    for c in ("m_i", "σ_i", t("bn.fn.mean_tilde"), t("bn.fn.var_tilde"))})

W0 = torch.tensor(nz.START, dtype=torch.float64)


def surface_chart(xs, w0, title, names):
    """Heat map of log loss over (w1, w2), equal axes around the minimum, with the GD path."""
    run = nz.descend(xs, y, w0, factor, steps)
    path = run.path
    best = nz.least_squares(xs, y)
    half = float((w0 - best).abs().max()) * 1.3
    g1 = torch.linspace(float(best[0]) - half, float(best[0]) + half, GRID, dtype=torch.float64)
    g2 = torch.linspace(float(best[1]) - half, float(best[1]) + half, GRID, dtype=torch.float64)
    mesh = torch.stack(torch.meshgrid(g1, g2, indexing="xy"), -1)
    loss = nz.linear_loss(mesh, xs, y)
    d = 2 * half / (GRID - 1)
    cells = pd.DataFrame({"w1": mesh[..., 0].flatten().numpy() - d / 2,
                          "w1b": mesh[..., 0].flatten().numpy() + d / 2,
                          "w2": mesh[..., 1].flatten().numpy() - d / 2,
                          "w2b": mesh[..., 1].flatten().numpy() + d / 2,
                          "L": np.log10(loss.flatten().numpy() + 1e-12)})
    pts = pd.DataFrame({"w1": path[:, 0].numpy(), "w2": path[:, 1].numpy(),
                        "step": np.arange(len(path))})
    inside = pts[(pts.w1 - float(best[0])).abs().le(half) & (pts.w2 - float(best[1])).abs().le(half)]
    sx = alt.Scale(domain=[float(g1[0]) - d / 2, float(g1[-1]) + d / 2], nice=False, zero=False)
    sy = alt.Scale(domain=[float(g2[0]) - d / 2, float(g2[-1]) + d / 2], nice=False, zero=False)
    heat = alt.Chart(cells).mark_rect().encode(
        x=alt.X("w1:Q", title=names[0], scale=sx), x2="w1b:Q",
        y=alt.Y("w2:Q", title=names[1], scale=sy), y2="w2b:Q",
        color=alt.Color("L:Q", title="log₁₀ L", scale=alt.Scale(scheme="viridis")))
    line = alt.Chart(inside).mark_line(color="white", point=alt.OverlayMarkDef(color="white", size=14),
                                       clip=True).encode(x="w1:Q", y="w2:Q", order="step:Q")
    star = alt.Chart(pd.DataFrame({"w1": [float(best[0])], "w2": [float(best[1])]})).mark_point(
        shape="cross", color="red", size=160, filled=True).encode(x="w1:Q", y="w2:Q")
    chart = alt.layer(heat, line, star).properties(title=title, height=340)
    return chart, run.kappa, run.reached, run.diverged, run.lam_max


left, right = st.columns(2)
raw = surface_chart(x, W0, t("bn.fn.raw_title"), ("w₁", "w₂"))
# the same start expressed on x̃ (w̃_i = w_i·σ_i gives the same predictions), so both paths begin
# at the same model
norm = surface_chart(xn, W0 * sigma, t("bn.fn.norm_title"), ("w̃₁", "w̃₂"))
for col, (chart, kappa, reached, diverged, lam_max) in ((left, raw), (right, norm)):
    col.altair_chart(chart, width="stretch")
    a, b = col.columns(2)
    a.metric(t("bn.fn.kappa"), f"{kappa:,.1f}")
    b.metric(t("bn.fn.reached"), t("bn.fn.never", steps=steps) if reached is None else reached)
    if diverged:
        col.error(t("bn.fn.diverged", limit=f"{2 / lam_max:.4g}"))
st.markdown(t("bn.fn.explain", ratio=ratio, k_raw=f"{raw[1]:,.1f}", k_norm=f"{norm[1]:.2f}"))

# -- 2 a deep MLP with and without BN -------------------------------------------------------------
st.header(t("bn.deep.title"))
st.markdown(t("bn.deep.text"))

# -- 3 train mode against eval mode ---------------------------------------------------------------
st.header(t("bn.mode.title"))
st.markdown(t("bn.mode.text"))
st.latex(r"\text{train: }\tilde z=\frac{z-\mu}{\sqrt{\sigma^2+\epsilon}}\gamma+\beta,\qquad"
         r"\text{eval: }\tilde z=\frac{z-\bar\mu}{\sqrt{\bar\sigma^2+\epsilon}}\gamma+\beta,\qquad"
         r"\bar\mu\leftarrow 0.9\,\bar\mu+0.1\,\mu")

st.subheader(t("bn.small.title"))
st.markdown(t("bn.small.text"))
bsize = st.select_slider(t("bn.small.batch"), SMALL_BATCHES, key=f"{NS}:small_batch")


@st.cache_data(max_entries=4)
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


@st.cache_data
def stat_spec(title: str, x_title: str, y_title: str, legend: str) -> dict:
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("channel:O", title=x_title),
        xOffset="kind:N",
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("kind:N", title=legend, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(range=["#d9661f", "#1f5fa8"])))
    out = bars.properties(title=title, height=330).to_dict()
    out.pop("data", None)
    out.pop("datasets", None)
    out["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    return out


def draw_bn_stats(state) -> None:
    """Every frame: the first BN layer's batch μ, σ against its running μ̄, σ̄."""
    run = next((r for r in state.runs if r.config.batch_norm), None)
    if run is None:
        st.info(t("bn.live.none"))
        return
    s = nz.first_layer_stats(run.model, run.data.x_train, run.config.batch_size)
    ch = np.arange(1, CHANNELS + 1)
    mu = pd.DataFrame({"channel": np.concatenate([ch, ch]),
                       "value": np.concatenate([s.batch_mean[:CHANNELS].numpy(),
                                                s.running_mean[:CHANNELS].numpy()]),
                       "kind": [t("bn.live.batch_mu")] * CHANNELS + [t("bn.live.run_mu")] * CHANNELS})
    sd = pd.DataFrame({"channel": np.concatenate([ch, ch]),
                       "value": np.concatenate([s.batch_std[:CHANNELS].numpy(),
                                                s.running_std[:CHANNELS].numpy()]),
                       "kind": [t("bn.live.batch_sd")] * CHANNELS + [t("bn.live.run_sd")] * CHANNELS})
    a, b = st.columns(2)
    a.vega_lite_chart(mu, stat_spec(t("bn.live.mu_title"), t("bn.live.channel"),
                                    "μ", t("chart.series")), width="stretch")
    b.vega_lite_chart(sd, stat_spec(t("bn.live.sd_title"), t("bn.live.channel"),
                                    "σ", t("chart.series")), width="stretch")


panel(NS, PRESET, on_frame=draw_bn_stats, compare_preset=("batch_norm", (False, True)))

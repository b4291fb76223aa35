"""Optimization Lab: entry point and home page (lecture sections 0 and 1).

The home page shows the three steps of training and the lecture's task strategy as a tree; each
leaf links to the page that demonstrates it (only pages whose file exists are linked).
"""
import streamlit as st

from ui.i18n import t
from ui.page import PAGES, ROOT, end, setup
from ui.lesson import lesson

setup("home")

OPTIMIZATION_PAGES = ("critical_points", "batch", "momentum", "learning_rate", "batch_norm",
                      "classification_loss", "optimizers")
FILES = dict(PAGES)


def link(page: str, label: str) -> None:
    """A link to `page` if its file exists, else the label marked as in progress."""
    path = FILES[page]
    if (ROOT / path).exists():
        st.page_link(path, label=label)
    else:
        st.caption(f"{label} {t('home.pending')}")


st.title(t("app.title"))
lesson("home")
st.write(t("app.tagline"))

st.header(t("home.steps.title"))
for col, key in zip(st.columns(3), ("home.step1", "home.step2", "home.step3")):
    col.container(border=True).markdown(t(key))

st.header(t("home.tree.title"))
st.caption(t("home.tree.text"))
_, root, _ = st.columns([2, 3, 2])
root.container(border=True).markdown(f"<div style='text-align:center'><b>{t('home.root')}</b></div>",
                                     unsafe_allow_html=True)
large, small = st.columns(2, gap="large")
with large:
    st.container(border=True).markdown("⬇ " + t("home.large"))
    bias, optim = st.columns(2)
    with bias.container(border=True):
        st.markdown(t("home.bias"))
        link("guide", t("home.link.guide_bias"))
        link("playground", t("home.link.playground"))
    with optim.container(border=True):
        st.markdown(t("home.optimization"))
        for page in OPTIMIZATION_PAGES:
            link(page, "→ " + t(f"page.{page}"))
    st.info(t("home.which"))
with small:
    st.container(border=True).markdown("⬇ " + t("home.small"))
    test_large, test_small = st.columns([2, 1])
    with test_large:
        st.container(border=True).markdown("⬇ " + t("home.test_large"))
        over, mis = st.columns(2)
        with over.container(border=True):
            st.markdown(t("home.overfitting"))
            link("guide", t("home.link.guide_overfit"))
            link("overfitting", "→ " + t("page.overfitting"))
        with mis.container(border=True):
            st.markdown(t("home.mismatch"))
            link("guide", t("home.link.guide_mismatch"))
    test_small.container(border=True).markdown(t("home.test_small"))

st.divider()
st.caption(t("home.start"))
end()

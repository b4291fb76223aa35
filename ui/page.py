"""What every page does first: page config, language, the shared sidebar with translated navigation.

The app uses Streamlit's `pages/` folder the classic way (no st.navigation): a deep link such as
/playground runs that page's file directly, even on a freshly started server, so every page calls
`setup()` itself instead of relying on app.py having run (DESIGN.md, "cold-start trap").
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import torch

from . import animation, pacing, share
from .i18n import LANG_NAMES, LANGS, browser_lang, t

ROOT = Path(__file__).resolve().parent.parent

# The lecture's order. A page appears in the navigation once its file exists.
PAGES = [
    ("home", "app.py"),
    ("guide", "pages/01_guide.py"),
    ("critical_points", "pages/02_critical_points.py"),
    ("batch", "pages/03_batch.py"),
    ("momentum", "pages/04_momentum.py"),
    ("learning_rate", "pages/05_learning_rate.py"),
    ("batch_norm", "pages/06_batch_norm.py"),
    ("classification_loss", "pages/07_classification_loss.py"),
    ("overfitting", "pages/08_overfitting.py"),
    ("optimizers", "pages/09_optimizers.py"),
    ("playground", "pages/10_playground.py"),
]


def setup(page: str) -> None:
    """First thing on every page."""
    st.session_state["url:controls"] = ()  # the page declares its own, if any (ui.url.controls)
    animation.clear()                      # …and its players (ui.animation.player)
    if "presenter" not in st.session_state:
        st.session_state["presenter"] = st.query_params.get("present") == "1"
    presenting = st.session_state["presenter"]
    init_language()
    st.set_page_config(page_title=f"{t('page.' + page)} · Optimization Lab", page_icon="📉",
                       layout="wide",  # a projected page starts with the sidebar folded away
                       initial_sidebar_state="collapsed" if presenting else "auto")
    # Tiny models run fastest on one thread, and a shared classroom server has one process for
    # every student: one thread each keeps sessions from fighting over the cores.
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    pacing.prepare_process()
    sidebar(page)
    st.session_state["page:join"] = None
    if st.session_state.get("presenter"):
        st.html(PRESENTER_CSS)
        st.session_state["page:join"] = st.empty()  # the class joins here (filled by end())
    animation.idle_note()


def end() -> None:
    """Last thing on every page: the link is final now (the page's controls and panel have written
    it), so presenter mode shows it as a QR code; then the one play loop runs (ui/animation.py)."""
    slot = st.session_state.pop("page:join", None)
    if slot is not None:
        share.join_box(slot)
    animation.run()


def init_language() -> None:
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state["lang"] = wanted if wanted in LANGS else browser_lang()


def sidebar(page: str) -> None:
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        # Streamlit forgets a widget's key when another page opens, so these widgets mirror
        # plain session keys ("lang", "presenter") that every page reads.
        st.session_state["lang_widget"] = st.session_state["lang"]
        # (each widget's default is its value too: why in ui/controls.py, fallback)
        st.radio(t("sidebar.language"), LANGS, LANGS.index(st.session_state["lang"]),
                 format_func=LANG_NAMES.get, horizontal=True, key="lang_widget",
                 on_change=_language_changed)
        st.session_state["presenter_widget"] = st.session_state["presenter"]
        st.toggle(t("sidebar.presenter"), bool(st.session_state["presenter"]), key="presenter_widget",
                  help=t("sidebar.presenter_help"),
                  on_change=_presenter_changed)
        st.markdown(f"**{t('sidebar.pages')}**")
        for key, path in PAGES:
            if (ROOT / path).exists():
                st.page_link(path, label=t(f"page.{key}"), disabled=(key == page))
        st.html(APP_CSS)  # last in the sidebar: it moves no element of the page


def _presenter_changed() -> None:
    st.session_state["presenter"] = st.session_state["presenter_widget"]
    if st.session_state["presenter"]:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


# Every page: a multiselect's chips (compare mode's values, in the narrow control column) wrap
# their names over lines instead of cutting them to "Warmup + lin…", and a page link in the page
# itself (the home page's tree, in columns 82–200 px wide) wraps its label instead of ending it
# in "…" (issue 18's legibility; the sidebar's links keep one line each).
APP_CSS = """
<style>
[data-testid="stMultiSelectTagsContainer"] [data-tag] { height: auto; }
[data-testid="stMultiSelectTagsContainer"] [data-tag] > span {
  white-space: normal; overflow-wrap: anywhere; text-overflow: clip; overflow: visible; }
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span * {
  white-space: normal; overflow-wrap: anywhere; text-overflow: clip; overflow: visible;
  line-height: 1.4; }
</style>
"""


# Presenter mode: text and widgets 25% larger (Streamlit sizes them in rem), and the clutter a
# projected class does not need hidden: the toolbar's menu and the help icons. The toolbar itself
# stays: it holds the button that opens the sidebar, the way back out of presenter mode. (CSS
# zoom would also enlarge the charts, but Vega measures its container unzoomed and overflows it.)
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; }
[data-testid="stDecoration"], [data-testid="stToolbarActions"], [data-testid="stMainMenu"] { display: none; }
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] button { pointer-events: auto; }
[data-testid="stWidgetLabel"] [data-testid="stTooltipIcon"] { display: none; }
[data-testid="stMetricValue"] { font-weight: 700; }
</style>
"""


def _language_changed() -> None:
    st.session_state["lang"] = st.session_state["lang_widget"]
    st.query_params["lang"] = st.session_state["lang"]

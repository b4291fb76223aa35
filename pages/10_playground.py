"""Playground: the training panel with every control unlocked."""
import streamlit as st

from lib.lecture import presets
from ui.i18n import t
from ui.page import end, setup
from ui.panel import panel
from ui.lesson import lesson

setup("playground")
st.title(t("page.playground"))
lesson("playground")
st.caption(t("playground.intro"))
panel("playground", preset=presets.PLAYGROUND, own_data=True, landscape=True)
end()

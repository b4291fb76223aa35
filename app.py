"""Optimization Lab: entry point and home page (lecture sections 0 and 1)."""
import streamlit as st

from ui.i18n import t
from ui.page import setup

setup("home")
st.title(t("app.title"))
st.write(t("app.tagline"))
st.info(t("home.placeholder"))

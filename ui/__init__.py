"""Streamlit side of Optimization Lab: page setup, i18n, URL state, the training panel, charts.

lib/ is the engine and never imports Streamlit; everything that does lives here.
"""

"""The URL query string mirrors a panel's settings, so a pasted link gives the same setup."""
from __future__ import annotations

import streamlit as st

from lib.settings import SETTINGS, RunConfig, from_query, to_query

from .i18n import t

UI_KEYS = {"lang", "cmp", "cmpv", "present"}  # keys the UI owns; settings are listed in lib.settings


def read(base: RunConfig, extra_keys=()) -> tuple[RunConfig, dict, list[str]]:
    """Settings from the URL on top of `base`; also the UI's own keys, and translated notes."""
    query = {k: st.query_params.get(k) for k in st.query_params.keys()}
    config, notes = from_query(query, base)
    texts = [t(f"url.{kind}", key=key, raw=raw, detail=detail) for kind, key, raw, detail in notes]
    own = set(UI_KEYS) | set(extra_keys)
    for key in query:
        if key not in SETTINGS and key not in own:
            texts.append(t("url.unknown", key=key))
    ui = {k: v for k, v in query.items() if k in own}
    return config, ui, texts


def write(config: RunConfig, base: RunConfig, ui: dict | None = None) -> dict:
    """Replace the query string with what differs from the page's preset, plus the UI's keys;
    return it (for the share link)."""
    wanted = to_query(config, base)
    wanted["lang"] = st.session_state.get("lang", "en")
    if st.session_state.get("presenter"):
        wanted["present"] = "1"
    for key, value in (ui or {}).items():
        if value not in (None, ""):
            wanted[key] = str(value)
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)
    return wanted

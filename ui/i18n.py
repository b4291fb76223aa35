"""t(key) → the visible string in the session's language. Every visible string goes through here."""
from __future__ import annotations

import streamlit as st

from .strings import TABLE

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}


def lang() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, /, **fmt) -> str:
    zh, en = TABLE[key]
    text = zh if lang() == "zh" else en
    return text.format(**fmt) if fmt else text


def browser_lang() -> str:
    """中文 when the browser asks for Chinese (st.context.locale), else English."""
    try:
        locale = st.context.locale or ""
    except Exception:  # AppTest and old clients have no locale
        locale = ""
    return "zh" if locale.lower().startswith("zh") else "en"

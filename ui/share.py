"""The link to what is on screen, and presenter mode's QR code of it, so a class opens the
teacher's exact setup on their phones.

The QR code is drawn by segno (a small, well-kept pure-Python QR encoder, pinned in
requirements.txt): encoding, error correction and masking are not ten lines.
"""
from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlencode

import segno
import streamlit as st

from .i18n import t


def share_link(query: dict | None = None) -> str:
    """This page's address with `query` (default: the link as it stands now)."""
    if query is None:
        query = {k: st.query_params.get(k) for k in st.query_params.keys()}
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(query)}" if query else base


@lru_cache(maxsize=64)
def qr_png(url: str, scale: int = 5) -> bytes:
    """The link as a QR code (PNG, error correction M: readable from a projected screen)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def join_box(slot) -> None:
    """The QR code of the current link, with a line saying what it is."""
    url = share_link()
    with slot.container():
        left, right = st.columns([1, 6], vertical_alignment="center")
        left.image(qr_png(url), width=170)
        right.markdown(t("share.join"))
        right.caption(url)

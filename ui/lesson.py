"""Guided lessons: the lecture's steps on each page, in order, with Back / Next.

A step says what to do and what to watch for and may set the page's training panel (a preset
and a comparison), so a teacher can run a whole lecture from the box at the top of each page; the
last step links to the next page. The steps themselves are data, in ui/lessons.py.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from .i18n import t
from .lessons import LESSONS
from .page import PAGES, ROOT
from .panel import rebuild


def lesson(page: str) -> None:
    """The lesson box for `page`; call it right after the page's title."""
    plan = LESSONS[page]
    key = f"lesson:{page}"
    i = min(st.session_state.get(key, 0), len(plan.steps) - 1)
    step = plan.steps[i]
    with st.expander(t("lesson.title", k=i + 1, n=len(plan.steps),
                       title=t(f"lesson.{page}.{i + 1}.title")), expanded=True, icon=":material/school:"):
        st.markdown(t(f"lesson.{page}.{i + 1}.do"))
        st.markdown(f"**{t('lesson.watch')}** {t(f'lesson.{page}.{i + 1}.watch')}")
        back, forward, rest = st.columns([1, 1, 4])
        back.button(t("lesson.back"), key=f"{key}:back", disabled=i == 0, on_click=go,
                    args=(page, i - 1), icon=":material/arrow_back:", width="stretch")
        forward.button(t("lesson.next"), key=f"{key}:next", disabled=i == len(plan.steps) - 1,
                       on_click=go, args=(page, i + 1), icon=":material/arrow_forward:",
                       width="stretch")
        if step.panel is not None and plan.panel:
            rest.caption(t("lesson.sets_panel"))
        if i == len(plan.steps) - 1:
            following = next_page(page)
            if following:
                rest.page_link(following[1], label=t("lesson.next_page", page=t(f"page.{following[0]}")),
                               icon=":material/double_arrow:")


def go(page: str, i: int) -> None:
    plan = LESSONS[page]
    st.session_state[f"lesson:{page}"] = i
    step = plan.steps[i]
    state = st.session_state.get(f"{plan.panel}:panel") if plan.panel else None
    if state is None or step.panel is None:
        return
    state.config = state.preset.with_(**step.panel).validate()
    state.compare_field, state.compare_values = step.compare if step.compare else (None, ())
    rebuild(state)
    state.message = ("info", "lesson.applied", {"k": i + 1})


def next_page(page: str):
    keys = [k for k, _ in PAGES]
    for key, path in PAGES[keys.index(page) + 1:]:
        if (ROOT / Path(path)).exists():
            return key, path
    return None

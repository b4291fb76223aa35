"""Guided lessons: the lecture's steps on each page, in order, with Back / Next.

A step says what to do and what to watch for and may set the page's training panel (a preset
and a comparison), so a teacher can run a whole lecture from the box at the top of each page; the
last step links to the next page. The steps themselves are data, in ui/lessons.py.

The step is part of the link (`lesson=k`), and the panel's settings in the link are stored
relative to that step's setup, so a reload or a shared link shows the same step and the same run.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.engine.settings import format_value

from . import url
from .i18n import t
from .lessons import LESSONS
from .page import PAGES, ROOT
from .panel import use_setup


def lesson(page: str) -> None:
    """The lesson box for `page`; call it right after the page's title."""
    plan = LESSONS[page]
    key = f"lesson:{page}"
    url.controls(url.Control(key, 1, lo=1, hi=len(plan.steps), url_name="lesson"))
    k = st.session_state[key]
    if plan.panel:  # before the panel exists, this step's setup is what it starts from
        setup = plan.setup(k)
        if setup is not None:
            use_setup(plan.panel, *setup, replace=False)
    fmt = step_numbers(plan, k)
    with st.expander(t("lesson.title", k=k, n=len(plan.steps),
                       title=t(f"lesson.{page}.{k}.title", **fmt)), expanded=True, icon=":material/school:"):
        st.markdown(t(f"lesson.{page}.{k}.do", **fmt))
        st.markdown(f"**{t('lesson.watch')}** {t(f'lesson.{page}.{k}.watch', **fmt)}")
        back, forward, rest = st.columns([1, 1, 4])
        back.button(t("lesson.back"), key=f"{key}:back", disabled=k == 1, on_click=go,
                    args=(page, k - 1), icon=":material/arrow_back:", width="stretch")
        forward.button(t("lesson.next"), key=f"{key}:next", disabled=k == len(plan.steps),
                       on_click=go, args=(page, k + 1), icon=":material/arrow_forward:",
                       width="stretch")
        if plan.steps[k - 1].panel is not None and plan.panel:
            rest.caption(t("lesson.sets_panel"))
        if k == len(plan.steps):
            following = next_page(page)
            if following:
                rest.page_link(following[1], label=t("lesson.next_page", page=t(f"page.{following[0]}")),
                               icon=":material/double_arrow:")


def step_numbers(plan, k: int) -> dict:
    """Numbers a step's words may quote: the step's own (those its claim test checks), and the
    setup it gives the panel (so the text says the η the panel really uses): every setting by
    name, and eos = 2/η."""
    fmt = {name: f"{value:,}" for name, value in plan.steps[k - 1].numbers}
    setup = plan.setup(k)
    if setup is not None:
        config = setup[0]
        fmt |= {name: format_value(value) for name, value in vars(config).items()}
        fmt["eos"] = f"{2 / config.lr:g}"
    return fmt


def go(page: str, k: int) -> None:
    plan = LESSONS[page]
    st.session_state[f"lesson:{page}"] = k
    setup = plan.setup(k) if plan.steps[k - 1].panel is not None else None
    if plan.panel and setup is not None:
        use_setup(plan.panel, *setup, message=("info", "lesson.applied", {"k": k}))


def next_page(page: str):
    keys = [k for k, _ in PAGES]
    for key, path in PAGES[keys.index(page) + 1:]:
        if (ROOT / Path(path)).exists():
            return key, path
    return None

"""Play / Pause / Step / Reset for anything that advances in steps: the training panel, or a page's
own small simulation (gradient descent on a 2-D surface, Adam on an online problem, …):
`buttons` draws the row, `playing`/`set_playing` keep the state, `loop` animates.

The pattern (DESIGN.md): state lives in st.session_state; the buttons' callbacks change it before
the script reruns; while playing, `loop` advances and overwrites st.empty placeholders until a
click reruns the script (which ends the loop) or the simulation says it is finished.
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from . import pacing
from .i18n import t


def buttons(ns: str, playing: bool, on_play: Callable, on_step: Callable, on_reset: Callable,
            step_help: str | None = None) -> None:
    """The row of three buttons; each callback gets no arguments."""
    b1, b2, b3, _ = st.columns([1, 1, 1, 2])
    b1.button(t("btn.pause") if playing else t("btn.play"), key=f"{ns}:play", on_click=on_play,
              type="primary", icon=":material/pause:" if playing else ":material/play_arrow:",
              help=t("help.play"), width="stretch")
    b2.button(t("btn.step"), key=f"{ns}:step", on_click=on_step, help=step_help or t("help.step"),
              icon=":material/skip_next:", width="stretch")
    b3.button(t("btn.reset"), key=f"{ns}:reset", on_click=on_reset, help=t("help.reset"),
              icon=":material/restart_alt:", width="stretch")


def playing(ns: str) -> bool:
    return st.session_state.get(f"{ns}:playing", False)


def set_playing(ns: str, value: bool) -> None:
    st.session_state[f"{ns}:playing"] = value


def loop(ns: str, advance: Callable[[], bool], draw: Callable[[], None], fps: float = 20.0) -> None:
    """While playing: advance (returns False when finished) and draw, one step per frame, at most
    `fps` frames a second; ui.pacing shares the server with every other student's loop."""
    pacer = pacing.Pacer(fps)
    while playing(ns):
        with pacer.frame():
            more = advance()
            draw()
        if not more:
            set_playing(ns, False)
            st.rerun()  # redraw the buttons as Play

"""Everything that plays: Play / Pause / Step / Reset, which one thing plays, and the one loop.

A page (or the training panel) declares a *player* where its buttons go: what one turn advances
and what one frame draws. Every page then ends with `ui.page.end()`, which calls `run()`: after the
whole page has been drawn, top to bottom in lecture order, `run()` loops the one player that is
playing (docs/ARCHITECTURE.md, "the life of a frame").

    animation.player("mom_sim", advance=one_step, draw=draw, step=…, reset=…)
    …
    ui.page.end()

At most one player plays in a session: the session holds the name of the one that plays, so
pressing Play on one pauses any other (one loop can block a script run, and this module keeps it
to one; no page touches another component's state to arrange that). A click reruns the script,
which ends the loop; the callbacks change the state first, and the new run resumes the loop from
st.session_state, so nothing is lost. The loop shares the server with every other student's
(ui/pacing.py): it trains in turns and draws a frame only when one is due and the browser has
taken the last ones.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from . import pacing
from .i18n import t

PLAYING = "play:now"          # session key: the name of the player that plays, or None
LAST_CLICK = "play:last_click"  # session key: time.monotonic() of the last click on a player
PLAYERS = "play:players"      # session key: this script run's players, by name
IDLE_SECONDS = 600            # playing this long without a click pauses: tabs left open in a
                              # lecture hall should not keep a shared server busy


@dataclass
class Player:
    name: str
    advance: Callable[[float], bool]  # one turn: work for about `seconds` of CPU; False = finished
    draw: Callable[[], None]          # one frame: overwrite the placeholders
    per_frame: bool = True            # advance one step per frame (a 2-D simulation), or train
                                      # for the pacer's budget and draw when a frame is due (a net)
    fps: float = 20.0
    on_finish: Callable[[], None] | None = None  # when advance says finished (a message, say)


def clear() -> None:
    """Forget the last script run's players (ui.page.setup calls this first)."""
    st.session_state[PLAYERS] = {}


def player(name: str, advance: Callable[[float], bool], draw: Callable[[], None], *,
           step: Callable[[], None] | None = None, reset: Callable[[], None] | None = None,
           per_frame: bool = True, fps: float = 20.0, buttons: bool = True,
           step_help: str | None = None, on_finish: Callable[[], None] | None = None) -> bool:
    """Declare a player of this page and, unless buttons=False (a Start/Stop of the page's own
    calls `set_playing`), draw its Play/Pause, Step and Reset buttons here. Returns whether it plays.

    advance(seconds) -> bool: one turn of work (per_frame: one step, `seconds` ignored);
    False when there is nothing more to do. draw(): one frame. step/reset: the buttons' actions
    (they pause first)."""
    st.session_state.setdefault(PLAYERS, {})[name] = Player(name, advance, draw, per_frame, fps,
                                                             on_finish)
    if buttons:
        button_row(name, step, reset, step_help)
    return playing(name)


def button_row(name: str, step=None, reset=None, step_help: str | None = None) -> None:
    now = playing(name)
    b1, b2, b3, _ = st.columns([1, 1, 1, 2])
    b1.button(t("btn.pause") if now else t("btn.play"), key=f"{name}:play", on_click=set_playing,
              args=(name, not now), type="primary", icon=":material/pause:" if now else ":material/play_arrow:",
              help=t("help.play"), width="stretch")
    b2.button(t("btn.step"), key=f"{name}:step", on_click=_then, args=(step,),
              help=step_help or t("help.step"), icon=":material/skip_next:", width="stretch",
              disabled=step is None)
    b3.button(t("btn.reset"), key=f"{name}:reset", on_click=_then, args=(reset,), help=t("help.reset"),
              icon=":material/restart_alt:", width="stretch", disabled=reset is None)


def _then(action) -> None:
    """Step and Reset: pause whatever plays, then act."""
    pause()
    touch()
    if action is not None:
        action()


def playing(name: str | None = None):
    """Whether `name` plays; without a name, the name of the player that plays (or None)."""
    now = st.session_state.get(PLAYING)
    return now if name is None else now == name


def play(name: str) -> None:
    """Play `name`, which pauses any other player of the session."""
    st.session_state[PLAYING] = name
    touch()


def pause() -> None:
    st.session_state[PLAYING] = None


def set_playing(name: str, on: bool) -> None:
    """A Play/Pause (or a page's Start/Stop) button: do what its label said when it was clicked
    (`on` is bound when the button is drawn), not the opposite of the state by the time the click
    arrives: a Pause clicked just as a demo ended by itself must not start it again, and a second
    Play clicked before the first one's rerun drew Pause must not pause it."""
    if on:
        play(name)
    elif playing(name):
        pause()
    touch()


def touch() -> None:
    """A click: the idle timer starts again."""
    st.session_state[LAST_CLICK] = time.monotonic()


def run() -> None:
    """Loop the player that plays, if this page has it, until a click (which reruns the script),
    the player's end, or IDLE_SECONDS without a click. Called once, at the end of the page."""
    name = playing()
    p = st.session_state.get(PLAYERS, {}).get(name)
    if p is None:
        return
    st.session_state.setdefault(LAST_CLICK, time.monotonic())
    pacer = pacing.Pacer(p.fps)
    pacer.framed()  # the page has just drawn this player's state
    while playing(name):
        if p.per_frame:
            with pacer.frame():
                more = p.advance(0.0)
                p.draw()
        else:
            with pacer.turn():
                if pacer.frame_due():
                    pacer.framed()
                    p.draw()
                    pacer.check()  # a click that came while drawing ends the run now, not after training
                more = p.advance(pacer.train_seconds)
        if not more:
            pause()
            if p.on_finish:
                p.on_finish()
            st.rerun()  # redraw the buttons as Play, and whatever the end says
        if time.monotonic() - st.session_state[LAST_CLICK] > IDLE_SECONDS:
            pause()
            st.session_state["play:idle_note"] = True
            st.rerun()


def idle_note() -> None:
    """Say once that playing paused for lack of clicks (ui.page draws it at the top)."""
    if st.session_state.pop("play:idle_note", False):
        st.info(t("paused.idle", minutes=IDLE_SECONDS // 60))

"""The players' buttons (ui/animation.py) in Streamlit's AppTest."""
from streamlit.testing.v1 import AppTest

PLAYING = "play:now"


def app_with_a_player():
    import streamlit as st

    from ui import animation

    animation.clear()
    animation.player("demo", advance=lambda _s: False, draw=lambda: None,
                     step=lambda: None, reset=lambda: None)
    st.session_state["label"] = "Pause" if animation.playing("demo") else "Play"
    # no animation.run(): the test decides what the state is between clicks


def test_a_pause_that_arrives_after_the_demo_ended_does_not_play_it_again():
    at = AppTest.from_function(app_with_a_player, default_timeout=30)
    at.session_state[PLAYING] = "demo"
    at.run()
    assert at.session_state["label"] == "Pause"   # the student sees Pause
    at.session_state[PLAYING] = None               # the demo ends by itself meanwhile
    at.button(key="demo:play").click().run()       # the student's Pause arrives
    assert at.session_state[PLAYING] is None
    assert at.session_state["label"] == "Play"


def test_a_second_play_before_the_first_drew_pause_keeps_playing():
    at = AppTest.from_function(app_with_a_player, default_timeout=30).run()
    assert at.session_state["label"] == "Play"
    at.session_state[PLAYING] = "demo"             # the first Play's rerun has not drawn yet
    at.button(key="demo:play").click().run()       # a second click on the Play still shown
    assert at.session_state[PLAYING] == "demo"


def test_play_then_pause():
    at = AppTest.from_function(app_with_a_player, default_timeout=30).run()
    at.button(key="demo:play").click().run()
    assert at.session_state[PLAYING] == "demo" and at.session_state["label"] == "Pause"
    at.button(key="demo:play").click().run()
    assert at.session_state[PLAYING] is None and at.session_state["label"] == "Play"

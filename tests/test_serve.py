"""deploy/serve.py's environment for its Streamlit processes: shared cookie secret, play slots."""
from deploy.serve import play_slots, process_env


def test_play_slots_share_the_cores_among_the_processes():
    assert play_slots(1, cores=2) == 2       # one process uses the second core while torch runs
    assert play_slots(2, cores=2) == 1       # two processes: one loop each, not four on two cores
    assert play_slots(3, cores=2) == 1       # never below one
    assert play_slots(4, cores=8) == 2
    assert play_slots(1, cores=16) == 2      # never above two (a third gave no more, README)


def test_every_process_gets_one_secret_and_the_slots_unless_given(monkeypatch):
    monkeypatch.delenv("OPTLAB_PLAY_SLOTS", raising=False)
    env = process_env(2)
    assert env["OPTLAB_PLAY_SLOTS"] == str(play_slots(2))
    assert len(env["STREAMLIT_SERVER_COOKIE_SECRET"]) == 64
    assert process_env(2)["STREAMLIT_SERVER_COOKIE_SECRET"] != env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert process_env(2, {"OPTLAB_PLAY_SLOTS": "2"})["OPTLAB_PLAY_SLOTS"] == "2"
    monkeypatch.setenv("OPTLAB_PLAY_SLOTS", "3")  # the operator's own setting wins
    assert process_env(2)["OPTLAB_PLAY_SLOTS"] == "3"

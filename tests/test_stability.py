"""The stability threshold is drawn only where it holds: 2/η for full-batch GD with a constant η,
and none for minibatch SGD (the edge of stability is a full-batch result; lib/engine/sharpness.py)."""
import math

from streamlit.testing.v1 import AppTest

from chart_data import charts
from lib.lecture import presets
from test_lessons import ROOT


def threshold_column(query: dict) -> list:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/10_playground.py")
    at.run()
    assert not at.exception
    return charts(at)["playground:eig"]["data"]["curv0"]["threshold"]


def test_panel_draws_two_over_eta_for_full_batch_gd_but_not_for_minibatch_sgd():
    full = threshold_column({})  # lesson step 1: full-batch GD
    assert full and all(math.isclose(v, 2 / presets.EDGE_OF_STABILITY.lr) for v in full)
    minibatch = threshold_column({"batch_size": "32"})
    assert minibatch and all(v is None for v in minibatch)

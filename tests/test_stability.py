"""The 2/η line is drawn only where the edge-of-stability result holds: full-batch GD, fixed η."""
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from lib import presets
from lib.settings import RunConfig
from lib.stability import gd_threshold
from test_lessons import ROOT


def test_threshold_is_two_over_eta_for_full_batch_gradient_descent_only():
    full = presets.EDGE_OF_STABILITY
    n = full.n_train
    assert full.batch_size == n and gd_threshold(full, n) == 2 / full.lr
    assert gd_threshold(full.with_(batch_size=32), n) is None            # minibatches
    assert gd_threshold(full.with_(optimizer="sgdm"), n) is None         # momentum
    assert gd_threshold(full.with_(optimizer="adam"), n) is None
    assert gd_threshold(full.with_(schedule="warmup_cosine"), n) is None  # η changes
    assert gd_threshold(full.with_(weight_decay=0.01), n) is None
    assert gd_threshold(RunConfig(optimizer="sgd", batch_size=280), RunConfig().n_train) == 2 / 0.03


def hessian_chart_series(query: dict) -> set:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/10_playground.py")
    at.run()
    assert not at.exception
    for chart in at.get("vega_lite_chart"):
        table = pa.ipc.open_stream(chart.proto.data.data).read_all()
        if {"step", "value", "series", "kind"} <= set(table.column_names):  # the λ chart's frame
            return set(table.column("series").to_pylist())
    raise AssertionError("no Hessian chart")


def test_panel_draws_two_over_eta_for_full_batch_gd_but_not_for_minibatch_sgd():
    full = hessian_chart_series({})  # lesson step 1: full-batch GD
    assert "2/η (edge of stability)" in full
    minibatch = hessian_chart_series({"batch_size": "32"})
    assert minibatch and "2/η (edge of stability)" not in minibatch

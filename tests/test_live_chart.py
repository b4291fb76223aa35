"""ui.charts.live: what each frame sends (only the rows a browser may lack), and, through AppTest,
that a chart redrawn 100 times in one script run sends bounded frames, unlike st.vega_lite_chart."""
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.charts.live import LiveChart, unpack as decode

SPEC = {"layer": [{"data": {"name": "grid"}, "mark": "rect"},
                  {"data": {"name": "path"}, "mark": "line",
                   "encoding": {"x": {"field": "x", "type": "quantitative"}}}]}


def rows(cols: dict) -> list[dict]:
    cols = {k: (v if isinstance(v, list) else [v["v"][i] for i in v["i"]]) for k, v in cols.items()}
    n = len(next(iter(cols.values()))) if cols else 0
    return [{k: v[r] for k, v in cols.items()} for r in range(n)]


def path(n: int) -> pd.DataFrame:
    """n steps of two series, in the order they were made (each step adds two rows at the end)."""
    k = np.repeat(np.arange(n), 2)
    return pd.DataFrame({"x": np.sin(k * 0.37) + k, "k": k, "series": ["GD", "GD + momentum"] * n})


class Browser:
    """What live_chart.js keeps of one dataset: applies frames as the browser half does."""

    def __init__(self):
        self.base, self.epoch, self.n, self.rows = None, None, 0, []

    def apply(self, msg: dict, name: str) -> None:
        if "base" in msg:
            self.base = msg["b"]
        d = msg["d"][name]
        if d.get("f") or (d["o"] == 0 and d["e"] != self.epoch):
            self.epoch, self.n, self.rows = d["e"], d["n"], rows(d["c"])
        elif d["e"] == self.epoch and d["o"] <= self.n:
            self.rows += rows(d["c"])[self.n - d["o"]:]
            self.n = d["n"]


def test_first_frame_carries_spec_and_static_layers_later_frames_only_new_rows():
    grid = pd.DataFrame({"w1": np.arange(100.0), "loss": np.linspace(0, 1, 100)})
    chart = LiveChart("t:path", SPEC, height=300, static={"grid": grid}, window=3, refresh_s=1e9)
    first = decode(chart.html({"path": path(1)}))
    assert first["base"]["spec"] == SPEC and first["base"]["height"] == 300
    assert rows(first["base"]["static"]["grid"])[7] == {"w1": 7, "loss": pytest.approx(7 / 99, rel=5e-6)}
    assert first["d"]["path"]["f"] == 1 and first["d"]["path"]["o"] == 0
    sizes = []
    for n in range(2, 60):
        body = chart.html({"path": path(n)})
        msg = decode(body)
        d = msg["d"]["path"]
        assert "base" not in msg and "f" not in d and d["n"] == 2 * n
        # the rows of the last `window` frames: what a browser that lost two frames still lacks
        assert d["o"] == (2 * (n - 3) if n > 3 else 0)
        sent = pd.DataFrame(rows(d["c"]))
        want = path(n).iloc[d["o"]:].reset_index(drop=True)
        assert list(sent["k"]) == list(want["k"]) and list(sent["series"]) == list(want["series"])
        np.testing.assert_allclose(sent["x"], want["x"], rtol=5e-6)  # six significant digits
        sizes.append(len(body))
    assert max(sizes[10:]) - min(sizes[10:]) < 30  # a frame's size does not grow with the history


def test_rows_sent_rebuild_the_data_exactly_to_six_digits():
    chart = LiveChart("t:path", SPEC, height=300, window=2, refresh_s=1e9)
    browser = Browser()
    for n in range(1, 40):
        browser.apply(decode(chart.html({"path": path(n)})), "path")
    want = path(39)
    got = pd.DataFrame(browser.rows)
    assert list(got["series"]) == list(want["series"]) and list(got["k"]) == list(want["k"])
    np.testing.assert_allclose(got["x"], want["x"], rtol=5e-6)  # six significant digits


def test_a_browser_that_lost_fewer_frames_than_the_window_still_has_every_row():
    chart = LiveChart("t:path", SPEC, height=300, window=4, refresh_s=1e9)
    browser = Browser()
    for n in range(1, 50):
        msg = decode(chart.html({"path": path(n)}))
        if n % 4 != 0:  # three of every four frames never arrive (Streamlit kept only the newest)
            continue
        browser.apply(msg, "path")
    assert len(browser.rows) == 2 * 48 and browser.rows[-1]["k"] == 47


def test_data_that_changes_other_than_by_growing_is_sent_whole_in_a_new_epoch():
    chart = LiveChart("t:bars", SPEC, height=200, refresh_s=1e9)
    a = decode(chart.html({"bars": {"k": [0, 1, 2], "value": [1.0, 2.0, 3.0]}}))["d"]["bars"]
    b = decode(chart.html({"bars": {"k": [1, 2, 3], "value": [2.0, 3.0, 4.0]}}))["d"]["bars"]
    assert b["e"] == a["e"] + 1 and b["o"] == 0 and rows(b["c"]) == [
        {"k": 1, "value": 2}, {"k": 2, "value": 3}, {"k": 3, "value": 4}]


def test_a_full_frame_repeats_everything_every_refresh_s(monkeypatch):
    clock = iter(np.arange(0.0, 100.0, 0.5))  # each frame half a second after the last
    monkeypatch.setattr("ui.charts.live.time.monotonic", lambda: next(clock))
    chart = LiveChart("t:path", SPEC, height=300, refresh_s=2.0)
    full = [i for i in range(20) if "base" in decode(chart.html({"path": path(i + 1)}))]
    assert full == [0, 4, 8, 12, 16]


def test_arrays_the_caller_reuses_are_not_mistaken_for_the_rows_already_sent():
    chart = LiveChart("t:path", SPEC, height=300, window=1, refresh_s=1e9)
    buffer = np.zeros(5)
    chart.html({"path": {"x": buffer[:3]}})
    buffer[:] = [9, 9, 9, 9, 9]  # rewritten in place: not an extension of what was sent
    d = decode(chart.html({"path": {"x": buffer}}))["d"]["path"]
    assert d["o"] == 0 and rows(d["c"]) == [{"x": 9}] * 5


def test_nan_and_infinity_become_null_and_markup_cannot_close_the_script():
    chart = LiveChart("t:x", SPEC, height=300)
    body = chart.html({"path": {"x": [1.0, np.nan, np.inf], "label": ["</script><b>", "a", "b"]}})
    script = body.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    # Streamlit's DOMPurify drops a script whose text has "<" before a letter, digit, "/" or "!"
    assert "<" not in script
    d = decode(body)["d"]["path"]
    assert d["c"]["x"] == [1, None, None] and rows(d["c"])[0]["label"] == "</script><b>"


def test_a_dataset_beyond_max_rows_is_thinned_to_it():
    chart = LiveChart("t:x", SPEC, height=300, max_rows=100)
    d = decode(chart.html({"path": {"t": np.arange(1000)}}))["d"]["path"]
    got = [r["t"] for r in rows(d["c"])]
    assert len(got) == 100 and got[0] == 0 and got[-1] == 999 and d["n"] == 1000


def test_parameters_go_with_every_frame():
    chart = LiveChart("t:x", SPEC, height=300)
    assert decode(chart.html({"path": {"x": [1.0]}}, params={"step": 7}))["p"] == {"step": 7}


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        LiveChart("t:x", SPEC, height=300).html({"path": {"x": [1, 2], "y": [1]}})


def app_redrawing_100_times(kind: str):
    """One script run that redraws a growing path 100 times into one placeholder, as a page's
    animation loop does, and records the bytes of each frame's element."""
    import numpy as np
    import pandas as pd
    import streamlit as st

    from ui.charts.live import LiveChart

    spec = {"layer": [{"data": {"name": "grid"}, "mark": "rect"},
                      {"data": {"name": "path"}, "mark": "line"}]}
    grid = pd.DataFrame({"a": np.arange(1296.0), "b": np.linspace(0, 1, 1296)})
    slot = st.empty()
    chart = LiveChart("app:path", spec, height=300, static={"grid": grid}, refresh_s=1e9)
    sizes = []
    for n in range(1, 101):
        data = pd.DataFrame({"x": np.cos(np.arange(n)), "y": np.sin(np.arange(n))})
        if kind == "live":
            sizes.append(chart.draw(slot, path=data))
        else:  # as the pages draw today: every row, every frame
            slot.vega_lite_chart(pd.concat([grid, data], ignore_index=True), {"mark": "line"})
    st.session_state["sizes"] = sizes


def test_a_chart_redrawn_100_times_in_one_run_sends_frames_that_do_not_grow():
    at = AppTest.from_function(app_redrawing_100_times, args=("live",), default_timeout=30).run()
    assert not at.exception
    sizes = at.session_state["sizes"]
    body = at.get("html")[0].proto.body
    last = decode(body)["d"]["path"]
    assert last["n"] == 100 and last["o"] == 95 and len(last["c"]["x"]) == 5
    assert sizes[0] > 5_000                      # the first frame carries the 1,296-row static layer
    assert max(sizes[1:]) < 700                  # the others only the rows of the last five frames
    # st.vega_lite_chart would have sent all 1,296 + n rows every time
    vega = AppTest.from_function(app_redrawing_100_times, args=("vega",), default_timeout=30).run()
    one_vega_frame = vega.get("vega_lite_chart")[0].proto.ByteSize()
    assert one_vega_frame > 20 * max(sizes[1:])


@pytest.mark.parametrize("wire", ["vega", "live"])
def test_the_momentum_copy_used_by_the_wire_bench_draws_its_four_charts(wire):
    at = AppTest.from_file("fixtures/momentum_surface.py", default_timeout=30)
    at.query_params["wire"] = wire
    at.query_params["step"] = "40"
    at.run()
    assert not at.exception
    if wire == "vega":
        assert len(at.get("vega_lite_chart")) == 4
    else:
        frames = [decode(h.proto.body) for h in at.get("html")]
        assert [m["k"] for m in frames] == ["fixture:curve", "fixture:surface", "fixture:weights",
                                            "fixture:terms"]
        assert frames[1]["d"]["path"]["n"] == 2 * 41 and frames[2]["p"] == {"step": 40}


@pytest.mark.parametrize("stride_updates", [1, 7])
def test_a_panel_run_past_its_history_cap_still_sends_only_new_rows(stride_updates):
    """Past History's cap (2,000 points) a run keeps every other update, then every fourth…; the
    loss and λ charts' data must still only grow, frame after frame (the newest point between
    strides, replaced next frame, used to make every frame resend the whole history)."""
    import types

    from lib.engine.history import History
    from ui.charts.training import eig_data, loss_data

    history = History(("step", "loss"))
    evals = History(("step", "test_loss"), 1000)
    curvature = History(("step", "lam_min", "lam_max", "sharpness", "threshold"), 500)
    run = types.SimpleNamespace(history=history, evals=evals, curvature=curvature)
    step = 0

    def train(n):
        nonlocal step
        for _ in range(n):
            step += 1
            history.add(step=step, loss=1 / step)
            if step % 20 == 0:
                evals.add(step=step, test_loss=2 / step)
            if step % 3 == 0:
                curvature.add(step=step, lam_min=-0.1, lam_max=step ** 0.5, sharpness=None, threshold=None)

    train(5000)  # stride 4 for the loss, 8 for λ
    assert history.stride > 1 and curvature.stride > 1
    loss_chart = LiveChart("t:loss", SPEC, height=200, refresh_s=1e9)
    eig_chart = LiveChart("t:eig", SPEC, height=200, refresh_s=1e9)
    playing_loss = lambda runs: loss_data(runs, still=False)  # noqa: E731 - as the panel plays
    playing_eig = lambda runs: eig_data(runs, still=False)  # noqa: E731
    for chart, data in ((loss_chart, playing_loss), (eig_chart, playing_eig)):
        decode(chart.html(data([run])))  # the first frame: everything
    sent = []
    for frame in range(30):
        train(stride_updates)
        for chart, data in ((loss_chart, playing_loss), (eig_chart, playing_eig)):
            msg = decode(chart.html(data([run])))
            for name, d in msg["d"].items():
                assert d["e"] == 1, f"{name}: resent whole, in a new epoch"
                if frame >= 5:  # once a window of frames has gone by: its new rows only
                    sent.append(len(rows(d["c"])))
    assert 0 < max(sent) <= 5 * stride_updates


def test_a_still_chart_ends_at_the_runs_newest_loss_and_measurement():
    """Paused (or replayed at the present, or exported), the loss and λ charts end at the run's
    newest update and measurement, whatever the thinning to LINE_POINTS leaves out; playing, they
    get only the kept points (growth only). λ's chart once ended a measurement early when paused."""
    import types

    from lib.engine.history import History
    from ui.charts.training import eig_data, loss_data

    run = types.SimpleNamespace(history=History(("step", "loss")), evals=History(("step", "test_loss"), 1000),
                                curvature=History(("step", "lam_min", "lam_max", "sharpness", "threshold"), 500))
    missed = 0
    for step in range(1, 6_001):
        run.history.add(step=step, loss=1 / step)
        run.curvature.add(step=step, lam_min=-0.1, lam_max=step ** 0.5, sharpness=None, threshold=None)
        if step % 97 == 0:
            assert loss_data([run])["train0"]["step"][-1] == step
            assert eig_data([run])["curv0"]["step"][-1] == step
            missed += eig_data([run], still=False)["curv0"]["step"][-1] != step
    assert missed  # the kept points alone do leave the newest measurement out

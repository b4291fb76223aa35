"""The Batch page (AppTest): the timing (a player the first visit starts) named by device and
drawn as it measures, the study's table and verdicts, the live comparison."""
import pytest
import torch

from chart_data import charts
from lib.lecture import batch_study as bs
from test_app_pages import metric, open_page


def test_batch_page_times_studies_and_compares():
    at = open_page("pages/03_batch.py", lang="en")
    assert not at.exception, at.exception
    timing = at.session_state["batch:timing"]
    kind = "GPU" if bs.pick_device().type == "cuda" else "CPU"
    assert timing["device"].startswith(kind + ":")
    assert any(timing["device"] in c.value for c in at.caption)   # the summary names the device
    sizes = [r["batch"] for r in timing["rows"]]
    assert sizes == bs.timing_sizes(1258) and timing["job"] is None   # measured to the end, model gone
    assert metric(at, "Batch sizes timed") == f"{len(sizes)} / {len(sizes)}"
    drawn = charts(at)
    assert drawn["batch:time_update"]["data"]["rows"]["batch"] == [float(b) for b in sizes]
    assert drawn["batch:time_epoch"]["data"]["rows"]["ms"] == pytest.approx(
        [r["epoch_s"] * 1e3 for r in timing["rows"]], rel=1e-4)   # the wire keeps 6 digits
    assert next(b for b in at.button if b.key == "batch:time_again").label == "Measure again"
    # the live panel: batch 1 / medium / full from one start
    state = at.session_state["batch_net:panel"]
    assert [r.config.batch_size for r in state.runs] == [1, 14, 140]
    assert all(torch.equal(a, b) for r in state.runs[1:]
               for a, b in zip(state.runs[0].model.state_dict().values(), r.model.state_dict().values()))
    next(b for b in at.button if b.key == "batch_net:step").click().run()
    assert [r.step for r in state.runs] == [1, 1, 1]
    assert [r.history.rows()["epoch"][-1] for r in state.runs] == [1 / 140, 14 / 140, 1.0]
    # the epoch chart (log x) shows each run's one update, at its fraction of an epoch
    epochs = charts(at)["batch:epochs"]["data"]
    assert [epochs[f"run{i}"]["x"] for i in range(3)] == [[pytest.approx(1 / 140)], [pytest.approx(14 / 140)],
                                                         [1.0]]
    # timing is not redone on a rerun
    assert at.session_state["batch:timing"] is timing
    assert metric(at, "Seeds finished") == "0 / 3"

    next(b for b in at.button if b.key == "batch:run_study").click().run(timeout=300)
    assert not at.exception, at.exception
    study = at.session_state["batch:study"]
    assert study.done and study.seeds == [0, 1, 2] and study.label_noise == 0.2
    assert metric(at, "Seeds finished") == "3 / 3"
    assert [[r["batch"] for r in rows] for rows in study.results] == [[4, 16, 180]] * 3
    assert all(r["reached"] and r["train_loss"] <= bs.TARGET_LOSS for rows in study.results for r in rows)
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [4, 16, 180]
    assert list(table.iloc[:, -1]) == ["3/3"] * 3
    # the page claims the small batch does better only where its numbers show it
    verdict = bs.verdict(study.results)
    verdicts = " ".join(i.value for i in at.info)
    assert ("generalizes better" in verdicts) == (verdict["kind"] == "generalizes")
    assert ("sharper" in verdicts) == (verdict["sharper"] > 0)
    assert study.line["alpha"][0] == -0.5 and study.line["alpha"][-1] == 1.5
    drawn = charts(at)
    assert len(drawn["batch:seeds"]["data"]["rows"]["test"]) == 9
    assert drawn["batch:line"]["data"]["train"]["x"] == pytest.approx(list(bs.ALPHAS))
    assert drawn["batch:line"]["data"]["ends"]["x"] == [0.0, 1.0]
    # the button is Start again, and the settings are free again
    assert next(b for b in at.button if b.key == "batch:run_study").label == "Train and compare"
    assert not at.number_input(key="batch:n_seeds").disabled


def test_batch_study_without_wrong_labels_claims_nothing_it_does_not_show():
    at = open_page("pages/03_batch.py", lang="en")
    at.select_slider(key="batch:noise").set_value(0).run()
    at.number_input(key="batch:n_seeds").set_value(2).run()
    next(b for b in at.button if b.key == "batch:run_study").click().run(timeout=300)
    assert not at.exception, at.exception
    study = at.session_state["batch:study"]
    assert study.label_noise == 0.0 and len(study.results) == 2
    kind = bs.verdict(study.results)["kind"]
    verdicts = " ".join(i.value for i in at.info)
    assert ("generalizes better" in verdicts) == (kind == "generalizes")
    assert f"{len(study.results)} seed(s)" in " ".join(c.value for c in at.caption)


"""The Batch page (AppTest): timing chart named by device, the study's table, the live comparison."""
import torch

from lib import batch_study as bs
from test_app_pages import open_page


def test_batch_page_times_studies_and_compares():
    at = open_page("pages/03_batch.py", lang="en")
    assert not at.exception
    timing = at.session_state["batch:timing"]
    kind = "GPU" if bs.pick_device().type == "cuda" else "CPU"
    assert timing["device"].startswith(kind + ":")
    assert any(timing["device"] in c.value for c in at.caption)
    sizes = [r["batch"] for r in timing["rows"]]
    assert sizes[0] == 1 and sizes[-1] == 1258
    # the live panel: batch 1 / medium / full from one start
    state = at.session_state["batch_net:panel"]
    assert [r.config.batch_size for r in state.runs] == [1, 14, 140]
    assert all(torch.equal(a, b) for r in state.runs[1:]
               for a, b in zip(state.runs[0].model.state_dict().values(), r.model.state_dict().values()))
    next(b for b in at.button if b.key == "batch_net:step").click().run()
    assert [r.step for r in state.runs] == [1, 1, 1]
    assert [r.history.rows()["epoch"][-1] for r in state.runs] == [1 / 140, 14 / 140, 1.0]
    # timing is not redone on a rerun
    assert at.session_state["batch:timing"] is timing

    next(b for b in at.button if b.key == "batch:run_study").click().run()
    assert not at.exception
    study = at.session_state["batch:study"]
    rows = study["rows"]
    assert [r["batch"] for r in rows] == [4, 25, 250]
    assert [r["updates"] for r in rows] == [25 * 63, 25 * 10, 25]  # equal epochs
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [4, 25, 250]
    verdicts = " ".join(i.value for i in at.info)
    small, large = rows[0], rows[-1]
    # the page claims the small batch does better only where its numbers show it
    assert ("generalizes better" in verdicts or "optimization" in verdicts) == \
        (small["test_acc"] > large["test_acc"] + 0.01)
    assert ("sharper" in verdicts) == (rows[0]["sharpness"] < rows[1]["sharpness"] < rows[2]["sharpness"])
    assert study["line"]["alpha"][0] == -0.5 and study["line"]["alpha"][-1] == 1.5

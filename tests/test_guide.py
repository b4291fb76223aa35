"""The guide page (lecture section 1) through AppTest."""
import copy

from chart_data import charts
from lib.lecture import guide_verdict as gv
from lib.lecture.guide_data import MISMATCH_NS, noise_floor
from test_app_pages import metric, open_page
from test_claims_guide import PLAIN, SETTLED, runs

PAGE = "pages/01_guide.py"


def test_deep_plain_net_gets_the_optimization_verdict():
    at = open_page(PAGE, lang="en")
    assert not at.exception
    state = at.session_state["guide:panel"]
    assert [r.config.depth for r in state.runs] == [1, 6]
    next(b for b in at.button if b.label == "Step").click().run()
    assert all(r.step == 1 for r in state.runs)
    assert any(f"after {gv.MIN_UPDATES} updates the verdict appears" in c.value for c in at.caption)
    trained_runs = runs(PLAIN, 0, SETTLED)   # what Play would have trained (shared with the claims)
    assert [r.config for r in trained_runs] == [r.config for r in state.runs]
    state.runs = copy.deepcopy(trained_runs)
    at.run()
    shallow, deep = (r.evals.last["train_loss"] for r in state.runs)
    assert deep > shallow         # the lecture's observation: the deeper plain net trains worse
    shown = " ".join(w.value for w in at.warning)
    assert "optimization problem, not model bias" in shown and "still at the loss of a constant guess" in shown
    assert any(f"medians of the last {gv.WINDOW} evaluations" in c.value for c in at.caption)


def test_overfitting_section_names_overfitting_bias_and_a_good_fit():
    at = open_page(PAGE, lang="en")
    assert any("overfitting" in w.value for w in at.warning)  # 10 points, the flexible net
    train, test = float(metric(at, "Training loss")), float(metric(at, "Test loss"))
    assert test > 2 * train
    at.radio(key="guide:family").set_value("line").run()
    assert any("model bias" in w.value for w in at.warning)
    at.radio(key="guide:family").set_value("poly4").run()
    at.select_slider(key="guide:n").set_value(200).run()
    assert any("good fit" in s.value for s in at.success)
    assert not at.exception
    shown = charts(at)
    fit, loss = shown["guide:s2_fit"]["data"], shown["guide:s2_loss"]["data"]
    assert len(fit["train"]["x"]) == 200 and "aug" not in fit       # the points it was fitted to
    assert f"{loss['train']['y'][-1]:.4f}" == metric(at, "Training loss")   # the curve ends at the metric
    assert loss["noise"]["y"] == [noise_floor()] * 2
    at.radio(key="guide:aug").set_value("mirror").run()
    fit = charts(at)["guide:s2_fit"]["data"]
    assert fit["aug"]["x"] == [-x for x in fit["train"]["x"]]          # mirrored: (x, y) → (−x, y)
    mismatch = charts(at)["guide:s3_loss"]["data"]
    assert mismatch["shifted"]["x"] == list(MISMATCH_NS)
    assert not at.exception

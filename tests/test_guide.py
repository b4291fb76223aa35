"""The guide page (lecture section 1) through AppTest."""
from test_app_pages import metric, open_page

PAGE = "pages/01_guide.py"


def test_deep_plain_net_gets_the_optimization_verdict():
    at = open_page(PAGE, lang="en")
    assert not at.exception
    state = at.session_state["guide:panel"]
    assert [r.config.depth for r in state.runs] == [1, 6]
    next(b for b in at.button if b.label == "Step").click().run()
    assert all(r.step == 1 for r in state.runs)
    for run in state.runs:        # what Play would do, without a browser
        run.advance(400)
    at.run()
    shallow, deep = (r.evals.last["train_loss"] for r in state.runs)
    assert deep > shallow         # the lecture's observation: the deeper plain net trains worse
    assert any("optimization problem, not model bias" in w.value for w in at.warning)


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
    assert len(at.get("vega_lite_chart")) >= 6

"""Guided lessons: every step has its words in both languages, and Next sets up the panel."""
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.lecture import presets
from lib.engine.settings import RunConfig
from ui.lessons import LESSONS
from ui.page import PAGES
from ui.strings import TABLE

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_has_a_lesson_with_words_for_every_step():
    assert set(LESSONS) == {key for key, _ in PAGES}
    for page, plan in LESSONS.items():
        assert len(plan.steps) >= 3, page
        for i in range(1, len(plan.steps) + 1):
            for part in ("title", "do", "watch"):
                zh, en = TABLE[f"lesson.{page}.{i}.{part}"]
                assert zh and en and zh != en, (page, i, part)


def test_every_page_file_shows_its_lesson():
    for page, path in PAGES:
        text = (ROOT / path).read_text()
        call = re.search(r"^lesson\((\w+|\"\w+\")\)", text, re.M)   # lesson("page") or lesson(NS)
        assert call, path
        name = call.group(1)
        assert name == f'"{page}"' or re.search(rf'^{name} = "{page}"', text, re.M), path


def test_panel_steps_are_valid_settings():
    for page, plan in LESSONS.items():
        for step in plan.steps:
            if step.panel:
                RunConfig(**{**vars(RunConfig()), **step.panel, "batch_size": 2}).validate()


def open_playground(query: dict | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/10_playground.py")
    return at.run()


def test_opening_the_playground_sets_up_lesson_step_one():
    """The box says step 1 sets up the panel: it must, before any Next or Back."""
    at = open_playground()
    assert not at.exception
    state = at.session_state["playground:panel"]
    assert state.config == presets.EDGE_OF_STABILITY and state.compare_field is None
    assert state.runs[0].config.dataset == "waves"
    # the step's words quote the η and 2/η the panel uses
    box = " ".join(m.value for m in at.markdown)
    eta = presets.EDGE_OF_STABILITY.lr
    assert f"η = {eta}" in box and f"2/η = {2 / eta:g}" in box


def test_a_reload_shows_the_same_lesson_step_and_the_same_run():
    at = open_playground()
    next(b for b in at.button if b.label == "Next").click().run()
    at.number_input(key="playground:lr").set_value(0.05).run()
    at.toggle(key="playground:compare_on").set_value(False).run()
    link = {k: at.query_params[k] for k in at.query_params}
    assert link.get("lesson") == "2" and link.get("cmp") == "none"
    before = at.session_state["playground:panel"]
    again = open_playground({k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    assert not again.exception
    after = again.session_state["playground:panel"]
    assert again.session_state["lesson:playground"] == 2
    assert after.config == before.config and after.config.lr == 0.05
    assert after.compare_field is None and len(after.runs) == 1


def test_next_sets_up_the_panel_and_back_returns():
    at = open_playground()
    assert not at.exception
    next(b for b in at.button if b.label == "Next").click().run()
    state = at.session_state["playground:panel"]
    assert (state.compare_field, state.compare_values) == ("optimizer", ("sgd", "sgdm", "adam"))
    assert [r.config.optimizer for r in state.runs] == ["sgd", "sgdm", "adam"]
    assert any("Lesson step 2" in i.value for i in at.info)
    back = next(b for b in at.button if b.label == "Back")
    assert not back.disabled
    back.click().run()
    state = at.session_state["playground:panel"]
    assert state.config == presets.EDGE_OF_STABILITY
    assert state.compare_field is None and state.runs[0].data.n_features == 2
    assert next(b for b in at.button if b.label == "Back").disabled
    assert not at.exception

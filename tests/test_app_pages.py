"""Pages driven through streamlit.testing.v1.AppTest (headless, no browser)."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.engine.settings import format_value
from tests.chart_data import charts
from ui.lessons import LESSONS

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 30
COLD_TIMEOUT = 240    # a page's first run in this process computes its cached demos (the guide's
                      # fits: ~10 s of CPU alone, several times that while other work shares the cores)
_opened: set[str] = set()


def open_page(path: str, query: dict | None = None, lang: str | None = None) -> AppTest:
    """Open `path` the way a deep link does: the app's entry point with that page selected."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if lang:
        at.session_state["lang"] = lang
    if path != "app.py":
        at.switch_page(path)
    cold = path not in _opened
    _opened.add(path)
    return at.run(timeout=COLD_TIMEOUT if cold else None)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("path", ["app.py", *PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders_without_exception(path, lang):
    at = open_page(path, lang=lang)
    assert not at.exception, at.exception
    assert at.sidebar.radio  # the shared sidebar with the language switch


def test_playground_step_advances_the_step_metric():
    at = open_page("pages/10_playground.py")
    assert metric(at, "Step") == "0"
    step = next(b for b in at.button if b.label == "Step")
    step.click().run()
    assert metric(at, "Step") == "1"
    next(b for b in at.button if b.label == "Step").click().run()
    assert metric(at, "Step") == "2"
    drawn = charts(at)
    assert {"playground:loss", "playground:eig", "playground:density"} <= set(drawn)
    assert list(drawn["playground:loss"]["data"]["train0"]["step"]) == [1, 2]
    assert not at.exception


def test_bad_url_values_show_a_note_and_no_exception():
    at = open_page("pages/10_playground.py",
                   {"lr": "abc", "depth": "99", "optimizer": "adamax", "zzz": "1", "batch_size": "-5"})
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    for key in ("lr", "depth", "optimizer", "zzz", "batch_size"):
        assert f"`{key}" in note, key
    state = at.session_state["playground:panel"]
    # refused values fall back to the setup the page starts with (lesson step 1 on the Playground)
    start = LESSONS["playground"].setup(1)[0]
    assert state.config.depth == 6 and state.config.optimizer == start.optimizer and state.config.batch_size == 1


def test_url_settings_are_applied():
    at = open_page("pages/10_playground.py", {"optimizer": "sgd", "lr": "0.2", "dataset": "circles"})
    cfg = at.session_state["playground:panel"].config
    assert (cfg.optimizer, cfg.lr, cfg.dataset) == ("sgd", 0.2, "circles")
    assert not at.warning


def test_language_switch_changes_text_and_keeps_the_run():
    at = open_page("pages/10_playground.py", lang="en")
    for _ in range(3):
        next(b for b in at.button if b.label == "Step").click().run()
    assert metric(at, "Step") == "3"
    english = at.title[0].value
    at.sidebar.radio[0].set_value("zh").run()
    assert not at.exception
    assert at.title[0].value != english
    assert metric(at, "步数") == "3"


def test_a_setting_change_applies_live_or_resets_and_says_which():
    at = open_page("pages/10_playground.py")
    for _ in range(2):
        next(b for b in at.button if b.label == "Step").click().run()
    at.number_input(key="playground:lr").set_value(0.01).run()
    assert metric(at, "Step") == "2"
    assert any("applied at step 2" in i.value for i in at.info)
    at.slider(key="playground:width").set_value(8).run()
    assert metric(at, "Step") == "0"
    assert any("started over" in w.value for w in at.warning)


def test_diverging_learning_rate_gives_a_clear_message_and_reset_works():
    at = open_page("pages/10_playground.py",
                   {"optimizer": "sgd", "lr": "100", "dataset": "reg1d", "hessian_every": "0"})
    state = at.session_state["playground:panel"]
    state.runs[0].advance(500)  # what Play would do, without a browser
    at.run()
    assert state.runs[0].stopped in ("nan", "blow_up")
    assert any("diverged" in e.value for e in at.error)
    assert len(state.runs[0].history.rows()["loss"]) == state.runs[0].step > 0
    next(b for b in at.button if b.label == "Reset").click().run()
    assert metric(at, "Step") == "0" and not at.error


def test_compare_mode_builds_runs_from_one_start():
    at = open_page("pages/10_playground.py", {"cmp": "optimizer", "cmpv": "sgd,adam,rmsprop"})
    state = at.session_state["playground:panel"]
    assert [r.config.optimizer for r in state.runs] == ["sgd", "adam", "rmsprop"]
    import torch
    assert all(torch.equal(r.model[0].weight, state.runs[0].model[0].weight) for r in state.runs)
    next(b for b in at.button if b.label == "Step").click().run()
    assert all(r.step == 1 for r in state.runs)
    assert not at.exception


def other_value(control):
    """A valid value of a page control that is not its default."""
    if control.choices is not None:
        return next(v for v in control.choices if v != control.default)
    return control.lo if control.lo != control.default else control.hi


def rendered_widgets(at) -> dict:
    found = {}
    for kind in ("slider", "select_slider", "number_input", "radio", "selectbox"):
        for w in getattr(at, kind):
            if w.key:
                found[w.key] = w.value
    return found


@pytest.mark.parametrize("path", PAGES)
def test_a_link_sets_every_page_control_and_the_link_follows_them(path):
    plain = open_page(path, lang="en")
    controls = plain.session_state["url:controls"]
    if not controls:
        pytest.skip("this page has no controls of its own")
    assert not any(c.name in plain.query_params for c in controls)   # defaults stay out of the link
    wanted = {c: other_value(c) for c in controls}
    at = open_page(path, {c.name: format_value(v) for c, v in wanted.items()}, lang="en")
    assert not at.exception, at.exception
    refused = [w.value for w in at.warning if "could not be used" in w.value]
    assert not refused, refused
    widgets = rendered_widgets(at)
    for c, v in wanted.items():
        assert at.session_state[c.key] == v, c.key
        assert widgets.get(c.key, v) == v, c.key   # the lesson step has buttons, not a widget
        assert at.query_params[c.name] == format_value(v), c.name


def test_page_controls_in_the_link_are_checked_and_follow_changes():
    at = open_page("pages/03_batch.py", {"batch.noise": "15", "batch.n_seeds": "50",
                                         "batch.first_seed": "x"}, lang="en")
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    for key in ("batch.noise", "batch.n_seeds", "batch.first_seed"):
        assert f"`{key}" in note, key
    assert at.select_slider(key="batch:noise").value == 20           # refused: the default
    assert at.number_input(key="batch:n_seeds").value == 10          # clamped into 1 … 10
    assert at.number_input(key="batch:first_seed").value == 0
    assert "batch.noise" not in at.query_params and at.query_params["batch.n_seeds"] == "10"
    at.select_slider(key="batch:noise").set_value(0).run()
    assert at.query_params["batch.noise"] == "0"
    at.select_slider(key="batch:noise").set_value(20).run()
    assert "batch.noise" not in at.query_params


def browser_fallback(w):
    """What a browser sends for widget `w` if it mounts it with no value of its own: the
    element's default (Streamlit's frontend: its stored state, else the proto's default), in
    the form the widget's own value takes there (an option's index, or the number)."""
    p = w.proto
    if w.type in ("selectbox", "radio"):
        return p.default, w.index
    if w.type == "select_slider":
        return list(p.default), [w.options.index(str(w.format_func(w.value)))]
    if w.type == "slider":
        value = w.value if isinstance(w.value, (tuple, list)) else [w.value]
        return list(p.default), [float(v) for v in value]
    if w.type == "number_input":
        return p.default, float(w.value)
    return p.default, w.value   # toggle


@pytest.mark.parametrize("path", PAGES)
def test_a_widget_a_browser_mounts_afresh_keeps_its_value(path):
    """Under load a browser once sent a click's rerun with the Playground's learning rate, β's, ε,
    depth, width and data at their minimums (a Step in tests/test_browser.py's share test): it had
    mounted those widgets with no value of its own and took each one's default, Streamlit's low
    end of its range. Every widget's default is now the value it shows (ui/controls.py,
    fallback), here with every page control and several settings away from their defaults."""
    plain = open_page(path, lang="en")
    controls = plain.session_state["url:controls"]
    query = {c.name: format_value(other_value(c)) for c in controls}
    if "playground" in path:
        query |= {"lr": "0.5", "depth": "3", "width": "24", "noise": "0.4", "n_samples": "300",
                  "optimizer": "sgdm", "momentum": "0.8", "batch_norm": "1", "seed": "7"}
    at = open_page(path, query, lang="en")
    assert not at.exception, at.exception
    checked = 0
    for kind in ("slider", "select_slider", "number_input", "radio", "selectbox", "toggle"):
        for w in getattr(at, kind):
            if w.key:
                default, value = browser_fallback(w)
                assert default == value, (w.key, default, value)
                checked += 1
    assert checked >= 2 + len([c for c in controls if c.widget])   # language, presenter, controls

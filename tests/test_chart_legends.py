"""Issue 18.5, legends never cut: in compare mode the panel's charts colour by run (a legend titled
with the compared setting, one value per run) and dash by kind of line (a second legend), instead
of "Hidden layers = 1 · stability threshold" names that ran past a projector's narrow columns.
The browser half (nothing drawn outside the canvas) is tests/test_browser_legibility.py."""
import json

import vl_convert

from lib.engine.settings import RunConfig
from test_app_pages import open_page
from tests.test_export import words
from ui.charts import landscape, training
from ui.panel import PanelState, label_for, legend_names


def vega_legends(spec: dict) -> list[dict]:
    """The legends Vega-Lite compiles the chart to (what the browser draws)."""
    vg = vl_convert.vegalite_to_vega({**spec, "width": 300, "height": 200})
    vg = json.loads(vg) if isinstance(vg, str) else vg
    return vg["legends"]


def encodings(spec: dict, channel: str) -> list[dict]:
    return [layer["encoding"][channel] for layer in spec["layer"] if channel in layer.get("encoding", {})]


def test_compare_mode_colours_by_run_and_dashes_by_kind():
    w = words()
    spec = training.eig_spec(("1", "3"), (False, True), w, 1.0, "Hidden layers")
    colours, dashes = encodings(spec, "color"), encodings(spec, "strokeDash")
    assert all(c["scale"]["domain"] == ["1", "3"] and c["legend"]["title"] == "Hidden layers" for c in colours)
    kinds = [w.lam_max, w.lam_min, w.sharpness, w.threshold]   # the sharpness: one run is Adam-like
    assert all(d["scale"]["domain"] == kinds and d["legend"]["title"] == w.series for d in dashes)
    assert len({tuple(map(tuple, d["scale"]["range"])) for d in dashes}) == 1
    assert len(set(map(tuple, dashes[0]["scale"]["range"]))) == len(kinds)   # a pattern each
    legends = vega_legends(spec)
    assert [lg["title"] for lg in legends] == ["Hidden layers", w.series]
    # the dash legend draws each pattern as a line (a dot would hide it)
    dash_legend = legends[1]
    assert dash_legend["symbolType"] == "stroke"
    assert (dash_legend.get("encode", {}).get("symbols", {}).get("update", {}).get("stroke")
            != {"value": "transparent"})


def test_one_run_colours_by_kind_with_one_legend():
    w = words()
    for spec in (training.loss_spec(("",), w, 1.0), training.eig_spec(("",), (False,), w, 1.0),
                 landscape.slice_spec(("",), True, scape_words(), 1.0)):
        legends = vega_legends(spec)
        assert len(legends) == 1, legends
    colours = encodings(training.loss_spec(("",), w, 1.0), "color")
    assert colours[0]["scale"]["domain"] == [w.train, w.test]


def test_loss_and_slices_name_runs_by_value_in_compare_mode():
    w = words()
    loss = training.loss_spec(("0.01", "0.1"), w, 1.0, "Learning rate η")
    assert [lg["title"] for lg in vega_legends(loss)] == ["Learning rate η", w.series]
    top = landscape.slice_spec(("0.01", "0.1"), True, scape_words(), 1.0, "Learning rate η")
    assert [lg["title"] for lg in vega_legends(top)] == ["Learning rate η", "Series"]


def test_legend_names_are_the_compared_values():
    state = PanelState(preset=RunConfig(), config=RunConfig())
    assert legend_names(state) == (None, ("",))
    state.compare_field, state.compare_values = "depth", (1, 3)
    title, names = legend_names(state)
    assert names == ("1", "3") and title and label_for("depth", 3) == f"{title} = 3"


def scape_words() -> landscape.Words:
    return landscape.Words(top_title="Top", random_title="Random", plane_title="Plane", distance="d",
                           loss="Loss", series="Series", measured="loss", quadratic="quadratic",
                           alpha="a", beta="b", path="path")


def test_compare_mode_says_whose_numbers_the_metrics_show():
    """The metrics show the first run: a line above them says which (in each metric's label the
    run's name was cut with an ellipsis on a projector)."""
    at = open_page("pages/10_playground.py", {"cmp": "depth", "cmpv": "1,3"}, lang="en")
    assert not at.exception, at.exception
    first = label_for("depth", 1)
    assert any(first in c.value and "below" in c.value for c in at.caption), [c.value for c in at.caption]
    assert {"Train loss", "Test loss"} <= {m.label for m in at.metric}
    at = open_page("pages/10_playground.py", lang="en")
    assert not any("compare mode" in c.value for c in at.caption)

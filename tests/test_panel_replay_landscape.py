"""The panel's error surface and replay (issue 17), driven through AppTest on the Playground."""
from __future__ import annotations

import numpy as np

from tests.chart_data import charts
from tests.test_app_pages import metric, open_page


def press(at, label: str, times: int = 1):
    for _ in range(times):
        next(b for b in at.button if b.label == label).click().run()
    return at


def test_the_slice_along_the_top_eigenvector_curves_as_much_as_lambda_max():
    """What the chart draws: the loss along the top eigenvector, whose second difference at the
    current weights is the λ_max that the Hessian chart shows, and its quadratic model."""
    at = open_page("pages/10_playground.py")
    c = charts(at)
    top = c["playground:scape_top"]["data"]
    d, loss = np.asarray(top["top0"]["d"]), np.asarray(top["top0"]["loss"])
    quad = np.asarray(top["quad0"]["loss"])
    i = len(d) // 2
    assert d[i] == 0 and loss[i] == quad[i]
    h = d[i + 1] - d[i]
    curvature = (loss[i + 1] - 2 * loss[i] + loss[i - 1]) / h ** 2
    lam_max = [v for v in c["playground:eig"]["data"]["curv0"]["lam_max"] if np.isfinite(v)][-1]
    assert abs(curvature - lam_max) <= 0.05 * abs(lam_max)
    # the random direction too; the plane is computed a little per script run while paused
    # (LOAD_LANDSCAPE_SECONDS: the default net's whole surface fits in one)
    assert len(c["playground:scape_random"]["data"]["rnd0"]["loss"]) == len(d)
    runs = 1
    while not len(charts(at)["playground:scape_plane"]["data"]["plane"]["loss"]):
        assert runs < 20, "the plane never came"
        at.run()
        runs += 1
    plane = charts(at)["playground:scape_plane"]["data"]["plane"]
    assert len(plane["loss"]) > 100 and np.all(np.isfinite(plane["loss"]))


def test_replay_rewinds_the_charts_and_the_present_comes_back():
    at = press(open_page("pages/10_playground.py", lang="en"), "Step", 6)
    assert metric(at, "Step") == "6"
    newest = charts(at)["playground:loss"]["data"]["train0"]["step"]
    assert max(newest) == 6
    slider = next(s for s in at.slider if s.label == "Rewind to update")
    assert slider.max == 6 and slider.value == 6
    slider.set_value(2).run()
    assert any("update 2" in c.value for c in at.caption)
    assert max(charts(at)["playground:loss"]["data"]["train0"]["step"]) == 2
    assert metric(at, "Step") == "6"   # the run itself is not changed
    next(s for s in at.slider if s.label == "Rewind to update").set_value(6).run()
    assert max(charts(at)["playground:loss"]["data"]["train0"]["step"]) == 6
    press(at, "Step")                  # training goes on from the newest update
    assert metric(at, "Step") == "7"
    assert next(s for s in at.slider if s.label == "Rewind to update").max == 7


def test_a_large_nets_surface_comes_a_little_per_script_run_and_says_so(monkeypatch):
    """A page load spends at most LOAD_LANDSCAPE_SECONDS on the surface: for a large net the plane
    comes over the next script runs, and until then its chart says it is on its way. The budget is
    cut to 0.05 s here: a 5×128 net's whole surface took 0.33 s on a 2026-12-04 machine, within
    the page's 0.4 s, so on a fast machine the page's own budget would show nothing of this."""
    import time

    import ui.panel

    monkeypatch.setattr(ui.panel, "LOAD_LANDSCAPE_SECONDS", 0.05)
    LOAD_LANDSCAPE_SECONDS = ui.panel.LOAD_LANDSCAPE_SECONDS
    start = time.perf_counter()
    at = open_page("pages/10_playground.py", {"depth": "5", "width": "128", "n_samples": "2000"}, lang="en")
    assert metric(at, "Step") == "0"
    first = charts(at)["playground:scape_plane"]
    assert not len(first["data"]["plane"]["loss"])
    assert first["params"]["note"] == "being computed…"
    runs = 1
    while not len(charts(at)["playground:scape_plane"]["data"]["plane"]["loss"]):
        assert runs < 40, "the plane never came"
        at.run()
        runs += 1
    assert time.perf_counter() - start > runs * LOAD_LANDSCAPE_SECONDS * 0.5  # work, not a skip

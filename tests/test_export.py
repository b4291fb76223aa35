"""Export contents: the CSV holds every recorded point; chart files are real PNG / SVG."""
import io

import numpy as np
import pandas as pd

from lib.engine.settings import RunConfig
from lib.engine.trainer import same_start
from ui.charts import training
from ui.charts.training import Words
from ui.export import chart_file, history_frame


def test_history_csv_holds_every_recorded_point_of_every_run():
    runs = same_start([RunConfig(n_samples=200, optimizer=o, hessian_every=10) for o in ("sgd", "adam")])
    for r in runs:
        r.advance(30)
    df = pd.read_csv(io.StringIO(history_frame(runs, ["A", "B"]).to_csv(index=False)))
    for run, label in zip(runs, ["A", "B"]):
        mine = df[df.run == label]
        updates = mine[mine.kind == "update"]
        assert updates.step.tolist() == run.history.rows()["step"]
        assert updates.loss.tolist() == run.history.rows()["loss"]
        assert mine[mine.kind == "hessian"].lam_max.tolist() == run.curvature.rows()["lam_max"]
        assert mine[mine.kind == "eval"].test_loss.tolist() == run.evals.rows()["test_loss"]


def words() -> Words:
    return Words(updates="Updates", loss="Loss", loss_title="Train loss", series="Series",
                 train="train", test="test", eigenvalue="Eigenvalue", eig_title="Hessian",
                 lam_min="min", lam_max="max", sharpness="sharpness", threshold="2/eta",
                 density_title="Density", weight="Weight", regions_title="Regions", p1="P(1)",
                 class_="Class")


def test_chart_files_are_png_and_svg_of_the_data():
    """What the panel's download buttons write: the spec the browser draws, with the run's data."""
    runs = same_start([RunConfig(n_samples=200, hessian_every=0)])
    runs[0].advance(20)
    spec = training.loss_spec(("",), words(), 1.0)
    png = chart_file(spec, training.loss_data(runs), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = chart_file(spec, training.loss_data(runs), "svg").decode()
    assert svg.lstrip().startswith("<svg") and "Train loss" in svg


def test_hessian_chart_file_holds_the_measured_extremes():
    runs = same_start([RunConfig(n_samples=200, optimizer="sgd", lr=0.2, hessian_every=5)])
    runs[0].advance(20)
    data = training.eig_data(runs)
    curv = data["curv0"]
    assert list(curv["lam_max"]) == runs[0].curvature.rows()["lam_max"]
    assert np.allclose(curv["threshold"][np.isfinite(curv["threshold"])], 2 / 0.2)
    svg = chart_file(training.eig_spec(("",), (False,), words(), 1.0), data, "svg").decode()
    assert svg.lstrip().startswith("<svg") and "2/eta" in svg and "max" in svg


def test_step_axis_before_the_first_update_reads_whole_numbers():
    """At step 0 the data span [0, 0]; the axis must still read whole numbers, not "0.000000"."""
    import re
    runs = same_start([RunConfig(n_samples=200, hessian_every=0)])
    data = training.loss_data(runs)
    assert set(data["test0"]["step"]) == {0} and len(data["train0"]["step"]) == 0
    svg = chart_file(training.loss_spec(("",), words(), 1.0), data, "svg").decode()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    log_ticks = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}   # the loss axis
    steps = [s for s in labels if re.fullmatch(r"[\d.]+", s) and s not in log_ticks]
    assert "0" in steps and len(steps) >= 3
    assert all(s.isdigit() for s in steps), steps

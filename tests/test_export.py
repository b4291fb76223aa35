"""Export contents: the CSV holds every recorded point; chart files are real PNG / SVG."""
import io

import pandas as pd

from lib.engine.settings import RunConfig
from lib.engine.trainer import same_start
from ui import charts
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


def test_chart_files_are_png_and_svg_of_the_data():
    runs = same_start([RunConfig(n_samples=200, hessian_every=0)])
    runs[0].advance(20)
    spec = charts.loss_spec("Updates", "Loss", "Series", "Train loss")
    data = charts.loss_frame(runs, [""], "train", "test")
    png = chart_file(spec, data, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = chart_file(spec, data, "svg").decode()
    assert svg.lstrip().startswith("<svg") and "Train loss" in svg


def test_hessian_chart_file_holds_the_measured_extremes():
    runs = same_start([RunConfig(n_samples=200, optimizer="sgd", lr=0.2, hessian_every=5)])
    runs[0].advance(20)
    names = {"lam_min": "min", "lam_max": "max", "eos": "2/eta"}
    data = charts.eig_frame(runs, [""], names, [2 / 0.2])
    assert set(data.series) == {"min", "max", "2/eta"} and (data[data.series == "2/eta"].value == 10).all()
    svg = chart_file(charts.eig_spec("Updates", "Eigenvalue", "Series", "Hessian"), data, "svg").decode()
    assert svg.lstrip().startswith("<svg") and "2/eta" in svg


def test_step_axis_before_the_first_update_reads_whole_numbers():
    """At step 0 the data span [0, 0]; the axis must still read whole numbers, not "0.000000"."""
    import re
    runs = same_start([RunConfig(n_samples=200, hessian_every=0)])
    data = charts.loss_frame(runs, [""], "train", "test")
    assert set(data.step) == {0}
    svg = chart_file(charts.loss_spec("Updates", "Loss", "Series", "Train loss"), data, "svg").decode()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    log_ticks = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}   # the loss axis
    steps = [s for s in labels if re.fullmatch(r"[\d.]+", s) and s not in log_ticks]
    assert "0" in steps and len(steps) >= 3
    assert all(s.isdigit() for s in steps), steps

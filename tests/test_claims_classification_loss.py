"""The classification-loss page's lesson steps and sentences on its own setup: the two-logit
surfaces and descent with the page's defaults (lib.lecture.class_loss), and the panel's preset
(lib.lecture.presets.CLASSIFICATION_LOSS) with each lesson step applied as ui/lesson.go does, given the
page's bad start (output layer × cl.HEAD_SCALE), over seeds 0–4."""
from functools import lru_cache
from statistics import median

import torch

from chart_data import charts
from claims import claim
from lesson_setup import step_configs, step_runs
from lib.lecture import class_loss as cl
from lib.lecture import presets
from ui.strings import TABLE

from test_app_pages import open_page

SEEDS = range(5)
UPDATES = 1200
EARLY = 100     # by now the bad start's huge cross-entropy has come down; the comparison starts here


# -- section 1: the surfaces over two logits --------------------------------------------------------
@claim("classification_loss", 1)
@claim("classification_loss", sentence="cl.surf.text")
def test_mse_is_flat_where_the_loss_is_large_and_cross_entropy_still_slopes():
    g1, g2, mse = cl.surface("mse")                      # the page's square, grid and y3 = 0
    _, _, ce = cl.surface("ce")
    # lower right (y1 large, y2 small) small, upper left (y1 small, y2 large) large, for both
    for loss in (mse, ce):
        assert float(loss[0, -1]) < 0.01 * float(loss[-1, 0])
    large = (mse > 1.9).nonzero().tolist()               # MSE's maximum is 2
    assert len(large) > 0.2 * mse.numel()
    g_mse = [float(cl.gradient("mse", float(g1[j]), float(g2[i])).norm()) for i, j in large]
    g_ce = [float(cl.gradient("ce", float(g1[j]), float(g2[i])).norm()) for i, j in large]
    assert median(g_mse) < 0.05 * median(g_ce) and max(g_mse) < 0.15  # flat: gradient near 0
    assert min(g_ce) > 0.9 and all(c > 5 * m for c, m in zip(g_ce, g_mse))   # still slopes


@claim("classification_loss", sentence="cl.surf.explain")
def test_from_the_pages_bad_start_mse_stalls_and_cross_entropy_walks_down():
    (pm, lm, nm), (pc, lc, nc) = (cl.descend(name, cl.BAD_START, 0.0, cl.STEP_SIZE, cl.STEPS)
                                  for name in ("mse", "ce"))
    assert nc[0] > 100 * nm[0]                                         # the quoted ratio
    assert lm[-1] > 0.99 * lm[0] and lm[0] > 1.9                       # stalls on the plateau …
    assert (pm[-1] - pm[0]).norm() < 0.25 * (pc[-1] - pc[0]).norm()    # … barely moving
    assert lc[-1] < 0.01 * lc[0] and lc[-1] < 0.1                       # walks down to small loss


def test_the_start_marker_is_the_red_diamond_both_languages_name():
    """Defect 9: 中文 said 红点 (a red dot) while the chart draws a red diamond."""
    at = open_page("pages/07_classification_loss.py", lang="en")
    assert not at.exception
    marks = []
    for key, chart in charts(at).items():
        spec = chart["spec"]
        shaped = [layer for layer in spec.get("layer", []) if isinstance(layer.get("mark"), dict)
                  and layer["mark"].get("shape")]
        marks += [layer["mark"] for layer in shaped]
        for layer in shaped:   # …drawn where descent starts: the path's first point
            start, path = chart["data"][layer["data"]["name"]], chart["data"]["path0"]
            assert (start["x"][0], start["y"][0]) == (path["x"][0], path["y"][0]) == cl.BAD_START, key
    assert len(marks) == 2 and all(m["shape"] == "diamond" and m["color"] == "red" for m in marks)
    zh, en = TABLE["cl.surf.text"]
    assert "红色菱形" in zh and "红点" not in zh and "red diamond" in en


# -- section 3: a network from one bad start --------------------------------------------------------
@lru_cache(maxsize=None)
def trained(k, seed):
    runs = step_runs("classification_loss", k, presets.CLASSIFICATION_LOSS, seed)
    for run in runs:
        cl.bad_start_run(run, cl.HEAD_SCALE)            # what the page does to fresh runs
        run.advance(UPDATES)
    return runs


def at(run, step, column="train_loss"):
    rows = run.evals.rows()
    return next(v for s, v in zip(rows["step"], rows[column]) if s >= step)


@claim("classification_loss", 2)
@claim("classification_loss", sentence="cl.net.text")
def test_from_one_bad_start_mse_sits_on_its_plateau_and_cross_entropy_goes_down():
    for seed in SEEDS:
        mse, ce = trained(2, seed)
        assert (mse.config.loss, ce.config.loss) == ("mse", "ce")
        assert torch.equal(mse.data.x_train, ce.data.x_train)
        g_mse = median(mse.history.rows()["grad_norm"][EARLY:])
        g_ce = median(ce.history.rows()["grad_norm"][EARLY:])
        assert g_mse < 1e-3 and g_ce > 0.01 + 100 * g_mse, (seed, g_mse, g_ce)   # compare the norms
        assert at(mse, UPDATES) > at(mse, EARLY) - 0.05 and at(mse, UPDATES) > 0.6, seed   # stalls
        assert at(ce, UPDATES) < at(ce, EARLY) - 0.15 and at(ce, UPDATES) < at(mse, UPDATES) - 0.2, seed


@claim("classification_loss", 3)
def test_cross_entropy_alone_learns_the_classes_from_the_bad_start():
    accs = []
    for seed in SEEDS:
        (ce,) = step_configs("classification_loss", 3, presets.CLASSIFICATION_LOSS, seed)
        compared_mse, compared_ce = trained(2, seed)
        # step 3's one run is step 2's cross-entropy run (same settings, same start): reuse it
        assert ce == compared_ce.config
        (fresh,), fresh_pair = (step_runs("classification_loss", k, presets.CLASSIFICATION_LOSS, seed)
                                for k in (3, 2))
        assert all(torch.equal(a, b) for a, b in zip(fresh.model.state_dict().values(),
                                                     fresh_pair[1].model.state_dict().values()))
        start, end = at(compared_ce, 0, "train_acc"), at(compared_ce, UPDATES, "train_acc")
        assert end > start + 0.2 and end > at(compared_mse, UPDATES, "train_acc") + 0.05, seed
        accs.append(end)
    assert min(accs) > 0.75 and sum(accs) / len(accs) > 0.85, accs

"""lib.online (Reddi et al.'s counterexample), lib.race, and the optimizers page."""
import math

import pytest
import torch

from lib import race
from lib.online import OnlineRun, coefficient_sum, gradient
from lib.settings import RunConfig
from lib.trainer import advance_all
from test_app_pages import open_page


def test_gradients_follow_the_paper():
    assert gradient(1) == 1010 and gradient(102) == 1010 and gradient(2) == -10 and gradient(101) == -10
    assert coefficient_sum(101) == 10 and coefficient_sum(202) == 20
    assert coefficient_sum(1) == 1010 and coefficient_sum(5) == 1010 - 40


def test_first_steps_by_hand():
    lr, (b1, b2), eps = 0.5, (0.9, 0.99), 1e-8
    run = OnlineRun("adam", lr)
    run.advance(2)
    m1, v1 = (1 - b1) * 1010, (1 - b2) * 1010 ** 2
    x1 = max(-1.0, 0 - lr * m1 / (math.sqrt(v1) + eps))
    m2, v2 = b1 * m1 + (1 - b1) * -10, b2 * v1 + (1 - b2) * 100
    x2 = max(-1.0, x1 - lr / math.sqrt(2) * m2 / (math.sqrt(v2) + eps))
    assert run.xs == [0.0, x1]
    assert run.x == pytest.approx(x2)
    # regret after one step: paid 1010·0, best fixed point pays −1010
    assert run.avg_regret[0] == pytest.approx(1010.0)


def test_adam_drifts_to_the_worst_point_amsgrad_to_the_optimum():
    adam, ams = OnlineRun("adam", 0.5), OnlineRun("amsgrad", 0.5)
    adam.advance(20_000)
    ams.advance(20_000)
    late = slice(-1010, None)
    assert sum(adam.xs[late]) / 1010 > 0.9          # x* = −1, Adam sits near +1
    assert sum(ams.xs[late]) / 1010 < -0.5
    assert ams.avg_regret[-1] < adam.avg_regret[-1]
    # at x = +1 each 101-step period costs 2·10 more than x* = −1: average regret → 20/101
    assert adam.avg_regret[-1] > 20 / 101


def test_x_stays_in_the_feasible_set():
    run = OnlineRun("adam", 50.0)
    run.advance(500)
    assert all(-1 <= x <= 1 for x in run.xs)


def test_race_starts_from_one_initialization_and_summarises():
    torch.set_num_threads(1)
    runs = race.start(RunConfig(n_samples=100, hessian_every=0))
    assert [r.config.optimizer for r in runs] == list(race.RACE_LRS)
    for r in runs[1:]:
        for p, q in zip(r.model.parameters(), runs[0].model.parameters()):
            assert torch.equal(p, q)
    advance_all(runs, 50)
    runs[0].measure_hessian()
    s = race.summary(runs[0])
    assert s["step"] == 50 and s["gap"] == pytest.approx(s["test_loss"] - s["train_loss"])
    assert s["sharpness"] is not None and s["sharpness"] > 0
    # every optimizer lowered the training loss from the shared start
    assert all(race.summary(r)["train_loss"] < r.evals.rows()["train_loss"][0] for r in runs)


# -- the page ------------------------------------------------------------------------------------
PAGE = "pages/09_optimizers.py"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders(lang):
    at = open_page(PAGE, lang=lang)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) >= 3


def test_race_step_and_counterexample_step():
    at = open_page(PAGE)
    runs = at.session_state["opt:race"].runs
    assert len(runs) == 7 and all(r.step == 0 for r in runs)
    next(b for b in at.button if b.key == "opt_race:step").click().run()
    assert all(r.step > 0 for r in runs) and len({r.step for r in runs}) == 1
    next(b for b in at.button if b.key == "opt_online:step").click().run()
    sims = at.session_state["opt:online"]
    assert all(s.t > 0 for s in sims.values())
    assert not at.exception

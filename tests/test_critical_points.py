"""lib.lecture.critical: verdicts at the lecture's points, the escape step, Taylor terms, minimum ratio."""
import numpy as np
import pytest
import torch

from lib.lecture import critical
from lib.engine.data import make_dataset
from lib.engine.models import make_mlp, toy_w1w2


def test_lecture_saddle_at_origin():
    a = critical.analyze(toy_w1w2, (0.0, 0.0))
    # L = (1 − w1·w2)²: at the origin g = 0 and H = [[0, −2], [−2, 0]] (the lecture's computation)
    assert a["critical"] and a["grad_norm"] == 0.0
    np.testing.assert_allclose(a["hessian"], [[0, -2], [-2, 0]])
    np.testing.assert_allclose(a["eigenvalues"], [-2, 2])
    assert a["verdict"] == "saddle"
    u = a["eigenvectors"][:, 0]  # eigenvector of λ = −2 is ±(1, 1)/√2
    np.testing.assert_allclose(np.abs(u), [2 ** -0.5] * 2)
    assert u[0] * u[1] > 0


def test_valley_of_minima_has_a_zero_eigenvalue():
    # on w1·w2 = 1, H = [[2w2², 2], [2, 2w1²]]: eigenvalues 0 and 2(w1² + w2²)
    for w1 in (1.0, 0.5, -2.0):
        a = critical.analyze(toy_w1w2, (w1, 1 / w1))
        assert a["critical"] and a["loss"] == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(a["eigenvalues"], [0, 2 * (w1 ** 2 + w1 ** -2)], atol=1e-9)
        assert a["verdict"] == "undecided"


def test_analyze_matches_torch_autograd_off_critical_points():
    w = torch.tensor([0.7, -1.3], dtype=torch.float64)
    a = critical.analyze(toy_w1w2, w)
    np.testing.assert_allclose(a["hessian"], torch.autograd.functional.hessian(toy_w1w2, w).numpy())
    # closed form: g = −2(1 − w1·w2)·(w2, w1)
    r = 1 - w[0] * w[1]
    np.testing.assert_allclose(a["grad"], (-2 * r * torch.stack([w[1], w[0]])).numpy())
    assert not a["critical"]


@pytest.mark.parametrize("ev,kind", [([1, 2], "minimum"), ([-1, -3], "maximum"), ([-1, 2], "saddle"),
                                     ([0, 2], "undecided"), ([-5, 1e-12], "undecided"), ([0, 0], "undecided"),
                                     # both signs: a saddle point whatever zeros there are (issue 13)
                                     ([-1, 0, 2], "saddle"), ([0, -1e-3, 0, 3, 0], "saddle")])
def test_verdict_from_signs(ev, kind):
    assert critical.verdict(ev) == kind


def quadratic(curvatures):
    """L(θ) = ½ Σ dᵢθᵢ²: its Hessian is diag(d) everywhere, its gradient 0 at θ = 0."""
    d = torch.tensor(curvatures, dtype=torch.float64)
    theta = torch.zeros_like(d, requires_grad=True)
    return (lambda: 0.5 * (d * theta ** 2).sum()), [theta]


def test_verdict_and_minimum_ratio_use_one_rule_for_zero():
    # 3e-5 of the largest eigenvalue: zero by ZERO_TOL; once it counted as zero for the verdict
    # (undecided) yet positive for the ratio (1.0 = "local minimum") (issue 13)
    small = 0.3 * critical.ZERO_TOL
    loss_fn, params = quadratic([small, 1.0, 0.5])
    s = critical.network_summary(loss_fn, params)
    np.testing.assert_allclose(s["eigenvalues"], [small, 0.5, 1.0])
    assert s["verdict"] == "undecided" and (s["n_neg"], s["n_zero"], s["n_pos"]) == (0, 1, 2)
    assert s["ratio"] == pytest.approx(2 / 3)
    loss_fn, params = quadratic([3 * critical.ZERO_TOL, 1.0, 0.5])  # just above the rule: positive
    s = critical.network_summary(loss_fn, params)
    assert s["verdict"] == "minimum" and s["ratio"] == 1.0
    # on any spectrum: ratio = 1 exactly when the verdict is a minimum
    rng = np.random.default_rng(0)
    for _ in range(300):
        ev = rng.choice([-1.0, 0.0, 1.0], size=5) * 10.0 ** rng.uniform(-7, 0, size=5)
        assert (critical.positive_ratio(ev) == 1.0) == (critical.verdict(ev) == "minimum"), ev


def test_bumps_critical_points_are_critical_with_the_stated_kind():
    points = critical.critical_points("bumps")
    assert {k for *_, k in points} == {"minimum", "maximum", "saddle"}
    for w1, w2, kind in points:
        a = critical.analyze(critical.bumps, (w1, w2))
        assert a["grad_norm"] < 1e-9
        assert a["verdict"] == kind, (w1, w2)
    for w1, w2, kind in critical.critical_points("toy"):
        assert critical.analyze(toy_w1w2, (w1, w2))["verdict"] == kind


def test_escape_step_lowers_the_loss_where_gradient_descent_is_stuck():
    path = critical.gd_steps(toy_w1w2, (0.0, 0.0), lr=0.1, n=20)
    assert np.all(path == 0)  # g = 0 at the saddle: gradient descent does not move
    new, before, after = critical.escape_step(toy_w1w2, (0.0, 0.0), size=0.3)
    assert after < before
    # second order predicts ½·λ·‖Δ‖² = ½·(−2)·0.09; the true change is that plus (w1·w2)² = 0.045²
    assert after - before == pytest.approx(-0.09 + 0.045 ** 2)
    # and from there gradient descent reaches the valley of minima
    end = critical.gd_steps(toy_w1w2, new, lr=0.1, n=300)[-1]
    assert toy_w1w2(torch.tensor(end)).item() < 1e-6
    with pytest.raises(ValueError):
        critical.escape_step(toy_w1w2, (1.0, 1.0))  # no negative eigenvalue at a minimum


def test_taylor_terms_and_accuracy():
    tay = critical.taylor(toy_w1w2, (0.0, 0.0), (0.2, 0.2))
    assert tay["linear"] == 0.0
    assert tay["quadratic"] == pytest.approx(-0.08)
    assert tay["exact"] == pytest.approx((1 - 0.04) ** 2)
    # L is a quartic, so the expansion misses exactly its cubic and quartic terms: along Δ = h·(1, 1)
    # from c, w1·w2 = c1c2 + a·h + h² with a = c1 + c2, hence error = 2a·h³ + h⁴
    c = np.array([0.4, -0.9])
    for h in (0.1, 0.05, -0.3):
        tay = critical.taylor(toy_w1w2, c, c + h)
        assert tay["exact"] - tay["approx"] == pytest.approx(2 * (c[0] + c[1]) * h ** 3 + h ** 4, abs=1e-12)


def test_minimum_ratio_against_an_exact_spectrum():
    d = make_dataset("reg1d", 60, 0.1, 0.3, 0)
    model = make_mlp(1, 1, depth=1, width=5, seed=3).double()
    x, y = d.x_train.double(), d.y_train.double()
    params = list(model.parameters())

    def loss_fn():
        return torch.mean((model(x) - y) ** 2)

    s = critical.network_summary(loss_fn, params)
    # an independent exact spectrum: torch.func.hessian on the flat parameter vector
    names = [n for n, _ in model.named_parameters()]
    flat = torch.cat([p.detach().reshape(-1) for p in params])

    def flat_loss(v):
        parts, i = {}, 0
        for n, p in zip(names, params):
            parts[n] = v[i:i + p.numel()].view_as(p)
            i += p.numel()
        return torch.mean((torch.func.functional_call(model, parts, (x,)) - y) ** 2)

    ev = torch.linalg.eigvalsh(torch.func.hessian(flat_loss)(flat)).numpy()
    assert s["ratio"] == pytest.approx(np.mean(ev > critical.ZERO_TOL * np.abs(ev).max()))
    assert s["lam_min"] == pytest.approx(ev[0], abs=1e-9) and s["lam_max"] == pytest.approx(ev[-1])
    assert s["grad_norm"] == pytest.approx(torch.func.grad(flat_loss)(flat).norm().item())
    assert critical.positive_ratio([-1.0, 2.0, 3.0, 0.0]) == 0.5


def test_short_run_reaches_small_gradient_and_is_reproducible():
    d = make_dataset("reg1d", 60, 0.1, 0.3, 0)
    r = critical.short_run(d.x_train, d.y_train, seed=3, steps=1500)
    assert r["converged"] and r["grad_norm"] <= 1e-3
    assert 0.0 < r["ratio"] <= 1.0 and r["loss"] < 0.05
    again = critical.short_run(d.x_train, d.y_train, seed=3, steps=1500)
    assert again == r
    short = critical.short_run(d.x_train, d.y_train, seed=3, steps=5)
    assert short["steps"] == 5 and not short["converged"]


# -- the page, headless (AppTest) ---------------------------------------------------------------------
from streamlit.testing.v1 import AppTest  # noqa: E402
from chart_data import charts  # noqa: E402
from test_app_pages import ROOT, TIMEOUT, metric, open_page  # noqa: E402

PAGE = "pages/02_critical_points.py"


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_page_verdicts_and_escape_step():
    at = open_page(PAGE, lang="en")
    assert not at.exception
    assert any("saddle point" in e.value for e in at.error)  # the start point (0, 0)
    assert metric(at, "Loss here") == "1"
    button(at, "cp:escape").click().run()
    assert not at.exception
    w = np.array([at.session_state["cp:w1"], at.session_state["cp:w2"]])
    assert toy_w1w2(torch.tensor(w)).item() < 1.0
    assert any("fell from 1 to" in s.value for s in at.success)
    button(at, "cp:jump:valley").click().run()
    assert any("cannot decide" in i.value for i in at.info)
    at.radio(key="cp:surface").set_value("bumps").run()
    button(at, "cp:jump:maximum").click().run()
    assert any("local maximum" in w.value for w in at.warning)
    assert not at.exception


def test_page_gradient_descent_step_and_panel_step():
    at = open_page(PAGE, lang="en")
    assert metric(at, "Descent steps") == "0"
    before = [len(p) for p in at.session_state["cp:paths"]]
    button(at, "cp_gd:step").click().run()
    after = [len(p) for p in at.session_state["cp:paths"]]
    assert all(a > b for a, b in zip(after, before))
    assert metric(at, "Descent steps") == "2"
    # the map carries the paths as they are now: path0 … with their new points
    shown = charts(at)["cp:surface_map"]["data"]
    for i, n in enumerate(after):
        assert len(shown[f"path{i}"]["x"]) == n
    button(at, "critical_points:step").click().run()
    assert metric(at, "Step") == "1"
    assert not at.exception
    readout = at.session_state["cp:track"][0]
    assert readout.history.data["step"] == [0, 1] and 0.0 <= readout.last["ratio"] <= 1.0
    # the readout charts show both measurements of both runs, and the map still its paths
    shown = charts(at)
    for q in ("grad", "lam_min", "lam_max", "ratio"):
        for i in range(2):
            assert shown[f"critical_points:readout:{q}"]["data"][f"{q}{i}"]["x"] == [0, 1], q
    button(at, "cp_gd:reset").click().run()
    assert metric(at, "Descent steps") == "0"
    assert [len(p) for p in at.session_state["cp:paths"]] == [1, 1, 1]


def test_a_run_taken_in_pieces_ends_where_one_taken_in_one_go_does():
    # the page trains the experiment a few updates at a time, so that Stop lands at once
    x, y = critical.experiment_data()
    whole = critical.short_run(x, y, seed=3, steps=1000)
    run, pieces = critical.ShortRun(x, y, seed=3, steps=1000), 0
    while run.advance(37):
        pieces += 1
    assert pieces > 5 and run.result() == whole
    assert whole["converged"] and whole["steps"] < 1000  # it stopped at a small gradient, in a piece


def test_page_experiment_runs_bounded_and_stops():
    at = open_page(PAGE, lang="en")
    at.slider(key="cp:exp_runs").set_value(5)
    at.slider(key="cp:exp_steps").set_value(100).run()
    button(at, "cp:exp_go").click().run()
    assert not at.exception
    exp = at.session_state["cp:exp"]
    assert len(exp["results"]) == 5
    assert [r["seed"] for r in exp["results"]] == list(range(5))
    assert all(r["steps"] <= 100 for r in exp["results"])
    assert metric(at, "Runs done") == "5"
    assert button(at, "cp:exp_go").label == "Start experiment"  # finished: it stopped by itself
    assert len(charts(at)["cp:experiment"]["data"]["runs"]["seed"]) == 5
    button(at, "cp:exp_clear").click().run()
    assert metric(at, "Runs done") == "0" and not at.session_state["cp:exp"]["results"]


def test_experiment_summary_counts_end_points_by_verdict():
    def end(verdict, neg_rel=0.0, converged=True, n_zero=1):
        return {"converged": converged, "verdict": verdict, "neg_rel": neg_rel, "n_zero": n_zero,
                "n_params": 13, "ratio": 0.5, "grad_norm": 1e-3}
    s = critical.experiment_summary([end("undecided"), end("undecided"), end("saddle", 0.01),
                                     end("saddle", 0.5, converged=False)])
    assert (s["runs"], s["reached"], s["saddle"], s["undecided"], s["minimum"]) == (4, 3, 1, 2, 0)
    assert s["largest"] == "undecided" and s["neg_rel_max"] == 0.01  # the unfinished run is left out
    assert critical.experiment_summary([end("saddle"), end("minimum")])["largest"] == "mixed"
    assert critical.experiment_summary([end("saddle", converged=False)])["largest"] is None


def test_page_states_the_one_rule_for_zero_from_the_code(monkeypatch):
    at = open_page(PAGE, lang="en")
    assert any("|λ| ≤ 10⁻⁴ · max|λ| counts as **0**" in m.value for m in at.markdown)
    monkeypatch.setattr(critical, "ZERO_TOL", 3e-4)
    at = open_page(PAGE, lang="zh")
    assert any("|λ| ≤ 3·10⁻⁴ · max|λ| 的特征值算作 **0**" in m.value for m in at.markdown)


def test_page_readout_names_a_saddle_when_both_signs_are_there():
    # at the start the width-6 net's Hessian has 7 negative, 1 zero and 11 positive eigenvalues:
    # with the threshold at its largest, the readout must say saddle point; it said "undecided"
    at = open_page(PAGE, lang="en")
    at.number_input(key="cp:gtol").set_value(1.0).run()
    assert not at.exception
    lines = [s.value for s in at.success if s.value.startswith("Units per layer = 6")]
    assert lines and "Step 0" in lines[0], [s.value for s in at.success]
    assert "7 negative, 1 zero, 11 positive → **saddle point**" in lines[0]


def test_page_experiment_reading_is_computed_from_the_runs():
    x, y = critical.experiment_data()
    results = [critical.short_run(x, y, seed=s) for s in (3, 4)]  # seed 3 reaches ‖g‖ ≤ 10⁻³, 4 does not
    s = critical.experiment_summary(results)
    assert (s["reached"], s["largest"]) == (1, "undecided")
    for lang, counts, reading in (("en", "1 of 2 runs reached ‖g‖ ≤ 10⁻³", "neither a saddle point nor"),
                                  ("zh", "2 次训练中有 1 次到达 ‖g‖ ≤ 10⁻³", "既不是鞍点")):
        at = AppTest_with_results(results, lang)
        text = " ".join(m.value for m in at.markdown)
        assert counts in text and reading in text
        assert f"{-s['neg_rel_max']:.1e}".replace("-", "−", 1) in text
        # the old conclusion, typed in whatever the runs showed, is gone
        assert "looks more like a saddle point" not in text and "更像鞍点" not in text


def AppTest_with_results(results, lang):
    """The page opened with these finished runs already in its session (one script run)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["cp:exp"] = {"results": results, "steps": critical.EXP_STEPS, "run": None}
    at.session_state["cp:exp_runs"] = 5
    at.switch_page(PAGE)
    return at.run()


# -- the descent paths and the readout, as lib.lecture.critical keeps them ------------------------------
def test_paths_stop_where_gradient_descent_stops_and_say_when_they_left():
    paths = critical.start_paths("toy") + [np.array([[0.0, 0.0]])]  # the last: exactly at the saddle
    while critical.advance_paths(toy_w1w2, paths, critical.GD_LR, 7):
        pass
    for path in paths[:3]:  # each ends in the valley of minima, where its gradient vanishes
        assert not critical.path_left(path) and len(path) < critical.MAX_PATH
        assert critical.path_done(toy_w1w2, path) and toy_w1w2(torch.tensor(path[-1])).item() < 1e-10
        # the same points as plain gradient descent from its start, 7 steps at a time or not
        np.testing.assert_allclose(path, critical.gd_steps(toy_w1w2, path[0], critical.GD_LR, len(path) - 1))
    assert len(paths[3]) == 1  # g = 0 at the saddle: it never moves
    # too large a learning rate throws a path off the map: it ends with the NaN marker and stops
    paths = [np.array([[-1.5, 1.2]])]
    assert not critical.advance_paths(toy_w1w2, paths, 1.0, 5)
    assert critical.path_left(paths[0]) and np.all(np.isfinite(paths[0][:-1]))
    # a slow path stops at MAX_PATH points
    paths = critical.start_paths("toy")[:1]
    while critical.advance_paths(toy_w1w2, paths, 0.001, 500):
        pass
    assert len(paths[0]) == critical.MAX_PATH


def test_readout_measures_when_the_run_moved_and_stays_bounded():
    from lib.engine.trainer import same_start
    from lib.lecture import presets
    run = same_start([presets.CRITICAL_POINTS.with_(hessian_every=0)])[0]
    readout = critical.Readout(run, cap=8)
    first = readout.update()
    assert readout.update() is first  # not moved: not measured again
    run.advance(3)
    assert readout.update(every=5) is first  # moved less than `every`
    assert readout.update(every=3)["step"] == 3
    assert readout.update()["grad_norm"] == pytest.approx(critical.measure(run)["grad_norm"])
    for _ in range(40):
        run.advance(1)
        readout.update()
    steps = readout.history.data["step"]
    assert len(steps) < 8 and steps[0] == 0 and steps == sorted(steps)  # thinned evenly, bounded
    assert readout.last["step"] == 43
    # one Readout per run: a run it already follows keeps its own, a new run starts anew
    other = same_start([presets.CRITICAL_POINTS.with_(width=1, hessian_every=0)])[0]
    kept = critical.follow([readout], [run, other])
    assert kept[0] is readout and kept[1].run is other and kept[1].last is None


def test_readout_of_non_finite_weights_has_no_numbers():
    from lib.engine.trainer import same_start
    from lib.lecture import presets
    run = same_start([presets.CRITICAL_POINTS.with_(hessian_every=0)])[0]
    with torch.no_grad():
        run.params[0].fill_(float("nan"))
    s = critical.Readout(run).update()
    assert not np.isfinite(s["grad_norm"])


def live_heights(at) -> dict:
    """{chart key: the height it asks for} of every LiveChart drawn (a full frame carries it)."""
    from ui.charts.live import unpack
    out = {}
    for element in at.get("html"):
        if "live-chart" in element.proto.body:
            m = unpack(element.proto.body)
            if "base" in m:
                out[m["k"]] = m["base"]["height"]
    return out


@pytest.mark.parametrize("presenter", [False, True])
def test_every_chart_of_the_page_is_tall_enough_and_presenter_type_is_larger(presenter):
    from ui.charts import MIN_HEIGHT
    at = open_page(PAGE, query={"present": "1"} if presenter else None, lang="zh")
    assert not at.exception
    heights = live_heights(at)
    mine = {k for k in heights if k.startswith(("cp:", "critical_points:readout"))}
    assert {"cp:surface_map", "critical_points:readout:grad", "critical_points:readout:ratio",
            "critical_points:readout:lam_min", "critical_points:readout:lam_max"} <= mine
    assert all(heights[k] >= MIN_HEIGHT for k in heights), heights
    size = charts(at)["critical_points:readout:grad"]["spec"]["config"]["axis"]["labelFontSize"]
    assert size == (16 if presenter else 13)


def test_a_path_that_leaves_the_map_is_stopped_with_a_note():
    at = open_page(PAGE, query={"cp.lr": "1"}, lang="en")
    button(at, "cp_gd:step").click().run()
    button(at, "cp_gd:step").click().run()
    assert not at.exception
    note = next(w.value for w in at.warning if "ran far off the map" in w.value)
    # the limits it names are the ones the map and the paths use
    assert "η = 1" in note and f"|w| ≤ {critical.BOX[1]:g}" in note and f"|w| > {critical.PATH_LIMIT:g}" in note
    left = next(p for p in at.session_state["cp:paths"] if critical.path_left(p))
    assert np.abs(left[:-1]).max() <= critical.PATH_LIMIT
    assert any(critical.path_left(p) for p in at.session_state["cp:paths"])


def test_page_readout_says_so_when_a_run_has_no_numbers():
    at = open_page(PAGE, lang="en")
    run = at.session_state["critical_points:panel"].runs[1]
    with torch.no_grad():
        run.params[0].fill_(float("nan"))
    at.session_state["cp:track"] = []  # measured anew at the next frame
    button(at, "cp_gd:step").click().run()
    assert not at.exception
    assert any("not a finite number" in e.value for e in at.error)
    text = " ".join(e.value for e in [*at.success, *at.error, *at.caption])
    assert "nan" not in text


def test_readout_legends_stack_the_runs_so_long_names_are_not_cut():
    from ui.charts import critical_points as cp_charts
    words = cp_charts.ReadoutWords(*"abcdefgh")
    specs = cp_charts.readout_specs(("Units per layer = 1", "Units per layer = 6"), words, 1.25)
    for q, spec in specs.items():
        legends = [layer["encoding"]["color"]["legend"] for layer in spec["layer"]]
        assert all(lg["columns"] == 1 and lg["title"] is None for lg in legends), q

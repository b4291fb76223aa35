"""The overfitting page (lecture section 8) through AppTest."""
import math

from chart_data import charts
from test_app_pages import metric, open_page

PAGE = "pages/08_overfitting.py"


def test_bound_metric_follows_the_formula_and_warns_when_vacuous():
    at = open_page(PAGE, lang="en")
    assert not at.exception
    at.number_input(key="of:h").set_value(100).run()
    at.number_input(key="of:n").set_value(500).run()
    at.number_input(key="of:eps").set_value(0.05).run()
    expected = 100 * 2 * math.exp(-2 * 500 * 0.05 ** 2)       # = 200 e^{-2.5} ≈ 16.4 > 1
    assert float(metric(at, "Bound |H|·2·exp(−2Nε²)")) == float(f"{expected:.3g}")
    assert any("says nothing" in w.value for w in at.warning)
    n_needed = int(metric(at, "N for a bound ≤ δ").replace(",", ""))
    assert 100 * 2 * math.exp(-2 * n_needed * 0.0025) <= 0.05 < 100 * 2 * math.exp(-2 * (n_needed - 1) * 0.0025)
    at.number_input(key="of:n").set_value(n_needed).run()
    assert not at.warning and at.success


def test_simulation_stays_under_the_bound_and_draws_its_charts():
    at = open_page(PAGE, lang="en")
    at.select_slider(key="of:sim_h").set_value(129).run()
    at.slider(key="of:sim_eps").set_value(0.05).run()
    assert not at.exception
    summary = at.info[0].value
    assert "under the bound at every N (allowing for sampling error): yes" in summary
    assert "≤ 2ε: yes" in summary
    drawn = charts(at)
    assert set(drawn) == {"of:bound", "of:sim", "of:gaps", "of:best", "of:picked"}
    sweep = at.session_state["of:sweep"]
    assert sweep.finished and metric(at, "Training sets drawn") == f"{sweep.total_sets:,}"
    sim = drawn["of:sim"]["data"]
    assert sim["sim"]["x"] == [float(n) for n in sweep.ns]          # every N, as simulated
    assert sim["sim"]["y"] == [float(f"{tr.bad_share:.6g}") for tr in sweep.done]
    assert sim["bound"]["y"] == [float(f"{min(1.0, b):.6g}") for b in sweep.bounds()]
    middle = sweep.done[len(sweep.ns) // 2]      # the histogram counts that N's training sets
    assert sum(drawn["of:gaps"]["data"]["bins"]["count"]) == middle.trials


def test_tradeoff_text_quotes_the_simulation_and_names_the_real_shape():
    """Defect: the page said "with little data the simpler model does better" while at N = 10 the
    simplest class is the worst; the text now quotes the trade-off chart's own numbers."""
    at = open_page(PAGE, lang="en")
    text = " ".join(m.value for m in at.markdown)
    assert "simpler model does better" not in text
    from lib.lecture.overfit import (NESTED_SIZES, TASK, TRADEOFF_NS, TRADEOFF_SEED, TRADEOFF_TRIALS,
                             picked_losses, tradeoff_shape)
    rows = picked_losses(TASK, NESTED_SIZES, TRADEOFF_NS, TRADEOFF_TRIALS, TRADEOFF_SEED)
    little = tradeoff_shape(rows, TRADEOFF_NS[0])
    plenty = tradeoff_shape(rows, TRADEOFF_NS[-1])
    assert (f"with N = {little['n']}, the best class is |H| = {little['best_size']} "
            f"(mean loss {little['best_loss']:.3f})") in text
    assert f"The simplest, |H| = {little['smallest_size']}, is the worst ({little['smallest_loss']:.3f})" in text
    assert f"is the best ({plenty['largest_loss']:.3f})" in text

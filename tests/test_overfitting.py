"""The overfitting page (lecture section 8) through AppTest."""
import math

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
    assert len(at.get("vega_lite_chart")) == 5

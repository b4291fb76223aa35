"""The sharpness meter's bar (ui/charts/meter.py): filled to λ_max's share of the threshold on a
scale of two thresholds, with the threshold marked at its middle; on the Playground it shows the
run's own reading."""
import re

import pytest

from test_app_pages import open_page
from ui.charts import meter


@pytest.mark.parametrize("ratio,share", [(0.0, 0.0), (0.5, 0.25), (1.0, 0.5), (1.5, 0.75),
                                         (2.0, 1.0), (7.0, 1.0), (-0.3, 0.0)])
def test_fill_is_the_share_of_two_thresholds(ratio, share):
    assert meter.fill_share(ratio) == pytest.approx(share)


def test_fill_turns_orange_near_the_threshold_and_the_mark_sits_in_the_middle():
    low, near = meter.bar_html(0.5), meter.bar_html(1.01)
    assert meter.OKABE_ITO[0] in low and meter.OKABE_ITO[4] not in low
    assert meter.OKABE_ITO[4] in near
    for html in (low, near):
        assert "left:50%" in html and meter.MARK in html


def test_the_playground_meter_bar_shows_the_runs_reading():
    """The edge-of-stability lesson step: after a few Steps the meter's line gives λ_max as a
    percentage of 2/η, and its bar is filled to half that percentage (the bar spans 2 × 2/η)."""
    at = open_page("pages/10_playground.py", lang="en")
    for _ in range(3):
        at.button(key="playground:step").click().run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown if "Sharpness" in m.value]
    assert lines, [m.value for m in at.markdown][:10]
    pct = float(re.search(r"(\d+(?:\.\d+)?)% <span", lines[-1]).group(1))
    width = float(re.search(r"width:(\d+(?:\.\d+)?)%; background", lines[-1]).group(1))
    assert 0 < pct < 200
    assert width == pytest.approx(pct / 2, abs=0.6)  # pct is rounded to a whole percent

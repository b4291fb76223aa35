"""The classification-loss page in real headless Chromium on a fresh server (issue 18): Play trains
MSE and cross-entropy from one bad start and repaints the network's gradient chart; Play for 30 s,
Pause within 2 s, Reset; the lesson's Next moves the step; one session throughout; both languages."""
import pytest

from live_app import (COUNT_REDRAWS, clicks_land, count_sockets, next_step_in_one_session,
                      play_then_pause, wait_metric)

sync_api = pytest.importorskip("playwright.sync_api")

# language: the Step metric, the start's gradient norm, Next, the lesson's second step
LABELS = {"en": ("Step", "Gradient norm at the start", "Next", "step 2 of 3"),
          "zh": ("步数", "起点的梯度范数", "下一步", "第 2/3 步")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_classification_loss_play_pause_reset_land_and_next_steps_the_lesson(server, browser, lang):
    step, grad_start, next_label, step_two = LABELS[lang]
    page = browser.new_page(viewport={"width": 1500, "height": 3400})
    page.add_init_script(COUNT_REDRAWS)
    sockets = count_sockets(page)
    page.goto(f"{server}/classification_loss?lang={lang}")
    wait_metric(page, step, "v === 0", timeout=90_000)
    # section 1: from the bad start, MSE's gradient is a vanishing share of cross-entropy's
    grads = page.get_by_test_id("stMetric").filter(has_text=grad_start)
    grads.nth(1).wait_for(timeout=30_000)
    mse, ce = (float(grads.nth(i).get_by_test_id("stMetricValue").inner_text()) for i in range(2))
    assert mse < 0.01 * ce
    if lang == "en":   # play_then_pause reads the English labels
        before, playing = play_then_pause(page)
        assert playing[-1] > before[-1]   # the live gradient-norm chart (the page's last) repaints
    clicks_land(page, step, lang=lang)
    next_step_in_one_session(page, sockets, next_label, step_two)

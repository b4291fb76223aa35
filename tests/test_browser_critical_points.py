"""The critical-points page in headless Chromium on a fresh server (issue 18): each of its three
players — the descent paths (①), the training panel (③) and the Start/Stop experiment (④) — plays
for 30 s (the experiment, which ends by itself, 2 s), Pause (Stop) lands within 2 s and Reset
(Clear) resets; Next changes the lesson step; the session is never replaced; in English and
Chinese."""
import pytest

from lib.lecture import critical
from live_app import clicks_land, count_sockets, next_step_in_one_session, wait_idle, wait_metric

sync_api = pytest.importorskip("playwright.sync_api")

# η small enough that the descent paths are still moving after 30 s of play (~2100 steps to the end)
SLOW_LR = 0.003
# the longest experiment (40 runs of 3,000 updates): ~35 s on the machine this test was written on,
# 7.4 s of training alone on a faster one (2026-12-04), where 10 s of play let it finish before
# the test looked for a run still going; so it plays 2 s before Stop (some runs done, most left)
LONG_EXPERIMENT = f"&cp.exp_runs={critical.MAX_EXP_RUNS}&cp.exp_steps={critical.MAX_EXP_STEPS}"


def test_descent_paths_and_experiment_clicks_land_in_english(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/critical_points?lang=en&cp.lr={SLOW_LR}{LONG_EXPERIMENT}")
    page.get_by_text("saddle point: along the eigenvector").wait_for(timeout=90_000)
    wait_metric(page, "Descent steps", "v === 0", timeout=60_000)

    # the escape step at the saddle: the loss falls from 1
    wait_idle(page)
    page.get_by_role("button", name="Step along the eigenvector of λ = -2").click()
    page.get_by_text("the loss fell from 1 to").wait_for(timeout=30_000)

    clicks_land(page, "Descent steps", which=0)  # the first Play of the page: ①'s paths
    clicks_land(page, "Runs done", play_seconds=2, labels=("Start experiment", "Stop", "Clear results"))

    next_step_in_one_session(page, sockets, "Next", "step 2 of 3")


def test_training_panel_clicks_land_in_chinese(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    sockets = count_sockets(page)
    page.goto(f"{server}/critical_points?lang=zh")
    page.get_by_text("梯度为 0，特征值有正有负").wait_for(timeout=90_000)
    wait_metric(page, "步数", "v === 0", timeout=60_000)
    clicks_land(page, "步数", which=1, lang="zh")  # the second Play: the training panel's
    page.get_by_text("‖g‖ =").first.wait_for(timeout=30_000)  # the readout under the panel's charts

    next_step_in_one_session(page, sockets, "下一步", "第 2/3 步")

"""A lesson step's panel setup, built the way ui/lesson.go builds it, for the claim tests.

go() sets the panel's config to the step's setup (ui/lessons.Lesson.setup) and, where the step names a
comparison (setting, values), trains one run per value from one start (ui/panel.rebuild →
lib.engine.trainer.same_start). A test passes the preset its page imports from lib.lecture.presets and a seed.
"""
from __future__ import annotations

from functools import lru_cache

import torch

from lib.lecture.presets import changes
from lib.engine.trainer import same_start
from ui.lessons import LESSONS


def step_configs(page: str, k: int, preset, seed: int = 0) -> list:
    """The runs the panel shows at step k (ui/lessons.Lesson.setup), or the preset alone where no
    step up to k sets the panel."""
    plan = LESSONS[page]
    setup = plan.setup(k)
    config, compare = preset, None
    if setup is not None:  # the step's settings, on top of `preset` (the page's, or a variant)
        config, compare = preset.with_(**changes(setup[0], plan.preset)), setup[1]
    config = config.with_(seed=seed).validate()
    if not compare:
        return [config]
    name, values = compare
    return [config.with_(**{name: v}) for v in values]


def step_runs(page: str, k: int, preset, seed: int = 0) -> list:
    return same_start(step_configs(page, k, preset, seed))


@lru_cache(maxsize=None)
def trained(page: str, k: int, preset, seed: int, updates: int) -> list:
    """step_runs after `updates` updates each, on one torch thread as the app runs them; shared by
    every claim test in the session that asks for the same ones (treat them as read-only)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        runs = step_runs(page, k, preset, seed)
        for run in runs:
            run.advance(updates)
    finally:
        torch.set_num_threads(threads)
    return runs


def upto(run, step: int) -> list[float]:
    """The run's training loss at each evaluation up to update `step`."""
    rows = run.evals.rows()
    return [x for s, x in zip(rows["step"], rows["train_loss"]) if s <= step and x is not None]

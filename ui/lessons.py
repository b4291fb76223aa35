"""The guided lessons, page by page: what each step sets on the page's training panel.

`panel` is the page's panel namespace (None: the page has no shared panel). A step's `panel` is
a dict of settings applied on top of the page's preset (None: leave the panel alone) and
`compare` a (setting, values) pair for compare mode. The words are in ui/strings/lessons.py
under lesson.<page>.<n>.title / .do / .watch.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.lecture import presets
from lib.engine.settings import RunConfig


@dataclass(frozen=True)
class Step:
    panel: dict | None = None
    compare: tuple | None = None
    # numbers the step's words quote (e.g. how many updates a plateau lasts); the claim test of
    # the step checks the phenomenon with these same numbers (tests/test_claims_<page>.py)
    numbers: tuple = ()


@dataclass(frozen=True)
class Lesson:
    panel: str | None          # the page's panel namespace, or None
    steps: tuple
    preset: RunConfig = RunConfig()  # the page's panel preset, which a step's settings go on top of

    def setup(self, k: int) -> tuple[RunConfig, tuple | None] | None:
        """The panel setup (config, comparison) in force at step k (1-based): that of the last step
        up to k that sets one (a step with panel=None leaves the panel as it was); None if no step
        up to k does, and the page's own preset and comparison apply."""
        for step in reversed(self.steps[:k]):
            if step.panel is not None:
                return self.preset.with_(**step.panel).validate(), step.compare
        return None


LESSONS = {
    "home": Lesson(None, (Step(), Step(), Step())),
    "guide": Lesson("guide", preset=presets.GUIDE, steps=(
        Step({}, ("depth", (1, 6))),
        Step({"batch_norm": True}, ("depth", (1, 6))),
        Step({"optimizer": "adam", "lr": 0.01}, ("depth", (1, 6))),
    )),
    "critical_points": Lesson("critical_points", preset=presets.CRITICAL_POINTS,
                              steps=(Step(), Step({}, presets.CRITICAL_POINTS_COMPARE), Step())),
    "batch": Lesson("batch_net", preset=presets.BATCH_NET, steps=(
        Step(),
        Step(),
        Step({}, ("batch_size", (1, 14, 140))),
        Step({"shuffle": False}, ("batch_size", (1, 14, 140))),
    )),
    "momentum": Lesson("mom_net", preset=presets.MOMENTUM_NET,
                       steps=(Step(), Step(), Step({}, ("optimizer", ("sgd", "sgdm"))))),
    "learning_rate": Lesson("lr", preset=presets.LEARNING_RATE, steps=(
        Step(), Step(), Step({"schedule": "warmup_linear"}, ("schedule", ("constant", "warmup_linear"))),
    )),
    "batch_norm": Lesson("batch_norm", preset=presets.BATCH_NORM,
                         steps=(Step(), Step({}, ("batch_norm", (False, True))), Step())),
    "classification_loss": Lesson("classification_loss", preset=presets.CLASSIFICATION_LOSS, steps=(
        Step(), Step({}, ("loss", ("mse", "ce"))), Step({"loss": "ce"}, None),
    )),
    "overfitting": Lesson(None, (Step(), Step(), Step())),
    "optimizers": Lesson(None, (Step(), Step(), Step())),
    "playground": Lesson("playground", preset=presets.PLAYGROUND, steps=(
        Step(presets.changes(presets.EDGE_OF_STABILITY, presets.PLAYGROUND),
             numbers=(("reach", 2000), ("hover", 4000))),
        Step({}, ("optimizer", ("sgd", "sgdm", "adam")), numbers=(("early", 200), ("late", 2000))),
        Step({"depth": 5, "activation": "sigmoid", "optimizer": "sgd", "lr": 0.5},
             ("batch_norm", (False, True)), numbers=(("plateau", 1000), ("fast", 200))),
    )),
}

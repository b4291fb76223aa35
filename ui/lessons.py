"""The guided lessons, page by page: what each step sets on the page's training panel.

`panel` is the page's panel namespace (None: the page has no shared panel). A step's `panel` is
a dict of settings applied on top of the page's preset (None: leave the panel alone) and
`compare` a (setting, values) pair for compare mode. The words are in ui/strings/lessons.py
under lesson.<page>.<n>.title / .do / .watch.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.presets import CRITICAL_POINTS_COMPARE


@dataclass(frozen=True)
class Step:
    panel: dict | None = None
    compare: tuple | None = None


@dataclass(frozen=True)
class Lesson:
    panel: str | None
    steps: tuple


# Full-batch gradient descent with MSE on 256 points of a smooth 2-D function: the top Hessian
# eigenvalue climbs to 2/η and hovers there (DESIGN.md, "edge of stability").
EDGE_OF_STABILITY = dict(dataset="reg2d", n_samples=366, noise=0.1, depth=2, width=64,
                         activation="tanh", optimizer="sgd", lr=0.2, batch_size=256,
                         hessian_every=20, eval_every=20)

LESSONS = {
    "home": Lesson(None, (Step(), Step(), Step())),
    "guide": Lesson("guide", (
        Step({}, ("depth", (1, 6))),
        Step({"batch_norm": True}, ("depth", (1, 6))),
        Step({"optimizer": "adam", "lr": 0.01}, ("depth", (1, 6))),
    )),
    "critical_points": Lesson("critical_points", (Step(), Step({}, CRITICAL_POINTS_COMPARE), Step())),
    "batch": Lesson("batch_net", (
        Step(),
        Step(),
        Step({}, ("batch_size", (1, 14, 140))),
        Step({"shuffle": False}, ("batch_size", (1, 14, 140))),
    )),
    "momentum": Lesson("mom_net", (Step(), Step(), Step({}, ("optimizer", ("sgd", "sgdm"))))),
    "learning_rate": Lesson("lr", (
        Step(), Step(), Step({"schedule": "warmup_linear"}, ("schedule", ("constant", "warmup_linear"))),
    )),
    "batch_norm": Lesson("batch_norm", (Step(), Step({}, ("batch_norm", (False, True))), Step())),
    "classification_loss": Lesson("classification_loss", (
        Step(), Step({}, ("loss", ("mse", "ce"))), Step({"loss": "ce"}, None),
    )),
    "overfitting": Lesson(None, (Step(), Step(), Step())),
    "optimizers": Lesson(None, (Step(), Step(), Step())),
    "playground": Lesson("playground", (
        Step(EDGE_OF_STABILITY),
        Step({}, ("optimizer", ("sgd", "sgdm", "adam"))),
        Step({"depth": 5, "activation": "sigmoid", "optimizer": "sgd", "lr": 0.5},
             ("batch_norm", (False, True))),
    )),
}

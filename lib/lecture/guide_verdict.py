"""What the guide page (lecture section 1) concludes from its numbers, in one place, so the page and
its claim tests (tests/test_claims_guide.py) use the same rules.

depth_verdict: a shallow and a deep net trained side by side. "optimization" when the deep net's
training loss is clearly higher (it could do at least about as well, so the model is not to
blame); "fine" when it is not higher and well below the loss of a constant guess; "undecided"
while it is neither. Losses are the medians of the last few evaluations, so one noisy evaluation
(batch norm's eval-mode loss jumps now and then) does not flip the verdict. The yardstick is the
loss of the best constant guess (ln 2 ≈ 0.693 on two balanced classes): a net at that loss has
learned nothing about x yet.

overfit_verdict: training and test loss of a fit against the noise level σ².
"""
from __future__ import annotations

import statistics

import torch

MIN_UPDATES = 200   # before this, no verdict: both nets still sit at their start
WINDOW = 5          # evaluations whose median stands for "the loss now"
MARGIN = 0.07       # "clearly higher": by more than this share of a constant guess's loss
LEARNED = 0.5       # "well below a constant guess": under this share of its loss
MOVED = 0.9         # "has left the constant guess": under this share of its loss


@torch.no_grad()
def chance_loss(data, loss_fn) -> float:
    """The training loss of the best constant output: the class frequencies (as logits) for
    classification, the mean target for regression."""
    y = data.y_train
    if data.task == "classification":
        freq = torch.bincount(y, minlength=data.n_classes).float() / len(y)
        out = torch.log(freq.clamp_min(1e-12)).expand(len(y), -1)
    else:
        out = y.mean(0).expand_as(y)
    return float(loss_fn(out, y))


def depth_verdict(step: int, shallow: list[float], deep: list[float], chance: float) -> dict:
    """shallow, deep: each net's training loss at its evaluations so far; chance: chance_loss."""
    if step < MIN_UPDATES or not shallow or not deep:
        return {"kind": "wait", "step": step}
    s = statistics.median(shallow[-WINDOW:])
    d = statistics.median(deep[-WINDOW:])
    if d - s > MARGIN * chance:
        kind = "optimization"
    elif d < LEARNED * chance:
        kind = "fine"
    else:
        kind = "undecided"
    return {"kind": kind, "step": step, "shallow": s, "deep": d, "chance": chance,
            "moved": d < MOVED * chance}


def runs_verdict(runs) -> dict:
    """depth_verdict for the shallowest and the deepest of `runs` (lib.engine.trainer.Run) trained
    side by side, on their training losses so far; "wait" until two runs have an evaluation."""
    runs = [r for r in runs if r.evals.last and r.evals.last.get("train_loss") is not None]
    if len(runs) < 2:
        return {"kind": "wait", "step": max((r.step for r in runs), default=0)}
    shallow = min(runs, key=lambda r: r.config.depth)
    deep = max(runs, key=lambda r: r.config.depth)
    return depth_verdict(deep.step, train_losses(shallow), train_losses(deep),
                         chance_loss(deep.data, deep.loss_fn))


def train_losses(run) -> list[float]:
    return [x for x in run.evals.rows("train_loss")["train_loss"] if x is not None]


def overfit_verdict(train: float, test: float, floor: float) -> str:
    """"bias" when the training loss itself is far above the noise level; "overfit" when the test
    loss is well above both the training loss and the noise level; else "ok"."""
    if train > 3 * floor:
        return "bias"
    if test > 2 * max(train, 0.5 * floor) and test > 1.5 * floor:
        return "overfit"
    return "ok"

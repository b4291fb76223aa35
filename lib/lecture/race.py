"""A race of optimizers from one initialization on the training panel's task.

    runs = start(RunConfig(dataset="moons"), RACE_LRS)   # same data, same initial weights
    advance_all(runs, 100); summary(runs[0])

Each optimizer gets a learning rate suited to it (one η for all would favour some of them).
Sharpness is the Hessian's largest eigenvalue at the end, measured on demand (not every step, so
the race compares update cost, not measurement cost).
"""
from __future__ import annotations

from ..engine.optim import OPTIMIZERS, race_lrs
from ..engine.settings import RunConfig
from ..engine.trainer import Run, same_start

RACE_LRS = race_lrs()  # the racers and their learning rates: a column of lib/engine/optim.py's table
MAX_RACE_STEPS = 5000
RACE_STEPS = 600            # updates per optimizer in the optimizers page's race
ADAM_FAMILY = ("adam", "amsgrad", "adamw")
# what the page's sentence about the race promises, checked over these seeds (tests/test_claims_optimizers.py)
SEEDS_CHECKED = range(5)
SMALL_GAP = 0.05            # every optimizer's |test − train| loss gap stays under this


def start(base: RunConfig, lrs: dict = RACE_LRS) -> list[Run]:
    configs = [base.with_(optimizer=name, lr=lr, hessian_every=0,
                          weight_decay=OPTIMIZERS[name].defaults.get("weight_decay", 0.0))
               for name, lr in lrs.items()]
    return same_start(configs)


def summary(run: Run) -> dict:
    """Train loss, test loss (full sets, at the last evaluation), their gap, wall time, sharpness."""
    if not run.evals.last or run.evals.last["step"] != run.step:
        run.evaluate()
    last = run.evals.last
    train, test = last["train_loss"], last["test_loss"]
    sharp = run.curvature.last if run.curvature.last and run.curvature.last["step"] == run.step else None
    return {"optimizer": run.config.optimizer, "lr": run.config.lr, "step": run.step,
            "train_loss": train, "test_loss": test,
            "gap": None if train is None or test is None else test - train,
            "seconds": run.seconds, "sharpness": sharp["lam_max"] if sharp else None}


def verdict(summaries: list[dict]) -> dict:
    """What a race's table shows, named: (optimizer, value) for the lowest training and test loss,
    the flattest and the sharpest end; and Adam's sharpness over SGDM's (None if not measured)."""
    def pick(key, choose):
        rows = [s for s in summaries if s.get(key) is not None]
        if not rows:
            return None
        best = choose(rows, key=lambda s: s[key])
        return best["optimizer"], best[key]
    sharp = {s["optimizer"]: s["sharpness"] for s in summaries}
    ratio = (sharp["adam"] / sharp["sgdm"] if sharp.get("adam") and sharp.get("sgdm") else None)
    return {"lowest_train": pick("train_loss", min), "lowest_test": pick("test_loss", min),
            "flattest": pick("sharpness", min), "sharpest": pick("sharpness", max),
            "adam_over_sgdm": ratio}


class Race:
    """The page's race as resumable work: the runs of `start`, advanced together up to `steps`
    updates each (a run that diverged stays where it stopped); when every run is done, each
    one's sharpness is measured once, so the verdict can name the flattest and the sharpest."""

    def __init__(self, base: RunConfig, steps: int = RACE_STEPS, lrs: dict = RACE_LRS):
        if not 1 <= steps <= MAX_RACE_STEPS:
            raise ValueError(f"steps: need 1 … {MAX_RACE_STEPS} updates, got {steps}")
        self.seed, self.steps = base.seed, steps
        self.runs = start(base, lrs)
        self.done = False       # every run finished and measured

    @property
    def step(self) -> int:
        """How far the race has got: the furthest run's updates."""
        return max(run.step for run in self.runs)

    def advance(self, n: int) -> bool:
        """Up to n more updates for every run still racing; False once the race is over."""
        for run in self.runs:
            run.advance(max(0, min(n, self.steps - run.step)))
        if not self.done and all(run.stopped or run.step >= self.steps for run in self.runs):
            for run in self.runs:
                if not run.stopped:
                    run.measure_hessian()
            self.done = True
        return not self.done

    def summaries(self) -> list[dict]:
        return [summary(run) for run in self.runs]

"""RunConfig: the one declared list of a run's settings.

Like TensorFlow Playground's state.ts, every setting is declared once, with its type, default and
allowed values. The same declaration drives the defaults, validation (`RunConfig.validate`), the
URL query string (`to_query` / `from_query`) and the panel's widgets, so they can never disagree.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields, replace

from . import optim

DATASETS = ("moons", "circles", "spiral", "xor", "gaussians", "digits", "reg1d", "reg2d", "waves")
REGRESSION_DATASETS = ("reg1d", "reg2d", "waves")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "gelu", "linear")
OPTIMIZERS = tuple(optim.OPTIMIZERS)  # the table of optimizers lives in lib/engine/optim.py
SCHEDULES = optim.SCHEDULES
LOSSES = ("ce", "mse")

# Hard limits: one small shared server hosts a whole class, so nothing a student can set is unbounded.
MAX_STEPS = 200_000
DIGITS_SIZE = 1797  # images in scikit-learn's bundled digits set


def setting(default, *, choices=None, lo=None, hi=None, log=False, group="train"):
    """Declare one setting: a dataclass field whose metadata says how to validate and show it."""
    meta = {"choices": choices, "lo": lo, "hi": hi, "log": log, "group": group}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class RunConfig:
    # data
    dataset: str = setting("moons", choices=DATASETS, group="data")
    noise: float = setting(0.2, lo=0.0, hi=1.0, group="data")
    n_samples: int = setting(400, lo=20, hi=2000, group="data")
    test_fraction: float = setting(0.3, lo=0.1, hi=0.9, group="data")
    # model
    depth: int = setting(2, lo=0, hi=6, group="model")
    width: int = setting(16, lo=1, hi=128, group="model")
    activation: str = setting("tanh", choices=ACTIVATIONS, group="model")
    batch_norm: bool = setting(False, group="model")
    # loss
    loss: str = setting("ce", choices=LOSSES, group="model")
    # optimizer and its hyperparameters (torch.optim's own names)
    optimizer: str = setting("adam", choices=OPTIMIZERS, group="optim")
    lr: float = setting(0.03, lo=1e-5, hi=100.0, log=True, group="optim")
    momentum: float = setting(0.9, lo=0.0, hi=0.999, group="optim")
    beta1: float = setting(0.9, lo=0.0, hi=0.999, group="optim")
    beta2: float = setting(0.999, lo=0.0, hi=0.99999, group="optim")
    alpha: float = setting(0.99, lo=0.0, hi=0.99999, group="optim")
    eps: float = setting(1e-8, lo=1e-12, hi=1.0, log=True, group="optim")
    weight_decay: float = setting(0.0, lo=0.0, hi=1.0, group="optim")
    # learning-rate schedule
    schedule: str = setting("constant", choices=SCHEDULES, group="schedule")
    warmup: int = setting(100, lo=1, hi=MAX_STEPS, group="schedule")
    decay_steps: int = setting(2000, lo=1, hi=MAX_STEPS, group="schedule")
    gamma: float = setting(0.5, lo=0.0, hi=1.0, group="schedule")
    d_model: int = setting(64, lo=1, hi=4096, group="schedule")
    # batches
    batch_size: int = setting(32, lo=1, hi=2000, group="train")
    shuffle: bool = setting(True, group="train")
    seed: int = setting(0, lo=0, hi=2**31 - 1, group="train")
    # how often (in updates) to measure test loss and the Hessian; 0 = never
    eval_every: int = setting(20, lo=1, hi=10_000, group="train")
    hessian_every: int = setting(100, lo=0, hi=100_000, group="train")

    # -- derived ---------------------------------------------------------------------------
    @property
    def task(self) -> str:
        return "regression" if self.dataset in REGRESSION_DATASETS else "classification"

    @property
    def n_points(self) -> int:
        return min(self.n_samples, DIGITS_SIZE) if self.dataset == "digits" else self.n_samples

    @property
    def n_train(self) -> int:
        return self.n_points - n_test(self.n_points, self.test_fraction)

    def validate(self) -> "RunConfig":
        """Raise ValueError naming the field and the allowed values; return self when valid."""
        for f in fields(self):
            check_value(f, getattr(self, f.name))
        if self.batch_size > self.n_train:
            raise ValueError(
                f"batch_size: {self.batch_size} is larger than the training set "
                f"({self.n_train} points); allowed 1 … {self.n_train}")
        if self.batch_norm and self.batch_size < 2:
            # BatchNorm1d cannot normalise one sample: its σ over a batch of one is 0
            raise ValueError(
                "batch_size: batch normalization needs at least 2 samples per batch "
                "(the σ of a single sample is 0); allowed 2 … " + str(self.n_train))
        return self

    def with_(self, **changes) -> "RunConfig":
        return replace(self, **changes)


def n_test(n_samples: int, test_fraction: float) -> int:
    return max(1, int(round(n_samples * test_fraction)))


SETTINGS = {f.name: f for f in fields(RunConfig)}
DEFAULTS = RunConfig()


def check_value(f: dataclasses.Field, value) -> None:
    meta, name = f.metadata, f.name
    kind = type(f.default)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(f"{name}: expected {kind.__name__}, got {value!r}")
    if meta["choices"] is not None and value not in meta["choices"]:
        raise ValueError(f"{name}: unknown value {value!r}; allowed: {', '.join(meta['choices'])}")
    lo, hi = meta["lo"], meta["hi"]
    if lo is not None and value < lo or hi is not None and value > hi:
        if name in ("lr", "batch_size") and value <= 0:
            raise ValueError(f"{name}: must be positive, got {value!r}; allowed {lo} … {hi}")
        raise ValueError(f"{name}: {value!r} is out of range; allowed {lo} … {hi}")


# -- URL query string -------------------------------------------------------------------------
def to_query(config: RunConfig, base: RunConfig = DEFAULTS) -> dict[str, str]:
    """Settings that differ from `base`, as strings, so a shared link stays short."""
    out = {}
    for f in fields(config):
        value = getattr(config, f.name)
        if value != getattr(base, f.name):
            out[f.name] = format_value(value)
    return out


def format_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def from_query(query: dict[str, str], base: RunConfig = DEFAULTS) -> tuple[RunConfig, list[tuple]]:
    """Parse a query string onto `base`. Never raises.

    Returns the config and a list of notes `(kind, key, raw, detail)` for everything dropped or
    clamped, kind one of "unknown", "type", "choice", "clamped", "conflict"; the UI shows them.
    """
    changes, notes = {}, []
    for key, raw in query.items():
        f = SETTINGS.get(key)
        if f is None:
            continue  # other keys (page, lang, ...) belong to the UI; it reports its own unknowns
        value, note = parse_value(f, raw)
        if note:
            notes.append((note[0], key, raw, note[1]))
        if value is not None:
            changes[key] = value
    config = replace(base, **changes)
    fitted = fit_batch(config)
    if fitted.batch_size != config.batch_size:
        notes.append(("clamped", "batch_size", str(config.batch_size), fitted.batch_size))
    return fitted, notes


def fit_batch(config: RunConfig, n_train: int | None = None, bn_floor: bool = True) -> RunConfig:
    """The batch size made to fit the training set (n_train points, default the config's own):
    at most n_train, and (bn_floor) at least 2 with batch norm. The one home of this rule; where
    a student sets a batch of 1 with batch norm, leave bn_floor off so validation explains why
    that cannot train."""
    n = config.n_train if n_train is None else n_train
    size = min(config.batch_size, n)
    if config.batch_norm and bn_floor:
        size = max(size, min(2, n))
    return config if size == config.batch_size else replace(config, batch_size=size)


def parse_value(f: dataclasses.Field, raw: str):
    """Return (value or None, note or None); a note is (kind, detail)."""
    kind, meta = type(f.default), f.metadata
    raw = str(raw).strip()
    try:
        if kind is bool:
            if raw.lower() not in ("1", "0", "true", "false"):
                raise ValueError
            value = raw.lower() in ("1", "true")
        elif kind is int:
            value = int(float(raw)) if raw.lower() not in ("nan", "inf", "-inf") else None
            if value is None:
                raise ValueError
        elif kind is float:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
        else:
            value = raw
    except (ValueError, OverflowError):
        return None, ("type", kind.__name__)
    if meta["choices"] is not None and value not in meta["choices"]:
        return None, ("choice", ", ".join(meta["choices"]))
    lo, hi = meta["lo"], meta["hi"]
    if lo is not None and value < lo:
        return lo, ("clamped", lo)
    if hi is not None and value > hi:
        return hi, ("clamped", hi)
    return value, None

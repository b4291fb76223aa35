"""Optimizers by the lecture's names, and learning-rate schedules.

`OPTIMIZERS` is the one table of optimizers: adding one is a row here plus its strings
(`choice.<name>` and `opt.rule.<name>` / `opt.rel.<name>` in ui/strings; docs/ARCHITECTURE.md).
Settings, the panel's controls and the optimizer race all read it.
`make_optimizer(name, params, lr, **kw)` returns a plain torch.optim optimizer; the keyword
hyperparameters keep torch.optim's own names (momentum, betas, alpha, eps, weight_decay).
"""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field

import torch


@dataclass(frozen=True)
class Optimizer:
    torch_class: type                  # the torch.optim class that does the work
    settings: tuple                    # the RunConfig fields it reads (the panel shows these)
    fixed: dict = field(default_factory=dict)     # arguments it always passes
    defaults: dict = field(default_factory=dict)  # torch-keyword defaults when none are given
    race_lr: float | None = None       # its learning rate in the optimizer race (None: not racing)
    # the update rule's words: ui/strings opt.rule.<name>, and its relation to the lecture opt.rel.<name>


OPTIMIZERS = {
    "sgd": Optimizer(torch.optim.SGD, ("weight_decay",), race_lr=0.1),
    "sgdm": Optimizer(torch.optim.SGD, ("momentum", "weight_decay"), defaults={"momentum": 0.9},
                      race_lr=0.03),
    "nesterov": Optimizer(torch.optim.SGD, ("momentum", "weight_decay"), fixed={"nesterov": True},
                          defaults={"momentum": 0.9}),
    "adagrad": Optimizer(torch.optim.Adagrad, ("eps", "weight_decay"), defaults={"eps": 1e-10},
                         race_lr=0.03),
    "rmsprop": Optimizer(torch.optim.RMSprop, ("alpha", "eps", "weight_decay"),
                         defaults={"alpha": 0.99, "eps": 1e-8}, race_lr=0.003),
    "adam": Optimizer(torch.optim.Adam, ("beta1", "beta2", "eps", "weight_decay"),
                      defaults={"betas": (0.9, 0.999), "eps": 1e-8}, race_lr=0.003),
    "amsgrad": Optimizer(torch.optim.Adam, ("beta1", "beta2", "eps", "weight_decay"),
                         fixed={"amsgrad": True}, defaults={"betas": (0.9, 0.999), "eps": 1e-8},
                         race_lr=0.003),
    "adamw": Optimizer(torch.optim.AdamW, ("beta1", "beta2", "eps", "weight_decay"),
                       defaults={"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01},
                       race_lr=0.003),
}
SCHEDULES = ("constant", "step", "exponential", "warmup_linear", "warmup_cosine", "transformer")


def torch_names(settings: tuple) -> tuple:
    """RunConfig field names → torch.optim keyword names (β₁ and β₂ travel together as betas)."""
    names = []
    for s in settings:
        name = "betas" if s in ("beta1", "beta2") else s
        if name not in names:
            names.append(name)
    return tuple(names)


def make_optimizer(name: str, params, lr: float, **kw) -> torch.optim.Optimizer:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer: unknown value {name!r}; allowed: {', '.join(OPTIMIZERS)}")
    if not lr > 0:
        raise ValueError(f"lr: learning rate must be positive, got {lr!r}")
    spec = OPTIMIZERS[name]
    allowed = torch_names(spec.settings)
    extra = set(kw) - set(allowed)
    if extra:
        raise ValueError(f"{name}: unexpected hyperparameter(s) {', '.join(sorted(extra))}; "
                         f"allowed: {', '.join(allowed)}")
    return spec.torch_class(params, lr=lr, **{**spec.defaults, **kw, **spec.fixed},
                            **one_kernel(spec.torch_class))


def one_kernel(torch_class: type) -> dict:
    """Ask torch for its fused step (one kernel for every parameter: SGD, Adam, AdamW, Adagrad)
    or, where a class has none (RMSprop), its foreach step. The default on CPU is a Python loop
    of several tensor ops per parameter, and on these tiny nets per-op overhead is the cost: an
    Adam step of the Playground's net 279 µs → 92 µs (of a ~750 µs update), and in a class one
    process trains every student on one GIL. Same seed, same numbers; the fused step rounds a
    little differently from the loop (last-bit, tests/test_optim.py)."""
    names = inspect.signature(torch_class).parameters
    return {"fused": True} if "fused" in names else {"foreach": True} if "foreach" in names else {}


def optimizer_kwargs(name: str, config) -> dict:
    """The hyperparameters of `name` taken from a RunConfig, in torch.optim's names."""
    values = {"momentum": config.momentum, "betas": (config.beta1, config.beta2),
              "alpha": config.alpha, "eps": config.eps, "weight_decay": config.weight_decay}
    return {k: values[k] for k in torch_names(OPTIMIZERS[name].settings)}


def uses_setting(optimizer: str, setting: str) -> bool:
    """Does this RunConfig field matter for `optimizer`? (The panel hides the ones that do not.)"""
    return setting in OPTIMIZERS[optimizer].settings


def race_lrs() -> dict:
    """The optimizers that race, each with its own learning rate."""
    return {name: o.race_lr for name, o in OPTIMIZERS.items() if o.race_lr is not None}


# -- learning-rate schedules -------------------------------------------------------------------
def schedule_lr(name: str, t: int, lr: float, warmup: int = 100, decay_steps: int = 2000,
                gamma: float = 0.5, d_model: int = 64) -> float:
    """The learning rate for update number t = 1, 2, 3, …

    constant       lr
    step           lr · γ^⌊(t−1)/decay_steps⌋
    exponential    lr · γ^((t−1)/decay_steps)             (γ per decay_steps, smoothly)
    warmup_linear  lr · t/w for t ≤ w, then lr · max(0, 1 − (t−w)/decay_steps)
    warmup_cosine  lr · t/w for t ≤ w, then lr · ½(1 + cos(π · min(1, (t−w)/decay_steps)))
    transformer    lr · d^−0.5 · min(t^−0.5, t · w^−1.5)   (Vaswani et al.; lr is the factor)
    """
    if name not in SCHEDULES:
        raise ValueError(f"schedule: unknown value {name!r}; allowed: {', '.join(SCHEDULES)}")
    if t < 1:
        raise ValueError(f"t: updates are numbered from 1, got {t}")
    if name == "constant":
        return lr
    if name == "step":
        return lr * gamma ** ((t - 1) // decay_steps)
    if name == "exponential":
        return lr * gamma ** ((t - 1) / decay_steps)
    if name == "transformer":
        return lr * d_model ** -0.5 * min(t ** -0.5, t * warmup ** -1.5)
    if t <= warmup:
        return lr * t / warmup
    progress = (t - warmup) / decay_steps
    if name == "warmup_linear":
        return lr * max(0.0, 1.0 - progress)
    return lr * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


def config_lr(config, t: int) -> float:
    return schedule_lr(config.schedule, t, config.lr, config.warmup, config.decay_steps,
                       config.gamma, config.d_model)

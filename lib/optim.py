"""Optimizers by the lecture's names, and learning-rate schedules.

`make_optimizer(name, params, lr, **kw)` returns a plain torch.optim optimizer; the keyword
hyperparameters keep torch.optim's own names (momentum, betas, alpha, eps, weight_decay).
"""
from __future__ import annotations

import math

import torch

from .settings import OPTIMIZERS, SCHEDULES

# Which hyperparameters each optimizer takes, and the defaults we use when they are not given.
HYPERPARAMS = {
    "sgd": {"weight_decay": 0.0},
    "sgdm": {"momentum": 0.9, "weight_decay": 0.0},
    "nesterov": {"momentum": 0.9, "weight_decay": 0.0},
    "adagrad": {"eps": 1e-10, "weight_decay": 0.0},
    "rmsprop": {"alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0},
    "adam": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
    "amsgrad": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
    "adamw": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01},
}


def make_optimizer(name: str, params, lr: float, **kw) -> torch.optim.Optimizer:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer: unknown value {name!r}; allowed: {', '.join(OPTIMIZERS)}")
    if not lr > 0:
        raise ValueError(f"lr: learning rate must be positive, got {lr!r}")
    allowed = HYPERPARAMS[name]
    extra = set(kw) - set(allowed)
    if extra:
        raise ValueError(f"{name}: unexpected hyperparameter(s) {', '.join(sorted(extra))}; "
                         f"allowed: {', '.join(allowed)}")
    hp = {**allowed, **kw}
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, **hp)
    if name == "sgdm":
        return torch.optim.SGD(params, lr=lr, **hp)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, nesterov=True, **hp)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, **hp)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, **hp)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, **hp)
    if name == "amsgrad":
        return torch.optim.Adam(params, lr=lr, amsgrad=True, **hp)
    return torch.optim.AdamW(params, lr=lr, **hp)


def optimizer_kwargs(name: str, config) -> dict:
    """The hyperparameters of `name` taken from a RunConfig."""
    values = {"momentum": config.momentum, "betas": (config.beta1, config.beta2),
              "alpha": config.alpha, "eps": config.eps, "weight_decay": config.weight_decay}
    return {k: values[k] for k in HYPERPARAMS[name]}


def uses_setting(optimizer: str, setting: str) -> bool:
    """Does this RunConfig field matter for `optimizer`? (The panel hides the ones that do not.)"""
    hp = HYPERPARAMS[optimizer]
    return setting in hp or (setting in ("beta1", "beta2") and "betas" in hp)


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

"""One widget per RunConfig setting, generated from the declared list in lib.engine.settings.

Widgets are keyed `"{ns}:{name}"` and mirror the panel's config: before drawing, the widget
state is set from the config; a change calls back with the setting's name.
"""
from __future__ import annotations

import streamlit as st

from lib.engine.optim import uses_setting
from lib.engine.settings import SETTINGS, RunConfig

from .i18n import t

GROUPS = ("data", "model", "optim", "schedule", "train")
SLIDERS = {"noise": 0.05, "test_fraction": 0.05, "depth": 1, "width": 1, "n_samples": 10}
FORMATS = {"lr": "%.5g", "eps": "%.1e", "momentum": "%.3f", "beta1": "%.3f", "beta2": "%.5f",
           "alpha": "%.5f", "weight_decay": "%.4g", "gamma": "%.3f"}
STEPS = {"lr": 0.001, "momentum": 0.01, "beta1": 0.01, "beta2": 0.001, "alpha": 0.01,
         "eps": 1e-8, "weight_decay": 0.001, "gamma": 0.05}
SCHEDULE_PARAMS = {"warmup": ("warmup_linear", "warmup_cosine", "transformer"),
                   "decay_steps": ("step", "exponential", "warmup_linear", "warmup_cosine"),
                   "gamma": ("step", "exponential"), "d_model": ("transformer",)}


def relevant(name: str, config: RunConfig) -> bool:
    """Hide settings that do nothing for the current choice (e.g. β₂ for plain SGD)."""
    if name in ("momentum", "beta1", "beta2", "alpha", "eps", "weight_decay"):
        return uses_setting(config.optimizer, name)
    if name in SCHEDULE_PARAMS:
        return config.schedule in SCHEDULE_PARAMS[name]
    if name == "loss":
        return config.task == "classification"
    if name == "noise":
        return config.dataset != "digits"
    return True


def widget_key(ns: str, name: str) -> str:
    return f"{ns}:{name}"


def sync(ns: str, config: RunConfig) -> None:
    """Make every widget show the config (after a reset, a preset, a URL or a clamp)."""
    for name in SETTINGS:
        key = widget_key(ns, name)
        if st.session_state.get(key, object()) != getattr(config, name):
            st.session_state[key] = getattr(config, name)


def fallback(current, lo, hi, kind):
    """The widget's own default: the value it shows now, inside its range. A browser that mounts
    a widget with no value of its own for it (and no new value from the server) takes the
    widget's default and sends it back as a change (Streamlit's frontend: its stored state, else
    the element's default). Left at Streamlit's default, the range's low end, that once turned a
    student's learning rate, β's, ε, depth, width and data into their minimums at a click
    (a Step under load, tests/test_browser.py's share test): with the current value, it is no
    change."""
    return min(max(kind(current), kind(lo)), kind(hi))


def fallback_index(current, choices) -> int:
    """fallback for a list of choices: the index of the one shown now (the first if none)."""
    return choices.index(current) if current in choices else 0


def setting_widget(ns: str, name: str, config: RunConfig, on_change, disabled: bool = False,
                   n_train: int | None = None):
    f = SETTINGS[name]
    meta, kind = f.metadata, type(f.default)
    current = getattr(config, name)
    common = dict(key=widget_key(ns, name), help=t(f"help.{name}"), on_change=on_change,
                  args=(name,), disabled=disabled)
    label = t(f"set.{name}")
    if meta["choices"]:
        choices = meta["choices"]
        return st.selectbox(label, choices, fallback_index(current, choices),
                            format_func=lambda v: t(f"choice.{v}"), **common)
    if kind is bool:
        return st.toggle(label, value=bool(current), **common)
    lo, hi = meta["lo"], meta["hi"]
    if name == "batch_size":
        hi = n_train or config.n_train
    if name in SLIDERS:
        return st.slider(label, kind(lo), kind(hi), fallback(current, lo, hi, kind),
                         step=kind(SLIDERS[name]), **common)
    if kind is int:
        return st.number_input(label, int(lo), int(hi), fallback(current, lo, hi, int), step=1, **common)
    return st.number_input(label, float(lo), float(hi), fallback(current, lo, hi, float),
                           step=STEPS.get(name, 0.01), format=FORMATS.get(name, "%g"), **common)


def controls(ns: str, config: RunConfig, on_change, hidden=(), locked=(),
             n_train: int | None = None) -> None:
    """All visible settings, grouped in expanders in the lecture's vocabulary."""
    for group in GROUPS:
        names = [n for n, f in SETTINGS.items() if f.metadata["group"] == group
                 and n not in hidden and relevant(n, config)]
        if not names:
            continue
        with st.expander(t(f"group.{group}"), expanded=group in ("optim", "model")):
            for name in names:
                setting_widget(ns, name, config, on_change, disabled=name in locked, n_train=n_train)

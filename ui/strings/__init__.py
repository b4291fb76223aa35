"""The one table of visible strings, 中文 and English, split into files by page so that each page's
text sits together. `TABLE` merges them; a key defined twice is an error at import time."""
from . import (batch, batch_norm, classification_loss, common, critical_points, guide, home,
               learning_rate, lessons, momentum, optimizers, overfitting, panel)

MODULES = [common, panel, home, guide, critical_points, batch, momentum, learning_rate, batch_norm,
           classification_loss, overfitting, optimizers, lessons]


def merge(modules) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for module in modules:
        for key, pair in module.STRINGS.items():
            if key in table:
                raise KeyError(f"string key {key!r} defined twice (in {module.__name__})")
            table[key] = pair
    return table


TABLE = merge(MODULES)

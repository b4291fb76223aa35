"""Where the edge-of-stability threshold applies.

Gradient descent with step η on a quadratic is stable only while the sharpness λ_max < 2/η. Cohen
et al. ("Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability", ICLR
2021) found full-batch GD's λ_max climbs to 2/η and hovers there. The result is about full-batch
GD with a fixed η: a minibatch step follows a noisy gradient whose sharpness settles below 2/η,
and momentum or Adam have other thresholds, so the line is drawn only where it holds.
"""
from __future__ import annotations


def gd_threshold(config, n_train: int) -> float | None:
    """2/η for full-batch gradient descent with a constant learning rate, else None."""
    full_batch = config.batch_size >= n_train
    plain_gd = config.optimizer == "sgd" and config.schedule == "constant" and config.weight_decay == 0
    return 2.0 / config.lr if full_batch and plain_gd else None

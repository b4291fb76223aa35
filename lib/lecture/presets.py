"""Each page's training setups, in one importable place.

Pages import their preset from here, and so do the claim tests (tests/test_claims_*.py): a test
runs exactly the setup the page shows, never a copy of it.
"""
from __future__ import annotations

from ..engine.settings import RunConfig

# 1 Guide: a shallow vs a deep sigmoid net on circles (the panel compares depth)
GUIDE = RunConfig(dataset="circles", activation="sigmoid", optimizer="sgd", lr=0.5, width=16,
                  depth=1, batch_size=32, hessian_every=100)
# 2 Critical points: a small regression MLP whose every Hessian eigenvalue is computed exactly
CRITICAL_POINTS = RunConfig(dataset="reg1d", n_samples=100, noise=0.1, depth=1, width=6,
                            activation="tanh", loss="mse", optimizer="adam", lr=0.03, batch_size=70,
                            eval_every=10, hessian_every=10)
# … beside the same net with 1 hidden unit: that one ends in a true local minimum (all eigenvalues
# positive), the 6-unit one with many eigenvalues zero by lib.critical.ZERO_TOL (tests/test_claims_critical_points.py)
CRITICAL_POINTS_COMPARE = ("width", (1, 6))
# 3 Batch: the timing model (digits, 2×128) and the live comparison of batch sizes
BATCH_TIMING = RunConfig(dataset="digits", n_samples=1797, depth=2, width=128, optimizer="sgd")
BATCH_NET = RunConfig(dataset="moons", noise=0.25, n_samples=200, depth=2, width=16, optimizer="sgd",
                      lr=0.1, batch_size=14, hessian_every=50)
# 4 Momentum: SGD vs SGD with momentum on a network
MOMENTUM_NET = RunConfig(dataset="moons", noise=0.25, n_samples=300, depth=2, width=16,
                         optimizer="sgd", lr=0.05, momentum=0.9, batch_size=16, hessian_every=50)
# 5 Learning rate: Adam with and without warmup on the spiral
LEARNING_RATE = RunConfig(dataset="spiral", n_samples=400, noise=0.1, depth=3, width=32,
                          optimizer="adam", lr=0.03, schedule="constant", warmup=200,
                          decay_steps=3000, hessian_every=100)
# 6 Batch normalization: a deep sigmoid net with and without BN
BATCH_NORM = RunConfig(dataset="moons", depth=6, width=16, activation="sigmoid", optimizer="sgd",
                       lr=0.5, batch_size=32, hessian_every=100)
# 7 Classification loss: softmax + MSE vs cross-entropy from one bad start
# (η = 0.3: at 0.5 cross-entropy from the bad start bounced without learning in one of seeds 0–4)
CLASSIFICATION_LOSS = RunConfig(dataset="spiral", depth=2, width=16, activation="tanh",
                                optimizer="sgd", lr=0.3, batch_size=32, loss="ce", hessian_every=0)
# 9 Optimizers: the race's shared settings
OPTIMIZER_RACE = RunConfig(dataset="moons", n_samples=300, noise=0.25, depth=2, width=16,
                           batch_size=16, eval_every=20, hessian_every=0)
# 10 Playground: the plain defaults
PLAYGROUND = RunConfig()

# The edge of stability (Playground lesson, step 1): full-batch gradient descent, MSE, on a surface
# the net fits only by sharpening. λ_max starts at about 0.3 · 2/η, climbs to 2/η within about
# 1,500 updates and then hovers there (tests/test_claims_playground.py checks seeds 0–4).
EDGE_OF_STABILITY = RunConfig(dataset="waves", n_samples=366, noise=0.1, depth=2, width=64,
                              activation="tanh", optimizer="sgd", lr=0.02, batch_size=256,
                              hessian_every=20, eval_every=20)


def changes(config: RunConfig, base: RunConfig) -> dict:
    """The settings in which `config` differs from `base` (a lesson step's panel settings)."""
    return {name: value for name, value in vars(config).items() if getattr(base, name) != value}

"""lib.lecture.guide_data's parts; the demos' claims on the page's settings are in test_claims_guide.py."""
import numpy as np
import pytest
import torch

from lib.lecture.guide_data import Polynomial, augment, fit, make_model, noise_floor, overfit_demo, sample, truth


def test_polynomial_features_are_legendre_polynomials():
    x = np.linspace(-1, 1, 9)
    poly = Polynomial(6, torch.Generator().manual_seed(0))
    ours = poly.features(torch.tensor(x, dtype=torch.float64)).numpy()
    assert ours == pytest.approx(np.polynomial.legendre.legvander(x, 6), abs=1e-10)


def test_mirror_augmentation_is_valid_because_the_truth_is_even():
    x, y = sample(7, seed=3)
    xa, ya = augment(x, y, "mirror")
    assert len(xa) == 14 and np.array_equal(xa[7:], -x) and np.array_equal(ya[7:], y)
    assert truth(-x) == pytest.approx(truth(x))
    xj, _ = augment(x, y, "jitter")
    assert len(xj) == 14 and np.abs(xj[7:] - x).max() < 0.3


def test_a_line_trained_by_adam_reaches_the_least_squares_fit():
    x, y = sample(60, seed=5)
    f = fit(x, y, x, y, "line", steps=600, lr=0.05)
    design = np.stack([np.ones_like(x), x], 1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    best = np.mean((design @ coef - y) ** 2)
    assert f.train_loss[-1] == pytest.approx(best, rel=1e-3)
    assert best > 4 * noise_floor()  # a line cannot follow cos(2.5x): model bias


def test_same_seed_same_numbers():
    a = overfit_demo(12, "poly12", "jitter", seed=4, steps=50)[-1]
    b = overfit_demo(12, "poly12", "jitter", seed=4, steps=50)[-1]
    assert a.test_loss == b.test_loss and np.array_equal(a.grid_y, b.grid_y)


@pytest.mark.parametrize("call", [lambda: overfit_demo(1, "mlp", "none"),
                                  lambda: overfit_demo(10, "cubic", "none"),
                                  lambda: overfit_demo(10, "mlp", "rotate"),
                                  lambda: fit([0.0], [0.0], [0.0], [0.0], "line", steps=10**6),
                                  lambda: make_model("tree")])
def test_bad_arguments_raise(call):
    with pytest.raises(ValueError):
        call()

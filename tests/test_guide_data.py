import numpy as np
import pytest
import torch

from lib.guide_data import (Polynomial, augment, fit, make_model, mismatch_demo, noise_floor,
                            overfit_demo, sample, truth)


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


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


def test_few_points_overfit_and_more_data_closes_the_gap():
    *_, few = overfit_demo(10, "mlp", "none", steps=500)
    *_, many = overfit_demo(200, "mlp", "none", steps=500)
    gap_few = few.test_loss[-1] - few.train_loss[-1]
    gap_many = many.test_loss[-1] - many.train_loss[-1]
    assert few.train_loss[-1] < noise_floor() < few.test_loss[-1]
    assert gap_few > 3 * abs(gap_many)


def test_a_constrained_model_and_augmentation_lower_the_test_loss_on_few_points():
    flexible = overfit_demo(10, "mlp", "none", steps=500)[-1].test_loss[-1]
    constrained = overfit_demo(10, "poly4", "none", steps=500)[-1].test_loss[-1]
    augmented = overfit_demo(10, "mlp", "mirror", steps=500)[-1].test_loss[-1]
    assert constrained < flexible and augmented < flexible


def test_mismatch_gap_does_not_close_with_more_data():
    small, large = mismatch_demo([10, 200], steps=300)
    assert large["same"] < small["same"]              # matched test loss falls to the noise floor
    assert large["same"] < 1.5 * noise_floor()
    assert large["shifted"] > 5 * large["same"]       # the shifted one stays far above it
    assert large["shifted"] - large["same"] > 0.5 * (small["shifted"] - small["same"])


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

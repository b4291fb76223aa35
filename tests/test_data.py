import pytest
import torch

from lib.engine.data import grid, make_dataset, relabel
from lib.engine.settings import DATASETS


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_data_and_split(name):
    a = make_dataset(name, 200, 0.2, 0.25, seed=5)
    b = make_dataset(name, 200, 0.2, 0.25, seed=5)
    c = make_dataset(name, 200, 0.2, 0.25, seed=6)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.x_train, c.x_train)
    assert len(a.x_train) + len(a.x_test) == 200 and len(a.x_test) == 50
    assert torch.isfinite(a.x_train).all()


@pytest.mark.parametrize("name", ["moons", "circles", "spiral", "xor", "gaussians"])
def test_two_d_classification_is_balanced_and_two_class(name):
    d = make_dataset(name, 400, 0.1, 0.3, seed=0)
    assert d.task == "classification" and d.n_classes == 2 and d.n_features == 2
    share = torch.cat([d.y_train, d.y_test]).float().mean()
    assert 0.35 < share < 0.65


def test_noise_moves_points():
    clean = make_dataset("moons", 100, 0.0, 0.3, seed=1)
    noisy = make_dataset("moons", 100, 0.5, 0.3, seed=1)
    assert not torch.allclose(clean.x_train, noisy.x_train)


def test_regression_targets_are_columns():
    d = make_dataset("reg1d", 100, 0.1, 0.3, seed=0)
    assert d.task == "regression" and d.y_train.shape == (70, 1) and d.n_outputs == 1
    assert make_dataset("reg2d", 100, 0.1, 0.3, seed=0).n_features == 2


def test_digits_are_the_real_8x8_images():
    d = make_dataset("digits", 5000, 0.0, 0.2, seed=0)
    assert d.n_features == 64 and d.n_classes == 10
    assert len(d.x_train) + len(d.x_test) == 1797
    assert 0.0 <= float(d.x_train.min()) and float(d.x_train.max()) <= 1.0


def test_unknown_dataset_names_the_allowed_ones():
    with pytest.raises(ValueError, match="dataset.*moons"):
        make_dataset("mnist")


def test_grid_covers_the_data():
    d = make_dataset("circles", 100, 0.1, 0.3, seed=0)
    g0, g1, mesh = grid(d.x_train, steps=10)
    assert mesh.shape == (100, 2)
    assert g0[0] < d.x_train[:, 0].min() and g1[-1] > d.x_train[:, 1].max()


def test_relabel_makes_exactly_that_share_of_training_labels_wrong_and_keeps_the_test_set():
    clean = make_dataset("digits", 1797, 0.0, 0.9, seed=3)
    noisy = relabel(clean, 0.2, seed=3)
    changed = noisy.y_train != clean.y_train
    assert int(changed.sum()) == round(0.2 * len(clean.y_train))      # every pick really changes
    assert noisy.y_train.min() >= 0 and noisy.y_train.max() < clean.n_classes
    assert torch.equal(noisy.x_train, clean.x_train)
    assert torch.equal(noisy.y_test, clean.y_test) and torch.equal(noisy.x_test, clean.x_test)
    assert torch.equal(relabel(clean, 0.2, seed=3).y_train, noisy.y_train)   # same seed, same labels
    assert not torch.equal(relabel(clean, 0.2, seed=4).y_train, noisy.y_train)
    assert torch.equal(relabel(clean, 0.0, seed=3).y_train, clean.y_train)
    # wrong labels spread over the other classes, not always the next one
    shifts = ((noisy.y_train - clean.y_train) % 10)[changed]
    assert len(set(shifts.tolist())) > 5


def test_relabel_refuses_regression_and_fractions_outside_0_1():
    with pytest.raises(ValueError, match="label_noise"):
        relabel(make_dataset("reg1d", 50, 0.1, 0.3, seed=0), 0.1, seed=0)
    with pytest.raises(ValueError, match="label_noise"):
        relabel(make_dataset("moons", 50, 0.1, 0.3, seed=0), 1.5, seed=0)

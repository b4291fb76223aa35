import math

import pytest

from lib.lecture.theory import bad_sample_bound, samples_needed


def test_bound_formula():
    assert bad_sample_bound(1, 0, 0.1) == 2.0
    assert bad_sample_bound(10, 100, 0.1) == pytest.approx(10 * 2 * math.exp(-2 * 100 * 0.01))


def test_bound_falls_with_n_and_grows_with_h():
    assert bad_sample_bound(10, 200, 0.1) < bad_sample_bound(10, 100, 0.1)
    assert bad_sample_bound(20, 100, 0.1) == pytest.approx(2 * bad_sample_bound(10, 100, 0.1))


def test_samples_needed_is_the_smallest_n():
    n = samples_needed(100, 0.1, 0.05)
    assert bad_sample_bound(100, n, 0.1) <= 0.05 < bad_sample_bound(100, n - 1, 0.1)


@pytest.mark.parametrize("args", [(0, 10, 0.1), (1, -1, 0.1), (1, 10, 0.0)])
def test_bad_arguments(args):
    with pytest.raises(ValueError):
        bad_sample_bound(*args)

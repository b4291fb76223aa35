"""Batch-size study (lib.batch_study): timing shape, shared start, interpolation end points."""
import math

import pytest
import torch

from lib import batch_study as bs
from lib.settings import RunConfig
from lib.trainer import same_start

SMALL = RunConfig(dataset="moons", n_samples=80, depth=1, width=8, optimizer="sgd", lr=0.2,
                  hessian_every=0)


def test_timing_covers_each_size_and_epoch_time_is_updates_times_update_time():
    rows = bs.time_batches(SMALL, [1, 4, 56], budget_s=0.01, max_updates=5)
    assert [r["batch"] for r in rows] == [1, 4, 56]
    for r in rows:
        assert r["updates_per_epoch"] == math.ceil(SMALL.n_train / r["batch"])
        assert r["update_s"] > 0
        assert r["epoch_s"] == pytest.approx(r["update_s"] * r["updates_per_epoch"])
    with pytest.raises(ValueError, match="batch_size"):
        bs.time_batches(SMALL, [0, 4])
    assert bs.timing_sizes(56) == [1, 2, 4, 8, 16, 32, 56]


def test_study_runs_share_their_start_and_train_equal_epochs():
    start = same_start([SMALL.with_(batch_size=b) for b in (4, 56)])
    results = bs.study(SMALL, [4, 56], epochs=3)
    assert [r.run.step for r in results] == [3 * 14, 3]
    assert results[0].run.data is results[1].run.data
    # the same initial weights as any other same_start of these configs
    for r, ref in zip(results, start):
        assert r.run.model[0].weight.shape == ref.model[0].weight.shape
    assert all(math.isfinite(r.sharpness) for r in results)


def test_sharpness_is_the_top_eigenvalue_of_the_exact_hessian():
    (r,) = bs.study(SMALL, [8], epochs=2)
    run = r.run
    x, y = run.data.x_train, run.data.y_train
    params = [p.detach().clone() for p in run.params]
    names = [n for n, _ in run.model.named_parameters()]

    def loss(*ps):
        out = torch.func.functional_call(run.model, dict(zip(names, ps)), (x,))
        return run.loss_fn(out, y)
    h = torch.func.hessian(loss, argnums=tuple(range(len(params))))(*params)
    n = sum(p.numel() for p in params)
    rows = [torch.cat([h[i][j].reshape(params[i].numel(), -1) for j in range(len(params))], 1)
            for i in range(len(params))]
    dense = torch.cat(rows, 0).reshape(n, n).double()
    assert r.sharpness == pytest.approx(float(torch.linalg.eigvalsh(dense).max()), rel=1e-3)


def test_interpolation_ends_at_the_two_solutions():
    a, b = bs.study(SMALL, [4, 56], epochs=3)
    line = bs.interpolate(a.run, b.run, [0.0, 0.5, 1.0])
    assert line["train_loss"][0] == pytest.approx(a.train_loss, rel=1e-4)
    assert line["train_loss"][-1] == pytest.approx(b.train_loss, rel=1e-4)
    assert line["test_acc"][0] == pytest.approx(a.test_acc)
    assert line["test_acc"][-1] == pytest.approx(b.test_acc)
    other = same_start([SMALL.with_(dataset="circles")])[0]
    with pytest.raises(ValueError, match="share"):
        bs.interpolate(a.run, other, [0.0])

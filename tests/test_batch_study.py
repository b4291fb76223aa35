"""Batch-size study (lib.lecture.batch_study): timing shape, shared start, training to one target loss, the
verdict's rules, interpolation end points, and the page's claim on its own study setup."""
import math
from functools import lru_cache

import pytest
import torch

from claims import claim
from lib.lecture import batch_study as bs
from lib.engine.settings import RunConfig
from lib.engine.data import relabel
from lib.engine.trainer import dataset_for, same_start
from ui.strings import TABLE

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


def test_study_runs_share_their_start_and_each_trains_to_the_target_loss():
    start = same_start([SMALL.with_(batch_size=b) for b in (4, 56)])
    results = bs.study(SMALL, [4, 56], target_loss=0.35)
    assert results[0].run.data is results[1].run.data
    for r, ref in zip(results, start):
        assert r.run.model[0].weight.shape == ref.model[0].weight.shape
        assert r.reached and r.train_loss <= 0.35
        assert r.train_loss == pytest.approx(bs.full_train_loss(r.run))
        assert r.run.step % bs.CHECK_EVERY == 0 and r.run.step > 0
        assert math.isfinite(r.sharpness)
    # the same weights as a fresh same_start before any update
    fresh = same_start([SMALL.with_(batch_size=4)])[0]
    assert torch.equal(fresh.model[0].weight, start[0].model[0].weight)


def test_study_stops_at_the_update_budget_and_says_the_target_was_missed():
    (r,) = bs.study(SMALL, [56], target_loss=1e-6, max_updates=60)
    assert not r.reached and r.run.step == 60
    assert r.row()["reached"] is False and r.row()["updates"] == 60


def test_study_with_label_noise_trains_on_the_wrong_labels_and_tests_on_clean_ones():
    clean = same_start([SMALL])[0].data
    (r,) = bs.study(SMALL, [56], target_loss=10.0, label_noise=0.25)
    assert int((r.run.data.y_train != clean.y_train).sum()) == round(0.25 * SMALL.n_train)
    assert torch.equal(r.run.data.y_test, clean.y_test)


def row(batch, train, test, sharp, reached=True):
    return {"batch": batch, "train_acc": train, "test_acc": test, "sharpness": sharp, "reached": reached}


def test_verdict_says_generalizes_only_when_every_seed_fits_and_the_small_batch_wins_each_time():
    win = [row(4, 1.0, 0.80, 1.0), row(16, 1.0, 0.79, 2.0), row(180, 1.0, 0.77, 3.0)]
    win2 = [row(4, 1.0, 0.75, 1.5), row(16, 1.0, 0.75, 1.2), row(180, 1.0, 0.74, 3.0)]
    v = bs.verdict([win, win2])
    assert v["kind"] == "generalizes" and v["wins"] == 2 and v["seeds"] == 2
    assert v["gap"] == pytest.approx(0.02) and v["small_test"] == pytest.approx(0.775)
    assert v["sharper"] == 1                              # only the first seed rises at every step
    assert (v["small"], v["large"]) == (4, 180)
    loss = [row(4, 1.0, 0.70, 1.0), row(180, 1.0, 0.78, 2.0)]
    assert bs.verdict([win, win2, loss])["kind"] == "no_gap"     # the average flips
    one_loss = [row(4, 1.0, 0.76, 1.0), row(180, 1.0, 0.765, 2.0)]
    assert bs.verdict([win, win2, one_loss])["kind"] == "mixed"  # ahead on average, not every time
    unfit = [row(4, 1.0, 0.80, 1.0), row(180, 0.6, 0.55, 2.0, reached=False)]
    assert bs.verdict([unfit])["kind"] == "optimization"
    tiny = [row(4, 1.0, 0.801, 1.0), row(180, 1.0, 0.80, 2.0)]
    assert bs.verdict([tiny])["kind"] == "no_gap"                # below MIN_GAP
    with pytest.raises(ValueError):
        bs.verdict([])


@lru_cache(maxsize=None)
def page_study(label_noise: float) -> list:
    """The Batch page's own study (digits, trained to one loss) over seeds 0–4, at its smallest
    and its full batch (the page's middle batch is left out to save time)."""
    sizes = [bs.STUDY_BATCHES[0], bs.STUDY_BATCHES[-1]]
    return [[r.row() for r in bs.study(bs.GENERALIZATION.with_(seed=s), sizes, label_noise=label_noise)]
            for s in range(5)]


@claim("batch", 2)
@claim("batch", sentence="batch.s2_text")
@claim("batch", sentence="batch.verdict.generalizes")
@claim("batch", sentence="batch.verdict.sharper")
def test_on_the_pages_study_small_batches_generalize_better_seed_after_seed():
    """With 20 % wrong labels the smallest batch beats the full batch on the clean test set in
    seeds 0–4, having fit the training set as well, and ends in a flatter minimum."""
    for text in TABLE["lesson.batch.2.watch"]:               # the batch the words name
        assert f"batch = {bs.STUDY_BATCHES[0]}" in text or f"batch {bs.STUDY_BATCHES[0]} " in text
    v = bs.verdict(page_study(bs.LABEL_NOISE))
    assert v["kind"] == "generalizes", v
    assert v["sharper"] == 5                                  # and the large batch ends sharper


@claim("batch", 2)
def test_without_wrong_labels_the_gap_all_but_vanishes():
    noisy, clean = bs.verdict(page_study(bs.LABEL_NOISE)), bs.verdict(page_study(0.0))
    assert clean["kind"] != "generalizes", clean
    assert abs(clean["gap"]) < bs.MIN_GAP and abs(clean["gap"]) < 0.5 * noisy["gap"], (clean, noisy)


def test_sharpness_is_the_top_eigenvalue_of_the_exact_hessian():
    (r,) = bs.study(SMALL, [8], target_loss=0.0, max_updates=30)
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
    a, b = bs.study(SMALL, [4, 56], target_loss=0.0, max_updates=40)
    line = bs.interpolate(a.run, b.run, [0.0, 0.5, 1.0])
    assert line["train_loss"][0] == pytest.approx(a.train_loss, rel=1e-4)
    assert line["train_loss"][-1] == pytest.approx(b.train_loss, rel=1e-4)
    assert line["test_acc"][0] == pytest.approx(a.test_acc)
    assert line["test_acc"][-1] == pytest.approx(b.test_acc)
    other = same_start([SMALL.with_(dataset="circles")])[0]
    with pytest.raises(ValueError, match="share"):
        bs.interpolate(a.run, other, [0.0])


def test_timing_in_pieces_measures_each_size_once_in_order():
    timing = bs.Timing(SMALL, [56, 1, 4, 4], budget_s=0.01, max_updates=5)
    assert timing.sizes == [1, 4, 56] and not timing.done
    seen = []
    while timing.advance():
        seen.append(len(timing.rows))
    assert seen == [1, 2] and timing.done and not timing.advance()
    assert [r["batch"] for r in timing.rows] == [1, 4, 56]
    assert all(r["epoch_s"] == pytest.approx(r["update_s"] * r["updates_per_epoch"]) for r in timing.rows)


def test_study_in_pieces_gives_the_numbers_of_the_whole_and_keeps_finished_seeds():
    """However the work is cut (a page's turns of a few milliseconds), each seed's rows are
    those of study() on that seed; stopping between pieces keeps the seeds already finished."""
    whole = [[r.row() for r in bs.study(SMALL.with_(seed=s), [4, 56], target_loss=0.35, label_noise=0.1)]
             for s in (3, 4)]
    pieces = bs.Study(SMALL, [4, 56], seeds=[3, 4], label_noise=0.1, target_loss=0.35)
    fractions, turns = [], 0
    while pieces.advance(0.0):
        turns += 1
        fractions.append(pieces.fraction)
        if turns == 3:  # a page stopped here would show nothing finished, and no line yet
            assert pieces.results == [] and pieces.line is None
    assert pieces.done and pieces.results == whole and turns > 4
    assert all(a <= b for a, b in zip(fractions, fractions[1:])) and pieces.fraction == 1.0
    assert pieces.line["alpha"][0] == bs.ALPHAS[0] and pieces.line["alpha"][-1] == bs.ALPHAS[-1]
    line = bs.interpolate(*[r.run for r in bs.study(SMALL.with_(seed=3), [4, 56], target_loss=0.35,
                                                       label_noise=0.1)], bs.ALPHAS)
    assert pieces.line == line   # the first seed's line
    # a long turn does the same work in fewer pieces
    fast = bs.Study(SMALL, [4, 56], seeds=[3, 4], label_noise=0.1, target_loss=0.35)
    assert not fast.advance(1e9) and fast.results == whole


def test_a_piece_is_a_few_updates_and_the_loss_is_still_checked_every_check_every_updates():
    """Pieces of PIECE_UPDATES (a Stop lands between them) give the runs of training in whole
    CHECK_EVERY chunks with a check after each: the same stopping points, the same weights."""
    seed = bs.SeedStudy(SMALL, [4, 56], target_loss=0.35, label_noise=0.1)
    steps = lambda: sum(r.step for r in seed.runs)  # noqa: E731
    more = True
    while more:
        before = steps()
        more = seed.advance(0.0)
        assert steps() - before <= bs.PIECE_UPDATES
    data = relabel(dataset_for(SMALL), 0.1, SMALL.seed)
    chunks = same_start([SMALL.with_(batch_size=b, eval_every=10_000) for b in (4, 56)], data)
    for run, result in zip(chunks, seed.results):
        while bs.full_train_loss(run) > 0.35 and run.step < bs.MAX_STUDY_UPDATES:
            run.advance(min(bs.CHECK_EVERY, bs.MAX_STUDY_UPDATES - run.step))
        assert run.step == result.run.step and run.step % bs.CHECK_EVERY == 0
        assert all(torch.equal(a, b) for a, b in zip(run.params, result.run.params))


def test_study_bounds_what_a_student_can_ask_for():
    with pytest.raises(ValueError, match="seeds"):
        bs.Study(SMALL, [4, 56], seeds=range(bs.MAX_SEEDS + 1))
    with pytest.raises(ValueError, match="seeds"):
        bs.Study(SMALL, [4, 56], seeds=[])
    with pytest.raises(ValueError, match="label_noise"):
        bs.Study(SMALL, [4, 56], seeds=[0], label_noise=1.0)


def test_same_seed_same_study():
    a = [r.row() for r in bs.study(SMALL, [4, 56], target_loss=0.35, label_noise=0.1)]
    b = [r.row() for r in bs.study(SMALL, [4, 56], target_loss=0.35, label_noise=0.1)]
    assert a == b

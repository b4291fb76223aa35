"""The batch page's lesson steps and sentences on its own setup: the timing model and settings the
page measures with (lib.lecture.presets.BATCH_TIMING, lib.lecture.batch_study), and the live panel's preset
(lib.lecture.presets.BATCH_NET) with lesson steps 3 and 4 applied as ui/lesson.go does, over seeds 0–4.
Step 2's study is checked in tests/test_batch_study.py (registered there)."""
import re
from functools import lru_cache

import numpy as np

import test_batch_study
from claims import claim
from lesson_setup import step_runs
from lib.lecture import batch_study as bs
from lib.lecture import presets
from ui.lessons import LESSONS
from ui.strings import TABLE

# lesson step 2's claim test lives with the study's other tests; importing it registers it
STUDY_CLAIM = test_batch_study.test_on_the_pages_study_small_batches_generalize_better_seed_after_seed
SEEDS = range(5)
NOISY, SHUFFLE_OFF = 3, 4     # the lesson's steps
EPOCHS = 3                    # "per epoch": compare after this many epochs
N_TRAIN = presets.BATCH_NET.n_train


# -- step 1: time per update and per epoch ----------------------------------------------------------
@claim("batch", 1)
@claim("batch", sentence="batch.s1_text")
def test_time_per_update_barely_grows_until_batches_are_large_so_small_batch_epochs_are_slower():
    config = presets.BATCH_TIMING
    rows = {r["batch"]: r for r in bs.time_batches(config, bs.timing_sizes(config.n_train), bs.pick_device(),
                                                   budget_s=bs.TIMING_BUDGET_S,
                                                   max_updates=bs.TIMING_MAX_UPDATES)}
    one, full = rows[1], rows[config.n_train]
    for b in (2, 4, 8, 16, 32):               # 32× the work, hardly more time
        assert rows[b]["update_s"] < 3 * one["update_s"], (b, rows[b], one)
    assert full["update_s"] > 5 * one["update_s"]          # only very large batches cost clearly more
    assert one["epoch_s"] > 5 * full["epoch_s"]            # so an epoch is slower with small batches
    assert one["epoch_s"] > 5 * rows[32]["epoch_s"]


# -- steps 3 and 4: batch 1, medium and full, live ---------------------------------------------------
@lru_cache(maxsize=None)
def live(k, seed):
    """Each run of lesson step k: its per-update losses and its training loss after EPOCHS epochs."""
    out = {}
    for run in step_runs("batch", k, presets.BATCH_NET, seed):
        per_epoch = -(-N_TRAIN // run.config.batch_size)
        run.advance(EPOCHS * per_epoch)
        after = bs.full_train_loss(run)
        # then on, to see the wiggles: batch 1 for 4 epochs, medium for 6, the full batch 140 updates
        b = run.config.batch_size
        run.advance((140 if b == N_TRAIN else (4 if b == 1 else 6) * per_epoch) - run.step)
        out[run.config.batch_size] = {"loss": np.array(run.history.rows()["loss"]), "epochs": after,
                                      "per_epoch": per_epoch, "shuffle": run.config.shuffle}
    return out


def wiggle_repeats(r, epochs) -> list[float]:
    """Correlation of one epoch's loss wiggles (each loss minus its epoch's mean) with the next's."""
    loss = r["loss"][:epochs * r["per_epoch"]].reshape(epochs, r["per_epoch"])
    wiggles = loss - loss.mean(1, keepdims=True)
    return [float(np.corrcoef(a, b)[0, 1]) for a, b in zip(wiggles, wiggles[1:])]


@claim("batch", 3)
@claim("batch", sentence="batch.s3_text")
def test_batch_one_jumps_around_the_full_batch_is_smooth_and_small_batches_get_further_per_epoch():
    sizes = LESSONS["batch"].steps[NOISY - 1].compare[1]
    for text in TABLE["lesson.batch.3.do"]:                     # the sizes the words name
        assert [int(n) for n in re.findall(r"\d+", text)][:2] == list(sizes[:2])
    for seed in SEEDS:
        runs = live(NOISY, seed)
        assert sorted(runs) == [1, 14, N_TRAIN] and all(r["shuffle"] for r in runs.values())
        one, full = runs[1]["loss"][:140], runs[N_TRAIN]["loss"][:140]
        steps_one, steps_full = np.diff(one), np.diff(full)
        assert (steps_one > 0).mean() > 0.3, seed                       # up about as often as down
        assert np.abs(steps_one).mean() > 0.5 * one.mean(), seed        # by jumps the size of the loss
        assert (steps_full > 0).sum() == 0, seed                        # the full batch only goes down
        assert np.abs(steps_full).mean() < 0.05 * full.mean(), seed     # in small, smooth steps
        # per epoch: batch 1 updates 140 times, the full batch once
        assert [runs[b]["per_epoch"] for b in sorted(runs)] == [N_TRAIN, N_TRAIN // 14, 1]
        small = max(runs[1]["epochs"], runs[14]["epochs"])
        assert runs[N_TRAIN]["epochs"] > small + 0.08, (seed, {b: r["epochs"] for b, r in runs.items()})


@claim("batch", 4)
def test_without_shuffling_small_batch_curves_repeat_the_same_wiggles_each_epoch():
    for seed in SEEDS:
        off, on = live(SHUFFLE_OFF, seed), live(NOISY, seed)
        assert not any(r["shuffle"] for r in off.values())
        one, medium = wiggle_repeats(off[1], 4), wiggle_repeats(off[14], 6)
        assert min(one) > 0.7 and np.mean(one) > 0.8, (seed, one)
        assert min(medium[1:]) > 0.9, (seed, medium)          # from the second epoch on
        # with shuffling (step 3) the wiggles do not repeat
        assert abs(np.mean(wiggle_repeats(on[1], 4))) < 0.3, seed
        assert np.mean(wiggle_repeats(on[14], 6)) < 0.6, seed

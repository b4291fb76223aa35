"""Batch (lecture section 3): time per update and per epoch on this machine, what small and large
batches end at (accuracy, sharpness, the 1-D line between them), and batch 1 / medium / full
trained live from one initialization.

The timing and the study are players without buttons of their own (ui/animation.py): each does
one piece of work per turn of the page's one loop and draws its progress, and its own button
starts or stops it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.lecture import batch_study as bs
from lib.lecture import presets
from ui import animation, url
from ui.charts import CHART_HEIGHT, SMALL_CHART_HEIGHT, LiveChart, font_scale
from ui.charts import batch as charts
from ui.i18n import t
from ui.lesson import lesson
from ui.page import end, setup
from ui.panel import panel

NET = "batch_net"
TIMING = "batch:timing"   # the timing's player and its session key
STUDY = "batch:study"     # the study's player and its session key
# Timing: the real 8×8 digits (1,258 training images) and a 2×128 network, big enough for the
# batch's parallel work to show against the fixed cost of an update.
TIMING_SETUP = presets.BATCH_TIMING
# Study: lib.lecture.batch_study.GENERALIZATION (digits, 180 training images of which some are
# mislabelled, one hidden layer, plain SGD), every batch size trained to the same training loss.
STUDY_SETUP = bs.GENERALIZATION
NOISE = url.Control("batch:noise", round(bs.LABEL_NOISE * 100), choices=bs.NOISE_PERCENTS,
                    widget="select_slider", label="batch.study.noise", help="batch.study.noise_help",
                    choice_label="batch.study.noise_pct.")
N_SEEDS = url.Control("batch:n_seeds", 3, lo=1, hi=bs.MAX_SEEDS, widget="number", step=1,
                      label="batch.study.n_seeds", help="batch.study.n_seeds_help")
FIRST_SEED = url.Control("batch:first_seed", 0, lo=0, hi=99, widget="number", step=1,
                         label="batch.study.first_seed", help="batch.study.seed_help")
PRESET = presets.BATCH_NET
LIVE_BATCHES = (1, 14, PRESET.n_train)

setup("batch")
url.controls(NOISE, N_SEEDS, FIRST_SEED)
ss = st.session_state
scale = font_scale()
st.title(t("page.batch"))
lesson("batch")
st.markdown(t("batch.intro"))


# -- 1. time ------------------------------------------------------------------------------------------
def new_timing() -> dict:
    device = bs.pick_device()
    job = bs.Timing(TIMING_SETUP, bs.timing_sizes(TIMING_SETUP.n_train), device,
                    budget_s=bs.TIMING_BUDGET_S, max_updates=bs.TIMING_MAX_UPDATES)
    return {"device": bs.device_name(device), "rows": job.rows, "total": len(job.sizes), "job": job}


def timing_button(start: bool) -> None:
    """Measure again (start) or Stop, as the button said when clicked."""
    if start and not animation.playing(TIMING):
        ss[TIMING] = new_timing()  # measure again from the first size
    animation.set_playing(TIMING, start)


def timing_advance(_seconds: float) -> bool:
    """One batch size per turn (a few hundredths of a second)."""
    job = ss[TIMING]["job"]
    if job is None or not job.advance():
        ss[TIMING]["job"] = None  # done: the model and data go, the rows stay
        return False
    return True


def draw_timing() -> None:
    timing = ss[TIMING]
    rows, total = timing["rows"], timing["total"]
    time_metric.metric(t("batch.time.metric"), f"{len(rows)} / {total}")
    if animation.playing(TIMING):
        time_bar.progress(len(rows) / total, text=t("batch.time.progress"))
    elif len(rows) < total:
        time_bar.warning(t("batch.time.stopped", done=len(rows), total=total))
    else:
        time_bar.empty()
    update_chart.draw(update_slot, **charts.time_data(rows, "update_s"))
    epoch_chart.draw(epoch_slot, **charts.time_data(rows, "epoch_s"))
    if len(rows) == total:
        first, last = rows[0], rows[-1]
        time_caption.caption(t("batch.time.summary", device=timing["device"], n=TIMING_SETUP.n_train,
                               u1=first["update_s"] * 1e3, un=last["update_s"] * 1e3, bn=last["batch"],
                               e1=first["epoch_s"] * 1e3, en=last["epoch_s"] * 1e3))
    else:
        time_caption.empty()


st.header(t("batch.s1"))
st.markdown(t("batch.s1_text"))
if TIMING not in ss:  # the first visit measures once, through the page's loop (the page draws first)
    ss[TIMING] = new_timing()
    animation.play(TIMING)
animation.player(TIMING, advance=timing_advance, draw=draw_timing, buttons=False, per_frame=False,
                 fps=10)
measuring = animation.playing(TIMING)
b1, b2, _ = st.columns([1.2, 1.2, 2.6])
b1.button(t("batch.time.stop") if measuring else t("batch.time.again"), key="batch:time_again",
          on_click=timing_button, args=(not measuring,), width="stretch",
          icon=":material/stop:" if measuring else ":material/timer:")
time_metric, time_bar = b2.empty(), st.empty()
device = ss[TIMING]["device"]
update_chart = LiveChart("batch:time_update", charts.time_spec(
    t("batch.time.update_title"), device, t("batch.axis.batch"), t("batch.axis.ms"), scale),
    height=SMALL_CHART_HEIGHT)
epoch_chart = LiveChart("batch:time_epoch", charts.time_spec(
    t("batch.time.epoch_title"), device, t("batch.axis.batch"), t("batch.axis.ms"), scale),
    height=SMALL_CHART_HEIGHT)
c1, c2 = st.columns(2)
update_slot, epoch_slot, time_caption = c1.empty(), c2.empty(), st.empty()
draw_timing()


# -- 2. where small and large batches end -------------------------------------------------------------
def study_button(start: bool) -> None:
    """Train and compare (start) or Stop, as the button said when clicked: a Stop that arrives
    after the study finished by itself keeps its seeds, it does not start a new study."""
    if start and not animation.playing(STUDY):  # a new study: the finished seeds of the last one make way
        first = int(ss[FIRST_SEED.key])
        ss[STUDY] = bs.Study(STUDY_SETUP, bs.STUDY_BATCHES, range(first, first + int(ss[N_SEEDS.key])),
                             label_noise=ss[NOISE.key] / 100)
    animation.set_playing(STUDY, start)


def study_advance(seconds: float) -> bool:
    study = ss.get(STUDY)
    return study is not None and study.advance(seconds)


def verdict_lines(v: dict) -> list[str]:
    """Say only what these numbers show."""
    nums = dict(small=v["small"], large=v["large"], ts=v["small_test"], tl=v["large_test"],
                rs=v["small_train"], rl=v["large_train"], seeds=v["seeds"], wins=v["wins"],
                gap=v["gap"] * 100, target=bs.TARGET_LOSS)
    out = [t(f"batch.verdict.{v['kind']}", **nums)]
    if v["sharper"]:
        out.append(t("batch.verdict.sharper", n=v["sharper"], seeds=v["seeds"], small=v["small"],
                     large=v["large"], ls=v["small_sharp"], ll=v["large_sharp"]))
    else:
        out.append(t("batch.verdict.not_sharper"))
    return out


def draw_results(study) -> None:
    """The finished seeds: the table, what they show, test accuracy per seed, Keskar's line."""
    results = study.results
    rows = pd.DataFrame([dict(r, seed=seed) for seed, rs in zip(study.seeds, results) for r in rs])
    with study_out.container():
        st.caption(t("batch.study.table", seeds=len(results), noise=study.label_noise * 100,
                     target=bs.TARGET_LOSS))
        by = rows.groupby("batch", sort=False)
        st.dataframe(pd.DataFrame({
            t("batch.col.batch"): list(by.groups),
            t("batch.col.updates"): by["updates"].mean().round().astype(int).values,
            t("batch.col.train_acc"): (by["train_acc"].mean() * 100).round(1).values,
            t("batch.col.test_acc"): (by["test_acc"].mean() * 100).round(1).values,
            t("batch.col.sharpness"): by["sharpness"].mean().round(3).values,
            t("batch.col.reached"): [f"{int(g.sum())}/{len(g)}" for _, g in by["reached"]]}),
            hide_index=True, width="stretch")
        for line in verdict_lines(bs.verdict(results)):
            st.info(line)
        left, right = st.columns(2)
        seeds_chart.draw(left, **charts.seeds_data(study.seeds, results))
        keskar_chart.draw(right, **charts.keskar_data(study.line))
        small, large = study.batch_sizes[0], study.batch_sizes[-1]
        st.caption(t("batch.line.caption", small=small, large=large, seed=study.seeds[0]))


def draw_study() -> None:
    study = ss.get(STUDY)
    if study is None:
        study_metric.metric(t("batch.study.metric"), f"0 / {int(ss[N_SEEDS.key])}")
        study_bar.empty()
        study_out.info(t("batch.study.none"))
        return
    done, total = len(study.results), len(study.seeds)
    study_metric.metric(t("batch.study.metric"), f"{done} / {total}")
    if animation.playing(STUDY):
        study_bar.progress(study.fraction, text=t("batch.study.progress", done=done, total=total,
                                                  seed=study.current_seed))
    elif done < total:
        study_bar.warning(t("batch.study.stopped", done=done, total=total))
    else:
        study_bar.empty()
    if done != shown["results"]:  # a seed finished (or a new study began): redraw its results
        shown["results"] = done
        if done:
            draw_results(study)
        else:
            study_out.info(t("batch.study.running" if animation.playing(STUDY) else "batch.study.none"))


st.header(t("batch.s2"))
st.markdown(t("batch.s2_text", sizes=", ".join(map(str, bs.STUDY_BATCHES)), n=STUDY_SETUP.n_train,
              n_test=STUDY_SETUP.n_points - STUDY_SETUP.n_train, target=bs.TARGET_LOSS))
animation.player(STUDY, advance=study_advance, draw=draw_study, buttons=False, per_frame=False, fps=5)
studying = animation.playing(STUDY)
s1, s2, s3, s4 = st.columns([1.3, 1, 1, 1.2])
NOISE.show(s1, disabled=studying)
N_SEEDS.show(s2, disabled=studying)
FIRST_SEED.show(s3, disabled=studying)
s4.write("")
s4.button(t("batch.study.stop") if studying else t("batch.study.run"), key="batch:run_study",
          on_click=study_button, args=(not studying,), type="primary", width="stretch",
          icon=":material/stop:" if studying else ":material/science:")
m1, m2 = st.columns([1, 3])
study_metric, study_bar, study_out = m1.empty(), m2.empty(), st.empty()
seeds_chart = LiveChart("batch:seeds", charts.seeds_spec(
    t("batch.seeds.title"), t("batch.col.batch"), t("batch.col.test_acc"), t("batch.study.seed"), scale),
    height=CHART_HEIGHT)
keskar_chart = LiveChart("batch:line", charts.keskar_spec(
    t("batch.line.title", small=bs.STUDY_BATCHES[0], large=bs.STUDY_BATCHES[-1]), t("batch.line.alpha"),
    t("chart.loss"), t("chart.series"), t("batch.line.train"), t("batch.line.test"), scale),
    height=CHART_HEIGHT, static=charts.KESKAR_ENDS)
shown = {"results": None}  # how many finished seeds the page shows in this script run
draw_study()


# -- 3. live: batch 1, medium, full from one initialization -----------------------------------------------
live_charts: dict[tuple, LiveChart] = {}  # this script run's epoch chart, by the runs' names


def on_frame(state) -> None:
    """Every frame of the panel, below its charts: the same runs' loss against epochs."""
    names = tuple(label or t("chart.train") for label in state.labels)
    if names not in live_charts:
        live_charts[names] = LiveChart("batch:epochs", charts.epoch_spec(
            t("batch.live.epoch_title"), t("batch.axis.epoch"), t("chart.loss"), t("chart.series"),
            names, scale), height=CHART_HEIGHT)
    live_charts[names].draw(st, **charts.epoch_data(state.runs))


st.header(t("batch.s3"))
st.markdown(t("batch.s3_text", sizes=", ".join(map(str, LIVE_BATCHES)), n=PRESET.n_train))
panel(NET, preset=PRESET, on_frame=on_frame, compare_preset=("batch_size", LIVE_BATCHES),
      landscape=True)
end()

"""The training panel every page shares: controls, Play/Pause/Step/Reset, the Step metric, charts.

State lives in st.session_state under the page's namespace `ns` (never in st.cache_resource: that
object is shared by every student on the server). While playing, the script loops: train a few
updates, overwrite the placeholders, repeat. A widget click reruns the script, which interrupts
the loop; the callbacks change the state, and the new run of the script resumes the loop from
session_state, so nothing is lost (DESIGN.md: ~20 redraws/s this way, 2–4 with run_every).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st

from lib.settings import SETTINGS, RunConfig, fit_batch, format_value, parse_value
from lib.stability import gd_threshold
from lib.trainer import advance_all, same_start
from lib.upload import UploadError, read_csv

from . import animation, charts, pacing, url
from .controls import controls, sync
from .export import export_section
from .i18n import t

MAX_FPS = 20              # frames beyond what the browser can paint only cost it CPU (2 cores)
IDLE_SECONDS = 600        # a run playing this long without a click pauses: tabs left open in a
                          # lecture hall should not keep a shared server busy
SLOW_SECONDS = 0.4        # decision regions (the heaviest chart), Hessian charts, other metrics
SLOW_EVERY = 3            # …and at most every third frame, when a busy server sends few frames
MAX_RUNS = 4
NO_COMPARE = "none"     # cmp=none in a link: compare mode off, though the page starts with it on
COMPARABLE = ("optimizer", "lr", "batch_size", "batch_norm", "loss", "momentum", "schedule",
              "activation", "shuffle", "depth", "width", "weight_decay")


@dataclass
class PanelState:
    preset: RunConfig
    config: RunConfig
    runs: list = field(default_factory=list)
    labels: list = field(default_factory=lambda: [""])
    compare_field: str | None = None
    compare_values: tuple = ()
    preset_compare: tuple | None = None  # the comparison the setup starts with
    playing: bool = False
    message: tuple | None = None   # (kind, string key, fmt) shown once
    updates_per_frame: int = 10
    speed: float = 0.0             # measured updates per second while playing
    last_click: float = 0.0        # time.monotonic() of the last interaction (for IDLE_SECONDS)
    own_data: object = None        # a Dataset from the student's CSV, kept in this session only
    own_data_name: str = ""
    upload_error: tuple | None = None  # (string key, details) of the last rejected file

    @property
    def n_train(self) -> int:
        return len(self.own_data.x_train) if self.own_data is not None else self.config.n_train

    def configs(self) -> list[RunConfig]:
        if not self.compare_field or not self.compare_values:
            return [self.config]
        return [self.config.with_(**{self.compare_field: v}) for v in self.compare_values]


def get_state(ns: str, preset: RunConfig, compare_preset: tuple | None = None) -> PanelState:
    """The panel's state, made on first use from the page's preset and comparison (or the setup
    a lesson step gave with `use_setup`), with the link's settings on top."""
    key = f"{ns}:panel"
    if key not in st.session_state:
        preset, compare_preset = st.session_state.pop(f"{ns}:setup", (preset, compare_preset))
        config, ui_keys, notes = url.read(preset)
        state = PanelState(preset=preset, config=config, preset_compare=compare_preset)
        if compare_preset:
            state.compare_field, state.compare_values = compare_preset[0], tuple(compare_preset[1])
        if notes:
            st.session_state[f"{ns}:url_notes"] = notes
        field_name, raw = ui_keys.get("cmp"), ui_keys.get("cmpv")
        if field_name == NO_COMPARE:
            state.compare_field, state.compare_values = None, ()
        elif field_name in COMPARABLE and raw:
            values, _ = parse_compare(field_name, raw)
            state.compare_field, state.compare_values = field_name, tuple(values)
        st.session_state[key] = state
        rebuild(state)
    return st.session_state[key]


def use_setup(ns: str, preset: RunConfig, compare: tuple | None = None, message: tuple | None = None,
              replace: bool = True) -> None:
    """Give the panel `ns` a new starting setup (a lesson step does this): settings and comparison.

    Before the panel exists this is what it will start from (the link's settings then go on top of
    it); afterwards, unless replace=False, it replaces the panel's runs with fresh ones."""
    state = st.session_state.get(f"{ns}:panel")
    if state is None:
        st.session_state[f"{ns}:setup"] = (preset, compare)
        return
    if not replace:
        return
    state.preset, state.preset_compare, state.config = preset, compare, preset
    state.compare_field, state.compare_values = (compare[0], tuple(compare[1])) if compare else (None, ())
    rebuild(state)
    state.message = message


def compare_query(state: PanelState) -> dict:
    """The comparison as the link's cmp/cmpv; 'cmp=none' when one the setup starts with is off."""
    if state.compare_field:
        return {"cmp": state.compare_field, "cmpv": ",".join(format_value(v) for v in state.compare_values)}
    return {"cmp": NO_COMPARE} if state.preset_compare else {}


def rebuild(state: PanelState) -> None:
    """Start over: fresh runs from the config (same seed, same start)."""
    state.playing = False
    try:
        state.runs = same_start(state.configs(), state.own_data)
    except ValueError as err:  # a compare value that does not fit (e.g. batch above the data)
        state.compare_field, state.compare_values = None, ()
        state.runs = same_start([state.config], state.own_data)
        state.message = ("error", "bad_setting", {"error": str(err)})
    state.labels = [label_for(state.compare_field, v) for v in state.compare_values] or [""]


def label_for(name: str | None, value) -> str:
    if name is None:
        return ""
    if SETTINGS[name].metadata["choices"] or isinstance(value, bool):
        shown = t(f"choice.{str(value).lower()}")
    else:
        shown = format_value(value)
    return f"{t('set.' + name)} = {shown}"


def parse_compare(name: str, raw: str):
    """'0.01, 0.1, 1' → values of the setting's type; bad ones become notes."""
    values, notes = [], []
    for part in str(raw).split(","):
        part = part.strip()
        if not part:
            continue
        value, note = parse_value(SETTINGS[name], part)
        if value is None or (note and note[0] != "clamped"):
            notes.append(t("compare.bad_value", raw=part, error=note[1] if note else ""))
            continue
        if value not in values:
            values.append(value)
    if len(values) > MAX_RUNS:
        notes.append(t("compare.too_many"))
        values = values[:MAX_RUNS]
    return values, notes


# -- callbacks (run before the script, so the page draws the new state) -----------------------------
def on_setting(ns: str, name: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    state.last_click = time.monotonic()
    value = st.session_state[f"{ns}:{name}"]
    config = state.config.with_(**{name: value})
    n_train = len(state.own_data.x_train) if state.own_data is not None else config.n_train
    config = fit_batch(config, n_train, bn_floor=False)  # fewer samples: the batch shrinks
    try:
        config.validate()
    except ValueError as err:
        state.message = ("error", "bad_setting", {"error": str(err)})
        return
    state.config = config
    live = all(run.reconfigure(c) for run, c in zip(state.runs, state.configs()))
    if live:
        state.message = ("info", "applied.live", {"step": state.runs[0].step})
    else:
        playing = state.playing
        rebuild(state)
        state.playing = playing
        state.message = ("warning", "applied.reset", {})


def on_upload(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    file = st.session_state.get(f"{ns}:upload")
    if file is None:
        return
    try:
        data = read_csv(file.getvalue(), state.config.test_fraction, state.config.seed)
    except UploadError as err:  # shown beside the uploader until the next file
        state.upload_error = (f"upload.{err.code}", err.details)
        return
    state.upload_error = None
    state.own_data, state.own_data_name = data, file.name
    state.config = fit_batch(state.config, len(data.x_train))
    rebuild(state)
    state.message = ("success", "upload.ok", {"name": file.name, "train": len(data.x_train),
                                              "test": len(data.x_test)})


def on_builtin_data(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    state.own_data, state.own_data_name = None, ""
    state.config = fit_batch(state.config)
    rebuild(state)


def own_data_section(ns: str, state: PanelState) -> None:
    with st.expander(t("upload.title"), expanded=state.own_data is not None):
        if state.own_data is not None:
            st.info(t("upload.using", name=state.own_data_name, train=len(state.own_data.x_train),
                      test=len(state.own_data.x_test)))
            st.button(t("upload.builtin"), key=f"{ns}:builtin", on_click=on_builtin_data, args=(ns,))
        st.caption(t("upload.help"))
        if state.upload_error:
            key, details = state.upload_error
            st.error(t(key, **details))
        st.file_uploader(t("upload.label"), type=["csv"], key=f"{ns}:upload",
                         on_change=on_upload, args=(ns,))


def on_play(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    state.last_click = time.monotonic()
    state.playing = not state.playing and not all(r.stopped for r in state.runs)


def on_step(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    state.playing = False
    advance_all(state.runs, 1)


def on_reset(ns: str) -> None:
    rebuild(st.session_state[f"{ns}:panel"])


def on_compare(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    on = st.session_state.get(f"{ns}:compare_on", False)
    name = st.session_state.get(f"{ns}:compare_field", COMPARABLE[0])
    if not on:
        state.compare_field, state.compare_values = None, ()
    else:
        choices = SETTINGS[name].metadata["choices"]
        if choices:
            values = list(st.session_state.get(f"{ns}:compare_choices") or [])
            notes = []
            if len(values) > MAX_RUNS:
                values, notes = values[:MAX_RUNS], [t("compare.too_many")]
        elif isinstance(SETTINGS[name].default, bool):
            values, notes = [False, True], []
        else:
            values, notes = parse_compare(name, st.session_state.get(f"{ns}:compare_text", ""))
        state.compare_field, state.compare_values = name, tuple(values)
        if notes:
            state.message = ("warning", "bad_setting", {"error": " ".join(notes)})
    rebuild(state)


# -- drawing -------------------------------------------------------------------------------------------
def panel(ns: str, preset: RunConfig = RunConfig(), hidden=(), locked=(), on_frame=None,
          compare: bool = True, compare_preset: tuple | None = None,
          own_data: bool = False) -> PanelState:
    """Draw the panel for page namespace `ns` and, while playing, train live.

    preset:         the page's starting settings (the URL only stores what differs from it)
    hidden, locked: names of settings to hide, or to show disabled
    on_frame:       on_frame(state) draws a page's own live content; called every frame inside
                    a container below the charts (state.runs, state.labels are the runs)
    compare:        offer compare mode; compare_preset = (setting, values) starts in it, e.g.
                    ("batch_size", (1, 32, 280)) — runs share data and initial weights
    own_data:       offer a CSV upload of the student's own data (the Playground)
    """
    state = get_state(ns, preset, compare_preset)
    notes = st.session_state.get(f"{ns}:url_notes")
    if notes:
        st.warning(t("url.note_title") + "\n\n" + "\n".join(f"- {n}" for n in notes))

    buttons(ns, state)
    show_message(state)
    metrics_slot = [col.empty() for col in st.columns(6)]  # made once: cheap to update per frame
    left, right = st.columns([1, 2.8], gap="medium")
    query = url.write(state.config, state.preset, compare_query(state))
    with left:
        sync(ns, state.config)
        if state.own_data is not None:  # the uploaded file replaces the data settings
            hidden = (*hidden, "dataset", "noise", "n_samples", "test_fraction")
        controls(ns, state.config, lambda name: on_setting(ns, name), hidden, locked,
                 n_train=state.n_train)
        if own_data:
            own_data_section(ns, state)
        if compare:
            compare_controls(ns, state, hidden, locked)
        export_section(ns, state, query)
    with right:
        slots = layout(state)
        extra = st.empty() if on_frame else None
    draw(state, metrics_slot, slots, extra, on_frame, slow=True)
    if state.playing:
        play(state, metrics_slot, slots, extra, on_frame)
    return state


def buttons(ns: str, state: PanelState) -> None:
    animation.buttons(ns, state.playing, lambda: on_play(ns), lambda: on_step(ns),
                      lambda: on_reset(ns))


def show_message(state: PanelState) -> None:
    if state.message:
        kind, key, fmt = state.message
        getattr(st, kind)(t(key, **fmt))
        state.message = None
    for run, label in zip(state.runs, state.labels):
        if run.stopped:
            text = t(f"stopped.{run.stopped}", step=run.step)
            st.error(f"{label}: {text}" if label else text)


def compare_controls(ns: str, state: PanelState, hidden, locked) -> None:
    fields_ok = [n for n in COMPARABLE if n not in hidden and n not in locked]
    on_key, field_key = f"{ns}:compare_on", f"{ns}:compare_field"
    st.session_state[on_key] = state.compare_field is not None
    if state.compare_field:
        st.session_state[field_key] = state.compare_field
    with st.expander(t("compare.on"), expanded=state.compare_field is not None):
        st.toggle(t("compare.on"), key=on_key, on_change=on_compare, args=(ns,),
                  help=t("help.compare"))
        if not st.session_state[on_key]:
            return
        name = st.selectbox(t("compare.field"), fields_ok, key=field_key,
                            format_func=lambda n: t(f"set.{n}"), on_change=on_compare, args=(ns,))
        choices = SETTINGS[name].metadata["choices"]
        if choices:
            key = f"{ns}:compare_choices"
            st.session_state[key] = [v for v in state.compare_values if v in choices]
            st.multiselect(t("compare.values"), choices, key=key, max_selections=MAX_RUNS,
                           format_func=lambda v: t(f"choice.{v}"), on_change=on_compare, args=(ns,))
        elif not isinstance(SETTINGS[name].default, bool):
            key = f"{ns}:compare_text"
            st.session_state[key] = ", ".join(format_value(v) for v in state.compare_values)
            st.text_input(t("compare.values"), key=key, help=t("compare.values_help"),
                          on_change=on_compare, args=(ns,))


def layout(state: PanelState) -> dict:
    two_d = state.runs[0].data.task == "classification" and state.runs[0].data.n_features == 2
    top = st.columns([3, 2]) if two_d else [st.container()]
    slots = {"loss": top[0].empty(), "regions": top[1].empty() if two_d else None}
    bottom = st.columns(2)
    slots["eig"], slots["density"] = bottom[0].empty(), bottom[1].empty()
    return slots


def draw(state: PanelState, metrics_slot, slots, extra, on_frame, slow: bool,
         hessian: bool = True) -> None:
    """One frame. Every message to the browser costs it a redraw, so the Step metric and the loss
    chart go every frame, the Hessian charts when there is a new measurement, and the `slow`
    parts (decision regions, the other metrics) a few times a second."""
    runs, labels = state.runs, state.labels
    draw_metrics(state, metrics_slot, everything=slow)
    slots["loss"].vega_lite_chart(
        charts.loss_frame(runs, labels, t("chart.train"), t("chart.test")),
        charts.loss_spec(t("chart.updates"), t("chart.loss"), t("chart.series"), t("chart.loss_title")),
        width="stretch")
    if hessian:
        draw_hessian(state, slots)
    if slow and slots["regions"] is not None:
        slots["regions"].vega_lite_chart(
            charts.regions_frame(runs[0]),
            charts.regions_spec(t("chart.regions_title"), t("chart.p1"), t("chart.class")),
            width="stretch")
    if on_frame:
        with extra.container():
            on_frame(state)


def draw_hessian(state: PanelState, slots) -> None:
    runs, labels = state.runs, state.labels
    if not any(r.config.hessian_every for r in runs):
        slots["eig"].info(t("chart.no_hessian"))
        slots["density"].empty()
        return
    names = {"lam_min": t("chart.lam_min"), "lam_max": t("chart.lam_max"), "eos": t("chart.eos")}
    eos = [gd_threshold(r.config, len(r.data.x_train)) for r in runs]
    slots["eig"].vega_lite_chart(
        charts.eig_frame(runs, labels, names, eos),
        charts.eig_spec(t("chart.updates"), t("chart.eigenvalue"), t("chart.series"), t("chart.eig_title")),
        width="stretch")
    slots["density"].vega_lite_chart(
        charts.density_frame(runs, labels),
        charts.density_spec(t("chart.eigenvalue"), t("chart.weight"), t("chart.series"),
                            t("chart.density_title")),
        width="stretch")


def draw_metrics(state: PanelState, slots: list, everything: bool = True) -> None:
    run = state.runs[0]
    last = run.evals.last or {}
    slots[0].metric(t("metric.step"), run.step)
    if not everything:
        return
    slots[1].metric(t("metric.epoch"), run.epoch)
    slots[2].metric(t("metric.train_loss"), fmt(run.history.last["loss"] if run.history.last else None))
    slots[3].metric(t("metric.test_loss"), fmt(last.get("test_loss")))
    if run.data.task == "classification":
        acc = last.get("test_acc")
        slots[4].metric(t("metric.test_acc"), "—" if acc is None else f"{acc:.0%}")
    slots[5].metric(t("metric.speed"), f"{state.speed:,.0f}" if state.playing else "—")


def fmt(x) -> str:
    return "—" if x is None else f"{x:.3g}"


def play(state: PanelState, metrics_slot, slots, extra, on_frame) -> None:
    """Train and redraw until paused (a click reruns the script and ends this loop) or stopped.
    ui.pacing shares the server: the loop trains in turns and draws when a frame is due."""
    pacer = pacing.Pacer(MAX_FPS)
    last_slow, frames_since_slow = time.perf_counter(), 0
    seen = hessian_marks(state)
    window_start, window_updates = time.perf_counter(), 0
    cost = 0.0
    if not state.last_click:  # started by a page rather than the Play button
        state.last_click = time.monotonic()
    pacer.framed()  # the page has just drawn the panel
    while state.playing:
        with pacer.turn():
            now = time.perf_counter()
            if pacer.frame_due():
                # the heavy parts every SLOW_SECONDS, and under load (few frames) every few frames
                slow = now - last_slow > SLOW_SECONDS and frames_since_slow >= SLOW_EVERY
                frames_since_slow += 1
                if slow:
                    last_slow, frames_since_slow = now, 0
                marks = hessian_marks(state)
                new_hessian = slow and marks != seen  # new measurements, shown at the slow pace
                pacer.framed()
                draw(state, metrics_slot, slots, extra, on_frame, slow, hessian=new_hessian)
                if new_hessian:
                    seen = marks
            if cost:  # aim the turn's training at the pacer's time, whatever an update costs
                state.updates_per_frame = max(1, min(5000, int(pacer.train_seconds / cost)))
            cpu = time.thread_time()  # CPU, not wall time: other sessions stretch wall time
            before = sum(r.step for r in state.runs)
            advance_all(state.runs, state.updates_per_frame)
            spent = time.thread_time() - cpu
            taken = (sum(r.step for r in state.runs) - before) // len(state.runs)
            if taken:  # smoothed: evaluations and Hessian measurements come every so often
                cost = 0.7 * cost + 0.3 * spent / taken if cost else spent / taken
            window_updates += taken
            now = time.perf_counter()
            if now - window_start > 0.5:
                state.speed = window_updates / (now - window_start)
                window_start, window_updates = now, 0
            if all(r.stopped for r in state.runs):
                state.playing = False
                st.rerun()  # redraw buttons and the divergence message
            if time.monotonic() - state.last_click > IDLE_SECONDS:
                state.playing = False
                state.message = ("info", "paused.idle", {"minutes": IDLE_SECONDS // 60})
                st.rerun()


def hessian_marks(state: PanelState) -> list:
    """The step of each run's latest Hessian measurement: a change means new charts to draw."""
    return [(r.curvature.last or {}).get("step") for r in state.runs]

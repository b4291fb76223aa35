"""The training panel every page shares: controls, Play/Pause/Step/Reset, the Step metric, charts.

State lives in st.session_state under `{ns}:panel` (never in st.cache_resource: that object is
shared by every student on the server); other components reach it only through the functions
here (`use_setup`, `get_state`). The panel is a player of ui/animation.py: while it plays, the
page's one loop trains the runs in turns and, when a frame is due, draws one frame: the Step
metric, the loss, λ_min and λ_max measured at that very frame (warm-started Lanczos,
lib/engine/hessian.py), the sharpness meter, and a few times a second the heavier parts
(docs/ARCHITECTURE.md, "the life of a frame").
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st

from lib.engine.settings import SETTINGS, RunConfig, fit_batch, format_value, parse_value
from lib.engine.landscape import Landscape
from lib.engine.trainer import advance_all, same_start
from lib.engine.upload import UploadError, read_csv

from . import animation, pacing, url
from .charts import CHART_HEIGHT, LiveChart, SMALL_CHART_HEIGHT, font_scale
from .charts import landscape as scape, meter
from .charts.training import PanelCharts, Words, density_data, eig_data, loss_data, regions_data
from .controls import controls, fallback_index, sync
from .export import export_section
from .i18n import t
from .strings import TABLE

MAX_FPS = 20              # frames beyond what the browser can paint only cost it CPU (2 cores)
SLOW_SECONDS = 0.4        # decision regions (the heaviest chart), the density, other metrics
SLOW_EVERY = 3            # …and at most every third frame, when a busy server sends few frames
CURVATURE_HZ = 11         # λ_min, λ_max measured this often while playing (issue 16 asks ≥ 10/s):
                          # on most frames at 15–20 frames/s, on every frame below 11
CURVATURE_SHARE = 0.4     # …and in at most this share of the session's own CPU time (λ and the
                          # density; the default net ~26 ms a measurement, the largest ~0.2 s):
                          # alone on a server that is ~10/s; under a class, see the next line
CURVATURE_SHARE_BUSY = 0.15  # …and while other students wait for a turn (pacing.GATE.busy()): a
                          # measurement costs as much as several frames, and frames come first
DENSITY_SECONDS = 2.0     # the density (a cold Krylov run: the default net ~27 ms of CPU alone,
                          # about twice that beside a browser; in λ's share) at most this often:
                          # every second, λ got ~9.4 measurements a second (bench_live)
LANDSCAPE_SHARE = 0.1     # of the session's own CPU time, shared by the runs: the slices and the
                          # plane are computed a chunk (~10 ms) at a time on the frames this allows
                          # (both slices and the 31×31 plane of the default net: ~0.3 s of CPU)
LANDSCAPE_SHARE_BUSY = 0.03  # …and while other students wait for a turn: in a class of 30 (one
                          # process) the surface took ~18 % of the server's CPU at the share above
LANDSCAPE_DEBT = 1.0      # CPU seconds of surface work over its share that later frames pay back:
                          # a call does at least one chunk, and a sweep's start (the top slice's λ)
                          # took ~90 ms of CPU in a class; a debt floor of 0.1 s forgave most of it
LOAD_LANDSCAPE_SECONDS = 0.4  # a script run while paused computes what is due of the surface for
                          # at most this long: the default net's whole surface fits, a large net's
                          # plane comes over the next runs and while playing (py-spy: page loads'
                          # surfaces were 35% of the server's CPU while a class of 30 opened the
                          # Playground at once, bench_class)
METER_SECONDS = 0.3       # the sharpness meter (a Markdown element: the browser parses it each
                          # time, ~5 % of its main thread at λ's 10/s) at most this often while playing
SCAPE_KINDS = ("top", "random", "plane")  # the error surface's charts (lib/engine/landscape.py)
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
    message: tuple | None = None   # (kind, string key, fmt) shown once
    update_cost: float = 0.0       # CPU seconds per update (smoothed), to fill a turn's budget
    speed: float = 0.0             # measured updates per second while playing
    own_data: object = None        # a Dataset from the student's CSV, kept in this session only
    own_data_name: str = ""
    upload_error: tuple | None = None  # (string key, details) of the last rejected file
    scopes: list | None = None     # each run's Landscape (its own error surface), made when shown

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
    stop(ns)
    rebuild(state)
    state.message = message


def compare_query(state: PanelState) -> dict:
    """The comparison as the link's cmp/cmpv; 'cmp=none' when one the setup starts with is off."""
    if state.compare_field:
        return {"cmp": state.compare_field, "cmpv": ",".join(format_value(v) for v in state.compare_values)}
    return {"cmp": NO_COMPARE} if state.preset_compare else {}


def stop(ns: str) -> None:
    """Pause this panel if it plays (a new setup starts paused)."""
    if animation.playing(ns):
        animation.pause()


def rebuild(state: PanelState) -> None:
    """Start over: fresh runs from the config (same seed, same start)."""
    state.scopes = None
    try:
        state.runs = same_start(state.configs(), state.own_data)
    except ValueError as err:  # a compare value that does not fit (e.g. batch above the data)
        state.compare_field, state.compare_values = None, ()
        state.runs = same_start([state.config], state.own_data)
        state.message = ("error", "bad_setting", {"error": str(err)})
    state.labels = [label_for(state.compare_field, v) for v in state.compare_values] or [""]


def label_for(name: str | None, value) -> str:
    """A run's name in text: "Hidden layers = 3" (empty without a comparison)."""
    if name is None:
        return ""
    return f"{t('set.' + name)} = {shown_value(name, value)}"


def shown_value(name: str, value) -> str:
    if SETTINGS[name].metadata["choices"] or isinstance(value, bool):
        return t(f"choice.{str(value).lower()}")
    return format_value(value)


def compare_name_key(name: str) -> str:
    """The string key naming a compared setting: its short name where it has one, else its label."""
    short = f"field.{name}"
    return short if short in TABLE else f"set.{name}"


def legend_names(state: PanelState) -> tuple[str | None, tuple]:
    """How charts name the runs: the compared setting as the legend's title and each run by its
    value ("Hidden layers": "1", "3"), short enough for a projector's narrow chart columns;
    (None, ("",)) for a single run."""
    if not state.compare_field:
        return None, ("",)
    return (t(compare_name_key(state.compare_field)),
            tuple(shown_value(state.compare_field, v) for v in state.compare_values))


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
    animation.touch()
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
    else:  # a new run (and it keeps playing if the old one did)
        rebuild(state)
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
    stop(ns)
    rebuild(state)
    state.message = ("success", "upload.ok", {"name": file.name, "train": len(data.x_train),
                                              "test": len(data.x_test)})


def on_builtin_data(ns: str) -> None:
    state: PanelState = st.session_state[f"{ns}:panel"]
    state.own_data, state.own_data_name = None, ""
    state.config = fit_batch(state.config)
    stop(ns)
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


def on_step(ns: str) -> None:
    advance_all(st.session_state[f"{ns}:panel"].runs, 1)


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
    stop(ns)
    rebuild(state)


# -- drawing -------------------------------------------------------------------------------------------
def panel(ns: str, preset: RunConfig = RunConfig(), hidden=(), locked=(), on_frame=None,
          compare: bool = True, compare_preset: tuple | None = None,
          own_data: bool = False, landscape: bool = False) -> PanelState:
    """Draw the panel for page namespace `ns`; while it plays, the page's loop (ui.page.end)
    trains and redraws it.

    preset:         the page's starting settings (the URL only stores what differs from it)
    hidden, locked: names of settings to hide, or to show disabled
    on_frame:       on_frame(state) draws a page's own live content; called every frame inside
                    a container below the charts (state.runs, state.labels are the runs)
    compare:        offer compare mode; compare_preset = (setting, values) starts in it, e.g.
                    ("batch_size", (1, 32, 280)) — runs share data and initial weights
    own_data:       offer a CSV upload of the student's own data (the Playground)
    landscape:      show the network's own error surface live: the loss along the sharpest
                    direction and a random one, and a plane with the path (lib/engine/landscape.py)
    """
    state = get_state(ns, preset, compare_preset)
    notes = st.session_state.get(f"{ns}:url_notes")
    if notes:
        st.warning(t("url.note_title") + "\n\n" + "\n".join(f"- {n}" for n in notes))

    frame = Frame(ns, state, on_frame, landscape)
    animation.player(ns, advance=frame.train, draw=frame.draw, step=lambda: on_step(ns),
                     reset=lambda: on_reset(ns), per_frame=False, fps=MAX_FPS)
    show_message(state)
    if state.labels[0]:  # compare mode: whose numbers (a line of its own: in the labels it was cut)
        st.caption(t("metric.of_run", run=state.labels[0]))
    frame.metrics = [col.empty() for col in st.columns(6)]  # made once: cheap to update per frame
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
        export_section(ns, state, query, frame.charts)
    with right:
        frame.layout()
        upto = replay_control(ns, state)
    frame.draw(first=True, upto=upto)
    return state


def replay_control(ns: str, state: PanelState) -> int | None:
    """While paused, one slider scrubs every chart of the panel back through the recorded run
    (the histories and the slices it kept); None when showing the present."""
    newest = state.runs[0].step
    key, seen = f"{ns}:replay", f"{ns}:replay_newest"
    if animation.playing(ns) or newest == 0:
        st.session_state.pop(key, None)
        return None
    # a slider left at the present follows it (Step, a finished run); one moved back stays put
    value = st.session_state.get(key)
    if value is None or value >= newest or value == st.session_state.get(seen):
        st.session_state[key] = newest
    st.session_state[seen] = newest
    # its default is where it stands (why: ui/controls.py, fallback)
    upto = st.slider(t("replay.label"), 0, newest, st.session_state[key], key=key, help=t("replay.help"))
    if upto >= newest:
        return None
    st.caption(t("replay.note", step=upto, newest=newest))
    return upto


class Frame:
    """What the panel draws each frame, and how it trains between frames (its player's parts)."""

    def __init__(self, ns: str, state: PanelState, on_frame, landscape: bool = False):
        self.ns, self.state, self.on_frame = ns, state, on_frame
        runs = state.runs
        self.words = words()
        self.runs_title, self.names = legend_names(state)
        self.charts = PanelCharts(ns, runs, self.names, self.words, font_scale(), self.runs_title,
                                  first_run=state.labels[0])
        self.metrics, self.slots, self.extra = [], {}, None
        self.last_slow, self.frames_since_slow = -1e9, 0
        self.seen_density = None
        self.seen_eig = None
        self.last_meter = -1e9
        self.window_start, self.window_updates = time.perf_counter(), 0
        # measurements per second of the clock, and CPU seconds per CPU second of this thread
        self.curvature_credit = pacing.Credit(CURVATURE_HZ, cap=2, start=1.0)
        self.curvature_cpu = pacing.Credit(CURVATURE_SHARE, cap=0.1, clock=time.thread_time)
        self.landscape_credit = pacing.Credit(LANDSCAPE_SHARE, cap=LANDSCAPE_SHARE / 2,
                                              floor=-LANDSCAPE_DEBT, clock=time.thread_time)
        self.last_density = -1e9
        self.scape = None
        if landscape:
            self.start_landscape()

    def start_landscape(self) -> None:
        """Each run's Landscape (made once per run: its plane's directions are fixed at the
        run's start) and the three live charts; a net too large for it gets a note instead."""
        state = self.state
        if state.scopes is None or len(state.scopes) != len(state.runs):
            try:
                state.scopes = [Landscape(run) for run in state.runs]
            except ValueError as err:
                state.scopes, self.scape = [], t("scape.too_large", error=str(err))
                return
        if not state.scopes:
            return
        w = scape.Words(top_title=t("scape.top_title"), random_title=t("scape.random_title"),
                        plane_title=t("scape.plane_title"), plane_run=state.labels[0],
                        distance=t("scape.distance"), loss=t("chart.loss"), series=t("chart.series"),
                        measured=t("scape.measured"), quadratic=t("scape.quadratic"),
                        alpha="α", beta="β", path=t("scape.path"))
        labels, s = self.names, font_scale()
        self.scape = {"top": LiveChart(f"{self.ns}:scape_top", scape.slice_spec(labels, True, w, s, self.runs_title),
                                       height=SMALL_CHART_HEIGHT),
                      "random": LiveChart(f"{self.ns}:scape_random", scape.slice_spec(labels, False, w, s, self.runs_title),
                                          height=SMALL_CHART_HEIGHT),
                      "plane": LiveChart(f"{self.ns}:scape_plane", scape.plane_spec(w, s),
                                         height=CHART_HEIGHT + 80)}

    def layout(self) -> None:
        top = st.columns([3, 2]) if self.charts.regions else [st.container()]
        self.slots = {"loss": top[0].empty(), "regions": top[1].empty() if self.charts.regions else None}
        bottom = st.columns(2)
        with bottom[0]:
            self.slots["meter"] = st.empty()
            self.slots["eig"] = st.empty()
        self.slots["density"] = bottom[1].empty()
        if isinstance(self.scape, str):
            st.info(self.scape)
        elif self.scape:
            st.markdown(t("scape.intro"))
            left, right = st.columns(2)
            self.slots["scape_top"], self.slots["scape_random"] = left.empty(), left.empty()
            self.slots["scape_plane"] = right.empty()
        self.extra = st.empty() if self.on_frame else None

    # -- training: one turn of the loop ------------------------------------------------------------
    def train(self, seconds: float) -> bool:
        """Train every run for about `seconds` of CPU; False once every run has stopped."""
        state = self.state
        n = max(1, min(5000, int(seconds / state.update_cost))) if state.update_cost else 1
        cpu = time.thread_time()  # CPU, not wall time: other sessions stretch wall time
        before = sum(r.step for r in state.runs)
        advance_all(state.runs, n, spectra=False)  # the density comes at slow frames (draw)
        taken = (sum(r.step for r in state.runs) - before) // len(state.runs)
        if taken:  # smoothed: evaluations and Hessian measurements come every so often
            cost = (time.thread_time() - cpu) / taken
            state.update_cost = 0.7 * state.update_cost + 0.3 * cost if state.update_cost else cost
        self.window_updates += taken
        now = time.perf_counter()
        if now - self.window_start > 0.5:
            state.speed = self.window_updates / (now - self.window_start)
            self.window_start, self.window_updates = now, 0
        return not all(r.stopped for r in state.runs)

    # -- drawing: one frame ------------------------------------------------------------------------
    def draw(self, first: bool = False, upto: int | None = None) -> None:
        """One frame. The Step metric, the loss and λ every frame; the heavier parts (decision
        regions, the density, the other metrics) a few times a second. `upto`: replay the charts
        as they were at that update."""
        state, charts, slots = self.state, self.charts, self.slots
        now = time.perf_counter()
        slow = first or (now - self.last_slow > SLOW_SECONDS and self.frames_since_slow >= SLOW_EVERY)
        self.frames_since_slow += 1
        if slow:
            self.last_slow, self.frames_since_slow = now, 0
        playing = animation.playing(self.ns)
        self.draw_metrics(everything=slow, playing=playing)
        charts.loss.draw(slots["loss"], **loss_data(state.runs, upto, still=not playing))
        if isinstance(self.scape, dict):  # before λ: a top slice measures λ, which then is this frame's
            measured = self.draw_landscape(first, playing, upto)
            if measured:
                self.curvature_credit.spend(1)
        if any(r.config.hessian_every for r in state.runs):
            if playing:
                self.measure_curvature(slow)
            # λ's chart and meter only when there is news: an unchanged frame still costs the
            # browser a React update and a script run per element
            eig_mark = ([r.curvature.last for r in state.runs], upto)
            if first or eig_mark[1] is not None or eig_mark != self.seen_eig:
                charts.eig.draw(slots["eig"], **eig_data(state.runs, upto, still=not playing))
                self.seen_eig = eig_mark
                if not playing or now - self.last_meter >= METER_SECONDS:
                    self.draw_meter()
                    self.last_meter = now
            density_mark = [id(r.spectrum_nodes) for r in state.runs]  # a new cold measurement
            if slow and density_mark != self.seen_density:
                charts.density.draw(slots["density"], **density_data(state.runs, self.names, upto=upto))
                self.seen_density = density_mark
        elif first:
            slots["eig"].info(t("chart.no_hessian"))
        if slow and charts.regions is not None:
            charts.regions.draw(slots["regions"], **regions_data(state.runs[0]))
        if self.on_frame:
            with self.extra.container():
                self.on_frame(state)

    def draw_landscape(self, first: bool, playing: bool, upto: int | None) -> bool:
        """Each run's slices and the first run's plane: a chunk of work on the frames that
        LANDSCAPE_SHARE allows (the newest weights are recorded on the path every frame); a
        chart is redrawn when its slice or plane is done (all of them on a script run's first
        frame). Returns whether the work measured λ (a top slice starts from the run's curvature
        at its current step)."""
        state = self.state
        kinds = set(SCAPE_KINDS) if first else set()
        share = LANDSCAPE_SHARE_BUSY if pacing.GATE.busy() else LANDSCAPE_SHARE
        budget = self.landscape_credit.refill(share)
        newest = [(r.curvature.last or {}).get("step") for r in state.runs]
        cpu = time.thread_time()
        for i, (run, scope) in enumerate(zip(state.runs, state.scopes)):
            if playing and not run.stopped:
                scope.record(run)
                if budget > 0:
                    finished = scope.work(run, budget / len(state.scopes))
                    kinds |= {r.kind for r in finished if r.kind != "plane" or i == 0}
            elif first and not run.stopped and (scope.top is None or scope.plane is None):
                # paused before the first surface is complete: a little more per script run
                scope.work(run, LOAD_LANDSCAPE_SECONDS / len(state.scopes))
        measured = [(r.curvature.last or {}).get("step") for r in state.runs] != newest
        if playing:
            spent = time.thread_time() - cpu
            self.landscape_credit.spend(spent)
            pacing.set_aside(spent)
        self.draw_scape(upto, kinds)
        return measured

    def draw_scape(self, upto: int | None, kinds=SCAPE_KINDS) -> None:
        state = self.state
        scope0 = state.scopes[0]
        if "top" in kinds:
            self.scape["top"].draw(self.slots["scape_top"], **scape.slice_data(state.scopes, True, upto),
                                   params={"note": self.slice_note(True, upto)})
        if "random" in kinds:
            self.scape["random"].draw(self.slots["scape_random"],
                                      **scape.slice_data(state.scopes, False, upto),
                                      params={"note": self.slice_note(False, upto)})
        if "plane" in kinds:
            plane = scape.latest(scope0, "plane", upto)
            self.scape["plane"].draw(self.slots["scape_plane"], **scape.plane_data(scope0, upto),
                                     params={"note": t("scape.at_step", step=plane.step) if plane
                                             else t("scape.pending")})

    def slice_note(self, top: bool, upto: int | None) -> str:
        s = scape.latest(self.state.scopes[0], "top" if top else "random", upto)
        if s is None:  # a line all the same: the chart keeps the height it was sized for
            return t("scape.pending")
        if top:
            return t("scape.top_note", step=s.step, lam=f"{s.curvature:.4g}")
        return t("scape.at_step", step=s.step)

    def measure_curvature(self, slow: bool) -> None:
        """λ_min, λ_max (and the sharpness meter) at this frame's weights, for every run, up to
        CURVATURE_HZ times a second and in up to CURVATURE_SHARE of this session's CPU: a warm
        start costs a few Hessian-vector products (~1 ms each here). On a slow frame at most
        every DENSITY_SECONDS, a run that has gone `hessian_every` updates since its last
        density gets a cold measurement instead, which also gives the density: training skips
        those while playing (Run.advance, spectra=False), so the density costs one measurement
        every DENSITY_SECONDS, not one every `hessian_every` updates."""
        now = time.perf_counter()
        due = self.curvature_credit.refill() >= 1
        share = CURVATURE_SHARE_BUSY if pacing.GATE.busy() else CURVATURE_SHARE
        affordable = self.curvature_cpu.refill(share) >= 0
        density = slow and affordable and now - self.last_density >= DENSITY_SECONDS
        if not (due and affordable) and not density:
            return
        self.curvature_credit.spend(1)
        if density:
            self.last_density = now
        cpu = time.thread_time()
        for run in self.state.runs:
            if not run.config.hessian_every or run.stopped:
                continue
            last = run.densities.last
            if density and (last is None or run.step - last["step"] >= run.config.hessian_every):
                run.measure_hessian()
            else:
                run.measure_curvature()
        spent = time.thread_time() - cpu
        self.curvature_cpu.spend(spent)
        pacing.set_aside(spent)

    def draw_meter(self) -> None:
        """λ_max against its stability threshold, one line per run: a number and a bar."""
        lines = []
        for run, label in zip(self.state.runs, self.state.labels):
            s = run.sharpness
            pre = f"{label}: " if label else ""
            if s is None:
                continue
            if s.rule is None:
                lines.append(pre + t(f"meter.none.{s.reason}"))
            elif s.value is None:
                lines.append(pre + t("meter.no_state"))
            else:
                ratio = s.ratio
                bar = meter.bar_html(ratio)
                lines.append(pre + t(f"meter.{'pre' if s.preconditioned else 'plain'}",
                                     value=f"{s.value:.4g}", threshold=f"{s.threshold:.4g}",
                                     rule=t(f"meter.rule.{s.rule}"), pct=f"{ratio:.0%}", bar=bar))
        if lines:
            self.slots["meter"].markdown("  \n".join(lines), unsafe_allow_html=True)  # the bar
        else:
            self.slots["meter"].empty()

    def draw_metrics(self, everything: bool, playing: bool) -> None:
        state, slots = self.state, self.metrics
        run = state.runs[0]
        slots[0].metric(t("metric.step"), run.step)
        if not everything:
            return
        last = run.evals.last or {}
        slots[1].metric(t("metric.epoch"), run.epoch)
        slots[2].metric(t("metric.train_loss"), fmt(run.history.last["loss"] if run.history.last else None))
        slots[3].metric(t("metric.test_loss"), fmt(last.get("test_loss")))
        if run.data.task == "classification":
            acc = last.get("test_acc")
            slots[4].metric(t("metric.test_acc"), "—" if acc is None else f"{acc:.0%}")
        slots[5].metric(t("metric.speed"), f"{state.speed:,.0f}" if playing else "—")


def words() -> Words:
    return Words(updates=t("chart.updates"), loss=t("chart.loss"), loss_title=t("chart.loss_title"),
                 series=t("chart.series"), train=t("chart.train"), test=t("chart.test"),
                 eigenvalue=t("chart.eigenvalue"), eig_title=t("chart.eig_title"),
                 lam_min=t("chart.lam_min"), lam_max=t("chart.lam_max"),
                 sharpness=t("chart.sharpness"), threshold=t("chart.threshold"),
                 density_title=t("chart.density_title"), weight=t("chart.weight"),
                 regions_title=t("chart.regions_title"), p1=t("chart.p1"), class_=t("chart.class"))


def show_message(state: PanelState) -> None:
    if state.message:
        kind, key, fmt_ = state.message
        getattr(st, kind)(t(key, **fmt_))
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
        # (each widget's default is its value too: why in ui/controls.py, fallback)
        st.toggle(t("compare.on"), st.session_state[on_key], key=on_key, on_change=on_compare,
                  args=(ns,), help=t("help.compare"))
        if not st.session_state[on_key]:
            return
        name = st.selectbox(t("compare.field"), fields_ok,
                            fallback_index(st.session_state.get(field_key), fields_ok), key=field_key,
                            format_func=lambda n: t(compare_name_key(n)), on_change=on_compare, args=(ns,))
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



def fmt(x) -> str:
    return "—" if x is None else f"{x:.3g}"

"""The URL query string mirrors a panel's settings and a page's own controls, so a pasted link gives
the same setup.

A page declares its own widgets once, as `Control`s (session key, default, allowed values), and
calls `controls(...)` right after `setup()`: each widget then starts from the link (or its default)
and the link follows it. Such widgets take their value from the session, never a `value=` argument.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from lib.engine.settings import SETTINGS, RunConfig, format_value, from_query, to_query

from .controls import fallback
from .i18n import t

UI_KEYS = {"lang", "cmp", "cmpv", "present"}  # keys the UI owns; settings are listed in lib.engine.settings


def read(base: RunConfig, extra_keys=()) -> tuple[RunConfig, dict, list[str]]:
    """Settings from the URL on top of `base`; also the UI's own keys, and translated notes."""
    query = {k: st.query_params.get(k) for k in st.query_params.keys()}
    config, notes = from_query(query, base)
    texts = [t(f"url.{kind}", key=key, raw=raw, detail=detail) for kind, key, raw, detail in notes]
    own = set(UI_KEYS) | set(extra_keys) | {c.name for c in declared()}
    for key in query:
        if key not in SETTINGS and key not in own:
            texts.append(t("url.unknown", key=key))
    ui = {k: v for k, v in query.items() if k in own}
    return config, ui, texts


def write(config: RunConfig, base: RunConfig, ui: dict | None = None) -> dict:
    """Replace the query string with what differs from the page's preset, plus the UI's keys;
    return it (for the share link)."""
    wanted = to_query(config, base)
    wanted["lang"] = st.session_state.get("lang", "en")
    if st.session_state.get("presenter"):
        wanted["present"] = "1"
    for key, value in (ui or {}).items():
        if value not in (None, ""):
            wanted[key] = str(value)
    wanted.update(control_query())
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)
    return wanted


# -- a page's own controls ------------------------------------------------------------------------
WIDGETS = ("slider", "select_slider", "number", "radio", "select", "toggle")


@dataclass(frozen=True)
class Control:
    """One of a page's own widgets, declared once: its range builds the widget, the link entry
    `name` (its key, ':' written '.') and the check of a link's value.

        LR = Control("mom_sim:lr", 0.1, lo=0.01, hi=1.0, widget="slider", step=0.01,
                     label="mom.lr", help="mom.lr_help")
        url.controls(LR, ...)          # after ui.page.setup(): starts from the link
        LR.show(column, on_change=…)   # where the widget goes
    """
    key: str                       # the widget's session key, e.g. "batch:noise"
    default: object                # its value when the link says nothing; fixes its type too
    choices: tuple | None = None   # the allowed values, or
    lo: float | None = None        # a numeric range
    hi: float | None = None
    url_name: str | None = None    # its name in the link, if not derived from the key
    widget: str | None = None      # one of WIDGETS (None: a control without a widget of its own)
    label: str | None = None       # string keys (ui/strings) of its label and help
    help: str | None = None
    step: float | None = None      # a numeric widget's step and display format
    format: str | None = None
    choice_label: str | None = None  # string-key prefix naming each choice (choice_label + value)

    def show(self, where=None, on_change=None, args=(), label_fmt: dict | None = None,
             help_fmt: dict | None = None, disabled: bool = False, choice_fmt=None):
        """Draw the widget (in `where`, a column or container; default the page) and return its
        value. The value lives in the session under `key` (set by `controls()` from the link).
        choice_fmt(value) -> dict: numbers a choice's name quotes (e.g. a model's parameter count)."""
        where = where if where is not None else st
        common = dict(key=self.key, on_change=on_change, args=args, disabled=disabled,
                      help=t(self.help, **(help_fmt or {})) if self.help else None)
        label = t(self.label, **(label_fmt or {})) if self.label else self.name
        names = (lambda v: t(f"{self.choice_label}{v}", **(choice_fmt(v) if choice_fmt else {}))) \
            if self.choice_label else str
        # its default is the value it shows now (why: ui/controls.py, fallback)
        current = st.session_state.get(self.key, self.default)
        if self.widget in ("slider", "number"):
            current = fallback(current, self.lo, self.hi, type(self.lo))
        elif self.choices is not None and current not in self.choices:
            current = self.default
        if self.widget == "slider":
            return where.slider(label, self.lo, self.hi, current, step=self.step, format=self.format,
                                **common)
        if self.widget == "number":
            return where.number_input(label, self.lo, self.hi, current, step=self.step,
                                      format=self.format, **common)
        if self.widget == "select_slider":
            return where.select_slider(label, self.choices, current, format_func=names, **common)
        if self.widget == "radio":
            return where.radio(label, self.choices, self.choices.index(current), format_func=names,
                               horizontal=True, **common)
        if self.widget == "select":
            return where.selectbox(label, self.choices, self.choices.index(current), format_func=names,
                                   **common)
        if self.widget == "toggle":
            return where.toggle(label, bool(current), **common)
        raise ValueError(f"widget: {self.widget!r} is not one of {', '.join(WIDGETS)}")

    @property
    def name(self) -> str:
        return self.url_name or self.key.replace(":", ".")

    def parse(self, raw: str) -> tuple[object, tuple | None]:
        """(value, None), or (the default, a note `(kind, name, raw, detail)`) if raw is refused;
        numbers outside [lo, hi] are clamped, with a note."""
        kind = type(self.default)
        try:
            if kind is bool:
                if raw.lower() not in ("1", "0", "true", "false"):
                    raise ValueError
                value = raw.lower() in ("1", "true")
            else:
                value = kind(raw) if kind is str else kind(float(raw)) if kind is float else int(raw)
        except ValueError:
            return self.default, ("type", self.name, raw, kind.__name__)
        if isinstance(value, float) and not math.isfinite(value):
            return self.default, ("type", self.name, raw, "float")
        if kind is bool:
            return value, None
        if self.choices is not None:
            if value not in self.choices:
                return self.default, ("choice", self.name, raw, ", ".join(map(str, self.choices)))
            return value, None
        low = value if self.lo is None else max(self.lo, value)
        clamped = low if self.hi is None else min(self.hi, low)
        if clamped != value:
            return kind(clamped), ("clamped", self.name, raw, format_value(kind(clamped)))
        return value, None


def declared() -> tuple[Control, ...]:
    return st.session_state.get("url:controls", ())


def controls(*page_controls: Control) -> None:
    """Declare controls of this page (ui.page.setup clears the last page's; the page and its
    lesson box each declare theirs): a control not yet in the session starts from the link, else
    its default; the link then carries every control that differs from its default. A refused link
    value shows a note."""
    ss = st.session_state
    ss["url:controls"] = (*declared(), *page_controls)
    notes = []
    for c in page_controls:
        if c.key not in ss:
            raw = st.query_params.get(c.name)
            value, note = (c.default, None) if raw is None else c.parse(raw)
            ss[c.key] = value
            if note:
                notes.append(t(f"url.{note[0]}", key=note[1], raw=note[2], detail=note[3]))
        if ss[c.key] != c.default:
            st.query_params[c.name] = format_value(ss[c.key])
        elif c.name in st.query_params:
            del st.query_params[c.name]
    # kept for the session: a player that finishes reruns the page (the Batch page's first
    # timing does, right after the first run), and the note must not vanish with that run
    kept = ss.setdefault("url:notes", {})
    where = tuple(c.key for c in page_controls)
    notes = kept.setdefault(where, notes) if notes else kept.get(where, [])
    if notes:
        st.warning(t("url.note_title") + "\n\n" + "\n".join(f"- {n}" for n in notes))


def control_query() -> dict:
    ss = st.session_state
    return {c.name: format_value(ss[c.key]) for c in declared() if c.key in ss and ss[c.key] != c.default}

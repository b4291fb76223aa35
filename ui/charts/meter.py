"""The sharpness meter's bar: λ_max as a share of its stability threshold, drawn inline in the
meter's line of text (ui/panel.py) so it reads at a glance on a projector.

The bar spans 0 to twice the threshold, so the threshold is a fixed mark in the middle and a run
at the edge of stability (λ_max hovering at 2/η) shows as a fill that stops at the mark. A
text bar ("██████████") did not show where the threshold was: at 101 % it was a plain black block.
"""
from __future__ import annotations

from .theme import OKABE_ITO

SPAN = 2.0          # the bar's right end, in thresholds
NEAR = 0.9          # from this share of the threshold on, the fill turns orange
TRACK = "#e6eaf1"   # Streamlit's grid grey: the empty part of the bar
MARK = "#2F2D2B"    # the threshold's mark, in the text colour


def fill_share(ratio: float) -> float:
    """The filled share of the bar's width, 0 to 1, for λ_max / threshold = `ratio`."""
    return min(max(ratio, 0.0), SPAN) / SPAN


def bar_html(ratio: float) -> str:
    """An inline bar (HTML for st.markdown) filled to `ratio` of the threshold, with the threshold
    marked at its middle: blue below NEAR, orange from there on."""
    colour = OKABE_ITO[4] if ratio >= NEAR else OKABE_ITO[0]
    width = f"{100 * fill_share(ratio):.1f}%"
    # aria-hidden: decoration; the percentage before it in the line says the same in words
    return ('<span aria-hidden="true" style="display:inline-block; position:relative; width:10em; '
            f'height:0.8em; vertical-align:middle; background:{TRACK}; border-radius:2px">'
            f'<span style="position:absolute; left:0; top:0; bottom:0; width:{width}; '
            f'background:{colour}; border-radius:2px"></span>'
            f'<span style="position:absolute; left:50%; top:-0.25em; bottom:-0.25em; '
            f'border-left:2px solid {MARK}"></span></span>')

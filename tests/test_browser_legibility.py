"""Issue 18.5: every page reads from the back row. In real Chromium, on every page, in both
languages, at a projector's 1280×720 and a hall screen's 1920×1080, presenter mode on and off:
- each chart's plot area (Vega's own view height, per sub-chart) is at least 150 px tall;
- no text is cut: no chart label or title is shortened by Vega's label limit, nothing a chart
  draws (a legend name, a title, an axis label) lies outside its canvas, no chart is wider than
  its box, and no page text sits in an element that hides its overflow while being wider
  than it (the "ffective step η/σ" and "8 过拟合（Over…" cases);
- a chart whose title says which update it shows (the error surface's) still says it;
- no "nan" is shown and nothing raised.

The four combinations below cover each language, each screen and each presenter setting (all
sixteen would take four times as long and find nothing the four miss: the layout depends on
width and font scale, which these span)."""
from __future__ import annotations

import pytest

from tests.live_app import CHARTS_DRAWN, launch, no_exceptions, streamlit_server, wait_idle
from plot_sizes import CHARTS_JS, charts
from lib.engine.settings import SETTINGS
from ui.page import PAGES
from ui.panel import COMPARABLE, compare_name_key
from ui.strings import TABLE

pytest.importorskip("playwright")
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

MIN_PLOT = 150

VIEWS = [("en", 1280, 720, False), ("zh", 1280, 720, True),
         ("en", 1920, 1080, True), ("zh", 1920, 1080, False)]

# Text in an element that hides what does not fit and does not fit (Streamlit's metric labels,
# page links and widget labels shorten with an ellipsis this way). The text may sit in a child of
# the element that cuts it (a metric label's <p> in a markdown container with the ellipsis); an
# element 0 px wide is folded away (the sidebar in presenter mode), not cut; KaTeX's MathML copy of
# a formula is hidden on purpose (for screen readers; the formula is drawn beside it). A
# selectbox shows its chosen option in an input, which cannot wrap: too long a name is cut there.
CUT_TEXT = """() => {
  const out = [];
  const roots = document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]');
  for (const root of roots) for (const e of root.querySelectorAll('*')) {
    if (!e.childNodes.length || e.offsetParent === null || e.closest('.live-chart')) continue;
    if (e.clientWidth === 0 || !(e.innerText || '').trim() || e.closest('.katex-mathml')) continue;
    const s = getComputedStyle(e);
    const hides = s.overflowX === 'hidden' || s.overflowX === 'clip' || s.textOverflow === 'ellipsis';
    if (hides && e.scrollWidth > e.clientWidth + 1) out.push(e.innerText.trim().slice(0, 80));
  }
  for (const root of roots) for (const e of root.querySelectorAll('input[role="combobox"]')) {
    if (e.offsetParent !== null && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) out.push(e.value);
  }
  return out;
}"""


def settled(value_js: str, name: str) -> str:
    """A predicate for page.wait_for_function: true once `value_js` (a function of no arguments)
    has given the same answer five polls in a row (the page has settled); `name` keeps its count."""
    return f"""() => {{
  const now = JSON.stringify(({value_js})());
  const w = window.{name} = window.{name} || {{last: null, same: 0}};
  w.same = now === w.last ? w.same + 1 : 0;
  w.last = now;
  return w.same >= 4;
}}"""


# Every chart's plot heights held still: a chart that grows for its legend or is built again for
# its box (live_chart.js) is measured as it stays, not midway.
SETTLED_CHARTS = settled(f"() => ({CHARTS_JS})().map(c => [c.key, c.heights])", "__charts")

# Cut text held still.
SETTLED_CUT_TEXT = settled(CUT_TEXT, "__cutText")


def url_path(path: str) -> str:
    """The address Streamlit gives a file in pages/ ("pages/03_batch.py" → "batch")."""
    if path == "app.py":
        return ""
    return path.split("/")[-1][3:-3]


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _):
        yield url


@pytest.mark.parametrize("lang,width,height,presenter", VIEWS,
                         ids=[f"{v[0]}-{v[1]}x{v[2]}-{'presenter' if v[3] else 'plain'}" for v in VIEWS])
def test_every_page_is_legible(server, lang, width, height, presenter):
    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for key, path in PAGES:
                query = f"?lang={lang}" + ("&present=1" if presenter else "")
                page.goto(f"{server}/{url_path(path)}{query}")
                wait_idle(page, timeout=120_000)
                page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                no_exceptions(page)
                try:
                    page.wait_for_function(SETTLED_CHARTS, polling=250, timeout=30_000)
                except PlaywrightTimeout:
                    problems.append(f"{key}: the charts' sizes never settled")
                for chart in charts(page):
                    if chart["error"]:
                        problems.append(f"{key}: chart {chart['key']} failed: {chart['error']}")
                    low = [h for h in chart["heights"] if h < MIN_PLOT]
                    if low:
                        problems.append(f"{key}: chart {chart['key']} plot {low} px tall")
                    if chart["cut"]:
                        problems.append(f"{key}: chart {chart['key']} cuts {chart['cut'][:3]}")
                    if chart["note"] == "":  # a chart built again lost the update it shows
                        problems.append(f"{key}: chart {chart['key']} lost its note")
                    if chart["wider"]:
                        problems.append(f"{key}: chart {chart['key']} wider than its box")
                    if chart["outside"]:
                        problems.append(f"{key}: chart {chart['key']} draws outside its canvas "
                                        "(a legend, title or label cut at the edge)")
                # text cut for good, not while the page still lays itself out: the same answer
                # over a second of polls (waiting for the first empty answer let a page whose
                # links were not laid out yet pass)
                try:
                    page.wait_for_function(SETTLED_CUT_TEXT, polling=250, timeout=30_000)
                except PlaywrightTimeout:
                    problems.append(f"{key}: the page's text never settled")
                cut = page.evaluate(CUT_TEXT)
                if cut:
                    problems.append(f"{key}: text cut {cut[:3]}")
                body = page.inner_text('[data-testid="stMain"]')
                if any(word in body.split() for word in ("nan", "NaN")):
                    problems.append(f"{key}: shows nan")
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


# What the panel's selectboxes can show: each setting's choices and the compared setting's names.
PANEL_OPTIONS = ([f"choice.{v}" for f in SETTINGS.values() for v in (f.metadata["choices"] or ())]
                 + [compare_name_key(name) for name in COMPARABLE])

# The room for text in a visible panel selectbox (its input without padding) and the width of each
# given text in the input's own font.
OPTION_WIDTHS = """(texts) => {
  const input = [...document.querySelectorAll('[data-testid="stMain"] input[role="combobox"]')]
    .find((e) => e.offsetParent !== null);
  const s = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = s.font;
  return { room: input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),
           widths: texts.map((t) => ctx.measureText(t).width) };
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("presenter", [False, True], ids=["plain", "presenter"])
def test_every_panel_option_fits_its_selectbox(server, lang, presenter):
    """A selectbox shows its chosen option in an input, which cuts what is too long ("交叉熵（cross-
    entrop…"); every option the panel offers, not only the ones chosen by default, fits at
    1280×720, the narrowest column (the sidebar open, or presenter mode's larger type)."""
    texts = sorted({TABLE[key][0 if lang == "zh" else 1] for key in PANEL_OPTIONS})
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            page.goto(f"{server}/playground?lang={lang}" + ("&present=1" if presenter else ""))
            wait_idle(page, timeout=120_000)
            page.locator('[data-testid="stMain"] input[role="combobox"]:visible').first.wait_for(timeout=60_000)
            page.evaluate("document.fonts.ready.then(() => true)")
            measured = page.evaluate(OPTION_WIDTHS, texts)
        finally:
            browser.close()
    room = measured["room"]
    too_long = [(text, round(w)) for text, w in zip(texts, measured["widths"]) if w > room]
    assert room > 100, measured
    assert not too_long, f"longer than the {room:.0f} px of a panel selectbox: {too_long}"

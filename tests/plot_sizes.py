"""What a projector shows of each live chart (issue 18, legibility), read from Vega's own layout:
the height of each plot (the data rectangle, without title, legend and axes; one per sub-chart of
a concatenation), the texts Vega shortened to fit a label limit, and whether anything drawn (a
legend name, a title, an axis label) lies outside the canvas or the chart is wider than its box.
One home for the browser tests that measure charts (tests/test_browser_legibility.py, the
optimizers and overfitting pages' projector tests)."""

CHARTS_JS = r"""() => {
  const out = [];
  if (!window.liveChart) return out;
  for (const [key, c] of window.liveChart.charts) {
    if (!c.view || !c.node.isConnected || c.node.offsetParent === null) continue;
    const v = c.view, cut = [], scopes = [];
    vega.sceneVisit(v.scenegraph().root, function visit(item) {
      const mark = item.mark || {};
      if (mark.marktype === "group" && /concat_\d+_group$/.test(mark.name || "")) scopes.push(item.height);
      if (mark.marktype === "text" && item.limit > 0 && item.text != null && item.opacity !== 0) {
        const text = Array.isArray(item.text) ? item.text.join(" ") : String(item.text);
        if (vega.textMetrics.width(item, text) > item.limit + 0.5) cut.push(text);
      }
      if (item.items) vega.sceneVisit(item, visit);
    });
    const [ox, oy] = v.origin(), b = v.scenegraph().root.bounds;
    const canvas = c.node.querySelector('canvas');
    const slack = 3;   // a title's ascender may reach a pixel or two above the canvas
    const outside = !!canvas && (b.x1 + ox < -slack || b.x2 + ox > canvas.clientWidth + slack ||
                                 b.y1 + oy < -slack || b.y2 + oy > canvas.clientHeight + slack);
    let note = null;  // the line under the title set per frame ("at update 120"), if it has one
    try { note = v.signal("note"); } catch (e) { /* no such parameter */ }
    out.push({ key, heights: scopes.length ? scopes : [v.height()], cut, outside, note,
               wider: c.node.scrollWidth > c.node.clientWidth + 1, renders: c.renders, error: c.error });
  }
  return out;
}"""


def charts(page) -> list[dict]:
    """[{key, heights: [px], cut: [text], outside, note, wider, renders, error}] for each live chart
    on screen (note: the title's per-frame line, None for a chart without one)."""
    return page.evaluate(CHARTS_JS)

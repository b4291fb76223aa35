"""What a projector shows of each live chart (issue 18, legibility): the height of its plot (Vega's
data rectangle, without title, legend and axes) and whether anything drawn (a legend name, a
title, an axis label) lies outside its canvas."""

PLOTS_JS = """() => [...window.liveChart.charts].map(([key, c]) => {
  const v = c.view, [ox, oy] = v.origin(), b = v.scenegraph().root.bounds;
  const canvas = c.node.querySelector('canvas');
  const slack = 3;   // a title's ascender may reach a pixel or two above the canvas
  const outside = b.x1 + ox < -slack || b.x2 + ox > canvas.clientWidth + slack ||
                  b.y1 + oy < -slack || b.y2 + oy > canvas.clientHeight + slack;
  return {key, plot: Math.round(v.height()), outside}; })"""


def plots(page) -> list[dict]:
    """[{key, plot: px, outside: bool}] for every live chart the tab has drawn."""
    return page.evaluate(PLOTS_JS)

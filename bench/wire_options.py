"""Bytes per frame of the Momentum page's surface chart (path at step 150 of 300), drawn in each
way considered for issue 18, measured on the element Streamlit builds (AppTest, no browser):

    python bench/wire_options.py

  as drawn now           st.vega_lite_chart, one table: 1,296 heat-map cells and the paths, float64
  compact vega           st.vega_lite_chart, float32, cells as (w1, w2, loss) widened by a
                         calculate transform, paths apart as a named dataset
  PNG heat map           st.vega_lite_chart, the heat map as one 36×36 grey PNG (data URL) in the
                         spec, only the paths as data
  LiveChart, a frame     ui.charts.live: a frame while playing (new rows of the last 5 frames)
  LiveChart, full frame  the same chart's first frame of a run (spec and heat map, deflated)

The spec itself goes with every st.vega_lite_chart frame, which is why no st.vega_lite_chart
encoding gets the page's four charts under 200 kB/s at 20 frames/s.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FPS = 20


def surface_frames(kind: str):
    """Draws the surface chart once in the requested way; stores the element's bytes."""
    import base64
    import copy
    import io
    import sys
    from pathlib import Path

    import numpy as np
    import pandas as pd
    import streamlit as st
    import torch
    from PIL import Image

    sys.path.insert(0, str(Path.cwd()))
    from lib.lecture import momentum as mo
    from ui.charts import spec as page_spec
    from ui.charts.live import LiveChart
    import altair as alt

    x_range, w2_range, grid, step = (-4.0, 5.0), (-1.5, 1.5), 36, 150
    g1, g2 = np.linspace(*x_range, grid), np.linspace(*w2_range, grid)
    m1, m2 = np.meshgrid(g1, g2)
    loss = mo.surface(torch.tensor(np.stack([m1, m2], -1))).numpy()
    d1, d2 = (g1[1] - g1[0]) / 2, (g2[1] - g2[0]) / 2
    cells = pd.DataFrame({"w1": m1.ravel() - d1, "w1b": m1.ravel() + d1, "w2": m2.ravel() - d2,
                          "w2b": m2.ravel() + d2, "loss": loss.ravel(), "kind": "grid"})
    paths = []
    for lam, name in ((0.0, "Gradient descent"), (0.9, "Gradient descent + momentum")):
        p = mo.descend(mo.surface, (-3.0, 1.0), 0.1, lam, 300)
        th = np.clip(p.theta[:step + 1], [x_range[0], w2_range[0]], [x_range[1], w2_range[1]])
        paths.append(pd.DataFrame({"w1": th[:, 0], "w2": th[:, 1], "k": np.arange(step + 1),
                                   "kind": "path", "series": name}))
    path = pd.concat(paths, ignore_index=True)
    xs = alt.Scale(domain=list(x_range), nice=False)
    ys = alt.Scale(domain=list(w2_range), nice=False)
    color = alt.Color("series:N", title="Series", legend=alt.Legend(orient="top", labelLimit=300))
    trail_mark = dict(point=alt.OverlayMarkDef(size=14), strokeWidth=2, clip=True)
    heat = alt.Color("loss:Q", title="Loss", scale=alt.Scale(scheme="greys", reverse=True))

    def one_table():
        cells_l = alt.Chart().transform_filter(alt.datum.kind == "grid").mark_rect().encode(
            x=alt.X("w1:Q", scale=xs), x2="w1b:Q", y=alt.Y("w2:Q", scale=ys), y2="w2b:Q", color=heat)
        trail = alt.Chart().transform_filter(alt.datum.kind == "path").mark_line(**trail_mark).encode(
            x="w1:Q", y="w2:Q", order="k:Q", color=color)
        return page_spec(alt.layer(cells_l, trail).resolve_scale(color="independent").properties(
            title="Paths on the 2-D error surface", height=260))

    def named(chart):
        whole, out = chart.to_dict(), page_spec(chart)
        for part, original in zip([out, *out.get("layer", [])], [whole, *whole.get("layer", [])]):
            if "data" in original:
                part["data"] = original["data"]
        return out

    compact_path = path.drop(columns="kind").astype({"w1": "float32", "w2": "float32", "k": "int16",
                                                     "series": "category"})
    slot = st.empty()
    if kind == "as drawn now":
        slot.vega_lite_chart(pd.concat([cells, path], ignore_index=True), one_table(), width="stretch")
    elif kind == "compact vega":
        cells_l = alt.Chart(alt.NamedData("grid")).transform_calculate(
            w1b=f"datum.w1 + {2 * d1}", w2b=f"datum.w2 + {2 * d2}").mark_rect().encode(
            x=alt.X("w1:Q", scale=xs), x2="w1b:Q", y=alt.Y("w2:Q", scale=ys), y2="w2b:Q", color=heat)
        trail = alt.Chart().mark_line(**trail_mark).encode(x="w1:Q", y="w2:Q", order="k:Q", color=color)
        spec = named(alt.layer(cells_l, trail).resolve_scale(color="independent").properties(height=260))
        grid_rows = cells[["w1", "w2", "loss"]].astype("float32")
        spec["datasets"] = {"grid": grid_rows}
        slot.vega_lite_chart(compact_path, spec, width="stretch")
    elif kind == "PNG heat map":
        grey = ((loss - loss.min()) / np.ptp(loss) * 255).astype(np.uint8)[::-1]
        buf = io.BytesIO()
        Image.fromarray(grey, "L").save(buf, format="PNG", optimize=True)
        url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
        image = alt.Chart(alt.Data(values=[{"url": url, "x": x_range[0], "y": w2_range[1]}])).mark_image(
            align="left", baseline="top", aspect=False).encode(x=alt.X("x:Q", scale=xs),
                                                                y=alt.Y("y:Q", scale=ys), url="url:N")
        trail = alt.Chart().mark_line(**trail_mark).encode(x="w1:Q", y="w2:Q", order="k:Q", color=color)
        spec = copy.deepcopy(named(alt.layer(image, trail).properties(height=260)))
        slot.vega_lite_chart(compact_path, spec, width="stretch")
    else:
        chart = LiveChart("options:surface", named(alt.layer(
            alt.Chart(alt.NamedData("grid")).mark_rect().encode(
                x=alt.X("w1:Q", scale=xs), x2="w1b:Q", y=alt.Y("w2:Q", scale=ys), y2="w2b:Q", color=heat),
            alt.Chart(alt.NamedData("path")).mark_line(**trail_mark).encode(
                x="w1:Q", y="w2:Q", order="k:Q", color=color)).resolve_scale(color="independent")),
            height=320, static={"grid": cells.drop(columns="kind")}, refresh_s=1e9)
        sizes = []
        for n in range(1, step + 2):  # a whole run, frame by frame
            rows = path[path["k"] < n].sort_values(["k", "series"], kind="stable", ignore_index=True)
            sizes.append(chart.draw(slot, path=rows.drop(columns="kind")))
        st.session_state["bytes"] = sizes[0] if kind == "LiveChart, full frame" else sizes[-1]


def main():
    from streamlit.testing.v1 import AppTest

    print(f"Momentum surface chart at step 150 of 300: bytes per frame, and at {FPS} frames/s")
    for kind in ("as drawn now", "compact vega", "PNG heat map", "LiveChart, a frame",
                 "LiveChart, full frame"):
        at = AppTest.from_function(surface_frames, args=(kind,), default_timeout=60).run()
        if at.exception:
            raise RuntimeError(at.exception[0].message)
        note = ""
        if kind.startswith("LiveChart"):
            size = at.session_state["bytes"]
        else:
            chart = at.get("vega_lite_chart")[0].proto
            size = chart.ByteSize()
            data = len(chart.data.data) + sum(len(d.data.data) for d in chart.datasets)
            note = f"(spec {len(chart.spec.encode()):,d} B, data {data:,d} B)"
        print(f"  {kind:24s} {size:9,d} B   {size * FPS / 1e3:8,.0f} kB/s   {note}")


if __name__ == "__main__":
    main()

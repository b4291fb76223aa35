// The browser half of ui/charts/live.py: keeps one Vega view per chart key for the life of the tab
// and applies each frame's message to it, so a frame carries only what changed.
//
// A frame arrives as an st.html element: <div host></div><script>boot(message)</script>. Streamlit
// replaces that element's HTML on every frame, so the chart's own node is moved into the newest
// host; the view itself (and its canvas) is never rebuilt while the spec stays the same.
//
// Message: {k: chart key, b: base id, s: frame number, base?: {spec, height, static},
//           d: {dataset: {e: epoch, o: offset, n: rows in total, f?: full, c: columns}},
//           p?: {Vega-Lite parameter: value}}
// A dataset's rows [o, n) are in c. Frames can be lost on the way (Streamlit keeps only the newest
// message per element when a browser falls behind), which is why a frame repeats the rows of the
// last few frames (o lags n) and every few seconds a full frame repeats everything.
(function () {
  if (window.liveChart) return;
  const here = document.currentScript.src;
  const dir = here.slice(0, here.lastIndexOf("/") + 1);

  // Streamlit 1.67's own Vega-Lite theme (light), as its charts render it: sizes in rem of the
  // page's root font (presenter mode enlarges it), and the spec's own config merged over it, as
  // Streamlit does, so that a live chart looks like an st.vega_lite_chart.
  const GREY = "#808495", GRID = "#e6eaf1";
  function theme() {
    const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const rem = (r) => r * root;
    return {
      font: '"Source Sans", sans-serif', background: "transparent", fieldTitle: "verbal",
      autosize: { type: "fit", contains: "padding" },
      title: { align: "left", anchor: "start", color: "#2F2D2B", fontWeight: 600,
               fontSize: rem(1), orient: "top", offset: 26 },
      axis: { labelFontSize: rem(0.75), labelFontWeight: 400, labelColor: GREY,
              titleFontWeight: 400, titleFontSize: rem(0.875), titleColor: GREY, ticks: false,
              gridColor: GRID, domain: false, domainWidth: 1, domainColor: GRID, labelFlush: true,
              labelFlushOffset: 1, labelBound: false, labelLimit: 100, titlePadding: rem(1),
              labelPadding: rem(1), labelSeparation: rem(0.25), labelOverlap: true },
      legend: { labelFontSize: rem(0.875), labelFontWeight: 400, labelColor: GREY,
                titleFontSize: rem(0.875), titleFontWeight: 400, titleColor: GREY,
                titlePadding: rem(0.5), labelPadding: rem(1), columnPadding: rem(0.5),
                rowPadding: rem(0.25), padding: rem(0.5), symbolStrokeWidth: rem(0.25) },
      range: { category: ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1",
                          "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"] },
      view: { columns: 1, strokeWidth: 0, stroke: "transparent", continuousHeight: rem(21.875),
              continuousWidth: rem(25) },
      bar: { binSpacing: rem(0.25), discreteBandSize: { band: 0.85 } },
      axisDiscrete: { grid: false }, axisXPoint: { grid: false }, axisTemporal: { grid: false },
      axisXBand: { grid: false },
    };
  }

  function merge(base, over) {
    const out = { ...base };
    for (const [k, v] of Object.entries(over || {})) {
      const b = out[k];
      out[k] = v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" &&
        !Array.isArray(b) ? merge(b, v) : v;
    }
    return out;
  }

  function load(file) {
    return new Promise((ok, fail) => {
      const s = document.createElement("script");
      s.src = dir + file;
      s.onload = ok;
      s.onerror = () => fail(new Error("could not load " + dir + file));
      document.head.appendChild(s);
    });
  }
  const libs = window.vega && window.vegaLite ? Promise.resolve()
    : load("vega.min.js").then(() => load("vega-lite.min.js"));

  // Large messages come deflated (zlib) and base64-encoded.
  async function unpack(m) {
    if (!m.z) return m;
    const bytes = Uint8Array.from(atob(m.z), (ch) => ch.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return JSON.parse(await new Response(stream).text());
  }

  // Columns → rows. A text column comes as {v: distinct values, i: index of each row's value}.
  function rows(cols) {
    const names = Object.keys(cols);
    const arrays = names.map((k) => {
      const c = cols[k];
      return Array.isArray(c) ? c : c.i.map((j) => c.v[j]);
    });
    const n = arrays.length ? arrays[0].length : 0;
    const out = new Array(n);
    for (let r = 0; r < n; r++) {
      const row = {};
      for (let j = 0; j < names.length; j++) row[names[j]] = arrays[j][r];
      out[r] = row;
    }
    return out;
  }

  const charts = new Map();   // key → {node, view, base, sets, queue, busy, frames, error}

  function chart(key) {
    let c = charts.get(key);
    if (!c) {
      const node = document.createElement("div");
      node.className = "live-chart-view";
      node.style.width = "100%";
      c = { key, node, view: null, base: null, sets: {}, params: {}, queue: [], busy: false, frames: 0,
            renders: 0, lost: 0, error: null, detachedSince: null };
      charts.set(key, c);
    }
    return c;
  }

  // A fitted chart squeezes its plot to leave room for title, axes and legend; with a long legend
  // and presenter mode's larger type that left 70 px of plot. Such a chart grows until its plot is
  // this tall (tests/test_browser_legibility.py asks at least 150 px).
  const MIN_PLOT = 160;

  // The extra height a chart needed is kept for its next builds (each script run sends the spec),
  // as long as the chart is as tall and the type as large: presenter mode's larger type needs
  // more, and once it is off the chart goes back to its own height.
  function rootFont() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }
  function extraPx(c, base) {
    return c.extra && c.extra.height === base.height && c.extra.font === rootFont() ? c.extra.px : 0;
  }

  async function build(c, base, id) {
    const height = base.height + extraPx(c, base);
    const spec = { ...base.spec, height, width: "container" };
    delete spec.usermeta;
    spec.padding = { bottom: 20, ...spec.padding };  // as Streamlit pads its charts
    spec.config = merge(theme(), base.spec.config);
    const vg = vegaLite.compile(spec).spec;
    if (c.view) c.view.finalize();
    c.node.replaceChildren();
    c.node.style.height = height + "px";
    c.font = rootFont();  // the type size and width it is laid out for (refit, below)
    c.width = c.node.clientWidth;
    c.view = new vega.View(vega.parse(vg), { renderer: "canvas", container: c.node, hover: false,
                                              logLevel: vega.Error });
    for (const [name, cols] of Object.entries(base.static || {})) c.view.data(name, rows(cols));
    c.base = id;
    c.baseSpec = base;
    c.fits = (vg.autosize && (vg.autosize.type || vg.autosize)) === "fit";
    c.sets = {};
    c.params = {};
  }

  // After a fitted chart's layout changed (its first, or a frame's: a title's note line appears,
  // a legend gains a run): if its plot came out shorter than MIN_PLOT, build it again taller,
  // keeping the data and parameters it has. A legend longer than the whole chart (compare mode
  // with many runs) leaves no plot at all: then the room it took is added too. (Growing only
  // after a build, and building again without the frame's note, left the error surface's slices
  // at 141 px with their note, or at 160 px without it, by the order frames arrived in.)
  async function grow(c) {
    for (let tries = 0; c.fits && tries < 3; tries++) {
      const h = c.view.height(), base = c.baseSpec;
      if (h >= MIN_PLOT || extraPx(c, base) > 2 * base.height) return;  // a bound, now per frame
      const total = parseFloat(c.node.style.height);
      const bounds = c.view.scenegraph().root.bounds;
      const overflow = Math.max(0, bounds.y2 - bounds.y1 - total);
      c.extra = { height: base.height, font: rootFont(),
                  px: extraPx(c, base) + MIN_PLOT - Math.max(h, 0) + overflow };
      await rebuild(c);
    }
  }

  // The chart built again from its spec for its box as it is now, keeping the data and the
  // parameters it has (a paused page sends no frame that would set them again).
  async function rebuild(c) {
    const sets = c.sets, params = c.params, kept = {};
    for (const name of Object.keys(sets)) kept[name] = c.view.data(name);
    await build(c, c.baseSpec, c.base);
    for (const [name, values] of Object.entries(kept)) c.view.data(name, values);
    for (const [name, value] of Object.entries(params)) param(c, name, value);
    c.sets = sets;
    await c.view.runAsync();
    await c.view.resize().runAsync();
  }

  // A chart laid out for another type size or width than its box has now is built again with its
  // data: the root font changes when presenter mode is turned on or off, and under load a script
  // run's chart could be built before the page's style changed (it then kept presenter mode's
  // type, 14 px taller); a box can change width after the build as the page around it settles.
  function misfit(c) {
    return c.view && c.node.isConnected && c.node.offsetParent !== null &&
           (c.font !== rootFont() || c.node.clientWidth !== c.width);
  }

  async function refit(c) {
    if (c.busy || !misfit(c)) return;
    c.busy = true;
    try {
      await rebuild(c);
      c.renders++;
      await grow(c);
    } catch (e) {
      console.error("live chart refit", c.key, e);
    } finally {
      c.busy = false;
      if (c.queue.length) drain(c);
    }
  }

  // One dataset of one frame; returns whether the view changed.
  function update(c, name, d) {
    const s = c.sets[name];
    if (d.f || (d.o === 0 && (!s || s.e !== d.e))) {
      c.view.data(name, rows(d.c));
      c.sets[name] = { e: d.e, n: d.n };
      return true;
    }
    if (!s || s.e !== d.e || d.o > s.n) { c.lost++; return false; }  // a gap: wait for a full frame
    const fresh = rows(d.c).slice(s.n - d.o);
    s.n = d.n;
    if (!fresh.length) return false;
    c.view.change(name, vega.changeset().insert(fresh));
    return true;
  }

  function param(c, name, value) {
    try {
      if (c.view.signal(name) === value) return false;
      c.view.signal(name, value);
      c.params[name] = value;
      return true;
    } catch (e) {  // the spec has no such parameter
      return false;
    }
  }

  async function drain(c) {
    if (c.busy) return;
    c.busy = true;
    try {
      await libs;
      while (c.queue.length) {
        const batch = c.queue.splice(0);
        let changed = false, built = false;
        for (const packed of batch) {
          const m = await unpack(packed);
          c.frames++;
          if (m.base && m.b !== c.base) { await build(c, m.base, m.b); changed = built = true; }
          if (!c.view || m.b !== c.base) { c.lost++; continue; }
          for (const [name, d] of Object.entries(m.d || {})) changed = update(c, name, d) || changed;
          for (const [name, v] of Object.entries(m.p || {})) changed = param(c, name, v) || changed;
        }
        // As Streamlit draws a chart: a new view runs once and is then re-fitted to its axes and
        // legends; later changes are applied with the re-fit (Vega fits to the previous layout)
        if (built) await c.view.runAsync();
        if (changed) { await c.view.resize().runAsync(); c.renders++; await grow(c); }
      }
      c.error = null;
    } catch (e) {
      c.error = String(e);
      c.node.textContent = "Chart error: " + e.message;
      console.error("live chart", c.key, e);
    } finally {
      c.busy = false;
    }
  }

  // Called by each frame's script with the script element (its host is the element before it).
  function put(script, m) {
    const c = chart(m.k);
    const host = script && script.previousElementSibling;
    if (host && host.isConnected && c.node.parentNode !== host) host.appendChild(c.node);
    c.queue.push(m);
    drain(c);
  }

  setInterval(() => { for (const c of charts.values()) if (misfit(c)) refit(c); }, 500);

  // A view whose node left the page (another page, a rerun without it) is dropped after a while.
  setInterval(() => {
    const now = Date.now();
    for (const [key, c] of charts) {
      if (c.node.isConnected) { c.detachedSince = null; continue; }
      c.detachedSince = c.detachedSince || now;
      if (now - c.detachedSince > 30000) { if (c.view) c.view.finalize(); charts.delete(key); }
    }
  }, 10000);

  window.liveChart = { put, charts };
  for (const [script, m] of window.__liveChartQueue || []) put(script, m);
  window.__liveChartQueue = [];
})();

/* The plan page's Sweep panel: a decision map over one or two inputs (POST /api/sweep, which
   reads the values as `breakeven sweep --vary` does and simulates every cell with the same seed).
   The answer is drawn as a heatmap of one figure (rows: the first input's values, columns: the
   second's) and a table of every figure in every cell. The panel speaks the page's language
   (i18n.js: sweep.*; its own switch changes the whole page's). Uses plan.js through
   window.BEPlan. */
(function () {
  "use strict";
  var el = BE.el, clear = BE.clear, $ = BE.$;
  var P = window.BEPlan;
  var panel = $("#panel-sweep");
  if (!P || !panel) return;

  var AXES = 2;
  var FIGURES = [  // [figure, its key in a row, which way is better, kind]
    ["p_breakeven", "p_breakeven", "high", "pct"],
    ["breakeven_month", "breakeven_month_p50", "low", "month"],
    ["npv", "npv_p50", "high", "money"],
    ["peak_funding_need", "peak_funding_need_p90", "low", "money"],
    ["p_cash_out", "p_cash_out", "low", "pct"]
  ];
  var FIG = {};
  FIGURES.forEach(function (f) { FIG[f[0]] = { key: f[1], better: f[2], kind: f[3] }; });

  var lang = BE.lang();
  var state = { result: null, controller: null, seq: 0, sent: null };
  var page = window.breakevenPage || (window.breakevenPage = {});
  page.sweeps = 0;
  page.sweeping = false;
  page.sweepError = null;

  function t(key, args) { return BE.t("sweep." + key, args); }
  function figName(fig) { return t("fig." + fig); }

  // ---------------------------------------------------------------- the form
  function inputSelect(i) { return $("#sweep-input-" + i); }
  function valuesBox(i) { return $("#sweep-values-" + i); }
  function axisError(i, msg) {
    var box = valuesBox(i), sel = inputSelect(i);
    $("#sweep-err-" + i).textContent = msg || "";
    [box, sel].forEach(function (n) {
      n.classList.toggle("bad", !!msg);
      if (msg) n.setAttribute("aria-invalid", "true"); else n.removeAttribute("aria-invalid");
    });
  }

  /** The value sent for a field: $name for a variable, else its path. */
  function refOf(f) {
    return /^variables\./.test(f.path) ? "$" + f.path.slice("variables.".length) : f.path;
  }
  function fieldOf(ref) { return ref ? P.field(ref) : null; }
  function nameOfRef(ref, label) {
    var f = fieldOf(ref);
    return f ? f.longName || f.name : (label || ref);
  }

  /** The inputs a sweep can hold: uncertain, fixed and month-by-month ones, by group. */
  function fillInputs() {
    var fields = P.fields().filter(function (f) {
      return f.inp.kind === "uncertain" || f.inp.kind === "point" || f.inp.kind === "schedule";
    });
    for (var i = 0; i < AXES; i++) {
      var sel = inputSelect(i), was = sel.value;
      clear(sel);
      sel.appendChild(el("option", { value: "", text: t(i === 0 ? "pick" : "none") }));
      var byGroup = {}, groups = [];
      fields.forEach(function (f) {
        if (!byGroup[f.group]) { byGroup[f.group] = []; groups.push(f.group); }
        byGroup[f.group].push(f);
      });
      groups.forEach(function (g) {
        sel.appendChild(el("optgroup", { label: g }, byGroup[g].map(function (f) {
          return el("option", { value: refOf(f), text: f.name, title: f.path });
        })));
      });
      if (was && fieldOf(was)) sel.value = was;
    }
    countCells();
  }

  /** Three values around an input's own: its 90% range's ends and middle, or ±20% of a fixed
      value (or of a schedule's first month), as the person would type them. */
  function suggest(f) {
    var inp = f.inp, xs = [];
    var round = function (x, d) { return Number(Number(x).toPrecision(d)); };
    if (inp.kind === "uncertain" && !BE.undef(inp.low) && !BE.undef(inp.high)) {
      xs = [round(inp.low, 4), round((inp.low + inp.high) / 2, 3), round(inp.high, 4)];
    } else {
      var v = inp.value;
      if (inp.kind === "schedule") {
        var ks = Object.keys(inp.months || {}).sort(function (a, b) { return Number(a) - Number(b); });
        v = ks.length ? inp.months[ks[0]] : null;
      }
      if (typeof v !== "number" || !isFinite(v) || v === 0) return "";
      xs = [round(0.8 * v, 2), round(v, 4), round(1.2 * v, 2)];
      if (f.pct || inp.domain === "fraction") xs = xs.filter(function (x) { return x >= 0 && x <= 1; });
    }
    var seen = {}, out = [];
    xs.forEach(function (x) {
      var s = BE.typed(x, f.pct);
      if (!seen[s]) { seen[s] = true; out.push(s); }
    });
    return out.join(", ");
  }

  function picked(i) {
    var sel = inputSelect(i), box = valuesBox(i);
    var f = fieldOf(sel.value);
    axisError(i, "");
    if (!f) {
      if (box.getAttribute("data-auto") === "1") box.value = "";
      box.placeholder = "";
    } else {
      box.placeholder = f.pct ? "1%, 3%, 5%" : "29, 39, 49";
      if (!box.value.trim() || box.getAttribute("data-auto") === "1") {
        box.value = suggest(f);
        box.setAttribute("data-auto", "1");
      }
    }
    countCells();
  }

  function tokens(text) {
    return String(text || "").split(",").map(function (s) { return s.trim(); });
  }
  /** The values as sent: as typed, except that in a percentage a bare number means percent. */
  function valuesText(f, text) {
    return tokens(text).map(function (s) {
      return f && f.pct && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? s + "%" : s;
    }).join(", ");
  }

  /** Why values would not mean what they seem to, or null: "1,500" splits at its comma (1 and
      500); in a percentage a bare 0.05 means 0.05%, not 5%. */
  function valuesProblem(f, text) {
    var grouped = /(^|[^\d.])(\d{1,3}(?:,\d{3})+)(?![\d.])/.exec(text);
    if (grouped && !/,\s/.test(text)) {
      return t("thousands", { got: grouped[2], one: grouped[2].replace(/,/g, ""), two: grouped[2].split(",").join(", ") });
    }
    if (f && f.pct) {
      var tiny = tokens(text).filter(function (s) { return /^[+-]?(0?\.\d+)$/.test(s) && Number(s) !== 0; })[0];
      if (tiny) {
        return t("tinyPct", { got: tiny, pct: Number((Number(tiny) * 100).toPrecision(6)) + "%" });
      }
    }
    return null;
  }

  /** The grid the form describes, or {error, axis}. */
  function readForm() {
    var vary = [], refs = [];
    for (var i = 0; i < AXES; i++) {
      var ref = inputSelect(i).value;
      var text = valuesBox(i).value.trim();
      if (!ref) {
        if (i === 0) return { error: t("needInput"), axis: 0 };
        continue;
      }
      var f = fieldOf(ref);
      if (!text) {
        return { error: t("needValues", { name: nameOfRef(ref), example: f && f.pct ? "1%, 3%" : "29, 39, 49" }), axis: i };
      }
      var problem = valuesProblem(f, text);
      if (problem) return { error: problem, axis: i };
      if (refs.indexOf(ref) >= 0) return { error: t("same"), axis: i };
      refs.push(ref);
      vary.push({ input: ref, values: valuesText(f, text), axis: i });
    }
    return { vary: vary };
  }

  function countCells() {
    var n = 1, any = false;
    for (var i = 0; i < AXES; i++) {
      if (!inputSelect(i).value) continue;
      var k = tokens(valuesBox(i).value).filter(function (s) { return s; }).length;
      n *= k;
      any = true;
    }
    $("#sweep-cells").textContent = any && n ? (n === 1 ? t("cell") : t("cells", { n: n.toLocaleString("en-US") })) : "";
  }

  // ---------------------------------------------------------------- running
  function run(ev) {
    if (ev) ev.preventDefault();
    var out = $("#out-sweep");
    for (var i = 0; i < AXES; i++) axisError(i, "");
    var form = readForm();
    if (form.error) {
      clear(out);  // an earlier answer or error is not this form's
      axisError(form.axis, form.error);
      (form.axis === 0 && !inputSelect(0).value ? inputSelect(0) : valuesBox(form.axis)).focus();
      return;
    }
    if (state.controller) state.controller.abort();
    var ctrl = new AbortController();
    state.controller = ctrl;
    var seq = ++state.seq;
    var samples = parseInt($("#sweep-samples").value, 10) || 2000;
    var cells = $("#sweep-cells").textContent;
    page.sweeping = true;
    page.sweepError = null;
    P.busyOut(out, t("running", { cells: cells, samples: samples.toLocaleString("en-US") }));
    var sent = form.vary;
    P.plan().then(function (yaml) {
      if (seq !== state.seq) return null;
      return BE.api("/api/sweep", {
        yaml: yaml, samples: samples, seed: P.settings().seed,
        vary: sent.map(function (v) { return { input: v.input, values: v.values }; }),
        lang: BE.lang()
      }, { signal: ctrl.signal });
    }).then(function (r) {
      if (!r || seq !== state.seq) return;
      state.result = r;
      state.sent = sent;
      render();
      page.sweeps++;
    }).catch(function (err) {
      if (BE.isAbort(err) || seq !== state.seq) return;
      page.sweepError = err.message || String(err);
      failed(out, err, sent);
    }).then(function () {
      if (seq === state.seq) { page.sweeping = false; state.controller = null; }
    });
  }

  /** A 422's located problems next to the input or values they concern; the rest above the
      answer. */
  function failed(out, err, sent) {
    var rest = [];
    (err.detail || []).forEach(function (d) {
      var m = /^vary\.(\d+)(?:\.(input|values))?$/.exec(String(d.loc || ""));
      var item = m ? sent[Number(m[1])] : null;
      // beside the input it concerns, the message need not name the input's path again
      if (item) axisError(item.axis, String(d.msg).replace(/^vary [^\s:]+: /, ""));
      else rest.push(d);
    });
    if (err.detail && err.detail.length && !rest.length) {
      clear(out).appendChild(el("p", { class: "msg muted", role: "status", text: t("notRun") }));
      return;
    }
    if (rest.length && err.detail && rest.length < err.detail.length) {
      err = new BE.ApiError(err.status, rest.map(function (d) { return d.msg; }).join("\n"), rest);
    }
    P.errorOut(out, err);
  }

  // ---------------------------------------------------------------- the answer
  function fmt(fig, v, r, long) {
    var k = FIG[fig].kind;
    if (k === "pct") return BE.pct(v, 1);
    if (k === "money") return BE.money(v, r.currency, lang);
    if (BE.undef(v)) return t("beyond", { h: r.horizon_months });
    var m = Math.round(v);
    return long && r.start ? m + " (" + calendar(r.start, m) + ")" : String(m);
  }
  /** The calendar month (YYYY-MM) of plan month m of a plan starting on `start`. */
  function calendar(start, m) {
    var p = /^(\d{4})-(\d{2})/.exec(String(start));
    if (!p) return "";
    var k = Number(p[1]) * 12 + Number(p[2]) - 1 + m - 1;
    var mm = k % 12 + 1;
    return Math.floor(k / 12) + "-" + (mm < 10 ? "0" : "") + mm;
  }
  function valueText(inp, x) {
    return P.inputValue(x, fieldOf(inp.ref), inp.domain);
  }
  function cellText(r, row) {
    return r.vary.map(function (inp) { return nameOfRef(inp.ref, inp.label) + " = " + valueText(inp, row[inp.ref]); })
      .join(lang === "zh" ? "，" : ", ");
  }

  function render() {
    var r = state.result, out = $("#out-sweep");
    if (!r) return;
    var fig = $("#sweep-figure").value || "p_breakeven";
    var f = FIG[fig];
    clear(out);
    out.appendChild(el("p", { class: "note", id: "sweep-done", text: t("done", {
      cells: r.cells === 1 ? t("cell") : t("cells", { n: r.cells.toLocaleString("en-US") }),
      samples: r.samples.toLocaleString("en-US"), seed: r.seed,
      secs: BE.sig((r.elapsed_ms || 0) / 1000, 2) }) }));
    (r.warnings || []).forEach(function (w) { out.appendChild(el("div", { class: "banner warn", text: w })); });
    var bi = (r.best || {})[fig];
    var best = BE.undef(bi) ? null : r.rows[bi];
    if (best) {
      out.appendChild(el("p", { class: "sweep-best", id: "sweep-best", text: t("best", {
        figure: figName(fig), cell: cellText(r, best), value: fmt(fig, best[f.key], r, true) }) }));
    }
    var rowsIn = r.vary[0], colsIn = r.vary.length > 1 ? r.vary[1] : null;
    var chart = el("div", { class: "chart sweep-chart", id: "chart-sweep", role: "img",
      "aria-label": t("chart", { figure: figName(fig), rows: nameOfRef(rowsIn.ref, rowsIn.label),
                                 cols: colsIn ? t("chartCols", { cols: nameOfRef(colsIn.ref, colsIn.label) }) : "" }) });
    out.appendChild(chart);
    if (fig === "breakeven_month" && r.rows.some(function (x) { return BE.undef(x[f.key]); })) {
      out.appendChild(el("p", { class: "note", text: t("beyondNote", { h: r.horizon_months }) }));
    }
    out.appendChild(el("div", { class: "scroll" }, table(r, fig, bi)));
    draw(r, fig, bi);
  }

  function table(r, fig, bi) {
    var head = r.vary.map(function (inp) { return nameOfRef(inp.ref, inp.label); })
      .concat(FIGURES.map(function (x) { return figName(x[0]); }));
    var rows = r.rows.map(function (row) {
      return r.vary.map(function (inp) { return valueText(inp, row[inp.ref]); })
        .concat(FIGURES.map(function (x) { return fmt(x[0], row[x[1]], r, true); }));
    });
    var tbl = BE.table(head, rows, r.vary.length);
    tbl.id = "sweep-table";
    tbl.insertBefore(el("caption", { class: "sr-only", text: t("tableCaption") }), tbl.firstChild);
    Array.prototype.forEach.call(tbl.tBodies[0].rows, function (tr, i) {
      if (i === bi) tr.classList.add("best");
    });
    // the figure the heatmap shows is the column to read
    var col = r.vary.length + FIGURES.map(function (x) { return x[0]; }).indexOf(fig);
    Array.prototype.forEach.call(tbl.rows, function (tr) {
      if (tr.cells[col]) tr.cells[col].classList.add("shown");
    });
    return tbl;
  }

  var GOOD = "#1b9e77", MID = "#f7f4e3", BAD = "#d9534f";

  function draw(r, fig, bi) {
    if (!window.Plotly) { $("#chart-sweep").textContent = BE.t("common.no_plotly"); return; }
    var f = FIG[fig];
    var rowsIn = r.vary[0], colsIn = r.vary.length > 1 ? r.vary[1] : null;
    var nr = rowsIn.values.length, nc = colsIn ? colsIn.values.length : 1;
    var worst = r.horizon_months + 1;  // a month that never comes: later than any
    var z = [], text = [], hover = [];
    for (var i = 0; i < nr; i++) {
      z.push([]); text.push([]); hover.push([]);
      for (var j = 0; j < nc; j++) {
        var row = r.rows[i * nc + j];
        var v = row[f.key];
        z[i].push(BE.undef(v) ? (f.kind === "month" ? worst : null) : v);
        text[i].push(fmt(fig, v, r, false));
        hover[i].push(BE.escapePlotly(cellText(r, row)) + "<br>" + BE.escapePlotly(figName(fig)) + ": " +
                      BE.escapePlotly(fmt(fig, v, r, true)));
      }
    }
    var range = BE.finite([].concat.apply([], z).map(function (x) { return [x]; }));
    var lo = range[0], hi = range[1];
    if (!(hi > lo)) { lo = isFinite(lo) ? lo - 1e-9 : 0; hi = isFinite(hi) ? hi + 1e-9 : 1; }
    var scale = f.better === "high" ? [[0, BAD], [0.5, MID], [1, GOOD]] : [[0, GOOD], [0.5, MID], [1, BAD]];
    var colorbar = { thickness: 12, outlinewidth: 0, len: 0.9 };
    if (f.kind === "pct") colorbar.tickformat = ".0%";
    if (f.kind === "money") {
      var ticks = BE.niceTicks(lo, hi, 5).filter(function (x) { return x >= lo && x <= hi; });
      colorbar.tickmode = "array";
      colorbar.tickvals = ticks;
      colorbar.ticktext = ticks.map(function (x) { return BE.money(x, r.currency, lang); });
    }
    var idx = function (n) { var a = []; for (var k = 0; k < n; k++) a.push(k); return a; };
    var trace = {
      type: "heatmap", z: z, x: idx(nc), y: idx(nr), text: text, customdata: hover,
      texttemplate: "%{text}", textfont: { size: nc > 8 ? 10.5 : 12.5 },
      hovertemplate: "%{customdata}<extra></extra>", colorscale: scale, zmin: lo, zmax: hi,
      xgap: 2, ygap: 2, colorbar: colorbar, hoverongaps: false
    };
    var rowName = nameOfRef(rowsIn.ref, rowsIn.label);
    var colName = colsIn ? nameOfRef(colsIn.ref, colsIn.label) : "";
    var shapes = [];
    if (!BE.undef(bi)) {
      var bj = bi % nc, bii = Math.floor(bi / nc);
      shapes.push({ type: "rect", xref: "x", yref: "y", x0: bj - 0.5, x1: bj + 0.5, y0: bii - 0.5, y1: bii + 0.5,
                    line: { color: "#1f2933", width: 2.5 } });
    }
    var node = $("#chart-sweep");
    node.style.height = Math.max(240, Math.min(720, 46 * nr + 130)) + "px";
    P.react("chart-sweep", [trace], BE.layout({
      hovermode: "closest", uirevision: "sweep-" + state.seq + "-" + fig,
      margin: { l: 10, r: 10, t: colsIn ? 56 : 20, b: 20 },
      xaxis: { tickmode: "array", tickvals: idx(nc), showgrid: false, side: "top",
               ticktext: colsIn ? colsIn.values.map(function (x) { return BE.escapePlotly(valueText(colsIn, x)); }) : [""],
               title: { text: BE.escapePlotly(colName) }, ticks: "", linecolor: "rgba(0,0,0,0)" },
      yaxis: { tickmode: "array", tickvals: idx(nr), autorange: "reversed", showgrid: false,
               ticktext: rowsIn.values.map(function (x) { return BE.escapePlotly(valueText(rowsIn, x)); }),
               title: { text: BE.escapePlotly(rowName) }, ticks: "" },
      shapes: shapes
    }));
  }

  // ---------------------------------------------------------------- language
  function words() {
    panel.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    var sw = $("#sweep-lang");
    sw.textContent = t("other");
    sw.setAttribute("lang", t("otherLang"));
    sw.setAttribute("title", t("switchTo"));
    sw.setAttribute("aria-label", t("switchTo"));
    var sel = $("#sweep-figure"), was = sel.value || "p_breakeven";
    clear(sel);
    FIGURES.forEach(function (x) { sel.appendChild(el("option", { value: x[0], text: figName(x[0]) })); });
    sel.value = was;
    if (P.fields().length) fillInputs();
  }

  function wire() {
    for (var i = 0; i < AXES; i++) {
      (function (i) {
        inputSelect(i).addEventListener("change", function () { picked(i); });
        valuesBox(i).addEventListener("input", function () {
          valuesBox(i).removeAttribute("data-auto");
          axisError(i, "");
          countCells();
        });
      })(i);
    }
    $("#form-sweep").addEventListener("submit", run);
    $("#sweep-figure").addEventListener("change", render);
    // the panel's own switch changes the whole page's language (i18n.js redraws the static
    // words and sends breakeven:lang, as the switch in the top bar does)
    $("#sweep-lang").addEventListener("click", function () {
      BE.setLang(lang === "zh" ? "en" : "zh");
    });
    document.addEventListener("breakeven:lang", function () {
      lang = BE.lang();
      words();
      if (state.result && (state.result.warnings || []).length && !state.controller) {
        run();  // its warnings are the server's sentences: asked again in this language
      } else {
        render();
      }
    });
    document.addEventListener("breakeven:inputs", fillInputs);
  }

  wire();
  words();
})();

/* The plan page: the plan's inputs as a form; every change is applied to the plan and re-run
   (debounced; a newer edit aborts the older request), and the headline and charts redrawn.
   Save run, Download YAML, Sensitivity, Goal-seek, Compare and Actuals work on the plan as edited;
   Actuals can replace the plan with the one it updated on them.
   Every word is the page's language's (i18n.js: plan.*); the server's sentences (headline,
   notes, warnings, goal-seek's answer, the update's narrative) come in it (`lang` in each
   request), and switching the language redraws the page in the other one. */
(function () {
  "use strict";
  var el = BE.el, clear = BE.clear, $ = BE.$, t = BE.t;

  var DEBOUNCE_MS = 250;
  var METRICS = {  // names: plan.metric.<key>
    npv: { kind: "money" },
    breakeven_month: { kind: "month" },
    sustained_breakeven_month: { kind: "month" },
    payback_month: { kind: "month" },
    peak_funding_need: { kind: "money" },
    runway_months: { kind: "months" },
    ending_cash: { kind: "money" },
    revenue_last_month: { kind: "money" },
    ebitda_total: { kind: "money" },
    roi: { kind: "pct" }
  };
  var PROBS = ["p_breakeven", "p_cash_out"];  // names: plan.prob.<key>
  var GOALS = [  // [target figure, its default value]; names: plan.goal.<figure>
    ["p_breakeven", "80%"],
    ["p_cash_out", "10%"],
    ["npv.p50", "0"],
    ["breakeven_month.p50", "36"],
    ["peak_funding_need.p50", ""],
    ["peak_funding_need.p90", ""],
    ["ending_cash.p50", "0"]
  ];
  /** A metric's name as the page says it (its key when the page has no name for it). */
  function metricName(k) { return BE.has("plan.metric." + k) ? t("plan.metric." + k) : k; }
  /** The separator of a list in a sentence: ", " or "、". */
  function listSep() { return t("common.list_sep"); }

  var state = {
    id: null,
    name: "",
    original: "",         // the plan's YAML as loaded
    current: "",          // the plan with the edits that were applied last
    fields: {},           // path → field (see makeField)
    order: [],            // paths in the order shown
    edits: {},            // path → text sent to /api/apply
    invalid: {},          // path → message from the server (the edit is left out until fixed)
    local: {},            // path → the page's own message for a box it cannot read (likewise)
    baseline: null,       // headline of the plan as loaded (first run)
    last: null,           // the last /api/simulate answer
    currency: "",
    timer: null,
    controller: null,
    seq: 0,
    inflight: null,
    runs: 0,
    suffix: "",           // "-updated" once the plan updated on actuals replaced the one loaded
    update: null,         // the last /api/update answer
    updateError: false,   // whether the error area shows an update's error
    answers: {},          // each tool's answer on the page (asked again in another language)
    saved: null           // the run saved last
  };
  // for tests and screenshots: how many runs have been drawn, and whether one is pending
  window.breakevenPage = { ready: false, runs: 0, busy: true, error: null, updates: 0, updating: false };

  // ---------------------------------------------------------------- status
  function status(kind, text) {
    var s = $("#status");
    s.className = "status " + (kind || "");
    var txt = $(".txt", s);
    txt.removeAttribute("data-i18n");
    txt.textContent = text;
    window.breakevenPage.busy = kind === "busy";
  }
  /** The error area: a message, and its located details when there are several. `opts.title`
      heads it; with `opts.lines` the message keeps its lines (one located problem each). */
  function showError(message, details, opts) {
    opts = opts || {};
    var box = $("#error");
    clear(box);
    state.updateError = false;
    if (!message) { box.hidden = true; return; }
    if (opts.title) box.appendChild(el("strong", { text: opts.title }));
    box.appendChild(el("div", { class: opts.lines ? "lines" : null, text: message }));
    if (details && details.length > 1) {
      box.appendChild(el("ul", null, details.map(function (d) {
        return el("li", { text: (d.loc ? d.loc + (d.line ? " " + t("plan.at_line", { n: d.line }) : "") + ": " : "") + d.msg });
      })));
    }
    box.hidden = false;
  }
  function showWarnings(list) {
    var box = $("#warnings");
    clear(box);
    list = list || [];
    if (!list.length) { box.hidden = true; return; }
    box.appendChild(el("strong", { text: list.length === 1 ? t("plan.warning") : t("plan.warnings") }));
    box.appendChild(el("ul", null, list.map(function (w) {
      if (typeof w === "string") return el("li", { text: w });
      var f = w.field ? fieldFor(w.field) : null;
      return el("li", null,
        w.field ? el("strong", { text: (f ? f.longName || f.name : w.field) + ": " }) : null,
        String(w.message || w.msg || JSON.stringify(w)));
    })));
    box.hidden = false;
  }

  function settings() {
    var seed = seedValue();
    return { samples: parseInt($("#samples").value, 10) || 10000, seed: seed === null ? 1 : seed };
  }
  /** The seed box's whole number (0 to 2^53 − 1, the largest a page sends exactly), or null. */
  function seedValue() {
    var v = $("#seed").value.trim();
    if (!/^\d+$/.test(v)) return null;
    var n = Number(v);
    return n <= Number.MAX_SAFE_INTEGER ? n : null;
  }
  /** Check the seed box: a message beside it, kept (and runs held) until it reads. */
  function seedChanged() {
    var bad = seedValue() === null;
    var box = $("#seed"), err = $("#seed-err");
    state.seedError = bad ? t("plan.err.seed", { got: box.value.trim() || t("plan.err.nothing") }) : null;
    err.textContent = state.seedError || "";
    err.hidden = !bad;
    box.classList.toggle("bad", bad);
    if (bad) { box.setAttribute("aria-invalid", "true"); status("error", t("plan.st.fix_input")); }
    else { box.removeAttribute("aria-invalid"); schedule(); }
  }

  // ---------------------------------------------------------------- inputs
  /** Fractions and rates are typed as percentages (the domain says which inputs are). */
  function isPercent(inp) {
    if (inp.domain) return inp.domain === "fraction" || inp.domain === "rate";
    var u = String(inp.unit || "").toLowerCase();
    return ["fraction", "rate", "percent", "%", "share", "probability"].indexOf(u) >= 0 ||
           /%/.test(String(inp.text || ""));
  }
  function unitText(inp, pctMode) {
    var u = String(inp.unit || "").trim();
    var per = /^1\/(\w+)$/.exec(u);
    if (pctMode) return per ? t("plan.unit.pct_per", { per: unitWord(per[1]) }) : "%";
    if (per) return t("plan.unit.per", { per: unitWord(per[1]) });
    if (["number", "count", "real", "positive", "nonnegative", "fraction", "probability"].indexOf(u) >= 0) return "";
    return BE.lang() === "zh" ? u.split("/").map(unitWord).join("/") : u;
  }
  /** One part of a unit in the page's language (month → 月; a currency code as it is). */
  function unitWord(w) {
    w = String(w).trim();
    return BE.lang() === "zh" && BE.has("plan.unit.w." + w) ? t("plan.unit.w." + w) : w;
  }
  var TO_RE = /^\s*(.+?)\s+to\s+(.+?)\s*$/;
  /** What a box shows at first: the plan's own text when it is a plain number (600k, 6%), in
      percent for fractions; else the number, to 4 significant digits. */
  function shown(text, value, pctMode) {
    var v = text === null || text === undefined ? null : BE.parseNumber(text);
    if (v !== null) return pctMode ? BE.typed(v, true) : String(text).trim();
    if (typeof value === "number") return BE.typed(Number(value.toPrecision(4)), pctMode);
    return value === null || value === undefined ? "" : String(value);
  }

  var nextId = 0;
  /** One input's editor. Returns {path, node, text(): the edit or null (unchanged) or
      {error}, reset(), setError(msg), relabel(inp): its words again (another language)}. */
  function makeField(inp) {
    var id = "f" + (++nextId);
    var pctMode = isPercent(inp);
    var errId = id + "-err";
    var err = el("div", { class: "err", id: errId, role: "alert" });
    var was = el("div", { class: "was", hidden: true });
    var resetBtn = el("button", { type: "button", class: "link reset", hidden: true });
    var nameSpan = el("span", { id: id + "-name" });
    var defaultTag = inp.written === false ? el("span", { class: "default" }) : null;
    var unitSpan = el("span", { class: "unit" });
    var node = el("div", { class: "field", "data-path": inp.path, "data-kind": inp.kind, id: id },
      el("div", { class: "name" }, el("span", null, nameSpan, defaultTag), unitSpan));
    var boxes = [];
    var words = [];  // [node, function giving its text or attributes] for relabel
    var field = { path: inp.path, inp: inp, node: node, name: inp.name || inp.path, pct: pctMode };
    var unit = "";
    function label(n, fn) { words.push([n, fn]); return n; }

    function box(labelFn, value, extra) {
      var b = el("input", Object.assign({ type: "text", inputmode: "decimal", autocomplete: "off",
                                          spellcheck: "false", "aria-describedby": errId, value: value }, extra || {}));
      b.addEventListener("input", function () { changed(field); });
      label(b, function () { return { "aria-label": labelFn() }; });
      boxes.push(b);
      return b;
    }
    function withUnit(text) { return text + (unit ? t("plan.paren", { x: unit }) : ""); }
    function num(b, what) {
      var v = BE.parseNumber(b.value);
      if (v === null) return { error: t("plan.err.number", { what: what, got: b.value.trim() || t("plan.err.nothing") }), box: b };
      return { value: v, text: b.value.trim() };
    }

    /** A month's value as YAML: a number or an uncertain one ("600k to 900k") as a quoted
        string (so "1,500" stays one number and nothing typed can add months), percent boxes
        adding %; or a distribution written out ({dist: …}), one mapping the server reads. */
    function scheduleValue(b, what) {
      var v = b.value.trim();
      var r = TO_RE.exec(v);
      if (r) {
        var x = BE.parseNumber(r[1]), y = BE.parseNumber(r[2]);
        if (x === null || y === null) return { error: t("plan.err.range", { what: what, got: v }), box: b };
        if (x > y) return { error: t("plan.err.month_reversed", { what: what }), box: b };
        return { text: JSON.stringify(pctText({ text: r[1] }, pctMode) + " to " + pctText({ text: r[2] }, pctMode)) };
      }
      if (v.charAt(0) === "{") {
        return oneMapping(v) ? { text: v } : { error: t("plan.err.mapping", { what: what, got: v }), box: b };
      }
      var a = num(b, what);
      return a.error ? a : { text: JSON.stringify(pctText(a, pctMode)) };
    }
    var initial;
    if (inp.kind === "uncertain") {
      var parts = TO_RE.exec(String(inp.text || "")) || [];
      var lo = box(function () { return withUnit(t("plan.f.low", { name: field.name })); }, shown(parts[1], inp.low, pctMode));
      var hi = box(function () { return withUnit(t("plan.f.high", { name: field.name })); }, shown(parts[2], inp.high, pctMode));
      node.appendChild(el("div", { class: "row" }, lo,
        label(el("span", { class: "sep" }), function () { return { text: t("plan.f.to") }; }), hi));
      field.read = function () {
        var a = num(lo, t("plan.f.low_word")), b = num(hi, t("plan.f.high_word"));
        if (a.error) return a;
        if (b.error) return b;
        if (a.value > b.value) return { error: t("plan.err.reversed"), box: lo };
        return { text: pctText(a, pctMode) + " to " + pctText(b, pctMode) };
      };
    } else if (inp.kind === "point") {
      var v = box(function () { return withUnit(field.name); }, shown(inp.text, inp.value, pctMode));
      node.appendChild(el("div", { class: "row" }, v));
      field.read = function () {
        var a = num(v, t("plan.f.value_word"));
        return a.error ? a : { text: pctText(a, pctMode) };
      };
    } else if (inp.kind === "schedule") {
      var body = el("tbody");
      var tbl = el("table", { class: "sched" },
        label(el("caption", { class: "sr-only" }), function () { return { text: t("plan.f.by_month_of", { name: field.name }) }; }),
        el("thead", null, el("tr", null,
          label(el("th", { scope: "col" }), function () { return { text: t("plan.f.from_month") }; }),
          label(el("th", { scope: "col" }), function () { return { text: withUnit(t("plan.f.value")) }; }),
          el("th", null, label(el("span", { class: "sr-only" }), function () { return { text: t("plan.f.remove") }; })))),
        body);
      var addRow = function (m, val) {
        var mb = box(function () { return t("plan.f.month_box", { name: field.name }); }, m, { inputmode: "numeric" });
        var vb = box(function () { return t("plan.f.value_box", { name: field.name }); }, val);
        var x = el("button", { type: "button", class: "link", text: "×",
          onclick: function () {
            if (body.rows.length <= 1) return;  // a schedule keeps one month (the button is disabled)
            boxes.splice(boxes.indexOf(mb), 1); boxes.splice(boxes.indexOf(vb), 1);
            body.removeChild(tr); lastRow(); changed(field);
          } });
        label(x, function () { return { "aria-label": t("plan.f.remove_month", { name: field.name }) }; });
        var tr = el("tr", null, el("td", null, mb), el("td", null, vb), el("td", { class: "x" }, x));
        body.appendChild(tr);
        lastRow();
        relabel();
        return mb;
      };
      /** The last month left cannot be removed: its × is disabled. */
      var lastRow = function () {
        Array.prototype.forEach.call(body.querySelectorAll("td.x button"), function (b) {
          b.disabled = body.rows.length <= 1;
        });
      };
      var months = inp.months || {};
      Object.keys(months).sort(function (a, b) { return Number(a) - Number(b); }).forEach(function (k) {
        addRow(k, shown(typeof months[k] === "string" ? months[k] : null, months[k], pctMode));
      });
      if (!body.rows.length) addRow("1", "");
      node.appendChild(tbl);
      node.appendChild(label(el("button", { type: "button", class: "link",
        onclick: function () { addRow("", "").focus(); } }), function () {
        return { text: t("plan.f.add_month"), "aria-label": t("plan.f.add_month_to", { name: field.name }) };
      }));
      field.read = function () {
        var parts = [], seen = {};
        for (var i = 0; i < body.rows.length; i++) {
          var ins = body.rows[i].querySelectorAll("input");
          var m = ins[0].value.trim(), val = ins[1].value.trim();
          if (!m && !val) continue;
          if (!/^\d+$/.test(m)) return { error: t("plan.err.month", { got: m || t("plan.err.nothing") }), box: ins[0] };
          if (seen[m]) return { error: t("plan.err.month_twice", { m: m }), box: ins[0] };
          if (state.horizon && Number(m) > state.horizon) {
            return { error: t("plan.err.month_past", { m: m, h: state.horizon }), box: ins[0] };
          }
          seen[m] = true;
          var a = scheduleValue(ins[1], t("plan.f.value_for_month", { m: m }));
          if (a.error) return a;
          parts.push([Number(m), m + ": " + a.text]);
        }
        if (!parts.length) return { error: t("plan.err.no_months"), box: boxes[0] };
        parts.sort(function (x, y) { return x[0] - y[0]; });
        return { text: "{" + parts.map(function (p) { return p[1]; }).join(", ") + "}" };
      };
    } else {  // a choice or anything else: the text as the plan has it
      var c = box(function () { return field.name; },
                  inp.value !== null && inp.value !== undefined ? String(inp.value) : String(inp.text || ""),
                  { inputmode: "text" });
      node.appendChild(el("div", { class: "row" }, c));
      field.read = function () {
        return c.value.trim() ? { text: c.value.trim() } : { error: t("plan.err.empty"), box: c };
      };
    }
    node.appendChild(el("div", { class: "row" }, was, el("span", { class: "spacer", style: "flex:1" }), resetBtn));
    node.appendChild(err);
    initial = field.read();
    field.initialText = initial.text;
    field.initialValues = boxes.map(function (b) { return b.value; });
    field.boxes = function () { return boxes; };

    /** The field's words in the page's language; `next` (optional): its input as the server
        names it now (another language). */
    function relabel(next) {
      if (next) { inp.name = next.name; inp.description = next.description; field.name = inp.name || inp.path; }
      unit = unitText(inp, pctMode);
      nameSpan.textContent = field.name;
      // the reference's description of the field is English: in Chinese the tooltip is its path
      nameSpan.title = (inp.description && BE.lang() !== "zh" ? inp.description + "\n" : "") + inp.path;
      if (defaultTag) defaultTag.textContent = t("plan.f.default");
      unitSpan.textContent = (inp.kind === "uncertain" ? t("plan.f.range90") : inp.kind === "schedule" ? t("plan.f.by_month") : "") +
        (unit ? (inp.kind === "point" || inp.kind === "choice" ? "" : t("plan.f.unit_sep")) + unit : "");
      resetBtn.textContent = t("plan.f.reset");
      resetBtn.setAttribute("aria-label", t("plan.f.reset_label", { name: field.name }));
      was.textContent = t("plan.f.was", { text: inp.text || (initial && initial.text) || "" });
      words.forEach(function (w) {
        var v = w[1]();
        Object.keys(v).forEach(function (k) { if (k === "text") w[0].textContent = v[k]; else w[0].setAttribute(k, v[k]); });
      });
    }
    field.relabel = function (next) {
      relabel(next);
      if (node.classList.contains("has-error") && !state.invalid[field.path]) {
        var r = field.read();  // the page's own message, in the new language
        if (r.error) field.setError(r.error, r.box);
      }
    };
    relabel();

    field.setError = function (msg, badBox) {
      err.textContent = msg || "";
      node.classList.toggle("has-error", !!msg);
      boxes.forEach(function (b) {
        var bad = !!msg && (!badBox || b === badBox);
        b.classList.toggle("bad", bad);
        if (bad) b.setAttribute("aria-invalid", "true"); else b.removeAttribute("aria-invalid");
      });
    };
    field.markChanged = function (on) {
      node.classList.toggle("is-changed", on);
      was.hidden = !on;
      resetBtn.hidden = !on;
      boxes.forEach(function (b) { b.classList.toggle("changed", on); });
    };
    field.reset = function () {
      if (inp.kind === "schedule") {
        clear(body);
        boxes.length = 0;
        Object.keys(months).sort(function (a, b) { return Number(a) - Number(b); }).forEach(function (k) {
          addRow(k, shown(typeof months[k] === "string" ? months[k] : null, months[k], pctMode));
        });
      } else {
        boxes.forEach(function (b, i) { b.value = field.initialValues[i]; });
      }
    };
    resetBtn.addEventListener("click", function () { field.reset(); changed(field); });
    return field;
  }

  function pctText(a, pctMode) {
    // keep what the person typed; a bare number in a percent box means percent (one with a
    // suffix, 2k or 2万, is sent as typed, and a message quotes it as typed)
    if (pctMode && /^[+-]?[\d.,_\s]+$/.test(a.text)) return a.text + "%";
    return a.text;
  }

  /** Whether text is one flow mapping ({…}) and nothing after it: braces and brackets balance
      (outside quotes) and close only at the last character. */
  function oneMapping(text) {
    var depth = 0, quote = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quote) {
        if (ch === "\\" && quote === '"') i++;
        else if (ch === quote) quote = "";
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth < 0 || (depth === 0 && i !== text.length - 1)) return false;
      }
    }
    return depth === 0 && !quote;
  }

  function changed(field) {
    var r = field.read();
    var before = state.edits[field.path], wasInvalid = !!state.invalid[field.path];
    delete state.invalid[field.path];
    if (r.error) {
      // the answer on the page (and anything saved or sent) would be the last good value's:
      // the box keeps its message, and the page says it is not up to date until it is fixed
      state.local[field.path] = r.error;
      field.setError(r.error, r.box);
      if (!state.timer && !state.controller) status("error", t("plan.st.fix_input"));
      return;
    }
    var wasLocal = !!state.local[field.path];
    delete state.local[field.path];
    field.setError("");
    if (r.text === field.initialText) delete state.edits[field.path];
    else state.edits[field.path] = r.text;
    field.markChanged(r.text !== field.initialText);
    $("#btn-reset").disabled = Object.keys(state.edits).length === 0;
    if (state.edits[field.path] === before && !wasInvalid) {  // back to what was sent
      if (wasLocal && !state.timer && !state.controller) showStatus();
      return;
    }
    schedule();
  }

  function renderInputs(groups) {
    var root = $("#groups");
    clear(root);
    state.fields = {};
    state.order = [];
    state.groups = [];
    var narrow = window.matchMedia && window.matchMedia("(max-width: 980px)").matches;
    groups.forEach(function (g, gi) {
      var body = el("div", { class: "body" });
      var defaults = el("div", { class: "body" });
      var n = 0, nd = 0;
      (g.inputs || []).forEach(function (inp) {
        var f = makeField(inp);
        state.fields[inp.path] = f;
        state.order.push(inp.path);
        f.group = g.group;
        // what the plan leaves at its default goes under "more", out of the way
        if (inp.written === false) { defaults.appendChild(f.node); nd++; } else body.appendChild(f.node);
        n++;
      });
      var more = nd ? el("summary") : null;
      if (nd) body.appendChild(el("details", { class: "defaults" }, more, defaults));
      var title = el("span", { class: "t" }), count = el("span", { class: "n" });
      root.appendChild(el("details", { class: "group", open: !narrow || gi < 2, "data-group": g.group },
        el("summary", null, title, count), body));
      state.groups.push({ title: title, count: count, more: more, n: n, nd: nd, name: g.group,
                          paths: (g.inputs || []).map(function (i) { return i.path; }) });
    });
    groupWords();
    if (!groups.length) root.appendChild(el("p", { class: "muted", style: "padding:12px 16px",
                                                   text: t("plan.no_inputs") }));
    root.removeAttribute("aria-busy");
    fillGoalInputs();
    document.dispatchEvent(new CustomEvent("breakeven:inputs"));  // sweep.js lists them too
  }

  /** The groups' titles and counts, and each input's name outside the panel: named with its
      group when its name alone is not unique. */
  function groupWords() {
    (state.groups || []).forEach(function (g) {
      g.title.textContent = g.name;
      g.count.textContent = t(g.n === 1 ? "plan.n_input" : "plan.n_inputs", { n: g.n });
      if (g.more) {
        g.more.textContent = t(g.nd === g.n ? "plan.defaults_all" : "plan.defaults_some",
                               { n: g.nd, inputs: t(g.nd === 1 ? "plan.input_word" : "plan.inputs_word") });
      }
    });
    var count = {};
    state.order.forEach(function (p) { var n = state.fields[p].name; count[n] = (count[n] || 0) + 1; });
    state.order.forEach(function (p) {
      var f = state.fields[p];
      var tail = String(f.group || "").split(" — ").slice(-1)[0];
      f.longName = count[f.name] > 1 && tail ? f.name + t("plan.paren", { x: tail }) : f.name;
    });
  }

  /** The inputs' names and groups in the page's language (the server names them), in place:
      the boxes, what is typed in them and their edits stay. */
  function relabelInputs() {
    var fields = state.fields, groups = state.groups || [];
    return BE.api("/api/inputs", { yaml: state.original, lang: BE.lang() }).then(function (r) {
      var next = {};
      (r.groups || []).forEach(function (g, gi) {
        (g.inputs || []).forEach(function (inp) { next[inp.path] = [inp, g.group]; });
        if (groups[gi]) groups[gi].name = g.group;
      });
      Object.keys(fields).forEach(function (p) {
        var f = fields[p];
        if (next[p]) f.group = next[p][1];
        f.relabel(next[p] ? next[p][0] : null);
      });
    }, function () {
      Object.keys(fields).forEach(function (p) { fields[p].relabel(); });  // the names stay
    }).then(function () {
      if (fields !== state.fields) return;  // another plan came meanwhile
      groupWords();
      fillGoalInputs();
      document.dispatchEvent(new CustomEvent("breakeven:inputs"));
    });
  }

  function filterInputs() {
    var q = $("#filter").value.trim().toLowerCase();
    Array.prototype.forEach.call(document.querySelectorAll("details.group"), function (d) {
      var any = false;
      Array.prototype.forEach.call(d.querySelectorAll(".field"), function (f) {
        var fld = state.fields[f.getAttribute("data-path")];
        var hit = !q || (fld.name + " " + fld.group + " " + fld.path).toLowerCase().indexOf(q) >= 0;
        f.hidden = !hit;
        any = any || hit;
      });
      d.hidden = !any;
      if (q && any) d.open = true;
      Array.prototype.forEach.call(d.querySelectorAll("details.defaults"), function (x) {
        if (q && x.querySelector(".field:not([hidden])")) x.open = true;
      });
    });
  }

  /** Open the groups that hold a field. */
  function reveal(f) {
    for (var n = f.node.parentNode; n && n.id !== "groups"; n = n.parentNode) {
      if (n.tagName === "DETAILS") n.open = true;
    }
  }

  /** The field a located error belongs to: its path, or the nearest input above it. */
  function fieldFor(loc) {
    if (!loc) return null;
    loc = Array.isArray(loc) ? loc.join(".") : String(loc);
    if (state.fields[loc]) return state.fields[loc];
    var best = null;
    Object.keys(state.fields).forEach(function (p) {
      if ((loc.indexOf(p + ".") === 0 || p.indexOf(loc + ".") === 0) && (!best || p.length > best.length)) best = p;
    });
    return best ? state.fields[best] : null;
  }

  // ---------------------------------------------------------------- re-running
  function schedule() {
    clearTimeout(state.timer);
    status("busy", t("plan.st.waiting"));
    document.body.classList.add("pending");
    state.timer = setTimeout(recompute, DEBOUNCE_MS);
  }

  /** Apply the edits to the plan as loaded and run it; a newer call aborts this one. */
  function recompute() {
    clearTimeout(state.timer);
    state.timer = null;
    if (state.seedError) {  // nothing runs on a seed the page cannot read
      status("error", t("plan.st.fix_input"));
      document.body.classList.remove("pending");
      return Promise.resolve();
    }
    if (state.controller) state.controller.abort();
    var ctrl = new AbortController();
    state.controller = ctrl;
    var seq = ++state.seq;
    var edits = {};
    Object.keys(state.edits).forEach(function (p) { if (!state.invalid[p]) edits[p] = state.edits[p]; });
    var sent = Object.keys(edits);
    var s = settings();
    status("busy", t("plan.st.simulating", { n: s.samples.toLocaleString("en-US") }));
    $("#results").classList.add("stale");
    var t0 = performance.now();
    var applied = sent.length
      ? BE.api("/api/apply", { yaml: state.original, edits: edits }, { signal: ctrl.signal })
      : Promise.resolve({ yaml: state.original });
    var run = applied.then(function (r) {
      if (seq !== state.seq) return null;
      state.current = r.yaml;
      sent.forEach(function (p) { if (state.fields[p] && !state.local[p]) state.fields[p].setError(""); });
      return BE.api("/api/simulate", { yaml: r.yaml, samples: s.samples, seed: s.seed, lang: BE.lang() },
                    { signal: ctrl.signal });
    }).then(function (res) {
      if (!res || seq !== state.seq) return;
      showError(null);
      render(res, performance.now() - t0);
    }).catch(function (err) {
      if (BE.isAbort(err) || seq !== state.seq) return;
      if (err.status === 503 && err.retryAfter !== undefined && (state.retries || 0) < 3) {
        // the server is busy (older runs still finishing): try again shortly
        state.retries = (state.retries || 0) + 1;
        status("busy", t("plan.st.retry"));
        state.timer = setTimeout(recompute, Math.min(5, Math.max(0.5, err.retryAfter)) * 1000);
        return;
      }
      failed(err);
    }).then(function () {
      if (seq === state.seq && !state.timer) state.retries = 0;
      if (seq === state.seq && !state.timer) {
        state.controller = null;
        $("#results").classList.remove("stale");
        document.body.classList.remove("pending");
      }
    });
    state.inflight = run;
    return run;
  }

  function failed(err) {
    window.breakevenPage.error = err.message;
    if (err.status === 422 && err.detail && err.detail.length) {
      var placed = 0, rest = [];
      err.detail.forEach(function (d) {
        var f = fieldFor(d.loc);
        if (f && state.edits[f.path] !== undefined) {
          reveal(f);
          f.setError(d.msg);
          state.invalid[f.path] = d.msg;
          placed++;
        } else {
          rest.push(d);
        }
      });
      if (rest.length) showError(placed ? t("plan.err.other_problems") : err.message, rest);
      else showError(null);
      status("error", placed ? t("plan.st.fix_input") : t("plan.st.plan_problem"));
      return;
    }
    showError(err.message);
    status("error", err.status === 503 ? t("plan.st.too_slow") : t("plan.st.not_run"));
  }

  // ---------------------------------------------------------------- drawing
  function render(res, ms) {
    var h = res.headline || {}, c = res.charts || {};
    state.last = res;
    state.currency = h.currency || state.currency;
    if (!state.baseline && Object.keys(state.edits).length === 0) state.baseline = h;
    var horizon = (c.months || []).length;
    if (horizon) state.horizon = horizon;
    renderHeadline(h, horizon);
    renderCharts(c, h.currency);
    showWarnings(res.warnings);
    var server = res.elapsed_ms !== undefined ? t("plan.st.server", { ms: Math.round(res.elapsed_ms) }) : "";
    state.doneText = t("plan.st.done", { ms: Math.round(ms) }) + server;
    showStatus();
    state.runs++;
    window.breakevenPage.runs = state.runs;
    window.breakevenPage.headline = $("#headline").textContent;
    window.breakevenPage.ready = true;
    window.breakevenPage.error = null;
  }

  function headlineText(h, horizon) {  // the server's sentence is used when it sends one
    var month = BE.undef(h.breakeven_month_p50)
      ? t("plan.hl.no_median", { h: horizon })
      : t("plan.hl.median", { m: BE.month(h.breakeven_month_p50, horizon, h.breakeven_date_p50) });
    return t("plan.hl.text", { h: horizon, p: BE.pct(h.p_breakeven), month: month,
                               p50: BE.money(h.peak_funding_need_p50, h.currency),
                               p90: BE.money(h.peak_funding_need_p90, h.currency) });
  }

  function delta(key, now, base, kind, cur, better) {
    if (!base || BE.undef(now) && BE.undef(base[key])) return null;
    var b = base[key];
    if (BE.undef(now) || BE.undef(b)) return now === b ? null : { text: t("plan.d.was", { x: fmtKind(b, kind, cur) }), cls: "" };
    var d = now - b;
    if (Math.abs(d) < 1e-12 * Math.max(1, Math.abs(b))) return null;
    var txt = kind === "pct" ? t("common.pts", { x: (d > 0 ? "+" : "") + (100 * d).toFixed(1) })
            : kind === "month" ? t("common.months_n", { x: (d > 0 ? "+" : "") + d.toFixed(0) })
            : BE.signedMoney(d, cur);
    var good = better === "up" ? d > 0 : d < 0;
    return { text: t("plan.d.vs_original", { x: txt }), cls: good ? "up" : "down" };
  }
  function fmtKind(x, kind, cur, horizon) {
    if (kind === "pct") return BE.pct(x);
    if (kind === "month") return BE.month(x, horizon || t("plan.horizon"));
    if (kind === "months") return BE.undef(x) ? "—" : t("common.months_n", { x: BE.sig(x, 3) });
    return BE.money(x, cur);
  }

  function renderHeadline(h, horizon) {
    var hl = $("#headline");
    hl.removeAttribute("data-i18n");  // the answer's own sentence from now on
    hl.textContent = h.text || headlineText(h, horizon);
    $("#mini").textContent = t("plan.mini", { p: BE.pct(h.p_breakeven), month: BE.month(h.breakeven_month_p50, horizon),
      need: BE.money(h.peak_funding_need_p50, h.currency), npv: BE.money(h.npv_p50, h.currency) });
    var cur = h.currency, base = state.baseline;
    var cards = [
      ["p_breakeven", BE.pct(h.p_breakeven), t("plan.card.p", { h: horizon }), "pct", "up"],
      ["breakeven_month_p50", BE.month(h.breakeven_month_p50, horizon),
       t("plan.card.month") + (h.breakeven_date_p50 ? " · " + String(h.breakeven_date_p50).slice(0, 7) : ""), "month", "down"],
      ["peak_funding_need_p50", BE.money(h.peak_funding_need_p50, cur), t("plan.card.need50"), "money", "down"],
      ["peak_funding_need_p90", BE.money(h.peak_funding_need_p90, cur), t("plan.card.need90"), "money", "down"],
      ["npv_p50", BE.money(h.npv_p50, cur), t("plan.card.npv"), "money", "up"]
    ];
    var root = $("#cards");
    var old = {};
    Array.prototype.forEach.call(root.children, function (c) { old[c.getAttribute("data-key")] = $(".v", c).textContent; });
    clear(root);
    cards.forEach(function (c) {
      var d = delta(c[0], h[c[0]], base, c[3], cur, c[4]);
      var card = el("div", { class: "card", "data-key": c[0] },
        el("div", { class: "v", text: c[1] }),
        el("div", { class: "k", text: c[2] }),
        el("div", { class: "d " + (d ? d.cls : ""), text: d ? d.text : "" }));
      if (old[c[0]] !== undefined && old[c[0]] !== c[1]) {
        card.classList.add("flash");
        setTimeout(function () { card.classList.remove("flash"); }, 700);
      }
      root.appendChild(card);
    });
  }

  function react(id, traces, lay) {
    var node = document.getElementById(id);
    if (!window.Plotly) { node.textContent = t("common.no_plotly"); return; }
    window.Plotly.react(node, traces, lay, BE.plotConfig());
  }

  function renderCharts(c, cur) {
    var xa = BE.xAxis(c);
    var x = xa.x;
    if (c.cash) {
      react("chart-cash", BE.fanTraces(x, c.cash, t("plan.ch.cash"), BE.COLORS.cash, cur),
        BE.layout({ xaxis: xa.axis, yaxis: BE.moneyAxis([c.cash.p10, c.cash.p90, [0]], cur),
                    showlegend: false,
                    shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0,
                               line: { color: BE.COLORS.zero, width: 1.5 } }] }));
    }
    if (c.revenue && c.costs) {
      react("chart-revcost",
        BE.fanTraces(x, c.revenue, t("plan.ch.revenue"), BE.COLORS.revenue, cur)
          .concat(BE.fanTraces(x, c.costs, t("plan.ch.costs"), BE.COLORS.cost, cur)),
        BE.layout({ xaxis: xa.axis,
                    yaxis: BE.moneyAxis([c.revenue.p10, c.revenue.p90, c.costs.p10, c.costs.p90, [0]], cur) }));
    }
    if (c.breakeven_cdf) {
      var cdf = c.breakeven_cdf;
      var cx = xa.dated && cdf.months && c.months && cdf.months.length === c.months.length ? x
             : xa.dated ? cdf.months.map(function (m) { return x[m - 1]; }) : cdf.months;
      var last = cdf.share.length ? cdf.share[cdf.share.length - 1] : 0;
      react("chart-cdf", [{
        x: cx, y: cdf.share, type: "scatter", mode: "lines", line: { shape: "hv", color: BE.COLORS.cdf, width: 2.5 },
        fill: "tozeroy", fillcolor: BE.rgba(BE.COLORS.cdf, 0.08), name: t("plan.ch.broken_even"),
        hovertemplate: "%{y:.0%}<extra>" + BE.escapePlotly(t("plan.ch.broken_even_hover")) + "</extra>"
      }], BE.layout({ xaxis: xa.axis, showlegend: false,
                      yaxis: { range: [0, 1.02], tickformat: ".0%", title: { text: t("plan.ch.share") } },
                      annotations: [{ xref: "paper", x: 1, y: last, yanchor: "bottom", xanchor: "right",
                                      showarrow: false, font: { size: 11, color: "#555" },
                                      text: BE.escapePlotly(t("plan.ch.never", { p: BE.pct(1 - last) })) }] }));
    }
    renderTornado(c.tornado || [], cur, c.tornado_metric, c.tornado_note);
  }

  function renderTornado(rows, cur, metric, note) {
    var node = document.getElementById("chart-tornado");
    var key = METRICS[metric || "npv"] ? metric || "npv" : "npv";
    var m = METRICS[key], mname = metricName(key);
    var tn = $("#tornado-note");
    tn.removeAttribute("data-i18n");
    tn.textContent = t("plan.tornado_note", { metric: mname });
    if (!rows.length) {
      if (window.Plotly) window.Plotly.purge(node);
      node.style.height = "";
      clear(node).appendChild(el("p", { class: "muted", text: note ? t("plan.no_tornado_why", { why: note }) : t("plan.no_tornado") }));
      return;
    }
    if (node.firstChild && node.firstChild.tagName === "P") clear(node);
    rows = rows.slice(0, 12).reverse();  // largest swing on top
    var full = rows.map(function (r) { return nameOf(r.path || r.input, r.name); });
    var names = full.map(function (n) { return BE.escapePlotly(n.length > 34 ? n.slice(0, 33) + "…" : n); });
    var base = rows[0].base;
    var fmt = function (v) { return m.kind === "money" ? BE.money(v, cur) : fmtKind(v, m.kind, cur); };
    var trace = function (side, color, label) {
      return { type: "bar", orientation: "h", y: names, base: base, name: label,
               x: rows.map(function (r) { return r[side] - base; }),
               marker: { color: color },
               text: rows.map(function (r, i) {
                 var v = r["input_" + side];
                 return BE.escapePlotly(full[i]) + (BE.undef(v) ? "" : " = " + inputValue(v, state.fields[r.path], r.domain)) +
                        " → " + fmt(r[side]);
               }),
               textposition: "none", hovertemplate: "%{text}<extra>" + BE.escapePlotly(label) + "</extra>" };
    };
    var vals = [base];
    rows.forEach(function (r) { vals.push(r.low, r.high); });
    var xaxis = m.kind === "money" ? BE.moneyAxis([vals], cur, { title: { text: mname } }, 4)
              : m.kind === "pct" ? { title: { text: mname }, tickformat: ".0%" } : { title: { text: mname } };
    node.style.height = Math.max(260, 30 * rows.length + 90) + "px";
    react("chart-tornado", [trace("low", BE.COLORS.low, t("plan.at_p10")), trace("high", BE.COLORS.high, t("plan.at_p90"))],
      BE.layout({ barmode: "overlay", hovermode: "closest", xaxis: xaxis,
                  yaxis: { automargin: true, showgrid: false },
                  margin: { l: 10, r: 16, t: 10, b: 40 },
                  shapes: [{ type: "line", yref: "paper", y0: 0, y1: 1, x0: base, x1: base,
                             line: { color: "#333", width: 1 } }] }));
  }

  /** An input's name as the inputs list gives it (not its path), else the server's label. */
  function nameOf(path, fallback) {
    var f = path && state.fields[path];
    return f ? f.longName || f.name : (fallback || path || "");
  }

  // ---------------------------------------------------------------- panels
  function togglePanel(id, open) {
    var p = document.getElementById(id);
    var btn = document.querySelector("[aria-controls=" + id + "]");
    var on = open === undefined ? p.hidden : open;
    p.hidden = !on;
    if (btn) btn.setAttribute("aria-expanded", on ? "true" : "false");
    if (on) {
      p.scrollIntoView({ block: "nearest" });
      var first = p.querySelector("input, select, button[type=submit]");
      if (first) first.focus({ preventScroll: true });
    }
    return on;
  }

  /** Wait for the edits to be applied (the plan as edited is what the tools use). */
  function settled() {
    if (state.timer) return recompute();
    return state.inflight || Promise.resolve();
  }
  function pendingProblem() {
    var bad = Object.keys(state.invalid).concat(Object.keys(state.local).filter(function (p) { return !state.invalid[p]; }));
    var names = bad.map(function (p) { return nameOf(p); });
    if (state.seedError) names.push(t("plan.seed"));
    return names.length ? t("plan.fix_first", { names: names.join(listSep()) }) : null;
  }
  /** The status after a run: up to date, unless a box holds what the page cannot read. */
  function showStatus() {
    if (Object.keys(state.local).length || state.seedError) status("error", t("plan.st.fix_input"));
    else if (state.doneText) status("", state.doneText);
  }
  /** The plan as edited, once the edits are applied; refused while an input is marked. */
  function editedPlan() {
    return settled().then(function () {
      var problem = pendingProblem();
      if (problem) throw new Error(problem);
      return state.current;
    });
  }

  function busyOut(out, text) {
    clear(out).appendChild(el("p", { class: "msg muted", text: text }));
  }
  function errorOut(out, err) {
    clear(out).appendChild(el("div", { class: "banner error", role: "alert" },
      el("div", { text: err.message || String(err) }),
      err.detail && err.detail.length > 1 ? el("ul", null, err.detail.map(function (d) {
        return el("li", { text: (d.loc ? d.loc + ": " : "") + d.msg });
      })) : null));
  }

  // Save run
  function saveRun(ev) {
    ev.preventDefault();
    var out = $("#out-save");
    var btn = $("#form-save button[type=submit]");
    btn.disabled = true;
    busyOut(out, t("plan.saving"));
    editedPlan().then(function (plan) {
      var s = settings();
      return BE.api("/api/runs", { yaml: plan, samples: s.samples, seed: s.seed,
                                   note: $("#note").value.trim() });
    }).then(function (run) {
      state.saved = run;
      state.keptEdits = JSON.stringify(state.edits);
      savedOut(run);
      $("#note").value = "";
    }).catch(function (err) { state.saved = null; errorOut(out, err); })
      .then(function () { btn.disabled = false; });
  }
  function savedOut(run) {
    var at = run.created ? String(run.created).replace("T", " ").slice(0, 19) : "";
    clear($("#out-save")).appendChild(el("p", { class: "banner ok", role: "status" },
      t("plan.saved_1"), el("code", { text: String(run.id) }),
      at ? t("plan.saved_at", { at: at }) : "", t("plan.saved_2"),
      el("a", { href: BE.href("/runs"), text: t("plan.saved_link") })));
  }

  function fileStem() {
    return String(state.id || "plan").replace(/^template:/, "").replace(/[^\w.-]+/g, "-");
  }
  function saveText(text, name) {
    var blob = new Blob([text], { type: "application/x-yaml" });
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // Download YAML
  function download() {
    editedPlan().then(function (plan) {
      clear($("#out-save"));
      state.keptEdits = JSON.stringify(state.edits);
      saveText(plan, fileStem() + state.suffix + (Object.keys(state.edits).length ? "-edited" : "") + ".yaml");
    }).catch(function (err) { errorOut($("#out-save"), err); });
  }

  // Sensitivity
  function fillSensitivity() {
    var ms = $("#sens-metric");
    Object.keys(METRICS).forEach(function (k) { ms.appendChild(el("option", { value: k, "data-metric": k })); });
    var method = $("#sens-method");
    method.addEventListener("change", function () { sensitivitySamples(false); });
    sensitivityWords();
  }
  /** The sample sizes a method offers (keeping the one picked when only the words change). */
  function sensitivitySamples(keep) {
    var ss = $("#sens-samples"), was = ss.value;
    clear(ss);
    var opts = $("#sens-method").value === "sobol"
      ? [["512", "512"], ["1024", "1,024"], ["4096", "4,096"]]
      : [["2000", "2,000"], ["10000", "10,000"], ["50000", "50,000"]];
    opts.forEach(function (o, i) {
      var text = $("#sens-method").value === "sobol" ? t("plan.sobol_n", { n: o[1] }) : o[1];
      ss.appendChild(el("option", { value: o[0], text: text, selected: i === 1 }));
    });
    if (keep && was) ss.value = was;
  }
  function sensitivityWords() {
    Array.prototype.forEach.call($("#sens-metric").options, function (o) { o.textContent = metricName(o.value); });
    sensitivitySamples(true);
  }

  function runSensitivity(ev) {
    ev.preventDefault();
    var method = $("#sens-method").value, metric = $("#sens-metric").value;
    var samples = parseInt($("#sens-samples").value, 10);
    busyOut($("#out-sens"), method === "sobol" ? t("plan.sobol_busy") : t("plan.tornado_busy"));
    editedPlan().then(function (plan) {
      sendSensitivity({ yaml: plan, samples: samples, seed: settings().seed, method: method, metric: metric });
    }).catch(function (err) { errorOut($("#out-sens"), err); });
  }
  /** A sensitivity request, in the page's language (kept, to ask again in another one). */
  function sendSensitivity(body) {
    var out = $("#out-sens");
    busyOut(out, body.method === "sobol" ? t("plan.sobol_busy") : t("plan.tornado_busy"));
    state.answers.sens = null;
    body.lang = BE.lang();
    state.sensBody = body;
    var seq = state.sensSeq = (state.sensSeq || 0) + 1;
    BE.api("/api/sensitivity", body).then(function (r) {
      if (seq !== state.sensSeq) return;
      state.answers.sens = r;
      clear(out);
      if (r.method === "sobol") sobolOut(out, r); else tornadoOut(out, r);
    }).catch(function (err) { if (seq === state.sensSeq) errorOut(out, err); });
  }

  function metricFmt(metric) {
    var m = METRICS[metric] || { kind: "money" };
    return function (v) { return m.kind === "money" ? BE.money(v, state.currency) : fmtKind(v, m.kind, state.currency); };
  }

  /** How a goal-seek target's figure reads ("p_breakeven>=0.8": a percentage; "npv.p50>=0":
      money; "breakeven_month.p50<=36": a month). */
  function goalFigureText(target) {
    var key = /^([a-z_]+)/.exec(target), kind = null;
    if (key && PROBS.indexOf(key[1]) >= 0) kind = "pct";
    else if (key && METRICS[key[1]]) kind = METRICS[key[1]].kind;
    return function (v) {
      if (BE.undef(v)) return "—";
      if (kind === "pct") return BE.pctSig(v);
      return kind ? fmtKind(v, kind, state.currency) : BE.sig(v, 3);
    };
  }
  function inputValue(v, field, domain) {
    if (BE.undef(v)) return "—";
    if ((field && field.pct) || domain === "fraction" || domain === "rate") return BE.pctSig(v);
    return Math.abs(v) >= 1e4 ? BE.compact(v) : BE.sig(v, 4);
  }

  function tornadoOut(out, r) {
    var fmt = metricFmt(r.metric);
    var rows = (r.rows || []).slice().sort(function (a, b) { return a.rank - b.rank; });
    var mname = metricName(r.metric);
    out.appendChild(el("p", { class: "note", text: t("plan.sens_base", { metric: mname, value: fmt(r.base) }) +
      (r.note ? t("common.sentence_sep") + r.note : "") }));
    if (!rows.length) {  // nothing uncertain to swing: no chart of empty axes
      out.appendChild(el("p", { class: "muted", text: t("plan.no_tornado") }));
      return;
    }
    var chart = el("div", { class: "chart tall", id: "chart-sens", role: "img",
                            "aria-label": t("plan.sens_label", { metric: mname }) });
    out.appendChild(chart);
    var top = rows.slice(0, 15).reverse();
    var names = top.map(function (x) { return BE.escapePlotly(nameOf(x.input, x.label)); });
    chart.style.height = Math.max(260, 30 * top.length + 90) + "px";
    var tr = function (side, color, label) {
      return { type: "bar", orientation: "h", y: names, base: r.base, name: label,
               x: top.map(function (x) { return x["metric_" + side] - r.base; }), marker: { color: color },
               text: top.map(function (x, i) { return names[i] + " = " + inputValue(x[side], state.fields[x.input], x.domain) + " → " + fmt(x["metric_" + side]); }),
               textposition: "none", hovertemplate: "%{text}<extra></extra>" };
    };
    var vals = [r.base];
    top.forEach(function (x) { vals.push(x.metric_low, x.metric_high); });
    var kind = (METRICS[r.metric] || {}).kind;
    react("chart-sens", [tr("low", BE.COLORS.low, t("plan.at_p10")), tr("high", BE.COLORS.high, t("plan.at_p90"))],
      BE.layout({ barmode: "overlay", hovermode: "closest", margin: { l: 10, r: 16, t: 10, b: 40 },
                  yaxis: { automargin: true, showgrid: false },
                  xaxis: kind === "money" ? BE.moneyAxis([vals], state.currency, { title: { text: mname } })
                       : kind === "pct" ? { title: { text: mname }, tickformat: ".0%" } : { title: { text: mname } },
                  shapes: [{ type: "line", yref: "paper", y0: 0, y1: 1, x0: r.base, x1: r.base, line: { color: "#333", width: 1 } }] }));
    out.appendChild(el("div", { class: "scroll" }, BE.table(
      [t("plan.c.input"), "p10", "p90", t("plan.c.at_p10", { metric: mname }), t("plan.c.at_p90", { metric: mname }),
       t("plan.c.swing"), t("plan.c.cond_swing")],
      rows.map(function (x) {
        var f = state.fields[x.input];
        return [nameOf(x.input, x.label), inputValue(x.low, f, x.domain), inputValue(x.high, f, x.domain),
                fmt(x.metric_low), fmt(x.metric_high),
                kind === "money" ? BE.signedMoney(x.swing, state.currency) : BE.sig(x.swing, 3),
                BE.undef(x.conditional_swing) ? "—" : kind === "money" ? BE.signedMoney(x.conditional_swing, state.currency) : BE.sig(x.conditional_swing, 3)];
      }))));
  }

  function sobolOut(out, r) {
    var mname = metricName(r.metric);
    var keys = Object.keys(r.ST || {}).sort(function (a, b) { return r.ST[b].value - r.ST[a].value; });
    var label = function (k) { return nameOf(k, (r.labels || {})[k] || k); };
    (r.warnings || []).forEach(function (w) { out.appendChild(el("div", { class: "banner warn", text: w })); });
    out.appendChild(el("p", { class: "note", text: t("plan.sobol_share", { metric: mname,
      n: (r.n || "?").toLocaleString("en-US"), base: r.n_base || "?" }) + (r.note ? t("common.sentence_sep") + r.note : "") }));
    var top = keys.slice(0, 15).reverse();
    var chart = el("div", { class: "chart tall", id: "chart-sens", role: "img", "aria-label": t("plan.sobol_label", { metric: mname }) });
    chart.style.height = Math.max(260, 30 * top.length + 90) + "px";
    out.appendChild(chart);
    var names = top.map(function (k) { return BE.escapePlotly(label(k)); });
    var bar = function (which, color, name) {
      return { type: "bar", orientation: "h", y: names, name: name, marker: { color: color },
               x: top.map(function (k) { return Math.max(0, r[which][k].value); }),
               error_x: { type: "data", array: top.map(function (k) { return r[which][k].conf; }), color: "#999", thickness: 1 },
               hovertemplate: "%{x:.1%}<extra>" + BE.escapePlotly(name) + "</extra>" };
    };
    react("chart-sens", [bar("S1", BE.COLORS.low, t("plan.s1")), bar("ST", BE.COLORS.high, t("plan.st"))],
      BE.layout({ barmode: "group", hovermode: "closest", margin: { l: 10, r: 16, t: 10, b: 40 },
                  yaxis: { automargin: true, showgrid: false }, xaxis: { tickformat: ".0%", rangemode: "tozero" } }));
    out.appendChild(el("div", { class: "scroll" }, BE.table([t("plan.c.input"), "S1", "± (95%)", "ST", "± (95%)"],
      keys.map(function (k) {
        return [label(k), BE.pct(r.S1[k].value, 1), BE.pct(r.S1[k].conf, 1), BE.pct(r.ST[k].value, 1), BE.pct(r.ST[k].conf, 1)];
      }))));
  }

  // Goal-seek
  function fillGoalInputs() {
    var sel = $("#goal-input"), was = sel.value;
    clear(sel);
    var byGroup = {};
    state.order.forEach(function (p) {
      var f = state.fields[p];
      if (f.inp.kind !== "uncertain" && f.inp.kind !== "point") return;
      (byGroup[f.group] = byGroup[f.group] || []).push(f);
    });
    Object.keys(byGroup).forEach(function (g) {
      sel.appendChild(el("optgroup", { label: g }, byGroup[g].map(function (f) {
        return el("option", { value: f.path, text: f.name });
      })));
    });
    if (was && state.fields[was]) sel.value = was;
    else {  // the first input that moves the answer by itself: not an exchange rate
      var first = Array.prototype.filter.call(sel.options, function (o) { return !/^fx\./.test(o.value); })[0];
      if (first) sel.value = first.value;
    }
  }
  function fillGoalFigures() {
    var sel = $("#goal-figure");
    GOALS.forEach(function (g) { sel.appendChild(el("option", { value: g[0], "data-default": g[1] })); });
    goalWords();
    sel.addEventListener("change", function () {
      var o = sel.options[sel.selectedIndex];
      $("#goal-value").value = o.getAttribute("data-default") || "";
      $("#goal-op").value = /month|need|cash_out/.test(sel.value) ? "<=" : ">=";
    });
  }

  function goalWords() {
    Array.prototype.forEach.call($("#goal-figure").options, function (o) { o.textContent = t("plan.goal." + o.value); });
  }

  function runGoalseek(ev) {
    if (ev) ev.preventDefault();
    var out = $("#out-goal");
    var path = $("#goal-input").value;
    var value = $("#goal-value").value.trim();
    state.answers.goal = null;
    if (!path) { errorOut(out, new Error(t("plan.goal_pick"))); return; }
    if (!value) { errorOut(out, new Error(t("plan.goal_value"))); return; }
    var target = $("#goal-figure").value + $("#goal-op").value + value.replace(/\s+/g, "");
    var bounds = {}, f = state.fields[path];
    var words = { low: t("plan.goal_low"), high: t("plan.goal_high") };
    for (var k of ["low", "high"]) {  // the range searched: the input's own when left empty
      var text = $("#goal-" + k).value.trim();
      if (!text) continue;
      var x = BE.parseNumber(text);
      if (x === null) { errorOut(out, new Error(t("plan.err.number", { what: words[k], got: text }))); return; }
      bounds[k] = f && f.pct && !/%\s*$/.test(text) ? x / 100 : x;  // a bare number in a percentage is percent
    }
    busyOut(out, t("plan.goal_busy", { target: target, name: nameOf(path) }));
    editedPlan().then(function (plan) {
      var s = settings();
      sendGoalseek(Object.assign({ yaml: plan, input: path, target: target, samples: Math.min(s.samples, 10000),
                                   seed: s.seed }, bounds), path, target);
    }).catch(function (err) { errorOut(out, err); });
  }
  /** A goal-seek request, in the page's language (kept, to ask again in another one). */
  function sendGoalseek(body, path, target) {
    var out = $("#out-goal");
    busyOut(out, t("plan.goal_busy", { target: target, name: nameOf(path) }));
    state.answers.goal = null;
    body.lang = BE.lang();
    state.goalBody = body;
    var seq = state.goalSeq = (state.goalSeq || 0) + 1;
    BE.api("/api/goalseek", body).then(function (r) {
      if (seq !== state.goalSeq) return;
      state.answers.goal = [r, path, target];
      goalOut(r, path, target);
    }).catch(function (err) { if (seq === state.goalSeq) errorOut(out, err); });
  }
  function goalOut(r, path, target) {
    var out = clear($("#out-goal"));
    var f = state.fields[path];
    var found = r.found;
    var dir = r.direction && BE.has("plan.goal.dir." + r.direction) ? t("plan.goal.dir." + r.direction)
            : r.direction || t("plan.goal.dir.at");
    out.appendChild(el("div", { class: "banner " + (found ? "ok" : "warn") },
      el("strong", { text: found ? t("plan.goal_found", { name: nameOf(path), dir: dir, value: inputValue(r.value, f) })
                                 : t("plan.goal_unreachable") }),
      el("div", { text: named(r.message || "") })));
    var rows = [[t("plan.goal.r.target"), String(r.target_text || r.target || target)],
                [t("plan.goal.r.now"), typeof r.current === "number" ? inputValue(r.current, f)
                                                                     : String(r.current || (f && f.inp.text) || "")]];
    var figure = goalFigureText(String(r.target_text || r.target || target));
    if (found) {
      rows.push([t("plan.goal.r.found"), inputValue(r.value, f)],
                [t("plan.goal.r.achieved"), figure(r.achieved)]);
    }
    if (r.best && !found) rows.push([t("plan.goal.r.closest"), inputValue(r.best.value, f) + " → " + figure(r.best.figure)]);
    rows.push([t("plan.goal.r.range"), t("plan.range", { a: inputValue(r.low, f), b: inputValue(r.high, f) })],
              [t("plan.goal.r.samples"), String(r.samples)]);
    out.appendChild(BE.table(["", ""], rows, 1));
    (r.warnings || []).forEach(function (w) { out.appendChild(el("div", { class: "banner warn", text: named(w) })); });
    /** The server's sentence with the input named as the page names it (not by its path). */
    function named(text) {
      return r.label && f ? String(text).split(r.label).join(nameOf(path)) : text;
    }
  }

  // Compare with the plan as loaded
  function runCompare() {
    var out = $("#out-compare");
    busyOut(out, t("plan.cmp_busy"));
    state.answers.compare = null;
    editedPlan().then(function (plan) {
      var s = settings();
      return BE.api("/api/compare", { a: state.original, b: plan, samples: s.samples, seed: s.seed,
                                      lang: BE.lang() });
    }).then(function (r) {
      state.answers.compare = [r, Object.keys(state.edits).length];
      compareOut(r, Object.keys(state.edits).length);
    }).catch(function (err) { errorOut(out, err); });
  }
  function compareOut(r, edited) {
      var out = clear($("#out-compare"));
      var plans = r.plans || [];
      if (plans.length < 2) { out.appendChild(el("p", { text: t("plan.cmp_none") })); return; }
      var a = plans[0], b = plans[1], cur = a.currency || state.currency;
      var horizon = a.horizon_months || t("plan.horizon");
      if (!edited) {
        out.appendChild(el("p", { class: "msg muted", text: t("plan.cmp_same") }));
      }
      var rows = [];
      PROBS.forEach(function (k) {
        var x = (a.probabilities || {})[k], y = (b.probabilities || {})[k];
        if (x === undefined && y === undefined) return;
        var d = BE.undef(x) || BE.undef(y) ? null : y - x;
        rows.push([t("plan.prob." + k), BE.pct(x), BE.pct(y),
                   el("span", { class: d ? ((d > 0) === (k === "p_breakeven") ? "pos" : "neg") : "",
                                text: d === null ? "—" : t("common.pts", { x: (d > 0 ? "+" : "") + (100 * d).toFixed(1) }) })]);
      });
      Object.keys(METRICS).forEach(function (k) {
        var ma = (a.metrics || {})[k], mb = (b.metrics || {})[k];
        if (!ma || !mb) return;
        var kind = METRICS[k].kind;
        var f = function (v) { return kind === "month" ? BE.month(v, horizon) : fmtKind(v, kind, cur); };
        var x = ma.p50, y = mb.p50;
        var d = BE.undef(x) || BE.undef(y) ? null : y - x;
        var sd = (d > 0 ? "+" : "") + (d === null ? "" : BE.sig(d, 3));
        var dt = d === null ? "—" : kind === "money" ? BE.signedMoney(d, cur)
               : kind === "pct" ? t("common.pts", { x: (d > 0 ? "+" : "") + (100 * d).toFixed(1) })
               : kind === "month" || kind === "months" ? t("common.months_n", { x: sd }) : sd;
        var better = kind === "month" || k === "peak_funding_need" ? d < 0 : d > 0;
        rows.push([t("plan.median_of", { metric: metricName(k) }), f(x), f(y), el("span", { class: d ? (better ? "pos" : "neg") : "", text: dt })]);
      });
      out.appendChild(el("div", { class: "scroll" }, BE.table([t("plan.c.metric"), t("plan.c.as_loaded"), t("plan.c.as_edited"), t("plan.c.change")], rows, 1)));
      var beats = r.p_beats || {};
      var keys = Object.keys(beats);
      var mine = keys.filter(function (k) { return k.indexOf(b.label + " vs ") === 0; })[0] || keys[keys.length - 1];
      if (mine) {
        var pb = beats[mine];
        out.appendChild(el("p", { class: "note", text: t("plan.cmp_beats", { list:
          Object.keys(pb).map(function (k) { return metricName(k) + " " + BE.pct(pb[k]); }).join(" · ") }) }));
      }
  }

  // ---------------------------------------------------------------- actuals
  var MAX_FILE_BYTES = 700 * 1024;  // base64 adds a third; the server takes 1 MiB a request
  var UPDATE_ROWS = [
    // [key in the answer's headline, which figure, its name's key, kind, better]
    ["p_breakeven", null, "plan.prob.p_breakeven", "pct", "up"],
    ["p_cash_out", null, "plan.prob.p_cash_out", "pct", "down"],
    ["breakeven_month", "p50", "plan.upd.r.month", "month", "down"],
    ["peak_funding_need", "p50", "plan.card.need50", "money", "down"],
    ["peak_funding_need", "p90", "plan.card.need90", "money", "down"],
    ["runway_months", "p50", "plan.upd.r.runway", "month", "up"],
    ["npv", "p50", "plan.card.npv", "money", "up"],
    ["ending_cash", "p50", "plan.upd.r.ending_cash", "money", "up"]
  ];
  var COUNT_RE = /(^|_)(users|requests|tokens|headcount)$/;

  /** Whether an output is an amount of money (users, requests, tokens and heads are counts). */
  function isMoney(series) { return !COUNT_RE.test(String(series).split(".")[0]); }
  function seriesFmt(series, cur) {
    return isMoney(series) ? function (v) { return BE.money(v, cur); } : function (v) { return BE.compact(v); };
  }

  /** A file as the API takes it: CSV text, or (a workbook, or not UTF-8) its bytes in base64. */
  function readActuals(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var bytes = new Uint8Array(reader.result);
        var zip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
        if (!zip && !/\.xls[xm]?$/i.test(file.name)) {
          try {
            resolve({ actuals: new TextDecoder("utf-8", { fatal: true }).decode(bytes) });
            return;
          } catch (e) { /* not UTF-8: the server says what it is not */ }
        }
        var bin = "";
        for (var i = 0; i < bytes.length; i += 0x8000) {
          bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        }
        resolve({ actuals_base64: btoa(bin) });
      };
      reader.onerror = function () {
        reject(new Error(t("plan.upd.unreadable", { file: file.name, why: reader.error ? " (" + reader.error.message + ")" : "" })));
      };
      reader.readAsArrayBuffer(file);
    });
  }

  function runUpdate(ev) {
    ev.preventDefault();
    var out = $("#out-actuals");
    var file = $("#actuals-file").files && $("#actuals-file").files[0];
    if (state.updateError) showError(null);  // an earlier file's problems are not this one's
    if (!file) { errorOut(out, new Error(t("plan.upd.no_file"))); $("#actuals-file").focus(); return; }
    if (file.size > MAX_FILE_BYTES) {
      errorOut(out, new Error(t("plan.upd.too_big", { file: file.name, size: BE.compact(file.size, 3, "en") })));
      return;
    }
    var error = $("#actuals-error").value.trim() || "10%";
    var samples = parseInt($("#actuals-samples").value, 10) || 4000;
    busyOut(out, t("plan.upd.reading", { file: file.name }));
    sendUpdate(readActuals(file).then(function (payload) {
      return editedPlan().then(function (plan) {
        return Object.assign(payload, {
          yaml: plan, actuals_name: file.name, error: error, samples: samples, seed: settings().seed
        });
      });
    }));
  }

  /** Update on actuals: the request's body (a promise of it) sent in the page's language; the
      body is kept, to ask again in another language. */
  function sendUpdate(body, previous) {
    var out = $("#out-actuals");
    var btn = $("#btn-update");
    btn.disabled = true;
    window.breakevenPage.updating = true;
    state.answers.update = null;
    Promise.resolve(body).then(function (b) {
      b.lang = BE.lang();
      state.updateBody = b;
      busyOut(out, t("plan.upd.busy", { file: b.actuals_name, n: b.samples.toLocaleString("en-US") }));
      return BE.api("/api/update", b);
    }).then(function (r) {
      if (state.updateError) showError(null);
      state.answers.update = r;
      if (previous && state.usedUpdated === previous) state.usedUpdated = r;  // the same update
      renderUpdate(out, r);
      window.breakevenPage.updates++;
      window.breakevenPage.updateError = null;
    }).catch(function (err) {
      window.breakevenPage.updateError = err.message;
      if (!(err instanceof BE.ApiError)) { errorOut(out, err); return; }
      // the API's answer: in the page's error area, one located problem a line
      showError(err.message, null, { title: t("plan.upd.failed_title"), lines: true });
      state.updateError = true;
      clear(out).appendChild(el("p", { class: "msg muted", role: "status",
        text: err.status === 422 ? t("plan.upd.failed_422") : t("plan.upd.failed") }));
      $("#error").scrollIntoView({ block: "nearest" });
    }).then(function () {
      btn.disabled = false;
      window.breakevenPage.updating = false;
    });
  }

  /** The narrative with the inputs' names as the page shows them (not their paths). */
  function friendly(text, inputs) {
    (inputs || []).slice().sort(function (a, b) { return String(b.label).length - String(a.label).length; })
      .forEach(function (c) {
        var name = inputName(c.input, c.label);
        if (c.label && name !== c.label) text = String(text).split(c.label).join(name);
      });
    return text;
  }
  function inputField(name) {
    return state.fields[name] || (/^\$/.test(name) ? state.fields["variables." + name.slice(1)] : null);
  }
  function inputName(name, label) {
    var f = inputField(name);
    return f ? f.longName || f.name : (label || name);
  }

  function change(x, y, kind, better, horizon, cur) {
    if (BE.undef(x) || BE.undef(y)) {
      return el("span", { text: x === y || (BE.undef(x) && BE.undef(y)) ? "—" : kind === "month" ? (BE.undef(y) ? t("plan.upd.now_beyond") : t("plan.upd.now_within")) : "—" });
    }
    var d = y - x;
    if (Math.abs(d) < 1e-12 * Math.max(1, Math.abs(x))) return el("span", { text: t("common.no_change") });
    var txt = kind === "pct" ? t("common.pts", { x: (d > 0 ? "+" : "") + (100 * d).toFixed(1) })
            : kind === "month" ? t("common.months_n", { x: (d > 0 ? "+" : "") + BE.sig(d, 3) })
            : BE.signedMoney(d, cur);
    var good = better === "up" ? d > 0 : d < 0;
    return el("span", { class: good ? "pos" : "neg", text: txt });
  }

  /** An output's name: its label in Chinese (the server sends them then), else its key. */
  function seriesName(r, name) {
    return (r.labels || {})[name] || name;
  }

  function renderUpdate(out, r) {
    state.update = r;
    clear(out);
    var cur = r.currency || state.currency;
    var horizon = r.horizon_months || t("plan.horizon");
    var s = r.sampler || {};

    out.appendChild(el("p", { class: "narrative", id: "upd-narrative", text: friendly(r.narrative || "", r.inputs) }));
    var method = s.method_text || s.method || "?";
    out.appendChild(el("p", { class: "note", text: (r.actuals ? t(r.actuals.observations === 1 ? "plan.upd.observed_1" : "plan.upd.observed", {
        n: r.actuals.observations, series: (r.actuals.series || []).map(function (x) { return seriesName(r, x); }).join(listSep()),
        file: r.actuals.file, period: r.actuals.period }) : "") +
      t("plan.upd.conditioned", { method: method,
        stages: s.stages ? t("plan.upd.stages", { stages: s.stages, moves: s.moves }) : "",
        n: (s.samples || 0).toLocaleString("en-US"), seed: r.seed }) }));
    var use = el("button", { type: "button", class: "primary", id: "btn-upd-use", text: t("plan.upd.use"),
                             disabled: !r.updated_plan, onclick: useUpdated,
                             title: t("plan.upd.use_title") });
    out.appendChild(el("div", { class: "actions" },
      el("button", { type: "button", id: "btn-upd-download", text: t("plan.upd.download"),
                     disabled: !r.updated_plan, onclick: function () {
                       saveText(r.updated_plan, fileStem() + state.suffix + "-updated.yaml");
                     } }),
      use,
      el("span", { class: "note", id: "upd-used", role: "status", text: state.usedUpdated === r ? t("plan.upd.used") : "" })));
    if (state.usedUpdated === r) use.disabled = true;

    // before → after
    out.appendChild(el("h3", { text: t("plan.upd.h_before_after") }));
    var rows = [];
    UPDATE_ROWS.forEach(function (row) {
      var h = (r.headline || {})[row[0]];
      if (!h) return;
      var pick = function (v) { return row[1] ? (v || {})[row[1]] : v; };
      var x = pick(h.prior), y = pick(h.posterior);
      var f = function (v) {
        if (row[3] === "pct") return BE.pct(v);
        if (row[3] === "month") return BE.month(v, horizon);
        return BE.money(v, cur);
      };
      rows.push([t(row[2]), f(x), f(y), change(x, y, row[3], row[4], horizon, cur)]);
    });
    out.appendChild(el("div", { class: "scroll" }, BE.table([t("plan.c.metric"), t("plan.upd.c.plan"), t("plan.upd.c.updated"), t("plan.c.change")], rows, 1)));

    // fan charts: plan, updated, actuals
    out.appendChild(el("h3", { text: t("plan.upd.h_pva") }));
    out.appendChild(el("p", { class: "note", text: t("plan.upd.pva_note") }));
    var grid = el("div", { class: "grid2 upd-charts" });
    out.appendChild(grid);
    var names = Object.keys(r.bands || {});
    var charts = names.map(function (name, i) {
      var id = "chart-upd-" + i;
      var title = name === "cash" ? t("plan.upd.cash_outcome", { name: seriesName(r, name) }) : seriesName(r, name);
      grid.appendChild(el("div", { class: "upd-chart" },
        el("h4", null, title, title !== name ? el("code", { text: " " + name }) : null),
        el("div", { class: "chart", id: id, role: "img", "data-series": name,
                    "aria-label": t("plan.upd.chart_label", { name: seriesName(r, name) }) })));
      return id;
    });
    names.forEach(function (name, i) { drawUpdateChart(charts[i], name, r.bands[name], cur); });

    // variance
    var v = r.variance || [];
    var outside = v.filter(function (x) { return x.outside_plan; }).length;
    out.appendChild(el("h3", { text: t("plan.upd.h_variance") }));
    out.appendChild(el("p", { class: "note", id: "upd-outside", text: t(v.length === 1 ? "plan.upd.outside_1" : "plan.upd.outside_n", { k: outside, n: v.length }) +
      (outside ? t("plan.upd.highlighted") : t("plan.upd.period_end")) }));
    var vt = BE.table([t("plan.upd.c.series"), t("plan.upd.c.month"), t("plan.upd.c.actual"), t("plan.upd.c.plan_p", { q: "p10" }),
                       t("plan.upd.c.plan_p", { q: "p50" }), t("plan.upd.c.plan_p", { q: "p90" }), t("plan.upd.c.updated_p50"),
                       t("plan.upd.c.outside")],
      v.map(function (x) {
        var f = seriesFmt(x.series, cur);
        return [seriesName(r, x.series), x.month, f(x.actual), f(x.plan_p10), f(x.plan_p50), f(x.plan_p90), f(x.updated_p50),
                x.outside_plan ? (x.actual < x.plan_p10 ? t("plan.upd.below") : t("plan.upd.above")) : ""];
      }), 2);
    vt.id = "upd-variance";
    Array.prototype.forEach.call(vt.tBodies[0].rows, function (tr, i) {
      if (v[i].outside_plan) tr.classList.add("outside");
    });
    out.appendChild(el("div", { class: "scroll" }, vt));

    // inputs that moved
    var moved = (r.inputs || []).filter(function (c) { return c.moved; });
    out.appendChild(el("h3", { text: t("plan.upd.h_changed") }));
    out.appendChild(el("p", { class: "note", text: moved.length
      ? t("plan.upd.moved", { k: moved.length, n: (r.inputs || []).length })
      : t("plan.upd.none_moved") }));
    if (moved.length) {
      var range = function (q, c) {
        var f = inputField(c.input);
        return inputValue(q.p10, f) + " – " + inputValue(q.p90, f);
      };
      var it = BE.table([t("plan.c.input"), t("plan.upd.c.before"), t("plan.upd.c.after"), t("plan.upd.c.effect")],
        moved.map(function (c) {
          var e = c.effect_on_p_breakeven;
          return [el("span", { title: c.input + (c.phrase ? ": " + friendly(c.phrase, r.inputs) : ""), text: inputName(c.input, c.label) }),
                  range(c.prior, c), range(c.posterior, c),
                  el("span", { class: BE.signClass(e), text: BE.undef(e) ? "—" : t("common.pts", { x: (e > 0 ? "+" : "") + (100 * e).toFixed(1) }) })];
        }), 1);
      it.id = "upd-inputs";
      out.appendChild(el("div", { class: "scroll" }, it));
    }
    if ((r.observable || []).length) {
      out.appendChild(el("details", { class: "observable" },
        el("summary", { text: t("plan.upd.columns") }),
        el("p", { class: "note" }, (r.observable || []).map(function (n, i) {
          return [i ? listSep() : "", el("code", { text: n })];
        }).reduce(function (a, b) { return a.concat(b); }, []))));
    }
  }

  function drawUpdateChart(id, name, b, cur) {
    var n = (b.calendar || []).length;
    var xa = BE.xAxis({ dates: b.calendar, months: b.calendar.map(function (_, i) { return i + 1; }) });
    var x = xa.x;
    var fmt = seriesFmt(name, cur);
    var ax = [], ay = [], seen = [];
    (b.actual || []).forEach(function (y, i) {
      if (y === null || y === undefined) return;
      ax.push(x[i]); ay.push(y); seen.push(i);
    });
    var traces = BE.fanTraces(x, b.plan, t("plan.upd.t.plan"), BE.COLORS.low, cur, { fmt: fmt, dash: "dash" })
      .concat(b.updated ? BE.fanTraces(x, b.updated, t("plan.upd.t.updated"), BE.COLORS.high, cur, { fmt: fmt }) : [])
      .concat([{ x: ax, y: ay, type: "scatter", mode: "markers", name: t("plan.upd.t.actual"),
                 marker: { color: "#1f2933", size: 7, line: { color: "#fff", width: 1 } },
                 text: ay.map(fmt), hovertemplate: "%{text}<extra>" + BE.escapePlotly(t("plan.upd.t.actual_hover")) + "</extra>" }]);
    var shapes = [];
    if (seen.length) {
      var half = function (i, side) {  // half a month before or after month i
        return xa.dated ? new Date(x[i]).getTime() + side * 15.2 * 864e5 : i + 1 + side * 0.5;
      };
      shapes.push({ type: "rect", xref: "x", yref: "paper", x0: half(seen[0], -1), x1: half(seen[seen.length - 1], 1),
                    y0: 0, y1: 1, fillcolor: "rgba(31,41,51,0.06)", line: { width: 0 }, layer: "below" });
    }
    var arrays = [b.plan.p10, b.plan.p90, ay].concat(b.updated ? [b.updated.p10, b.updated.p90] : []);
    if (name === "cash") {
      shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: BE.COLORS.zero, width: 1.2 } });
      arrays.push([0]);
    }
    react(id, traces, BE.layout({ xaxis: xa.axis, yaxis: BE.valueAxis(arrays, fmt), shapes: shapes,
                                  margin: { l: 64, r: 12, t: 28, b: 36 }, uirevision: name + n }));
  }

  function resizeCharts(root) {
    if (!window.Plotly || !root) return;
    Array.prototype.forEach.call(root.querySelectorAll(".js-plotly-plot"), function (node) {
      window.Plotly.Plots.resize(node);
    });
  }

  /** Put the plan updated on the actuals in the page: its inputs, its answer; the edits made
      so far are in it (it was updated from the plan as edited), and Reset all goes back to it. */
  function useUpdated() {
    var r = state.update;
    if (!r || !r.updated_plan) return;
    var yaml = r.updated_plan;
    var btn = $("#btn-upd-use");
    btn.disabled = true;
    status("busy", t("plan.st.loading_updated"));
    BE.api("/api/inputs", { yaml: yaml, lang: BE.lang() }).then(function (res) {
      clearTimeout(state.timer);
      state.timer = null;
      state.original = state.current = yaml;
      state.edits = {};
      state.invalid = {};
      state.local = {};
      state.baseline = null;
      state.suffix = "-updated";
      renderInputs(res.groups || []);
      $("#btn-reset").disabled = true;
      state.usedUpdated = r;
      planTitle();
      $("#upd-used").textContent = t("plan.upd.used");
      return recompute();
    }).catch(function (err) {
      showError(err.message, err.detail);
      status("error", t("plan.st.updated_failed"));
      btn.disabled = false;
    });
  }

  /** The plan's name at the top and in the window's title. */
  function planTitle() {
    var h = $("#plan-name");
    h.removeAttribute("data-i18n");
    var updated = state.suffix === "-updated";
    h.textContent = state.name + (updated ? t("plan.updated_suffix") : "");
    document.title = (updated ? t("plan.updated_title", { name: state.name }) : state.name) + " — breakeven";
  }

  // ---------------------------------------------------------------- start
  function planId() {
    var m = /^\/plan\/(.+)$/.exec(location.pathname);
    return m ? decodeURIComponent(m[1]) : new URLSearchParams(location.search).get("id");
  }

  function wire() {
    $("#samples").addEventListener("change", schedule);
    $("#seed").addEventListener("input", seedChanged);
    window.addEventListener("beforeunload", function (e) {
      // edits live in the page until a run is saved or the YAML downloaded: ask before leaving
      if (!Object.keys(state.edits).length || JSON.stringify(state.edits) === state.keptEdits) return;
      e.preventDefault();
      e.returnValue = t("plan.leave");
      return e.returnValue;
    });
    $("#filter").addEventListener("input", filterInputs);
    $("#btn-reset").addEventListener("click", function () {
      Object.keys(state.fields).forEach(function (p) {
        var f = state.fields[p];
        f.reset(); f.setError(""); f.markChanged(false);
      });
      state.edits = {}; state.invalid = {}; state.local = {};
      $("#btn-reset").disabled = true;
      schedule();
    });
    $("#btn-save").addEventListener("click", function () { togglePanel("panel-save"); });
    $("#btn-sens").addEventListener("click", function () { togglePanel("panel-sens"); });
    $("#btn-goal").addEventListener("click", function () { togglePanel("panel-goal"); });
    $("#btn-sweep").addEventListener("click", function () {
      if (togglePanel("panel-sweep")) resizeCharts($("#out-sweep"));
    });
    $("#btn-compare").addEventListener("click", function () {
      if (togglePanel("panel-compare")) runCompare();
    });
    $("#btn-download").addEventListener("click", download);
    $("#btn-actuals").addEventListener("click", function () {
      if (togglePanel("panel-actuals")) resizeCharts($("#out-actuals"));
    });
    $("#form-actuals").addEventListener("submit", runUpdate);
    $("#form-save").addEventListener("submit", saveRun);
    $("#form-sens").addEventListener("submit", runSensitivity);
    $("#form-goal").addEventListener("submit", runGoalseek);
    Array.prototype.forEach.call(document.querySelectorAll("[data-close]"), function (b) {
      b.addEventListener("click", function () {
        var id = b.getAttribute("data-close");
        togglePanel(id, false);
        var opener = document.querySelector("[aria-controls=" + id + "]");
        if (opener) opener.focus();
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = document.querySelector(".tools-panel:not([hidden])");
      if (open && open.contains(document.activeElement)) {
        togglePanel(open.id, false);
        var opener = document.querySelector("[aria-controls=" + open.id + "]");
        if (opener) opener.focus();
      }
    });
    fillSensitivity();
    fillGoalFigures();
  }

  function start() {
    wire();
    state.id = planId();
    if (!state.id) { showError(t("plan.no_id")); status("error", t("plan.st.no_plan")); return; }
    BE.api("/api/plans/" + encodeURIComponent(state.id)).then(function (plan) {
      state.name = plan.name || state.id;
      state.original = state.current = plan.yaml;
      planTitle();
      state.description = plan.description || null;
      if (plan.description) $("#plan-desc").textContent = plan.description;
      else describe(state.id);
      return BE.api("/api/inputs", { yaml: plan.yaml, lang: BE.lang() });
    }).then(function (r) {
      renderInputs(r.groups || []);
      return recompute();
    }).catch(function (err) {
      if (BE.isAbort(err)) return;
      showError(err.message, err.detail);
      status("error", t("plan.st.open_failed"));
      clear($("#groups"));
      // nothing is loading or simulating any more: the plan's name (if known) and no headline
      var title = $("#plan-name"), hl = $("#headline");
      title.removeAttribute("data-i18n");
      title.textContent = state.name || state.id;
      hl.removeAttribute("data-i18n");
      hl.textContent = "";
      window.breakevenPage.error = err.message;
    });
  }

  /** The plan's description, from the list of plans (left out when it has none). */
  function describe(id) {
    BE.api("/api/plans?lang=" + BE.lang()).then(function (plans) {
      var p = (plans || []).filter(function (x) { return x.id === id; })[0];
      if (p && p.description) $("#plan-desc").textContent = p.description;
    }).catch(function () { /* the description is a nicety */ });
  }

  // ---------------------------------------------------------------- another language
  /** The page in the other language: the inputs' names (the server's, in place), the answer
      (simulated again: the headline and warnings are the server's sentences), and each tool's
      answer on the page asked again in it (or drawn again when it holds no sentence). */
  function relanguage() {
    if (state.name) planTitle();
    if (state.id && !state.description) describe(state.id);
    sensitivityWords();
    goalWords();
    if (state.saved && $("#out-save .banner.ok")) savedOut(state.saved);
    if (!state.order.length && !state.original) return;
    relabelInputs().then(function () {
      recompute();
      var a = state.answers;
      if (a.sens && state.sensBody) sendSensitivity(Object.assign({}, state.sensBody));
      if (a.goal && state.goalBody) sendGoalseek(Object.assign({}, state.goalBody), a.goal[1], a.goal[2]);
      if (a.compare) runCompare();
      if (a.update && state.updateBody) sendUpdate(Object.assign({}, state.updateBody), a.update);
    });
  }
  document.addEventListener("breakeven:lang", relanguage);

  /** What the sweep panel (sweep.js) uses of this page: the inputs as listed, their names and
      values as shown, the plan as edited once the pending edits are applied, the seed. */
  window.BEPlan = {
    fields: function () { return state.order.map(function (p) { return state.fields[p]; }); },
    field: function (path) { return inputField(path); },
    nameOf: nameOf,
    inputValue: inputValue,
    settings: settings,
    plan: editedPlan,
    react: react,
    errorOut: errorOut,
    busyOut: busyOut
  };

  start();
})();

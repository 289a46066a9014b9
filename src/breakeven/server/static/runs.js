/* The history page: saved runs, newest first; pick two to diff them (assumptions that changed,
   and how each headline metric moved). Its words in the page's language (i18n.js). */
(function () {
  "use strict";
  var el = BE.el, clear = BE.clear, $ = BE.$, t = BE.t;
  var runs = [];
  var picked = [];  // ids, in the order ticked
  window.breakevenRuns = { ready: false, diffs: 0 };

  var METRICS = {  // the headline metrics of a run; names: runs.m.<metric>
    p_breakeven: { kind: "pct", better: "up" },
    p_cash_out: { kind: "pct", better: "down" },
    breakeven_month_p50: { kind: "month", better: "down" },
    peak_funding_need_p50: { kind: "money", better: "down" },
    peak_funding_need_p90: { kind: "money", better: "down" },
    npv_p50: { kind: "money", better: "up" }
  };
  var diffShown = null;  // [answer, run A, run B] of the diff on the page

  function kindOf(metric, unit) {
    if (unit === "probability") return "pct";
    if (unit === "month") return "month";
    if (unit === "currency") return "money";
    var m = METRICS[metric];
    if (m) return m.kind;
    if (/^p_|share|roi/.test(metric)) return "pct";
    if (/month/.test(metric)) return "month";
    return "money";
  }
  function fmt(x, kind, cur, horizon) {
    if (BE.undef(x)) return kind === "month" ? (horizon ? "> " + horizon : t("runs.beyond")) : "—";
    if (typeof x !== "number") return String(x);
    if (kind === "pct") return BE.pct(x);
    if (kind === "month") return String(Math.round(x));
    return BE.money(x, cur);
  }
  function change(d, kind, cur) {
    if (BE.undef(d) || typeof d !== "number") return "—";
    if (d === 0) return t("common.no_change");
    if (kind === "pct") return t("common.pts", { x: (d > 0 ? "+" : "") + (100 * d).toFixed(1) });
    if (kind === "month") return t("common.months_n", { x: (d > 0 ? "+" : "") + BE.sig(d, 3) });
    return BE.signedMoney(d, cur);
  }
  function when(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return d.toLocaleString(BE.locale(), { year: "numeric", month: "short", day: "numeric",
                                           hour: "2-digit", minute: "2-digit" });
  }
  function currencyOf(run) {
    return (run && (run.currency || (run.headline && run.headline.currency))) || "";
  }
  function byId(id) { return runs.filter(function (r) { return String(r.id) === String(id); })[0]; }

  function renderList() {
    var list = $("#list");
    clear(list);
    list.removeAttribute("aria-busy");
    if (!runs.length) {
      list.appendChild(el("p", { class: "muted", id: "no-runs" }, t("runs.none_1"),
        el("a", { href: BE.href("/"), text: t("runs.none_plan") }), t("runs.none_2"),
        el("strong", { text: t("plan.btn_save") }), t("runs.none_3")));
      return;
    }
    var head = ["", t("runs.c.saved"), t("runs.c.plan"), t("runs.c.note"), t("runs.m.p_breakeven"),
                t("runs.c.month"), t("runs.c.need"), t("runs.c.npv"), t("runs.c.samples"), t("runs.c.seed"),
                t("runs.c.version")];
    var tbl = BE.table(head, runs.map(function (r) {
      var h = r.headline || {}, cur = currencyOf(r);
      var box = el("input", { type: "checkbox", value: String(r.id),
                              "aria-label": t("runs.pick", { id: r.id, name: r.name || "", when: when(r.created) }),
                              checked: picked.indexOf(String(r.id)) >= 0 });
      box.addEventListener("change", function () { pick(String(r.id), box.checked); });
      return [box, el("time", { datetime: r.created || "", text: when(r.created) }),
              el("span", null, r.name || "", el("br"), el("code", { text: String(r.id) })),
              r.note || "", BE.pct(h.p_breakeven), fmt(h.breakeven_month_p50, "month", cur, r.horizon_months),
              BE.money(h.peak_funding_need_p50, cur), BE.money(h.npv_p50, cur),
              BE.undef(r.samples) ? "" : Number(r.samples).toLocaleString("en-US"), String(r.seed === undefined ? "" : r.seed),
              String(r.version || "")];
    }), 4);
    Array.prototype.forEach.call(tbl.tBodies[0].rows, function (tr, i) {
      tr.setAttribute("data-run", String(runs[i].id));
      if (picked.indexOf(String(runs[i].id)) >= 0) tr.classList.add("sel");
    });
    list.appendChild(tbl);
  }

  function pick(id, on) {
    picked = picked.filter(function (x) { return x !== id; });
    if (on) picked.push(id);
    while (picked.length > 2) picked.shift();  // the earliest tick gives way
    Array.prototype.forEach.call(document.querySelectorAll("#list input[type=checkbox]"), function (b) {
      b.checked = picked.indexOf(b.value) >= 0;
      b.closest("tr").classList.toggle("sel", b.checked);
    });
    $("#btn-diff").disabled = picked.length !== 2;
    $("#picked").textContent = picked.length === 1 ? t("runs.one_more") : "";
  }

  function diff(ev) {
    ev.preventDefault();
    if (picked.length !== 2) return;
    // A is the older run, B the newer (the list is newest first)
    var ia = runs.indexOf(byId(picked[0])), ib = runs.indexOf(byId(picked[1]));
    var a = ia > ib ? picked[0] : picked[1], b = ia > ib ? picked[1] : picked[0];
    var out = $("#diff-out");
    $("#diff").hidden = false;
    clear(out).appendChild(el("p", { class: "muted", text: t("runs.comparing") }));
    BE.api("/api/runs/" + encodeURIComponent(a) + "/diff/" + encodeURIComponent(b)).then(function (d) {
      var listed = d.runs || [];
      diffShown = [d, listed[0] || byId(a), listed[1] || byId(b)];
      renderDiff(d, listed[0] || byId(a), listed[1] || byId(b));
      window.breakevenRuns.diffs++;
      nameAssumptions(d, b);
      $("#diff").focus({ preventScroll: true });
      $("#diff").scrollIntoView({ block: "start" });
    }).catch(function (err) {
      clear(out).appendChild(el("div", { class: "banner error", role: "alert", text: err.message }));
    });
  }

  function runTitle(letter, run, id) {
    return el("div", { class: "card" },
      el("div", { class: "k", text: t("runs.run", { x: letter }) }),
      el("div", { style: "font-weight:650", text: run ? (run.name || "") : String(id) }),
      el("div", { class: "k" }, el("code", { text: String(id) }), run ? " · " + when(run.created) : ""),
      run && run.note ? el("div", { class: "k", text: "“" + run.note + "”" }) : null);
  }

  function renderDiff(d, ra, rb) {
    var out = clear($("#diff-out"));
    var cur = currencyOf(ra) || currencyOf(rb);
    out.appendChild(el("div", { class: "cards" }, runTitle("A", ra, d.a), runTitle("B", rb, d.b)));
    (d.warnings || []).forEach(function (w) {
      out.appendChild(el("div", { class: "banner warn", text: storeWarning(String(w), ra, rb) }));
    });
    if ((d.settings || []).length) {
      out.appendChild(el("p", { class: "note", text: t("runs.settings", { list: d.settings.map(function (x) {
        return t("runs.setting." + x.field) + " " + x.a + " → " + x.b;
      }).join(t("common.list_sep")) }) }));
    }

    out.appendChild(el("h3", { text: t("runs.h_assumptions") }));
    var ass = d.assumptions || [];
    if (!ass.length) out.appendChild(el("p", { class: "muted", id: "no-assumptions", text: t("runs.no_assumptions") }));
    else out.appendChild(el("div", { class: "scroll" }, BE.table([t("runs.c.assumption"), "A", "B"], ass.map(function (x) {
      return [el("span", { title: x.path || "", "data-assumption": x.path || "" }, x.name || x.path || ""),
              show(x.a), show(x.b)];
    }), 3)));

    out.appendChild(el("h3", { text: t("runs.h_metrics") }));
    var mets = d.metrics || [];
    out.appendChild(el("div", { class: "scroll" }, BE.table([t("runs.c.metric"), "A", "B", t("runs.c.change")], mets.map(function (m) {
      var kind = kindOf(m.metric, m.unit);
      var info = METRICS[m.metric];
      var ch = m.change;
      if (BE.undef(ch) && typeof m.a === "number" && typeof m.b === "number") ch = m.b - m.a;
      var cls = "";
      if (typeof ch === "number" && ch !== 0) {
        var up = info ? info.better === "up" : !/need|month|cash_out/.test(m.metric);
        cls = (ch > 0) === up ? "pos" : "neg";
      }
      var name = BE.lang() === "en" && m.name ? m.name : BE.has("runs.m." + m.metric) ? t("runs.m." + m.metric) : m.name || m.metric;
      return [name, fmt(m.a, kind, cur, ra && ra.horizon_months),
              fmt(m.b, kind, cur, rb && rb.horizon_months),
              el("span", { class: cls, text: change(ch, kind, cur) })];
    }), 1)));
  }

  /** Put the inputs' names (as the plan page shows them) on the changed assumptions: from
      the inputs of run B's plan (a path it does not have keeps the store's name). */
  function nameAssumptions(d, runId) {
    if (!(d.assumptions || []).length) return;
    BE.api("/api/runs/" + encodeURIComponent(runId)).then(function (run) {
      return run && run.plan_yaml ? BE.api("/api/inputs", { yaml: run.plan_yaml, lang: BE.lang() }) : null;
    }).then(function (r) {
      if (!r) return;
      var names = {}, count = {};
      (r.groups || []).forEach(function (g) {
        (g.inputs || []).forEach(function (i) { count[i.name] = (count[i.name] || 0) + 1; });
      });
      (r.groups || []).forEach(function (g) {
        var tail = String(g.group || "").split(" — ").slice(-1)[0];
        (g.inputs || []).forEach(function (i) {
          names[i.path] = count[i.name] > 1 && tail ? i.name + " (" + tail + ")" : i.name;
        });
      });
      Array.prototype.forEach.call(document.querySelectorAll("#diff-out [data-assumption]"), function (span) {
        var n = names[span.getAttribute("data-assumption")];
        if (n) span.textContent = n;
      });
    }).catch(function () { /* the store's names stay */ });
  }

  /** A warning of the run store's diff in the page's language: the store writes two kinds, in
      English; in Chinese each is told from its facts (the runs' currencies; the plan's error,
      which stays as written, like every error about a plan that does not load). */
  function storeWarning(w, ra, rb) {
    if (BE.lang() !== "zh") return w;
    if (/^the runs use different currencies/.test(w)) {
      return t("runs.w.currencies", { a: currencyOf(ra), b: currencyOf(rb) });
    }
    var m = /^assumptions not compared: [^(]*\((.*)\)$/.exec(w);
    if (m) return t("runs.w.not_compared", { error: m[1] });
    return w;
  }

  function show(v) {
    if (v === null || v === undefined) return el("span", { class: "muted", text: t("runs.not_set") });
    if (typeof v === "object") return el("code", { text: JSON.stringify(v) });
    return String(v);
  }

  $("#form-diff").addEventListener("submit", diff);
  // another language: the list and the diff drawn again in it
  document.addEventListener("breakeven:lang", function () {
    if (window.breakevenRuns.ready) renderList();
    pick(null, false);
    if (diffShown) {
      renderDiff.apply(null, diffShown);
      nameAssumptions(diffShown[0], diffShown[0].b);
    }
  });
  BE.api("/api/runs").then(function (list) {
    runs = list || [];
    renderList();
    window.breakevenRuns.ready = true;
  }).catch(function (err) {
    var box = $("#error");
    box.textContent = err.message;
    box.hidden = false;
    clear($("#list"));
  });
})();

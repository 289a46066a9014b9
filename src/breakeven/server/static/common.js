/* breakeven web app: what every page shares — the API client, number formatting (the same
   k/M/B money and percentages as the reports; 万/亿 in Chinese) and the chart style. Plain
   ES2017, no build. Words come from i18n.js (loaded first), in the page's language. */
(function () {
  "use strict";
  var I18N = window.I18N;
  var t = I18N.t;

  // ---------------------------------------------------------------- the API
  // A server bound to another address than loopback wants `Authorization: Bearer <token>`;
  // the token comes from the address (…#token=…) once and is kept for the tab's session.
  var TOKEN_KEY = "breakeven.token";
  (function readToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash || "");
    if (m) {
      try { sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1])); } catch (e) { /* off */ }
      history.replaceState(null, "", location.pathname + location.search);
    }
  })();
  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  /** An error from the API: status, the one-line message and the located details. */
  function ApiError(status, message, detail) {
    this.name = "ApiError";
    this.status = status;
    this.message = message;
    this.detail = detail || [];
  }
  ApiError.prototype = Object.create(Error.prototype);

  /** A message as a page says it: without the command line's "breakeven: " and without the
      name the server gives a plan sent to it ("plan.yaml:7: "; the page is the plan). */
  function pageMessage(text) {
    return String(text).replace(/^breakeven: /gm, "").replace(/^(?:plan|a|b)\.yaml:(?:\d+:)? /gm, "");
  }

  function describe(status, body) {
    if (body && typeof body.message === "string" && body.message) return pageMessage(body.message);
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail) && body.detail.length) {
      return body.detail.map(function (d) {
        return (d.loc ? (Array.isArray(d.loc) ? d.loc.join(".") : d.loc) + ": " : "") + d.msg;
      }).join("; ");
    }
    if (status === 413) return t("common.err.413");
    if (status === 503) return t("common.err.503");
    if (status === 401 || status === 403) return t("common.err.token");
    return t("common.err.status", { status: status });
  }

  /** fetch JSON from the server's /api; rejects with ApiError (or an AbortError). */
  function api(path, body, opts) {
    opts = opts || {};
    var headers = { "Accept": "application/json" };
    var init = { method: body === undefined ? "GET" : "POST", headers: headers,
                 signal: opts.signal, credentials: "same-origin", cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var t = token();
    if (t) headers["Authorization"] = "Bearer " + t;
    return fetch(path, init).then(function (res) {
      var ct = res.headers.get("Content-Type") || "";
      var parse = ct.indexOf("json") >= 0 ? res.json().catch(function () { return null; })
                                          : res.text().then(function () { return null; });
      return parse.then(function (data) {
        if (res.ok) return data;
        var detail = data && Array.isArray(data.detail) ? data.detail : [];
        var err = new ApiError(res.status, describe(res.status, data), detail);
        var retry = parseFloat(res.headers.get("Retry-After") || "");
        if (isFinite(retry)) err.retryAfter = retry;
        throw err;
      });
    }, function (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError(0, t("common.err.unreachable"));
    });
  }

  function isAbort(err) { return err && err.name === "AbortError"; }

  // ---------------------------------------------------------------- language
  // The page's language ("en" or "zh") and its words: i18n.js (?lang=zh, or the switch in the
  // top bar; kept for the tab's session).
  var lang = I18N.lang, setLang = I18N.setLang;
  /** The locale numbers and dates are written in: "zh-CN" or "en-US". */
  function locale() { return lang() === "zh" ? "zh-CN" : "en-US"; }

  // ---------------------------------------------------------------- formatting
  var EN_SYMBOL = { CNY: "¥", RMB: "¥", SGD: "S$" };
  var symbols = {};
  function symbol(cur) {
    cur = String(cur || "").toUpperCase();
    if (EN_SYMBOL[cur]) return EN_SYMBOL[cur];
    if (symbols[cur] !== undefined) return symbols[cur];
    var s = cur + " ";
    try {
      var parts = new Intl.NumberFormat("en", { style: "currency", currency: cur }).formatToParts(0);
      for (var i = 0; i < parts.length; i++) if (parts[i].type === "currency") s = parts[i].value;
      if (s === cur) s = cur + " ";
    } catch (e) { /* an unknown code: the code itself */ }
    symbols[cur] = s;
    return s;
  }

  function undef(x) { return x === null || x === undefined || (typeof x === "number" && !isFinite(x)); }

  /** x to `digits` significant digits, grouped, never in exponent form (as format.sig). */
  function sig(x, digits) {
    digits = digits || 3;
    if (x === 0) return "0";
    if (!isFinite(x)) return String(x);
    var dec = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
    dec = Math.min(dec, 20);
    var s = x.toLocaleString("en-US", { minimumFractionDigits: dec, maximumFractionDigits: dec });
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s;
  }

  var STEPS = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];
  /** A compact count: 1.2M, 3.5k, 410 (as format.compact in English); in Chinese (the page's
      language unless `l` says) 2,500万, 4.1亿. */
  function compact(x, digits, l) {
    if (undef(x)) return "—";
    if ((l || lang()) === "zh") return compactZh(x);
    digits = digits || 3;
    var sign = x < 0 ? "-" : "";
    x = Math.abs(x);
    for (var i = 0; i < STEPS.length; i++) {
      var div = STEPS[i][0];
      if (x >= div * (1 - 0.5 * Math.pow(10, -digits))) {
        if (i > 0) {
          var v = parseFloat(sig(x / div, digits).replace(/,/g, ""));
          if (v * div >= STEPS[i - 1][0]) return sign + sig(x / STEPS[i - 1][0], digits) + STEPS[i - 1][1];
        }
        return sign + sig(x / div, digits) + STEPS[i][1];
      }
    }
    return sign + sig(x, digits);
  }

  /** A compact count as Chinese writes it (as format.compact in Chinese): 2,500万, 4.1亿,
      3,500 (below 1万 the number is written out). */
  var ZH_STEPS = [[1e12, "万亿"], [1e8, "亿"], [1e4, "万"]];
  function compactZh(x) {
    if (undef(x)) return "—";
    var sign = x < 0 ? "-" : "";
    x = Math.abs(x);
    if (x < 1e4 * (1 - 5e-4)) return sign + sig(x, x < 1000 ? 3 : 4);
    for (var i = 0; i < ZH_STEPS.length; i++) {
      var div = ZH_STEPS[i][0], suf = ZH_STEPS[i][1];
      if (x >= div * (1 - 5e-5)) {
        var v = x / div;
        if (suf !== "万亿" && v >= 9999.5) continue;  // 9,999.6万 → 1亿
        return sign + (v >= 1000 ? Math.round(v).toLocaleString("en-US") : sig(v, 3)) + suf;
      }
    }
    return sign + sig(x, 3);
  }
  var zhSymbols = {};
  function symbolZh(cur) {
    cur = String(cur || "").toUpperCase();
    if (cur === "CNY" || cur === "RMB") return "¥";
    if (zhSymbols[cur] !== undefined) return zhSymbols[cur];
    var s = cur + " ";
    try {
      var parts = new Intl.NumberFormat("zh-CN", { style: "currency", currency: cur }).formatToParts(0);
      for (var i = 0; i < parts.length; i++) if (parts[i].type === "currency") s = parts[i].value;
      if (s === cur) s = cur + " ";
    } catch (e) { /* an unknown code: the code itself */ }
    zhSymbols[cur] = s;
    return s;
  }

  /** Compact money: ¥410M, $1.2B, -¥3.4k; in Chinese (the page's language unless `l` says):
      ¥4.1亿, US$2,000万. */
  function money(x, cur, l) {
    if (undef(x)) return "—";
    if ((l || lang()) === "zh") return (x < 0 ? "-" : "") + symbolZh(cur) + compactZh(Math.abs(x));
    return (x < 0 ? "-" : "") + symbol(cur) + compact(Math.abs(x), 3, "en");
  }
  function signedMoney(x, cur, l) {
    if (undef(x)) return "—";
    return (x > 0 ? "+" : "") + money(x, cur, l);
  }
  /** A share with `digits` decimals: 52%, 3.5%. */
  function pct(p, digits) {
    if (undef(p)) return "—";
    var v = (100 * p).toFixed(digits || 0);
    return (/^-0(\.0*)?$/.test(v) ? v.slice(1) : v) + "%";
  }
  /** A share to three significant digits (3.48%, 60%). */
  function pctSig(p) {
    if (undef(p)) return "—";
    return (p < 0 ? "-" : "") + sig(Math.abs(100 * p), 3) + "%";
  }
  /** The calendar month of plan month m when the plan has a start: "2025-03". */
  function monthLabel(dates, m) {
    if (!dates || undef(m)) return null;
    var i = Math.round(m) - 1;
    return i >= 0 && i < dates.length ? String(dates[i]).slice(0, 7) : null;
  }
  /** A month for people: "22 (2026-10)", or "> 60" when it does not happen in the horizon. */
  function month(m, horizon, date) {
    if (undef(m)) return "> " + horizon;
    return Math.round(m) + (date ? " (" + String(date).slice(0, 7) + ")" : "");
  }

  /** A number as a person types it for the plan (no exponent, ≤ 6 significant digits):
      600000 → "600k", 0.025 → "2.5%" (when percent), 15000000 → "15M". */
  function typed(x, percent) {
    if (undef(x)) return "";
    if (percent) return trim(100 * x) + "%";
    var a = Math.abs(x);
    for (var i = 0; i < STEPS.length; i++) {
      var v = x / STEPS[i][0];
      if (a >= STEPS[i][0] && Math.abs(v - Number(v.toPrecision(6))) < 1e-9 * Math.abs(v)) {
        return trim(v) + STEPS[i][1];
      }
    }
    return trim(x);
  }
  function trim(x) {
    var s = Number(x.toPrecision(10)).toString();
    if (/e/i.test(s)) s = x.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 12 });
    return s;
  }

  // The plan's number syntax (models/distributions.py): 49, 1.5M, 300k, 12%, 1,500, 2万.
  var NUM_RE = /^\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)?(?:\.\d+|\.)?(?:[eE][+-]?\d+)?)\s*(%|k|K|M|m|bn|B|b|T|万|亿)?\s*$/;
  var SUFFIX = { k: 1e3, K: 1e3, M: 1e6, m: 1e6, B: 1e9, b: 1e9, bn: 1e9, T: 1e12, "万": 1e4, "亿": 1e8 };
  /** The value of a typed number, or null when it is not one. */
  function parseNumber(text) {
    var m = NUM_RE.exec(String(text));
    if (!m || !/\d/.test(m[1])) return null;
    var base = parseFloat(m[1].replace(/[_,]/g, ""));
    var v = m[2] === "%" ? base / 100 : m[2] ? base * SUFFIX[m[2]] : base;
    return isFinite(v) ? v : null;
  }

  // ---------------------------------------------------------------- DOM helpers
  /** el("div", {class: "x", text: "…"}, child, …): text is always set as text (never HTML). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.slice(0, 2) === "on" && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) node.appendChild(typeof x === "string" ? document.createTextNode(x) : x); });
      else node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(sel, root) { return (root || document).querySelector(sel); }

  /** A table: head is a list of strings, rows a list of lists of strings or nodes. `left` gives
      how many leading columns are left-aligned. */
  function table(head, rows, left) {
    left = left === undefined ? 1 : left;
    return el("table", { class: "t" },
      el("thead", null, el("tr", null, head.map(function (h, i) {
        return el("th", { class: i < left ? "l" : "", scope: "col" }, h);
      }))),
      el("tbody", null, rows.map(function (r) {
        return el("tr", null, r.map(function (c, i) { return el("td", { class: i < left ? "l" : "" }, c); }));
      })));
  }

  function signClass(x) { return undef(x) || x === 0 ? "" : x < 0 ? "neg" : "pos"; }

  // ---------------------------------------------------------------- charts
  var FONT = "Inter, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'Noto Sans SC', " +
             "'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif";
  var COLORS = { revenue: "#1b9e77", cost: "#d95f02", cash: "#3b5b92", cdf: "#3b5b92",
                 low: "#4c78a8", high: "#f58518", zero: "#c0392b" };
  var CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  if (window.Plotly && window.Plotly.register) {  // the mode bar's words in Chinese
    window.Plotly.register({ moduleType: "locale", name: "zh-cn", dictionary: I18N.plotly.dictionary,
                             format: I18N.plotly.format });
  }
  /** A chart's configuration in the page's language. */
  function plotConfig() { return Object.assign({}, CONFIG, { locale: lang() === "zh" ? "zh-CN" : "en" }); }

  function rgba(hex, a) {
    var h = hex.replace("#", "");
    return "rgba(" + parseInt(h.slice(0, 2), 16) + "," + parseInt(h.slice(2, 4), 16) + "," +
           parseInt(h.slice(4, 6), 16) + "," + a + ")";
  }

  function layout(extra) {
    var base = {
      font: { family: FONT, size: 12.5, color: "#222" },
      paper_bgcolor: "white", plot_bgcolor: "white",
      margin: { l: 64, r: 16, t: 10, b: 40 },
      xaxis: { showgrid: true, gridcolor: "#ececec", zeroline: false, linecolor: "#bbb",
               ticks: "outside", tickcolor: "#bbb", automargin: true },
      yaxis: { showgrid: true, gridcolor: "#ececec", zeroline: false, linecolor: "#bbb",
               automargin: true },
      legend: { orientation: "h", yanchor: "bottom", y: 1.0, xanchor: "left", x: 0 },
      hovermode: "x unified", hoverlabel: { font: { family: FONT } },
      uirevision: "keep"
    };
    Object.keys(extra || {}).forEach(function (k) {
      base[k] = (typeof extra[k] === "object" && !Array.isArray(extra[k]) && base[k])
        ? Object.assign({}, base[k], extra[k]) : extra[k];
    });
    return base;
  }

  /** About n round tick values covering [lo, hi] (as charts.nice_ticks). */
  function niceTicks(lo, hi, n) {
    n = n || 6;
    if (!isFinite(lo) || !isFinite(hi)) return [0];
    if (hi < lo) { var t = lo; lo = hi; hi = t; }
    if (hi === lo) hi = lo + (Math.abs(lo) || 1);
    var raw = (hi - lo) / Math.max(1, n - 1);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).filter(function (s) { return s >= raw; })[0];
    var ticks = [];
    for (var v = Math.floor(lo / step) * step; v <= hi + step * 0.5 && ticks.length < 50; v += step) {
      ticks.push(Math.round(v / step) * step);
    }
    return ticks;
  }
  function finite(arrays) {
    var lo = Infinity, hi = -Infinity;
    arrays.forEach(function (a) {
      (a || []).forEach(function (x) { if (x !== null && isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); } });
    });
    return [lo, hi];
  }
  /** Money tick labels (¥410M) on an axis spanning the given arrays. */
  function moneyAxis(arrays, cur, extra, n) {
    return valueAxis(arrays, function (v) { return money(v, cur); }, extra, n);
  }
  /** Tick labels written by fmt (compact counts by default: 1.2M) on an axis spanning the
      given arrays. */
  function valueAxis(arrays, fmt, extra, n) {
    var r = finite(arrays);
    var ticks = niceTicks(r[0], r[1], n);
    return Object.assign({ tickmode: "array", tickvals: ticks,
                           ticktext: ticks.map(fmt || function (v) { return compact(v); }) }, extra || {});
  }

  /** The x values of a monthly chart: calendar dates when the plan has a start, else months. */
  function xAxis(charts) {
    var dates = charts.dates && charts.dates.length && charts.dates[0] ? charts.dates : null;
    if (dates) {
      return { x: dates.map(function (d) { d = String(d); return d.length === 7 ? d + "-01" : d; }),
               axis: { type: "date", tickformat: "%Y-%m", hoverformat: "%Y-%m" }, dated: true };
    }
    return { x: charts.months, axis: { title: { text: t("common.month") } }, dated: false };
  }

  /** A fan: the p10–p90 band and the p50 line of one series. `opts`: fmt (how a value is
      written; default money in cur), dash (the p50 line's dash style). */
  function fanTraces(x, b, name, color, cur, opts) {
    opts = opts || {};
    var fmt = opts.fmt || function (v) { return money(v, cur); };
    var text = b.p50.map(function (m, i) {
      return fmt(m) + " <span style='color:#888'>(" + escapePlotly(t("common.band80_short")) + ": " +
             fmt(b.p10[i]) + " – " + fmt(b.p90[i]) + ")</span>";
    });
    return [
      { x: x, y: b.p10, mode: "lines", line: { width: 0 }, hoverinfo: "skip", showlegend: false,
        legendgroup: name, type: "scatter" },
      { x: x, y: b.p90, mode: "lines", line: { width: 0 }, fill: "tonexty",
        fillcolor: rgba(color, 0.18), hoverinfo: "skip", showlegend: false, legendgroup: name,
        name: name + " · " + t("common.band80"), type: "scatter" },
      { x: x, y: b.p50, mode: "lines", name: name, line: { color: color, width: 2.5, dash: opts.dash || "solid" },
        legendgroup: name, text: text, hovertemplate: "%{text}<extra>" + escapePlotly(name) + "</extra>",
        type: "scatter" }
    ];
  }

  /** User text for plotly labels (plotly renders a subset of HTML). */
  function escapePlotly(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  window.BE = {
    api: api, ApiError: ApiError, isAbort: isAbort, token: token,
    lang: lang, setLang: setLang, t: t, has: I18N.has, href: I18N.href, locale: locale,
    symbol: symbol, sig: sig, compact: compact, compactZh: compactZh, money: money, signedMoney: signedMoney,
    pct: pct, pctSig: pctSig, month: month, monthLabel: monthLabel, typed: typed,
    parseNumber: parseNumber, undef: undef,
    el: el, clear: clear, $: $, table: table, signClass: signClass,
    COLORS: COLORS, CONFIG: CONFIG, plotConfig: plotConfig, layout: layout, moneyAxis: moneyAxis, valueAxis: valueAxis,
    niceTicks: niceTicks,
    finite: finite, xAxis: xAxis, fanTraces: fanTraces, rgba: rgba, escapePlotly: escapePlotly
  };
})();

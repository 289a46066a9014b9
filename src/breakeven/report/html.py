"""The HTML report: one self-contained file that opens offline.

plotly.js is embedded once, from the installed plotly package (no CDN); every chart is a div with
its figure's JSON. Sections: the answer (headline and key numbers), revenue vs cost, cash, users,
break-even month, funding need, unit economics (and margins by user type when the run has them),
cost breakdown, the tornado, milestones, metrics, a yearly statement, the assumptions (every
input with its distribution and where it is used, so the report can be audited) and the method.
All user text — plan names, descriptions, role and round names — is HTML-escaped.

``write_compare_html`` overlays several plans on the same charts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import charts
from .i18n import kpi_label, line_label, metric_doc, metric_label, resolve, t
from .statement import layout, values, yearly
from .text import (
    headline,
    input_value,
    metric_kind,
    metric_value,
    milestone_condition,
    money,
    month,
    pct,
)

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

CSS = """
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#e3e7ed; --accent:#3b5b92; --bg:#f6f8fb;
        --good:#1b9e77; --bad:#c0392b; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font-family: Inter, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "Noto Sans SC",
       "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
       font-size:15px; line-height:1.5; }
header.top { background:#1f2d45; color:#fff; padding:28px 0 24px; }
.wrap { max-width:1120px; margin:0 auto; padding:0 24px; }
header.top h1 { margin:0 0 4px; font-size:26px; font-weight:650; }
header.top .kicker { text-transform:uppercase; letter-spacing:.08em; font-size:12px;
                     color:#aebcd3; }
header.top .desc { color:#d7deea; max-width:860px; margin:6px 0 0; }
header.top .meta { color:#aebcd3; font-size:13px; margin-top:8px; }
.headline { background:#fff; border-left:5px solid var(--accent); padding:16px 20px;
            font-size:19px; font-weight:600; margin:22px 0 14px; border-radius:6px;
            box-shadow:0 1px 2px rgba(0,0,0,.06); }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(165px, 1fr)); gap:12px;
         margin-bottom:10px; }
.card { background:#fff; border-radius:6px; padding:12px 14px;
        box-shadow:0 1px 2px rgba(0,0,0,.06); }
.card .v { font-size:22px; font-weight:650; }
.card .k { color:var(--muted); font-size:12.5px; }
nav.toc { font-size:13px; margin:12px 0 4px; color:var(--muted); }
nav.toc a { color:var(--accent); text-decoration:none; margin-right:12px; white-space:nowrap; }
section.sec { background:#fff; border-radius:6px; padding:18px 22px 14px; margin:16px 0;
              box-shadow:0 1px 2px rgba(0,0,0,.06); }
section.sec h2 { margin:0 0 4px; font-size:19px; }
p.note { color:var(--muted); margin:0 0 8px; font-size:13.5px; }
.chart { width:100%; min-height:200px; }
table.t { border-collapse:collapse; width:100%; font-size:13px; margin:6px 0 8px; }
table.t th, table.t td { padding:5px 8px; border-bottom:1px solid var(--line); text-align:right;
                          vertical-align:top; }
table.t th { background:#f1f4f8; font-weight:600; position:sticky; top:0; }
table.t td.l, table.t th.l { text-align:left; }
table.t tr.total td { font-weight:650; border-top:1px solid #c9d1dc; }
table.t td.ind { padding-left:22px; }
table.t code { font-size:12px; color:#44546a; word-break:break-all; }
table.t td:not(.l) { white-space:nowrap; }
table.t .paths { font-size:12px; color:var(--muted); word-break:break-all; }
.scroll { overflow-x:auto; max-height:640px; overflow-y:auto; }
.neg { color:var(--bad); }
.muted { color:var(--muted); }
footer { color:var(--muted); font-size:12.5px; padding:12px 0 40px; }
.plans { display:flex; flex-wrap:wrap; gap:10px; }
.plan { display:flex; align-items:center; gap:8px; background:#fff; padding:8px 12px;
        border-radius:6px; box-shadow:0 1px 2px rgba(0,0,0,.06); }
.swatch { width:14px; height:14px; border-radius:3px; display:inline-block; }
@media print { section.sec { break-inside:avoid; box-shadow:none; } body { background:#fff; } }
"""


def esc(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _fig_div(fig, key: str) -> str:
    body = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{key}", config=PLOTLY_CONFIG
    )
    return f'<div class="chart" data-chart="{esc(key)}">{body}</div>'


def _page(title: str, lang: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="breakeven">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n"
        f'<script type="text/javascript">{_plotly_js()}</script>\n'
        f"</head>\n<body>\n{body}\n"
        "<script>window.breakevenReportReady = true;</script>\n"
        "</body>\n</html>\n"
    )


def _section(key: str, title: str, inner: str, note: str | None = None) -> str:
    n = f'<p class="note">{note}</p>' if note else ""
    return (
        f'<section class="sec" id="sec-{key}" data-section="{key}">'
        f"<h2>{esc(title)}</h2>{n}{inner}</section>\n"
    )


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    left: int = 1,
    row_classes: Sequence[str] | None = None,
    also_left: Sequence[int] = (),
) -> str:
    """Cells are HTML already (escape before). The first ``left`` columns and those in
    ``also_left`` (negative = from the end) are left-aligned."""
    n = len(head)
    lcols = set(range(left)) | {c % n for c in also_left}
    al = lambda i: "l" if i in lcols else ""  # noqa: E731
    th = "".join(f'<th class="{al(i)}">{h}</th>' for i, h in enumerate(head))
    body = []
    for k, row in enumerate(rows):
        cls = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        tds = "".join(f'<td class="{al(i)}">{c}</td>' for i, c in enumerate(row))
        body.append(f"<tr{cls}>{tds}</tr>")
    return f'<table class="t"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _num(v, lang: str, domain: str | None = None) -> str:
    return esc(input_value(v, domain, lang))


# ---------------------------------------------------------------------------- pieces
def _metric_cell(name: str, v, r, lang: str) -> str:
    s = metric_value(v, name, r.months, r.currency, lang)
    if metric_kind(name) == "month":
        return esc(s)
    return f'<span class="neg">{esc(s)}</span>' if v is not None and v < 0 else esc(s)


def _cards(r, lang: str) -> str:
    pr = r.probabilities
    be = r.metric_summary("breakeven_month")
    need = r.metric_summary("peak_funding_need")
    npv = r.metric_summary("npv")
    end = r.metric_summary("ending_cash")
    items = [
        (pct(pr["p_breakeven"]), t("p_breakeven", lang)),
        (month(be["p50"], r.months), t("median_breakeven", lang)),
        (
            f"{money(need['p50'], r.currency, lang)} / {money(need['p90'], r.currency, lang)}",
            t("peak_need", lang) + " P50 / P90",
        ),
        (pct(pr["p_cash_out"]), t("p_cash_out", lang)),
        (money(npv["p50"], r.currency, lang), t("npv_p50", lang)),
        (money(end["p50"], r.currency, lang), t("ending_cash_p50", lang)),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{esc(v)}</div><div class="k">{esc(k)}</div></div>'
            for v, k in items
        )
        + "</div>"
    )


def _metrics_table(r, lang: str) -> str:
    rows = []
    for name, s in r.summary().items():
        rows.append(
            [
                esc(metric_label(name, lang)) + f" <code>{esc(name)}</code>",
                *[_metric_cell(name, s[k], r, lang) for k in ("p10", "p50", "p90")],
                (
                    _metric_cell(name, s["mean"], r, lang)
                    if metric_kind(name) != "month"
                    else ("—" if s["mean"] is None else f"{s['mean']:.1f}")
                ),
                pct(s["undefined_share"]) if s["undefined_share"] else "",
                f'<span class="muted">{esc(metric_doc(name, lang))}</span>',
            ]
        )
    head = [
        t("metric", lang),
        "P10",
        "P50",
        "P90",
        t("mean", lang),
        t("undefined", lang),
        t("definition", lang),
    ]
    return _table(head, rows, also_left=(-1,))


def _statement_table(r, lang: str) -> str:
    rows = layout(r.lines)
    yv = yearly(values(r, rows), r.months)
    years = (r.months + 11) // 12
    out, classes = [], []
    for rw in rows:
        label = t("xl.cash_start", lang) if rw.name == "cash_start" else line_label(rw.name, lang)
        cells = []
        for v in yv[rw.name]:
            s = money(v, r.currency, lang)
            cells.append(f'<span class="neg">{esc(s)}</span>' if v < -0.5 else esc(s))
        lab = f'<span title="{esc(rw.name)}">{esc(label)}</span>'
        out.append([lab, *cells])
        classes.append("total" if rw.role in ("total", "derived") else "")
    head = [t("line", lang)] + [t("year_n", lang, n=y + 1) for y in range(years)]
    tab = _table(head, out, row_classes=classes)
    return f'<div class="scroll">{tab}</div>'


def _path_label(sc, path: str) -> str:
    """'company.team.0.cost_per_person_per_year' → 'company.team[research & engineering]
    .cost_per_person_per_year' (names of list items shown), escaped."""
    obj: Any = sc
    parts = []
    for p in path.split("."):
        name = None
        try:
            if isinstance(obj, (list, tuple)) and p.isdigit():
                obj = obj[int(p)]
                name = getattr(obj, "role", None) or getattr(obj, "name", None)
            elif isinstance(obj, dict):
                obj = obj.get(p, obj.get(int(p)) if p.isdigit() else None)
            else:
                obj = getattr(obj, p, None)
        except (IndexError, KeyError, TypeError, ValueError):
            obj = None
        if name and isinstance(name, str):
            parts.append(f"{esc(p)} <b>({esc(name)})</b>")
        else:
            parts.append(esc(p))
    return ".".join(parts)


def _assumptions_table(r, lang: str) -> str:
    rows = []
    for name, inp in (r.input_table or {}).items():
        try:
            desc = inp.dist.describe()
        except Exception:
            desc = repr(inp.dist)
        dom = str(getattr(inp, "domain", ""))
        x = (r.inputs or {}).get(name)
        if x is not None and len(x):
            qs = np.quantile(np.asarray(x, dtype=float), [0.1, 0.5, 0.9])
            stats = [_num(q, lang, dom) for q in qs]
        else:
            stats = [f'<span class="muted">{esc(t("fixed", lang))}</span>', "", ""]
        cell = f"<code>{esc(name)}</code>"
        paths = list(getattr(inp, "paths", ()) or ())
        shown = [_path_label(r.scenario, p) for p in paths]
        extra = [h for p, h in zip(paths, shown) if p != name or "<b>" in h]
        if extra:
            cell += '<div class="paths">' + "<br>".join(extra) + "</div>"
        rows.append([cell, esc(desc), esc(dom), *stats])
    head = [
        f'{t("input", lang)} <span class="muted">/ {t("used_at", lang)}</span>',
        t("distribution", lang),
        t("domain", lang),
        "P10",
        "P50",
        "P90",
    ]
    tab = _table(head, rows, left=3)
    return f'<div class="scroll">{tab}</div>'


def _milestones(r, lang: str) -> str | None:
    ms = getattr(r, "milestones", None)
    if not ms:
        return None
    rows = []
    for m in ms:
        if not isinstance(m, dict):
            m = getattr(m, "__dict__", {}) or {}
        p = m.get("probability")
        rows.append(
            [
                esc(m.get("name", "")),
                esc(m.get("month", "")),
                esc(milestone_condition(m, r, lang)),
                "—" if p is None else esc(pct(float(p))),
            ]
        )
    return _table(
        [t("milestone", lang), t("by_month", lang), t("condition", lang), t("probability", lang)],
        rows,
        left=1,
        also_left=(2,),
    )


def _unit_economics_table(r, lang: str) -> str:
    tab = charts.unit_economics_table(r)
    from .text import money_exact

    names = charts.per_titles(lang)
    keys = ["revenue", "fees", "serving", "other_cogs", "margin"]
    if all(
        abs(it["other_cogs"]) < 1e-9 * max(1.0, abs(it["revenue"])) for it in tab["per"].values()
    ):
        keys.remove("other_cogs")
    rows = []
    for k, it in tab["per"].items():
        rows.append(
            [
                esc(names.get(k, kpi_label(k, lang))),
                *[esc(money_exact(it[c], r.currency, lang)) for c in keys],
            ]
        )
    head = [""] + [t("ue." + c, lang) for c in keys]
    return _table(head, rows) if rows else ""


def compute_tornado(results, metric: str = "npv"):
    """Tornado rows for ``results`` from breakeven.analysis.sensitivity, or (None, why)."""
    try:
        from ..analysis.sensitivity import tornado
    except Exception as e:
        return None, f"{type(e).__name__}: {e}"
    try:
        try:
            rows = tornado(
                results.scenario,
                metric=metric,
                seed=results.seed,
                samples_for_conditional=min(int(results.samples), 2000),
            )
        except TypeError:
            rows = tornado(results.scenario, metric=metric, seed=results.seed)
    except Exception as e:
        return None, f"{type(e).__name__}: {e}"
    return rows, None


def _tornado_section(r, lang: str, tornado_rows, metric: str = "npv") -> str:
    why = None
    rows = tornado_rows
    if rows is None:
        rows, why = compute_tornado(r, metric)
    elif rows is False:
        rows, why = None, "not requested"
    if rows is not None and hasattr(rows, "to_dict") and not isinstance(rows, list):
        rows = rows.to_dict("records")  # a DataFrame
    if rows is None or len(rows) == 0:
        why = why or ("no uncertain inputs" if rows is not None else "unavailable")
        return _section(
            "tornado", t("sec.tornado", lang), "", esc(t("note.tornado_missing", lang, why=why))
        )
    metric = getattr(rows, "metric", metric)
    fig = charts.tornado_chart(rows, r, lang, metric=metric)
    body = _fig_div(fig, "tornado")
    ranked = sorted(rows, key=lambda x: x.get("rank", 0) or 0)[:15]
    table = getattr(r, "input_table", {}) or {}
    trs = []
    for x in ranked:
        dom = getattr(table.get(x.get("input")), "domain", None)
        trs.append(
            [
                esc(x.get("rank", "")),
                f"<code>{esc(x.get('input', ''))}</code>",
                esc(x.get("description", "")),
                _num(x.get("low"), lang, dom) + " → " + _num(x.get("high"), lang, dom),
                esc(money(x.get("metric_low"), r.currency, lang)),
                esc(money(x.get("metric_high"), r.currency, lang)),
                esc(money(x.get("swing"), r.currency, lang)),
            ]
        )
    body += _table(
        [
            "#",
            t("input", lang),
            t("distribution", lang),
            f"{t('low', lang)} → {t('high', lang)}",
            t("input_low", lang),
            t("input_high", lang),
            t("swing", lang),
        ],
        trs,
        left=3,
    )
    note = esc(t("note.tornado", lang, metric=metric_label(metric, lang)))
    extra = getattr(rows, "note", None)
    if extra:
        note += f' <span class="muted">{esc(extra)}</span>'
    return _section("tornado", t("sec.tornado", lang), body, note)


# ---------------------------------------------------------------------------- report
def render_html(results, lang: str | None = None, tornado_rows=None) -> str:
    """The report of one run as an HTML string (see :func:`write_html`)."""
    lang = resolve(lang)
    r = results
    sc = r.scenario
    secs: list[tuple[str, str]] = []  # (key, html)

    def add(key, title, inner, note=None):
        secs.append((key, _section(key, title, inner, note)))

    add(
        "revenue_cost",
        t("sec.revenue_cost", lang),
        _fig_div(charts.revenue_vs_cost(r, lang), "revenue_cost"),
        esc(t("note.revenue_cost", lang)),
    )
    add(
        "cash",
        t("sec.cash", lang),
        _fig_div(charts.cash(r, lang), "cash"),
        esc(t("note.cash", lang)),
    )
    if charts.user_kpis(r):
        add(
            "users",
            t("sec.users", lang),
            _fig_div(charts.users(r, lang), "users"),
            esc(t("note.users", lang)),
        )
    add(
        "breakeven",
        t("sec.breakeven", lang),
        _fig_div(charts.breakeven_cdf(r, lang), "breakeven_cdf"),
        esc(t("note.breakeven", lang)),
    )
    add(
        "funding_need",
        t("sec.funding_need", lang),
        _fig_div(charts.funding_need(r, lang), "funding_need"),
        esc(t("note.funding_need", lang)),
    )
    ue = charts.unit_economics_table(r)
    if ue["per"]:
        add(
            "unit_economics",
            t("sec.unit_economics", lang),
            _fig_div(charts.unit_economics(r, lang), "unit_economics")
            + _unit_economics_table(r, lang),
            esc(t("note.unit_economics", lang, period=t(ue["period"], lang))),
        )
    um = charts.user_margins(r, lang)
    if um is not None:
        series = not charts.user_margin_rows(getattr(r, "user_margins", None))
        add(
            "user_margins",
            t("sec.user_margins", lang),
            _fig_div(um, "user_margins"),
            esc(t("note.user_margin_series" if series else "note.user_margins", lang)),
        )
    add(
        "cost_breakdown",
        t("sec.cost_breakdown", lang),
        _fig_div(charts.cost_breakdown(r, lang), "cost_breakdown"),
        esc(t("note.cost_breakdown", lang)),
    )
    secs.append(("tornado", _tornado_section(r, lang, tornado_rows)))
    ms = _milestones(r, lang)
    add(
        "milestones",
        t("sec.milestones", lang),
        ms if ms else f'<p class="muted">{esc(t("no_milestones", lang))}</p>',
        esc(t("note.milestones", lang)) if ms else None,
    )
    add("metrics", t("sec.metrics", lang), f'<div class="scroll">{_metrics_table(r, lang)}</div>')
    add(
        "statement",
        t("sec.statement", lang),
        _statement_table(r, lang),
        esc(t("note.statement", lang)),
    )
    add(
        "assumptions",
        t("sec.assumptions", lang),
        _assumptions_table(r, lang),
        esc(t("note.assumptions", lang)),
    )
    add(
        "method",
        t("sec.method", lang),
        "",
        esc(
            t(
                "note.method",
                lang,
                samples=f"{r.samples:,}",
                seed=r.seed,
                months=r.months,
                kept=f"{r.kept:,}",
            )
        ),
    )

    desc = (getattr(sc, "description", None) or "").strip()
    src = getattr(sc, "_source", None)
    meta = t(
        "samples_seed",
        lang,
        samples=f"{r.samples:,}",
        seed=r.seed,
        months=r.months,
        currency=r.currency,
    )
    if src:
        meta += f" · {src}"
    toc = "".join(f'<a href="#sec-{k}">{esc(_sec_title(k, lang))}</a>' for k, _ in secs)
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">'
        f"{esc(t('report_title', lang))}</div><h1>{esc(sc.name)}</h1>"
        + (f'<p class="desc">{esc(desc)}</p>' if desc else "")
        + f'<div class="meta">{esc(meta)}</div></div></header>'
    )
    summary = (
        f'<section class="sec" id="sec-summary" data-section="summary" '
        f'style="background:none;box-shadow:none;padding:0">'
        f'<div class="headline">{esc(headline(r, lang))}</div>{_cards(r, lang)}'
        f'<nav class="toc">{toc}</nav></section>'
    )
    from .. import __version__

    footer = f"<footer>{esc(t('generated_by', lang, version=__version__))}</footer>"
    body = (
        header + '<main class="wrap">' + summary + "".join(h for _, h in secs) + footer + "</main>"
    )
    return _page(f"{sc.name} — {t('report_title', lang)}", lang, body)


def _sec_title(key: str, lang: str) -> str:
    return t(f"sec.{key}", lang)


def write_html(results, path, lang: str | None = None, tornado_rows=None) -> Path:
    """Write the report of ``results`` to ``path``; returns the path.

    ``lang``: 'en' or 'zh' (None: from the locale). ``tornado_rows``: precomputed rows of
    :func:`breakeven.analysis.sensitivity.tornado`; None computes them (skipped, with a note,
    if that fails); False leaves the tornado out."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_html(results, lang=lang, tornado_rows=tornado_rows)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


# ---------------------------------------------------------------------------- comparison
def _beats_table(results_list, labels, lang: str) -> str | None:
    n = min(len(r.metrics["npv"]) for r in results_list)
    if n == 0 or len(results_list) < 2:
        return None
    npv = [np.asarray(r.metrics["npv"][:n], dtype=float) for r in results_list]
    rows = []
    for i, a in enumerate(npv):
        cells = []
        for j, b in enumerate(npv):
            cells.append("—" if i == j else pct(float(np.mean(a > b))))
        rows.append([esc(labels[i]), *cells])
    return _table([""] + [esc(x) for x in labels], rows)


def render_compare_html(results_list, lang: str | None = None) -> str:
    """Several plans on the same charts, as an HTML string (see :func:`write_compare_html`)."""
    lang = resolve(lang)
    rl = list(results_list)
    if not rl:
        raise ValueError("write_compare_html: no results to compare")
    labels = charts.plan_labels(rl)
    curs = {r.currency for r in rl}
    secs = []
    plans = (
        '<div class="plans">'
        + "".join(
            f'<div class="plan"><span class="swatch" style="background:'
            f'{charts.PLAN_COLORS[i % len(charts.PLAN_COLORS)]}"></span><div><b>{esc(labels[i])}</b>'
            f'<div class="muted" style="font-size:13px">{esc(headline(r, lang))}</div></div></div>'
            for i, r in enumerate(rl)
        )
        + "</div>"
    )
    secs.append(("plans", _section("plans", t("sec.plans", lang), plans)))
    note = esc(t("note.compare", lang))
    if len(curs) > 1:
        note += " " + esc("Currencies differ: " + ", ".join(sorted(curs)))
    secs.append(
        (
            "revenue_cost",
            _section(
                "revenue_cost",
                line_label("revenue", lang),
                _fig_div(charts.compare_fan(rl, "revenue", lang, labels=labels), "cmp_revenue"),
                note,
            ),
        )
    )
    secs.append(
        (
            "total_cost",
            _section(
                "total_cost",
                t("total_cost", lang),
                _fig_div(
                    charts.compare_fan(rl, charts.total_cost, lang, labels=labels), "cmp_cost"
                ),
                note,
            ),
        )
    )
    secs.append(
        (
            "cash",
            _section(
                "cash",
                t("sec.cash", lang),
                _fig_div(charts.compare_fan(rl, "cash", lang, labels=labels), "cmp_cash"),
                note,
            ),
        )
    )
    ukpis = [k for k in charts.USER_KPIS if all(k in r.kpi_names for r in rl)][:2]
    for k in ukpis:
        secs.append(
            (
                f"users_{k}",
                _section(
                    f"users_{k}",
                    kpi_label(k, lang),
                    _fig_div(
                        charts.compare_fan(rl, k, lang, kind="count", labels=labels), f"cmp_{k}"
                    ),
                    note,
                ),
            )
        )
    secs.append(
        (
            "breakeven",
            _section(
                "breakeven",
                t("sec.breakeven", lang),
                _fig_div(charts.compare_cdf(rl, lang, labels=labels), "cmp_breakeven_cdf"),
                esc(t("note.breakeven", lang)),
            ),
        )
    )
    secs.append(
        (
            "funding_need",
            _section(
                "funding_need",
                t("sec.funding_need", lang),
                _fig_div(
                    charts.compare_distribution(rl, "peak_funding_need", lang, labels=labels),
                    "cmp_funding_need",
                ),
                esc(t("note.funding_need", lang)),
            ),
        )
    )
    # metrics side by side
    names = [k for k in rl[0].metrics if all(k in r.metrics for r in rl)]
    rows = []
    pr_rows = [
        [esc(t("p_breakeven", lang)), *[pct(r.probabilities["p_breakeven"]) for r in rl]],
        [esc(t("p_cash_out", lang)), *[pct(r.probabilities["p_cash_out"]) for r in rl]],
    ]
    for name in names:
        cells = []
        for r in rl:
            s = r.metric_summary(name)
            cells.append(
                esc(
                    " / ".join(
                        metric_value(s[k], name, r.months, r.currency, lang)
                        for k in ("p10", "p50", "p90")
                    )
                )
            )
        rows.append(
            [esc(metric_label(name, lang)) + ' <span class="muted">P10 / P50 / P90</span>', *cells]
        )
    tab = _table([t("metric", lang)] + [esc(x) for x in labels], pr_rows + rows)
    secs.append(
        ("metrics", _section("metrics", t("sec.metrics", lang), f'<div class="scroll">{tab}</div>'))
    )
    beats = _beats_table(rl, labels, lang)
    if beats:
        secs.append(
            ("beats", _section("beats", t("sec.beats", lang), beats, esc(t("note.beats", lang))))
        )
    title = t("compare_title", lang)
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">{esc(title)}</div>'
        f"<h1>{' · '.join(esc(x) for x in labels)}</h1></div></header>"
    )
    from .. import __version__

    footer = f"<footer>{esc(t('generated_by', lang, version=__version__))}</footer>"
    body = header + '<main class="wrap">' + "".join(h for _, h in secs) + footer + "</main>"
    return _page(f"{title}: " + " · ".join(labels), lang, body)


def write_compare_html(results_list, path, lang: str | None = None) -> Path:
    """Write a report overlaying several plans (medians and 80% bands on the same charts,
    metrics side by side, P(plan A's NPV beats plan B's)); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_compare_html(results_list, lang=lang)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path

"""The HTML report: one self-contained file that opens offline.

plotly.js is embedded once, from the installed plotly package (no CDN); every chart is a div with
its figure's JSON. Sections: the answer (headline and key numbers), revenue vs cost, cash, users,
break-even month, funding need, unit economics, margins by user type, cost breakdown, the tornado,
milestones, metrics, a yearly statement, the assumptions (every input with its distribution and
where it is used, so the report can be audited) and the method. Every number is the
:class:`~breakeven.report.view.View`'s; all user text is escaped.

With actuals (``breakeven run --actuals``), the fan charts of observed series mark them as
points and a "Plan vs actual" section holds the variance table. ``write_compare_html`` overlays
several plans on the same charts; :mod:`breakeven.report.update` reuses this page skeleton.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..analysis.actuals import Actuals
from ..analysis.update import series_bands
from ..engine import Results
from ..files import atomic_write
from ..format import escape_html as esc
from ..format import input_value, money, money_exact, month, pct
from . import charts
from .i18n import STRINGS, resolve, t
from .sentences import basis_text, describe_dist, domain_label, tornado_note
from .text import headline, metric_kind, metric_value, milestone_condition, run_info
from .view import View, as_view, series_value

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
table.t tr.out td { background:#fdf0e6; }
section.sec h3 { margin:14px 0 0; font-size:15px; font-weight:600; }
p.lead { margin:6px 0 8px; }
details.yaml summary { cursor:pointer; color:var(--accent); font-weight:600; margin:4px 0; }
details.yaml pre { background:#f6f8fb; border:1px solid var(--line); border-radius:4px;
                   padding:10px 12px; font-size:12px; overflow-x:auto; max-height:640px; }
code.input { font-size:12px; color:#44546a; }
@media print { section.sec { break-inside:avoid; box-shadow:none; } body { background:#fff; } }
"""


def _plotly_js() -> str:
    return str(get_plotlyjs())


def fig_div(fig: go.Figure, key: str) -> str:
    body = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{key}", config=PLOTLY_CONFIG
    )
    return f'<div class="chart" data-chart="{esc(key)}">{body}</div>'


def page(title: str, lang: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="breakeven">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n"
        f'<script type="text/javascript">{_plotly_js()}</script>\n'
        f"</head>\n<body>\n{body}\n"
        "<script>window.breakevenReportReady = true;</script>\n"
        "</body>\n</html>\n"
    )


def section(key: str, title: str, inner: str, note: str | None = None) -> str:
    n = f'<p class="note">{note}</p>' if note else ""
    return (
        f'<section class="sec" id="sec-{key}" data-section="{key}">'
        f"<h2>{esc(title)}</h2>{n}{inner}</section>\n"
    )


def table(
    head: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    left: int = 1,
    row_classes: Sequence[str] | None = None,
    also_left: Sequence[int] = (),
) -> str:
    """Cells are HTML already (escape before). The first ``left`` columns and those in
    ``also_left`` (negative = from the end) are left-aligned. ``head`` None: no header row."""
    n = len(head) if head is not None else max((len(r) for r in rows), default=1)
    lcols = set(range(left)) | {c % n for c in also_left}

    def al(i: int) -> str:
        return "l" if i in lcols else ""

    th = "".join(f'<th class="{al(i)}">{h}</th>' for i, h in enumerate(head or ()))
    thead = f"<thead><tr>{th}</tr></thead>" if head is not None else ""
    body = []
    for k, row in enumerate(rows):
        cls = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        tds = "".join(f'<td class="{al(i)}">{c}</td>' for i, c in enumerate(row))
        body.append(f"<tr{cls}>{tds}</tr>")
    return f'<table class="t">{thead}<tbody>{"".join(body)}</tbody></table>'


def neg(text: str, value: float | None) -> str:
    return f'<span class="neg">{esc(text)}</span>' if value is not None and value < 0 else esc(text)


def generated_by(lang: str) -> str:
    return f"<footer>{esc(t('generated_by', lang, version=version('breakeven')))}</footer>"


# ---------------------------------------------------------------------------- pieces
def _metric_cell(name: str, x: float | None, v: View, lang: str) -> str:
    s = metric_value(x, name, v.months, v.currency, lang, v.start)
    return esc(s) if metric_kind(name) == "month" else neg(s, x)


def _cards(v: View, lang: str) -> str:
    pr, m, cur = v.probabilities, v.metrics, v.currency
    need = m["peak_funding_need"]
    items = [
        (pct(pr["p_breakeven"]), t("p_breakeven", lang)),
        (month(m["breakeven_month"]["p50"], v.months, v.start), t("median_breakeven", lang)),
        (
            f"{money(need['p50'], cur, lang)} / {money(need['p90'], cur, lang)}",
            t("peak_need", lang) + " P50 / P90",
        ),
        (pct(pr["p_cash_out"]), t("p_cash_out", lang)),
        (money(m["npv"]["p50"], cur, lang), t("npv_p50", lang)),
        (money(m["ending_cash"]["p50"], cur, lang), t("ending_cash_p50", lang)),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{esc(x)}</div><div class="k">{esc(k)}</div></div>'
            for x, k in items
        )
        + "</div>"
    )


def _metrics_table(v: View, lang: str) -> str:
    rows = []
    for name, s in v.metrics.items():
        mean = (
            _metric_cell(name, s["mean"], v, lang)
            if metric_kind(name) != "month"
            else ("—" if s["mean"] is None else f"{s['mean']:.1f}")
        )
        rows.append(
            [
                esc(v.label(name, lang)) + f" <code>{esc(name)}</code>",
                *[_metric_cell(name, s[k], v, lang) for k in ("p10", "p50", "p90")],
                mean,
                pct(s["undefined_share"]) if s["undefined_share"] else "",
                f'<span class="muted">{esc(v.doc(name, lang))}</span>',
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
    return table(head, rows, also_left=(-1,))


def _statement_table(v: View, lang: str) -> str:
    years = (v.months + 11) // 12
    out, classes = [], []
    for rw in v.statement:
        label = t("xl.cash_start", lang) if rw.name == "cash_start" else v.label(rw.name, lang)
        cells = [
            neg(money(x, v.currency, lang), x if x < -0.5 else None)
            for x in v.statement_yearly[rw.name]
        ]
        out.append([f'<span title="{esc(rw.name)}">{esc(label)}</span>', *cells])
        classes.append("total" if rw.role in ("total", "derived") else "")
    head = [t("line", lang)] + [v.year_name(y, lang) for y in range(years)]
    return f'<div class="scroll">{table(head, out, row_classes=classes)}</div>'


def _distribution(v: View, name: str, text: str, lang: str) -> str:
    """An input's distribution for people in ``lang`` (``text``: the English description)."""
    inp = v.results.input_table.get(name) if lang == "zh" else None
    return describe_dist(inp.dist, lang) if inp is not None else text


def _assumptions_table(v: View, lang: str) -> str:
    rows = []
    for a in v.assumptions:
        dom = a["domain"]
        stats = (
            [esc(input_value(q, dom, lang)) for q in a["quantiles"]]
            if a["quantiles"]
            else [f'<span class="muted">{esc(t("fixed", lang))}</span>', "", ""]
        )
        cell = f"<code>{esc(a['label'])}</code>"
        extra = [esc(where) for where in a["paths"] if where != a["label"]]
        if extra:
            cell += '<div class="paths">' + "<br>".join(extra) + "</div>"
        dist = esc(_distribution(v, a["input"], a["distribution"], lang))
        if a.get("basis"):
            dist += f'<div class="paths">{esc(basis_text(a["basis"], lang))}</div>'
        rows.append([cell, dist, esc(domain_label(dom, lang)), *stats])
    head = [
        f'{t("input", lang)} <span class="muted">/ {t("used_at", lang)}</span>',
        t("distribution", lang),
        t("domain", lang),
        "P10",
        "P50",
        "P90",
    ]
    return f'<div class="scroll">{table(head, rows, left=3)}</div>'


def _milestones(v: View, lang: str) -> str | None:
    if not v.milestones:
        return None
    rows = [
        [
            esc(m["name"]),
            esc(m["month"]),
            esc(milestone_condition(m, v, lang)),
            "—" if m["probability"] is None else esc(pct(float(m["probability"]))),
        ]
        for m in v.milestones
    ]
    return table(
        [t("milestone", lang), t("by_month", lang), t("condition", lang), t("probability", lang)],
        rows,
        left=1,
        also_left=(2,),
    )


def _series_names(labels: list[str], lang: str) -> str:
    """ "Active users, paying users and seats" / "活跃用户、付费用户和席位"."""
    if lang == "zh":
        return "、".join(labels[:-1]) + ("和" if len(labels) > 1 else "") + labels[-1]
    if len(labels) == 1:
        return labels[0]
    rest = ", ".join(x[:1].lower() + x[1:] for x in labels[1:-1])
    last = labels[-1][:1].lower() + labels[-1][1:]
    return labels[0] + (", " + rest if rest else "") + " and " + last


def _unit_economics_note(v: View, lang: str) -> str:
    """The caption, naming the plan's own units; the free-users sentence only where a plan has
    free users that payers carry."""
    per = v.unit_economics.per
    units = _series_names([charts.per_unit(k, v, lang) for k in per], lang)
    note = t("note.unit_economics", lang, units=units, period=t(v.unit_economics.period, lang))
    if "paying_users" in per and "active_users" in per:
        note += ("" if lang == "zh" else " ") + t("note.unit_economics_free", lang)
    return note


def _unit_economics_table(v: View, lang: str) -> str:
    per = v.unit_economics.per
    keys = ["revenue", "fees", "serving", "other_cogs", "margin"]
    for key in ("fees", "other_cogs"):  # a column of zeros says nothing (no fees in to-business)
        if all(abs(it[key]) < 1e-9 * max(1.0, abs(it["revenue"])) for it in per.values()):
            keys.remove(key)
    rows = [
        [
            esc(charts.per_title(k, v, lang)),
            *[esc(money_exact(it[c], v.currency, lang)) for c in keys],
        ]
        for k, it in per.items()
    ]
    return table([""] + [t("ue." + c, lang) for c in keys], rows) if rows else ""


def outside_count(rows: Sequence[dict], lang: str) -> str:
    """'k of n observations fell outside the plan's 80% band.'"""
    k = sum(bool(r["outside_plan"]) for r in rows)
    return t("outside_count", lang, k=k, n=len(rows))


def variance_html(rows: Sequence[dict], r: Results, lang: str) -> str:
    """The variance table: each observation against the plan's P10/P50/P90 (and the updated
    forecast's, when the rows have them); rows outside the plan's 80% band highlighted."""
    updated = bool(rows) and "updated_p50" in rows[0]
    body, classes = [], []
    for row in rows:
        name = row["series"]

        def f(x: float, name: str = name) -> str:
            return esc(series_value(r, name, x, lang))

        flag = ""
        if row["outside_plan"]:
            flag = t("below", lang) if row["actual"] < row["plan_p10"] else t("above", lang)
        cells = [
            f"{esc(r.outputs.label(name, lang))} <code>{esc(name)}</code>",
            esc(row["month"]),
            f"<b>{f(row['actual'])}</b>",
            f(row["plan_p10"]),
            f(row["plan_p50"]),
            f(row["plan_p90"]),
        ]
        if updated:
            cells += [f(row["updated_p10"]), f(row["updated_p50"]), f(row["updated_p90"])]
        body.append([*cells, f'<span class="neg">{esc(flag)}</span>' if flag else ""])
        classes.append("out" if row["outside_plan"] else "")
    head = [t("series", lang), t("month_col", lang), t("actual", lang)]
    head += [t("plan_p", lang, p=q) for q in ("P10", "P50", "P90")]
    if updated:
        head += [t("updated_p", lang, p=q) for q in ("P10", "P50", "P90")]
    head.append(t("outside", lang))
    tab = table(head, body, left=2, row_classes=classes)
    return f'<div class="scroll">{tab}</div>'


def _actuals_section(v: View, lang: str) -> str | None:
    """Plan vs actual of a plain run: the count outside the plan's 80% band, the variance
    table, and a fan chart with the actuals of each observed series no other chart shows."""
    a = v.actuals
    if a is None:
        return None
    inner = f'<p class="lead">{esc(outside_count(v.variance, lang))}</p>'
    inner += variance_html(v.variance, v.results, lang)
    charted = {"revenue", "cash", *v.users}
    rest = [k for k in a.series if k not in charted]
    for name, entry in series_bands(a, v.results, names=rest).items():
        fig = charts.plan_vs_actual(entry, name, v.kind(name) == "line", v.currency, lang)
        inner += f"<h3>{esc(v.label(name, lang))} <code>{esc(name)}</code></h3>"
        inner += fig_div(fig, "actual-" + name.replace(".", "-"))
    note = esc(t("note.actuals", lang, file=a.file, period=a.period))
    return section("actuals", t("sec.actuals", lang), inner, note)


def _why(reason: str, lang: str) -> str:
    """Why the tornado is missing, in ``lang`` (a reason of unknown form as given)."""
    key = f"why.{reason}"
    return t(key, lang) if key in STRINGS else reason


def _tornado_section(v: View, lang: str) -> str:
    tr = v.tornado
    if tr is None:
        return section(
            "tornado",
            t("sec.tornado", lang),
            "",
            esc(t("note.tornado_missing", lang, why=_why(v.tornado_missing or "", lang))),
        )
    body = fig_div(charts.tornado_chart(v, lang), "tornado")
    month_metric = v.results.month_metric(tr.metric)

    def fmt(x: float) -> str:
        return f"{x:.1f}" if month_metric else money(x, v.currency, lang)

    rows = [
        [
            esc(x["rank"]),
            f"<code>{esc(x.get('label', x['input']))}</code>",
            esc(_distribution(v, x["input"], x["description"], lang)),
            esc(input_value(x["low"], x["domain"], lang))
            + " → "
            + esc(input_value(x["high"], x["domain"], lang)),
            esc(fmt(x["metric_low"])),
            esc(fmt(x["metric_high"])),
            esc(fmt(x["swing"])),
        ]
        for x in sorted(tr, key=lambda x: x["rank"])[:15]
    ]
    body += table(
        [
            "#",
            t("input", lang),
            t("distribution", lang),
            f"{t('low', lang)} → {t('high', lang)}",
            t("input_low", lang),
            t("input_high", lang),
            t("swing", lang),
        ],
        rows,
        left=3,
    )
    note = esc(t("note.tornado", lang, metric=v.label(tr.metric, lang)))
    same = t("note.tornado_same", lang, samples=f"{tr.samples:,}", seed=v.seed)
    sep = "" if lang == "zh" else " "
    note += f' <span class="muted">{esc(same)}{sep}{esc(tornado_note(tr, lang))}</span>'
    return section("tornado", t("sec.tornado", lang), body, note)


# ---------------------------------------------------------------------------- report
def render_html(
    results: View | Results,
    lang: str | None = None,
    tornado_rows: bool | None = None,
    actuals: Actuals | None = None,
) -> str:
    """The report of one run as an HTML string (see :func:`write_html`)."""
    lang = resolve(lang)
    v = as_view(results, tornado_rows, actuals)
    secs: list[tuple[str, str]] = []

    def add(key: str, inner: str, note: str | None = None) -> None:
        secs.append((key, section(key, t(f"sec.{key}", lang), inner, note)))

    add(
        "revenue_cost",
        fig_div(charts.revenue_vs_cost(v, lang), "revenue_cost"),
        esc(t("note.revenue_cost", lang)),
    )
    cash_note = t("note.cash", lang)
    if v.funding_events:
        cash_note += ("" if lang == "zh" else " ") + t("note.cash_rounds", lang)
    add("cash", fig_div(charts.cash(v, lang), "cash"), esc(cash_note))
    if v.users:
        what = _series_names([v.label(k, lang) for k in v.users], lang)
        add("users", fig_div(charts.users(v, lang), "users"), esc(t("note.users", lang, what=what)))
    actual = _actuals_section(v, lang)
    if actual is not None:
        secs.append(("actuals", actual))
    add(
        "breakeven",
        fig_div(charts.breakeven_cdf(v, lang), "breakeven_cdf"),
        esc(t("note.breakeven", lang)),
    )
    add(
        "funding_need",
        fig_div(charts.funding_need(v, lang), "funding_need"),
        esc(t("note.funding_need", lang)),
    )
    if v.unit_economics.per:
        add(
            "unit_economics",
            fig_div(charts.unit_economics(v, lang), "unit_economics")
            + _unit_economics_table(v, lang),
            esc(_unit_economics_note(v, lang)),
        )
    um = charts.user_margins(v, lang)
    if um is not None:
        add("user_margins", fig_div(um, "user_margins"), esc(t("note.user_margin_series", lang)))
    add(
        "cost_breakdown",
        fig_div(charts.cost_breakdown(v, lang), "cost_breakdown"),
        esc(t("note.cost_breakdown", lang)),
    )
    secs.append(("tornado", _tornado_section(v, lang)))
    ms = _milestones(v, lang)
    add(
        "milestones",
        ms or f'<p class="muted">{esc(t("no_milestones", lang))}</p>',
        esc(t("note.milestones", lang)) if ms else None,
    )
    add("metrics", f'<div class="scroll">{_metrics_table(v, lang)}</div>')
    add("statement", _statement_table(v, lang), esc(t("note.statement", lang)))
    add("assumptions", _assumptions_table(v, lang), esc(t("note.assumptions", lang)))
    add(
        "method",
        "",
        esc(
            t(
                "note.method",
                lang,
                samples=f"{v.samples:,}",
                seed=v.seed,
                months=v.months,
                kept=f"{v.kept:,}",
            )
        ),
    )

    meta = run_info(v, lang) + f" · {v.source}"
    toc = "".join(f'<a href="#sec-{k}">{esc(t(f"sec.{k}", lang))}</a>' for k, _ in secs)
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">'
        f"{esc(t('report_title', lang))}</div><h1>{esc(v.name)}</h1>"
        + (f'<p class="desc">{esc(v.description)}</p>' if v.description else "")
        + f'<div class="meta">{esc(meta)}</div></div></header>'
    )
    summary = (
        '<section class="sec" id="sec-summary" data-section="summary" '
        'style="background:none;box-shadow:none;padding:0">'
        f'<div class="headline">{esc(headline(v, lang))}</div>{_cards(v, lang)}'
        f'<nav class="toc">{toc}</nav></section>'
    )
    body = (
        header
        + '<main class="wrap">'
        + summary
        + "".join(h for _, h in secs)
        + generated_by(lang)
        + "</main>"
    )
    return page(f"{v.name} — {t('report_title', lang)}", lang, body)


def write_html(
    results: View | Results,
    path: str | Path,
    lang: str | None = None,
    tornado_rows: bool | None = None,
    actuals: Actuals | None = None,
) -> Path:
    """Write the report to ``path`` (atomically); returns the path.

    ``lang``: 'en' or 'zh' (None: from the locale). ``tornado_rows``: False leaves the tornado
    out; otherwise the view's tornado is shown (computed as ``breakeven sensitivity`` does).
    ``actuals`` (or the view's): observed months overlaid on the fan charts, with a variance
    table (read them with :func:`breakeven.analysis.update.load_actuals`)."""
    text = render_html(results, lang=lang, tornado_rows=tornado_rows, actuals=actuals)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


# ---------------------------------------------------------------------------- comparison
def _beats_table(views: list[View], labels: list[str]) -> str | None:
    n = min(len(v.results.metrics["npv"]) for v in views)
    if n == 0 or len(views) < 2:
        return None
    npv = [np.asarray(v.results.metrics["npv"][:n], dtype=float) for v in views]
    rows = [
        [
            esc(labels[i]),
            *["—" if i == j else pct(float(np.mean(a > b))) for j, b in enumerate(npv)],
        ]
        for i, a in enumerate(npv)
    ]
    return table([""] + [esc(x) for x in labels], rows)


def render_compare_html(results_list: Sequence[View | Results], lang: str | None = None) -> str:
    """Several plans on the same charts, as an HTML string (see :func:`write_compare_html`)."""
    lang = resolve(lang)
    if not results_list:
        raise ValueError("write_compare_html: no results to compare")
    views = [as_view(r, False) for r in results_list]
    labels = charts.plan_labels(views)
    curs = {v.currency for v in views}
    secs = []
    plans = (
        '<div class="plans">'
        + "".join(
            f'<div class="plan"><span class="swatch" style="background:'
            f'{charts.PLAN_COLORS[i % len(charts.PLAN_COLORS)]}"></span><div><b>{esc(labels[i])}</b>'
            f'<div class="muted" style="font-size:13px">{esc(headline(v, lang))}</div></div></div>'
            for i, v in enumerate(views)
        )
        + "</div>"
    )
    secs.append(section("plans", t("sec.plans", lang), plans))
    note = esc(t("note.compare", lang))
    if len(curs) > 1:
        note += " " + esc(t("cmp.currencies_differ", lang, list=", ".join(sorted(curs))))
    for key, series, title, chart in (
        ("revenue_cost", "revenue", views[0].label("revenue", lang), "cmp_revenue"),
        ("total_cost", "total_cost", t("total_cost", lang), "cmp_cost"),
        ("cash", "cash", t("sec.cash", lang), "cmp_cash"),
    ):
        secs.append(
            section(
                key,
                title,
                fig_div(charts.compare_fan(views, series, lang, labels=labels), chart),
                note,
            )
        )
    shared = [k for k in views[0].users if all(k in v.users for v in views)][:2]
    for k in shared:
        secs.append(
            section(
                f"users_{k}",
                views[0].label(k, lang),
                fig_div(charts.compare_fan(views, k, lang, labels=labels), f"cmp_{k}"),
                note,
            )
        )
    secs.append(
        section(
            "breakeven",
            t("sec.breakeven", lang),
            fig_div(charts.compare_cdf(views, lang, labels=labels), "cmp_breakeven_cdf"),
            esc(t("note.breakeven", lang)),
        )
    )
    secs.append(
        section(
            "funding_need",
            t("sec.funding_need", lang),
            fig_div(
                charts.compare_distribution(views, "peak_funding_need", lang, labels=labels),
                "cmp_funding_need",
            ),
            esc(t("note.funding_need", lang)),
        )
    )
    names = [k for k in views[0].metrics if all(k in v.metrics for v in views)]
    rows = [
        [esc(t("p_breakeven", lang)), *[pct(v.probabilities["p_breakeven"]) for v in views]],
        [esc(t("p_cash_out", lang)), *[pct(v.probabilities["p_cash_out"]) for v in views]],
    ]
    for name in names:
        cells = [
            esc(
                " / ".join(
                    metric_value(v.metrics[name][k], name, v.months, v.currency, lang, v.start)
                    for k in ("p10", "p50", "p90")
                )
            )
            for v in views
        ]
        rows.append(
            [
                esc(views[0].label(name, lang)) + ' <span class="muted">P10 / P50 / P90</span>',
                *cells,
            ]
        )
    tab = table([t("metric", lang)] + [esc(x) for x in labels], rows)
    secs.append(section("metrics", t("sec.metrics", lang), f'<div class="scroll">{tab}</div>'))
    beats = _beats_table(views, labels)
    if beats:
        secs.append(section("beats", t("sec.beats", lang), beats, esc(t("note.beats", lang))))
    title = t("compare_title", lang)
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">{esc(title)}</div>'
        f"<h1>{' · '.join(esc(x) for x in labels)}</h1></div></header>"
    )
    body = header + '<main class="wrap">' + "".join(secs) + generated_by(lang) + "</main>"
    return page(f"{title}: " + " · ".join(labels), lang, body)


def write_compare_html(
    results_list: Sequence[View | Results], path: str | Path, lang: str | None = None
) -> Path:
    """Write a report overlaying several plans (medians and 80% bands on the same charts,
    metrics side by side, P(plan A's NPV beats plan B's)); returns the path."""
    text = render_compare_html(results_list, lang=lang)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

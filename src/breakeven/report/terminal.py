"""Terminal summary: the headline first, then probabilities, metrics and a yearly P&L sketch;
with actuals, how many observations fell outside the plan's 80% band and which."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..engine import Results
from ..format import money, printable
from .i18n import resolve, t
from .text import headline, metric_kind, metric_value, milestone_condition, run_info
from .view import View, as_view, series_value


def safe(text: object) -> str:
    """User text for Rich: markup escaped, control characters shown as escapes."""
    return escape(printable(text))


YEARLY_LINES = (
    "revenue",
    "cost_of_revenue",
    "operating_expenses",
    "ebitda",
    "free_cash_flow",
    "funding",
)


def render(results: View | Results, console: Console, lang: str | None = None) -> None:
    """Print the summary; ``lang`` 'en' or 'zh' (None: from the locale)."""
    lang = resolve(lang)
    v = as_view(results, False)
    cur = v.currency
    info = run_info(v, lang)
    console.print(f"[bold]{safe(v.name)}[/bold] — {info}")
    console.print(f"[bold green]{safe(headline(v, lang))}[/bold green]")
    pr = v.probabilities
    console.print(
        f"{t('p_breakeven', lang)} = {pr['p_breakeven']:.1%}   "
        f"{t('p_cash_out', lang)} = {pr['p_cash_out']:.1%}"
    )
    tbl = Table(title=t("metrics", lang), show_lines=False)
    for key in ("metric", "p10", "p50", "p90", "mean", "undefined"):
        col = t(key, lang) if key in ("metric", "mean", "undefined") else key
        tbl.add_column(col, justify="right" if key != "metric" else "left")
    for name, s in v.metrics.items():

        def fmt(x: float | None, n: str = name) -> str:
            return metric_value(x, n, v.months, cur, lang, v.start)

        if metric_kind(name) == "month":
            mean = "—" if s["mean"] is None else f"{s['mean']:.1f}"
        else:
            mean = fmt(s["mean"])
        tbl.add_row(
            v.label(name, lang),
            fmt(s["p10"]),
            fmt(s["p50"]),
            fmt(s["p90"]),
            mean,
            f"{s['undefined_share']:.0%}" if s["undefined_share"] else "",
        )
    console.print(tbl)
    y = Table(title=t("yearly_title", lang))
    y.add_column(t("line", lang))
    years = (v.months + 11) // 12
    for k in range(years):
        y.add_column(v.year_name(k, lang, narrow=True), justify="right")
    values = v.statement_yearly
    for name in YEARLY_LINES:
        y.add_row(v.label(name, lang), *[money(x, cur, lang) for x in values[name]])
    y.add_row(t("cash_end_year", lang), *[money(x, cur, lang) for x in values["cash"]])
    console.print(y)
    if v.milestones:
        mt = Table(title=t("sec.milestones", lang))
        for key in ("milestone", "by_month", "condition", "probability"):
            mt.add_column(
                t(key, lang), justify="right" if key in ("by_month", "probability") else "left"
            )
        for m in v.milestones:
            p = m["probability"]
            mt.add_row(
                safe(m["name"]),
                str(m["month"]),
                safe(milestone_condition(m, v, lang)),
                "—" if p is None else f"{float(p):.0%}",
            )
        console.print(mt)


def render_variance(
    rows: list[dict], r: Results, console: Console, lang: str | None = None
) -> None:
    """How many observations fell outside the plan's 80% band, then those observations with
    the plan's P10–P90 (and the updated forecast's, when the rows have it). ``rows``: from
    :func:`breakeven.analysis.update.variance_table` against the run ``r``."""
    lang = resolve(lang)
    out = [row for row in rows if row["outside_plan"]]
    console.print(t("outside_count", lang, k=len(out), n=len(rows)))
    if not out:
        return
    updated = "updated_p50" in out[0]
    tbl = Table(title=t("outside_rows", lang))
    tbl.add_column(t("series", lang), overflow="fold")
    tbl.add_column(t("month_col", lang), no_wrap=True)
    tbl.add_column(t("actual", lang), justify="right", no_wrap=True)
    tbl.add_column(t("plan_p", lang, p="P10–P90"), justify="right")
    if updated:
        tbl.add_column(t("updated_p", lang, p="P10–P90"), justify="right")
    for row in out:
        name = row["series"]

        def f(x: float, name: str = name) -> str:
            return series_value(r, name, x, lang)

        cells = [
            safe(r.outputs.label(name, lang)),
            row["month"],
            f(row["actual"]),
            f"{f(row['plan_p10'])} – {f(row['plan_p90'])}",
        ]
        if updated:
            cells.append(f"{f(row['updated_p10'])} – {f(row['updated_p90'])}")
        tbl.add_row(*cells)
    console.print(tbl)

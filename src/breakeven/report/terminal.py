"""Terminal summary: the headline first, then probabilities, metrics and a yearly P&L sketch."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..models.metrics import MONTH_METRICS
from .i18n import line_label, metric_label, resolve, t
from .text import headline, metric_value, milestone_condition, money


def render(results, console: Console, lang: str | None = None) -> None:
    """Print the summary of ``results``; ``lang`` 'en' or 'zh' (None: from the locale)."""
    lang = resolve(lang)
    r = results
    cur = r.currency
    info = t(
        "samples_seed", lang, samples=f"{r.samples:,}", seed=r.seed, months=r.months, currency=cur
    )
    console.print(f"[bold]{escape(r.scenario.name)}[/bold] — {info}")
    console.print(f"[bold green]{escape(headline(r, lang))}[/bold green]")
    pr = r.probabilities
    console.print(
        f"{t('p_breakeven', lang)} = {pr['p_breakeven']:.1%}   "
        f"{t('p_cash_out', lang)} = {pr['p_cash_out']:.1%}"
    )
    tbl = Table(title=t("metrics", lang), show_lines=False)
    for key in ("metric", "p10", "p50", "p90", "mean", "undefined"):
        col = t(key, lang) if key in ("metric", "mean", "undefined") else key
        tbl.add_column(col, justify="right" if key != "metric" else "left")
    for name, s in r.summary().items():
        fmt = lambda v, n=name: metric_value(v, n, r.months, cur, lang)  # noqa: E731
        if name in MONTH_METRICS:
            mean = "—" if s["mean"] is None else f"{s['mean']:.1f}"
        else:
            mean = fmt(s["mean"])
        tbl.add_row(
            metric_label(name, lang),
            fmt(s["p10"]),
            fmt(s["p50"]),
            fmt(s["p90"]),
            mean,
            f"{s['undefined_share']:.0%}" if s["undefined_share"] else "",
        )
    console.print(tbl)
    y = Table(title=t("yearly_title", lang))
    y.add_column(t("line", lang))
    years = (r.months + 11) // 12
    for k in range(years):
        y.add_column(t("year_n", lang, n=k + 1), justify="right")
    for name in (
        "revenue",
        "cost_of_revenue",
        "operating_expenses",
        "ebitda",
        "free_cash_flow",
        "funding",
    ):
        m = r.monthly_mean(name)
        y.add_row(
            line_label(name, lang),
            *[money(float(m[12 * k : 12 * k + 12].sum()), cur, lang) for k in range(years)],
        )
    cash = r.monthly_mean("cash")
    y.add_row(
        t("cash_end_year", lang),
        *[money(float(cash[min(12 * k + 11, r.months - 1)]), cur, lang) for k in range(years)],
    )
    console.print(y)
    ms = getattr(r, "milestones", None)
    if ms:
        mt = Table(title=t("sec.milestones", lang))
        for key in ("milestone", "by_month", "condition", "probability"):
            mt.add_column(
                t(key, lang), justify="right" if key in ("by_month", "probability") else "left"
            )
        for m in ms:
            p = m.get("probability")
            mt.add_row(
                escape(str(m.get("name", ""))),
                str(m.get("month", "")),
                escape(milestone_condition(m, r, lang)),
                "—" if p is None else f"{float(p):.0%}",
            )
        console.print(mt)

"""Terminal summary: the headline first, then probabilities, metrics and a yearly P&L sketch."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..finance.metrics import MONTH_METRICS
from .text import money, month


def render(results, console: Console) -> None:
    r = results
    cur = r.currency
    console.print(f"[bold]{r.scenario.name}[/bold] — {r.samples:,} samples, seed {r.seed}, "
                  f"{r.months} months, {cur}")
    console.print(f"[bold green]{r.headline()}[/bold green]")
    pr = r.probabilities
    console.print(f"P(break-even within horizon) = {pr['p_breakeven']:.1%}   "
                  f"P(cash runs out) = {pr['p_cash_out']:.1%}")
    t = Table(title="Metrics", show_lines=False)
    for col in ("metric", "p10", "p50", "p90", "mean", "undefined"):
        t.add_column(col, justify="right" if col != "metric" else "left")
    for name, s in r.summary().items():
        if name in MONTH_METRICS:
            fmt = lambda v: month(v, r.months)  # noqa: E731
            mean = "—" if s["mean"] is None else f"{s['mean']:.1f}"
        else:
            fmt = lambda v: money(v, cur)  # noqa: E731
            mean = money(s["mean"], cur)
        t.add_row(name, fmt(s["p10"]), fmt(s["p50"]), fmt(s["p90"]), mean,
                  f"{s['undefined_share']:.0%}" if s["undefined_share"] else "")
    console.print(t)
    y = Table(title="Yearly totals, mean over samples")
    y.add_column("line")
    years = (r.months + 11) // 12
    for k in range(years):
        y.add_column(f"year {k + 1}", justify="right")
    for name in ("revenue", "cost_of_revenue", "operating_expenses", "ebitda",
                 "free_cash_flow", "funding"):
        m = r.monthly_mean(name)
        y.add_row(name, *[money(float(m[12 * k:12 * k + 12].sum()), cur) for k in range(years)])
    cash = r.monthly_mean("cash")
    y.add_row("cash (end of year)", *[money(float(cash[min(12 * k + 11, r.months - 1)]), cur)
                                      for k in range(years)])
    console.print(y)

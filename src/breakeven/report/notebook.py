"""Notebook display: a compact HTML summary for ``Results._repr_html_`` and plot helpers.

    >>> res                      # in Jupyter: headline, key numbers, metrics, a cash sparkline
    >>> res.plot.cash()          # plotly figures, same as the HTML report's
    >>> res.plot.revenue_vs_cost(); res.plot.users(); res.plot.breakeven_cdf()

The summary has no JavaScript (it displays anywhere, including GitHub's notebook viewer);
the figures are plotly's and need a plotly-capable front end.
"""

from __future__ import annotations

import html

import numpy as np

from . import charts
from .i18n import metric_label, resolve, t
from .text import headline, metric_value, pct


def _esc(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _sparkline(r, width: int = 360, height: int = 70) -> str:
    """Inline SVG: median cash with its 80% band and the zero line."""
    try:
        b = charts.bands(r.line("cash"))
    except (ValueError, KeyError):
        return ""
    lo, mid, hi = b[0.10], b[0.50], b[0.90]
    if not np.isfinite(mid).any():
        return ""
    ymin = float(min(0.0, np.nanmin(lo)))
    ymax = float(max(0.0, np.nanmax(hi)))
    span = (ymax - ymin) or 1.0
    n = len(mid)

    def pt(i, v):
        x = 2 + (width - 4) * (i / max(1, n - 1))
        y = 2 + (height - 4) * (1 - (float(v) - ymin) / span)
        return f"{x:.1f},{y:.1f}"

    band = (
        " ".join(pt(i, v) for i, v in enumerate(hi))
        + " "
        + " ".join(pt(i, v) for i, v in reversed(list(enumerate(lo))))
    )
    line = " ".join(pt(i, v) for i, v in enumerate(mid))
    y0 = 2 + (height - 4) * (1 - (0 - ymin) / span)
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="cash">'
        f'<polygon points="{band}" fill="rgba(59,91,146,0.18)" stroke="none"/>'
        f'<line x1="0" x2="{width}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#c0392b" '
        f'stroke-width="1"/>'
        f'<polyline points="{line}" fill="none" stroke="#3b5b92" stroke-width="2"/></svg>'
    )


def results_html(results, lang: str | None = None) -> str:
    """Compact HTML summary of a run, for ``Results._repr_html_``."""
    lang = resolve(lang)
    r = results
    pr = r.probabilities
    info = t(
        "samples_seed",
        lang,
        samples=f"{r.samples:,}",
        seed=r.seed,
        months=r.months,
        currency=r.currency,
    )
    rows = []
    for name, s in r.summary().items():
        cells = "".join(
            f'<td style="text-align:right">'
            f"{_esc(metric_value(s[k], name, r.months, r.currency, lang))}</td>"
            for k in ("p10", "p50", "p90")
        )
        rows.append(
            f'<tr><td style="text-align:left">{_esc(metric_label(name, lang))}</td>{cells}</tr>'
        )
    cash_label = _esc(t("sec.cash", lang))
    return (
        '<div class="breakeven-results" style="font-family:sans-serif;max-width:760px">'
        f'<div style="font-weight:600;font-size:1.1em">{_esc(r.scenario.name)}</div>'
        f'<div style="color:#666;font-size:.9em">{_esc(info)}</div>'
        f'<div style="margin:.5em 0;padding:.4em .7em;border-left:4px solid #3b5b92;'
        f'background:#f4f6fa;font-weight:600">{_esc(headline(r, lang))}</div>'
        f'<div style="display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start">'
        f'<table style="border-collapse:collapse;font-size:.9em">'
        f'<tr><td style="text-align:left">{_esc(t("p_breakeven", lang))}</td>'
        f'<td colspan="3" style="text-align:right">{pct(pr["p_breakeven"], 1)}</td></tr>'
        f'<tr><td style="text-align:left">{_esc(t("p_cash_out", lang))}</td>'
        f'<td colspan="3" style="text-align:right">{pct(pr["p_cash_out"], 1)}</td></tr>'
        f'<tr><th style="text-align:left">{_esc(t("metric", lang))}</th>'
        f'<th style="text-align:right">P10</th><th style="text-align:right">P50</th>'
        f'<th style="text-align:right">P90</th></tr>' + "".join(rows) + "</table>"
        f'<div><div style="color:#666;font-size:.85em">{cash_label} (P50, 80%)</div>'
        f"{_sparkline(r)}</div></div></div>"
    )


class ResultsPlot:
    """Plot helpers for a run: each method returns a plotly Figure."""

    def __init__(self, results, lang: str | None = None):
        self._r = results
        self.lang = lang

    def cash(self, lang: str | None = None):
        """Cash balance: median, 50% and 80% bands, funding rounds, the zero line."""
        return charts.cash(self._r, lang or self.lang)

    def revenue_vs_cost(self, lang: str | None = None):
        """Monthly revenue against total cost (cost of revenue + operating expenses)."""
        return charts.revenue_vs_cost(self._r, lang or self.lang)

    def users(self, lang: str | None = None):
        """Active and paying users (or accounts / seats), median and bands."""
        return charts.users(self._r, lang or self.lang)

    def breakeven_cdf(self, lang: str | None = None):
        """P(break-even by month m) and P(payback by month m)."""
        return charts.breakeven_cdf(self._r, lang or self.lang)

    def funding_need(self, lang: str | None = None):
        """Distribution of the peak funding need."""
        return charts.funding_need(self._r, lang or self.lang)

    def unit_economics(self, lang: str | None = None):
        """Waterfalls per paying and per active user."""
        return charts.unit_economics(self._r, lang or self.lang)

    def cost_breakdown(self, lang: str | None = None):
        """Mean monthly cost by kind, stacked."""
        return charts.cost_breakdown(self._r, lang or self.lang)

    def __repr__(self) -> str:
        names = [m for m in dir(self) if not m.startswith("_") and m != "lang"]
        return f"<plots of {self._r.scenario.name!r}: {', '.join(names)}>"


def results_plot(results, lang: str | None = None) -> ResultsPlot:
    """Plot helpers for ``results`` (exposed as ``results.plot``)."""
    return ResultsPlot(results, lang)

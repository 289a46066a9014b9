"""Notebook display: a compact HTML summary for ``Results._repr_html_`` and plot helpers::

    res                      # in Jupyter: headline, key numbers, metrics, a cash sparkline
    res.plot.cash()          # plotly figures, same as the HTML report's
    res.plot.revenue_vs_cost(); res.plot.users(); res.plot.breakeven_cdf()

The summary has no JavaScript (it displays anywhere, including GitHub's notebook viewer);
the figures are plotly's and need a plotly-capable front end.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..engine import Results
from ..format import escape_html as esc
from ..format import pct
from . import charts
from .i18n import resolve, t
from .text import headline, metric_value, run_info
from .view import View, as_view


def _sparkline(v: View, width: int = 360, height: int = 70) -> str:
    """Inline SVG: median cash with its 80% band and the zero line."""
    b = v.bands["cash"]
    lo, mid, hi = b[0.10], b[0.50], b[0.90]
    if not np.isfinite(mid).any():
        return ""
    ymin = float(min(0.0, np.nanmin(lo)))
    ymax = float(max(0.0, np.nanmax(hi)))
    span = (ymax - ymin) or 1.0
    n = len(mid)

    def pt(i: int, y: float) -> str:
        x = 2 + (width - 4) * (i / max(1, n - 1))
        yy = 2 + (height - 4) * (1 - (float(y) - ymin) / span)
        return f"{x:.1f},{yy:.1f}"

    band = (
        " ".join(pt(i, y) for i, y in enumerate(hi))
        + " "
        + " ".join(pt(i, y) for i, y in reversed(list(enumerate(lo))))
    )
    line = " ".join(pt(i, y) for i, y in enumerate(mid))
    y0 = 2 + (height - 4) * (1 - (0 - ymin) / span)
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="cash">'
        f'<polygon points="{band}" fill="rgba(59,91,146,0.18)" stroke="none"/>'
        f'<line x1="0" x2="{width}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#c0392b" '
        f'stroke-width="1"/>'
        f'<polyline points="{line}" fill="none" stroke="#3b5b92" stroke-width="2"/></svg>'
    )


def results_html(results: View | Results, lang: str | None = None) -> str:
    """Compact HTML summary of a run, for ``Results._repr_html_``."""
    lang = resolve(lang)
    v = as_view(results, False)
    pr = v.probabilities
    info = run_info(v, lang)
    rows = []
    for name, s in v.metrics.items():
        cells = "".join(
            f'<td style="text-align:right">'
            f"{esc(metric_value(s[k], name, v.months, v.currency, lang, v.start))}</td>"
            for k in ("p10", "p50", "p90")
        )
        rows.append(f'<tr><td style="text-align:left">{esc(v.label(name, lang))}</td>{cells}</tr>')
    return (
        '<div class="breakeven-results" style="font-family:sans-serif;max-width:760px">'
        f'<div style="font-weight:600;font-size:1.1em">{esc(v.name)}</div>'
        f'<div style="color:#666;font-size:.9em">{esc(info)}</div>'
        '<div style="margin:.5em 0;padding:.4em .7em;border-left:4px solid #3b5b92;'
        f'background:#f4f6fa;font-weight:600">{esc(headline(v, lang))}</div>'
        '<div style="display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start">'
        '<table style="border-collapse:collapse;font-size:.9em">'
        f'<tr><td style="text-align:left">{esc(t("p_breakeven", lang))}</td>'
        f'<td colspan="3" style="text-align:right">{pct(pr["p_breakeven"], 1)}</td></tr>'
        f'<tr><td style="text-align:left">{esc(t("p_cash_out", lang))}</td>'
        f'<td colspan="3" style="text-align:right">{pct(pr["p_cash_out"], 1)}</td></tr>'
        f'<tr><th style="text-align:left">{esc(t("metric", lang))}</th>'
        '<th style="text-align:right">P10</th><th style="text-align:right">P50</th>'
        '<th style="text-align:right">P90</th></tr>' + "".join(rows) + "</table>"
        f'<div><div style="color:#666;font-size:.85em">{esc(t("sec.cash", lang))} (P50, 80%)'
        f"</div>{_sparkline(v)}</div></div></div>"
    )


class ResultsPlot:
    """Plot helpers for a run: each method returns a plotly Figure (from one view of it)."""

    def __init__(self, results: View | Results, lang: str | None = None):
        self._v = as_view(results, False)
        self.lang = lang

    def cash(self, lang: str | None = None) -> go.Figure:
        """Cash balance: median, 50% and 80% bands, funding rounds, the zero line."""
        return charts.cash(self._v, lang or self.lang)

    def revenue_vs_cost(self, lang: str | None = None) -> go.Figure:
        """Monthly revenue against total cost (cost of revenue + operating expenses)."""
        return charts.revenue_vs_cost(self._v, lang or self.lang)

    def users(self, lang: str | None = None) -> go.Figure:
        """Active and paying users (or accounts / seats), median and bands."""
        return charts.users(self._v, lang or self.lang)

    def breakeven_cdf(self, lang: str | None = None) -> go.Figure:
        """P(break-even by month m) and P(payback by month m)."""
        return charts.breakeven_cdf(self._v, lang or self.lang)

    def funding_need(self, lang: str | None = None) -> go.Figure:
        """Distribution of the peak funding need."""
        return charts.funding_need(self._v, lang or self.lang)

    def unit_economics(self, lang: str | None = None) -> go.Figure:
        """Waterfalls per paying and per active user."""
        return charts.unit_economics(self._v, lang or self.lang)

    def cost_breakdown(self, lang: str | None = None) -> go.Figure:
        """Mean monthly cost by category, stacked."""
        return charts.cost_breakdown(self._v, lang or self.lang)

    def __repr__(self) -> str:
        names = [m for m in dir(self) if not m.startswith("_") and m != "lang"]
        return f"<plots of {self._v.name!r}: {', '.join(names)}>"


def results_plot(results: View | Results, lang: str | None = None) -> ResultsPlot:
    """Plot helpers for ``results`` (exposed as ``results.plot``)."""
    return ResultsPlot(results, lang)

"""Notebook display: the compact HTML summary and the plot helpers."""

from __future__ import annotations

import plotly.graph_objects as go

from breakeven.report.notebook import results_html, results_plot

from . import renamed, results


def test_results_html_is_compact_and_escaped():
    r = renamed(results(), "<b>plan</b> & co")
    text = results_html(r, lang="en")
    assert "&lt;b&gt;plan&lt;/b&gt; &amp; co" in text and "<b>plan</b>" not in text
    assert "<script" not in text and len(text) < 20_000
    assert "Break-even" in text and "<svg" in text
    assert "盈亏平衡" in results_html(results(), lang="zh")


def test_plot_helpers_return_figures():
    plot = results_plot(results(), lang="en")
    for name in (
        "cash",
        "revenue_vs_cost",
        "users",
        "breakeven_cdf",
        "funding_need",
        "unit_economics",
        "cost_breakdown",
    ):
        fig = getattr(plot, name)()
        assert isinstance(fig, go.Figure) and len(fig.data) > 0, name
    assert "cash" in repr(plot)

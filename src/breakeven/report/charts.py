"""Plotly figures of a run: fan charts, distributions, unit economics, cost breakdown, tornado.

Every builder takes a :class:`~breakeven.report.view.View` (or a list of them for the comparison
charts) and a language, and returns a ``plotly.graph_objects.Figure``; the numbers are the
view's. Money axes are labelled with the one formatting module (k/M/B, or 万/亿 in Chinese).
Text that comes from the user (plan names, input names) is escaped before it reaches plotly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..format import (
    compact,
    escape_html,
    input_value,
    money,
    money_exact,
    month_label,
    pct,
    symbol,
)
from .i18n import category_label, resolve, t
from .view import Bands, View, histogram

FONT = (
    "Inter, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'Noto Sans SC', "
    "'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif"
)
COLORS = {
    "revenue": "#1b9e77",
    "cost": "#d95f02",
    "cash": "#3b5b92",
    "users": "#7570b3",
    "paying": "#e7298a",
    "cdf": "#3b5b92",
    "payback": "#66a61e",
    "need": "#d95f02",
    "low": "#4c78a8",
    "high": "#f58518",
    "zero": "#888888",
    "actual": "#d95f02",
    "plan": "#8b98ab",
    "updated": "#3b5b92",
}
PLAN_COLORS = [
    "#3b5b92",
    "#d95f02",
    "#1b9e77",
    "#e7298a",
    "#7570b3",
    "#66a61e",
    "#a6761d",
    "#e6ab02",
]
CATEGORY_COLORS = {
    "serving": "#3b5b92",
    "training": "#7570b3",
    "people": "#1b9e77",
    "marketing": "#e7298a",
    "fees": "#e6ab02",
    "delivery": "#a6761d",
    "devices": "#66a61e",
    "licences": "#e7298a",
    "other": "#999999",
}
PANEL_COLORS = [
    COLORS["users"],
    COLORS["paying"],
    COLORS["cash"],
    COLORS["revenue"],
    COLORS["cost"],
    "#a6761d",
]

TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=13, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PLAN_COLORS,
        xaxis=dict(
            showgrid=True,
            gridcolor="#ececec",
            zeroline=False,
            linecolor="#bbb",
            ticks="outside",
            tickcolor="#bbb",
        ),
        yaxis=dict(showgrid=True, gridcolor="#ececec", zeroline=False, linecolor="#bbb"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        margin=dict(l=70, r=20, t=50, b=50),
        hoverlabel=dict(font=dict(family=FONT)),
        hovermode="x unified",
    )
)


def esc(s: Any) -> str:
    """User text for plotly labels (plotly renders a subset of HTML)."""
    return escape_html(s, quote=False)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# ---------------------------------------------------------------------------- axes
def nice_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """About ``n`` round tick values covering [lo, hi] (including 0 when it is in range)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, n - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    v = math.floor(lo / step) * step
    ticks: list[float] = []
    while v <= hi + step * 0.5 and len(ticks) < 50:
        ticks.append(round(v / step) * step)
        v += step
    return ticks


def _finite(*arrays: Any) -> list[float]:
    """[min, max] of the finite values of ``arrays`` (empty if none)."""
    a = np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in arrays])
    a = a[np.isfinite(a)]
    return [float(a.min()), float(a.max())] if a.size else []


def money_axis(
    fig: go.Figure, values: Any, currency: str, lang: str, axis: str = "yaxis", **kw: Any
) -> None:
    """Tick labels in the report's money format on one axis of ``fig``."""
    vals = _finite(values)
    if vals:
        ticks = nice_ticks(vals[0], vals[1])
        fig.update_layout(
            {
                axis: dict(
                    tickmode="array",
                    tickvals=ticks,
                    ticktext=[money(v, currency, lang) for v in ticks],
                    **kw,
                )
            }
        )


def count_axis(fig: go.Figure, values: Any, lang: str, axis: str = "yaxis", **where: Any) -> None:
    vals = _finite(values)
    if vals:
        ticks = nice_ticks(min(0.0, vals[0]), vals[1])
        tt = [compact(v, lang) for v in ticks]
        if where:
            fig.update_yaxes(tickmode="array", tickvals=ticks, ticktext=tt, **where)
        else:
            fig.update_layout({axis: dict(tickmode="array", tickvals=ticks, ticktext=tt)})


def _dtick(months: int) -> int:
    return 3 if months <= 24 else 6 if months <= 48 else 12


def _month_ticks(months: int, start: date | None) -> dict[str, Any]:
    """Month-axis ticks: every 3, 6 or 12 months; with the plan's start, at calendar quarters,
    halves or years, labelled with their calendar month (2026-01)."""
    step = _dtick(months)
    if start is None:
        return dict(dtick=step, range=[0.5, months + 0.5])
    first = 1 + (-(start.month - 1)) % step  # the first month that starts a calendar period
    vals = list(range(first, months + 1, step))
    return dict(
        tickmode="array",
        tickvals=vals,
        ticktext=[month_label(start, m) for m in vals],
        range=[0.5, months + 0.5],
    )


def _month_axis(fig: go.Figure, months: int, lang: str, start: date | None = None) -> None:
    fig.update_xaxes(title_text=t("month", lang), **_month_ticks(months, start))


def _shared_start(views: list[View]) -> date | None:
    """The start month of plans compared on one axis, if they share it."""
    starts = {v.start for v in views}
    return starts.pop() if len(starts) == 1 else None


def _base_layout(fig: go.Figure, height: int = 400) -> go.Figure:
    fig.update_layout(template=TEMPLATE, height=height)
    return fig


def _empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return _base_layout(fig, height=200)


# ---------------------------------------------------------------------------- fan charts
def add_fan(
    fig: go.Figure,
    months: int,
    b: Bands,
    name: str,
    color: str,
    fmt: Callable[[float], str],
    lang: str,
    row: int | None = None,
    col: int | None = None,
    inner: bool = True,
    showlegend: bool = True,
    x: list[Any] | None = None,
    alpha: float = 0.16,
    width: float = 2.5,
    dash: str | None = None,
) -> None:
    """Median line with an 80% band (p10–p90) and, if ``inner``, a 50% band (p25–p75).
    ``x``: the months' positions (default 1…months); ``alpha`` the 80% band's opacity,
    ``width`` and ``dash`` the median line's."""
    where = dict(row=row, col=col) if row is not None else {}
    x = list(range(1, months + 1)) if x is None else x

    def band(lo: float, hi: float, alpha: float, label: str) -> None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=b[lo].tolist(),
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            ),
            **where,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=b[hi].tolist(),
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor=_rgba(color, alpha),
                hoverinfo="skip",
                name=f"{name} · {label}",
                legendgroup=name,
                showlegend=False,
            ),
            **where,
        )

    band(0.10, 0.90, alpha, t("band80", lang))
    if inner:
        band(0.25, 0.75, alpha * 1.5, t("band50", lang))
    text = [
        f"{fmt(m)} <span style='color:#888'>(80%: {fmt(lo)} – {fmt(hi)})</span>"
        for m, lo, hi in zip(b[0.5], b[0.10], b[0.90], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=b[0.5].tolist(),
            mode="lines",
            name=name,
            line=dict(color=color, width=width, dash=dash),
            legendgroup=name,
            showlegend=showlegend,
            text=text,
            hovertemplate="%{text}<extra>" + name + "</extra>",
        ),
        **where,
    )


def add_actuals(
    fig: go.Figure,
    x: list[Any],
    y: list[float],
    fmt: Callable[[float], str],
    lang: str,
    row: int | None = None,
    col: int | None = None,
    showlegend: bool = True,
) -> None:
    """Observed values as points over a fan chart."""
    where = dict(row=row, col=col) if row is not None else {}
    name = t("actual", lang)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name=name,
            legendgroup="actual",
            showlegend=showlegend,
            marker=dict(color=COLORS["actual"], size=7, line=dict(color="white", width=1)),
            text=[fmt(a) for a in y],
            hovertemplate="%{text}<extra>" + name + "</extra>",
        ),
        **where,
    )


def _observed(v: View, name: str) -> tuple[list[int], list[float]]:
    """The months and actuals of one series of the view ([] and [] when not observed)."""
    got = v.observed(name)
    return got if got is not None else ([], [])


def revenue_vs_cost(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    fig = go.Figure()

    def fmt(x: float) -> str:
        return money(x, v.currency, lang)

    rev, cost = v.bands["revenue"], v.bands["total_cost"]
    add_fan(fig, v.months, rev, v.label("revenue", lang), COLORS["revenue"], fmt, lang)
    add_fan(fig, v.months, cost, t("total_cost", lang), COLORS["cost"], fmt, lang)
    xa, ya = _observed(v, "revenue")
    if xa:
        add_actuals(fig, xa, ya, fmt, lang)
    _base_layout(fig)
    _month_axis(fig, v.months, lang, v.start)
    money_axis(fig, _finite(rev[0.1], cost[0.1], rev[0.9], cost[0.9], [0.0], ya), v.currency, lang)
    return fig


def cash(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    fig = go.Figure()
    b = v.bands["cash"]
    add_fan(
        fig,
        v.months,
        b,
        v.label("cash", lang),
        COLORS["cash"],
        lambda x: money(x, v.currency, lang),
        lang,
    )
    xa, ya = _observed(v, "cash")
    if xa:
        add_actuals(fig, xa, ya, lambda x: money(x, v.currency, lang), lang)
    fig.add_hline(y=0, line=dict(color="#c0392b", width=1.5))
    top = float(np.nanmax(b[0.9])) if np.isfinite(b[0.9]).any() else 1.0
    for m, name, amount in v.funding_events:
        label = (
            (esc(name) if name else t("funding_event", lang))
            + " "
            + money(amount, v.currency, lang)
        )
        fig.add_vline(x=m, line=dict(color="#555", width=1, dash="dot"))
        fig.add_annotation(
            x=m,
            y=top,
            text=label,
            showarrow=False,
            yanchor="bottom",
            xanchor="left",
            font=dict(size=11, color="#555"),
            xshift=3,
        )
    _base_layout(fig)
    _month_axis(fig, v.months, lang, v.start)
    money_axis(fig, _finite(b[0.1], [top, 0.0], ya), v.currency, lang)
    return fig


def users(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    if not v.users:
        return _empty(t("no_users", lang))
    cols = min(2, len(v.users))
    rows = (len(v.users) + cols - 1) // cols
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[v.label(k, lang) for k in v.users],
        horizontal_spacing=0.1,
        vertical_spacing=0.18,
    )
    for i, k in enumerate(v.users):
        rr, cc = i // cols + 1, i % cols + 1
        b = v.bands[k]
        add_fan(
            fig,
            v.months,
            b,
            v.label(k, lang),
            PANEL_COLORS[i % len(PANEL_COLORS)],
            lambda x: compact(x, lang),
            lang,
            row=rr,
            col=cc,
        )
        xa, ya = _observed(v, k)
        if xa:
            add_actuals(
                fig, xa, ya, lambda x: compact(x, lang), lang, row=rr, col=cc, showlegend=False
            )
        count_axis(fig, _finite(b[0.1], b[0.9], [0.0], ya), lang, row=rr, col=cc)
    _base_layout(fig, height=360 * rows)
    fig.update_xaxes(**_month_ticks(v.months, v.start))
    fig.update_xaxes(title_text=t("month", lang), row=rows)
    fig.update_layout(showlegend=False)
    return fig


# ---------------------------------------------------------------------------- distributions
def breakeven_cdf(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    x = list(range(1, v.months + 1))
    be = v.breakeven_cdf
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=be.tolist(),
            mode="lines",
            line_shape="hv",
            name=v.label("breakeven_month", lang),
            line=dict(color=COLORS["cdf"], width=2.5),
            fill="tozeroy",
            fillcolor=_rgba(COLORS["cdf"], 0.08),
            hovertemplate="%{y:.0%}",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=v.payback_cdf.tolist(),
            mode="lines",
            line_shape="hv",
            name=v.label("payback_month", lang),
            line=dict(color=COLORS["payback"], width=2, dash="dash"),
            hovertemplate="%{y:.0%}",
        )
    )
    last = float(be[-1]) if be.size else 0.0
    fig.add_annotation(
        x=v.months,
        y=last,
        xanchor="right",
        yanchor="bottom",
        text=t("never_within", lang, p=pct(1.0 - last)),
        showarrow=False,
        font=dict(size=11, color="#555"),
    )
    _base_layout(fig)
    _month_axis(fig, v.months, lang, v.start)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=t("probability", lang))
    return fig


def funding_need(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = v.currency
    edges, share = v.funding_need
    centers = (edges[:-1] + edges[1:]) / 2
    labels = [
        f"{money(a, cur, lang)} – {money(b, cur, lang)}"
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=centers.tolist(),
            y=share.tolist(),
            width=float(edges[1] - edges[0]),
            marker=dict(color=_rgba(COLORS["need"], 0.75), line=dict(width=0)),
            name=v.label("peak_funding_need", lang),
            text=labels,
            textposition="none",
            hovertemplate="%{text}: %{y:.1%}<extra></extra>",
        )
    )
    s = v.metrics["peak_funding_need"]
    ymax = float(share.max()) if share.size else 1.0
    for k in ("p50", "p90"):
        q = s[k]
        if q is not None:
            fig.add_vline(x=q, line=dict(color="#333", width=1.2, dash="dash"))
            fig.add_annotation(
                x=q,
                y=ymax,
                text=f"{k.upper()} {money(q, cur, lang)}",
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                xshift=3,
                font=dict(size=11),
            )
    _base_layout(fig)
    fig.update_layout(hovermode="closest", showlegend=False, bargap=0.02)
    fig.update_yaxes(
        tickformat=".0%",
        title_text=t("share_of_samples", lang),
        range=[0, ymax * 1.15 if ymax > 0 else 1],
    )
    money_axis(
        fig,
        [edges[0], edges[-1]],
        cur,
        lang,
        axis="xaxis",
        title_text=v.label("peak_funding_need", lang),
    )
    return fig


# ---------------------------------------------------------------------------- unit economics
PER_TITLES = {
    "paying_users": "per_paying_user",
    "active_users": "per_active_user",
    "deployed_accounts": "per_deployed_account",
    "paid_seats": "per_paid_seat",
    "seats": "per_seat",
}


def per_title(kpi: str, v: View, lang: str) -> str:
    """Panel title of the unit economics divided by ``kpi``: 'Per paying user'."""
    return t(PER_TITLES[kpi], lang) if kpi in PER_TITLES else v.label(kpi, lang)


def per_unit(kpi: str, v: View, lang: str) -> str:
    """The unit the economics divide by, as a noun: 'paying user', '付费用户'."""
    title = per_title(kpi, v, lang)
    if lang == "zh":
        return title.removeprefix("每").removeprefix("个")
    return title[4:] if title.startswith("Per ") else title[:1].lower() + title[1:]


def _waterfall(items: dict[str, float], cur: str, lang: str, name: str) -> go.Waterfall:
    """Revenue → −fees → −serving → −other costs → margin (bars of zero cost left out)."""
    tiny = 1e-9 * max(1.0, abs(items["revenue"]))
    labels, values = [t("ue.revenue", lang)], [items["revenue"]]
    for key in ("fees", "serving", "other_cogs"):
        if abs(items[key]) > tiny or key == "serving":
            labels.append(t(f"ue.{key}", lang))
            values.append(-items[key])
    measure = ["relative"] * len(values) + ["total"]
    labels.append(t("ue.margin", lang))
    values.append(items["margin"])
    return go.Waterfall(
        x=labels,
        y=[x if m != "total" else 0 for x, m in zip(values, measure, strict=True)],
        measure=measure,
        name=name,
        text=[money_exact(x, cur, lang) for x in values],
        textposition="outside",
        connector=dict(line=dict(color="#bbb", width=1)),
        increasing=dict(marker=dict(color=COLORS["revenue"])),
        decreasing=dict(marker=dict(color=COLORS["cost"])),
        totals=dict(marker=dict(color=COLORS["cash"])),
        hovertemplate="%{x}: %{text}<extra></extra>",
    )


def unit_economics(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    per = v.unit_economics.per
    keys = list(per)[:2]
    if not keys:
        return _empty(t("no_users", lang))
    fig = make_subplots(
        rows=1,
        cols=len(keys),
        subplot_titles=[per_title(k, v, lang) for k in keys],
        horizontal_spacing=0.12,
    )
    for i, k in enumerate(keys):
        fig.add_trace(_waterfall(per[k], v.currency, lang, k), row=1, col=i + 1)
        vals = [0.0, per[k]["revenue"], per[k]["margin"]]
        top = max(vals) * 1.2 if max(vals) > 0 else 1.0
        fig.update_yaxes(
            range=[min(0.0, min(vals) * 1.2), top],
            tickprefix=symbol(v.currency, lang),
            row=1,
            col=i + 1,
        )
    _base_layout(fig, height=400)
    fig.update_layout(showlegend=False, hovermode="closest")
    fig.update_xaxes(tickangle=0)
    return fig


USER_TYPES = {"mean": "ut.mean", "p50": "ut.p50", "p90": "ut.p90", "p99": "ut.p99"}
USER_TYPE_COLORS = {
    "mean": "#888888",
    "p50": COLORS["revenue"],
    "p90": COLORS["high"],
    "p99": "#b2182b",
}


def user_margins(v: View, lang: str | None = None) -> go.Figure | None:
    """Monthly margin of the average, median, p90 and p99 paying user, when the plan has
    subscribers (None otherwise)."""
    lang = resolve(lang)
    if not v.user_margins:
        return None
    x = list(range(1, v.months + 1))
    fig = go.Figure()
    allv = [0.0]
    for k, series in v.user_margins.items():
        name = t(USER_TYPES[k], lang)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=series.tolist(),
                mode="lines",
                name=name,
                line=dict(
                    color=USER_TYPE_COLORS[k], width=2.2, dash="dot" if k == "mean" else None
                ),
                text=[money_exact(m, v.currency, lang) for m in series],
                hovertemplate="%{text}<extra>" + name + "</extra>",
            )
        )
        allv += _finite(series)
    fig.add_hline(y=0, line=dict(color="#c0392b", width=1.2))
    _base_layout(fig)
    _month_axis(fig, v.months, lang, v.start)
    fig.update_yaxes(title_text=t("margin_per_payer", lang))
    money_axis(fig, allv, v.currency, lang)
    return fig


# ---------------------------------------------------------------------------- cost breakdown
def cost_breakdown(v: View, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = v.currency
    x = list(range(1, v.months + 1))
    fig = go.Figure()
    for k, series in v.cost_breakdown.items():
        name = category_label(k, lang)
        color = CATEGORY_COLORS.get(k, "#999999")
        fig.add_trace(
            go.Scatter(
                x=x,
                y=series.tolist(),
                name=name,
                stackgroup="cost",
                mode="lines",
                line=dict(width=0.5, color=color),
                fillcolor=_rgba(color, 0.75),
                text=[money(m, cur, lang) for m in series],
                hovertemplate="%{text}<extra>" + name + "</extra>",
            )
        )
    rev = v.revenue_mean
    rname = v.label("revenue", lang)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rev.tolist(),
            name=rname,
            mode="lines",
            line=dict(color="#111", width=2, dash="dash"),
            text=[money(m, cur, lang) for m in rev],
            hovertemplate="%{text}<extra>" + rname + "</extra>",
        )
    )
    total = sum(v.cost_breakdown.values()) if v.cost_breakdown else np.zeros(v.months)
    _base_layout(fig)
    _month_axis(fig, v.months, lang, v.start)
    money_axis(fig, [0.0, float(np.max(total)), float(np.max(rev))], cur, lang)
    return fig


# ---------------------------------------------------------------------------- tornado
def tornado_chart(v: View, lang: str | None = None, max_rows: int = 15) -> go.Figure:
    """Horizontal bars from the metric with every input at its median to its value with each
    input at its p10 / p90 (the view's tornado, as ``breakeven sensitivity`` computes it)."""
    lang = resolve(lang)
    tr = v.tornado
    assert tr is not None, "the view has no tornado"
    base, metric = tr.base, tr.metric
    rows = sorted(tr, key=lambda x: x["rank"])[:max_rows][::-1]  # largest swing on top
    month_metric = v.results.month_metric(metric)

    def fmt(x: float) -> str:
        return f"{x:.1f}" if month_metric else money(x, v.currency, lang)

    y = [esc(x.get("label", x["input"])) for x in rows]
    fig = go.Figure()
    for side, color, label in (
        ("low", COLORS["low"], t("input_low", lang)),
        ("high", COLORS["high"], t("input_high", lang)),
    ):
        vals = [float(x[f"metric_{side}"]) for x in rows]
        text = [
            f"{esc(x.get('label', x['input']))} = {esc(input_value(x[side], x['domain'], lang))} → {fmt(m)}"
            for x, m in zip(rows, vals, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=y,
                x=[m - base for m in vals],
                base=base,
                orientation="h",
                name=label,
                marker=dict(color=color),
                text=text,
                textposition="none",
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.add_vline(x=base, line=dict(color="#333", width=1))
    _base_layout(fig, height=max(260, 34 * len(rows) + 120))
    fig.update_layout(
        barmode="overlay", hovermode="closest", margin=dict(l=20), yaxis=dict(automargin=True)
    )
    vals = [base] + [float(x[k]) for x in rows for k in ("metric_low", "metric_high")]
    if month_metric:
        fig.update_xaxes(title_text=v.label(metric, lang))
    else:
        money_axis(fig, vals, v.currency, lang, axis="xaxis", title_text=v.label(metric, lang))
    return fig


# ---------------------------------------------------------------------------- comparison
def plan_labels(views: list[View]) -> list[str]:
    """Plan names, numbered where two plans share one."""
    names = [v.name for v in views]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


def compare_fan(
    views: list[View], series: str, lang: str | None = None, labels: list[str] | None = None
) -> go.Figure:
    """Median line and 80% band of each plan for one charted series of the views (revenue,
    total_cost, cash, or a user KPI every view charts)."""
    lang = resolve(lang)
    labels = labels or plan_labels(views)
    kind = "money" if series in ("revenue", "total_cost", "cash") else "count"
    fig = go.Figure()
    vals: list[float] = [0.0]
    for i, v in enumerate(views):
        b = v.bands[series]

        def fmt(x: float, cur: str = v.currency) -> str:
            return money(x, cur, lang) if kind == "money" else compact(x, lang)

        add_fan(
            fig,
            v.months,
            b,
            esc(labels[i]),
            PLAN_COLORS[i % len(PLAN_COLORS)],
            fmt,
            lang,
            inner=False,
        )
        vals += _finite(b[0.1], b[0.9])
    _base_layout(fig)
    _month_axis(fig, max(v.months for v in views), lang, _shared_start(views))
    if kind == "money":
        money_axis(fig, vals, views[0].currency, lang)
    else:
        count_axis(fig, vals, lang)
    return fig


def compare_cdf(
    views: list[View], lang: str | None = None, labels: list[str] | None = None
) -> go.Figure:
    lang = resolve(lang)
    labels = labels or plan_labels(views)
    fig = go.Figure()
    for i, v in enumerate(views):
        fig.add_trace(
            go.Scatter(
                x=list(range(1, v.months + 1)),
                y=v.breakeven_cdf.tolist(),
                mode="lines",
                line_shape="hv",
                name=esc(labels[i]),
                line=dict(color=PLAN_COLORS[i % len(PLAN_COLORS)], width=2.5),
                hovertemplate="%{y:.0%}",
            )
        )
    _base_layout(fig)
    _month_axis(fig, max(v.months for v in views), lang, _shared_start(views))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=t("probability", lang))
    return fig


def compare_distribution(
    views: list[View],
    metric: str = "peak_funding_need",
    lang: str | None = None,
    labels: list[str] | None = None,
) -> go.Figure:
    """Overlaid histograms (shared bins) of a money metric."""
    lang = resolve(lang)
    labels = labels or plan_labels(views)
    cur = views[0].currency
    allx = np.concatenate([np.asarray(v.results.metrics[metric], float) for v in views])
    allx = allx[np.isfinite(allx)]
    lo = float(np.quantile(allx, 0.001)) if allx.size else 0.0
    hi = float(np.quantile(allx, 0.999)) if allx.size else 1.0
    fig = go.Figure()
    top = 0.0
    for i, v in enumerate(views):
        edges, share = histogram(v.results.metrics[metric], bins=40, lo=lo, hi=hi)
        centers = (edges[:-1] + edges[1:]) / 2
        top = max(top, float(share.max()) if share.size else 0.0)
        color = PLAN_COLORS[i % len(PLAN_COLORS)]
        fig.add_trace(
            go.Scatter(
                x=centers.tolist(),
                y=share.tolist(),
                mode="lines",
                line_shape="hvh",
                name=esc(labels[i]),
                fill="tozeroy",
                line=dict(color=color, width=2),
                fillcolor=_rgba(color, 0.15),
                text=[money(c, cur, lang) for c in centers],
                hovertemplate="%{text}: %{y:.1%}",
            )
        )
    _base_layout(fig)
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(
        tickformat=".0%",
        title_text=t("share_of_samples", lang),
        range=[0, top * 1.1 if top > 0 else 1],
    )
    money_axis(fig, [lo, hi], cur, lang, axis="xaxis", title_text=views[0].label(metric, lang))
    return fig


# ---------------------------------------------------------------------------- update on actuals
def _calendar_axis(fig: go.Figure, months: int, lang: str) -> None:
    """A date axis of calendar months (x values '2025-03'), ticks every 3, 6 or 12 months at
    calendar quarters, halves or years."""
    fig.update_xaxes(
        type="date",
        tickformat="%Y-%m",
        hoverformat="%Y-%m",
        dtick=f"M{_dtick(months)}",
        title_text=t("month", lang),
    )


def plan_vs_actual(
    entry: dict[str, Any], name: str, money_series: bool, currency: str, lang: str | None = None
) -> go.Figure:
    """One series over calendar months: the plan's median and 80% band (light), the updated
    forecast's (darker, when ``entry`` has one) and the actuals as points. ``entry`` is one
    series of :func:`breakeven.analysis.update.series_bands`."""
    lang = resolve(lang)
    cal = list(entry["calendar"])
    months = len(cal)

    def fmt(x: float) -> str:
        return money(x, currency, lang) if money_series else compact(x, lang)

    def as_bands(q: dict[str, list[float]]) -> Bands:
        return {0.10: np.asarray(q["p10"]), 0.50: np.asarray(q["p50"]), 0.90: np.asarray(q["p90"])}

    fig = go.Figure()
    vals: list[float] = []
    plan = as_bands(entry["plan"])
    add_fan(
        fig,
        months,
        plan,
        t("upd.plan", lang),
        COLORS["plan"],
        fmt,
        lang,
        inner=False,
        x=cal,
        alpha=0.2,
        width=1.8,
        dash="dash",
    )
    vals += _finite(plan[0.10], plan[0.90])
    if entry.get("updated") is not None:
        upd = as_bands(entry["updated"])
        add_fan(
            fig,
            months,
            upd,
            t("upd.updated_forecast", lang),
            COLORS["updated"],
            fmt,
            lang,
            inner=False,
            x=cal,
            alpha=0.3,
        )
        vals += _finite(upd[0.10], upd[0.90])
    seen = [(cal[i], float(a)) for i, a in enumerate(entry["actual"]) if a is not None]
    if seen:
        xs, ys = [a for a, _ in seen], [b for _, b in seen]
        add_actuals(fig, xs, ys, fmt, lang)
        vals += ys
    if name == "cash":
        fig.add_hline(y=0, line=dict(color="#c0392b", width=1.2))
    _base_layout(fig, height=340)
    _calendar_axis(fig, months, lang)
    if money_series:
        money_axis(fig, vals + ([0.0] if name == "cash" else []), currency, lang)
    else:
        count_axis(fig, vals, lang)
    return fig


def wrap_dotted(text: str, width: int) -> list[str]:
    """A dotted name in lines of at most ``width`` characters, broken after its dots (a part
    longer than ``width`` stays whole): 'market.consumer.' / 'churn_per_month'.

    >>> wrap_dotted("market.consumer.paid_acquisition.cost_per_user", 20)
    ['market.consumer.', 'paid_acquisition.', 'cost_per_user']
    """
    parts = [p + "." for p in text.split(".")]
    parts[-1] = parts[-1][:-1]
    lines: list[str] = []
    for p in parts:
        if lines and len(lines[-1]) + len(p) <= width:
            lines[-1] += p
        else:
            lines.append(p)
    return lines or [""]


def input_ranges(changes: list[Any], lang: str | None = None) -> go.Figure:
    """For each input that moved, its plan P10–P90 and updated P10–P90 as two horizontal bars,
    on the scale of its plan range (0 = plan P10, 1 = plan P90) so that inputs share an axis;
    ticks at the medians. ``changes``: :class:`breakeven.analysis.update.InputChange` rows,
    the most decisive first (drawn on top)."""
    lang = resolve(lang)
    n = len(changes)
    if not n:
        return _empty(t("upd.none_moved", lang))
    fig = go.Figure()
    for which, color, name, off in (
        ("prior", COLORS["plan"], t("upd.c.before", lang), 0.19),
        ("posterior", COLORS["updated"], t("upd.c.after", lang), -0.19),
    ):
        ys, lo, wid, med, text = [], [], [], [], []
        for i, c in enumerate(changes):
            q0, q = c.prior, getattr(c, which)
            w = (q0["p90"] - q0["p10"]) or 1.0
            a, b = (q["p10"] - q0["p10"]) / w, (q["p90"] - q0["p10"]) / w
            ys.append(n - 1 - i + off)
            lo.append(a)
            wid.append(b - a)
            med.append((q["p50"] - q0["p10"]) / w)

            def v(x: float, dom: str = c.domain) -> str:
                return input_value(x, dom, lang)

            text.append(
                f"{esc(c.label)}<br>{name}: {v(q['p10'])} – {v(q['p90'])}, "
                f"{t('median', lang)} {v(q['p50'])}"
            )
        fig.add_trace(
            go.Bar(
                y=ys,
                x=wid,
                base=lo,
                orientation="h",
                width=0.34,
                name=name,
                marker=dict(color=_rgba(color, 0.85), line=dict(width=0)),
                text=text,
                textposition="none",
                hovertemplate="%{text}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                y=ys,
                x=med,
                mode="markers",
                name=t("median", lang),
                legendgroup="median",
                showlegend=which == "prior",
                marker=dict(symbol="line-ns", size=15, line=dict(width=2.5, color="#1f2933")),
                hoverinfo="skip",
            )
        )
    for x0 in (0.0, 1.0):
        fig.add_vline(x=x0, line=dict(color="#999", width=1, dash="dot"))
    _base_layout(fig, height=max(240, 44 * n + 120))
    fig.update_layout(barmode="overlay", hovermode="closest", margin=dict(l=20))
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(n)),
        ticktext=["<br>".join(esc(x) for x in wrap_dotted(c.label, 40)) for c in reversed(changes)],
        range=[-0.6, n - 0.4],
        automargin=True,
        showgrid=False,
    )
    fig.update_xaxes(title_text=t("upd.ranges_axis", lang), zeroline=False)
    return fig

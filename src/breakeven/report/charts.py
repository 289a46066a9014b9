"""Plotly figures of a run: fan charts, distributions, unit economics, cost breakdown, tornado.

Every builder takes a :class:`~breakeven.engine.results.Results` (or a list of them for the
comparison charts) and a language, and returns a ``plotly.graph_objects.Figure``. Monthly bands
come from the kept samples (median, 50% and 80% bands); distributions of metrics from all
samples. Money axes are labelled with the report's own formatting (k/M/B, or 万/亿 in Chinese).
Text that comes from the user (plan names, input names) is HTML-escaped before it reaches plotly.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .i18n import kpi_label, line_label, metric_label, resolve, t
from .text import compact, input_value, money, money_exact, pct, symbol

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
    "other": "#999999",
}
USER_KPIS = (
    "active_users",
    "paying_users",
    "deployed_accounts",
    "paid_seats",
    "seats",
    "adopters",
    "licensed_seats",
    "accounts",
    "paying_accounts",
    "transacting_users",
    "devices_in_use",
)
MAX_USER_PANELS = 4
BAND_Q = (0.10, 0.25, 0.50, 0.75, 0.90)

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


def esc(s) -> str:
    """User text for plotly labels: plotly renders a subset of HTML, so escape it."""
    return html.escape(str(s), quote=False)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# ---------------------------------------------------------------------------- numbers
def bands(arr: np.ndarray) -> dict[float, np.ndarray]:
    """Monthly quantiles of kept samples, arr (kept, months) → {q: (months,)}."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim != 2 or arr.shape[0] == 0:
        months = arr.shape[-1] if arr.ndim else 0
        return {q: np.full(months, np.nan) for q in BAND_Q}
    qs = np.quantile(arr, BAND_Q, axis=0)
    return dict(zip(BAND_Q, qs))


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
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.5 and len(ticks) < 50:
        ticks.append(round(v / step) * step)
        v += step
    return ticks


def money_axis(fig, values, currency: str, lang: str, axis: str = "yaxis", **kw) -> None:
    """Tick labels in the report's money format on one axis of ``fig``."""
    vals = np.asarray([v for v in np.ravel(values) if v is not None], dtype=float)
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return
    ticks = nice_ticks(float(vals.min()), float(vals.max()))
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


def count_axis(fig, values, lang: str, axis: str = "yaxis") -> None:
    vals = np.asarray(values, dtype=float).ravel()
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return
    ticks = nice_ticks(min(0.0, float(vals.min())), float(vals.max()))
    fig.update_layout(
        {axis: dict(tickmode="array", tickvals=ticks, ticktext=[compact(v, lang) for v in ticks])}
    )


def _month_axis(fig, months: int, lang: str, **kw) -> None:
    dtick = 3 if months <= 24 else 6 if months <= 48 else 12
    fig.update_xaxes(title_text=t("month", lang), dtick=dtick, range=[0.5, months + 0.5], **kw)


def _base_layout(fig, title: str | None = None, height: int = 400) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        title=dict(text=title, x=0, xanchor="left", font=dict(size=15)) if title else None,
    )
    return fig


def total_cost(r) -> np.ndarray:
    """Cost of revenue + operating expenses per kept sample and month."""
    return r.line("cost_of_revenue") + r.line("operating_expenses")


# ---------------------------------------------------------------------------- fan charts
def add_fan(
    fig,
    months: np.ndarray,
    arr: np.ndarray,
    name: str,
    color: str,
    fmt: Callable,
    lang: str,
    row: int | None = None,
    col: int | None = None,
    legendgroup: str | None = None,
    inner: bool = True,
    showlegend: bool = True,
) -> None:
    """Median line with an 80% band (p10–p90) and, if ``inner``, a 50% band (p25–p75)."""
    b = bands(arr)
    group = legendgroup or name
    where = dict(row=row, col=col) if row is not None else {}
    x = months.tolist()

    def band(lo, hi, alpha, label, show):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=b[lo].tolist(),
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
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
                legendgroup=group,
                showlegend=show,
            ),
            **where,
        )

    band(0.10, 0.90, 0.16, t("band80", lang), False)
    if inner:
        band(0.25, 0.75, 0.24, t("band50", lang), False)
    text = [
        f"{fmt(m)} <span style='color:#888'>(80%: {fmt(lo)} – {fmt(hi)})</span>"
        for m, lo, hi in zip(b[0.5], b[0.10], b[0.90])
    ]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=b[0.5].tolist(),
            mode="lines",
            name=name,
            line=dict(color=color, width=2.5),
            legendgroup=group,
            showlegend=showlegend,
            text=text,
            hovertemplate="%{text}<extra>" + name + "</extra>",
        ),
        **where,
    )


def revenue_vs_cost(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = r.currency
    months = np.arange(1, r.months + 1)
    fig = go.Figure()
    fmt = lambda v: money(v, cur, lang)  # noqa: E731
    rev, cost = r.line("revenue"), total_cost(r)
    add_fan(fig, months, rev, line_label("revenue", lang), COLORS["revenue"], fmt, lang)
    add_fan(fig, months, cost, t("total_cost", lang), COLORS["cost"], fmt, lang)
    _base_layout(fig)
    _month_axis(fig, r.months, lang)
    br, bc = bands(rev), bands(cost)
    money_axis(fig, _finite_range(br[0.1], bc[0.1], br[0.9], bc[0.9]) + [0.0], cur, lang)
    return fig


def _funding_events(r) -> list[tuple[int, str, float]]:
    """(month, name, mean amount) of each month with money raised."""
    if "funding" not in r.lines:
        return []
    mean = r.monthly_mean("funding")
    names: dict[int, list[str]] = {}
    for rnd in getattr(getattr(r.scenario, "funding", None), "rounds", None) or []:
        m = getattr(rnd, "month", None)
        if m is not None:
            names.setdefault(int(m), []).append(str(getattr(rnd, "name", "") or ""))
    out = []
    for i, v in enumerate(mean):
        if v > 0:
            out.append((i + 1, " + ".join(n for n in names.get(i + 1, []) if n), float(v)))
    return out


def cash(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = r.currency
    months = np.arange(1, r.months + 1)
    fig = go.Figure()
    arr = r.line("cash")
    add_fan(
        fig,
        months,
        arr,
        line_label("cash", lang),
        COLORS["cash"],
        lambda v: money(v, cur, lang),
        lang,
    )
    fig.add_hline(y=0, line=dict(color="#c0392b", width=1.5))
    b = bands(arr)
    top = float(np.nanmax(b[0.9])) if np.isfinite(b[0.9]).any() else 1.0
    for m, name, amount in _funding_events(r):
        label = (esc(name) + " " if name else t("funding_event", lang) + " ") + money(
            amount, cur, lang
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
    _month_axis(fig, r.months, lang)
    money_axis(fig, _finite_range(b[0.1]) + [top, 0.0], cur, lang)
    return fig


def user_kpis(r) -> list[str]:
    """The user / account KPIs of the run worth a chart (at most four)."""
    return [k for k in USER_KPIS if k in r.kpi_names][:MAX_USER_PANELS]


def users(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    names = user_kpis(r)
    months = np.arange(1, r.months + 1)
    if not names:
        fig = go.Figure()
        fig.add_annotation(
            text=t("no_users", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        return _base_layout(fig, height=200)
    cols = min(2, len(names))
    rows = (len(names) + cols - 1) // cols
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[kpi_label(k, lang) for k in names],
        horizontal_spacing=0.1,
        vertical_spacing=0.18,
    )
    palette = [
        COLORS["users"],
        COLORS["paying"],
        COLORS["cash"],
        COLORS["revenue"],
        COLORS["cost"],
        "#a6761d",
    ]
    for i, k in enumerate(names):
        rr, cc = i // cols + 1, i % cols + 1
        arr = r.kpi(k)
        add_fan(
            fig,
            months,
            arr,
            kpi_label(k, lang),
            palette[i % len(palette)],
            lambda v: compact(v, lang),
            lang,
            row=rr,
            col=cc,
        )
        b = bands(arr)
        vals = np.r_[b[0.1], b[0.9]]
        vals = vals[np.isfinite(vals)]
        ticks = nice_ticks(0.0, float(vals.max()) if vals.size else 1.0)
        fig.update_yaxes(
            tickmode="array",
            tickvals=ticks,
            ticktext=[compact(v, lang) for v in ticks],
            row=rr,
            col=cc,
        )
    _base_layout(fig, height=360 * rows)
    dtick = 3 if r.months <= 24 else 6 if r.months <= 48 else 12
    fig.update_xaxes(dtick=dtick, range=[0.5, r.months + 0.5])
    fig.update_xaxes(title_text=t("month", lang), row=rows)
    fig.update_layout(showlegend=False)
    return fig


# ---------------------------------------------------------------------------- distributions
def cdf_by_month(x: np.ndarray, months: int) -> np.ndarray:
    """P(x ≤ m) for m = 1..months, x NaN where the event never happens."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(months)
    counts = np.bincount(np.clip(x[np.isfinite(x)], 0, months).astype(int), minlength=months + 1)
    return np.cumsum(counts)[1 : months + 1] / x.size


def breakeven_cdf(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    H = r.months
    months = np.arange(1, H + 1)
    fig = go.Figure()
    be = cdf_by_month(r.metrics["breakeven_month"], H)
    fig.add_trace(
        go.Scatter(
            x=months.tolist(),
            y=be.tolist(),
            mode="lines",
            line_shape="hv",
            name=metric_label("breakeven_month", lang),
            line=dict(color=COLORS["cdf"], width=2.5),
            fill="tozeroy",
            fillcolor=_rgba(COLORS["cdf"], 0.08),
            hovertemplate="%{y:.0%}",
        )
    )
    if "payback_month" in r.metrics:
        pb = cdf_by_month(r.metrics["payback_month"], H)
        fig.add_trace(
            go.Scatter(
                x=months.tolist(),
                y=pb.tolist(),
                mode="lines",
                line_shape="hv",
                name=metric_label("payback_month", lang),
                line=dict(color=COLORS["payback"], width=2, dash="dash"),
                hovertemplate="%{y:.0%}",
            )
        )
    never = 1.0 - (be[-1] if be.size else 0.0)
    fig.add_annotation(
        x=H,
        y=be[-1] if be.size else 0,
        xanchor="right",
        yanchor="bottom",
        text=t("never_within", lang, p=pct(never)),
        showarrow=False,
        font=dict(size=11, color="#555"),
    )
    _base_layout(fig)
    _month_axis(fig, H, lang)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=t("probability", lang))
    return fig


def _hist(x: np.ndarray, bins: int = 40, lo=None, hi=None):
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.array([0.0, 1.0]), np.array([0.0])
    lo = float(np.quantile(x, 0.001)) if lo is None else lo
    hi = float(np.quantile(x, 0.999)) if hi is None else hi
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    counts, edges = np.histogram(np.clip(x, lo, hi), bins=bins, range=(lo, hi))
    return edges, counts / x.size


def funding_need(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = r.currency
    x = r.metrics["peak_funding_need"]
    edges, share = _hist(x)
    centers = (edges[:-1] + edges[1:]) / 2
    labels = [
        f"{money(a, cur, lang)} – {money(b, cur, lang)}" for a, b in zip(edges[:-1], edges[1:])
    ]
    fig = go.Figure(
        go.Bar(
            x=centers.tolist(),
            y=share.tolist(),
            width=float(edges[1] - edges[0]),
            marker=dict(color=_rgba(COLORS["need"], 0.75), line=dict(width=0)),
            name=metric_label("peak_funding_need", lang),
            text=labels,
            textposition="none",
            hovertemplate="%{text}: %{y:.1%}<extra></extra>",
        )
    )
    s = r.metric_summary("peak_funding_need")
    ymax = float(share.max()) if share.size else 1.0
    for k in ("p50", "p90"):
        if s[k] is not None:
            fig.add_vline(x=s[k], line=dict(color="#333", width=1.2, dash="dash"))
            fig.add_annotation(
                x=s[k],
                y=ymax,
                text=f"{k.upper()} {money(s[k], cur, lang)}",
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
        title_text=metric_label("peak_funding_need", lang),
    )
    return fig


# ---------------------------------------------------------------------------- unit economics
def _period(r) -> tuple[slice, str]:
    if r.months >= 24:
        return slice(r.months - 12, r.months), "ue.last_year"
    return slice(0, r.months), "ue.horizon"


def unit_economics_table(r) -> dict:
    """Per user per month (mean over samples) over the last 12 months (whole horizon if shorter):
    {period, per: {kpi: {revenue, fees, serving, other_cogs, margin}}}."""
    sl, period = _period(r)

    def total(pred) -> float:
        return float(sum(r.monthly_mean(n)[sl].sum() for n in r.detail_lines if pred(n)))

    revenue = float(r.monthly_mean("revenue")[sl].sum())
    fees = total(lambda n: n.startswith("cogs.") and "fee" in n)
    serving = total(lambda n: n.startswith("cogs.inference") or n.startswith("cogs.serving"))
    cogs = float(r.monthly_mean("cost_of_revenue")[sl].sum())
    other = cogs - fees - serving
    per = {}
    for k in (
        "paying_users",
        "active_users",
        "deployed_accounts",
        "paid_seats",
        "paying_accounts",
        "accounts",
        "seats",
    ):
        if k not in r.kpi_names:
            continue
        users_months = float(r.monthly_mean(k)[sl].sum())
        if users_months <= 0:
            continue
        per[k] = {
            "revenue": revenue / users_months,
            "fees": fees / users_months,
            "serving": serving / users_months,
            "other_cogs": other / users_months,
            "margin": (revenue - cogs) / users_months,
        }
    return {"period": period, "per": per}


def per_titles(lang: str) -> dict[str, str]:
    """Panel titles of the unit economics, by the KPI divided by."""
    return {
        "paying_users": t("per_paying_user", lang),
        "active_users": t("per_active_user", lang),
        "deployed_accounts": t("per_deployed_account", lang),
        "paid_seats": t("per_paid_seat", lang),
        "seats": t("per_seat", lang),
        "accounts": t("per_account", lang),
        "paying_accounts": t("per_account", lang),
    }


def _finite_range(*arrays) -> list[float]:
    """[min, max] of the finite values of ``arrays`` (empty if none)."""
    a = np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in arrays]) if arrays else []
    a = a[np.isfinite(a)] if len(a) else a
    return [float(a.min()), float(a.max())] if len(a) else []


def _waterfall(items: dict, cur: str, lang: str, name: str) -> go.Waterfall:
    """Revenue → −fees → −serving → −other costs → margin (bars of zero cost left out)."""
    tiny = 1e-9 * max(1.0, abs(items["revenue"]))
    labels, values = [t("ue.revenue", lang)], [items["revenue"]]
    for key, label in (
        ("fees", "ue.fees"),
        ("serving", "ue.serving"),
        ("other_cogs", "ue.other_cogs"),
    ):
        if abs(items[key]) > tiny or key == "serving":
            labels.append(t(label, lang))
            values.append(-items[key])
    measure = ["relative"] * len(values)  # revenue "relative" from 0: drawn as an increase
    labels.append(t("ue.margin", lang))
    values.append(items["margin"])
    measure.append("total")
    return go.Waterfall(
        x=labels,
        y=[v if m != "total" else 0 for v, m in zip(values, measure)],
        measure=measure,
        name=name,
        text=[money_exact(v, cur, lang) for v in values],
        textposition="outside",
        connector=dict(line=dict(color="#bbb", width=1)),
        increasing=dict(marker=dict(color=COLORS["revenue"])),
        decreasing=dict(marker=dict(color=COLORS["cost"])),
        totals=dict(marker=dict(color=COLORS["cash"])),
        hovertemplate="%{x}: %{text}<extra></extra>",
    )


def unit_economics(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = r.currency
    tab = unit_economics_table(r)
    per = tab["per"]
    titles = per_titles(lang)
    keys = list(per)[:2]
    if not keys:
        fig = go.Figure()
        fig.add_annotation(
            text=t("no_users", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        return _base_layout(fig, height=200)
    fig = make_subplots(
        rows=1,
        cols=len(keys),
        subplot_titles=[titles.get(k, kpi_label(k, lang)) for k in keys],
        horizontal_spacing=0.12,
    )
    for i, k in enumerate(keys):
        fig.add_trace(_waterfall(per[k], cur, lang, titles.get(k, k)), row=1, col=i + 1)
        vals = [0.0, per[k]["revenue"], per[k]["margin"]]
        top = max(vals) * 1.2 if max(vals) > 0 else 1.0
        fig.update_yaxes(
            range=[min(0.0, min(vals) * 1.2), top], tickprefix=symbol(cur, lang), row=1, col=i + 1
        )
    _base_layout(fig, height=400)
    fig.update_layout(showlegend=False, hovermode="closest")
    fig.update_xaxes(tickangle=0)
    return fig


def _scalar(v) -> float | None:
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return None
    if a.size == 0:
        return None
    return float(a) if a.ndim == 0 else float(np.nanmedian(a))


def user_margin_rows(um) -> list[tuple[str, dict]]:
    """(label, {revenue, fees, serving, other_cogs, margin}) from ``results.user_margins``."""
    rows = []
    if not isinstance(um, dict):
        return rows
    for key, val in um.items():
        if not isinstance(val, dict):
            continue
        rev = _scalar(val.get("revenue"))
        serving = _scalar(val.get("serving_cost", val.get("serving")))
        fees = _scalar(val.get("fees")) or 0.0
        if rev is None or serving is None:
            continue
        margin = _scalar(val.get("margin"))
        margin = rev - fees - serving if margin is None else margin
        other = rev - fees - serving - margin
        rows.append(
            (
                str(key),
                {
                    "revenue": rev,
                    "fees": fees,
                    "serving": serving,
                    "other_cogs": other,
                    "margin": margin,
                },
            )
        )
    return rows


def _user_type_label(key: str, lang: str) -> str:
    k = key.lower().replace("_user", "").replace("user", "").replace("_payer", "").strip("_ ")
    if lang == "zh":
        return {
            "p50": "中位用户 (p50)",
            "median": "中位用户",
            "p90": "重度用户 (p90)",
            "p99": "极重度用户 (p99)",
            "mean": "平均用户",
        }.get(k, esc(key))
    return {
        "p50": "Median user (p50)",
        "median": "Median user",
        "p90": "Heavy user (p90)",
        "p99": "Very heavy user (p99)",
        "mean": "Average user",
    }.get(k, esc(key))


def user_margin_series(um, months: int) -> dict[str, np.ndarray]:
    """{user type: monthly margin} when ``user_margins`` holds one series per user type."""
    out = {}
    if not isinstance(um, dict):
        return out
    for key, val in um.items():
        if isinstance(val, (list, tuple, np.ndarray)):
            try:
                a = np.asarray(val, dtype=float)
            except (TypeError, ValueError):
                continue
            if a.ndim == 1 and len(a) == months:
                out[str(key)] = a
    return out


def user_margins(r, lang: str | None = None) -> go.Figure | None:
    """The margin of the median / p90 / p99 user when the run has ``user_margins``: waterfalls
    when it breaks each user's month down (revenue, fees, serving cost, margin), else monthly
    margin lines per user type."""
    lang = resolve(lang)
    um = getattr(r, "user_margins", None)
    if not um:
        return None
    rows = user_margin_rows(um)
    cur = um.get("currency") if isinstance(um.get("currency"), str) else r.currency
    if rows:
        fig = make_subplots(
            rows=1,
            cols=len(rows),
            subplot_titles=[_user_type_label(k, lang) for k, _ in rows],
            horizontal_spacing=0.08,
        )
        lo = min(min(0.0, it["margin"]) for _, it in rows)
        hi = max(max(it["revenue"], it["margin"]) for _, it in rows)
        for i, (k, it) in enumerate(rows):
            fig.add_trace(_waterfall(it, cur, lang, k), row=1, col=i + 1)
        span = (hi - lo) or 1.0
        fig.update_yaxes(
            range=[lo - 0.15 * span if lo < 0 else 0, hi + 0.15 * span],
            tickprefix=symbol(cur, lang),
        )
        _base_layout(fig, height=400)
        fig.update_layout(showlegend=False, hovermode="closest")
        fig.update_xaxes(tickangle=0)
        return fig
    series = user_margin_series(um, r.months)
    if not series:
        return None
    months = list(range(1, r.months + 1))
    fig = go.Figure()
    palette = {"mean": "#888888", "p50": COLORS["revenue"], "p90": COLORS["high"], "p99": "#b2182b"}
    others = iter(PLAN_COLORS)
    allv = [0.0]
    for k, v in series.items():
        label = _user_type_label(k, lang)
        color = palette.get(k.lower().split("_")[0]) or next(others, "#444")
        fig.add_trace(
            go.Scatter(
                x=months,
                y=v.tolist(),
                mode="lines",
                name=label,
                line=dict(color=color, width=2.2, dash="dot" if k.startswith("mean") else None),
                text=[money_exact(x, cur, lang) for x in v],
                hovertemplate="%{text}<extra>" + label + "</extra>",
            )
        )
        allv += [float(np.nanmin(v)), float(np.nanmax(v))]
    fig.add_hline(y=0, line=dict(color="#c0392b", width=1.2))
    _base_layout(fig)
    _month_axis(fig, r.months, lang)
    fig.update_yaxes(title_text=t("margin_per_payer", lang))
    money_axis(fig, allv, cur, lang)
    return fig


# ---------------------------------------------------------------------------- cost breakdown
def cost_category(line: str) -> str | None:
    """serving / training / people / marketing / fees / other for cost lines; None otherwise."""
    kind, _, item = line.partition(".")
    if kind not in ("cogs", "opex"):
        return None
    if kind == "cogs" and (item.startswith("inference") or item.startswith("serving")):
        return "serving"
    if item.startswith("training"):
        return "training"
    if item.startswith("people"):
        return "people"
    if item.startswith("marketing") or item.startswith("acquisition"):
        return "marketing"
    if "fee" in item:
        return "fees"
    return "other"


def cost_breakdown_data(r) -> dict[str, np.ndarray]:
    """Mean monthly cost (all samples) by category, categories with any cost only."""
    out: dict[str, np.ndarray] = {}
    for n in r.detail_lines:
        c = cost_category(n)
        if c is None:
            continue
        out[c] = out.get(c, 0.0) + r.monthly_mean(n)
    order = ["serving", "training", "people", "marketing", "fees", "other"]
    return {k: out[k] for k in order if k in out and np.any(out[k] != 0)}


def cost_breakdown(r, lang: str | None = None) -> go.Figure:
    lang = resolve(lang)
    cur = r.currency
    months = np.arange(1, r.months + 1).tolist()
    data = cost_breakdown_data(r)
    fig = go.Figure()
    for k, v in data.items():
        label = t(f"cat.{k}", lang)
        fig.add_trace(
            go.Scatter(
                x=months,
                y=v.tolist(),
                name=label,
                stackgroup="cost",
                mode="lines",
                line=dict(width=0.5, color=CATEGORY_COLORS[k]),
                fillcolor=_rgba(CATEGORY_COLORS[k], 0.75),
                text=[money(x, cur, lang) for x in v],
                hovertemplate="%{text}<extra>" + label + "</extra>",
            )
        )
    rev = r.monthly_mean("revenue")
    fig.add_trace(
        go.Scatter(
            x=months,
            y=rev.tolist(),
            name=line_label("revenue", lang),
            mode="lines",
            line=dict(color="#111", width=2, dash="dash"),
            text=[money(x, cur, lang) for x in rev],
            hovertemplate="%{text}<extra>" + line_label("revenue", lang) + "</extra>",
        )
    )
    total = sum(data.values()) if data else np.zeros(r.months)
    _base_layout(fig)
    _month_axis(fig, r.months, lang)
    money_axis(fig, [0.0, float(np.max(total)), float(np.max(rev))], cur, lang)
    return fig


# ---------------------------------------------------------------------------- tornado
def _fmt_input(v, domain: str | None, lang: str = "en") -> str:
    return esc(input_value(v, domain, lang))


def tornado_chart(
    rows: Sequence[dict],
    r,
    lang: str | None = None,
    metric: str = "npv",
    max_rows: int = 15,
    base: float | None = None,
) -> go.Figure:
    """Horizontal bars from the base value of ``metric`` (all inputs at their medians: ``base``,
    or ``rows.base``, else the run's median) to its value with each input low / high."""
    lang = resolve(lang)
    cur = r.currency
    base = getattr(rows, "base", None) if base is None else base
    rows = sorted(rows, key=lambda x: (x.get("rank", 0) or 0, -abs(x.get("swing", 0) or 0)))
    rows = rows[:max_rows][::-1]  # largest swing on top
    for key in ("base", "metric_base", "baseline"):
        if base is not None:
            break
        if rows and rows[0].get(key) is not None:
            base = float(rows[0][key])
            break
    if base is None:
        m = r.metrics.get(metric)
        base = float(np.nanmedian(m)) if m is not None and np.isfinite(m).any() else 0.0
    table = getattr(r, "input_table", {}) or {}
    y = [esc(x.get("input", "")) for x in rows]
    domains = [getattr(table.get(x.get("input")), "domain", None) for x in rows]
    is_money = metric not in ("breakeven_month", "payback_month", "runway_months")
    fmt = (lambda v: money(v, cur, lang)) if is_money else (lambda v: f"{v:.1f}")
    fig = go.Figure()
    for side, color, label in (
        ("low", COLORS["low"], t("input_low", lang)),
        ("high", COLORS["high"], t("input_high", lang)),
    ):
        vals = [float(x.get(f"metric_{side}", base)) for x in rows]
        text = [
            f"{esc(x.get('input', ''))} = {_fmt_input(x.get(side), d, lang)} → {fmt(v)}"
            for x, d, v in zip(rows, domains, vals)
        ]
        fig.add_trace(
            go.Bar(
                y=y,
                x=[v - base for v in vals],
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
    vals = [base] + [float(x.get(k, base)) for x in rows for k in ("metric_low", "metric_high")]
    if is_money:
        money_axis(fig, vals, cur, lang, axis="xaxis", title_text=metric_label(metric, lang))
    else:
        fig.update_xaxes(title_text=metric_label(metric, lang))
    return fig


# ---------------------------------------------------------------------------- comparison
def plan_labels(results_list) -> list[str]:
    names = [str(r.scenario.name) for r in results_list]
    out = []
    for i, n in enumerate(names):
        out.append(n if names.count(n) == 1 else f"{n} ({i + 1})")
    return out


def compare_fan(
    results_list,
    series: str | Callable,
    lang: str | None = None,
    kind: str = "money",
    labels: list[str] | None = None,
) -> go.Figure:
    """Median line and 80% band of each plan for one ledger line / KPI (or a function of r)."""
    lang = resolve(lang)
    labels = labels or plan_labels(results_list)
    fig = go.Figure()
    H = max(r.months for r in results_list)
    lows, highs = [0.0], [0.0]
    for i, r in enumerate(results_list):
        if callable(series):
            arr = series(r)
        elif series in r.lines:
            arr = r.line(series)
        elif series in r.kpi_names:
            arr = r.kpi(series)
        else:
            continue
        color = PLAN_COLORS[i % len(PLAN_COLORS)]
        fmt = (
            (lambda v, c=r.currency: money(v, c, lang))
            if kind == "money"
            else (lambda v: compact(v, lang))
        )
        add_fan(fig, np.arange(1, r.months + 1), arr, esc(labels[i]), color, fmt, lang, inner=False)
        b = bands(arr)
        lows += _finite_range(b[0.1])
        highs += _finite_range(b[0.9])
    _base_layout(fig)
    _month_axis(fig, H, lang)
    if kind == "money":
        money_axis(fig, lows + highs, results_list[0].currency, lang)
    else:
        count_axis(fig, lows + highs, lang)
    return fig


def compare_cdf(
    results_list,
    lang: str | None = None,
    metric: str = "breakeven_month",
    labels: list[str] | None = None,
) -> go.Figure:
    lang = resolve(lang)
    labels = labels or plan_labels(results_list)
    H = max(r.months for r in results_list)
    fig = go.Figure()
    for i, r in enumerate(results_list):
        y = cdf_by_month(r.metrics[metric], r.months)
        fig.add_trace(
            go.Scatter(
                x=list(range(1, r.months + 1)),
                y=y.tolist(),
                mode="lines",
                line_shape="hv",
                name=esc(labels[i]),
                line=dict(color=PLAN_COLORS[i % len(PLAN_COLORS)], width=2.5),
                hovertemplate="%{y:.0%}",
            )
        )
    _base_layout(fig)
    _month_axis(fig, H, lang)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=t("probability", lang))
    return fig


def compare_distribution(
    results_list,
    metric: str = "peak_funding_need",
    lang: str | None = None,
    labels: list[str] | None = None,
) -> go.Figure:
    """Overlaid histograms (shared bins) of a money metric."""
    lang = resolve(lang)
    labels = labels or plan_labels(results_list)
    cur = results_list[0].currency
    allx = np.concatenate([np.asarray(r.metrics[metric], float) for r in results_list])
    allx = allx[np.isfinite(allx)]
    lo = float(np.quantile(allx, 0.001)) if allx.size else 0.0
    hi = float(np.quantile(allx, 0.999)) if allx.size else 1.0
    fig = go.Figure()
    top = 0.0
    for i, r in enumerate(results_list):
        edges, share = _hist(r.metrics[metric], bins=40, lo=lo, hi=hi)
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
    money_axis(fig, [lo, hi], cur, lang, axis="xaxis", title_text=metric_label(metric, lang))
    return fig

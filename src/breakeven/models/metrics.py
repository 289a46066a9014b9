"""Per-sample metrics, each computed from the ledger (arrays shaped (months, n)).

Months are numbered from 1. A month metric that never happens within the horizon is NaN
("undefined"); summaries report the share of such samples.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .ledger import cumsum_months

Array = NDArray[np.float64]

METRIC_DOCS = {
    "breakeven_month": "First month with EBITDA >= 0 while there is revenue (a month with no "
    "activity at all, e.g. an abandoned project, is not break-even). "
    "Undefined if it never happens.",
    "sustained_breakeven_month": "First month from which EBITDA stays >= 0 (with revenue) to the "
    "end of the horizon: break-even that lasts, not a blip before "
    "the next hiring step. Undefined if the last month is a loss.",
    "payback_month": "First month, after the trough, in which cumulative free cash flow (cash "
    "flow before funding) is back to >= 0; 0 if it is never negative. "
    "Undefined if it does not recover within the horizon.",
    "peak_funding_need": "Largest cumulative cash deficit before funding: max(0, -min cumulative "
    "free cash flow). The cash a plan needs from investors or the bank.",
    "npv": "Net present value of free cash flow over the horizon at discount_rate_per_year "
    "(monthly rate (1+r)^(1/12)-1, end-of-month flows, no terminal value).",
    "runway_months": "Months before cash (with starting cash and funding) first goes below 0. "
    "Undefined if cash never runs out within the horizon.",
    "ending_cash": "Cash at the end of the horizon.",
    "revenue_last_month": "Revenue in the last month of the horizon (run rate / 12).",
    "ebitda_total": "Sum of EBITDA over the horizon.",
    "roi": "Return on what was spent over the horizon: total revenue (or benefit) divided by "
    "total cost of revenue, operating expenses and capex, minus 1.",
}
PROBABILITY_DOCS = {
    "p_breakeven": "Share of samples whose EBITDA reaches >= 0 within the horizon.",
    "p_cash_out": "Share of samples whose cash goes below 0 within the horizon.",
}
MONTH_METRICS = ("breakeven_month", "sustained_breakeven_month", "payback_month", "runway_months")


def first_month(cond: NDArray[np.bool_]) -> Array:
    """1-based index of the first True along axis 0 (months); NaN where none.
    (A loop over rows: argmax over the month axis of a (months, samples) array is strided.)"""
    out = np.full(cond.shape[1], np.nan)
    pending = np.ones(cond.shape[1], dtype=bool)
    for t in range(cond.shape[0]):
        hit = cond[t] & pending
        np.copyto(out, t + 1, where=hit)
        pending &= ~hit
    return out


def breakeven_month(ebitda: Array, revenue: Array | None = None) -> Array:
    """First month with EBITDA >= 0 (and, if given, revenue > 0 in that month)."""
    cond = ebitda >= 0
    if revenue is not None:
        cond &= revenue > 0
    return first_month(cond)


def sustained_breakeven_month(ebitda: Array, revenue: Array | None = None) -> Array:
    """First month t with EBITDA >= 0 (and revenue > 0) in every month from t to the end."""
    cond = ebitda >= 0
    if revenue is not None:
        cond &= revenue > 0
    out = np.full(cond.shape[1], np.nan)
    suffix = np.ones(cond.shape[1], dtype=bool)
    for t in range(cond.shape[0] - 1, -1, -1):
        suffix &= cond[t]
        np.copyto(out, t + 1, where=suffix)
    return out


def payback_month(free_cash_flow: Array, cum: Array | None = None) -> Array:
    cum = cumsum_months(free_cash_flow) if cum is None else cum
    # month index of the (first) lowest point, row by row
    low = cum[0].copy()
    trough = np.zeros(cum.shape[1])
    for t in range(1, cum.shape[0]):
        lower = cum[t] < low
        np.copyto(trough, t, where=lower)
        np.minimum(low, cum[t], out=low)
    months = np.arange(cum.shape[0])[:, None]
    out = first_month((cum >= 0) & (months > trough[None, :]))
    out[low >= 0] = 0.0
    return out


def peak_funding_need(free_cash_flow: Array, cum: Array | None = None) -> Array:
    cum = cumsum_months(free_cash_flow) if cum is None else cum
    lowest: Array = np.minimum.reduce(cum, axis=0)
    return np.maximum(0.0, -lowest)


def monthly_rate(rate_per_year: Array | float) -> Array:
    return np.power(1.0 + np.asarray(rate_per_year, dtype=float), 1.0 / 12.0) - 1.0


def npv(free_cash_flow: Array, rate_per_year: Array | float) -> Array:
    """Free cash flow discounted at the monthly equivalent of ``rate_per_year``, end of month.

    One rate for every sample gives one column of discount factors; per-sample rates are raised
    to each month's power on full, same-shaped arrays (a power broadcast along the sample axis
    can take a different SIMD path for different chunk sizes, and so differ in the last bit)."""
    r = np.atleast_1d(monthly_rate(rate_per_year))
    months = free_cash_flow.shape[0]
    t = np.arange(1, months + 1, dtype=float)[:, None]
    if np.all(r == r[0]):  # one rate for all samples: a column of discount factors
        factors = np.power(1.0 + r[:1], -t)
    else:
        n = r.shape[0]
        factors = np.power(np.repeat((1.0 + r)[None, :], months, axis=0), np.repeat(-t, n, axis=1))
    value: Array = (free_cash_flow * factors).sum(axis=0)
    return value


def runway_months(cash: Array) -> Array:
    return first_month(cash < 0) - 1


def compute_metrics(totals: dict[str, Array], discount_rate_per_year: Array) -> dict[str, Array]:
    """All per-sample metrics from the derived ledger totals."""
    fcf = totals["free_cash_flow"]
    cum = cumsum_months(fcf)
    return {
        "breakeven_month": breakeven_month(totals["ebitda"], totals["revenue"]),
        "sustained_breakeven_month": sustained_breakeven_month(totals["ebitda"], totals["revenue"]),
        "payback_month": payback_month(fcf, cum),
        "peak_funding_need": peak_funding_need(fcf, cum),
        "npv": npv(fcf, discount_rate_per_year),
        "runway_months": runway_months(totals["cash"]),
        "ending_cash": totals["cash"][-1].copy(),
        "revenue_last_month": totals["revenue"][-1].copy(),
        "ebitda_total": totals["ebitda"].sum(axis=0),
        "roi": roi(totals),
    }


def roi(totals: dict[str, Array]) -> Array:
    cost = totals["cost_of_revenue"] + totals["operating_expenses"] + totals["capex"]
    spent: Array = cost.sum(axis=0)
    gained: Array = totals["revenue"].sum(axis=0)
    ratio: Array = np.divide(gained, spent, out=np.full(gained.shape, np.nan), where=spent > 0)
    return ratio - 1.0

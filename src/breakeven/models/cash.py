"""Timing of money: revenue collected after payment terms, a cost spread over months."""

from __future__ import annotations

import numpy as np

from .units import MONTH_DAYS


def collected(history: np.ndarray, t: int, days_outstanding: np.ndarray) -> np.ndarray:
    """Cash collected in month index t from revenue ``history`` (months, n) booked so far.

    Revenue of month s is collected in month s + L with L = days / (365.25/12), split linearly
    between the two whole months around it (a lag of 1.5 months pays half in s+1, half in s+2).
    """
    lag = np.asarray(days_outstanding, dtype=float) / MONTH_DAYS
    k = np.floor(lag).astype(int)
    f = lag - k
    n = history.shape[1]
    cols = np.arange(n)
    out = np.zeros(n)
    for shift, w in ((k, 1.0 - f), (k + 1, f)):
        src = t - shift
        ok = src >= 0
        out[ok] += w[ok] * history[src[ok], cols[ok]]
    return out


def spread_cost(
    cost: np.ndarray, start_month: int, duration_months: int, months: int
) -> np.ndarray:
    """A cost spread evenly over ``duration_months`` from ``start_month`` (1-based): (months, n).

    >>> spread_cost(np.array([30.0]), 2, 3, 4).ravel().tolist()
    [0.0, 10.0, 10.0, 10.0]
    """
    out = np.zeros((months, np.shape(cost)[0]))
    a = start_month - 1
    b = min(months, a + duration_months)
    if a < months:
        out[a:b] = cost / duration_months
    return out

"""Timing of money: revenue collected after payment terms, a cost spread over months."""

from __future__ import annotations

import numpy as np

from .compiled import twin
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


class Collections:
    """:func:`collected` month by month, remembering revenue only as long as payment terms
    reach back (the longest lag + 2 months, at most the horizon) instead of the whole history:
    the same numbers, bit for bit, in O(samples) a month.

    With r months remembered, the revenue of d months ago sits in row i + d of a buffer, i
    moving back one row a month (i = −t mod r; each month is written at i and at i + r), so each
    sample's two months are gathered at fixed offsets from row i. Rows not written yet hold
    zeros, and a lag beyond the horizon points into r rows that stay zero.

    >>> c = Collections(np.array([1.5 * MONTH_DAYS]), 1, 4)  # half in s+1, half in s+2
    >>> [float(c.step(np.array([r]))[0]) for r in (100.0, 0.0, 0.0, 0.0)]
    [0.0, 50.0, 50.0, 0.0]
    """

    def __init__(self, days_outstanding: np.ndarray | float, n: int, months: int):
        lag = np.broadcast_to(np.asarray(days_outstanding, dtype=float) / MONTH_DAYS, (n,))
        k = np.floor(lag).astype(int)
        f = lag - k
        r = self.rows = max(1, min(int(k.max(initial=0)) + 2, months))
        cols = np.arange(n)
        # (flat offset from row i of the month collected from, share of it collected)
        self.terms = [
            (np.where(back < r, back, 2 * r) * n + cols, share)
            for back, share in ((k, 1.0 - f), (k + 1, f))
        ]
        self.buf = np.zeros((3 * r, n))
        self.n = n
        self.t = 0

    def step(self, revenue: np.ndarray) -> np.ndarray:
        """Book this month's revenue (n,); the cash collected this month (n,)."""
        t, r = self.t, self.rows
        self.t = t + 1
        out = np.empty(self.n)
        (whole, rest), (later, part) = self.terms
        _collect(self.buf, revenue, (-t) % r, r, whole, rest, later, part, out)
        return out


def _collect_loop(
    buf: np.ndarray,
    revenue: np.ndarray,
    i: int,
    r: int,
    offset0: np.ndarray,
    share0: np.ndarray,
    offset1: np.ndarray,
    share1: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_collect` as one loop over samples."""
    n = revenue.shape[0]
    for j in range(n):
        buf[i, j] = revenue[j]
        buf[i + r, j] = revenue[j]
    flat = buf.reshape(-1)
    base = i * n
    for j in range(n):
        v = 0.0 + share0[j] * flat[offset0[j] + base]
        out[j] = v + share1[j] * flat[offset1[j] + base]


@twin(_collect_loop)
def _collect(
    buf: np.ndarray,
    revenue: np.ndarray,
    i: int,
    r: int,
    offset0: np.ndarray,
    share0: np.ndarray,
    offset1: np.ndarray,
    share1: np.ndarray,
    out: np.ndarray,
) -> None:
    """Write this month's revenue at rows i and i + r of ``buf`` (3r, n), and into ``out`` the
    cash collected: Σ share × the revenue at each (flat) offset from row i, from 0."""
    buf[i] = revenue
    buf[i + r] = revenue
    flat = buf.reshape(-1)
    n = revenue.shape[0]
    out[...] = 0.0
    out += share0 * flat.take(offset0 + i * n)
    out += share1 * flat.take(offset1 + i * n)


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

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
    sample's two months are read at rows i + k and i + k + 1 (k: whole months of its lag; a lag
    beyond the horizon reads row i + 2r, among r rows that stay zero) without a modulo. Rows not
    written yet hold zeros. Per sample only k (int32) and the fraction f are kept.

    ``groups`` > 1: the n samples are ``groups`` rows of n ÷ groups (segments × samples, say)
    and :meth:`step` returns their sum over the rows, in row order, (n ÷ groups,).

    >>> c = Collections(np.array([1.5 * MONTH_DAYS]), 1, 4)  # half in s+1, half in s+2
    >>> [float(c.step(np.array([r]))[0]) for r in (100.0, 0.0, 0.0, 0.0)]
    [0.0, 50.0, 50.0, 0.0]
    """

    def __init__(self, days_outstanding: np.ndarray | float, n: int, months: int, groups: int = 1):
        lag = np.broadcast_to(np.asarray(days_outstanding, dtype=float) / MONTH_DAYS, (n,))
        k = np.floor(lag).astype(int)
        r = self.rows = max(1, min(int(k.max(initial=0)) + 2, months))
        self.whole = np.minimum(k, r).astype(np.int32)  # r or more: the zero rows (2r on)
        self.part = lag - k
        self.buf = np.zeros((3 * r, n))
        assert n % groups == 0, "whole groups"
        self.n, self.groups = n, groups
        self.t = 0

    def step(self, revenue: np.ndarray) -> np.ndarray:
        """Book this month's revenue (n,); the cash collected this month (n,), or its sum over
        the groups (n ÷ groups,)."""
        t, r = self.t, self.rows
        self.t = t + 1
        out = np.empty(self.n // self.groups)
        _collect(self.buf, revenue, (-t) % r, r, self.whole, self.part, self.groups, out)
        return out


def _collect_loop(
    buf: np.ndarray,
    revenue: np.ndarray,
    i: int,
    r: int,
    whole: np.ndarray,
    part: np.ndarray,
    groups: int,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_collect` as one loop over samples."""
    n = revenue.shape[0]
    w = n // groups
    for j in range(n):
        buf[i, j] = revenue[j]
        buf[i + r, j] = revenue[j]
    for g in range(groups):
        for c in range(w):
            j = g * w + c
            k = whole[j]
            f = part[j]
            b0 = i + k if k < r else i + 2 * r
            b1 = i + k + 1 if k + 1 < r else i + 2 * r
            v = 0.0 + (1.0 - f) * buf[b0, j]
            v = v + f * buf[b1, j]
            out[c] = v if g == 0 else out[c] + v


@twin(_collect_loop)
def _collect(
    buf: np.ndarray,
    revenue: np.ndarray,
    i: int,
    r: int,
    whole: np.ndarray,
    part: np.ndarray,
    groups: int,
    out: np.ndarray,
) -> None:
    """Write this month's revenue at rows i and i + r of ``buf`` (3r, n); into ``out`` the cash
    collected, summed over the ``groups`` rows in order: from 0, (1 − f) × the revenue at row
    i + k plus f × the revenue at row i + k + 1, a row r or more back being one of the zero
    rows 2r on."""
    buf[i] = revenue
    buf[i + r] = revenue
    n = revenue.shape[0]
    cols = np.arange(n)
    k = whole.astype(np.int64)
    b0 = np.where(k < r, i + k, i + 2 * r)
    b1 = np.where(k + 1 < r, i + k + 1, i + 2 * r)
    v = 0.0 + (1.0 - part) * buf[b0, cols]
    v = v + part * buf[b1, cols]
    np.add.reduce(v.reshape(groups, n // groups), axis=0, out=out)


def spread_months(start_month: int, duration_months: int, months: int) -> range:
    """The month indices (0-based, within ``months``) over which a cost starting in month
    ``start_month`` (1-based) is spread evenly for ``duration_months``.

    >>> list(spread_months(2, 3, 4))
    [1, 2, 3]
    """
    a = start_month - 1
    return range(min(a, months), min(months, a + duration_months))


def spread_cost(
    cost: np.ndarray, start_month: int, duration_months: int, months: int
) -> np.ndarray:
    """A cost spread evenly over ``duration_months`` from ``start_month`` (1-based): (months, n),
    ``cost / duration_months`` in each month of :func:`spread_months`.

    >>> spread_cost(np.array([30.0]), 2, 3, 4).ravel().tolist()
    [0.0, 10.0, 10.0, 10.0]
    """
    out = np.zeros((months, np.shape(cost)[0]))
    span = spread_months(start_month, duration_months, months)
    out[span.start : span.stop] = cost / duration_months
    return out

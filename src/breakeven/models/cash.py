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
    reach back instead of the whole history: the same numbers, bit for bit, in O(samples) a
    month.

    Each sample keeps its last R months of revenue in a row of its own (R a power of two above
    its longest lag + 1 that falls inside the horizon), month t in slot t mod R, so a month
    reads and writes one short row per sample, in sample order, instead of a value in each of
    several rows of all samples. Its two months are read at slots t − k and t − k − 1 (k: whole
    months of its lag), or count as 0 before the first month (a lag of the horizon or more is
    never collected). Per sample only k (int32) and the fraction f are kept.

    ``groups`` > 1: the n samples are ``groups`` rows of n ÷ groups (segments × samples, say)
    and :meth:`step` returns their sum over the rows, in row order, (n ÷ groups,).

    >>> c = Collections(np.array([1.5 * MONTH_DAYS]), 1, 4)  # half in s+1, half in s+2
    >>> [float(c.step(np.array([r]))[0]) for r in (100.0, 0.0, 0.0, 0.0)]
    [0.0, 50.0, 50.0, 0.0]
    """

    def __init__(self, days_outstanding: np.ndarray | float, n: int, months: int, groups: int = 1):
        lag = np.broadcast_to(np.asarray(days_outstanding, dtype=float) / MONTH_DAYS, (n,))
        k = np.floor(lag).astype(int)
        self.whole = np.minimum(k, months).astype(np.int32)  # the horizon or more: never
        self.part = lag - k
        read = self.whole[self.whole < months]  # lags ever collected
        slots = 1 << (int(read.max(initial=0)) + 1).bit_length()  # > longest read lag + 1
        self.mask = slots - 1
        self.ring = np.zeros((n, slots))
        assert n % groups == 0, "whole groups"
        self.n, self.groups = n, groups
        self.t = 0

    def step(self, revenue: np.ndarray) -> np.ndarray:
        """Book this month's revenue (n,); the cash collected this month (n,), or its sum over
        the groups (n ÷ groups,)."""
        t = self.t
        self.t = t + 1
        out = np.empty(self.n // self.groups)
        _collect(self.ring, revenue, t, self.mask, self.whole, self.part, self.groups, out)
        return out


def _collect_loop(
    ring: np.ndarray,
    revenue: np.ndarray,
    t: int,
    mask: int,
    whole: np.ndarray,
    part: np.ndarray,
    groups: int,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_collect` as one loop over samples."""
    n = revenue.shape[0]
    w = n // groups
    now = t & mask
    for g in range(groups):
        for c in range(w):
            j = g * w + c
            row = ring[j]
            row[now] = revenue[j]
            k = whole[j]
            f = part[j]
            x0 = row[(t - k) & mask] if t >= k else 0.0
            x1 = row[(t - k - 1) & mask] if t >= k + 1 else 0.0
            v = 0.0 + (1.0 - f) * x0
            v = v + f * x1
            out[c] = v if g == 0 else out[c] + v


@twin(_collect_loop)
def _collect(
    ring: np.ndarray,
    revenue: np.ndarray,
    t: int,
    mask: int,
    whole: np.ndarray,
    part: np.ndarray,
    groups: int,
    out: np.ndarray,
) -> None:
    """Write this month's revenue at slot t mod R of each sample's row of ``ring`` (n, R); into
    ``out`` the cash collected, summed over the ``groups`` rows in order: from 0, (1 − f) × the
    revenue of k months ago plus f × that of k + 1 months ago, 0 before the first month."""
    n = revenue.shape[0]
    ring[:, t & mask] = revenue
    cols = np.arange(n)
    k = whole.astype(np.int64)
    x0 = np.where(t >= k, ring[cols, (t - k) & mask], 0.0)
    x1 = np.where(t >= k + 1, ring[cols, (t - k - 1) & mask], 0.0)
    v = 0.0 + (1.0 - part) * x0
    v = v + part * x1
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

"""Cash timing: money booked as revenue arrives later, after the payment terms."""

from __future__ import annotations

import numpy as np

from ..scenario.types import MONTH_DAYS


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

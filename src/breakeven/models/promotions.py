"""Promotions by cohort of new subscribers: free trials and introductory prices.

A tier's subscribers P_t follow its paying share; the gross starts of a month are
g_t = max(0, P_t − (1 − χ) P_{t−1}), with χ the monthly churn of users. A start spends its first
``trial`` months free and the next ``intro`` months at a discount; a fractional month counts in
part (a 7-day trial is 0.23 of the first month). Cohorts churn like everyone: the start of k months
ago is g_{t−k} (1 − χ)^k, and its weight in the trial this month is clip(trial − k, 0, 1)
(:func:`phase_weights`). Only a share ``to_paid`` of trials becomes a subscriber, so trials started
are g / to_paid: the others use the tier for the trial and go back to the free tier.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def phase_weights(first_months: float, depth: int) -> Array:
    """Share of each cohort age k = 0..depth−1 (months since its start) that falls within the
    first ``first_months`` months of a subscription.

    >>> phase_weights(1.5, 3).tolist()
    [1.0, 0.5, 0.0]
    >>> phase_weights(0.25, 1).tolist()
    [0.25]
    """
    return np.clip(first_months - np.arange(depth, dtype=float), 0.0, 1.0)


def cohort_depth(months: float) -> int:
    """Cohort ages to keep for a promotion lasting ``months`` (at least one).

    >>> cohort_depth(0.25), cohort_depth(3), cohort_depth(3.5)
    (1, 3, 4)
    """
    return max(1, math.ceil(months))


def gross_starts(subscribers: Array, previous: Array, churn: Array) -> Array:
    """New subscribers of a month: the stock now less what is left of last month's.

    >>> gross_starts(np.array([110.0, 80.0]), np.array([100.0, 100.0]), np.array([0.1, 0.1]))
    array([20.,  0.])
    """
    return np.maximum(subscribers - (1.0 - churn) * previous, 0.0)


def age_cohorts(cohorts: Array, starts: Array, churn: Array) -> None:
    """Move cohorts (depth, n) one month on, in place: each ages and churns, the newest starts.

    >>> c = np.array([[10.0], [5.0]])
    >>> age_cohorts(c, np.array([7.0]), np.array([0.2])); c.ravel().tolist()
    [7.0, 8.0]
    """
    cohorts[1:] = cohorts[:-1] * (1.0 - churn)
    cohorts[0] = starts

"""Adoption: Bass diffusion in a market and inside an organisation, and paid acquisition.

Monthly discrete Bass model (Bass 1969, "A New Product Growth Model for Consumer Durables",
Management Science 15(5)): new adopters in a month are (p/12 + (q/12)·active/M)·(M − ever adopted)
with p, q the annual coefficients of innovation and imitation. Paid acquisition buys budget ÷ CAC
users from the same remaining market, with CAC rising as the market fills.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def bass_new_adopters(
    market_size: Array,
    ever_adopted: Array,
    active: Array,
    p_per_year: Array,
    q_per_year: Array,
) -> Array:
    """Organic adopters this month from the Bass hazard on the not-yet-adopted market.

    >>> float(bass_new_adopters(np.array([1000.0]), np.array([100.0]), np.array([100.0]),
    ...                         np.array([0.12]), np.array([1.2]))[0])
    18.0
    """
    remaining = np.maximum(market_size - ever_adopted, 0.0)
    hazard = p_per_year / 12.0 + (q_per_year / 12.0) * active / market_size
    return np.minimum(hazard, 1.0) * remaining


def saturating_cac(cost_per_user: Array, remaining_share: Array, exponent: Array) -> Array:
    """CAC once part of the market is reached: CAC × remaining_share^-k (cheap users go first).
    The remaining share is floored at 0.1%: past that the market is exhausted (and the users
    bought are capped by what is left anyway).

    >>> float(saturating_cac(np.array([10.0]), np.array([0.25]), np.array([0.5]))[0])
    20.0
    """
    return cost_per_user * np.power(np.maximum(remaining_share, 1e-3), -exponent)


def paid_new_users(budget: Array, cost_per_user: Array, room: Array) -> Array:
    """Users bought this month: budget / CAC, never more than the market left.

    >>> paid_new_users(np.array([100.0, 100.0]), np.array([2.0, 2.0]), np.array([80.0, 20.0]))
    array([50., 20.])
    """
    return np.minimum(budget / cost_per_user, np.maximum(room, 0.0))


def within_org_adoption(p: Array, q: Array, resistance: Array, months: int) -> Array:
    """Adopted share of an organisation's people after 1..months months, shape (months, n).

    Bass diffusion with resistance (a share never adopts): s(a+1) = s(a) + (p + q·s(a)/S)·(S − s(a)),
    S = 1 − resistance.

    >>> within_org_adoption(np.array([0.5]), np.array([0.0]), np.array([0.0]), 2).ravel().tolist()
    [0.5, 0.75]
    """
    S = 1.0 - resistance
    s = np.zeros_like(S)
    out = np.empty((months,) + np.shape(S))
    for a in range(months):
        hazard = np.minimum(p + q * np.divide(s, S, out=np.zeros_like(s), where=S > 0), 1.0)
        s = s + hazard * (S - s)
        out[a] = s
    return out


def survival_by_age(monthly_survival: Array, months: int) -> Array:
    """Share of a cohort still there after 0..months-1 months, shape (months, n): s^a, built by
    repeated multiplication (exactly rounded, so the same bits on any CPU and chunking, unlike a
    broadcast power).

    >>> survival_by_age(np.array([0.5]), 3).ravel().tolist()
    [1.0, 0.5, 0.25]
    """
    out = np.empty((months, np.shape(monthly_survival)[0]))
    out[0] = 1.0
    for a in range(1, months):
        np.multiply(out[a - 1], monthly_survival, out=out[a])
    return out

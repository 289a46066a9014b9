"""How demand answers a price: constant elasticity, reached by partial adjustment.

Target demand at relative price r (price ÷ its reference) is D* = D_ref · r^ε (constant-elasticity
demand; ε < 0). Demand does not jump to its target: each month it closes a share λ of the gap in
logs, ln D_t − ln D_{t−1} = λ (ln D*_t − ln D_{t−1}) (Nerlove's partial-adjustment model: M.
Nerlove, "Distributed Lags and Demand Analysis", USDA Agriculture Handbook 141, 1958; the same
form as Koyck's geometric lag). λ is given as an adjustment time τ in months, λ = 1 − e^(−1/τ):
after τ months 63% of a change has come through, after 3τ 95%; τ = 0 means at once. Shares (the
paying share of users) adjust linearly, s_t = s_{t−1} + λ (s*_t − s_{t−1}), so they stay in [0, 1].
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def adjustment_rate(months: Array | float) -> Array:
    """Share λ of the gap to the target closed each month for an adjustment time of ``months``.

    >>> adjustment_rate(np.array([0.0, 1.0])).round(4).tolist()
    [1.0, 0.6321]
    """
    tau = np.asarray(months, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(tau > 0, -np.expm1(-1.0 / np.where(tau > 0, tau, 1.0)), 1.0)


def elastic_factor(relative_price: Array, elasticity: Array) -> Array:
    """Target demand relative to the reference: (price ÷ reference price)^elasticity.

    >>> float(elastic_factor(np.array([0.1]), np.array([-1.0]))[0])
    10.0
    """
    return np.power(relative_price, elasticity)


def adjust_log(previous: Array, target: Array, rate: Array) -> Array:
    """One month of partial adjustment of a positive level, in logs: prev^(1−λ) · target^λ.

    >>> float(adjust_log(np.array([1.0]), np.array([10.0]), np.array([0.5]))[0]) ** 2
    10.000000000000002
    >>> float(adjust_log(np.array([3.0]), np.array([0.7]), np.array([1.0]))[0])  # λ = 1: exact
    0.7
    """
    with np.errstate(divide="ignore"):
        moved = np.exp((1.0 - rate) * np.log(previous) + rate * np.log(target))
    return np.where(rate >= 1.0, target, moved)


def adjust_share(previous: Array, target: Array, rate: Array) -> Array:
    """One month of partial adjustment of a share: prev + λ (target − prev).

    >>> float(adjust_share(np.array([0.02]), np.array([0.04]), np.array([0.5]))[0])
    0.03
    """
    return previous + rate * (target - previous)


def adjusted_path(target: Array, rate: Array, start: Array | float = 1.0) -> Array:
    """A level's path (months, n) that follows ``target`` (months, n) by partial adjustment in
    logs from ``start`` (the level before month 1).

    >>> p = adjusted_path(np.full((3, 1), 10.0), np.array([0.5]))
    >>> [round(float(x), 3) for x in p[:, 0]]
    [3.162, 5.623, 7.499]
    """
    out = np.empty_like(target, dtype=float)
    level = np.broadcast_to(np.asarray(start, dtype=float), target.shape[1:])
    for t in range(target.shape[0]):
        level = adjust_log(level, target[t], rate)
        out[t] = level
    return out

"""Prices, fees and demand: subscription pricing, token costs, and an API market in a price war.

In a price war, competitors' cuts move the market price level c_t (the product of 1 + change
over past cuts); you follow it as a ratio φ, so your price multiplier is m_t = c_t^φ (φ = 1 matches
the market, φ = 0 ignores it). Demand for your tokens = base_t × c_t^ε_market × (p_t / c_t)^ε_own,
with p_t your own price relative to month 1 (list price path × m_t): cheaper tokens grow the
whole market (ε_market < 0), and being dearer than the market loses share (ε_own < 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def blended_fee_rate(app_store_share: Array, app_store_fee: Array, payment_fee: Array) -> Array:
    """Average fee on a unit of customer payments, mixing app-store and direct payments.

    >>> float(blended_fee_rate(np.array([0.5]), np.array([0.3]), np.array([0.01]))[0])
    0.155
    """
    return app_store_share * app_store_fee + (1.0 - app_store_share) * payment_fee


def annual_plan_factor(annual_share: Array, annual_discount: Array) -> Array:
    """What an average payer pays as a share of the list price, with annual plans at a discount.

    >>> float(annual_plan_factor(np.array([0.5]), np.array([0.2]))[0])
    0.9
    """
    return 1.0 - annual_share * annual_discount


def token_cost(
    input_tokens: Array,
    output_tokens: Array,
    input_price_per_million: Array,
    output_price_per_million: Array,
) -> Array:
    """Cost of a month's tokens at prices per million tokens.

    >>> float(token_cost(np.array([2e6]), np.array([1e6]), np.array([1.0]), np.array([4.0]))[0])
    6.0
    """
    return (input_tokens * input_price_per_million + output_tokens * output_price_per_million) / 1e6


def ramp_share(age_months: int, ramp_months: int) -> float:
    """Share of its full volume an account uses ``age_months`` after deployment (0 = deployed
    this month): (age + 1) ÷ ramp_months over its first ramp_months months, then 1 — a linear
    roll-out, as usage-priced contracts ramp (0 or 1 ramp month: full from the start).

    >>> [ramp_share(a, 4) for a in range(5)]
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """
    return 1.0 if age_months + 1 >= ramp_months else (age_months + 1) / ramp_months


def metered_units(
    accounts: Sequence[Array], shares: Sequence[float], units_per_account: Array, included: Array
) -> tuple[Array, Array]:
    """Units used and billed in a month by groups of accounts, group k using ``shares[k]`` of
    the full volume ``units_per_account`` u: used = Σ_k accounts_k · s_k · u, billed = Σ_k
    accounts_k · max(0, s_k · u − included), the allowance ``included`` in the price applying
    account by account (every account of a group alike).

    >>> used, billed = metered_units([np.array([10.0]), np.array([4.0])], [1.0, 0.5],
    ...                              np.array([100.0]), np.array([60.0]))
    >>> float(used[0]), float(billed[0])  # 10 × 100 + 4 × 50; 10 × 40 + 4 × 0
    (1200.0, 400.0)
    """
    used = np.zeros(np.broadcast_shapes(np.shape(accounts[0]), np.shape(units_per_account)))
    billed = np.zeros_like(used)
    for n, s in zip(accounts, shares, strict=True):
        per_account = units_per_account if s == 1.0 else s * units_per_account
        used += n * per_account
        billed += n * np.maximum(per_account - included, 0.0)
    return used, billed


def price_levels(
    cuts: Sequence[tuple[int, Array]], follow: Array, months: int, n: int
) -> tuple[Array, Array]:
    """Market price level c and your price multiplier m = c^follow per month, each (months, n),
    from competitors' cuts (month from 1, change).

    >>> c, m = price_levels([(2, np.array([-0.75]))], np.array([0.5]), 3, 1)
    >>> c.ravel().tolist(), m.ravel().tolist()
    ([1.0, 0.25, 0.25], [1.0, 0.5, 0.5])
    """
    c, m = np.ones((months, n)), np.ones((months, n))
    for a, b, level, followed in price_level_runs(cuts, follow, months, n):
        c[a:b] = level
        m[a:b] = followed
    return c, m


def price_level_runs(
    cuts: Sequence[tuple[int, Array]], follow: Array, months: int, n: int
) -> list[tuple[int, int, Array, Array]]:
    """:func:`price_levels` as runs of months (a, b, c, m): months a ≤ t < b (from 0) have the
    level c and the multiplier m, each (n,); months before the first run have 1 and 1. c is the
    same from one cut to the next, so each run's level (the cuts so far multiplied in, in month
    order) and its power are made once.

    >>> [(a, b, c.tolist(), m.tolist()) for a, b, c, m in
    ...  price_level_runs([(2, np.array([-0.75]))], np.array([0.5]), 3, 1)]
    [(1, 3, [0.25], [0.5])]
    """
    runs: list[tuple[int, int, Array, Array]] = []
    level = np.ones(n)
    ordered = sorted((cut for cut in cuts if cut[0] <= months), key=lambda x: x[0])
    for k, (month, change) in enumerate(ordered):
        level = level * (1.0 + change)
        a = month - 1
        b = next((later for later, _ in ordered[k + 1 :] if later > month), months + 1) - 1
        if b > a:
            runs.append((a, b, level, np.where(follow >= 1.0, level, np.power(level, follow))))
    return runs


def list_price_index(
    input_price: Array,
    output_price: Array,
    input_weight: Array,
    output_weight: Array,
    first: Array,
) -> Array:
    """Your list price relative to month 1 (a Laspeyres index): the input and output prices
    blended with month 1's token mix as weights, ÷ ``first``, month 1's prices so blended.

    >>> list_price_index(np.array([0.1]), np.array([0.4]), np.array([3.0]), np.array([1.0]),
    ...                  np.array([1.0 * 3.0 + 4.0 * 1.0])).round(6).tolist()
    [0.1]
    """
    blended: Array = input_price * input_weight + output_price * output_weight
    return np.asarray(blended / first, dtype=float)


MAX_ELASTICITY = 50.0
"""Largest price elasticity a plan may give, either sign: demand elasticities are mostly a few
units, a share elasticity between close substitutes somewhat more; at −50, 1% dearer already
loses 39% of volume (1.01^−50 = 0.61), and a typo such as 1e12 overflows the run."""


def elasticity_problem(median: float) -> str | None:
    """Why an elasticity with this median cannot be right, or None.

    >>> elasticity_problem(-2.0) is None, elasticity_problem(1e12) is not None
    (True, True)
    """
    if abs(median) <= MAX_ELASTICITY:
        return None
    return (
        f"an elasticity beyond ±{MAX_ELASTICITY:g} is implausible (at −50, 1% dearer already "
        "loses 39% of volume); check its sign and scale"
    )


def api_demand(
    base: Array | float,
    market_level: Array,
    own_multiplier: Array,
    market_elasticity: Array,
    share_elasticity: Array,
) -> Array:
    """Tokens demanded given the market price level and your relative price.

    >>> float(api_demand(np.array([100.0]), np.array([0.5]), np.array([0.5]), np.array([-1.0]),
    ...                  np.array([-2.0]))[0])
    200.0
    """
    demand = np.power(market_level, market_elasticity)
    if not (np.isscalar(base) and base == 1.0):  # × 1 would change nothing
        demand = base * demand
    return np.asarray(demand * np.power(own_multiplier / market_level, share_elasticity))

"""Prices, fees and demand: subscription pricing, token costs, and an API market in a price war.

In a price war, competitors' cuts move the market price level c_t (the product of 1 + change
over past cuts); you follow a share φ of each cut, so your price multiplier is
m_t = Π (1 + φ·change). Demand for your tokens = base_t × c_t^ε_market × (m_t / c_t)^ε_share:
cheaper tokens grow the whole market (ε_market < 0), and being dearer than the market loses share
(ε_share < 0).
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


def price_levels(
    cuts: Sequence[tuple[int, Array]], follow: Array, months: int, n: int
) -> tuple[Array, Array]:
    """Market price level c and your price multiplier m per month, each (months, n), from
    competitors' cuts (month from 1, change) of which you follow the share ``follow``.

    >>> c, m = price_levels([(2, np.array([-0.5]))], np.array([0.5]), 3, 1)
    >>> c.ravel().tolist(), m.ravel().tolist()
    ([1.0, 0.5, 0.5], [1.0, 0.75, 0.75])
    """
    c = np.ones((months, n))
    m = np.ones((months, n))
    for month, change in sorted(cuts, key=lambda x: x[0]):
        if month > months:
            continue
        c[month - 1 :] *= 1.0 + change
        m[month - 1 :] *= 1.0 + follow * change
    return c, m


def api_demand(
    base: Array,
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
    return (
        base
        * np.power(market_level, market_elasticity)
        * np.power(own_multiplier / market_level, share_elasticity)
    )

"""Advertising, capped by attention: minutes × ad load → impressions, × fill rate × CPM.

Ad revenue per user can never exceed the attention a user gives: it scales with minutes per day,
not with tokens or requests — heavier model usage raises cost but not ad inventory.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .units import MONTH_DAYS

Array = NDArray[np.float64]


def impressions(users: Array, minutes_per_day: Array, ads_per_minute: Array) -> Array:
    """Impressions offered in a month by the attention of ``users``."""
    return users * minutes_per_day * MONTH_DAYS * ads_per_minute


def ad_revenue(offered: Array, fill_rate: Array, cpm: Array) -> Array:
    """Revenue of the impressions sold: offered × fill rate × CPM / 1,000.

    >>> float(ad_revenue(np.array([1e6]), np.array([0.5]), np.array([40.0]))[0])
    20000.0
    """
    return offered * fill_rate * cpm / 1000.0

"""A starting count published for an earlier month, brought to the plan's month 0.

A plan's starting state (active users, deployed accounts, ARR) is the count at the end of month
0, the month before ``start``. The latest published count is often older: a quarter's figure
given a month or two after the quarter ends. Used as it is, it leaves out the growth of the
months in between, and the plan starts low by that much. A plan that states the month its count
describes (``existing_users_as_of``, a segment's ``deployed_as_of``) has it grown to month 0 at
the plan's own ``recent_growth_per_month``: count × (1 + growth)^months — the growth the plan
says the product had when it starts, compounded over the months the count is behind.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from .reference_growth import months_between


def months_behind(counted: date, start: date) -> int:
    """Months from the month a count describes to month 0 (the month before ``start``): 0 for
    a count of month 0 itself, negative for a count of month 1 or later.

    >>> months_behind(date(2025, 12, 1), date(2026, 3, 1))  # Dec count, Mar start: Jan, Feb
    2
    >>> months_behind(date(2026, 2, 1), date(2026, 3, 1))
    0
    """
    return months_between(counted, start) - 1


def month_zero(start: date) -> date:
    """The month before ``start``, whose end the starting state counts.

    >>> month_zero(date(2026, 1, 1))
    datetime.date(2025, 12, 1)
    """
    return date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)


def grown_to_month_zero(count: Any, growth_per_month: Any, months: int) -> np.ndarray:
    """A count ``months`` months behind month 0, grown at ``growth_per_month`` (per sample):
    count × (1 + growth)^months.

    >>> grown_to_month_zero(750e6, 0.05, 2).round(0).tolist()  # 750M × 1.05²
    826875000.0
    """
    return np.asarray(
        np.asarray(count, dtype=float) * np.power(1.0 + np.asarray(growth_per_month), months)
    )


def as_of_problems(
    counted: date | None, start: date, start_given: bool, growth_given: bool
) -> list[str]:
    """What is wrong with stating that a starting count is of month ``counted``, for a plan
    that starts in ``start`` (``start_given``: the plan states it) and states its recent growth
    (``growth_given``): the reasons, none if it is fine.

    >>> as_of_problems(date(2026, 3, 1), date(2026, 3, 1), True, True)[0][:40]
    'is month 1 or later (the plan starts 202'
    """
    if counted is None:
        return []
    if not start_given:
        return [
            "needs the plan's start (start: 2026-03, say): the count is grown from its month "
            "to month 0, the month before the start"
        ]
    out = []
    if months_behind(counted, start) < 0:
        out.append(
            f"is month 1 or later (the plan starts {start:%Y-%m}): the starting count is of "
            f"month 0 ({month_zero(start):%Y-%m}) or earlier"
        )
    if not growth_given:
        out.append("needs recent_growth_per_month: the growth that brings the count to month 0")
    return out


__all__ = ["as_of_problems", "grown_to_month_zero", "month_zero", "months_behind"]

"""Advertising, capped by attention: minutes × ad load → impressions, × fill rate × CPM.

Ad revenue per user can never exceed the attention a user gives: it scales with minutes per day,
not with tokens or requests — heavier model usage raises cost but not ad inventory.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..scenario.types import MONTH_DAYS


def impressions(users: np.ndarray, minutes_per_day: np.ndarray, ads_per_minute: np.ndarray
                ) -> np.ndarray:
    """Impressions offered in a month by the attention of ``users``."""
    return users * minutes_per_day * MONTH_DAYS * ads_per_minute


def ad_revenue(offered: np.ndarray, fill_rate: np.ndarray, cpm: np.ndarray) -> np.ndarray:
    return offered * fill_rate * cpm / 1000.0


@register("revenue")
class AdsBlock(Block):
    lines = ("revenue.ads",)
    kpis = ("ad_impressions",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.ads)] if sc.streams.ads is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.minutes, self.load = p[s.minutes_per_user_per_day], p[s.ads_per_minute]
        self.fill, self.cpm = p[s.fill_rate], p[s.cpm]

    def step(self, ctx: Ctx, t: int) -> None:
        users = ctx.state["active_users"]
        if not self.spec.paying_users_see_ads and "paying_users" in ctx.state:
            users = users - ctx.state["paying_users"]
        offered = impressions(users, self.minutes, self.load)
        ctx.book("revenue.ads", t, ad_revenue(offered, self.fill, self.cpm))
        ctx.record("ad_impressions", t, offered * self.fill)

"""Subscription revenue: a share of active users pays a monthly price, less store and payment fees."""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def blended_fee_rate(app_store_share: np.ndarray, app_store_fee: np.ndarray,
                     payment_fee: np.ndarray) -> np.ndarray:
    """Average fee on a unit of subscription revenue, mixing app-store and direct payments."""
    return app_store_share * app_store_fee + (1.0 - app_store_share) * payment_fee


@register
class SubscriptionBlock(Block):
    lines = ("revenue.subscription", "cogs.payment_fees")
    kpis = ("paying_users",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.subscription)] if sc.streams.subscription is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.price = s.price_per_month.monthly(p, ctx.months)
        self.conv = p[s.conversion]
        self.fee = blended_fee_rate(p[s.app_store_share], p[s.app_store_fee], p[s.payment_fee])

    def step(self, ctx: Ctx, t: int) -> None:
        paying = ctx.state["active_users"] * self.conv
        gross = paying * self.price[t]
        ctx.book("revenue.subscription", t, gross)
        ctx.book("cogs.payment_fees", t, gross * self.fee)
        ctx.state["paying_users"] = paying
        ctx.record("paying_users", t, paying)
